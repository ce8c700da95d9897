"""One small world for the cross-cutting tests (permission matrix, HTTP fuzzing, data export):
the personas of tests/base.py plus an object of each kind that someone may or may not see."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from lessons.models import (
    Assignment,
    Conversation,
    GroupRoom,
    MemoryLine,
    Phrase,
    PhraseAudio,
    PlacementResult,
    PlacementSkill,
    Topic,
)
from lessons.services import groups
from tests.base import Personas
from tests.lessons.teaching import make_assignment, make_conversation, make_topic


@dataclass
class World:
    personas: Personas
    topic: Topic  # bob's
    assignment: Assignment  # bob's, for his classroom
    homework: Conversation  # alice's, ended, for bob's assignment
    active: Conversation  # alice's, in progress
    phrase: Phrase  # a card in alice's deck, its model answer already spoken and kept
    placement: PlacementResult  # alice's spoken placement, ended and assessed
    memory: MemoryLine | None = None  # a line of what alice's tutor remembers
    room: GroupRoom | None = None  # bob's group room for his assignment; alice joined it


def make_world(personas: Personas) -> World:
    topic = make_topic(author=personas.bob, slug="bobs")
    assignment = make_assignment(personas.classroom, topic)
    homework = make_conversation(personas.alice, assignment, said=["Quisiera un café"])
    phrase = Phrase.objects.create(
        learner=personas.alice, language="es", text="quisiera un café", conversation=homework
    )
    # Kept audio, so that fetching the model answer never needs Gemini (nor the emulator).
    PhraseAudio.objects.create(
        phrase=phrase, text=phrase.text, voice="Kore", model=settings.GEMINI_TTS_MODEL, wav=b"RIFF"
    )
    return World(
        personas=personas,
        topic=topic,
        assignment=assignment,
        homework=homework,
        active=make_conversation(personas.alice, status="active"),
        phrase=phrase,
        placement=_placement(personas),
        memory=MemoryLine.objects.create(
            learner=personas.alice, kind="person", text="Has a sister in Lyon", source=homework
        ),
        room=_room(personas, assignment),
    )


def _room(personas: Personas, assignment: Assignment) -> GroupRoom:
    room = groups.group_open(creator=personas.bob, language="es", level="A2", assignment=assignment)
    groups.group_join(room=room, learner=personas.alice)
    return room


def _placement(personas: Personas) -> PlacementResult:
    said = make_conversation(personas.alice, said=["Me llamo Alice y vivo en Leeds."])
    said.kind = Conversation.Kind.PLACEMENT
    said.save(update_fields=["kind"])
    result = PlacementResult.objects.create(
        conversation=said,
        learner=personas.alice,
        declared_level="A2",
        status=PlacementResult.Status.READY,
        suggested_level="A2",
    )
    for skill in PlacementSkill.Skill:
        PlacementSkill.objects.create(result=result, skill=skill, level="A2", rationale="Short.")
    return result
