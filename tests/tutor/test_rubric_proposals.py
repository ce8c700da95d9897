"""The tutor proposes rubric scores (tutor.live.rubric through the emulator's text endpoint);
only the learner's own turns survive as evidence, quoted from the stored turn."""

from __future__ import annotations

from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.urls import reverse

from accounts.models import User
from lessons.models import Assignment, CriterionScore, Turn
from lessons.services.rubrics import proposals_store, rubric_attach
from tests.base import Personas
from tests.lessons.teaching import make_assignment, make_conversation
from tutor.emulator import Emulator

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


@database_sync_to_async
def _homework(personas: Personas) -> tuple[Assignment, Any]:
    assignment = make_assignment(personas.classroom)
    rubric_attach(assignment=assignment, level="A2")
    phrase = assignment.topic.target_phrases[0]
    conversation = make_conversation(
        personas.alice,
        assignment,
        said=["Hola", f"Buenos días, {phrase} por favor", "Me gusta mucho el café con leche"],
    )
    return assignment, conversation


@database_sync_to_async
def _scores(learner: User) -> dict[str, CriterionScore]:
    return {
        s.criterion.key: s
        for s in CriterionScore.objects.filter(learner=learner).select_related("criterion")
    }


async def test_the_tutor_proposes_each_criterion_with_the_learners_own_turns(
    emulator: Emulator, personas: Personas, async_client: Any
) -> None:
    assignment, conversation = await _homework(personas)
    await async_client.aforce_login(personas.bob)
    url = reverse("tutor:rubric_propose", args=[assignment.pk, personas.alice.pk])
    response = await async_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("teach:grade", args=[assignment.pk, personas.alice.pk])
    scores = await _scores(personas.alice)
    assert set(scores) == {"task", "phrases", "range", "accuracy", "fluency", "interaction"}
    assert all(s.proposed_points is not None and s.points is None for s in scores.values())
    assert scores["phrases"].proposed_points >= 1  # the learner said a target phrase
    learner_lines = await database_sync_to_async(
        lambda: {
            (str(t.conversation_id), t.ordinal): t.text
            for t in Turn.objects.filter(conversation=conversation, speaker="learner")
        }
    )()
    cited = [e for s in scores.values() for e in s.evidence]
    assert cited  # the emulator cited turns, and careless ones too: none of those survived
    for item in cited:
        assert learner_lines[(item["conversation"], item["ordinal"])] == item["quote"]
    page = await async_client.get(reverse("teach:grade", args=[assignment.pk, personas.alice.pk]))
    text = page.content.decode()
    assert "Tutor&#x27;s proposal" in text or "Tutor's proposal" in text
    assert f"#turn-{cited[0]['ordinal']}" in text


async def test_only_teachers_of_the_class_may_ask(
    emulator: Emulator, personas: Personas, async_client: Any
) -> None:
    assignment, _ = await _homework(personas)
    url = reverse("tutor:rubric_propose", args=[assignment.pk, personas.alice.pk])
    await async_client.aforce_login(personas.alice)
    assert (await async_client.post(url)).status_code == 403
    assert not await _scores(personas.alice)


@pytest.mark.django_db
def test_invented_points_criteria_and_quotes_are_dropped(personas: Personas) -> None:
    assignment = make_assignment(personas.classroom)
    rubric_attach(assignment=assignment, level="B1")
    mine = make_conversation(personas.alice, assignment, said=["Quisiera un café"])
    other = make_conversation(personas.charlie, said=["Bonjour"])
    learner_turn = mine.turns.get(speaker="learner")
    tutor_turn = mine.turns.filter(speaker="tutor").first()
    stored = proposals_store(
        assignment=assignment,
        learner=personas.alice,
        proposals=[
            {
                "criterion": "task",
                "points": 2,
                "rationale": "ok",
                "evidence": [
                    {"conversation": str(mine.pk), "ordinal": learner_turn.ordinal},
                    {"conversation": str(mine.pk), "ordinal": tutor_turn.ordinal},  # the tutor
                    {"conversation": str(other.pk), "ordinal": 1},  # someone else's
                    {"conversation": str(mine.pk), "ordinal": 99},  # no such turn
                ],
            },
            {"criterion": "accuracy", "points": 7, "rationale": "", "evidence": []},  # > 3
            {"criterion": "charm", "points": 1, "rationale": "", "evidence": []},  # not in it
            {"criterion": "fluency", "points": "2", "rationale": "", "evidence": []},  # a string
        ],
    )
    assert stored == 1
    [score] = CriterionScore.objects.all()
    assert score.criterion.key == "task" and score.proposed_points == 2
    assert score.evidence == [
        {"conversation": str(mine.pk), "ordinal": learner_turn.ordinal, "quote": "Quisiera un café"}
    ]


def test_the_request_labels_every_line_and_the_emulator_answers_its_shape() -> None:
    from tutor.emulator.rubric_scoring import is_rubric_request, propose
    from tutor.prompts.rubrics import RubricLine, request, system_instruction

    asked = request(
        language="es",
        level="A2",
        phrases=["la cuenta"],
        criteria=[("phrases", "Target phrases", ["none", "one", "some", "most"])],
        lines=[
            RubricLine("c1", 0, "tutor", "¿Qué desea?"),
            RubricLine("c1", 1, "learner", "La   cuenta, por favor"),
        ],
    )
    assert "criterion phrases: Target phrases (0-3 points)\n  0: none" in asked
    assert "[c1 #1] learner: La cuenta, por favor" in asked
    assert is_rubric_request(system_instruction())
    import json

    [score] = json.loads(propose(asked))["scores"]
    assert score["criterion"] == "phrases" and score["points"] == 2
    assert {"conversation": "c1", "ordinal": 1} in score["evidence"]
