"""Hold a spoken group conversation (three learners and the tutor) with a running Tertulia,
as three browsers would, then check every member's copy of it in PostgreSQL.

    python manage.py demo_group --url http://127.0.0.1:8000 [--minutes 5] [--learners 3]

The server must share this database and SECRET_KEY (the offline demo from `make run`, run
from the same checkout). It makes (or reuses) the demo learners Ana, Ben and Cruz, opens a
room with them, signs each in, connects one socket each to /ws/groups/<uuid>/, and for
`--minutes` of real time has them take turns saying synthesized Spanish (espeak-ng, 48 kHz,
20 ms frames in real time, then silence so the turn ends): the emulator's script lines, whose
planted errors the tutor corrects; once two at the same moment (the second is queued), once a
typed line. It prints the captions, ends the room as its creator, and checks that each
member's conversation holds every line once, in order, attributed, each correction only in
its speaker's copy, and prints the talk-time balance. Any mismatch exits non-zero.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError
from django.test import Client
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from accounts.models import User
from lessons.models import Correction, GroupRoom, Turn
from lessons.selectors.groups import member_talk
from lessons.services import groups as services
from tutor.emulator.voice import synthesize

NAMES = ("Ana", "Ben", "Cruz", "Dani")
# The emulator's Spanish A2 lines, in its order: in a room it "hears" the next one whatever
# is said (tutor/emulator/dialogue.py `_group_step`), so the audio says the same words.
SPOKEN = (
    "Yo soy cansado hoy, trabajé mucho.",
    "Me gusta leer libros y escuchar a la música.",
    "Me gusta la música pop. Es muy bueno para bailar.",
)
TYPED = "Me gusta escuchar a la música cuando cocino."  # a planted error, typed
RATE = 48_000
FRAME_MS = 20
FRAME_BYTES = RATE * FRAME_MS // 1000 * 2
WAIT_S = 60.0


@dataclass
class Page:
    """One member's socket and what it received."""

    learner_id: int
    name: str
    cookie: str
    ws: ClientConnection | None = None
    events: list[dict[str, Any]] = field(default_factory=list)
    closed: bool = False
    spoke_s: float = 0.0  # seconds of speech this page sent (silence not counted)

    def finals(self, speaker: str) -> list[dict[str, Any]]:
        return [
            e
            for e in self.events
            if e["type"] == "transcript" and e.get("final") and e["speaker"] == speaker
        ]

    @property
    def holder(self) -> int | None:
        floors = [e for e in self.events if e["type"] == "floor"]
        return floors[-1]["holder"] if floors else None


