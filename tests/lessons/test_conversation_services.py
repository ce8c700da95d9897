from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from accounts.models import User
from lessons.models import Conversation, Correction, Phrase, Topic, Turn
from lessons.services import conversations as services
from lessons.services.limits import LimitExceeded
from tests.base import Personas, make_topic

pytestmark = pytest.mark.django_db


def _topic() -> Topic:
    return make_topic(correction_style="explain")


def test_starting_a_topic_uses_its_language_and_style(alice: User) -> None:
    conversation = services.conversation_start(learner=alice, topic=_topic())
    assert (conversation.language, conversation.level) == ("es", "A2")
    assert conversation.correction_style == "explain"  # the topic's override wins
    assert conversation.status == "active"


def test_free_talk_uses_the_learners_preferences(alice: User) -> None:
    conversation = services.conversation_start(learner=alice)
    assert conversation.topic is None
    assert conversation.correction_style == alice.correction_style


def test_turns_get_consecutive_ordinals(alice: User) -> None:
    conversation = services.conversation_start(learner=alice)
    for speaker in ("tutor", "learner", "tutor"):
        services.conversation_record_turn(
            conversation_id=conversation.pk,
            speaker=speaker,
            text=f"{speaker} says hi",
            started_ms=5,
            ended_ms=2,
        )
    turns = list(conversation.turns.values_list("ordinal", "speaker", "ended_ms"))
    assert turns == [(0, "tutor", 5), (1, "learner", 5), (2, "tutor", 5)]


def test_a_correction_becomes_a_card_for_the_learner(alice: User) -> None:
    conversation = services.conversation_start(learner=alice)
    turn = services.conversation_record_turn(
        conversation_id=conversation.pk, speaker="learner", text="Yo soy cansado"
    )
    correction = services.conversation_record_correction(
        turn_id=turn.pk,
        original="Yo soy cansado",
        corrected="Estoy cansado",
        explanation="estar for states",
        kind="made-up-kind",
    )
    assert correction.kind == Correction.Kind.GRAMMAR  # unknown kinds fall back, never crash
    card = Phrase.objects.get(learner=alice)
    assert (card.text, card.source_correction) == ("Estoy cansado", correction)


def test_a_phrase_noted_twice_is_one_card(alice: User) -> None:
    conversation = services.conversation_start(learner=alice)
    for _ in range(2):
        services.conversation_record_phrase(
            conversation_id=conversation.pk, text="¿Me pone un café?", translation="A coffee?"
        )
    assert Phrase.objects.filter(learner=alice).count() == 1


@override_settings(TRIALS_PER_SESSION=1, TRIALS_PER_IP=2)
def test_trials_are_limited_per_session_and_per_ip(db: None) -> None:
    services.conversation_start(learner=None, session_key="s1", ip="10.0.0.1")
    with pytest.raises(LimitExceeded, match="used your free minute"):
        services.conversation_start(learner=None, session_key="s1", ip="10.0.0.9")
    services.conversation_start(learner=None, session_key="s2", ip="10.0.0.1")
    with pytest.raises(LimitExceeded, match="from your network"):
        services.conversation_start(learner=None, session_key="s3", ip="10.0.0.1")


@override_settings(TRIALS_PER_SESSION=1, TRIAL_WINDOW_SECONDS=3600)
def test_old_trials_fall_out_of_the_window(db: None) -> None:
    old = services.conversation_start(learner=None, session_key="s1", ip="10.0.0.1")
    with pytest.raises(services.LimitExceeded):  # inside the window, the limit holds
        services.conversation_start(learner=None, session_key="s1", ip="10.0.0.1")
    Conversation.objects.filter(pk=old.pk).update(started_at=timezone.now() - timedelta(hours=2))
    new = services.conversation_start(learner=None, session_key="s1", ip="10.0.0.1")
    assert new.pk != old.pk
    assert (new.learner, new.trial_session_key, new.status) == (None, "s1", "active")
    assert Conversation.objects.filter(trial_session_key="s1").count() == 2


def test_a_trial_needs_a_session(db: None) -> None:
    with pytest.raises(LimitExceeded, match="cookies"):
        services.conversation_start(learner=None, session_key="")


@override_settings(CONVERSATION_STARTS_PER_HOUR=2)
def test_learners_have_an_hourly_start_limit(alice: User) -> None:
    services.conversation_start(learner=alice)
    services.conversation_start(learner=alice)
    with pytest.raises(LimitExceeded, match="last hour"):
        services.conversation_start(learner=alice)


def test_the_trial_clock_starts_once(db: None) -> None:
    trial = services.conversation_start(learner=None, session_key="s1")
    first = services.conversation_mark_first_activity(conversation_id=trial.pk).first_audio_at
    again = services.conversation_mark_first_activity(conversation_id=trial.pk).first_audio_at
    assert first is not None and first == again


def test_finishing_is_idempotent_and_keeps_the_larger_stats(alice: User) -> None:
    conversation = services.conversation_start(learner=alice)
    stats = services.FinishStats(
        learner_seconds=12.5,
        tutor_seconds=20,
        reconnects=1,
        total_tokens=300,
        latency_p50_ms=420,
        latency_p95_ms=800,
    )
    services.conversation_finish(
        conversation_id=conversation.pk, reason="learner_ended", stats=stats
    )
    ended_at = Conversation.objects.get(pk=conversation.pk).ended_at
    services.conversation_finish(conversation_id=conversation.pk, reason="disconnected")
    conversation.refresh_from_db()
    assert (conversation.status, conversation.end_reason) == ("ended", "learner_ended")
    assert conversation.ended_at == ended_at
    assert (conversation.learner_seconds, conversation.reconnect_count) == (12.5, 1)
    assert (conversation.latency_p50_ms, conversation.total_tokens) == (420, 300)


def test_signing_up_attaches_the_trial_with_its_cards(personas: Personas) -> None:
    trial = services.conversation_start(learner=None, session_key="s1")
    turn = services.conversation_record_turn(
        conversation_id=trial.pk, speaker="learner", text="Yo soy cansado"
    )
    services.conversation_record_correction(
        turn_id=turn.pk, original="soy", corrected="Estoy", explanation="estar", kind="grammar"
    )
    services.conversation_record_phrase(
        conversation_id=trial.pk, text="¡Qué bien!", translation="How nice!"
    )
    assert not Phrase.objects.exists()  # nobody's deck yet
    other = services.conversation_start(learner=None, session_key="s2")
    attached = services.conversation_attach_trials(
        user=personas.charlie, conversation_ids=[str(trial.pk)]
    )
    assert attached == 1
    trial.refresh_from_db()
    assert trial.learner == personas.charlie and trial.trial_phrases == []
    assert set(Phrase.objects.values_list("learner__email", "text")) == {
        ("charlie@example.org", "Estoy"),
        ("charlie@example.org", "¡Qué bien!"),
    }
    other.refresh_from_db()
    assert other.learner is None
    # A conversation already owned is never taken over.
    mine = services.conversation_start(learner=personas.alice)
    assert (
        services.conversation_attach_trials(user=personas.charlie, conversation_ids=[str(mine.pk)])
        == 0
    )


def test_history_is_oldest_first_and_bounded(alice: User) -> None:
    conversation = services.conversation_start(learner=alice)
    for i in range(5):
        Turn.objects.create(conversation=conversation, ordinal=i, speaker="tutor", text=f"t{i}")
    assert services.conversation_history(conversation_id=conversation.pk, limit=3) == [
        ("tutor", "t2"),
        ("tutor", "t3"),
        ("tutor", "t4"),
    ]
