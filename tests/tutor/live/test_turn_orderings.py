"""TurnAssembler under the orderings the real service allows (docs/gemini-live.md §4.4, §10).

Hypothesis draws whole conversations: each exchange is a spoken utterance (its transcription
cut into pieces, some marked `finished`) or a typed line (echoed or not), answered by a reply
whose audio chunks, input pieces and notes fall in any order the protocol permits, pieces and
NON_BLOCKING notes even after turnComplete (then with or without a closing IDLE). On models
without `interactionStatus` (2.5, 3.1) pieces may come later still: after the learner's next
input has begun, while they are still speaking (google-gemini/cookbook#1328). A reply may be cut
by a lost connection, and what was not sent by then never comes. The learner's own speech
onset (`learner_speech`) comes before the pieces of the utterance it starts, and the utterance
ends (quiet in their audio) before the server transcribes it.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tutor.live.events import CorrectionNoted, Event, Transcript
from tutor.live.notes import join_fragments, normal
from tutor.live.turns import UTTERANCE_END_MS, UTTERANCE_END_S, TurnAssembler

WORDS = ["Me", "gusta", "leer", "libros", "y", "escuchar", "música.", "Ayer", "fui"]
Piece = tuple[str, bool]  # (text, finished)


class Clock:
    """Time for the assembler, moved on by the test: no test waits for real time to pass."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Exchange:
    typed: bool
    words: list[str]
    cuts: list[int]  # where the transcription is cut into pieces
    finished: bool
    echoed: bool  # typed only: the echo comes back
    chunks: int
    piece_slots: list[int]  # 0..chunks: around the audio; +1 after turnComplete; +2 next input
    note_slots: list[int]
    status: bool  # interactionStatus on turnComplete (3.8), or none (2.5, 3.1)
    lost: int | None  # the connection is lost before slot `lost`: nothing from there on
    resumable_false: bool  # the turn begins with `resumable: false` (the bridge asks for handles)

    @property
    def text(self) -> str:
        return " ".join(self.words)

    def pieces(self) -> list[Piece]:
        bounds = [0, *sorted(set(self.cuts)), len(self.words)]
        texts = [" ".join(self.words[a:b]) for a, b in itertools.pairwise(bounds)]
        texts = [t if i == 0 else " " + t for i, t in enumerate(texts) if t]
        return [(t, self.finished and i == len(texts) - 1) for i, t in enumerate(texts)]

    def heard(self) -> list[tuple[Piece, int]]:
        """The pieces that reach the bridge, with their slots."""
        if self.typed and not self.echoed:
            return []
        stop = self.chunks + 3 if self.lost is None else self.lost
        pairs = zip(self.pieces(), self.piece_slots, strict=True)
        return [(piece, at) for piece, at in pairs if at < stop]


@st.composite
def exchanges(draw: st.DrawFn) -> Exchange:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6))
    chunks = draw(st.integers(1, 3))
    status = draw(st.booleans())
    # Without interactionStatus, pieces may come after the next input began (chunks + 2).
    piece_slot = st.integers(0, chunks + (1 if status else 2))
    cuts = draw(st.lists(st.integers(1, max(1, len(words) - 1)), max_size=3))
    pieces = len(set(c for c in cuts if 0 < c < len(words))) + 1
    return Exchange(
        typed=draw(st.booleans()),
        words=words,
        cuts=[c for c in cuts if 0 < c < len(words)],
        finished=draw(st.booleans()),
        echoed=draw(st.booleans()),
        chunks=chunks,
        piece_slots=sorted(draw(st.lists(piece_slot, min_size=pieces, max_size=pieces))),
        note_slots=draw(st.lists(st.integers(0, chunks + 1), max_size=2)),
        status=status,
        lost=draw(st.none() | st.integers(1, chunks)),
        resumable_false=draw(st.booleans()),
    )


