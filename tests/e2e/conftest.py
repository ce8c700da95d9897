"""The browser-test harness: Debian's Chromium (Playwright) against Daphne, the Live emulator
and the pytest test database.

Daphne runs in a subprocess (WebSockets need an ASGI server) with DATABASE_URL pointed at the
test database pytest-django created, so tests write with `transactional_db` (committed, visible
to the server) and the flush after each test cleans up. The emulator runs in another
subprocess at real-time pace, so barge-in has a tutor turn to interrupt.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import wave
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.db import connection
from playwright.sync_api import Browser, Page, sync_playwright

from lessons.services.conversations import conversation_start
from tests.dburl import database_url
from tests.e2e.browser import ARTIFACTS, EmulatorControl, open_conversation
from tests.servers import daphne, server_env
from tutor.emulator.voice import synthesize

ROOT = Path(__file__).resolve().parents[2]
# `make test` sets CHROMIUM to what bin/ensure-browser found or installed.
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
TRIAL_SECONDS = 12
MIC_RATE = 48000
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--use-fake-device-for-media-stream",
]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Personas are created for every test; the browser signs in by cookie, never by password."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The env lines a Live client needs (GOOGLE_GEMINI_BASE_URL, SSL_CERT_FILE)."""
    workdir = tmp_path_factory.mktemp("emulator")
    log = (workdir / "emulator.log").open("w")
    command = [sys.executable, "-m", "tutor.emulator", "--port", "0", "--workdir", str(workdir)]
    proc = subprocess.Popen(  # noqa: S603 (our own module, fixed arguments)
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=log, text=True
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline().strip() for _ in range(2)]
        env = dict(line.split("=", 1) for line in lines if "=" in line)
        if set(env) != {"GOOGLE_GEMINI_BASE_URL", "SSL_CERT_FILE"}:
            pytest.fail(f"the emulator did not start: {lines}")
        yield env
    finally:
        proc.terminate()
        proc.wait(10)
        log.close()


@pytest.fixture(scope="session")
def emulator_control(emulator: dict[str, str]) -> EmulatorControl:
    return EmulatorControl(emulator)


@pytest.fixture(scope="session")
def server(
    django_db_setup: None,
    django_db_blocker: Any,
    emulator: dict[str, str],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    """Daphne serving the site on a free port, against the test database and the emulator."""
    env = server_env(
        database_url=database_url(),
        extra={
            **emulator,  # its address, and its CA as SSL_CERT_FILE
            "TERTULIA_TESTING": "1",
            "TRIAL_SECONDS": str(TRIAL_SECONDS),
            "DJANGO_SETTINGS_MODULE": "tutor.settings",
        },
    )
    log_path = tmp_path_factory.mktemp("daphne") / "daphne.log"
    try:
        with daphne(env, log=log_path) as running:
            yield running.url
    finally:
        with django_db_blocker.unblock():
            _close_other_sessions()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        if log_path.exists():
            shutil.copy(log_path, ARTIFACTS / "daphne.log")


def _close_other_sessions() -> None:
    """Let pytest-django drop the test database: end the sessions still open on it (the
    server's, which PostgreSQL notices a moment after it exits, and any a test opened from
    Playwright's greenlet, which Django's own teardown cannot see)."""
    others = "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    with connection.cursor() as cursor:
        for _ in range(100):
            cursor.execute(f"SELECT count(*) {others}")
            if cursor.fetchone()[0] == 0:
                return
            cursor.execute(f"SELECT pg_terminate_backend(pid) {others}")
            time.sleep(0.05)


@pytest.fixture(params=["opus", "pcm"])
def codec(request: pytest.FixtureRequest) -> str:
    """Every browser test runs twice: with WebCodecs (the page speaks Opus both ways) and
    without them (Chromium with WebCodecs switched off: the page falls back to PCM)."""
    return str(request.param)


@pytest.fixture
def launch(monkeypatch: pytest.MonkeyPatch, codec: str) -> Iterator[Callable[..., Browser]]:
    """Start Chromium with a fake microphone playing `wav` once (or none: no permission).

    Function-scoped, so Playwright stops before the database flush that ends each test.
    """
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"no browser at {CHROMIUM}: run the tests with `make test`, which finds or installs"
            " Chromium (bin/ensure-browser), or set CHROMIUM to a Chromium binary"
        )
    # Playwright's sync API keeps an event loop running on this thread; Django would refuse
    # the ORM calls a test makes between browser steps.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:

        def start(wav: Path | None = None, *, allow_mic: bool = True) -> Browser:
            args = list(CHROMIUM_ARGS)
            if allow_mic:
                args.append("--use-fake-ui-for-media-stream")
            if wav is not None:
                # %noloop: say it once, then exact zeros (a looping file keeps talking).
                args.append(f"--use-file-for-fake-audio-capture={wav}%noloop")
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
            return browser if codec == "opus" else _without_webcodecs(browser)

        yield start


# A browser without WebCodecs, as far as the page can tell (Chromium cannot switch them off
# by flag): every page of the browser loses the four constructors before its scripts run.
NO_WEBCODECS = (
    "for (const name of ['AudioEncoder', 'AudioDecoder', 'AudioData', 'EncodedAudioChunk'])"
    " delete globalThis[name];"
)


def _without_webcodecs(browser: Browser) -> Browser:
    new_context, new_page = browser.new_context, browser.new_page

    def context(**options: Any) -> Any:
        made = new_context(**options)
        made.add_init_script(NO_WEBCODECS)
        return made

    def page(**options: Any) -> Any:
        made = new_page(**options)
        made.add_init_script(NO_WEBCODECS)
        return made

    browser.new_context = context  # type: ignore[method-assign]
    browser.new_page = page  # type: ignore[method-assign]
    return browser


@pytest.fixture(scope="session")
def speech_wav(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, float], Path]:
    """A 48 kHz mono WAV: `lead` seconds of silence, `text` spoken in Spanish (none if
    empty), 3 s of silence."""
    folder = tmp_path_factory.mktemp("speech")

    def make(text: str, lead: float) -> Path:
        pcm = synthesize(text, "es", MIC_RATE, 150) if text else b""
        speech = np.frombuffer(pcm, dtype=np.int16)
        silence = np.zeros(int(lead * MIC_RATE), dtype=np.int16)
        tail = np.zeros(3 * MIC_RATE, dtype=np.int16)
        path = folder / f"speech-{len(list(folder.iterdir()))}.wav"
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(MIC_RATE)
            out.writeframes(np.concatenate([silence, speech, tail]).tobytes())
        return path

    return make


@pytest.fixture
def speaking(
    server: str,
    launch: Callable[..., Browser],
    speech_wav: Callable[[str, float], Path],
    alice: Any,
) -> Callable[..., Page]:
    """Opens Alice's new conversation (on `topic`, or free talk) with the talk button pressed,
    her fake microphone saying `sentence` after `lead` seconds of silence."""

    def open_page(sentence: str, lead: float, topic: Any = None) -> Page:
        conversation = conversation_start(learner=alice, topic=topic)
        return open_conversation(launch(speech_wav(sentence, lead)), server, alice, conversation)

    return open_page


@pytest.fixture
def chromium(monkeypatch: pytest.MonkeyPatch) -> Iterator[Browser]:
    """A plain Chromium for the page-by-page tests (installing, layout, accessibility): no
    fake microphone file and no codec variants, which only the conversation's audio needs."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no browser at {CHROMIUM}: run the tests with `make test` or set CHROMIUM")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # ORM calls beside Playwright's loop
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, "--use-fake-ui-for-media-stream"]
        )
        yield browser
        browser.close()
