"""The demo tutor's role-plays, built from the system instruction (tutor/emulator/roleplay/).

Every instruction here is the one `tutor.prompts` writes, so these tests also hold the prompt to
carrying what the emulator reads: the opening line, the target phrases, the level, the name.
"""

from __future__ import annotations

import dataclasses
import json
import re
from itertools import pairwise
from pathlib import Path

import pytest

from tutor.emulator.dialogue import (
    DialogueState,
    TurnPlan,
    new_state,
    plan_greeting,
    plan_spoken,
    plan_typed,
    text_reply,
)
from tutor.emulator.roleplay import lines_for, read_brief
from tutor.emulator.roleplay.kinds import kind_of
from tutor.live.continuation import continuation
from tutor.prompts import LearnerBrief, TopicBrief, build_system_instruction

TOPICS = Path(__file__).parents[3] / "lessons" / "topics"
KANJI = re.compile(r"[\u3400-\u9fff]")

CAFE = TopicBrief(
    title="Breakfast at a café",
    scenario="You are at a busy old café in central Madrid at breakfast time.",
    tutor_role="a friendly, quick-talking waiter at a traditional Madrid café",
    learner_goal="Order a drink and something to eat, ask the price and pay.",
    target_phrases=[
        "Quería un café con leche, por favor.",
        "¿Me pone también una tostada con tomate?",
        "Para tomar aquí.",
        "Nada más, gracias.",
        "¿Cuánto es?",
        "¿Puedo pagar con tarjeta?",
    ],
    opener="¡Buenos días! ¿Qué le pongo?",
)
# A teacher's own role-play: a pharmacy, with an opening line of the teacher's.
PHARMACY = TopicBrief(
    title="En la farmacia",
    scenario="Te duele la garganta y entras en una farmacia de Sevilla.",
    tutor_role="una farmacéutica amable",
    learner_goal="Explicar el problema y comprar algo para la garganta.",
    target_phrases=[
        "Me duele la garganta.",
        "Tengo un poco de fiebre.",
        "¿Tiene algo para la tos?",
        "¿Cuántas veces al día lo tomo?",
    ],
    opener="Buenas tardes, soy Carmen. ¿En qué le puedo ayudar?",
)


def instruction(
    topic: TopicBrief | None,
    *,
    lang: str = "es",
    level: str = "A1",
    style: str = "recast",
    name: str = "Alice",
) -> str:
    learner = LearnerBrief(name, lang, "en" if lang != "en" else "es", level, style)  # type: ignore[arg-type]
    return build_system_instruction(learner=learner, topic=topic)


def play(state: DialogueState, turns: int) -> tuple[TurnPlan, list[TurnPlan]]:
    return plan_greeting(state), [plan_spoken(state) for _ in range(turns)]


def library() -> list[tuple[str, dict[str, object]]]:
    return [
        (path.stem, topic)
        for path in sorted(TOPICS.glob("*.json"))
        for topic in json.loads(path.read_text(encoding="utf-8"))
    ]


def brief_of(topic: dict[str, object]) -> TopicBrief:
    fields = {f.name for f in dataclasses.fields(TopicBrief)}
    return TopicBrief(**{k: v for k, v in topic.items() if k in fields})  # type: ignore[arg-type]


def test_the_cafe_topic_orders_coffee_opens_with_its_line_and_says_the_demo_cannot_listen() -> None:
    greeting, turns = play(new_state("es-ES", instruction(CAFE)), len(CAFE.target_phrases))
    assert greeting.reply == (
        "Tutor de demostración: no entiendo lo que dices. ¡Buenos días! ¿Qué le pongo?"
    )
    assert "café con leche" in (turns[0].heard or "")
    corrected = [t.correction["corrected"] if t.correction else t.heard for t in turns]
    assert corrected == CAFE.target_phrases  # every target phrase, in order, once
    assert turns[4].reply.startswith("Son cuatro con cincuenta.")  # "¿Cuánto es?" gets a price


def test_some_learner_lines_carry_an_error_that_the_tutor_recasts_and_notes() -> None:
    _, turns = play(new_state("es-ES", instruction(CAFE)), len(CAFE.target_phrases))
    corrected = [t for t in turns if t.correction]
    assert 1 <= len(corrected) < len(turns)
    for turn in corrected:
        assert turn.correction is not None
        assert turn.heard == turn.correction["original"] != turn.correction["corrected"]
        assert turn.correction["kind"] in {"grammar", "vocabulary", "pronunciation", "register"}
        assert turn.correction["explanation"]
        assert f"«{turn.correction['corrected'].rstrip('.')}»" in turn.reply
    assert turns[0].correction == {
        "original": "Quiere un café con leche, por favor.",
        "corrected": "Quería un café con leche, por favor.",
        "explanation": "For yourself, use the first person: quería, not quiere.",
        "kind": "grammar",
    }


