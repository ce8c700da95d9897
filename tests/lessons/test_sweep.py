"""Ending conversations left active by a dead process (lessons/services/sweep.py), on the real
PostgreSQL: the sweep service and `manage.py sweep_conversations`."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from accounts.models import User
from lessons.models import Conversation, Turn
from lessons.services import conversations as services
from lessons.services.sweep import conversations_sweep, stale_after

pytestmark = pytest.mark.django_db

GRACE = {"RECONNECT_GRACE_SECONDS": 20, "SWEEP_MARGIN_SECONDS": 40}
STALE = timedelta(seconds=60)  # grace + margin under GRACE


def _active(alice: User, *, started: timedelta, seen: timedelta | None, **fields: Any) -> Any:
    now = timezone.now()
    conversation = Conversation.objects.create(
        learner=alice, language="es", level="A2", started_at=now - started, **fields
    )
    Conversation.objects.filter(pk=conversation.pk).update(
        last_activity_at=None if seen is None else now - seen
    )
    return conversation


@override_settings(**GRACE, CONVERSATION_HEARTBEAT_SECONDS=5)
def test_a_stale_conversation_ends_as_interrupted_and_keeps_its_turns(alice: User) -> None:
    conversation = _active(alice, started=timedelta(hours=1), seen=timedelta(minutes=30))
    services.conversation_record_turn(
        conversation_id=conversation.pk, speaker="learner", text="Hola"
    )
    Conversation.objects.filter(pk=conversation.pk).update(
        last_activity_at=timezone.now() - timedelta(minutes=30)
    )
    report = conversations_sweep()
    assert report.ended == [conversation.pk]
    done = Conversation.objects.get(pk=conversation.pk)
    assert (done.status, done.end_reason) == ("ended", "interrupted")
    # Its length runs to the last sign of life, not to the moment someone swept it.
    assert done.ended_at == done.last_activity_at
    assert abs(done.duration_seconds - 30 * 60) < 5  # started 60 min ago, last seen 30 min ago
    assert list(Turn.objects.filter(conversation=done).values_list("text", flat=True)) == ["Hola"]


@override_settings(**GRACE, CONVERSATION_HEARTBEAT_SECONDS=5)
def test_a_conversation_alive_in_another_process_is_left_alone(alice: User) -> None:
    """Started long ago, but its runtime beat just now (somewhere else)."""
    alive = _active(alice, started=timedelta(hours=1), seen=STALE - timedelta(seconds=5))
    assert conversations_sweep().ended == []
    assert Conversation.objects.get(pk=alive.pk).status == "active"


@override_settings(**GRACE, CONVERSATION_HEARTBEAT_SECONDS=5)
def test_this_processs_own_runtimes_are_never_swept(alice: User) -> None:
    mine = _active(alice, started=timedelta(hours=1), seen=timedelta(hours=1))
    assert conversations_sweep(live={mine.pk}).ended == []
    assert Conversation.objects.get(pk=mine.pk).status == "active"


@override_settings(RECONNECT_GRACE_SECONDS=20, SWEEP_MARGIN_SECONDS=0)
@override_settings(CONVERSATION_HEARTBEAT_SECONDS=30)
def test_the_margin_is_at_least_three_heartbeats(alice: User) -> None:
    """A margin shorter than the heartbeat would sweep a conversation between two beats."""
    assert stale_after() == timedelta(seconds=20 + 90)
    between_beats = _active(alice, started=timedelta(hours=1), seen=timedelta(seconds=45))
    assert conversations_sweep().ended == []
    assert Conversation.objects.get(pk=between_beats.pk).status == "active"


@override_settings(**GRACE, CONVERSATION_HEARTBEAT_SECONDS=5)
def test_rows_without_a_heartbeat_fall_back_to_their_last_turn(alice: User) -> None:
    """Conversations from before the heartbeat column: the last turn, then the start."""
    old = _active(alice, started=timedelta(hours=2), seen=None)
    Turn.objects.create(
        conversation=old,
        ordinal=0,
        speaker="tutor",
        text="¡Hola!",
        created_at=timezone.now() - timedelta(hours=1),
    )
    recent_turn = _active(alice, started=timedelta(hours=2), seen=None)
    Turn.objects.create(conversation=recent_turn, ordinal=0, speaker="tutor", text="¡Hola!")
    never = _active(alice, started=timedelta(hours=3), seen=None)
    assert sorted(conversations_sweep().ended) == sorted([old.pk, never.pk])
    assert Conversation.objects.get(pk=old.pk).ended_at == old.turns.get().created_at
    never_done = Conversation.objects.get(pk=never.pk)
    assert never_done.ended_at == never_done.started_at  # nothing happened: zero length
    assert Conversation.objects.get(pk=recent_turn.pk).status == "active"


@override_settings(**GRACE, CONVERSATION_HEARTBEAT_SECONDS=5)
def test_finished_conversations_are_untouched(alice: User) -> None:
    ended = _active(alice, started=timedelta(hours=1), seen=timedelta(hours=1))
    services.conversation_finish(conversation_id=ended.pk, reason="ended_by_learner")
    before = Conversation.objects.get(pk=ended.pk)
    assert conversations_sweep().ended == []
    after = Conversation.objects.get(pk=ended.pk)
    assert (after.end_reason, after.ended_at) == (before.end_reason, before.ended_at)


@override_settings(**GRACE, CONVERSATION_HEARTBEAT_SECONDS=5)
def test_a_stored_turn_is_a_sign_of_life(alice: User) -> None:
    conversation = _active(alice, started=timedelta(hours=1), seen=timedelta(hours=1))
    services.conversation_record_turn(conversation_id=conversation.pk, speaker="learner", text="Hi")
    assert conversations_sweep().ended == []


@override_settings(**GRACE, CONVERSATION_HEARTBEAT_SECONDS=5)
def test_the_command_previews_with_dry_run_then_ends(alice: User) -> None:
    stale = _active(alice, started=timedelta(hours=1), seen=timedelta(hours=1))
    out = StringIO()
    call_command("sweep_conversations", "--dry-run", stdout=out)
    assert "Would end 1 conversation(s)" in out.getvalue() and str(stale.pk) in out.getvalue()
    assert Conversation.objects.get(pk=stale.pk).status == "active"
    out = StringIO()
    call_command("sweep_conversations", stdout=out)
    assert "Ended 1 conversation(s)" in out.getvalue() and "over 60 s" in out.getvalue()
    assert Conversation.objects.get(pk=stale.pk).end_reason == "interrupted"


@override_settings(**GRACE, CONVERSATION_HEARTBEAT_SECONDS=5)
def test_a_page_that_never_started_ends_as_abandoned_with_no_length(alice: User) -> None:
    """A conversation (or trial) page opened and left before starting stayed "In progress",
    its length growing, and counted as active on /ops/."""
    never = _active(alice, started=STALE + timedelta(seconds=5), seen=None)
    trial = Conversation.objects.create(
        trial_session_key="visitor", language="es", level="A2", started_at=never.started_at
    )
    assert sorted(conversations_sweep().ended) == sorted([never.pk, trial.pk])
    for pk in (never.pk, trial.pk):
        done = Conversation.objects.get(pk=pk)
        assert (done.status, done.end_reason) == ("ended", "abandoned")
        assert done.duration_seconds == 0


@override_settings(**GRACE, CONVERSATION_HEARTBEAT_SECONDS=5, TRIALS_PER_SESSION=1)
def test_a_trial_abandoned_before_anything_was_said_does_not_use_up_the_trial(db: None) -> None:
    first = services.conversation_start(learner=None, session_key="visitor", ip="10.0.0.1")
    with pytest.raises(services.LimitExceeded):  # open, it counts
        services.conversation_start(learner=None, session_key="visitor", ip="10.0.0.1")
    Conversation.objects.filter(pk=first.pk).update(started_at=timezone.now() - timedelta(hours=1))
    assert conversations_sweep().ended == [first.pk]
    second = services.conversation_start(learner=None, session_key="visitor", ip="10.0.0.1")
    services.conversation_record_turn(conversation_id=second.pk, speaker="tutor", text="¡Hola!")
    services.conversation_finish(conversation_id=second.pk, reason="abandoned")
    with pytest.raises(services.LimitExceeded):  # the tutor spoke: that one was used
        services.conversation_start(learner=None, session_key="visitor", ip="10.0.0.1")


@override_settings(**GRACE, CONVERSATION_HEARTBEAT_SECONDS=5)
def test_a_swept_conversation_keeps_its_speaking_time_from_its_turns(alice: User) -> None:
    """The runtime records speaking time when it finishes, which a dead process never did: the
    sweep takes it from the stored turns' timings, as the figures do for such a conversation,
    so sums over `learner_seconds` (a teacher's evidence, the trends) count it too."""
    from lessons.selectors.figures import with_figures

    conversation = _active(alice, started=timedelta(hours=1), seen=timedelta(minutes=30))
    for speaker, started_ms, ended_ms, source in [
        ("tutor", 0, 4_000, "speech"),
        ("learner", 5_000, 7_500, "speech"),
        ("tutor", 8_000, 11_000, "speech"),
        ("learner", 60_000, 60_000, "typed"),  # typed: no speaking time
        ("learner", 61_000, 62_250, "speech"),
    ]:
        services.conversation_record_turn(
            conversation_id=conversation.pk,
            speaker=speaker,
            text="Hola",
            started_ms=started_ms,
            ended_ms=ended_ms,
            source=source,
        )
    Conversation.objects.filter(pk=conversation.pk).update(
        last_activity_at=timezone.now() - timedelta(minutes=30)
    )
    before = with_figures(Conversation.objects.filter(pk=conversation.pk)).get()
    assert conversations_sweep().ended == [conversation.pk]
    done = with_figures(Conversation.objects.filter(pk=conversation.pk)).get()
    assert (done.learner_seconds, done.tutor_seconds) == (3.75, 7.0)
    # The figures the pages show do not change: the same numbers, now stored.
    assert (before.learner_spoken, before.tutor_spoken) == (3.75, 7.0)
    assert (done.learner_spoken, done.tutor_spoken) == (3.75, 7.0)


@override_settings(**GRACE, CONVERSATION_HEARTBEAT_SECONDS=5)
def test_speaking_time_already_recorded_is_never_lowered(alice: User) -> None:
    conversation = _active(
        alice, started=timedelta(hours=1), seen=timedelta(hours=1), learner_seconds=42.0
    )
    services.conversation_record_turn(
        conversation_id=conversation.pk, speaker="learner", text="Hola", started_ms=0, ended_ms=500
    )
    Conversation.objects.filter(pk=conversation.pk).update(
        last_activity_at=timezone.now() - timedelta(hours=1)
    )
    conversations_sweep()
    assert Conversation.objects.get(pk=conversation.pk).learner_seconds == 42.0
