"""A teacher's role-play played by the emulator through the real SDK over TLS: the scene comes
from the system instruction the bridge would send, nothing else."""

from __future__ import annotations

from tests.tutor.emulator.conftest import (
    MODEL,
    live_config,
    make_client,
    next_turn,
    say,
    silence,
    speech,
)
from tests.tutor.emulator.test_roleplay import PHARMACY, instruction
from tutor.emulator import Emulator
from tutor.emulator.roleplay import kana, lines_for
from tutor.emulator.turns import WPM
from tutor.emulator.voice import synthesize
from tutor.prompts import LearnerBrief, opener_text

OPENER = opener_text(learner=LearnerBrief("Alice", "es", "en", "A1", "recast"), topic=PHARMACY)


async def test_the_emulator_plays_a_teachers_role_play_from_the_instruction_alone(
    orderly_emulator: Emulator,
) -> None:
    emulator = orderly_emulator  # the whole transcription first, so each turn reads whole
    # A contrary languageCode: the instruction alone decides (docs/gemini-live.md §6).
    config = live_config(language_code="fr-FR", instruction=instruction(PHARMACY))
    phrases = PHARMACY.target_phrases
    async with make_client(emulator).aio.live.connect(model=MODEL, config=config) as s:
        await s.send_realtime_input(text=OPENER)
        greeting = await next_turn(s)
        turns = []
        for _ in range(len(phrases) + 1):
            await say(s, speech("Hola, buenas tardes.") + silence(1.0))
            turns.append(await next_turn(s))
    notice = lines_for("es").notice
    assert greeting.said == f"{notice} {PHARMACY.opener}"
    record = emulator.sessions[0]
    assert record.language == "es"
    notes = [
        (t.heard, [c.args for c in t.tool_calls if c.name == "note_correction"]) for t in turns
    ]
    # The emulator cannot understand speech: it "hears" the scene's next target phrase.
    said = [calls[0]["corrected"] if calls else heard for heard, calls in notes[:-1]]
    assert said == phrases
    first_heard, first_calls = notes[0]
    assert first_heard == "Me duele el garganta." and first_calls == [
        {
            "original": "Me duele el garganta.",
            "corrected": "Me duele la garganta.",
            "explanation": "The noun is feminine, so the article is la, not el.",
            "kind": "grammar",
        }
    ]
    assert turns[0].said.startswith("Ah: «Me duele la garganta».")
    assert turns[-2].said.endswith(lines_for("es").simple.wrap_up)
    assert turns[-1].said == lines_for("es").simple.finished and not turns[-1].tool_calls
    assert record.learner_turns == [heard for heard, _ in notes]
    assert record.tutor_turns == [greeting.said] + [t.said for t in turns]


async def test_a_japanese_scene_is_voiced_from_kana(emulator: Emulator) -> None:
    learner = LearnerBrief("Alice", "ja", "en", "A1", "recast")
    topic = PHARMACY.__class__(
        title="カフェ",
        scenario="A café in Tokyo.",
        tutor_role="a barista",
        learner_goal="Order a coffee.",
        target_phrases=["ホットコーヒーをひとつください。", "店内でお願いします。"],
        opener="いらっしゃいませ。ご注文はお決まりですか。",
    )
    config = live_config(language_code="ja-JP", instruction=instruction(topic, lang="ja"))
    async with make_client(emulator).aio.live.connect(model=MODEL, config=config) as s:
        await s.send_realtime_input(text=opener_text(learner=learner, topic=topic))
        greeting = await next_turn(s)
    assert greeting.said == lines_for("ja").notice + topic.opener
    assert greeting.audio == synthesize(kana(greeting.said), "ja", 24000, WPM["A"])
