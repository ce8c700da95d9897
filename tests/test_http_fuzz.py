"""Every form and POST endpoint under hostile input: unicode, huge strings, NUL bytes, markup,
SQL and template injection, wrong types, and no CSRF token.

Invariants: no request raises (the test client re-raises a view's exception: that would be a
500), nothing answers 500, injected markup never comes back unescaped in an HTML page, and a
template-looking value is never rendered as a template. Each example runs in a savepoint that
is rolled back, so one example's sign-up or deletion does not leak into the next.
"""

from __future__ import annotations

import asyncio
import json
import struct
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.base import PASSWORD, Personas
from tests.lessons.teaching import fast_passwords  # noqa: F401 (a fixture, used by name)
from tests.test_permission_matrix import ROWS
from tests.world import World, make_world
from tutor.emulator import Emulator
from tutor.live import upstream

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_passwords")]

MARKUP = ['<script>alert("xss")</script>', "<img src=x onerror=alert(1)>"]
INJECTIONS = [
    *MARKUP,
    "'; DROP TABLE lessons_turn; --",
    "Robert'); DELETE FROM accounts_user WHERE ('1'='1",
    "{{ settings.SECRET_KEY }}",
    "{% debug %}",
    "\x00",
    "hola\x00mundo",
    "%00",
    "../../../etc/passwd",
    "\u202egnp.exe",
    "😀" * 30,
    " ",
    "",
]
FUZZ = settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

fuzz_text = st.one_of(
    st.sampled_from(INJECTIONS),
    st.text(max_size=40),
    st.builds(lambda char, n: char * n, st.characters(codec="utf-8"), st.integers(300, 30_000)),
    st.integers().map(str),
)


@dataclass(frozen=True)
class Form:
    who: str
    url: Callable[[World], str]
    valid: Callable[[World], dict[str, str]]  # data that passes (so injections get stored)
    shows: Callable[[World], str] | None = None  # a page that shows what was stored
    extra: dict[str, str] = field(default_factory=dict)


def _profile(w: World) -> dict[str, str]:
    return {
        "display_name": "Alice",
        "native_language": "en",
        "target_language": "es",
        "level": "A2",
        "correction_style": "recast",
        "role": "learner",
    }


def _topic(w: World) -> dict[str, str]:
    return {
        "title": "En el mercado",
        "language": "es",
        "level_min": "A1",
        "level_max": "B1",
        "scenario": "A market in Seville.",
        "tutor_role": "a fruit seller",
        "learner_goal": "buy fruit",
        "grammar_focus": "",
        "opener": "",
        "correction_style": "",
        "phrases": "¿cuánto cuesta?",
    }


def _assignment(w: World) -> dict[str, str]:
    return {
        "topic": str(w.topic.pk),
        "starts_at": "2030-01-01T10:00",
        "due_at": "2030-01-08T10:00",
        "min_speaking_minutes": "5",
        "correction_style": "",
        "instructions": "Practise ordering.",
    }


def page(name: str, *args: Callable[[World], Any]) -> Callable[[World], str]:
    return lambda w: reverse(name, args=[arg(w) for arg in args])


def _pk(attr: str) -> Callable[[World], Any]:
    def get(w: World) -> Any:
        value: Any = w
        for part in attr.split("."):
            value = getattr(value, part)
        return value.pk

    return get


