"""The domain: topics, classrooms, assignments, conversations and what was said in them.

One module per responsibility; everything is imported from here (`from lessons.models import
...`), which is also where the migrations find `new_join_code`, `LearnerAudioStorage` and
`turn_audio_path`. Importing `audio` here also connects its post_delete receiver."""

from lessons.models.audio import LearnerAudioStorage, TurnAudio, turn_audio_path
from lessons.models.classrooms import (
    JOIN_CODE_ALPHABET,
    Assignment,
    Classroom,
    Membership,
    new_join_code,
)
from lessons.models.conversations import Conversation
from lessons.models.deck import DrillAttempt, Phrase, PhraseAudio, Review
from lessons.models.groups import GroupMember, GroupRoom
from lessons.models.hints import Hint
from lessons.models.lti import LtiActivity, LtiCourse, LtiGrade, LtiLaunchValue, LtiUsedNonce
from lessons.models.memory import (
    MEMORY_LINE_CHARS,
    MEMORY_MAX_CHARS,
    MEMORY_MAX_LINES,
    MemoryLine,
)
from lessons.models.placement import PlacementQuote, PlacementResult, PlacementSkill
from lessons.models.rubrics import Criterion, CriterionScore, Rubric
from lessons.models.topics import TOPIC_CONTENT_FIELDS, Topic
from lessons.models.turns import Comment, Correction, Turn, Upgrade, correction_count_field
from lessons.models.voices import VoicePreview
from lessons.models.words import WordEntry, WordLookup

__all__ = [
    "JOIN_CODE_ALPHABET",
    "MEMORY_LINE_CHARS",
    "MEMORY_MAX_CHARS",
    "MEMORY_MAX_LINES",
    "TOPIC_CONTENT_FIELDS",
    "Assignment",
    "Classroom",
    "Comment",
    "Conversation",
    "Correction",
    "Criterion",
    "CriterionScore",
    "DrillAttempt",
    "GroupMember",
    "GroupRoom",
    "Hint",
    "LearnerAudioStorage",
    "LtiActivity",
    "LtiCourse",
    "LtiGrade",
    "LtiLaunchValue",
    "LtiUsedNonce",
    "Membership",
    "MemoryLine",
    "Phrase",
    "PhraseAudio",
    "PlacementQuote",
    "PlacementResult",
    "PlacementSkill",
    "Review",
    "Rubric",
    "Topic",
    "Turn",
    "TurnAudio",
    "Upgrade",
    "VoicePreview",
    "WordEntry",
    "WordLookup",
    "correction_count_field",
    "new_join_code",
    "turn_audio_path",
]
