"""Helpers of `tutor.live.turns`: joining transcription fragments, validating tool calls."""

from __future__ import annotations

from typing import Any

from tutor.live.events import CorrectionNoted, Event, PhraseNoted, UpgradeNoted

CORRECTION_KINDS = frozenset({"grammar", "vocabulary", "pronunciation", "register"})
# The answer to a second note_upgrade about one learner line: "never more than one per turn".
ONE_UPGRADE = {"error": "an upgrade was already noted for this learner turn; at most one"}
Note = CorrectionNoted | PhraseNoted | UpgradeNoted
_NO_SPACE_BEFORE = frozenset(".,;:!?)]}»”’…、。！？")


def join_fragments(fragments: list[str]) -> str:
    """Join transcription fragments that may or may not carry their own spaces.

    A space is added between two fragments only when neither side has one, the next one does
    not open with closing punctuation, and neither side is CJK (written without spaces).
    """
    out = ""
    for fragment in fragments:
        if out and fragment and _needs_space(out[-1], fragment[0]):
            out += " "
        out += fragment
    return " ".join(out.split())


def normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def _needs_space(before: str, after: str) -> bool:
    if before.isspace() or after.isspace() or after in _NO_SPACE_BEFORE:
        return False
    return not (_is_cjk(before) or _is_cjk(after))


def _is_cjk(char: str) -> bool:
    return "\u3000" <= char <= "\u9fff" or "\uac00" <= char <= "\ud7af" or char >= "\uff00"


def note_event(name: str, args: dict[str, Any]) -> tuple[Event | None, dict[str, Any]]:
    """Validate a tool call: its event (None if unusable) and the answer for the model.

    An unknown `kind` becomes "grammar": the model sometimes invents labels ("spelling",
    "word order") and a correction is worth keeping under the broadest bucket.
    """
    if name == "note_correction":
        original, corrected = _arg(args, "original"), _arg(args, "corrected")
        if not original or not corrected:
            return None, {"error": "original and corrected are required"}
        kind = _arg(args, "kind").lower()
        kind = kind if kind in CORRECTION_KINDS else "grammar"
        explanation = _arg(args, "explanation")
        return CorrectionNoted(original, corrected, explanation, kind), {"result": "ok"}
    if name == "note_phrase":
        text = _arg(args, "text")
        if not text:
            return None, {"error": "text is required"}
        return PhraseNoted(text=text, translation=_arg(args, "translation")), {"result": "ok"}
    if name == "note_upgrade":
        original, upgraded = _arg(args, "original"), _arg(args, "upgraded")
        if not original or not upgraded:
            return None, {"error": "original and upgraded are required"}
        if normal(original) == normal(upgraded):
            return None, {"error": "upgraded must differ from original"}
        return UpgradeNoted(original, upgraded, _arg(args, "explanation")), {"result": "ok"}
    return None, {"error": f"unknown function {name!r}"}


def _arg(args: dict[str, Any], key: str) -> str:
    value = args.get(key)
    return value.strip() if isinstance(value, str) else ""