FORMS: dict[str, Form] = {
    "account_signup": Form(
        "anonymous",
        page("account_signup"),
        lambda w: {
            "email": "dana@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "display_name": "Dana",
        },
        shows=page("accounts:profile"),
    ),
    "account_login": Form(
        "anonymous",
        page("account_login"),
        lambda w: {"login": "alice@example.org", "password": PASSWORD},
    ),
    "account_reset_password": Form(
        "anonymous", page("account_reset_password"), lambda w: {"email": "alice@example.org"}
    ),
    "account_change_password": Form(
        "alice",
        page("account_change_password"),
        lambda w: {
            "oldpassword": PASSWORD,
            "password1": "nuevo-CLAVE-77",
            "password2": "nuevo-CLAVE-77",
        },
    ),
    "account_email": Form(
        "alice",
        page("account_email"),
        lambda w: {"email": "alice.two@example.org", "action_add": ""},
        shows=page("account_email"),
    ),
    "accounts:onboarding": Form(
        "alice", page("accounts:onboarding"), _profile, shows=page("accounts:profile")
    ),
    "accounts:profile": Form(
        "alice", page("accounts:profile"), _profile, shows=page("accounts:profile")
    ),
    "accounts:delete": Form("alice", page("accounts:delete"), lambda w: {"confirm": "DELETE"}),
    "tutor:start": Form("alice", page("tutor:start"), lambda w: {"topic": str(w.topic.pk)}),
    "tutor:trial": Form("anonymous", page("tutor:trial"), lambda w: {"language": "fr"}),
    "tutor:message": Form(
        "alice",
        page("tutor:message", _pk("active")),
        lambda w: {"text": "Hola"},
        shows=page("tutor:conversation", _pk("active")),
    ),
    "tutor:end": Form("alice", page("tutor:end", _pk("active")), lambda w: {}),
    "learn:deck_grade": Form(
        "alice",
        page("learn:deck_grade"),
        lambda w: {"phrase": str(w.phrase.pk), "rating": "3", "reps": "0", "shown_at": ""},
    ),
    "learn:deck_check": Form(
        "alice",
        page("learn:deck_check"),
        lambda w: {"phrase": str(w.phrase.pk), "answer": "quisiera un café", "shown_at": ""},
        shows=page("learn:deck"),
    ),
    "teach:classroom_new": Form(
        "bob",
        page("teach:classroom_new"),
        lambda w: {"name": "Spanish 3A", "language": "es", "level_min": "A1", "level_max": "B1"},
        shows=page("teach:dashboard"),
    ),
    "teach:assignment_new": Form(
        "bob",
        page("teach:assignment_new", _pk("personas.classroom")),
        _assignment,
        shows=page("teach:classroom", _pk("personas.classroom")),
    ),
    "teach:assignment_edit": Form(
        "bob",
        page("teach:assignment_edit", _pk("assignment")),
        _assignment,
        shows=page("teach:assignment", _pk("assignment")),
    ),
    "teach:topic_new": Form("bob", page("teach:topic_new"), _topic, shows=page("teach:topics")),
    "teach:topic_edit": Form(
        "bob", page("teach:topic_edit", _pk("topic")), _topic, shows=page("teach:topics")
    ),
    "teach:transcript": Form(
        "bob",
        page("teach:transcript", _pk("homework")),
        lambda w: {"text": "Muy bien", "turn": ""},
        shows=page("learn:conversation_review", _pk("homework")),
    ),
    "teach:join_code": Form("alice", page("teach:join_code"), lambda w: {"code": "ABCDEFGH"}),
}


