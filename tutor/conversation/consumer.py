"""The conversation WebSocket: authenticate, validate frames, delegate to the runtime.

Close codes are in `tutor.conversation.protocol` (3012 moved, 3013 try again, 4400 bad frame,
4401 not signed in, 4403 not yours, 4408 trial over, 4409 opened in another tab, 4410 ended,
4413 too large, 4429 too many, 4502 tutor unavailable). We accept the socket before refusing
so the browser receives the code: a refusal during the handshake reaches the page as a bare
1006.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any
from uuid import UUID

from channels.db import database_sync_to_async
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError
from django.utils import translation

from accounts import language
from lessons.models import Conversation
from lessons.selectors.evidence import live_evidence
from lessons.services.handover import Takeover, conversation_take_over
from lessons.services.live_updates import WITH_EVIDENCE, publish_activity
from tutor import learner_texts, logformat, metrics
from tutor.audio import socket_audio
from tutor.audio.frames import FrameError, Problem, Start
from tutor.audio.rate_limit import InboundBudget
from tutor.audio.resample import AudioFormatError
from tutor.conversation import ownership, protocol
from tutor.conversation.access import refusal
from tutor.conversation.close_notices import PLACEMENT_OVER
from tutor.conversation.direct_consumer import DirectWebsocketConsumer
from tutor.conversation.drain import shut_down
from tutor.conversation.registry import REGISTRY
from tutor.conversation.runtime import ConversationRuntime
from tutor.live import upstream
from tutor.live.session import LiveTutor

logger = logging.getLogger(__name__)
_CREATING: dict[UUID, asyncio.Lock] = {}


@database_sync_to_async
def _load(pk: UUID) -> Conversation | None:
    return (
        Conversation.objects.select_related("learner", "topic", "assignment")
        # The learner's memory goes into the Live settings, built in async code: read it now.
        .prefetch_related("learner__memory_lines", "learner__classrooms")
        .filter(pk=pk)
        .first()
    )


class ConversationConsumer(DirectWebsocketConsumer):
    # This consumer receives no group messages. An alias that is not configured makes Channels
    # skip the layer entirely, so a Redis outage cannot close a learner's socket; teachers'
    # live views are told through lessons.services.live_updates, which tolerates the outage.
    channel_layer_alias = "no-channel-layer"
    runtime: ConversationRuntime | None = None
    inbound: socket_audio.Inbound | None = None
    outbound: socket_audio.PcmOut | socket_audio.OpusOut = socket_audio.PcmOut()
    # The interface language of this socket's user (accounts.language): the runtime may be
    # shared by the sockets of one conversation, so texts are turned into words as they leave.
    interface_language: str = settings.LANGUAGE_CODE

    async def connect(self) -> None:
        pk = self.scope["url_route"]["kwargs"]["pk"]
        logformat.bind_conversation(pk)  # this socket's log lines (and its runtime's) name it
        self.interface_language = language.for_scope(self.scope)
        await self.accept()
        try:
            conversation = await _load(pk)
        except DatabaseError:
            logger.warning("conversation %s: database unavailable at connect", pk)
            await self.close(protocol.CLOSE_TRY_AGAIN)
            return
        code = refusal(conversation, self.scope)
        if code is None and conversation is not None and conversation.group_room_id:
            # A member's copy of a group conversation is talked in through its room's socket
            # (tutor.group); a Live session of its own here would write a second story into it.
            code = protocol.CLOSE_NOT_YOURS
        if code is not None:
            await self.close(code)
            return
        if conversation is None:  # refusal() already closed for a missing conversation
            return
        self.conversation = conversation
        self.bytes_in = InboundBudget(settings.MAX_INBOUND_BYTES_PER_SECOND, time.monotonic)
        # The same token bucket, counting frames: tiny frames cost little in bytes.
        self.frames_in = InboundBudget(settings.MAX_INBOUND_FRAMES_PER_SECOND, time.monotonic)
        self.runtime = await self._runtime(conversation)
        if self.runtime is None:  # its owner elsewhere did not let go (or we are stopping)
            await self.close(protocol.CLOSE_TRY_AGAIN)
            return
        if self.runtime.trial and self.runtime.trial_seconds_left() == 0:
            await self.send_event({"type": "trial_ended", "signupUrl": "/accounts/signup/"})
            await self.close(protocol.CLOSE_TRIAL_OVER)
            self.runtime = None

    async def _runtime(self, conversation: Conversation) -> ConversationRuntime | None:
        lock = _CREATING.setdefault(conversation.pk, asyncio.Lock())
        async with lock:
            runtime = REGISTRY.get(conversation.pk)
            if runtime is not None and not runtime.ended:
                if runtime.sink is not None and runtime.sink is not self:
                    await runtime.sink.close_with(protocol.CLOSE_REPLACED)
                runtime.attach(self)
                return runtime
            runtime = await self._claimed_runtime(conversation)
            if runtime is not None:
                REGISTRY[conversation.pk] = runtime
                runtime.attach(self)
        _CREATING.pop(conversation.pk, None)
        return runtime

    async def _claimed_runtime(self, conversation: Conversation) -> ConversationRuntime | None:
        """A new runtime holding the conversation's lease: taken from its owner in another
        process if there is one (tutor.conversation.ownership), and built only then from
        what is stored, so it continues from every turn and the handle the owner left."""
        owners = ownership.current()
        if owners.draining:
            return None
        lease = await owners.claim(conversation.pk)
        if lease is None:
            return None
        try:
            takeover = await database_sync_to_async(conversation_take_over)(
                conversation_id=conversation.pk
            )
        except DatabaseError:
            takeover = None
        if takeover is None or not takeover.active:  # the page retries, then is told why
            await lease.release()
            return None
        runtime = self._new_runtime(conversation, takeover)
        runtime.own(lease)
        return runtime

    def _new_runtime(self, conversation: Conversation, takeover: Takeover) -> ConversationRuntime:
        live = upstream.live_settings(
            conversation, history=takeover.history, handle=takeover.handle
        )
        runtime = ConversationRuntime(
            conversation_id=conversation.pk,
            started_at=conversation.started_at,
            trial=conversation.is_trial,
            first_activity_at=takeover.first_audio_at,
            tutor=LiveTutor(upstream.client(), live),
            next_ordinal=takeover.next_ordinal,
            assignment_id=conversation.assignment_id,
            on_activity=self._publisher(conversation),
            language=conversation.language,
            target_phrases=conversation.topic.target_phrases if conversation.topic else (),
        )
        runtime.stats.carry(takeover.stats)
        if conversation.is_placement:  # a few minutes, then the result (tutor.placement)
            runtime.max_seconds = settings.PLACEMENT_MAX_SECONDS
            runtime.limit_message = PLACEMENT_OVER
        return runtime

    @staticmethod
    def _publisher(conversation: Conversation) -> Any:
        if conversation.assignment_id is None or conversation.learner is None:
            return None
        assignment_id, learner = conversation.assignment_id, conversation.learner

        async def publish(kind: str, seconds: float) -> None:
            evidence = None
            if kind in WITH_EVIDENCE:  # the row's phrases and corrections, as stored so far
                evidence = await database_sync_to_async(live_evidence)(assignment_id, learner.pk)
            await publish_activity(
                assignment_id=assignment_id,
                learner_id=learner.pk,
                learner_name=learner.name,
                kind=kind,  # type: ignore[arg-type]
                speaking_seconds=seconds,
                evidence=evidence,
            )

        return publish

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        try:
            await super().__call__(scope, receive, send)
        except asyncio.CancelledError:
            # Daphne cancels every consumer on SIGTERM: hand this conversation over, or
            # finish it with no other process to go to (tutor.conversation.drain).
            if self.runtime is not None:
                await asyncio.shield(shut_down(self.runtime))
            raise

    async def disconnect(self, code: int) -> None:
        if self.inbound is not None:
            self.inbound.close()
        if self.runtime is not None:
            self.runtime.detach(self)

    # -- Sink, for the runtime ----------------------------------------------------------

    async def send_event(self, payload: dict[str, Any]) -> None:
        # The Opus encoder holds up to a frame of tutor audio: drop it on a barge-in, play
        # it out at the end of a turn (before the event, so the page sees audio, then the end).
        if payload["type"] == "interrupted":
            self.outbound.interrupt()
        elif payload["type"] == "turn_complete" and not payload.get("interrupted"):
            for frame in self.outbound.end_turn():
                await self.send(bytes_data=frame)
        with translation.override(self.interface_language):
            await self.send(text_data=_json(payload))

    async def send_audio(self, pcm: bytes) -> None:
        """24 kHz mono PCM16 tutor audio, sent in the codec the page asked for. Opus bundles
        go out one by one: the loop turns once after each, so that Twisted writes the first
        packet of a reply to the socket before the rest of its chunk is encoded."""
        for frame in self.outbound.frames(pcm):
            await self.send(bytes_data=frame)
            if self.outbound.codec == "opus":
                await asyncio.sleep(0)

    async def close_with(self, code: int) -> None:
        if self.runtime is not None:
            self.runtime.detach(self)
            self.runtime = None
        await self.close(code)

    # -- frames from the browser --------------------------------------------------------

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.runtime is None:
            return
        size = len(bytes_data or b"") + len(text_data or "")
        try:
            if not (self.bytes_in.allow(size) and self.frames_in.allow(1)):
                metrics.FRAMES_DROPPED.labels("rate_limited").inc()
                raise FrameError("too_fast", "sending too fast")
            if bytes_data is not None:
                await self._audio(bytes_data)
            elif text_data is not None:
                await self._control(self.parse_control(text_data))
        except FrameError as exc:
            await self._refuse(protocol.close_code(exc), exc.problem, str(exc))
        except AudioFormatError as exc:
            await self._refuse(protocol.CLOSE_BAD_FRAME, "malformed", str(exc))

    def parse_control(self, raw: str) -> dict[str, Any]:
        return protocol.parse_text_frame(raw)

    async def _refuse(self, code: int, problem: Problem, detail: str) -> None:
        """The page shows `message` (ours, in the learner's language); `detail` names the
        protocol's rule the frame broke, for whoever wrote the client."""
        message = learner_texts.frame_problem_text(problem)
        refusal = {"type": "error", "code": "bad_frame", "message": message, "detail": detail}
        await self.send_event(refusal)
        await self.close_with(code)

    async def _audio(self, data: bytes) -> None:
        if self.inbound is None:
            raise FrameError("malformed", "audio before start")
        await self._learner_audio(self.inbound.to_16k(data))

    async def _learner_audio(self, pcm: bytes) -> None:
        """16 kHz PCM16 for the tutor: decoded frames, or the silence fed while an Opus
        page's encoder is quiet (tutor.audio.silence)."""
        if pcm and self.runtime is not None:
            await self.runtime.learner_audio(pcm)

    async def _control(self, message: dict[str, Any]) -> None:
        if self.runtime is None:
            return
        kind = message["type"]
        if kind == "start":
            await self._start(protocol.parse_start(message))
        elif kind == "text":
            await self.runtime.learner_text(message["text"].strip())
        elif kind == "pause":
            if self.inbound is not None:
                self.inbound.pause()
            await self.runtime.end_audio()
        elif kind == "end":
            await self.runtime.finish("learner_ended", close_code=protocol.CLOSE_NORMAL)
        else:
            await self.send_event({"type": "pong"})

    async def _start(self, start: Start) -> None:
        if self.runtime is None:
            return
        if self.inbound is not None:
            # A second start may only repeat the format: a rate change mid-stream is refused.
            socket_audio.same_format(self.inbound.start, start)
        else:
            limit = settings.MAX_INBOUND_BYTES_PER_SECOND
            self.inbound = socket_audio.inbound(
                start, max_bytes_per_second=limit, deliver=self._learner_audio
            )
            self.outbound = socket_audio.outbound(start)
        runtime = self.runtime
        await self.send_event(
            {
                "type": "ready",
                "conversation": str(runtime.id),
                "trial": runtime.trial,
                "trialSecondsLeft": runtime.trial_seconds_left(),
                "demo": settings.DEMO_TUTOR,
                "outputRate": socket_audio.TUTOR_RATE,
                "codec": start.codec,
                "outputCodec": self.outbound.codec,
            }
        )
        await runtime.start()


def _json(payload: dict[str, Any]) -> str:
    """Lazy texts (close notices, the time limit's words) in the active language."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), cls=DjangoJSONEncoder)
