"""tutor/conversation/captions.py: the caption so far that partial transcripts carry, joined on
the server by the rule that joins the stored line, so the page never joins words itself."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tutor.conversation.captions import Captions
from tutor.live.events import Event, Transcript
from tutor.live.turns import TurnAssembler


def learner(text: str, line: int = 1) -> Transcript:
    return Transcript(speaker="learner", text=text, final=False, line=line)


def tutor(text: str) -> Transcript:
    return Transcript(speaker="tutor", text=text, final=False)


def test_a_caption_grows_with_spaces_only_where_the_fragments_lack_them() -> None:
    captions = Captions()
    grown = [captions.grow(learner(t)) for t in ("Hola,", "¿qué", " tal", "?")]
    assert grown == ["Hola,", "Hola, ¿qué", "Hola, ¿qué tal", "Hola, ¿qué tal?"]


def test_japanese_fragments_join_without_spaces() -> None:
    captions = Captions()
    assert [captions.grow(tutor(t)) for t in ("今日は", "いい天気")] == ["今日は", "今日はいい天気"]


def test_a_new_learner_line_starts_a_new_caption() -> None:
    captions = Captions()
    captions.grow(learner("Quiero un", line=1))
    assert captions.grow(learner("café", line=2)) == "café"


def test_the_speakers_captions_are_apart_and_settle_one_at_a_time() -> None:
    captions = Captions()
    captions.grow(learner("Yo tengo"))
    captions.grow(tutor("¡Qué"))
    assert captions.grow(tutor("bien!")) == "¡Qué bien!"
    captions.settle("tutor")
    assert captions.grow(tutor("Y tú")) == "Y tú"
    assert captions.grow(learner("veinte años")) == "Yo tengo veinte años"


fragment = st.text(alphabet=" ab,.?¿今日", max_size=6)


@given(heard=st.lists(fragment, min_size=1, max_size=8), spoken=st.lists(fragment, max_size=8))
def test_the_last_caption_of_a_line_is_the_line_that_is_stored(
    heard: list[str], spoken: list[str]
) -> None:
    """Fed what the bridge emits, as the runtime does: a final line (what the database keeps)
    shows exactly the caption the page had before it settled."""
    events: list[Event] = []
    turns = TurnAssembler(events.append)
    for text in heard:
        turns.learner_fragment(text)
    for text in spoken:
        turns.tutor_fragment(text)
    turns.turn_complete()
    captions, shown = Captions(), {"learner": "", "tutor": ""}
    for event in events:
        if isinstance(event, Transcript) and not event.final:
            shown[event.speaker] = captions.grow(event)
        elif isinstance(event, Transcript):
            assert event.text == shown[event.speaker]
            captions.settle(event.speaker)
