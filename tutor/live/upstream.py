"""Builds what a conversation needs from Gemini: the client and the Live settings.

The key comes from settings only and goes straight into the SDK client; it is never returned,
logged or put in an event. With no key, the offline demo tutor (the local emulator) answers.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings

from lessons.models import Conversation
from tutor.live.config import LiveSettings, make_client
from tutor.live.continuation import CONTINUATION, CONTINUATION_TURNS, continuation

if TYPE_CHECKING:  # the rest of tutor.live imports google-genai at run time
    from google import genai

from tutor.prompts import (
    TOOL_DECLARATIONS,
    LearnerBrief,
    TopicBrief,
    build_system_instruction,
    choose_voice,
    opener_text,
    speech_language_code,
)

# The emulator accepts any key but "invalid-key"; this one marks demo traffic in its records.
# Not a secret: the local emulator's placeholder key.
DEMO_KEY = "offline-demo"


@cache
def client() -> genai.Client:
    """One client per process (it holds the SSL context and HTTP pool)."""
    return make_client(
        api_key=settings.GEMINI_API_KEY or DEMO_KEY,
        base_url=settings.GOOGLE_GEMINI_BASE_URL or None,
        ca_file=settings.GEMINI_CA_FILE or None,
        ping_interval=float(settings.GEMINI_PING_INTERVAL),
        ping_timeout=float(settings.GEMINI_PING_TIMEOUT),
    )


def briefs(conversation: Conversation) -> tuple[LearnerBrief, TopicBrief | None]:
    learner = conversation.learner
    learner_brief = LearnerBrief(
        display_name=learner.name if learner else "",
        target_language=conversation.language,
        native_language=learner.native_language if learner else "en",
        level=conversation.level,
        correction_style=conversation.correction_style,  # type: ignore[arg-type]
    )
    topic = conversation.topic
    if topic is None:
        return learner_brief, None
    topic_brief = TopicBrief(
        title=topic.title,
        scenario=topic.scenario,
        tutor_role=topic.tutor_role,
        learner_goal=topic.learner_goal,
        target_phrases=list(topic.target_phrases),
        grammar_focus=topic.grammar_focus,
        correction_style=conversation.correction_style,
        opener=topic.opener,
        persona_name=topic.persona_name,
    )
    return learner_brief, topic_brief


def tutor_voice(conversation: Conversation) -> str:
    """The voice it began with (kept across reconnections and hand-overs), else the topic
    persona's, else for free talk the learner's own choice, else the language's."""
    if conversation.voice:
        return choose_voice(conversation.language, conversation.voice)
    if conversation.topic is not None:
        return choose_voice(conversation.language, conversation.topic.voice)
    learner = conversation.learner
    return choose_voice(conversation.language, learner.tutor_voice if learner else "")


def system_instruction(conversation: Conversation) -> str:
    learner, topic = briefs(conversation)
    return build_system_instruction(learner=learner, topic=topic)


__all__ = ["CONTINUATION", "CONTINUATION_TURNS", "client", "continuation", "live_settings"]


def live_settings(
    conversation: Conversation,
    *,
    history: list[tuple[str, str]] | None = None,
    handle: str | None = None,
) -> LiveSettings:
    """With `history` (the turns stored so far) the session continues a conversation whose
    Live session was lost, e.g. when the server restarted: no opener, no second greeting.
    With `handle` (left by the process that handed the conversation over) it resumes that
    Live session, and falls back to `history` if the handle is refused."""
    learner, topic = briefs(conversation)
    instruction = build_system_instruction(learner=learner, topic=topic)
    under_way = bool(history) or handle is not None
    return LiveSettings(
        model=settings.GEMINI_LIVE_MODEL,
        system_instruction=instruction,
        voice=tutor_voice(conversation),
        language_code=speech_language_code(conversation.language),
        tools=TOOL_DECLARATIONS,
        history=tuple(history or ()),
        opener=None if under_way else opener_text(learner=learner, topic=topic),
        connect_timeout=float(settings.GEMINI_CONNECT_TIMEOUT),
        resume_handle=handle,
    )
