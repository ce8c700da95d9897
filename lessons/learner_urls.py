from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from lessons import learner_views, views_deck, views_export, views_progress

app_name = "learn"
urlpatterns: list[URLPattern | URLResolver] = [
    path("history/", learner_views.history, name="history"),
    path(
        "conversations/<uuid:conversation_id>/",
        learner_views.conversation_review,
        name="conversation_review",
    ),
    path("deck/", views_deck.deck, name="deck"),
    path("deck/grade/", views_deck.grade, name="deck_grade"),
    path("progress/", views_progress.progress, name="progress"),
    path("export/tertulia.json", views_export.export_json_view, name="export_json"),
    path("export/tertulia-csv.zip", views_export.export_csv_view, name="export_csv"),
]