def play(
    turns: TurnAssembler, clock: Clock, k: int, ex: Exchange, carried: list[Piece]
) -> tuple[int | None, list[Piece]]:
    """Drive one exchange, beginning with the last one's very late pieces: (the typed line's
    id, this exchange's very late pieces)."""
    typed = turns.typed(ex.text) if ex.typed else None
    if not ex.typed:
        turns.learner_speech()
    for piece in carried:  # while the learner is still saying something new
        turns.learner_fragment(*piece)
    if not ex.typed:  # the utterance ends, then it is transcribed
        turns.learner_audio(UTTERANCE_END_MS)
        clock.now += UTTERANCE_END_S
    if ex.resumable_false:  # the server says its turn is under way (resumable: false)
        turns.server_turn_began()
    slots: dict[int, list[object]] = {}
    for piece, at in ex.heard():
        slots.setdefault(at, []).append(piece)
    for n, at in enumerate(ex.note_slots):
        if ex.lost is None or at < ex.lost:
            slots.setdefault(at, []).append(CorrectionNoted(f"o{k}.{n}", f"c{k}", "", "grammar"))

    def send(at: int) -> None:
        for item in slots.get(at, []):
            if isinstance(item, CorrectionNoted):
                turns.tool_call()
                turns.note(item)
            else:
                turns.learner_fragment(*item)  # type: ignore[misc]

    for chunk in range(ex.chunks if ex.lost is None else ex.lost):
        send(chunk)
        turns.tutor_audio(b"\x00\x00")
        turns.tutor_fragment(f" r{k}.{chunk}")
    if ex.lost is not None:
        turns.cut()
        return typed, []
    send(ex.chunks)
    late = bool(slots.get(ex.chunks + 1))
    turns.turn_complete(idle=ex.status and not late, in_progress=ex.status and late)
    send(ex.chunks + 1)
    if late and ex.status:  # IN_PROGRESS above, IDLE once the late items are out
        turns.turn_complete(idle=True)
    return typed, slots.get(ex.chunks + 2, [])  # type: ignore[return-value]


def _ambiguous(conversation: list[Exchange]) -> bool:
    """Very late pieces that could begin the echo of the line typed next cannot be told from
    it by their text: the one case no rule on the text settles (a piece of speech spelling
    the start of the next typed line, or a typed line's echo that the next one starts with)."""
    for ex, after in itertools.pairwise(conversation):
        late = [p for (p, _), at in ex.heard() if at == ex.chunks + 2]
        if not (late and after.typed):
            continue
        starts = [*late, ex.text] if ex.typed else late
        if any(normal(after.text).startswith(normal(p)) for p in starts):
            return True
    return False


@settings(max_examples=400, deadline=None)
@given(st.lists(exchanges(), min_size=1, max_size=5))
def test_one_line_per_utterance_one_per_reply_notes_on_their_line(
    conversation: list[Exchange],
) -> None:
    assume(not _ambiguous(conversation))
    events: list[Event] = []
    clock = Clock()
    turns = TurnAssembler(events.append, clock)
    carried: list[Piece] = []
    typed: list[int | None] = []
    for k, ex in enumerate(conversation):
        line, carried = play(turns, clock, k, ex, carried)
        typed.append(line)
    for piece in carried:  # the last exchange's very late pieces, after all
        turns.learner_fragment(*piece)
    line_of = _lines(conversation, events, typed)

    finals = [e for e in events if isinstance(e, Transcript) and e.final]
    learner = {}  # line -> its latest text
    order: list[int] = []  # learner lines and replies ("-1") in first-final order
    for e in finals:
        if e.speaker == "learner":
            assert e.line is not None
            if e.line not in learner:
                order.append(e.line)
            learner[e.line] = e.text
        else:
            order.append(-1)
    spoken = [(k, ex) for k, ex in enumerate(conversation) if not ex.typed and ex.heard()]
    # One line per spoken utterance, holding exactly its words (nothing lost, nothing doubled).
    assert {line_of[k]: join_fragments([p for (p, _), _ in ex.heard()]) for k, ex in spoken} == {
        line: text for line, text in learner.items() if text
    }
    # Typed lines are never emitted again (their echo is swallowed).
    assert not set(learner) & {line_of[k] for k, ex in enumerate(conversation) if ex.typed}
    # One tutor line per reply (cut short with the connection), each after the line it answers.
    assert [e.text for e in finals if e.speaker == "tutor"] == [
        join_fragments([f" r{k}.{c}" for c in range(ex.chunks if ex.lost is None else ex.lost)])
        for k, ex in enumerate(conversation)
    ]
    assert order == [x for k, ex in enumerate(conversation) for x in _expected(k, ex, line_of)]
    # Each note is about the line of its own exchange (one whose words never came: a line of
    # no other exchange).
    notes = [e for e in events if isinstance(e, CorrectionNoted)]
    expected = [
        k
        for k, ex in enumerate(conversation)
        for at in ex.note_slots
        if ex.lost is None or at < ex.lost
    ]
    assert [n.corrected for n in notes] == [f"c{k}" for k in expected]
    for note, k in zip(notes, expected, strict=True):
        others = {line for line in line_of if line is not None}
        assert note.line == line_of[k] if line_of[k] is not None else note.line not in others


