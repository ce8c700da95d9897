"""Group conversations for learners (docs/groups.md): starting a room for friends, the invite
link's page, the room page (whose live part is static/js/group.js), leaving and ending.

Who sees a room: its members, its creator and the teacher of the class it was opened for
(`lessons.selectors.groups.visible_rooms`); anyone else gets a 404, so room ids cannot be probed.
The invite link is the only way in for someone who is not a member yet."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import User
from accounts.requests import AuthedRequest
from lessons.forms_groups import GroupStartForm
from lessons.models import GroupMember, GroupRoom
from lessons.selectors.groups import (
    RoomPage,
    can_end,
    learner_rooms,
    room_lines,
    room_page,
    visible_rooms,
)
from lessons.services import groups as services


def _ip(request: HttpRequest) -> str | None:
    # The same address the conversation start counts (tutor.conversation.access.client_ip).
    return request.META.get("REMOTE_ADDR") or None


def _room(request: AuthedRequest, room_id: UUID) -> GroupRoom:
    rooms = visible_rooms(request.user).select_related(
        "topic", "assignment__classroom", "created_by"
    )
    return get_object_or_404(rooms, pk=room_id)


@login_required
@require_http_methods(["GET", "POST"])
def groups(request: AuthedRequest) -> HttpResponse:
    """The learner's group rooms and the form that opens a new one (and joins it)."""
    if request.user.is_teacher:
        raise PermissionDenied("Teachers open group rooms from an assignment.")
    form = GroupStartForm(request.POST or None, learner=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            room = services.group_open(
                creator=request.user,
                language=request.user.target_language,
                level=form.cleaned_data["level"],
                topic=form.cleaned_data["topic"],
            )
            services.group_join(room=room, learner=request.user, ip=_ip(request))
        except services.LimitExceeded as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Your room is open. Share the invite link with friends."))
            return redirect(room)
    context = {"form": form, "rooms": learner_rooms(request.user)}
    return render(request, "lessons/groups/start.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def group_join(request: AuthedRequest, token: str) -> HttpResponse:
    """The invite link: the room and a Join button (a visitor not signed in is sent to sign in
    and brought back here by `login_required`'s `next`)."""
    room = get_object_or_404(
        GroupRoom.objects.select_related("topic", "created_by"), invite_token=token
    )
    member = GroupMember.objects.filter(room=room, learner=request.user).first()
    if request.method == "POST":
        try:
            services.group_join(room=room, learner=request.user, ip=_ip(request))
        except services.LimitExceeded as exc:
            messages.error(request, str(exc))
        else:
            return redirect(room)
    context = {
        "room": room,
        "member": member,
        "members": room.members.select_related("learner").order_by("joined_at", "pk"),
    }
    return render(request, "lessons/groups/join.html", context)


@login_required
@require_GET
def group_room(request: AuthedRequest, room_id: UUID) -> HttpResponse:
    room = _room(request, room_id)
    page = room_page(room, request.user)
    mine = GroupMember.objects.filter(room=room, learner=request.user).first()
    context = {
        "page": page,
        "room": room,
        "member": mine,
        "invite_url": request.build_absolute_uri(page.invite_path),
        "config": _config(page, request.user, mine),
    }
    return render(request, "lessons/groups/room.html", context)


def _config(page: RoomPage, user: User, mine: GroupMember | None) -> dict[str, object]:
    """What static/js/group.js starts from (as JSON in #group-config); the socket's presence
    frames keep the members up to date after that."""
    return {
        "roomId": str(page.room.pk),
        "socketUrl": page.socket_path,
        "language": page.room.language,
        "open": page.room.is_open,
        "me": {"id": user.pk, "name": user.name} if mine else None,
        "conversationId": str(mine.conversation_id) if mine else None,
        "reviewUrl": reverse("learn:conversation_review", args=[mine.conversation_id])
        if mine
        else None,
        "members": [
            {"id": m.learner_id, "name": m.name, "present": m.present} for m in page.members
        ],
        "canEnd": page.can_end,
        "leaveUrl": reverse("lessons:group_leave", args=[page.room.pk]),
        "endUrl": reverse("lessons:group_end", args=[page.room.pk]),
        # The typed fallback, when the socket cannot connect: type here, read there.
        "messageUrl": reverse("tutor:group_message", args=[page.room.pk]),
        "linesUrl": reverse("lessons:group_lines", args=[page.room.pk]),
    }


@login_required
@require_POST
def group_leave(request: AuthedRequest, room_id: UUID) -> HttpResponse:
    room = _room(request, room_id)
    services.group_leave(room_id=room.pk, learner_id=request.user.pk)
    messages.info(request, _("You left the group conversation. Open its invite link to come back."))
    return redirect("lessons:groups")


@login_required
@require_POST
def group_end(request: AuthedRequest, room_id: UUID) -> HttpResponse:
    room = _room(request, room_id)
    if not can_end(room, request.user):
        raise PermissionDenied("Only the room's creator or teacher can end it.")
    services.group_end(room_id=room.pk, reason="ended by host")
    messages.success(request, _("The group conversation has ended."))
    return redirect(room)


@require_GET
def group_lines(request: HttpRequest, room_id: UUID) -> HttpResponse:
    """The room's typed fallback reads the room here (static/js/group.js polls it when the
    room's socket cannot connect): the lines of the member's own copy after `after`, with
    speaker names (ordinals from 0; none read: -1 or no `after`), and the notes on their own
    lines after `c` (corrections) and `u`
    (upgrades). JSON, so a signed-out visitor gets 401, not the sign-in page; a room they
    cannot see is a 404 and one they see but are not in (its teacher) a 403."""
    if not request.user.is_authenticated:
        message = _("Sign in to join this group conversation.")
        return JsonResponse({"error": "not_available", "message": message}, status=401)
    try:
        room = _room(request, room_id)  # type: ignore[arg-type]
    except Http404:
        message = _("This group conversation is not available to you.")
        return JsonResponse({"error": "not_available", "message": message}, status=404)
    mine = (
        GroupMember.objects.filter(room=room, learner=request.user).select_related("room").first()
    )
    if mine is None:
        message = _("Only the room's members can read it here.")
        return JsonResponse({"error": "not_available", "message": message}, status=403)
    read = room_lines(
        mine,
        after=_position(request, "after", -1),  # ordinals start at 0
        corrections_after=_position(request, "c"),
        upgrades_after=_position(request, "u"),
    )
    return JsonResponse(
        {
            "open": read.open,
            "lines": read.lines,
            "corrections": read.corrections,
            "upgrades": read.upgrades,
            "more": read.more,
        }
    )


def _position(request: HttpRequest, name: str, unread: int = 0) -> int:
    raw = request.GET.get(name, "")
    return int(raw) if raw.lstrip("-").isdigit() and len(raw) < 12 else unread
