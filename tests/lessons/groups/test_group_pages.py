"""The group pages: opening a room and its invite link, joining from the link, the room page's
hooks for static/js/group.js, leaving and ending, the teacher's pages, and who may see what."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from lessons.models import GroupMember, GroupRoom
from lessons.services import groups
from tests.base import Personas, make_user
from tests.lessons.groups.helpers import learner, member, room_of
from tests.lessons.teaching import make_assignment

pytestmark = pytest.mark.django_db


def _client(user: User | None = None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_a_learner_opens_a_room_joins_it_and_gets_the_invite_link(alice: User) -> None:
    client = _client(alice)
    page = client.get(reverse("lessons:groups"))
    assert page.status_code == 200
    assert 'id="group-start-form"' in page.content.decode()
    response = client.post(reverse("lessons:groups"), {"topic": "", "level": "B1"})
    room = GroupRoom.objects.get()
    assert response.status_code == 302 and response["Location"] == room.get_absolute_url()
    assert (room.language, room.level, room.topic, room.created_by) == ("es", "B1", None, alice)
    assert member(room, alice).conversation.level == "B1"
    html = client.get(room.get_absolute_url()).content.decode()
    assert f"/groups/join/{room.invite_token}/" in html
    assert 'id="copy-invite"' in html
    assert f'data-socket-url="/ws/groups/{room.pk}/"' in html
    assert f'data-room="{room.pk}"' in html
    assert f'data-member-id="{alice.pk}"' in html
    for hook in ('id="members"', 'id="floor"', 'id="captions"', 'id="talk-button"'):
        assert hook in html
    assert "js/group.js" in html
    assert 'id="group-config"' in html


def test_the_invite_link_sends_a_visitor_to_sign_in_and_back(alice: User) -> None:
    room = room_of(alice)
    link = reverse("lessons:group_join", args=[room.invite_token])
    response = _client().get(link)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={link}"


def test_joining_from_the_link_and_seeing_each_other(alice: User) -> None:
    dani = learner("dani@example.org")
    room = room_of(alice)
    client = _client(dani)
    link = reverse("lessons:group_join", args=[room.invite_token])
    page = client.get(link).content.decode()
    assert "Alice" in page and 'id="join-button"' in page
    assert client.post(link)["Location"] == room.get_absolute_url()
    html = _client(alice).get(room.get_absolute_url()).content.decode()
    assert f'data-member-id="{dani.pk}"' in html and "Dani" in html


def test_a_refused_join_says_why_on_the_page(alice: User, charlie: User) -> None:
    room = room_of(alice)
    link = reverse("lessons:group_join", args=[room.invite_token])
    response = _client(charlie).post(link, follow=True)
    assert "you are learning another language" in response.content.decode()
    assert not GroupMember.objects.filter(learner=charlie).exists()


def test_a_non_member_cannot_see_the_room(alice: User, charlie: User) -> None:
    room = room_of(alice)
    assert _client(charlie).get(room.get_absolute_url()).status_code == 404
    end = reverse("lessons:group_end", args=[room.pk])
    assert _client(charlie).post(end).status_code == 404
    room.refresh_from_db()
    assert room.is_open


def test_leaving_keeps_the_room_going_and_only_its_opener_ends_it(alice: User) -> None:
    dani = learner("dani@example.org")
    room = room_of(alice, dani)
    response = _client(dani).post(reverse("lessons:group_leave", args=[room.pk]))
    assert response["Location"] == reverse("lessons:groups")
    assert member(room, dani).left_at is not None
    room.refresh_from_db()
    assert room.is_open
    end = reverse("lessons:group_end", args=[room.pk])
    assert _client(dani).post(end).status_code == 403
    assert _client(alice).post(end).status_code == 302
    room.refresh_from_db()
    assert not room.is_open
    assert member(room, dani).conversation.status == "ended"
    html = _client(dani).get(room.get_absolute_url()).content.decode()
    assert 'id="room-ended"' in html and 'id="talk-button"' not in html


def test_the_single_conversation_page_sends_a_group_copy_to_its_room(alice: User) -> None:
    room = room_of(alice)
    conversation = member(room, alice).conversation
    response = _client(alice).get(reverse("tutor:conversation", args=[conversation.pk]))
    assert response.status_code == 302 and response["Location"] == room.get_absolute_url()


def test_a_teacher_opens_a_room_from_an_assignment_with_invited_learners(
    personas: Personas,
) -> None:
    assignment = make_assignment(personas.classroom)
    bob = _client(personas.bob)
    form = bob.get(reverse("teach:group_new", args=[assignment.pk])).content.decode()
    assert "Alice" in form
    response = bob.post(
        reverse("teach:group_new", args=[assignment.pk]),
        {"level": "A2", "max_members": "3", "invited": [personas.alice.pk]},
    )
    room = GroupRoom.objects.get()
    assert response["Location"] == reverse("teach:group_room", args=[room.pk])
    assert (room.assignment, room.max_members, list(room.invited.all())) == (
        assignment,
        3,
        [personas.alice],
    )
    mine = _client(personas.alice).get(reverse("lessons:groups")).content.decode()
    assert f'data-room="{room.pk}"' in mine
    assert reverse("lessons:group_join", args=[room.invite_token]) in mine
    # The assignment page links here.
    page = bob.get(reverse("teach:assignment", args=[assignment.pk])).content.decode()
    assert reverse("teach:group_new", args=[assignment.pk]) in page


def test_the_teacher_sees_the_talk_time_balance_of_their_own_rooms_only(
    personas: Personas,
) -> None:
    alice = personas.alice
    dani = learner("dani@example.org")
    from lessons.models import Membership

    Membership.objects.create(classroom=personas.classroom, learner=dani)
    assignment = make_assignment(personas.classroom)
    room = groups.group_open(creator=personas.bob, language="es", level="A2", assignment=assignment)
    for who in (alice, dani):
        groups.group_join(room=room, learner=who)
    for who, ms in ((alice, 3000), (dani, 1000)):
        groups.group_record_turn(
            room_id=room.pk, speaker_learner_id=who.pk, text="Hola", started_ms=0, ended_ms=ms
        )
    html = _client(personas.bob).get(reverse("teach:group_room", args=[room.pk])).content.decode()
    shares = dict(re.findall(r'data-learner="(\d+)" data-talk-ms="\d+" data-share="(\d+)"', html))
    assert shares == {str(alice.pk): "75", str(dani.pk): "25"}
    transcript = reverse("teach:transcript", args=[member(room, alice).conversation_id])
    assert transcript in html
    # The teacher reads alice's copy, with dani's lines under his name.
    page = _client(personas.bob).get(transcript).content.decode()
    assert "Dani" in page
    other = make_user("olga@example.org", role="teacher")
    assert _client(other).get(reverse("teach:group_room", args=[room.pk])).status_code == 404
    assert _client(other).get(room.get_absolute_url()).status_code == 404
    assert _client(alice).get(reverse("teach:group_room", args=[room.pk])).status_code == 403