class Command(BaseCommand):
    help = "Three demo learners talk in a group room on a running server; checks the database."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000")
        parser.add_argument("--minutes", type=float, default=5.0)
        parser.add_argument("--learners", type=int, default=3, choices=(2, 3, 4))

    def handle(self, *args: Any, **options: Any) -> None:
        base = options["url"].rstrip("/")
        if not base.startswith(("http://", "https://")):
            raise CommandError("--url must be an http:// or https:// address")
        room, pages = open_room(options["learners"])
        self.stdout.write(
            f"Room {room.pk} (Spanish, A2), members: {', '.join(p.name for p in pages)}; "
            f"talking for {options['minutes']:g} min\n"
        )
        demo = Demo(base, room, pages, options["minutes"] * 60, self.stdout.write)
        asyncio.run(demo.run())
        self.stdout.write("")
        self.verify(room, pages, demo)

    def verify(self, room: GroupRoom, pages: list[Page], demo: Demo) -> None:
        lines = demo.room_lines()
        names = {p.learner_id: p.name for p in pages}
        problems: list[str] = []
        for _ in range(50):  # the runtime writes off the audio path, a moment after the pages
            problems = [*self.check_copies(room, pages, lines, names)]
            if not problems:
                break
            time.sleep(0.2)
        room.refresh_from_db()
        if room.status != GroupRoom.Status.ENDED:
            problems.append(f"the room is {room.status}, not ended")
        learner_lines = [line for line in lines if line[0] is not None]
        self.stdout.write(
            f"In PostgreSQL: {len(lines)} lines ({len(learner_lines)} learners', "
            f"{len(lines) - len(learner_lines)} tutor's) in each of {len(pages)} copies"
        )
        self.stdout.write(
            "Talk-time balance (what the teacher sees; `sent` is the speech this demo played):"
        )
        spoke = {p.learner_id: p.spoke_s for p in pages}
        for talk in member_talk(room):
            said = sum(1 for who, _ in learner_lines if who == talk.learner_id)
            percent = "-" if talk.percent is None else f"{talk.percent}%"
            self.stdout.write(
                f"  {talk.name:5} {said:2} lines  talk {talk.talk_ms / 1000:5.1f} s  "
                f"{percent:>4}  (sent {spoke[talk.learner_id]:5.1f} s)  "
                f"{talk.corrections} corrections"
            )
        if problems:
            for problem in problems:
                self.stderr.write(f"MISMATCH: {problem}")
            raise CommandError(f"{len(problems)} mismatches between the room and PostgreSQL")
        self.stdout.write(
            self.style.SUCCESS(
                "OK: every line in every copy once, in order, attributed; "
                "each correction only in its speaker's copy."
            )
        )

    def check_copies(
        self,
        room: GroupRoom,
        pages: list[Page],
        lines: list[tuple[int | None, str]],
        names: dict[int, str],
    ) -> list[str]:
        problems = []
        for page in pages:
            member = room.members.get(learner_id=page.learner_id)
            stored = [
                (speaker, name, " ".join(text.split()))
                for speaker, name, text in Turn.objects.filter(
                    conversation_id=member.conversation_id
                )
                .order_by("ordinal")
                .values_list("speaker", "speaker_name", "text")
            ]
            expected = [
                ("tutor", "", text)
                if who is None
                else ("learner", "", text)
                if who == page.learner_id
                else ("peer", names[who], text)
                for who, text in lines
            ]
            if stored != expected:
                problems.append(f"{page.name}'s copy: {_diff(expected, stored)}")
            notes = Correction.objects.filter(turn__conversation_id=member.conversation_id)
            on = sorted(notes.values_list("turn__speaker", flat=True))
            if any(speaker != "learner" for speaker in on):
                problems.append(f"{page.name}'s copy has a correction on another's line")
            sent = [e for e in page.events if e["type"] == "correction"]
            if len(on) != len(sent):
                problems.append(
                    f"{page.name}: {len(sent)} corrections shown, {len(on)} stored in their copy"
                )
            if any(e for p in pages if p is not page for e in _corrections_about(p, page)):
                problems.append(f"{page.name}'s correction was shown to another member")
        return problems


def _corrections_about(page: Page, other: Page) -> list[dict[str, Any]]:
    """Corrections `page` was shown for lines `other` said."""
    said = {e["turn"] for e in other.finals("learner") if e["member"]["id"] == other.learner_id}
    return [e for e in page.events if e["type"] == "correction" and e.get("turn") in said]


def _diff(expected: list[tuple[str, str, str]], stored: list[tuple[str, str, str]]) -> str:
    for i, (want, got) in enumerate(zip(expected, stored, strict=False)):
        if want != got:
            return f"turn {i + 1} is {got}, expected {want}"
    return f"{len(stored)} turns stored, {len(expected)} said"


def open_room(learners: int) -> tuple[GroupRoom, list[Page]]:
    """The demo learners (made once, reused), a room with them, a signed-in cookie each."""
    users = []
    for name in NAMES[:learners]:
        user, made = User.objects.get_or_create(
            email=f"demo-{name.lower()}@example.org",
            defaults={
                "display_name": name,
                "onboarded": True,
                "native_language": "en",
                "target_language": "es",
                "level": "A2",
            },
        )
        if made:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        users.append(user)
    room = services.group_open(creator=users[0], language="es", level="A2")
    pages = []
    for user in users:
        services.group_join(room=room, learner=user)
        client = Client()
        client.force_login(user)
        cookie = f"sessionid={client.cookies['sessionid'].value}"
        pages.append(Page(user.pk, user.name, cookie))
    return room, pages


