"""Conversations, cards and reviews for the learner-page tests, made in a few lines."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.utils import timezone

from accounts.models import User
from lessons.models import Comment, Conversation, Correction, Phrase, Topic, Turn
from lessons.services.totals import conversations_recount, correction_counted

# (speaker, text) pairs: tutor first, as the demo tutor opens every conversation.
CAFE_TURNS = [
    ("tutor", "¡Hola! ¿Qué quieres comer hoy?"),
    ("learner", "Yo quiero comer una tortilla y un café con leche"),
    ("tutor", "Muy bien. ¿Algo más?"),
    ("learner", "Ayer yo voy al mercado con mi hermana"),
]


def make_topic(title: str = "En el café", language: str = "es", **fields: object) -> Topic:
    values: dict[str, object] = {
        "slug": title.lower().replace(" ", "-"),
        "language": language,
        "title": title,
        "scenario": "Ordering at a café.",
        "tutor_role": "waiter",
        "level_min": "A1",
        "level_max": "B1",
    }
    values.update(fields)
    return Topic.objects.create(**values)


def make_conversation(
    learner: User | None,
    *,
    topic: Topic | None = None,
    language: str = "es",
    level: str = "A2",
    started_at: datetime | None = None,
    minutes: float = 10.0,
    turns: Sequence[tuple[str, str]] = CAFE_TURNS,
    learner_seconds: float = 120.0,
    tutor_seconds: float = 180.0,
    corrections: Sequence[tuple[int, str, str, str]] = (),
) -> Conversation:
    """A finished conversation; `corrections` are (turn index, original, corrected, kind).
    Each turn lasts 5 s, one every 10 s."""
    started_at = started_at or timezone.now() - timedelta(minutes=minutes)
    conversation = Conversation.objects.create(
        learner=learner,
        trial_session_key="" if learner else "trial-session",
        topic=topic,
        language=topic.language if topic else language,
        level=level,
        status=Conversation.Status.ENDED,
        started_at=started_at,
        ended_at=started_at + timedelta(minutes=minutes),
        learner_seconds=learner_seconds,
        tutor_seconds=tutor_seconds,
    )
    made = Turn.objects.bulk_create(
        Turn(
            conversation=conversation,
            ordinal=i,
            speaker=speaker,
            text=text,
            started_ms=i * 10_000,
            ended_ms=i * 10_000 + 5_000,
        )
        for i, (speaker, text) in enumerate(turns)
    )
    # Bulk-created turns skip the services: total them as the services would have.
    conversations_recount([conversation.pk])
    for index, original, corrected, kind in corrections:
        add_correction(made[index], original, corrected, kind)
    conversation.refresh_from_db()
    return conversation


def add_correction(turn: Turn, original: str, corrected: str, kind: str = "grammar") -> Correction:
    """A correction and the card it becomes, as the conversation service makes them."""
    correction = Correction.objects.create(
        turn=turn,
        original=original,
        corrected=corrected,
        kind=kind,
        explanation=f"Better: {corrected}",
    )
    correction_counted(correction, turn.conversation_id)
    conversation = turn.conversation
    if conversation.learner_id:
        phrase, _ = Phrase.objects.get_or_create(
            learner_id=conversation.learner_id,
            language=conversation.language,
            text=corrected,
            defaults={
                "note": correction.explanation,
                "conversation": conversation,
                "source_correction": correction,
                "source_turn": turn,
            },
        )
        phrase.noted_in.add(conversation)
    return correction


def make_phrase(learner: User, text: str = "la cuenta, por favor", **fields: object) -> Phrase:
    """A card; with `conversation`, noted in it as the conversation service does."""
    values: dict[str, object] = {"language": "es", "translation": "the bill, please"}
    values.update(fields)
    phrase = Phrase.objects.create(learner=learner, text=text, **values)
    if phrase.conversation_id:
        phrase.noted_in.add(phrase.conversation_id)
    return phrase


def make_comment(
    conversation: Conversation, author: User, text: str, turn: Turn | None = None
) -> Comment:
    return Comment.objects.create(conversation=conversation, author=author, text=text, turn=turn)
