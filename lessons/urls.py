from __future__ import annotations

from django.urls import path

from lessons.learner_views import groups, home

app_name = "lessons"
urlpatterns = [
    path("home/", home.home, name="home"),
    # Group conversations (docs/groups.md); the live socket is /ws/groups/<uuid>/.
    path("groups/", groups.groups, name="groups"),
    path("groups/join/<str:token>/", groups.group_join, name="group_join"),
    path("groups/<uuid:room_id>/", groups.group_room, name="group_room"),
    path("groups/<uuid:room_id>/leave/", groups.group_leave, name="group_leave"),
    # The room's typed fallback reads here; it types at tutor:group_message.
    path("groups/<uuid:room_id>/lines/", groups.group_lines, name="group_lines"),
    path("groups/<uuid:room_id>/end/", groups.group_end, name="group_end"),
]
