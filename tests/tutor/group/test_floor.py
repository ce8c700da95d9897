"""The floor (tutor/group/floor.py): one rule per test, then invariants over random rooms."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.group.floor import (
    BUFFER_MS,
    CLAIM_MS,
    HOLD_MS,
    MAX_HOLD_MS,
    AudioDropped,
    Chunk,
    Floor,
    FloorGranted,
    FloorReleased,
    QueueChanged,
    Step,
    is_voiced,
)

ANA, BEA, CIRO = 1, 2, 3


def tone(dbfs: float, ms: int = 20) -> bytes:
    """A 220 Hz sine whose RMS is `dbfs`, as 16 kHz PCM16."""
    t = np.arange(16 * ms) / 16000
    amplitude = 32768 * 10 ** (dbfs / 20) * np.sqrt(2)
    return (amplitude * np.sin(2 * np.pi * 220 * t)).astype(np.int16).tobytes()


def tag(member: int, start_ms: int) -> bytes:
    """A frame whose bytes say whose it is and when it started, for tracing forwarded audio."""
    return f"{member}@{start_ms:08d};".encode().ljust(640, b".")


class Room:
    """Feeds a Floor 20 ms at a time and records every step."""

    def __init__(self, floor: Floor | None = None) -> None:
        self.floor = floor or Floor()
        self.now = 0
        self.steps: list[Step] = []

    def talk(self, ms: int, **voiced: bool) -> None:
        """`ms` of audio: each named member (ana, bea, ciro) voiced or silent; members not
        named send nothing."""
        ids = {"ana": ANA, "bea": BEA, "ciro": CIRO}
        for _ in range(ms // 20):
            for name, is_on in voiced.items():
                member = ids[name]
                self.steps.append(self.floor.voice(member, is_on, self.now, tag(member, self.now)))
            self.now += 20

    def record(self, step: Step) -> None:
        self.steps.append(step)

    def events(self, kind: type) -> list:
        return [e for s in self.steps for e in s.events if isinstance(e, kind)]

    def forwarded(self, member: int | None = None) -> list[Chunk]:
        return [c for s in self.steps for c in s.forward if member in (None, c.member_id)]


def test_voice_activity_from_energy_matches_the_threshold() -> None:
    assert is_voiced(tone(-30))
    assert is_voiced(tone(-39.5))
    assert not is_voiced(tone(-41))
    assert not is_voiced(bytes(640))
    assert not is_voiced(b"")
    floor = Floor()
    for t in range(0, CLAIM_MS, 20):
        floor.frame(ANA, tone(-25), t)
    assert floor.holder == ANA


def test_a_free_floor_goes_to_the_first_sustained_speaker_with_their_first_words() -> None:
    room = Room()
    room.talk(180, ana=True, bea=False)
    assert room.floor.holder is None  # 180 ms is not yet sustained speech
    room.talk(20, ana=True, bea=False)
    assert room.floor.holder == ANA
    assert room.events(FloorGranted) == [FloorGranted(ANA, 200, 200)]
    # the onset is not lost: all ten frames went up, oldest first
    assert [c.pcm[:11] for c in room.forwarded()] == [tag(ANA, t)[:11] for t in range(0, 200, 20)]


def test_a_back_channel_is_neither_forwarded_nor_queued() -> None:
    room = Room()
    room.talk(400, ana=True, bea=False)
    room.talk(160, ana=True, bea=True)  # "sí, sí": 160 ms
    room.talk(800, ana=True, bea=False)
    assert room.floor.holder == ANA
    assert room.floor.queue == ()
    assert room.forwarded(BEA) == []
    assert room.events(QueueChanged) == []
    # and on a free floor a back-channel claims nothing either
    quiet = Room()
    quiet.talk(100, ana=True)
    quiet.talk(600, ana=False)
    assert quiet.floor.holder is None and quiet.forwarded() == []


def test_the_holder_keeps_the_floor_through_pauses_shorter_than_the_hold() -> None:
    room = Room()
    room.talk(300, ana=True, bea=False)
    room.talk(HOLD_MS - 320, ana=False, bea=False)
    room.talk(300, ana=False, bea=True)  # Bea starts while Ana is thinking
    assert room.floor.holder == ANA
    assert room.floor.queue == (BEA,)
    room.talk(300, ana=True, bea=False)
    assert room.floor.holder == ANA
    assert room.events(FloorReleased) == []


def test_after_the_hold_the_floor_passes_to_the_queue_with_their_buffered_words_first() -> None:
    room = Room()
    room.talk(400, ana=True, bea=False)
    room.talk(500, ana=True, bea=True)  # overlap: Bea is queued, not mixed in
    assert room.floor.queue == (BEA,)
    assert room.forwarded(BEA) == []
    room.talk(HOLD_MS + 20, ana=False, bea=False)
    assert room.floor.holder == BEA
    released, granted = room.events(FloorReleased), room.events(FloorGranted)
    assert released == [FloorReleased(ANA, 400 + 500 + HOLD_MS, "pause")]
    assert granted[-1].member_id == BEA and granted[-1].buffered_ms >= 500
    bea = [c.pcm[:11] for c in room.forwarded(BEA)]
    # Bea's words from their first frame, in order, then her live (silent) frames
    assert bea[:25] == [tag(BEA, t)[:11] for t in range(400, 900, 20)]
    queues = [e.queue for e in room.events(QueueChanged)]
    assert queues == [(BEA,), ()]


def test_claims_are_served_first_come_first_served() -> None:
    room = Room()
    room.talk(300, ana=True, bea=False, ciro=False)
    room.talk(300, ana=True, bea=False, ciro=True)
    room.talk(300, ana=True, bea=True, ciro=True)
    assert room.floor.queue == (CIRO, BEA)
    room.talk(HOLD_MS + 20, ana=False, bea=False, ciro=False)
    assert room.floor.holder == CIRO
    room.talk(HOLD_MS + 20, ana=False, bea=False, ciro=False)
    assert room.floor.holder == BEA


def test_an_open_line_freezes_the_floor_until_it_closes() -> None:
    room = Room()
    room.talk(300, ana=True, bea=False)
    room.record(room.floor.line_open(True, room.now))
    room.talk(300, ana=False, bea=True)
    room.talk(HOLD_MS * 2, ana=False, bea=False)
    assert room.floor.holder == ANA  # the hold ran out, but Ana's line is still open
    assert room.forwarded(BEA) == []
    step = room.floor.line_open(False, room.now)
    room.record(step)
    assert [type(e) for e in step.events] == [FloorReleased, QueueChanged, FloorGranted]
    assert room.floor.holder == BEA
    assert step.forward and {c.member_id for c in step.forward} == {BEA}


def test_a_free_floor_is_not_granted_while_a_line_is_open() -> None:
    room = Room()
    room.talk(300, ana=True)
    room.record(room.floor.line_open(True, room.now))
    room.record(room.floor.leave(ANA, room.now))
    assert room.floor.holder is None
    room.talk(300, bea=True)
    assert room.floor.holder is None and room.floor.queue == (BEA,)
    room.record(room.floor.line_open(False, room.now))
    assert room.floor.holder == BEA


def test_members_leaving_drop_out_of_the_holders_seat_and_the_queue() -> None:
    room = Room()
    room.talk(300, ana=True, bea=False, ciro=False)
    room.talk(300, ana=True, bea=True, ciro=True)
    assert room.floor.queue == (BEA, CIRO)
    step = room.floor.leave(BEA, room.now)
    assert step.events == [QueueChanged((CIRO,), room.now)]
    step = room.floor.leave(ANA, room.now)
    assert step.events[0] == FloorReleased(ANA, room.now, "left")
    assert room.floor.holder == CIRO and room.floor.queue == ()
    assert {c.member_id for c in step.forward} == {CIRO}


def test_a_long_holder_gives_way_at_a_short_pause_once_someone_waits() -> None:
    room = Room()
    # Ana talks in 2 s sentences with 300 ms pauses: shorter than the hold, so she keeps it
    while room.now < MAX_HOLD_MS + 2000:
        room.talk(2000, ana=True, bea=False)
        room.talk(300, ana=False, bea=False)
    assert room.floor.holder == ANA
    room.talk(400, ana=True, bea=True)  # Bea asks for the floor
    room.talk(1000, ana=True, bea=False)
    assert room.floor.holder == ANA  # not mid-sentence
    room.talk(300, ana=False, bea=False)
    assert room.floor.holder == BEA
    assert room.events(FloorReleased)[-1].reason == "max_hold"


def test_a_queued_speakers_buffer_is_bounded_oldest_dropped_and_counted() -> None:
    room = Room()
    room.talk(300, ana=True, bea=False)
    room.talk(5000, ana=True, bea=True)
    dropped = sum(e.ms for e in room.events(AudioDropped) if e.member_id == BEA)
    assert dropped == 5000 - BUFFER_MS
    assert room.floor.dropped_ms == {BEA: dropped}
    room.talk(HOLD_MS + 20, ana=False, bea=True)  # she goes on talking while Ana pauses
    granted = room.events(FloorGranted)[-1]
    assert granted.member_id == BEA and granted.buffered_ms == BUFFER_MS
    bea = room.forwarded(BEA)
    # the newest three seconds survived, oldest first
    assert bea[0].pcm[:11] == tag(BEA, granted.at_ms - BUFFER_MS)[:11]
    assert room.floor.dropped_ms == {BEA: 5000 + HOLD_MS - BUFFER_MS}


def test_a_queued_speakers_long_silence_does_not_push_out_their_words() -> None:
    room = Room()
    room.talk(300, ana=True, bea=False)
    room.talk(1000, ana=True, bea=True)
    room.talk(20_000, ana=True, bea=False)  # Bea waits quietly for 20 s
    room.talk(HOLD_MS + 20, ana=False, bea=False)
    assert room.floor.holder == BEA
    assert room.floor.dropped_ms == {}
    voiced_tags = {tag(BEA, t)[:11] for t in range(300, 1300, 20)}
    assert voiced_tags <= {c.pcm[:11] for c in room.forwarded(BEA)}


def test_talk_time_counts_the_voiced_audio_each_member_had_forwarded() -> None:
    room = Room()
    room.talk(1000, ana=True, bea=False)
    room.talk(500, ana=False, bea=False)
    room.talk(400, ana=True, bea=False)
    room.talk(HOLD_MS + 20, ana=False, bea=False)
    room.talk(600, ana=False, bea=True)
    assert room.floor.talk_ms == {ANA: 1400, BEA: 600}


def test_a_silent_socket_loses_the_floor_on_a_tick() -> None:
    floor = Floor()
    for t in range(0, 300, 20):
        floor.voice(ANA, True, t)
    assert floor.tick(300 + HOLD_MS - 20).events == []
    assert floor.tick(300 + HOLD_MS).events == [FloorReleased(ANA, 300 + HOLD_MS, "pause")]


# -- invariants over random rooms ---------------------------------------------------------

# A member's 20 ms frames: runs of voiced and silent frames of random lengths, so that bursts
# shorter and longer than the claim threshold and pauses shorter and longer than the hold all
# occur.
runs = st.lists(st.tuples(st.booleans(), st.integers(1, 90)), min_size=1, max_size=12)
events = st.lists(
    st.tuples(st.integers(0, 2000), st.sampled_from(["open", "close", "leave"]), st.integers(1, 4)),
    max_size=6,
)


def expand(member_runs: list[tuple[bool, int]]) -> list[bool]:
    return [voiced for voiced, n in member_runs for _ in range(n)]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(runs, min_size=2, max_size=4),
    events,
    st.integers(3000, 40_000),
    st.integers(600, 3000),
)
def test_invariants_hold_in_any_room(
    member_runs: list[list[tuple[bool, int]]],
    room_events: list[tuple[int, str, int]],
    max_hold_ms: int,
    buffer_ms: int,
) -> None:
    floor = Floor(max_hold_ms=max_hold_ms, buffer_ms=buffer_ms)
    frames = {m + 1: expand(r) for m, r in enumerate(member_runs)}
    length = max(len(f) for f in frames.values())
    left: set[int] = set()
    steps: list[Step] = []
    line_is_open = False
    by_frame = {i: (what, who) for i, what, who in room_events if i < length}
    end = length + (len(frames) + 1) * 2 * HOLD_MS // 20  # time for every queued member
    for i in range(end):
        now = i * 20
        if i in by_frame:
            what, who = by_frame[i]
            if what == "leave" and who in frames:
                left.add(who)
                steps.append(floor.leave(who, now))
            elif what != "leave":
                line_is_open = what == "open"
                steps.append(floor.line_open(line_is_open, now))
        if i == length:
            line_is_open = False
            steps.append(floor.line_open(False, now))  # the room drains with lines closed
        for member, voiced in frames.items():
            if member in left:
                continue
            is_on = voiced[i] if i < len(voiced) else False
            step = floor.voice(member, is_on, now, tag(member, now) + (b"V" if is_on else b"s"))
            steps.append(step)
            # only the holder's audio is forwarded
            assert {c.member_id for c in step.forward} <= {floor.holder}
            # while the holder's line is open the floor does not change
            if line_is_open:
                assert not [e for e in step.events if isinstance(e, (FloorGranted, FloorReleased))]
        # at most one holder, never also waiting in the queue
        assert floor.holder not in floor.queue
        assert len(set(floor.queue)) == len(floor.queue)

    # forwarded audio is never interleaved: after one member's audio, another's comes only
    # once the floor was granted to them
    last_member: int | None = None
    fresh_grant: int | None = None
    for s in steps:
        for e in s.events:
            if isinstance(e, FloorGranted):
                fresh_grant = e.member_id
            elif isinstance(e, FloorReleased) and e.member_id == last_member:
                last_member = None
        for chunk in s.forward:
            if chunk.member_id != last_member:
                assert fresh_grant == chunk.member_id
                fresh_grant, last_member = None, chunk.member_id

    # each member's forwarded frames are in time order, each at most once
    forwarded: dict[int, list[int]] = {}
    for s in steps:
        for chunk in s.forward:
            forwarded.setdefault(chunk.member_id, []).append(int(chunk.pcm.split(b"@")[1][:8]))
    for times in forwarded.values():
        assert times == sorted(times) and len(times) == len(set(times))

    # no sustained speech is lost unless the bound dropped it, and then it was counted
    for member, voiced in frames.items():
        if member in left:
            continue
        sent = set(forwarded.get(member, []))
        lost = [i * 20 for i in sustained(voiced, CLAIM_MS // 20) if i * 20 not in sent]
        assert len(lost) * 20 <= floor.dropped_ms.get(member, 0)


def sustained(voiced: list[bool], frames: int) -> list[int]:
    """Indices of voiced frames inside a run of at least `frames` consecutive voiced ones."""
    out: list[int] = []
    run: list[int] = []
    for i, v in enumerate([*voiced, False]):
        if v:
            run.append(i)
            continue
        if len(run) >= frames:
            out.extend(run)
        run = []
    return out
