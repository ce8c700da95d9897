"""The demo tutor's "say it better" (note_upgrade for some correct lines, none for a line with an
error) and "again, slower" (a typed request to repeat gets the last line again, slower), in the
dialogue and through the real SDK over TLS with the tools the bridge declares."""

from __future__ import annotations

from google.genai import types

from tests.tutor.emulator.conftest import (
    live_config,
    make_client,
    next_turn,
    say,
    silence,
    speech,
)
from tests.tutor.emulator.test_roleplay import instruction
from tutor.emulator import Emulator
from tutor.emulator.dialogue import new_state, plan_greeting, plan_spoken, plan_typed, text_turn
from tutor.emulator.roleplay.upgrades import asks_to_repeat, upgrade_for
from tutor.emulator.turns import WPM
from tutor.emulator.voice import synthesize
from tutor.live.config import function_declarations
from tutor.prompts import TOOL_DECLARATIONS, LearnerBrief, TopicBrief, opener_text

# The first phrase takes no planted error (no rule of roleplay/es.py fits it) and is plain: the
# tutor offers a better way. The second takes one ("la" -> "el"): a fix, never an upgrade.
PAYING = TopicBrief(
    title="Pagar en el bar",
    scenario="Has tomado algo en un bar de Madrid y quieres pagar.",
    tutor_role="un camarero simpático",
    learner_goal="Pedir la cuenta y pagar.",
    target_phrases=["Quiero pagar, por favor.", "¿Me trae la cuenta?"],
    opener="¿Algo más?",
)
LEARNER = LearnerBrief("Alice", "es", "en", "A2", "recast")
MODEL_38 = "gemini-3.8-live"


def test_a_correct_plain_line_gets_one_upgrade_and_a_line_with_an_error_gets_none() -> None:
    state = new_state(None, instruction(PAYING))
    plan_greeting(state)
    first, second = plan_spoken(state), plan_spoken(state)
    assert first.correction is None
    assert first.upgrade == {
        "original": "Quiero pagar, por favor.",
        "upgraded": "Me gustaría pagar, por favor.",
        "explanation": "Me gustaría is a more polite way to ask for something than quiero.",
    }
    assert second.correction is not None and second.upgrade is None


def test_most_lines_have_no_upgrade_rule() -> None:
    assert upgrade_for("es", "Hoy hace sol.") is None
    assert upgrade_for("ja", "ありがとうございます。") is None  # already polite
    assert upgrade_for("en", "Thanks.") == {
        "original": "Thanks.",
        "upgraded": "Thanks a lot, that's very kind.",
        "explanation": "Adding that's very kind sounds warmer and more natural.",
    }


def test_short_requests_to_repeat_are_recognised_and_answers_are_not() -> None:
    for lang, text in [
        ("es", "Más despacio, por favor."),
        ("es", "¿Puedes repetir?"),
        ("es", "again slowly"),  # English works in any language
        ("fr", "Vous pouvez répéter ?"),
        ("de", "Langsamer, bitte."),
        ("ja", "もう一度ゆっくりお願いします"),
    ]:
        assert asks_to_repeat(lang, text), text
    for lang, text in [
        ("es", "Hoy estoy muy cansado, trabajé mucho en la oficina otra vez y de nuevo."),
        ("es", "Quiero pagar."),
        ("en", ""),
    ]:
        assert not asks_to_repeat(lang, text), text


def test_a_typed_request_to_repeat_says_the_last_line_again_slowly_and_moves_nothing() -> None:
    state = new_state(None, instruction(PAYING))
    greeting = plan_greeting(state)
    plan = plan_typed(state, "Más despacio, por favor")
    assert (plan.reply, plan.slow) == (greeting.reply, True)
    assert plan.correction is plan.upgrade is plan.phrase is None
    assert plan_spoken(state).heard == "Quiero pagar, por favor."  # the scene did not move
    # The text fallback does the same.
    plan, reply = text_turn(new_state(None, instruction(PAYING)), ["(join)", "again slowly"])
    assert reply == greeting.reply and plan.slow


async def test_the_emulator_sends_note_upgrade_non_blocking_as_the_bridge_declares_it(
    emulator: Emulator,
) -> None:
    # The bridge's own declarations, strictly validated by the emulator's setup checks.
    declared = [d.model_copy(update={"behavior": types.Behavior.NON_BLOCKING}) for d in
                function_declarations(TOOL_DECLARATIONS)]  # fmt: skip
    config = live_config(instruction=instruction(PAYING, level="A2"), tools=False)
    config.tools = [types.Tool(function_declarations=declared)]
    async with make_client(emulator).aio.live.connect(model=MODEL_38, config=config) as s:
        await s.send_realtime_input(text=opener_text(learner=LEARNER, topic=PAYING))
        await next_turn(s)
        await say(s, speech("Quiero pagar") + silence(1.0))
        turn = await next_turn(s)
        while not any(c.name == "note_upgrade" for c in turn.tool_calls):
            turn = await next_turn(s)  # NON_BLOCKING: it may come after turnComplete
    [call] = [c for c in turn.tool_calls if c.name == "note_upgrade"]
    assert call.args == {
        "original": "Quiero pagar, por favor.",
        "upgraded": "Me gustaría pagar, por favor.",
        "explanation": "Me gustaría is a more polite way to ask for something than quiero.",
    }
    [sent] = [c for c in emulator.sessions[0].tool_calls_sent if c["name"] == "note_upgrade"]
    assert sent["learner_turn"] == 0  # about the learner's first line


async def test_a_typed_request_to_repeat_is_spoken_again_at_three_quarters_of_the_pace(
    orderly_emulator: Emulator,
) -> None:
    config = live_config(instruction=instruction(PAYING, level="A2"), tools=False)
    async with make_client(orderly_emulator).aio.live.connect(model=MODEL_38, config=config) as s:
        await s.send_realtime_input(text=opener_text(learner=LEARNER, topic=PAYING))
        greeting = await next_turn(s)
        await s.send_realtime_input(text="Más despacio, por favor")
        again = await next_turn(s)
    assert again.said == greeting.said
    slow = synthesize(greeting.said, "es", 24000, round(WPM["A"] * 0.75))
    assert again.audio == slow
    assert len(again.audio) > 1.2 * len(greeting.audio)