def _lines(conversation: list[Exchange], events: list[Event], typed: list[int | None]) -> list:
    """The line id of each exchange: a typed line's from `typed`; spoken lines' in the order
    their words first appear (one input stream: an utterance's pieces come before the next's)."""
    seen: list[int] = []
    for e in events:
        if isinstance(e, Transcript) and e.line is not None and e.line not in seen:
            seen.append(e.line)
    spoken = iter(seen)
    return [
        typed[k] if ex.typed else next(spoken, None) if ex.heard() else None
        for k, ex in enumerate(conversation)
    ]


def _expected(k: int, ex: Exchange, line_of: list[int | None]) -> list[int]:
    line = line_of[k]
    return [-1] if ex.typed or line is None else [line, -1]


@dataclass
class Cut:
    """One exchange of a conversation where the learner talks over the tutor: its reply may be
    cut after `cut_after` chunks by the next line (typed, or spoken and transcribed at once),
    and the next reply's NON_BLOCKING notes may come before the cut reply's turnComplete."""

    typed: bool
    chunks: int
    cut_after: int | None  # the next line barges in after this many chunks (None: no barge-in)
    early_notes: int  # notes of THIS exchange's reply sent before the cut reply's turnComplete
    notes: int  # notes of this exchange's reply sent during its own reply


@st.composite
def cuts(draw: st.DrawFn) -> Cut:
    chunks = draw(st.integers(1, 3))
    return Cut(
        typed=draw(st.booleans()),
        chunks=chunks,
        cut_after=draw(st.none() | st.integers(1, chunks)),
        early_notes=draw(st.integers(0, 2)),
        notes=draw(st.integers(0, 2)),
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(cuts(), min_size=2, max_size=5))
def test_notes_after_a_barge_in_are_about_the_line_that_barged_in(
    conversation: list[Cut],
) -> None:
    events: list[Event] = []
    clock = Clock()
    turns = TurnAssembler(events.append, clock)
    lines: list[int] = []

    def say(k: int, ex: Cut) -> None:
        if ex.typed:
            lines.append(turns.typed(f"typed {k}"))
            return
        turns.learner_speech()
        turns.learner_audio(UTTERANCE_END_MS)
        clock.now += UTTERANCE_END_S
        turns.learner_fragment(f"spoken {k}", finished=True)
        lines.append(next(e.line for e in reversed(events) if isinstance(e, Transcript)))

    def notes(k: int, count: int, tag: str) -> None:
        for n in range(count):
            turns.tool_call()
            turns.note(CorrectionNoted(f"{tag}{k}.{n}", f"c{k}", "", "grammar"))

    said = [False] * len(conversation)
    for k, ex in enumerate(conversation):
        if not said[k]:
            say(k, ex)
            notes(k, ex.early_notes, "e")  # no barge-in: before its own reply
        for chunk in range(ex.chunks):
            turns.tutor_audio(b"\x00\x00")
            turns.tutor_fragment(f" r{k}.{chunk}")
            if chunk == 0:
                notes(k, ex.notes, "n")  # NON_BLOCKING: while the tutor speaks
            if ex.cut_after == chunk + 1 and k + 1 < len(conversation):
                after = conversation[k + 1]
                if not after.typed:
                    turns.learner_speech()  # the server hears it and cuts the reply
                turns.barge_in()
                say(k + 1, after)
                notes(k + 1, after.early_notes, "e")  # before the cut reply's turnComplete
                said[k + 1] = True
                break
        turns.turn_complete()
    noted = [e for e in events if isinstance(e, CorrectionNoted)]
    assert [n.line for n in noted] == [lines[int(n.corrected[1:])] for n in noted]
    assert len(noted) == sum(ex.notes + ex.early_notes for ex in conversation)