def test_the_scene_ends_with_a_wrap_up_and_never_starts_again() -> None:
    steps = len(CAFE.target_phrases)
    _, turns = play(new_state("es-ES", instruction(CAFE)), steps + 4)
    assert turns[steps - 1].reply.endswith("¿Quieres probar otro tema?")
    assert sum("¿Quieres probar otro tema?" in t.reply for t in turns) == 1
    after = turns[steps:]
    assert {t.reply for t in after} == {lines_for("es").simple.finished}
    assert all(t.heard not in CAFE.target_phrases and t.correction is None for t in after)


def test_a_teachers_role_play_opens_with_the_teachers_line_and_walks_its_phrases() -> None:
    greeting, turns = play(new_state(None, instruction(PHARMACY)), 4)
    assert greeting.reply.endswith(PHARMACY.opener)
    assert greeting.reply.startswith(lines_for("es").notice)
    said = [t.correction["corrected"] if t.correction else t.heard for t in turns]
    assert said == PHARMACY.target_phrases
    assert turns[0].correction and turns[0].heard == "Me duele el garganta."
    assert turns[3].reply.startswith("Dos o tres, más o menos.")  # "¿Cuántas veces…?"


def test_without_an_opening_line_it_greets_by_name_and_leads_to_the_first_phrase() -> None:
    topic = dataclasses.replace(PHARMACY, opener="")
    greeting = plan_greeting(new_state(None, instruction(topic, name="Zoë")))
    assert greeting.reply == (
        "Tutor de demostración: no entiendo lo que dices. ¡Hola, Zoë! Empezamos. ¡Tú primero!"
    )


def test_the_notice_comes_once_first_and_is_brief() -> None:
    greeting, turns = play(new_state(None, instruction(CAFE)), 8)
    notice = lines_for("es").notice
    assert greeting.reply.startswith(notice) and len(notice.split()) <= 8
    assert not any(notice in t.reply for t in turns)


def test_beginners_hear_simpler_lines_than_upper_levels() -> None:
    def words(level: str) -> float:
        _, turns = play(new_state(None, instruction(CAFE, level=level)), 6)
        replies = [t.reply for t in turns]
        return sum(len(r.split()) for r in replies) / len(replies)

    a1, b2, c1 = words("A1"), words("B2"), words("C1")
    assert a1 < b2 and a1 < c1
    _, simple = play(new_state(None, instruction(CAFE, level="A2")), 6)
    _, fuller = play(new_state(None, instruction(CAFE, level="B1")), 6)
    assert {t.reply for t in simple}.isdisjoint({t.reply for t in fuller})


def test_the_correction_style_decides_what_is_said_not_what_is_noted() -> None:
    _, (silent,) = play(new_state(None, instruction(CAFE, style="none")), 1)
    _, (recast,) = play(new_state(None, instruction(CAFE, style="recast")), 1)
    _, (explained,) = play(new_state(None, instruction(CAFE, style="explain")), 1)
    assert silent.correction == recast.correction == explained.correction
    assert "«" not in silent.reply
    assert recast.reply.startswith("Ah: «Quería un café con leche, por favor».")
    assert "Se dice «Quería», no «Quiere»." in explained.reply


def test_typed_text_with_a_planted_error_is_corrected_and_moves_the_scene_on() -> None:
    state = new_state(None, instruction(CAFE))
    plan_greeting(state)
    plan = plan_typed(state, "Hola, quiere un café con leche, por favor")
    assert plan.correction is not None
    assert plan.correction["corrected"] == "Hola, quería un café con leche, por favor"
    assert plan.reply.startswith("Ah: «Hola, quería un café con leche, por favor».")
    assert plan_spoken(state).heard == CAFE.target_phrases[1]


def test_typed_text_naming_a_later_phrase_skips_ahead_and_any_text_moves_on() -> None:
    state = new_state(None, instruction(CAFE))
    plan_greeting(state)
    assert plan_typed(state, "¿Cuánto es?").reply.startswith("Son cuatro con cincuenta.")
    assert state.step == 5
    plan_typed(state, "No sé qué decir.")
    assert plan_typed(state, "Hola").reply == lines_for("es").simple.finished


