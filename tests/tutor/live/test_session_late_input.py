"""LiveTutor against the realistic emulator where the models differ (docs/gemini-live.md §10):
late transcription on models without `interactionStatus`, the scheduling of tool answers,
and a proactive model that waits for more input. Real SDK over TLS, nothing reaches Google."""

from __future__ import annotations

import pytest

from tests.audio import encode, tone_array
from tests.fakes import until
from tests.tutor.live.test_session_emulator import connected
from tutor.audio.resample import is_silence
from tutor.emulator import Emulator
from tutor.emulator.behaviour import Behaviour
from tutor.emulator.voice import synthesize
from tutor.live.events import Event, Transcript, TurnComplete
from tutor.live.session import LiveTutor

SENTENCE = "Me gusta mucho el cafe"  # one burst of speech: one utterance for the VAD


def speech(text: str = SENTENCE) -> bytes:
    return synthesize(text, "es", 16000) + bytes(32000)  # and one second of quiet


async def speak(tutor: LiveTutor, pcm: bytes) -> None:
    """As the runtime does: speech in a frame is reported before the frame goes upstream."""
    for start in range(0, len(pcm), 640):
        frame = pcm[start : start + 640]
        if not is_silence(frame, threshold_dbfs=-45.0):
            tutor.heard_speech()
        await tutor.send_audio(frame)


def lines(events: list[Event]) -> list[str]:
    """Each learner line's latest text (a late piece amends its line), in order."""
    latest: dict[int | None, str] = {}
    for e in events:
        if isinstance(e, Transcript) and e.speaker == "learner" and e.final:
            latest[e.line] = e.text
    return list(latest.values())


# Seeds whose draws put some input pieces after turnComplete in these three exchanges.
@pytest.mark.parametrize("seed", [6, 13, 36])
async def test_late_pieces_that_arrive_while_the_next_line_is_spoken_stay_in_their_line(
    seed: int,
) -> None:
    """3.1 sends no interactionStatus; here every piece drawn for after turnComplete waits for
    the learner's next input (google-gemini/cookbook#1328 saw it arrive during the next burst
    of speech, 24 times out of 24)."""
    behaviour = Behaviour(seed=seed, deferred_chance=1.0, late_seconds=30.0)
    async with Emulator(pace=0, silence_ms=300, behaviour=behaviour) as emu:
        tutor, stream = await connected(emu, model="gemini-3.1-flash-live-preview")
        events = await until(stream, TurnComplete)
        for _ in range(3):  # each spoken right after the last reply ends
            await speak(tutor, speech())
            events += await until(stream, TurnComplete)
        await tutor.send_text("Adiós")  # the next input: what is still held comes now
        events += await until(stream, TurnComplete)
        record = emu.sessions[0]
        await tutor.close()
    assert record.deferred_pieces > 0  # the case under test did happen
    assert lines(events) == record.learner_turns[:-1]  # the typed "Adiós" is not a line


async def test_the_bridge_answers_silently_so_the_tutor_never_speaks_about_a_note() -> None:
    """On 3.8 calls are NON_BLOCKING and the default scheduling (WHEN_IDLE) would make the
    tutor speak again about each note; the bridge asks for SILENT."""
    async with Emulator(pace=0, silence_ms=300, behaviour=Behaviour(seed=3)) as emu:
        tutor, stream = await connected(emu)
        await until(stream, TurnComplete)
        await speak(tutor, speech())
        await until(stream, TurnComplete)
        await tutor.send_text("Yo soy cansado hoy")
        await until(stream, TurnComplete)
        record = emu.sessions[0]
        await tutor.close()
    assert record.tool_calls_sent  # the script corrected something
    assert {r["scheduling"] for r in record.tool_responses} == {"SILENT"}
    assert len(record.tutor_turns) == 3  # the greeting and two replies, nothing more


async def test_a_sound_too_short_to_answer_is_no_line_and_the_next_words_are_one() -> None:
    """3.8 (proactive audio) does not answer a short sound: turnComplete with
    turnCompleteReason NEED_MORE_INPUT and nothing else. No line, no reply is stored for it."""
    cough = encode(tone_array(300, 0.12, 16000)) + bytes(16000)
    async with Emulator(pace=0, silence_ms=300, behaviour=Behaviour(seed=3)) as emu:
        tutor, stream = await connected(emu, model="gemini-3.8-live")
        events = await until(stream, TurnComplete)
        await speak(tutor, cough)
        await speak(tutor, speech())
        events += await until(stream, TurnComplete)
        record = emu.sessions[0]
        await tutor.close()
    assert lines(events) == record.learner_turns  # one line, the sentence's
    assert len(record.tutor_turns) == 2  # the greeting and one reply
    finals = [e for e in events if isinstance(e, Transcript) and e.final and e.speaker == "tutor"]
    assert [e.text for e in finals] == record.tutor_turns


async def test_a_short_sound_is_answered_where_the_model_is_not_proactive() -> None:
    cough = encode(tone_array(300, 0.12, 16000)) + bytes(16000)
    async with Emulator(pace=0, silence_ms=300, behaviour=Behaviour(seed=3)) as emu:
        tutor, stream = await connected(emu, model="gemini-3.1-flash-live-preview")
        await until(stream, TurnComplete)
        await speak(tutor, cough)
        await until(stream, TurnComplete)
        record = emu.sessions[0]
        await tutor.close()
    assert len(record.tutor_turns) == 2