@pytest.fixture
def threaded_emulator() -> Iterator[Emulator]:
    """The emulator on its own event loop in a thread, for the synchronous test client: the
    typed fallback gets a real (emulated) tutor reply, and no test ever reaches Google."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    emulator = Emulator(pace=0)
    asyncio.run_coroutine_threadsafe(emulator.start(), loop).result(timeout=30)
    try:
        with override_settings(
            GOOGLE_GEMINI_BASE_URL=emulator.base_url,
            GEMINI_CA_FILE=emulator.ca_file,
            GEMINI_API_KEY="",
        ):
            yield emulator
    finally:
        upstream.client.cache_clear()
        asyncio.run_coroutine_threadsafe(emulator.stop(), loop).result(timeout=30)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()


def _client(w: World, who: str, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    if who != "anonymous":
        client.force_login(getattr(w.personas, who))
    return client


def _check_page(response: Any) -> None:
    assert response.status_code < 500 or response.status_code == 503  # 503: tutor unavailable
    if "text/html" not in response.get("Content-Type", ""):
        return
    body = response.content.decode()
    for markup in MARKUP:
        assert markup not in body, "user input rendered unescaped"
    assert django_settings.SECRET_KEY not in body, "user input rendered as a template"


@st.composite
def form_data(draw: st.DrawFn, valid: dict[str, str]) -> dict[str, str]:
    """The valid data with some fields replaced by hostile values, maybe an extra field."""
    data = dict(valid)
    for name in draw(st.sets(st.sampled_from(sorted(valid) or ["text"]), max_size=3)):
        data[name] = draw(fuzz_text)
    if draw(st.integers(0, 4)) == 0:
        data[draw(st.sampled_from(["id", "pk", "learner", "author", "is_staff"]))] = "1"
    return data


@pytest.mark.usefixtures("threaded_emulator")
@pytest.mark.parametrize("name", sorted(FORMS))
@FUZZ
@given(data=st.data())
def test_hostile_form_input_is_refused_or_stored_safely(
    personas: Personas, name: str, data: st.DataObject
) -> None:
    form = FORMS[name]
    # Each request runs its async views on a new event loop: the SDK client (and its HTTP
    # session) must not outlive one.
    upstream.client.cache_clear()
    with transaction.atomic():
        w = make_world(personas)
        posted = data.draw(form_data(form.valid(w)), label="posted")
        client = _client(w, form.who)
        _check_page(client.post(form.url(w), posted))
        if form.shows is not None:
            _check_page(client.get(form.shows(w)))
        transaction.set_rollback(True)


NASTIEST = ["hola\x00mundo", MARKUP[0], "{{ settings.SECRET_KEY }}", "ñ" * 100_000]


@pytest.mark.usefixtures("threaded_emulator")
@pytest.mark.parametrize("name", sorted(FORMS))
def test_the_nastiest_values_in_every_field_at_once(personas: Personas, name: str) -> None:
    """Hypothesis samples; this sweep guarantees each form meets NUL, markup, a template
    and 100,000 characters in all of its fields."""
    form = FORMS[name]
    for value in NASTIEST:
        upstream.client.cache_clear()
        with transaction.atomic():
            w = make_world(personas)
            client = _client(w, form.who)
            _check_page(client.post(form.url(w), dict.fromkeys(form.valid(w) or ["text"], value)))
            if form.shows is not None:
                _check_page(client.get(form.shows(w)))
            transaction.set_rollback(True)


json_bodies = st.one_of(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner),
        max_leaves=8,
    ).map(json.dumps),
    st.fixed_dictionaries({"text": fuzz_text}).map(json.dumps),
    st.sampled_from(['{"text": "\\ud800"}', '{"text": "a\\u0000"}', "{", "", "[]", "null"]),
).map(str.encode) | st.binary(max_size=200)


@pytest.mark.usefixtures("threaded_emulator")
@FUZZ
@given(body=json_bodies)
def test_the_typed_fallback_takes_any_json_body_without_a_500(
    personas: Personas, body: bytes
) -> None:
    upstream.client.cache_clear()
    with transaction.atomic():
        w = make_world(personas)
        client = _client(w, "alice")
        url = reverse("tutor:message", args=[w.active.pk])
        response = client.post(url, body, content_type="application/json")
        assert response.status_code in (200, 400), response.content
        transaction.set_rollback(True)


word_bodies = json_bodies | st.fixed_dictionaries(
    {
        "word": fuzz_text | st.sampled_from(["hola", "Hola", "元気", "\ud800"]),
        "sentence": fuzz_text | st.sampled_from(["¡Hola!", "a\u0000 hola", "\ud800 hola"]),
        "turn": st.none() | st.integers() | st.booleans() | st.text(max_size=3),
    }
).map(json.dumps).map(str.encode)


@pytest.mark.usefixtures("threaded_emulator")
@FUZZ
@given(body=word_bodies)
def test_a_word_lookup_takes_any_json_body_without_a_500(personas: Personas, body: bytes) -> None:
    upstream.client.cache_clear()
    with transaction.atomic():
        w = make_world(personas)
        url = reverse("tutor:word_lookup", args=[w.active.pk])
        response = _client(w, "alice").post(url, body, content_type="application/json")
        assert response.status_code in (200, 400), response.content
        assert response.json()["message" if response.status_code != 200 else "lemma"]
        transaction.set_rollback(True)


def _wav(rate: int, channels: int, width: int, payload: bytes, size: int | None) -> bytes:
    """A RIFF/WAVE file whose header says whatever it is told (the data size too)."""
    byte_rate = (rate * channels * width) & 0xFFFFFFFF  # a 32-bit field, whatever it says
    fmt = struct.pack("<HHIIHH", 1, channels, rate, byte_rate, channels * width, width * 8)
    data_size = len(payload) if size is None else size
    body = b"WAVEfmt " + struct.pack("<I", 16) + fmt + b"data" + struct.pack("<I", data_size)
    return b"RIFF" + struct.pack("<I", len(body) + len(payload)) + body + payload


wav_bodies = st.binary(max_size=300) | st.builds(
    _wav,
    rate=st.sampled_from([0, 1, 7999, 16000, 48000, 96001, 2**31]),
    channels=st.integers(0, 3),
    width=st.integers(0, 4),
    payload=st.binary(min_size=0, max_size=40_000),
    size=st.none() | st.integers(0, 2**32 - 1),
)


@pytest.mark.usefixtures("threaded_emulator")
@FUZZ
@given(body=wav_bodies, content_type=st.sampled_from(["audio/wav", "audio/x-wav", "text/plain"]))
def test_a_spoken_answer_takes_any_body_without_a_500(
    personas: Personas, body: bytes, content_type: str
) -> None:
    upstream.client.cache_clear()
    with transaction.atomic():
        w = make_world(personas)
        url = reverse("tutor:drill_spoken", args=[w.phrase.pk])
        response = _client(w, "alice").post(url, body, content_type=content_type)
        assert response.status_code in (200, 400, 415), response.content
        assert response.json()["message" if response.status_code != 200 else "html"]
        transaction.set_rollback(True)


@FUZZ
@given(
    query=st.dictionaries(
        st.sampled_from(["q", "page", "topic", "language", "days"]), fuzz_text, max_size=3
    )
)
def test_search_and_filters_take_any_query_string(personas: Personas, query: dict) -> None:
    with transaction.atomic():
        w = make_world(personas)
        alice, bob = _client(w, "alice"), _client(w, "bob")
        _check_page(alice.get(reverse("learn:history"), query))
        _check_page(alice.get(reverse("learn:progress"), query))
        _check_page(bob.get(reverse("teach:topic_export"), query))
        _check_page(bob.get(reverse("teach:review"), query))
        transaction.set_rollback(True)


@FUZZ
@given(content=st.binary(max_size=3000) | json_bodies, filename=st.sampled_from(["t.json", "x"]))
def test_topic_import_takes_any_file(personas: Personas, content: bytes, filename: str) -> None:
    with transaction.atomic():
        w = make_world(personas)
        upload = SimpleUploadedFile(filename, content, content_type="application/json")
        response = _client(w, "bob").post(reverse("teach:topic_import"), {"file": upload})
        assert response.status_code < 500
        transaction.set_rollback(True)


def _posts() -> list[str]:
    """Every URL in the permission matrix: none may accept a POST without a CSRF token."""
    return sorted(key for key in ROWS if not key.startswith("POST "))


@pytest.mark.parametrize("who", ["bob", "anonymous"])
def test_no_url_accepts_a_post_without_a_csrf_token(personas: Personas, who: str) -> None:
    w = make_world(personas)
    client = _client(w, who, enforce_csrf_checks=True)
    answers = {key: client.post(ROWS[key].url(w), {"text": "hola"}).status_code for key in _posts()}
    assert answers == {**dict.fromkeys(_posts(), 403), **CSRF_EXEMPT}


# A learning platform posts to these from its own site (LTI 1.3's OIDC login initiation and
# launch): no CSRF token can come with them. The OIDC state cookie, the nonce and the signed
# id_token protect them instead (lessons/lti/views.py); without those they refuse.
CSRF_EXEMPT = {"lti:login": 400, "lti:launch": 403}


@FUZZ
@given(segment=fuzz_text.filter(bool).map(lambda s: quote(s[:300], safe="")))
def test_path_parameters_take_anything(personas: Personas, segment: str) -> None:
    """Free-text path segments (a join code, e-mail and password-reset keys) never 500."""
    with transaction.atomic():
        w = make_world(personas)
        alice = _client(w, "alice")
        for path in (f"/teach/join/{segment}/", f"/accounts/confirm-email/{segment}/"):
            _check_page(alice.get(path))
            _check_page(alice.post(path))
        _check_page(Client().get(f"/accounts/password/reset/key/1-{segment}/"))
        transaction.set_rollback(True)
