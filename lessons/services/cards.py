"""Review cards made from what a conversation noted: corrections, upgrades ("say it better") and
useful phrases, and a trial's notes once the trial is attached to an account. Every card a
conversation makes or meets again is noted in it (`Phrase.noted_in`, read by
`lessons.selectors.counts`)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from django.db import IntegrityError, transaction

from lessons.models import Conversation, Correction, Phrase, Turn, Upgrade
from lessons.services.totals import correction_counted, upgrade_counted

if TYPE_CHECKING:
    from accounts.models import User

CORRECTION_KINDS = {choice.value for choice in Correction.Kind}


def _clip(text: str, limit: int) -> str:
    return " ".join(str(text).split())[:limit]


def conversation_record_correction(
    *, turn_id: int, original: str, corrected: str, explanation: str, kind: str
) -> Correction:
    """A correction of a learner turn, and the review card it becomes."""
    turn = Turn.objects.select_related("conversation").get(pk=turn_id)
    with transaction.atomic():
        correction = Correction.objects.create(
            turn=turn,
            original=_clip(original, 500),
            corrected=_clip(corrected, 500),
            explanation=_clip(explanation, 1000),
            kind=kind if kind in CORRECTION_KINDS else Correction.Kind.GRAMMAR,
        )
        correction_counted(correction, turn.conversation_id)
    learner_id = turn.conversation.learner_id
    if learner_id and correction.corrected:
        _card(
            learner_id=learner_id,
            language=turn.conversation.language,
            text=correction.corrected[:300],
            conversation_id=turn.conversation_id,
            defaults={
                "translation": "",
                "note": correction.explanation,
                "source_correction": correction,
                "source_turn": turn,
            },
        )
    return correction


def conversation_record_upgrade(
    *, turn_id: int, original: str, upgraded: str, explanation: str
) -> Upgrade | None:
    """A better way to say a learner turn that was correct but plain, and the review card it
    becomes, as a correction's does. None if the turn already has its one upgrade (a retried
    write, or a second note the bridge did not catch): the first stands."""
    turn = Turn.objects.select_related("conversation").get(pk=turn_id)
    try:
        with transaction.atomic():
            upgrade = Upgrade.objects.create(
                turn=turn,
                original=_clip(original, 500),
                upgraded=_clip(upgraded, 500),
                explanation=_clip(explanation, 1000),
            )
            upgrade_counted(turn.conversation_id)
    except IntegrityError:
        return None
    learner_id = turn.conversation.learner_id
    if learner_id and upgrade.upgraded:
        _upgrade_card(upgrade, learner_id, turn.conversation)
    return upgrade


def _upgrade_card(upgrade: Upgrade, learner_id: int, conversation: Conversation) -> Phrase:
    return _card(
        learner_id=learner_id,
        language=conversation.language,
        text=upgrade.upgraded[:300],
        conversation_id=conversation.pk,
        defaults={
            "translation": "",
            "note": upgrade.explanation,
            "source_upgrade": upgrade,
            "source_turn_id": upgrade.turn_id,
        },
    )


def conversation_record_phrase(
    *, conversation_id: UUID, text: str, translation: str, turn_id: int | None = None
) -> Phrase | None:
    """A useful phrase the tutor noted. Trial phrases wait until the trial is attached."""
    conversation = Conversation.objects.get(pk=conversation_id)
    text = _clip(text, 300)
    if not text:
        return None
    if conversation.learner_id is None:
        # A trial has no deck yet: keep the phrase on the conversation until sign-up.
        Conversation.objects.filter(pk=conversation_id).update(
            trial_phrases=[
                *conversation.trial_phrases,
                {"text": text, "translation": _clip(translation, 300)},
            ]
        )
        return None
    return _card(
        learner_id=conversation.learner_id,
        language=conversation.language,
        text=text,
        conversation_id=conversation.pk,
        defaults={
            "translation": _clip(translation, 300),
            "source_turn_id": turn_id,
        },
    )


def _card(
    *, learner_id: int, language: str, text: str, conversation_id: UUID, defaults: dict[str, object]
) -> Phrase:
    """get_or_create on the unique (learner, language, text), safe against a concurrent insert,
    and noted in this conversation: a card the learner already had counts here too."""
    try:
        with transaction.atomic():
            phrase, _ = Phrase.objects.get_or_create(
                learner_id=learner_id,
                language=language,
                text=text,
                defaults={**defaults, "conversation_id": conversation_id},
            )
    except IntegrityError:
        phrase = Phrase.objects.get(learner_id=learner_id, language=language, text=text)
    noted = Phrase.noted_in.through(phrase_id=phrase.pk, conversation_id=conversation_id)
    Phrase.noted_in.through.objects.bulk_create([noted], ignore_conflicts=True)
    return phrase


@transaction.atomic
def conversation_attach_trials(*, user: User, conversation_ids: list[str]) -> int:
    """After sign-up, give the new account the trial conversations its browser held, and turn
    their corrections and upgrades into review cards."""
    trials = list(
        Conversation.objects.select_for_update().filter(
            pk__in=conversation_ids, learner__isnull=True
        )
    )
    for conversation in trials:
        conversation.learner = user
        conversation.trial_session_key = ""
        pending, conversation.trial_phrases = conversation.trial_phrases, []
        conversation.save(update_fields=["learner", "trial_session_key", "trial_phrases"])
        for item in pending:
            _card(
                learner_id=user.pk,
                language=conversation.language,
                text=str(item.get("text", ""))[:300],
                conversation_id=conversation.pk,
                defaults={"translation": item.get("translation", "")},
            )
        corrections = Correction.objects.filter(turn__conversation=conversation).select_related(
            "turn"
        )
        for correction in corrections:
            if correction.corrected:
                _card(
                    learner_id=user.pk,
                    language=conversation.language,
                    text=correction.corrected[:300],
                    conversation_id=conversation.pk,
                    defaults={
                        "note": correction.explanation,
                        "source_correction": correction,
                        "source_turn": correction.turn,
                    },
                )
        for upgrade in Upgrade.objects.filter(turn__conversation=conversation):
            if upgrade.upgraded:
                _upgrade_card(upgrade, user.pk, conversation)
    return len(trials)
