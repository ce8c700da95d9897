"""The spoken placement's writes: starting one, keeping the assessment (or its failure) with
its evidence, and the level the learner confirms.

The assessment itself is the text model's (tutor.live.placement), checked by
`lessons.placement_rules` before anything is stored; the tutor's pages call these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.choices import LEVEL_ORDER
from lessons.models import (
    Conversation,
    PlacementQuote,
    PlacementResult,
    PlacementSkill,
    Turn,
)
from lessons.placement_rules import Assessment
from lessons.services.conversations import conversation_start

if TYPE_CHECKING:
    from accounts.models import User

# Enough for a model having a bad minute, not enough to turn the page into a free text API.
MAX_ATTEMPTS = 6
# Kept in English on the result (`failure`) and translated where it is shown, like the
# assessment's own failures from tutor/live; gettext_noop puts them in the catalog.
NOTHING_SAID = gettext_noop(
    "The tutor did not hear enough from you to estimate a level. Start the placement again "
    "and answer its questions."
)
TOO_MANY = gettext_noop("This placement could not be assessed. Start a new one from your profile.")


class PlacementRefused(Exception):
    """The assessment may not be attempted (again); `str(exc)` is safe to show."""


@transaction.atomic
def placement_start(*, learner: User, ip: str | None = None) -> PlacementResult:
    """A placement conversation in the learner's target language, starting at the level they
    declared; LimitExceeded as for any conversation."""
    conversation = conversation_start(
        learner=learner, ip=ip, level=learner.level, kind=Conversation.Kind.PLACEMENT
    )
    return PlacementResult.objects.create(
        conversation=conversation, learner=learner, declared_level=conversation.level
    )


def placement_transcript(result: PlacementResult) -> list[tuple[int, str, str]]:
    """(ordinal, speaker, text) of every turn, in order: what the assessment reads."""
    turns = result.conversation.turns.order_by("ordinal").values_list("ordinal", "speaker", "text")
    return list(turns)


def placement_begin_attempt(result: PlacementResult) -> dict[int, str]:
    """Count an attempt and return the learner's turns {ordinal: text}, or refuse one that
    cannot succeed (nothing said) or has been tried too often."""
    turns = {o: text for o, speaker, text in placement_transcript(result) if speaker == "learner"}
    if not any(text.strip() for text in turns.values()):
        placement_fail(result, NOTHING_SAID)
        raise PlacementRefused(NOTHING_SAID)
    updated = PlacementResult.objects.filter(
        pk=result.pk, attempts__lt=MAX_ATTEMPTS, status__in=["pending", "failed"]
    ).update(attempts=result.attempts + 1)
    if not updated:
        raise PlacementRefused(TOO_MANY)
    result.attempts += 1
    return turns


@transaction.atomic
def placement_record(result: PlacementResult, assessment: Assessment, *, model: str) -> None:
    """Keep a checked assessment: each skill with its rationale and the turns it quotes."""
    locked = PlacementResult.objects.select_for_update().get(pk=result.pk)
    if locked.status == PlacementResult.Status.READY:
        return  # a second tab's attempt finished first; keep the one the learner saw
    turns = {t.ordinal: t for t in Turn.objects.filter(conversation_id=locked.conversation_id)}
    for estimate in assessment.skills:
        skill = PlacementSkill.objects.create(
            result=locked,
            skill=estimate.skill,
            level=estimate.level,
            rationale=estimate.rationale,
        )
        PlacementQuote.objects.bulk_create(
            PlacementQuote(skill=skill, turn=turns[q.turn], quote=q.text, position=i)
            for i, q in enumerate(estimate.quotes)
            if q.turn in turns
        )
    locked.status = PlacementResult.Status.READY
    locked.suggested_level = assessment.suggested_level
    locked.summary = assessment.summary
    locked.failure = ""
    locked.model = model[:80]
    locked.assessed_at = timezone.now()
    locked.save()
    result.refresh_from_db()


def placement_fail(result: PlacementResult, message: str) -> None:
    PlacementResult.objects.filter(pk=result.pk).exclude(status="ready").update(
        status=PlacementResult.Status.FAILED, failure=message[:300]
    )
    result.refresh_from_db()


class OtherLanguage(ValueError):
    """The placement was in a language the learner no longer learns; `str(exc)` says so."""


@transaction.atomic
def placement_confirm(result: PlacementResult, level: str) -> None:
    """The learner's choice, from the suggestion or not, becomes their level (for the
    language they learn, which must still be the placement's)."""
    if level not in LEVEL_ORDER:
        raise ValueError(f"unknown level {level!r}")
    conversation, learner = result.conversation, result.learner
    if conversation.language != learner.target_language:
        raise OtherLanguage(
            _(
                "This placement was in %(placed)s, and you now learn %(learning)s. "
                "Take a new placement for it."
            )
            % {
                "placed": conversation.get_language_display(),
                "learning": learner.get_target_language_display(),
            }
        )
    result.confirmed_level = level
    result.confirmed_at = timezone.now()
    result.save(update_fields=["confirmed_level", "confirmed_at"])
    learner.level = level
    learner.save(update_fields=["level"])
