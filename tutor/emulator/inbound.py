"""Client frames after setup: audio into the VAD, typed text, client content, tool responses."""

from __future__ import annotations

from typing import Any

from tutor.emulator import arrivals, wire
from tutor.emulator.scheduling import scheduling
from tutor.emulator.setup import INVALID_ARGUMENT, LiveConfig, ProtocolError
from tutor.emulator.strict import check_context_update
from tutor.emulator.turns import Conductor, Trigger
from tutor.emulator.vad import DEFAULT_THRESHOLD, THRESHOLDS, EnergyVad, To16k

MEDIA_CHUNKS = "realtime_input.media_chunks is deprecated. Use audio, video, or text instead."
CLIENT_MESSAGES = ("realtimeInput", "clientContent", "toolResponse", "contextUpdate")


class Inbound:
    def __init__(self, config: LiveConfig, conductor: Conductor, silence_ms: int) -> None:
        self.config, self.conductor = config, conductor
        threshold = THRESHOLDS.get(config.start_sensitivity or "", DEFAULT_THRESHOLD)
        self.vad = EnergyVad(config.silence_ms or silence_ms, threshold)
        self.to16k = To16k()
        self.input_started = False  # any realtimeInput yet (3.1's client-content rule)

    def handle(self, message: dict[str, Any]) -> None:
        """Act on one normalised client message; raise ProtocolError for a bad one."""
        kinds = [k for k in CLIENT_MESSAGES if k in message]
        if len(message) != 1 or len(kinds) != 1 or not isinstance(message[kinds[0]], dict):
            raise ProtocolError(1007, INVALID_ARGUMENT)
        body = message[kinds[0]]
        if kinds[0] == "realtimeInput":
            self._realtime_input(body)
        elif kinds[0] == "clientContent":
            self._client_content(body)
        elif kinds[0] == "toolResponse":
            self._tool_response(body)
        else:
            self._context_update(body)

    def _realtime_input(self, body: dict[str, Any]) -> None:
        if "mediaChunks" in body:
            raise ProtocolError(1007, MEDIA_CHUNKS)
        self.input_started = True
        if isinstance(body.get("audio"), dict):
            self._audio(body["audio"])
        if body.get("audioStreamEnd") and self.vad.flush():
            self.conductor.enqueue(Trigger("audio", speech_ms=self.vad.loud_ms))
        if isinstance(body.get("text"), str):
            self.conductor.barge_in()
            self.conductor.enqueue(Trigger("text", body["text"]))
        # activityStart/End are only meaningful with automatic activity detection off.
        if not self.config.aad and "activityStart" in body:
            self.conductor.speech_started()
        if not self.config.aad and "activityEnd" in body:
            self.conductor.enqueue(Trigger("audio"))

    def _audio(self, blob: dict[str, Any]) -> None:
        try:
            pcm = wire.b64decode(str(blob.get("data", "")))
        except ValueError as exc:
            raise ProtocolError(1007, INVALID_ARGUMENT) from exc
        self.conductor.link.record.audio_bytes_in += len(pcm)
        arrivals.audio(self.conductor.link.record, len(pcm))
        if not self.config.aad:
            return
        for event in self.vad.feed(self.to16k(pcm, wire.mime_rate(blob.get("mimeType")))):
            if event == "start":
                self.conductor.speech_started()
            else:
                self.conductor.enqueue(Trigger("audio", speech_ms=self.vad.loud_ms))

    def _client_content(self, body: dict[str, Any]) -> None:
        # 3.1 Flash Live takes client content only as initial history (docs/gemini-live.md §3).
        if self.config.model.startswith("gemini-3.1") and (
            not self.config.history_in_client_content or self.input_started
        ):
            raise ProtocolError(1007, INVALID_ARGUMENT)
        texts = [
            ("learner" if turn.get("role", "user") == "user" else "tutor", part["text"])
            for turn in body.get("turns") or []
            if isinstance(turn, dict)
            for part in turn.get("parts") or []
            if isinstance(part, dict) and isinstance(part.get("text"), str)
        ]
        if not body.get("turnComplete"):
            self.conductor.state.history += [[speaker, text] for speaker, text in texts]
            return
        said = [text for speaker, text in texts if speaker == "learner"]
        self.conductor.barge_in()  # client content interrupts any current generation
        self.conductor.enqueue(Trigger("text", said[-1] if said else ""))

    def _context_update(self, body: dict[str, Any]) -> None:
        """A new instruction (and/or tools), checked now, applied in order with the input
        before it: a turn already queued or under way keeps the instruction it began with."""
        check_context_update(body, self.config.model)
        self.conductor.enqueue(Trigger("context", update=body))

    def _tool_response(self, body: dict[str, Any]) -> None:
        for response in body.get("functionResponses") or []:
            if isinstance(response, dict):
                when = scheduling(response)  # 1007 for a value that is not one
                self.conductor.answer(str(response.get("id")), response.get("response"), when)
