// "Say it better": the card under a learner line that was correct but plain, with the tutor's
// more natural way to say it (the `upgrade` event; tutor/conversation/upgrades.py). Drawn like
// a correction card (view.js) with the server's word diff, but it is praise with a step up,
// not a fix: its own label and colour. At most one per line (the server holds the rule too).

import { el } from "./panels.js";

const { gettext, interpolate } = window; // the djangojs catalog (base.html loads it first)

export const UPGRADE_LABEL = gettext("Say it better");

export function isUpgrade(note) {
  return typeof note.upgraded === "string";
}

export function upgradeCard(transcript, { original, upgraded, explanation, diff: sides }) {
  const diff = transcript.diff(sides || { said: [[original, false]], better: [[upgraded, false]] });
  const why = explanation ? el("p", "correction-why", explanation) : null;
  if (transcript.style === "none") {
    // No interruptions while talking: folded, like a correction noted for later.
    const card = el("details", "correction correction-upgrade correction-later");
    const later = interpolate(gettext("Noted for later · %(kind)s"), { kind: UPGRADE_LABEL }, true);
    card.append(el("summary", "", later), diff);
    if (why) card.append(why);
    return card;
  }
  const card = el("aside", "correction correction-upgrade");
  card.setAttribute("aria-label", UPGRADE_LABEL);
  card.append(el("p", "correction-kind", gettext("Say it better · correct")), diff);
  if (why) card.append(why);
  return card;
}

export function upgradeAnnouncement({ upgraded, explanation }) {
  const said = gettext("Correct. Say it better: %(upgraded)s. %(explanation)s");
  return interpolate(said, { upgraded, explanation: explanation || "" }, true);
}
