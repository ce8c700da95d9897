"""Who may open what: every URL and WebSocket route × alice, bob, charlie and an anonymous visitor.

The routes come from the resolvers, so a new URL or socket without a row here fails
`test_every_route_has_a_row`. Personas (tests/base.py): alice is a learner in bob's classroom
and owns the conversations; bob is her teacher and sees the one held for his assignment;
charlie is an outsider. Pages that name someone else's object answer 404 (never 403), so ids
cannot be probed; teacher pages answer 403 to learners; anonymous visitors go to sign in.

Each cell is one request from a fresh client, inside a savepoint that is rolled back, so a
POST in one cell (ending a conversation, rotating a code) cannot change the next cell.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from django.db import connections, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.base import Personas
from tests.lessons.teaching import fast_passwords  # noqa: F401 (a fixture, used by name)
from tests.world import World, make_world
from tutor.conversation.registry import REGISTRY
from tutor.routing import websocket_urlpatterns

pytestmark = pytest.mark.usefixtures("fast_passwords")

WHO = ("alice", "bob", "charlie", "anonymous")
LOGIN = "login"  # 302 to the sign-in page, with ?next=
ADMIN_LOGIN = "admin-login"  # 302 to the admin's own sign-in page


# -- the rows ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    url: Callable[[World], str]
    expect: dict[str, int | str]  # persona -> status code, or LOGIN / ADMIN_LOGIN
    method: str = "get"
    data: dict[str, Any] | None = None


def everyone(outcome: int | str) -> dict[str, int | str]:
    return dict.fromkeys(WHO, outcome)


def signed_in(outcome: int | str = 200) -> dict[str, int | str]:
    return {"alice": outcome, "bob": outcome, "charlie": outcome, "anonymous": LOGIN}


def alices(outcome: int | str = 200, others: int | str = 404) -> dict[str, int | str]:
    return {"alice": outcome, "bob": others, "charlie": others, "anonymous": LOGIN}


def bobs(outcome: int | str = 200) -> dict[str, int | str]:
    return {"alice": 403, "bob": outcome, "charlie": 403, "anonymous": LOGIN}


def url(name: str, *args: Callable[[World], Any]) -> Callable[[World], str]:
    return lambda w: reverse(name, args=[arg(w) for arg in args])


def classroom(w: World) -> int:
    return w.personas.classroom.pk


def alice_pk(w: World) -> int:
    return w.personas.alice.pk


def pk_of(field: str) -> Callable[[World], Any]:
    return lambda w: getattr(w, field).pk


def room(w: World) -> Any:
    assert w.room is not None
    return w.room.pk


def invite(w: World) -> str:
    assert w.room is not None
    return w.room.invite_token


def no_lookup(w: World) -> int:
    return 0  # a word lookup that does not exist


def post(expect: dict[str, int | str], **data: Any) -> dict[str, Any]:
    return {"expect": expect, "method": "post", "data": data}


ROWS: dict[str, Row] = {
    # Public pages; a signed-in visitor is sent on from the landing page and sign-in forms.
    "landing": Row(url("landing"), {**everyone(302), "anonymous": 200}),
    "healthz": Row(url("healthz"), everyone(200)),
    # Probes (tutor/probes.py): the same answer for everyone. The test below names no tutor,
    # so readiness fails (tests/tutor/test_probes.py has the 200); no METRICS_TOKEN: 404.
    "readyz": Row(url("readyz"), everyone(503)),
    "metrics": Row(url("metrics"), everyone(404)),
    # The installable app (tutor/app_shell.py): the same files for everyone.
    "manifest": Row(url("manifest"), everyone(200)),
    "service_worker": Row(url("service_worker"), everyone(200)),
    "offline": Row(url("offline"), everyone(200)),
    # The interface's languages: the switcher's form (a redirect back) and the JS catalog.
    "set_language": Row(url("set_language"), **post(everyone(302), language="de")),
    "javascript-catalog": Row(url("javascript-catalog"), everyone(200)),
    "account_login": Row(url("account_login"), {**everyone(302), "anonymous": 200}),
    "account_signup": Row(url("account_signup"), {**everyone(302), "anonymous": 200}),
    "account_logout": Row(url("account_logout"), {**everyone(200), "anonymous": 302}),
    "account_inactive": Row(url("account_inactive"), everyone(200)),
    "account_reauthenticate": Row(url("account_reauthenticate"), signed_in()),
    # allauth 65.22: re-authentication by e-mailed code. Codes are not enabled here, so both
    # pages send a signed-in user on (302) and an anonymous visitor to sign in.
    "account_request_reauthentication_code": Row(
        url("account_request_reauthentication_code"), signed_in(302)
    ),
    "account_confirm_reauthentication_code": Row(
        url("account_confirm_reauthentication_code"), signed_in(302)
    ),
    "account_email": Row(url("account_email"), signed_in()),
    "account_email_verification_sent": Row(url("account_email_verification_sent"), everyone(200)),
    "account_change_password": Row(url("account_change_password"), signed_in()),
    "account_set_password": Row(url("account_set_password"), signed_in(302)),
    "account_reset_password": Row(url("account_reset_password"), everyone(200)),
    "account_reset_password_done": Row(url("account_reset_password_done"), everyone(200)),
    "account_confirm_login_code": Row(url("account_confirm_login_code"), everyone(302)),
    # A bogus key is a page saying the link is bad, for everyone.
    "account_confirm_email": Row(
        lambda w: reverse("account_confirm_email", args=["x"]), everyone(200)
    ),
    "account_reset_password_from_key": Row(
        lambda w: reverse("account_reset_password_from_key", kwargs={"uidb36": "1", "key": "x"}),
        everyone(200),
    ),
    "account_reset_password_from_key_done": Row(
        url("account_reset_password_from_key_done"), everyone(200)
    ),
    # Signed-in pages about oneself.
    "accounts:onboarding": Row(url("accounts:onboarding"), signed_in()),
    "accounts:profile": Row(url("accounts:profile"), signed_in()),
    "accounts:delete": Row(url("accounts:delete"), signed_in()),
    "lessons:home": Row(url("lessons:home"), signed_in()),
    "learn:history": Row(url("learn:history"), signed_in()),
    "learn:deck": Row(url("learn:deck"), signed_in()),
    "learn:progress": Row(url("learn:progress"), signed_in()),
    "learn:export_json": Row(url("learn:export_json"), signed_in()),
    "learn:export_csv": Row(url("learn:export_csv"), signed_in()),
    "learn:placement": Row(url("learn:placement"), signed_in()),
    # LTI: the platform's endpoints answer everyone; what they accept is the launch's to say.
    "lti:jwks": Row(url("lti:jwks"), everyone(200)),
    "lti:login": Row(
        lambda w: reverse("lti:login", args=["00000000-0000-0000-0000-000000000000"]),
        everyone(400),  # no target_link_uri: a bad request
    ),
    "lti:launch": Row(url("lti:launch"), everyone(405)),
    "lti:pick": Row(url("lti:pick"), everyone(400)),  # only after a deep-linking launch
    "lti:start": Row(
        url("lti:start", pk_of("assignment")),
        {"alice": 200, "bob": 404, "charlie": 404, "anonymous": 401},
    ),
    "teach:join_code": Row(url("teach:join_code"), signed_in()),
    "teach:join": Row(
        lambda w: reverse("teach:join", args=[w.personas.classroom.join_code]), signed_in()
    ),
    # alice's conversations: hers alone (bob reads the homework on his own page).
    "tutor:conversation": Row(url("tutor:conversation", pk_of("active")), alices()),
    "learn:conversation_review": Row(url("learn:conversation_review", pk_of("homework")), alices()),
    "learn:placement_result": Row(url("learn:placement_result", pk_of("placement")), alices()),
    # POST-only endpoints: a GET is 405 before anything else is looked at.
    "tutor:start": Row(url("tutor:start"), everyone(405)),
    "tutor:trial": Row(url("tutor:trial"), everyone(405)),
    "tutor:message": Row(url("tutor:message", pk_of("active")), everyone(405)),
    "tutor:end": Row(url("tutor:end", pk_of("active")), everyone(405)),
    "tutor:word_lookup": Row(url("tutor:word_lookup", pk_of("active")), everyone(405)),
    "tutor:word_to_deck": Row(url("tutor:word_to_deck", pk_of("active"), no_lookup), everyone(405)),
    "tutor:hints": Row(url("tutor:hints", pk_of("active")), everyone(405)),
    "tutor:hint_chosen": Row(url("tutor:hint_chosen", pk_of("active"), lambda w: 1), everyone(405)),
    "learn:deck_grade": Row(url("learn:deck_grade"), signed_in(405)),
    "learn:memory_edit": Row(url("learn:memory_edit", pk_of("memory")), signed_in(405)),
    "learn:memory_delete": Row(url("learn:memory_delete", pk_of("memory")), signed_in(405)),
    "learn:memory_switch": Row(url("learn:memory_switch"), signed_in(405)),
    "learn:memory_forget": Row(url("learn:memory_forget"), signed_in(405)),
    "learn:placement_level": Row(url("learn:placement_level", pk_of("placement")), everyone(405)),
    "tutor:placement_start": Row(url("tutor:placement_start"), everyone(405)),
    "tutor:placement_assess": Row(url("tutor:placement_assess", pk_of("placement")), everyone(405)),
    "learn:deck_check": Row(url("learn:deck_check"), signed_in(405)),
    "tutor:drill_spoken": Row(url("tutor:drill_spoken", pk_of("phrase")), everyone(405)),
    # alice's card's model answer (kept, so no Gemini call); anyone else's card is a 404.
    "tutor:drill_audio": Row(url("tutor:drill_audio", pk_of("phrase")), alices()),
    # A voice's sample (tutor/voice_preview.py), for anyone signed in; a language the site does
    # not teach is a 404 before any Gemini call.
    "tutor:voice_preview": Row(
        lambda w: reverse("tutor:voice_preview", args=["Kore", "xx"]), signed_in(404)
    ),
    "teach:leave": Row(url("teach:leave", classroom), signed_in(405)),
    # Group rooms (lessons/learner_views/groups.py): bob opened one for his assignment and
    # alice joined it; charlie, an outsider, may open the invite link but not the room. Teachers
    # open rooms from an assignment, not from the learners' group page.
    "lessons:groups": Row(url("lessons:groups"), {**signed_in(), "bob": 403}),
    "lessons:group_join": Row(url("lessons:group_join", invite), signed_in()),
    "lessons:group_room": Row(url("lessons:group_room", room), alices(others=404) | {"bob": 200}),
    "lessons:group_leave": Row(url("lessons:group_leave", room), signed_in(405)),
    "lessons:group_end": Row(url("lessons:group_end", room), signed_in(405)),
    # The typed fallback's reading (JSON, never the sign-in page): alice's copy; bob sees the
    # room but is not in it (403); charlie cannot see it (404); a visitor is told to sign in.
    "lessons:group_lines": Row(
        url("lessons:group_lines", room),
        {"alice": 200, "bob": 403, "charlie": 404, "anonymous": 401},
    ),
    # Typing into a room over HTTP is a POST (tutor/group/typed.py).
    "tutor:group_message": Row(url("tutor:group_message", room), everyone(405)),
    "teach:group_new": Row(url("teach:group_new", pk_of("assignment")), bobs()),
    "teach:group_room": Row(url("teach:group_room", room), bobs()),
    # The teacher area: bob's alone; learners are refused by role.
    "teach:dashboard": Row(url("teach:dashboard"), bobs()),
    "teach:classroom_new": Row(url("teach:classroom_new"), bobs()),
    "teach:classroom": Row(url("teach:classroom", classroom), bobs()),
    "teach:rotate_code": Row(url("teach:rotate_code", classroom), bobs(405)),
    "teach:learner": Row(url("teach:learner", classroom, alice_pk), bobs()),
    "teach:learner_placement": Row(url("teach:learner_placement", classroom, alice_pk), bobs()),
    "teach:remove_learner": Row(url("teach:remove_learner", classroom, alice_pk), bobs()),
    "teach:assignment_new": Row(url("teach:assignment_new", classroom), bobs()),
    "teach:assignment": Row(url("teach:assignment", pk_of("assignment")), bobs()),
    "teach:assignment_edit": Row(url("teach:assignment_edit", pk_of("assignment")), bobs()),
    "teach:assignment_csv": Row(url("teach:assignment_csv", pk_of("assignment")), bobs()),
    "teach:rubric": Row(url("teach:rubric", pk_of("assignment")), bobs(405)),
    # No rubric attached yet: bob is sent back to the assignment to attach one.
    "teach:grade": Row(url("teach:grade", pk_of("assignment"), alice_pk), bobs(302)),
    "tutor:rubric_propose": Row(
        url("tutor:rubric_propose", pk_of("assignment"), alice_pk),
        {"alice": 405, "bob": 405, "charlie": 405, "anonymous": 405},
    ),
    "teach:classroom_edit": Row(url("teach:classroom_edit", classroom), bobs()),
    "teach:classroom_archive": Row(url("teach:classroom_archive", classroom), bobs(405)),
    "teach:move_learner": Row(url("teach:move_learner", classroom, alice_pk), bobs()),
    "teach:assignment_archive": Row(
        url("teach:assignment_archive", pk_of("assignment")), bobs(405)
    ),
    "teach:assignment_delete": Row(url("teach:assignment_delete", pk_of("assignment")), bobs()),
    # No recording kept, and the class does not let its teacher listen: 404 for bob too.
    "teach:turn_audio": Row(
        lambda w: reverse(
            "teach:turn_audio",
            args=[w.homework.pk, w.homework.turns.filter(speaker="learner")[0].pk],
        ),
        bobs(404),
    ),
    "teach:review": Row(url("teach:review"), bobs()),
    "teach:transcript": Row(url("teach:transcript", pk_of("homework")), bobs()),
    "teach:topics": Row(url("teach:topics"), bobs()),
    "teach:topic_new": Row(url("teach:topic_new"), bobs()),
    "teach:topic_edit": Row(url("teach:topic_edit", pk_of("topic")), bobs()),
    "teach:topic_delete": Row(url("teach:topic_delete", pk_of("topic")), bobs(405)),
    "teach:topic_export": Row(url("teach:topic_export"), bobs()),
    "teach:topic_import": Row(url("teach:topic_import"), bobs(405)),
    # Staff only. Nobody here is staff: the operator page does not admit it exists.
    "admin:index": Row(url("admin:index"), everyone(ADMIN_LOGIN)),  # stands for every admin:*
    "ops:dashboard": Row(url("ops:dashboard"), signed_in(404)),
    # -- what the POSTs do (the writes) ---------------------------------------------------
    "POST tutor:start": Row(url("tutor:start"), **post(signed_in(302))),
    # A signed-in visitor is sent home rather than given a trial.
    "POST tutor:trial": Row(url("tutor:trial"), **post({**everyone(302)})),
    "POST tutor:message": Row(
        url("tutor:message", pk_of("active")),
        **post({"alice": 400, "bob": 404, "charlie": 404, "anonymous": 401}),
    ),
    # Asking for a hint calls Gemini: tests/tutor/test_hints.py checks who may, with the
    # emulator. Noting a choice does not: a form body names no suggestion (400) for alice.
    "POST tutor:hint_chosen": Row(
        url("tutor:hint_chosen", pk_of("active"), lambda w: 1),
        **post({"alice": 400, "bob": 404, "charlie": 404, "anonymous": 401}),
    ),
    "POST tutor:end": Row(
        url("tutor:end", pk_of("active")), **post({**alices(302), "anonymous": 404})
    ),
    # Tap a word (tutor/words.py): as the typed fallback; alice's empty request names no word.
    "POST tutor:word_lookup": Row(
        url("tutor:word_lookup", pk_of("active")),
        **post({"alice": 400, "bob": 404, "charlie": 404, "anonymous": 401}),
    ),
    # No such lookup is anyone's; an anonymous visitor is offered sign-up (JSON, 403).
    "POST tutor:word_to_deck": Row(
        url("tutor:word_to_deck", pk_of("active"), no_lookup),
        **post({"alice": 404, "bob": 404, "charlie": 404, "anonymous": 403}),
    ),
    "POST learn:deck_grade": Row(url("learn:deck_grade"), **post(signed_in(400))),
    # An empty answer is sent back to the deck with a message; a card of someone else's, 404.
    "POST learn:deck_check": Row(url("learn:deck_check"), **post(signed_in(302))),
    "POST tutor:drill_spoken": Row(
        url("tutor:drill_spoken", pk_of("phrase")),
        **post({"alice": 415, "bob": 404, "charlie": 404, "anonymous": LOGIN}),
    ),
    "POST lti:launch": Row(url("lti:launch"), **post(everyone(403))),  # no id_token
    "POST teach:leave": Row(url("teach:leave", classroom), **post(alices(302))),
    # Spoken placements: anyone signed in may start one; alice's is hers to assess (already
    # assessed here, so no Gemini call) and to take a level from.
    "POST tutor:placement_start": Row(url("tutor:placement_start"), **post(signed_in(302))),
    "POST tutor:placement_assess": Row(
        url("tutor:placement_assess", pk_of("placement")), **post(alices(302))
    ),
    "POST learn:placement_level": Row(
        url("learn:placement_level", pk_of("placement")), **post(alices(302), level="B1")
    ),
    "POST teach:rotate_code": Row(url("teach:rotate_code", classroom), **post(bobs(302))),
    "POST teach:remove_learner": Row(
        url("teach:remove_learner", classroom, alice_pk), **post(bobs(302))
    ),
    "POST teach:classroom_archive": Row(
        url("teach:classroom_archive", classroom), **post(bobs(302))
    ),
    "POST teach:assignment_archive": Row(
        url("teach:assignment_archive", pk_of("assignment")), **post(bobs(302))
    ),
    "POST teach:assignment_delete": Row(
        url("teach:assignment_delete", pk_of("assignment")), **post(bobs(302))
    ),
    "POST teach:topic_delete": Row(url("teach:topic_delete", pk_of("topic")), **post(bobs(302))),
    "POST teach:topic_import": Row(url("teach:topic_import"), **post(bobs(302))),
    # The tutor's memory: each learner edits only their own lines (someone else's: 404).
    "POST learn:memory_edit": Row(
        url("learn:memory_edit", pk_of("memory")), **post(alices(302), text="A sister in Nice")
    ),
    "POST learn:memory_delete": Row(
        url("learn:memory_delete", pk_of("memory")), **post(alices(302))
    ),
    "POST learn:memory_switch": Row(url("learn:memory_switch"), **post(signed_in(302))),
    "POST learn:memory_forget": Row(url("learn:memory_forget"), **post(signed_in(302))),
    # An empty form is shown again (200); bob is a teacher (403).
    "POST lessons:groups": Row(url("lessons:groups"), **post({**signed_in(), "bob": 403})),
    # alice comes back (302 to the room); bob (a teacher) and charlie (learning French) are
    # refused with a message on the same page.
    "POST lessons:group_join": Row(
        url("lessons:group_join", invite), **post({**signed_in(), "alice": 302})
    ),
    "POST lessons:group_leave": Row(
        url("lessons:group_leave", room), **post({**alices(302), "bob": 302})
    ),
    # Only the room's opener (bob) or its class's teacher may end it.
    "POST lessons:group_end": Row(
        url("lessons:group_end", room), **post({**alices(403), "bob": 302})
    ),
    "POST teach:group_new": Row(
        url("teach:group_new", pk_of("assignment")), **post(bobs(302), level="A2", max_members=3)
    ),
    "POST accounts:delete": Row(url("accounts:delete"), **post(signed_in(302), confirm="DELETE")),
    "POST account_logout": Row(url("account_logout"), **post(everyone(302))),
}


# -- the routes the resolvers know ------------------------------------------------------


def _names(patterns: list[Any], namespace: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace or ""]))
            yield from _names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            name = ":".join(filter(None, [namespace, pattern.name or str(pattern.pattern)]))
            # The admin's dozens of URLs share one guard (staff only): one row stands for them.
            yield "admin:index" if name.startswith("admin:") else name


@pytest.mark.smoke
def test_every_route_has_a_row() -> None:
    routes = set(_names(get_resolver().url_patterns))
    rows = {key.removeprefix("POST ") for key in ROWS}
    assert sorted(routes - rows) == [], "add a row for each new URL"
    assert sorted(rows - routes) == [], "remove rows for URLs that are gone"
    sockets = {str(pattern.pattern) for pattern in websocket_urlpatterns}
    assert sockets == set(SOCKETS), "add a row for each new WebSocket route"


def _outcome(response: Any) -> int | str:
    location = response.get("Location", "")
    if response.status_code == 302 and location.startswith(reverse("account_login") + "?next="):
        return LOGIN
    if response.status_code == 302 and location.startswith(reverse("admin:login")):
        return ADMIN_LOGIN
    return int(response.status_code)


def _client(w: World, who: str) -> Client:
    client = Client()
    if who != "anonymous":
        client.force_login(getattr(w.personas, who))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("who", WHO)
@override_settings(GEMINI_API_KEY="", GOOGLE_GEMINI_BASE_URL="", METRICS_TOKEN="")
def test_each_persona_gets_the_expected_answer_from_every_url(personas: Personas, who: str) -> None:
    """One persona per test, every row in it: a whole column of the matrix fails at once."""
    w = make_world(personas)
    client = _client(w, who)
    cookies = {key: morsel.value for key, morsel in client.cookies.items()}
    answers = {}
    for key, row in ROWS.items():
        for name, value in cookies.items():  # a logout in the last cell must not carry over
            client.cookies[name] = value
        with transaction.atomic():
            response = getattr(client, row.method)(row.url(w), row.data or {})
            transaction.set_rollback(True)
        answers[key] = _outcome(response)
    assert answers == {key: row.expect[who] for key, row in ROWS.items()}


# -- WebSocket routes ---------------------------------------------------------------------

OPEN = "open"  # accepted, and still open: the socket is theirs
TOLD = "websocket.send"  # accepted and sent something at once (a room's presence): theirs
SOCKETS: dict[str, tuple[Callable[[World], str], dict[str, int | str]]] = {
    "ws/conversations/<uuid:pk>/": (
        lambda w: f"/ws/conversations/{w.active.pk}/",
        {"alice": OPEN, "bob": 4403, "charlie": 4403, "anonymous": 4401},
    ),
    "ws/assignments/<int:pk>/live/": (
        lambda w: f"/ws/assignments/{w.assignment.pk}/live/",
        {"alice": 4403, "bob": OPEN, "charlie": 4403, "anonymous": 4401},
    ),
    # A group room's socket is its members' (alice joined bob's room); bob opened the room but
    # is its teacher, not a member: he watches from the teacher's page. A member is told at
    # once who is in the room.
    "ws/groups/<uuid:pk>/": (
        lambda w: f"/ws/groups/{w.room.pk}/",  # type: ignore[union-attr]
        {"alice": TOLD, "bob": 4403, "charlie": 4403, "anonymous": 4401},
    ),
}


async def _socket_outcome(path: str, user: Any) -> int | str:
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), path)
    communicator.scope["user"] = user
    communicator.scope["session"] = {}
    connected, code = await communicator.connect(timeout=10)
    if not connected:  # refused in the handshake (the browser only sees 1006 then)
        return int(code)
    outcome: int | str = OPEN
    if not await communicator.receive_nothing(timeout=0.3):
        message = await communicator.receive_output()
        outcome = message.get("code", message["type"])
    await communicator.disconnect()
    return outcome


@pytest.mark.django_db(transaction=True)
@override_settings(RECONNECT_GRACE_SECONDS=0)
async def test_each_persona_gets_the_expected_answer_from_every_socket(
    personas: Personas,
) -> None:
    w = await database_sync_to_async(make_world)(personas)
    users = {who: getattr(personas, who, None) or AnonymousUser() for who in WHO}
    answers, expected = {}, {}
    for route, (path, expect) in SOCKETS.items():
        for who in WHO:
            answers[route, who] = await _socket_outcome(path(w), users[who])
            expected[route, who] = expect[who]
        for runtime in list(REGISTRY.values()):  # the owner's socket opened a runtime
            await runtime.finish("test_teardown")
    await database_sync_to_async(connections.close_all)()
    assert answers == expected