class Demo:
    """The room in real time: sockets, turns, captions."""

    def __init__(
        self, base: str, room: GroupRoom, pages: list[Page], seconds: float, log: Any
    ) -> None:
        self.base, self.room, self.pages, self.seconds, self.log = base, room, pages, seconds, log
        self.spoken = 0  # script lines said so far (the emulator's counter)
        self.lines_seen = 0  # captions printed from the first page
        self.turn = 0

    async def run(self) -> None:
        readers = []
        for page in self.pages:
            page.ws = await connect(
                self.base.replace("http", "ws", 1) + f"/ws/groups/{self.room.pk}/",
                additional_headers={"Cookie": page.cookie, "Origin": self.base},
                compression=None,
                open_timeout=30,
                ping_interval=None,
                max_size=None,
            )
            await page.ws.send(json.dumps({"type": "start", "sampleRate": RATE, "format": "s16"}))
            readers.append(asyncio.create_task(self.read(page)))
        try:
            await self.wait("the tutor's greeting", lambda: bool(self.first.finals("tutor")))
            began = time.monotonic()
            # The overlap and the typed line come early, so a short run shows them too.
            await self.speak([self.pages[0]])
            await self.speak(self.pages[1:3] if len(self.pages) > 2 else self.pages[::-1])
            await self.type(self.pages[-1])
            while time.monotonic() - began < self.seconds:
                await self.speak([self.next_speaker()])
            self.log(f"\n({time.monotonic() - began:.0f} s of conversation; Ana ends the room)")
            await _socket(self.first).send(json.dumps({"type": "end"}))
            await self.wait("the room's end on every page", self.all_ended)
        finally:
            for page in self.pages:
                if page.ws is not None:
                    await page.ws.close()
            for reader in readers:
                reader.cancel()

    @property
    def first(self) -> Page:
        return self.pages[0]

    def all_ended(self) -> bool:
        return all(p.closed or any(e["type"] == "ended" for e in p.events) for p in self.pages)

    async def read(self, page: Page) -> None:
        try:
            async for frame in _socket(page):
                if isinstance(frame, bytes):
                    continue  # the tutor's voice
                event = json.loads(frame)
                page.events.append(event)
                if event["type"] == "error":
                    self.log(f"  [{page.name}'s page: error {event}]")
                elif event["type"] == "correction":
                    self.log(
                        f"      ✎ to {page.name} only: {event['original']} → {event['corrected']}"
                    )
                elif page is self.first:
                    self.caption(event)
        except ConnectionClosed:
            pass  # the room ended or the server went away: the checks say which
        finally:
            page.closed = True

    def caption(self, event: dict[str, Any]) -> None:
        if event["type"] == "floor" and event["queue"]:
            names = {p.learner_id: p.name for p in self.pages}
            self.log(
                f"      (floor: {names.get(event['holder'], 'nobody')}; waiting: "
                f"{', '.join(names[m] for m in event['queue'])})"
            )
        if event["type"] != "transcript" or not event.get("final"):
            return
        who = event["member"]["name"] if event["speaker"] == "learner" else "Tutor"
        mark = " (amended)" if event.get("amends") else ""
        self.log(f"  {who:>5}: {event['text']}{mark}")

    def room_lines(self) -> list[tuple[int | None, str]]:
        """Every line of the room as the first page saw it: (speaker's learner id or None for
        the tutor, text), in the room's order; a late transcription replaces its line."""
        lines: dict[int, tuple[int | None, str]] = {}
        for event in self.first.events:
            if event["type"] == "transcript" and event.get("final"):
                who = event["member"]["id"] if event["speaker"] == "learner" else None
                lines[event["turn"]] = (who, " ".join(event["text"].split()))
        return [lines[turn] for turn in sorted(lines)]

    def next_speaker(self) -> Page:
        """Whoever the tutor's last line asks (it invites the quietest): the name that opens
        its last sentence, as in "Cruz, ¿estás de acuerdo con Ana?"; else the next one."""
        last = self.first.finals("tutor")[-1]["text"]
        names = "|".join(re.escape(p.name) for p in self.pages)
        asked = re.findall(rf"(?:^|[.!?]\s+)({names}),", last)
        if asked:
            return next(p for p in self.pages if p.name == asked[-1])
        self.turn += 1
        return self.pages[self.turn % len(self.pages)]

    async def speak(self, speakers: list[Page]) -> None:
        """Each of `speakers` says the next script line, 150 ms apart (one is one turn, more
        is an overlap the floor queues); then the tutor's answer to the last of them."""
        before = len(self.first.finals("learner"))
        tasks = []
        for i, page in enumerate(speakers):
            sentence = SPOKEN[self.spoken % len(SPOKEN)]
            self.spoken += 1
            audio = await asyncio.to_thread(_audio, sentence)
            page.spoke_s += len(audio) / 2 / RATE - 1.0
            tasks.append((page, audio, 0.15 * i))
        if len(speakers) > 1:
            self.log(f"  [{' and '.join(p.name for p in speakers)} start talking at once]")
        await asyncio.gather(*(_stream(page, audio, delay) for page, audio, delay in tasks))
        await self.answered(speakers, before)

    async def type(self, page: Page) -> None:
        before = len(self.first.finals("learner"))
        self.log(f"  [{page.name} types]")
        await _socket(page).send(json.dumps({"type": "text", "text": TYPED}))
        await self.answered([page], before)

    async def answered(self, speakers: list[Page], before: int) -> None:
        """Every speaker's line seen, in the order they spoke, then the tutor's reply to the
        last and the floor free."""

        def said() -> list[dict[str, Any]]:
            return [e for e in self.first.finals("learner")[before:] if not e.get("amends")]

        await self.wait("the learners' lines", lambda: len(said()) >= len(speakers))
        last = said()[len(speakers) - 1]["turn"]
        await self.wait(
            "the tutor's reply",
            lambda: any(e["turn"] > last for e in self.first.finals("tutor")),
        )
        await self.wait("the floor to free", lambda: self.first.holder is None)
        await asyncio.sleep(0.5)

    async def wait(self, what: str, done: Any) -> None:
        deadline = time.monotonic() + WAIT_S
        while not done():
            if time.monotonic() > deadline:
                raise CommandError(f"no {what} within {WAIT_S:.0f} s")
            if any(p.closed for p in self.pages) and not self.all_ended():
                raise CommandError(f"a socket closed while waiting for {what}")
            await asyncio.sleep(0.05)


def _audio(sentence: str) -> bytes:
    """The sentence at 48 kHz, then a second of silence so the turn ends."""
    speech = np.frombuffer(synthesize(sentence, "es", sample_rate=RATE), np.int16)
    return np.concatenate([speech, np.zeros(RATE, np.int16)]).tobytes()


async def _stream(page: Page, audio: bytes, delay: float) -> None:
    """One 20 ms frame every 20 ms, like a microphone."""
    await asyncio.sleep(delay)
    ws = _socket(page)
    start = time.monotonic()
    for index, offset in enumerate(range(0, len(audio) - FRAME_BYTES + 1, FRAME_BYTES)):
        await ws.send(audio[offset : offset + FRAME_BYTES])
        await asyncio.sleep(max(0.0, start + (index + 1) * FRAME_MS / 1000 - time.monotonic()))


def _socket(page: Page) -> ClientConnection:
    if page.ws is None:
        raise CommandError(f"{page.name}'s page is not connected")
    return page.ws
