"""The teacher area under /teach/, and joining a classroom (/teach/join/<code>/)."""

from __future__ import annotations

from django.urls import path

from lessons.teacher_views import (
    assignments,
    classrooms,
    grading,
    groups,
    joining,
    listening,
    review,
    term,
    topics,
)

app_name = "teach"
urlpatterns = [
    path("", classrooms.dashboard, name="dashboard"),
    path("classrooms/new/", classrooms.classroom_new, name="classroom_new"),
    path("classrooms/<int:pk>/", classrooms.classroom_detail, name="classroom"),
    path("classrooms/<int:pk>/edit/", term.classroom_edit, name="classroom_edit"),
    path("classrooms/<int:pk>/archive/", term.classroom_archive_toggle, name="classroom_archive"),
    path(
        "classrooms/<int:pk>/learners/<int:learner_pk>/move/",
        term.learner_move,
        name="move_learner",
    ),
    path("classrooms/<int:pk>/rotate-code/", classrooms.classroom_rotate, name="rotate_code"),
    path(
        "classrooms/<int:pk>/learners/<int:learner_pk>/",
        classrooms.learner_progress,
        name="learner",
    ),
    path(
        "classrooms/<int:pk>/learners/<int:learner_pk>/placement/",
        classrooms.learner_placement,
        name="learner_placement",
    ),
    path(
        "classrooms/<int:pk>/learners/<int:learner_pk>/remove/",
        classrooms.learner_remove,
        name="remove_learner",
    ),
    path("classrooms/<int:pk>/assign/", assignments.assignment_new, name="assignment_new"),
    path("classrooms/<int:pk>/leave/", joining.leave, name="leave"),
    path("assignments/<int:pk>/", assignments.assignment_detail, name="assignment"),
    path("assignments/<int:pk>/edit/", assignments.assignment_edit, name="assignment_edit"),
    path(
        "assignments/<int:pk>/archive/", term.assignment_archive_toggle, name="assignment_archive"
    ),
    path("assignments/<int:pk>/delete/", term.assignment_remove, name="assignment_delete"),
    path("assignments/<int:pk>/rubric/", grading.rubric_set, name="rubric"),
    path("assignments/<int:pk>/learners/<int:learner_pk>/grade/", grading.grade, name="grade"),
    path("assignments/<int:pk>/results.csv", assignments.assignment_csv, name="assignment_csv"),
    path("assignments/<int:pk>/groups/new/", groups.group_new, name="group_new"),
    path("groups/<uuid:room_id>/", groups.group_room, name="group_room"),
    path("review/", review.queue, name="review"),
    path("conversations/<uuid:pk>/", review.transcript, name="transcript"),
    path(
        "conversations/<uuid:pk>/turns/<int:turn_pk>/audio.wav",
        listening.turn_audio,
        name="turn_audio",
    ),
    path("topics/", topics.topic_list, name="topics"),
    path("topics/new/", topics.topic_new, name="topic_new"),
    path("topics/<int:pk>/edit/", topics.topic_edit, name="topic_edit"),
    path("topics/<int:pk>/delete/", topics.topic_delete, name="topic_delete"),
    path("topics/export/", topics.topic_export, name="topic_export"),
    path("topics/import/", topics.topic_import, name="topic_import"),
    path("join/", joining.join_by_code, name="join_code"),
    path("join/<str:code>/", joining.join, name="join"),
]
