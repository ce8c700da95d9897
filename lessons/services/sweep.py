"""Ending conversations left `active` with nobody behind them.

A conversation's runtime lives in one server process, and finishes the conversation itself
when its page leaves and does not come back within the reconnect grace (`abandoned`). Two
cases have no runtime to do that: the process was killed (a deploy, a crash, the OOM killer),
or no page ever connected (a conversation or trial page opened and left before starting). The
runtime writes `last_activity_at` on a heartbeat while a page is connected and with every
stored turn, so a conversation whose last sign of life is older than the reconnect grace plus
a margin has no process behind it anywhere, and is ended here: `interrupted` if something had
happened in it, `abandoned` if nothing ever did. Its turns stay; `ended_at` is its last sign of
life, so its length counts only the time something was still happening (none, for a page that
never started).

Every server sweeps as it starts and then every SWEEP_EVERY_SECONDS (tutor/startup.py);
`manage.py sweep_conversations` sweeps on demand.

A swept conversation's speaking time was never recorded (the runtime records it when it
finishes): the sweep takes it from the timings of its stored turns, the same fallback the
figures use (`lessons.selectors.figures`), so the teacher's evidence and every sum over
`learner_seconds` count it too.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from lessons.models import Conversation, GroupMember, GroupRoom, Turn

INTERRUPTED = "interrupted"  # a process died under it
ABANDONED = "abandoned"  # its page left (or never connected) and nobody came back


# A group room (docs/groups.md) none of whose members' conversations is active any more, and
# in which nothing has happened for this long, is ended: nobody is coming back to it. Long
# enough for a teacher to open a room before the class arrives.
ROOM_IDLE = timedelta(hours=1)


@dataclass
class SweepReport:
    ended: list[UUID] = field(default_factory=list)
    cutoff: datetime | None = None
    rooms_ended: list[UUID] = field(default_factory=list)


def stale_after() -> timedelta:
    """How long an active conversation may go without a sign of life. The margin is at least
    three heartbeats, so a runtime in another process, beating, is never taken for dead."""
    margin = max(settings.SWEEP_MARGIN_SECONDS, 3 * settings.CONVERSATION_HEARTBEAT_SECONDS)
    return timedelta(seconds=settings.RECONNECT_GRACE_SECONDS + margin)


def conversations_sweep(
    *, live: Collection[UUID] = (), dry_run: bool = False, now: datetime | None = None
) -> SweepReport:
    """End every stale active conversation except those in `live` (this process's runtimes)."""
    now = now or timezone.now()
    cutoff = now - stale_after()
    report = SweepReport(cutoff=cutoff)
    candidates = _stale(cutoff).exclude(pk__in=list(live)).values_list("pk", flat=True)
    for pk in list(candidates):
        if dry_run or _end(pk, cutoff):
            report.ended.append(pk)
    if not dry_run:
        report.rooms_ended = group_rooms_sweep(now=now)
    return report


def group_rooms_sweep(*, now: datetime | None = None) -> list[UUID]:
    """End the open group rooms nobody is in any more: no member's conversation is active and
    the last sign of life in the room (a member's, else its opening) is older than ROOM_IDLE.
    Their members' conversations were already ended (by the sweep or the runtime)."""
    now = now or timezone.now()
    active = Conversation.objects.filter(
        group_member__room=OuterRef("pk"), status=Conversation.Status.ACTIVE
    )
    idle = (
        GroupRoom.objects.filter(status=GroupRoom.Status.OPEN)
        .annotate(seen=Coalesce(Max("members__conversation__last_activity_at"), "created_at"))
        .filter(~Exists(active), seen__lt=now - ROOM_IDLE)
    )
    ended = []
    for pk in list(idle.values_list("pk", flat=True)):
        with transaction.atomic():
            changed = GroupRoom.objects.filter(pk=pk, status=GroupRoom.Status.OPEN).update(
                status=GroupRoom.Status.ENDED, ended_at=now
            )
            GroupMember.objects.filter(room_id=pk, left_at=None).update(left_at=now)
        if changed:
            ended.append(pk)
    return ended


def _stale(cutoff: datetime) -> QuerySet[Conversation]:
    return (
        Conversation.objects.filter(status=Conversation.Status.ACTIVE)
        .annotate(seen=_last_seen())
        .filter(seen__lt=cutoff)
    )


def _last_seen() -> Coalesce:
    # Rows from before the heartbeat column existed fall back to their last turn, then start.
    return Coalesce("last_activity_at", Max("turns__created_at"), "started_at")


@transaction.atomic
def _end(pk: UUID, cutoff: datetime) -> bool:
    """Finish one conversation if it is still stale under a row lock: another process may have
    finished it, or its runtime may have beaten, since the candidates were listed."""
    locked = Conversation.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
    if locked is None or locked.status != Conversation.Status.ACTIVE:
        return False
    seen = _stale(cutoff).filter(pk=pk).values_list("seen", flat=True).first()  # type: ignore[misc]
    if seen is None:
        return False
    untouched = locked.last_activity_at is None and not locked.turns.exists()
    locked.status = Conversation.Status.ENDED
    locked.end_reason = ABANDONED if untouched else INTERRUPTED
    locked.ended_at = max(seen, locked.started_at)
    spoken = _spoken_seconds(pk)
    locked.learner_seconds = max(locked.learner_seconds, spoken.get(Turn.Speaker.LEARNER, 0.0))
    locked.tutor_seconds = max(locked.tutor_seconds, spoken.get(Turn.Speaker.TUTOR, 0.0))
    locked.save(
        update_fields=["status", "end_reason", "ended_at", "learner_seconds", "tutor_seconds"]
    )
    return True


def _spoken_seconds(pk: UUID) -> dict[str, float]:
    """Seconds each speaker spoke, from the timings of the stored turns."""
    rows = (
        Turn.objects.filter(conversation_id=pk)
        .order_by()
        .values_list("speaker")
        .annotate(ms=Sum(F("ended_ms") - F("started_ms")))
    )
    return {speaker: (ms or 0) / 1000 for speaker, ms in rows}


def conversation_heartbeat(*, conversation_id: UUID) -> None:
    """A sign of life from a runtime or a stored turn: one UPDATE of one indexed row."""
    Conversation.objects.filter(pk=conversation_id, status=Conversation.Status.ACTIVE).update(
        last_activity_at=timezone.now()
    )