def test_typed_free_talk_errors_are_noted_in_a_role_play_too() -> None:
    state = new_state(None, instruction(CAFE))
    plan_greeting(state)
    plan = plan_typed(state, "Yo soy cansado hoy")
    assert plan.correction is not None
    assert plan.correction["corrected"] == "Yo estoy cansado hoy"


def test_the_text_fallback_replies_in_the_scene_with_one_recast() -> None:
    reply = text_reply(new_state(None, instruction(CAFE)), ["(joined)", "Quiere un café"])
    assert reply.startswith("Ah: «Quería un café».") and reply.count("«") == 1


def test_a_restored_session_carries_on_from_the_transcript_without_greeting() -> None:
    history = [
        ("tutor", "¡Buenos días! ¿Qué le pongo?"),
        ("learner", "Quería un café con leche, por favor."),
        ("tutor", "¡Muy bien! ¿Algo más?"),
        ("learner", "¿Me pone también una tostada con tomate?"),
        ("tutor", "Sí, claro. ¿Algo más?"),
    ]
    state = new_state(None, instruction(CAFE) + continuation(history))
    assert state.greeted and state.step == 2
    assert plan_spoken(state).heard == CAFE.target_phrases[2]


def test_japanese_scenes_speak_kana_to_the_voice() -> None:
    topic = brief_of(next(t for lang, t in library() if lang == "ja"))
    greeting, turns = play(new_state(None, instruction(topic, lang="ja")), 3)
    assert KANJI.search(greeting.reply) and not KANJI.search(greeting.say)
    assert all(not KANJI.search(t.say) for t in turns)


def test_an_instruction_with_no_target_phrase_is_free_talk() -> None:
    state = new_state(None, instruction(None))
    assert state.scene is None
    assert "¿Cómo estás hoy?" in plan_greeting(state).reply


def test_the_brief_reads_a_hand_written_instruction() -> None:
    brief = read_brief(
        'Spanish tutor, CEFR B2.\nYour first line, or one close to it: "¿Qué tal?"\n'
        '- "Hace buen tiempo."\n* "¿Vamos a la playa?"\n'
    )
    assert (brief.level, brief.opener, brief.name) == ("B2", "¿Qué tal?", "")
    assert brief.phrases == ("Hace buen tiempo.", "¿Vamos a la playa?")


@pytest.mark.data  # a sweep over the topic library, counted apart from behaviour
@pytest.mark.parametrize(
    ("lang", "topic"), library(), ids=[f"{lang}-{t['slug']}" for lang, t in library()]
)
def test_every_library_topic_plays_its_own_scene_in_its_language(
    lang: str, topic: dict[str, object]
) -> None:
    brief = brief_of(topic)
    for level in (str(topic["level_min"]), str(topic["level_max"])):
        state = new_state(None, instruction(brief, lang=lang, level=level))
        assert (state.lang, state.scene is not None) == (lang, True)
        greeting, turns = play(state, len(brief.target_phrases) + 1)
        assert greeting.reply == lines_for(lang).notice + (" " if lang != "ja" else "") + (
            brief.opener
        )
        said = [t.correction["corrected"] if t.correction else t.heard for t in turns[:-1]]
        assert said == brief.target_phrases
        assert any(t.correction for t in turns), "no planted error fits this topic's phrases"
        assert turns[-1].correction is None and turns[-1].heard in lines_for(lang).afterwards
        replies = [greeting.reply] + [t.reply for t in turns]
        assert all(a != b for a, b in pairwise(replies))


@pytest.mark.parametrize(
    ("lang", "line", "kind"),
    [
        ("es", "¿Cuánto es?", "price"),
        ("es", "Disculpe, ¿cómo llego a la Plaza de Mayo?", "way"),
        ("es", "¿Y tú, de dónde eres?", "you"),
        ("es", "¿Puedo pagar con tarjeta?", "yes"),
        ("es", "Nada más, gracias.", "thanks"),
        ("es", "Buenas tardes.", "greeting"),
        ("es", "Para tomar aquí.", "statement"),
        ("fr", "Combien de fois par jour je dois le prendre ?", "count"),
        ("de", "Wie lange wohnst du schon hier?", "time"),
        ("it", "Qual è il segreto di un buon ragù?", "open"),
        ("pt", "Quanto custa essa camisa?", "price"),
        ("ja", "カードで払えますか。", "yes"),
        ("ja", "これはいくらですか。", "price"),
        ("en", "Hi! Can I get a medium latte, please?", "yes"),
    ],
)
def test_lines_are_sorted_into_the_kinds_the_tutor_answers(lang: str, line: str, kind: str) -> None:
    assert kind_of(line, lines_for(lang).cues) == kind
