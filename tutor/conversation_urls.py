from __future__ import annotations

from django.urls import path

from tutor import (
    drills,
    hints,
    placement,
    rubric_proposals,
    typed_fallback,
    views,
    voice_preview,
    words,
)
from tutor.group import typed as group_typed

app_name = "tutor"
urlpatterns = [
    path("conversations/start/", views.start, name="start"),
    path("try/", views.trial, name="trial"),
    path("conversations/<uuid:pk>/", views.conversation_page, name="conversation"),
    path("conversations/<uuid:pk>/messages/", typed_fallback.message, name="message"),
    path("conversations/<uuid:pk>/end/", views.end, name="end"),
    # A group room's typed fallback (it reads the room at lessons:group_lines).
    path("groups/<uuid:room_id>/messages/", group_typed.message, name="group_message"),
    path("conversations/<uuid:pk>/words/", words.lookup, name="word_lookup"),
    path(
        "conversations/<uuid:pk>/words/<int:lookup_id>/deck/",
        words.add_to_deck,
        name="word_to_deck",
    ),
    path("conversations/<uuid:pk>/hints/", hints.hints, name="hints"),
    path("conversations/<uuid:pk>/hints/<int:hint_id>/chosen/", hints.chosen, name="hint_chosen"),
    # The drill page (learn:deck) calls these two; they need Gemini, so they live here.
    path("learn/deck/<int:phrase_id>/spoken/", drills.spoken_answer, name="drill_spoken"),
    path("learn/deck/<int:phrase_id>/answer.wav", drills.answer_audio, name="drill_audio"),
    # The spoken placement's start and assessment (its pages are learn:placement*).
    path("placement/start/", placement.start, name="placement_start"),
    path("placement/<int:pk>/assess/", placement.assess, name="placement_assess"),
    # The grading page (teach:grade) asks the tutor to propose rubric scores: Gemini again.
    path(
        "teach/assignments/<int:pk>/learners/<int:learner_pk>/rubric/propose/",
        rubric_proposals.propose,
        name="rubric_propose",
    ),
    # A prebuilt voice's sample, for the topic form and the profile's voice choices.
    path(
        "voices/<str:voice>/<str:language>.wav", voice_preview.voice_preview, name="voice_preview"
    ),
]
