"""TurnAssembler under the orderings the real service allows (docs/gemini-live.md §4.4, §10).

Hypothesis draws whole conversations: each exchange is a spoken utterance (its transcription
cut into pieces, some marked `finished`) or a typed line (echoed or not), answered by a reply
whose audio chunks, input pieces and notes fall in any order the protocol permits, pieces and
NON_BLOCKING notes even after turnComplete (then with or without a closing IDLE). The learner's
own speech onset (`learner_speech`) comes before the pieces of the utterance it starts.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.live.events import CorrectionNoted, Event, Transcript
from tutor.live.notes import join_fragments
from tutor.live.turns import TurnAssembler

WORDS = ["Me", "gusta", "leer", "libros", "y", "escuchar", "música.", "Ayer", "fui"]


@dataclass
class Exchange:
    typed: bool
    words: list[str]
    cuts: list[int]  # where the transcription is cut into pieces
    finished: bool
    echoed: bool  # typed only: the echo comes back
    chunks: int
    piece_slots: list[int]
    note_slots: list[int]
    status: bool  # interactionStatus on turnComplete (3.8), or none (2.5, 3.1)

    @property
    def text(self) -> str:
        return " ".join(self.words)

    def pieces(self) -> list[tuple[str, bool]]:
        bounds = [0, *sorted(set(self.cuts)), len(self.words)]
        texts = [" ".join(self.words[a:b]) for a, b in itertools.pairwise(bounds)]
        texts = [t if i == 0 else " " + t for i, t in enumerate(texts) if t]
        return [(t, self.finished and i == len(texts) - 1) for i, t in enumerate(texts)]


@st.composite
def exchanges(draw: st.DrawFn) -> Exchange:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=6))
    chunks = draw(st.integers(1, 3))
    slot = st.integers(0, chunks + 1)
    cuts = draw(st.lists(st.integers(1, max(1, len(words) - 1)), max_size=3))
    pieces = len(set(c for c in cuts if 0 < c < len(words))) + 1
    return Exchange(
        typed=draw(st.booleans()),
        words=words,
        cuts=[c for c in cuts if 0 < c < len(words)],
        finished=draw(st.booleans()),
        echoed=draw(st.booleans()),
        chunks=chunks,
        piece_slots=sorted(draw(st.lists(slot, min_size=pieces, max_size=pieces))),
        note_slots=draw(st.lists(slot, max_size=2)),
        status=draw(st.booleans()),
    )


def play(turns: TurnAssembler, k: int, ex: Exchange) -> int | None:
    """Drive one exchange; return the typed line's id (spoken lines get theirs from events)."""
    typed_id = turns.typed(ex.text) if ex.typed else None
    if not ex.typed:
        turns.learner_speech()
    slots: dict[int, list[object]] = {}
    if not ex.typed or ex.echoed:
        for (text, fin), at in zip(ex.pieces(), ex.piece_slots, strict=True):
            slots.setdefault(at, []).append((text, fin))
    for n, at in enumerate(ex.note_slots):
        slots.setdefault(at, []).append(CorrectionNoted(f"o{k}.{n}", f"c{k}", "", "grammar"))

    def send(at: int) -> None:
        for item in slots.get(at, []):
            if isinstance(item, CorrectionNoted):
                turns.tool_call()
                turns.note(item)
            else:
                turns.learner_fragment(*item)  # type: ignore[misc]

    send(0)
    for chunk in range(ex.chunks):
        if chunk:
            send(chunk)
        turns.tutor_audio(b"\x00\x00")
        turns.tutor_fragment(f" r{k}.{chunk}")
    send(ex.chunks)
    late = bool(slots.get(ex.chunks + 1))
    turns.turn_complete(idle=ex.status and not late)
    send(ex.chunks + 1)
    if late and ex.status:  # IN_PROGRESS above, IDLE once the late items are out
        turns.turn_complete(idle=True)
    return typed_id


@settings(max_examples=300, deadline=None)
@given(st.lists(exchanges(), min_size=1, max_size=5))
def test_one_line_per_utterance_one_per_reply_notes_on_their_line(
    conversation: list[Exchange],
) -> None:
    events: list[Event] = []
    turns = TurnAssembler(events.append)
    line_of: list[int | None] = []
    for k, ex in enumerate(conversation):
        start = len(events)
        typed_id = play(turns, k, ex)
        if typed_id is not None:
            line_of.append(typed_id)
            continue
        ids = [e.line for e in events[start:] if isinstance(e, Transcript) and e.line is not None]
        line_of.append(ids[0] if ids else None)

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
    spoken = [(k, ex) for k, ex in enumerate(conversation) if not ex.typed]
    # One line per spoken utterance, holding exactly its words (nothing lost, nothing doubled).
    assert {line_of[k]: join_fragments([ex.text]) for k, ex in spoken} == {
        line: text for line, text in learner.items() if text
    }
    # Typed lines are never emitted again (their echo is swallowed).
    assert not set(learner) & {line_of[k] for k, ex in enumerate(conversation) if ex.typed}
    # One tutor line per reply, each after the learner line it answers.
    assert [e.text for e in finals if e.speaker == "tutor"] == [
        join_fragments([f" r{k}.{c}" for c in range(ex.chunks)])
        for k, ex in enumerate(conversation)
    ]
    assert order == [x for k, ex in enumerate(conversation) for x in _expected(k, ex, line_of)]
    # Each note is about the line of its own exchange.
    notes = [e for e in events if isinstance(e, CorrectionNoted)]
    assert [(n.corrected, n.line) for n in notes] == [
        (f"c{k}", line_of[k]) for k, ex in enumerate(conversation) for _ in ex.note_slots
    ]


def _expected(k: int, ex: Exchange, line_of: list[int | None]) -> list[int]:
    line = line_of[k]
    return [-1] if ex.typed or line is None else [line, -1]
