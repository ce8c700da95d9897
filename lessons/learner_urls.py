from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from lessons.learner_views import deck, export, history, memory, placement, progress, review

app_name = "learn"
urlpatterns: list[URLPattern | URLResolver] = [
    path("history/", history.history, name="history"),
    path(
        "conversations/<uuid:conversation_id>/",
        review.conversation_review,
        name="conversation_review",
    ),
    path("deck/", deck.deck, name="deck"),
    path("deck/grade/", deck.grade, name="deck_grade"),
    path("deck/check/", deck.check, name="deck_check"),
    path("progress/", progress.progress, name="progress"),
    path("placement/", placement.placement, name="placement"),
    path("placement/<int:pk>/", placement.placement_result, name="placement_result"),
    path("placement/<int:pk>/level/", placement.placement_level, name="placement_level"),
    path("export/tertulia.json", export.export_json_view, name="export_json"),
    path("export/tertulia-csv.zip", export.export_csv_view, name="export_csv"),
    path("memory/<int:line_id>/edit/", memory.edit_line, name="memory_edit"),
    path("memory/<int:line_id>/delete/", memory.delete_line, name="memory_delete"),
    path("memory/switch/", memory.switch, name="memory_switch"),
    path("memory/forget/", memory.forget_all, name="memory_forget"),
]
