"""Learner input on its way to Gemini, for `tutor.live.session.LiveTutor` (a mixin sharing its
state): audio, typed text and the microphone pausing, each sent on the live connection or held
for the next one (`tutor.live.uplink`), and the learner's own speech, which tells the turn
assembly when a new utterance begins (`tutor.live.turns`).
"""

from __future__ import annotations

from dataclasses import replace

from google.genai.live import AsyncSession
from websockets.exceptions import ConnectionClosed

from tutor.live.config import BYTES_PER_MS_IN, LiveSettings
from tutor.live.realtime_input import send_audio_frame
from tutor.live.turns import TurnAssembler
from tutor.live.uplink import Uplink


class LearnerInput:
    """The attributes are `LiveTutor`'s."""

    _session: AsyncSession | None
    _go_away_at: float | None
    _uplink: Uplink
    _turn: TurnAssembler
    _history: list[tuple[str, str]]
    settings: LiveSettings
    resumption_handle: str | None
    _input_under: object  # the handle current when the learner last said or typed something

    async def send_audio(self, pcm16_16k: bytes) -> None:
        """Learner audio: 16 kHz mono PCM16 little-endian. Uses `audio=`, never the
        deprecated `media=` (1007 on current models, docs/gemini-live.md §3)."""
        self._turn.learner_audio(len(pcm16_16k) / BYTES_PER_MS_IN)
        session = self._live_session()
        if session is None:
            self._uplink.hold("audio", pcm16_16k)
            return
        try:
            await send_audio_frame(session, pcm16_16k)
        except ConnectionClosed:
            self._lost(session)
            self._uplink.hold("audio", pcm16_16k)
        else:
            self._uplink.sent_audio(pcm16_16k)

    def typed_line(self, text: str) -> int:
        """Register a typed line before sending it: its id, which notes about it will carry."""
        return self._turn.typed(text)

    def heard_speech(self) -> None:
        """The learner's own audio has speech: after a reply, a new utterance (`turns`)."""
        self._turn.learner_speech()
        self._input_under = self.resumption_handle  # a handle from before this is stale

    async def send_text(self, text: str, *, registered: bool = False) -> None:
        """A typed learner message (realtime text, so it works on every Live model). The
        consumer records it as the learner's line; an echoed transcription is not re-emitted.
        `registered`: `typed_line` was already called for it."""
        if not registered:
            self._turn.typed(text)
        self._input_under = self.resumption_handle
        session = self._live_session()
        if session is None:
            self._uplink.hold("text", text)
            return
        try:
            await session.send_realtime_input(text=text)
        except ConnectionClosed:
            self._lost(session)
            self._uplink.hold("text", text)
        else:
            self._sent_text(text)

    def _sent_text(self, text: str) -> None:
        """A typed line reached the server: from now on it is part of the conversation a
        fresh session must be told about (`_history`). A line still held is not: it goes to
        the next connection itself, and a transcript holding it would make that connection a
        continuation of a conversation no server has heard (no greeting; the opener would
        read as the learner's words)."""
        self._history.append(("learner", text))

    async def end_audio(self) -> None:
        """The mic paused: let the server flush its cached audio (AAD stays on)."""
        self._turn.learner_paused()
        session = self._live_session()
        if session is None:
            self._uplink.hold("end")
            return
        try:
            await session.send_realtime_input(audio_stream_end=True)
        except ConnectionClosed:  # the next connection must still hear that the mic paused
            self._lost(session)
            self._uplink.hold("end")

    async def update_instruction(self, instruction: str) -> None:
        """A new system instruction for the rest of the session (a group room's floor passed,
        `tutor.group.runtime`): a Live `contextUpdate`, processed in order with the audio
        around it. Later connections are set up with it; one that is down now gets it then."""
        self.settings = replace(self.settings, system_instruction=instruction)
        session = self._live_session()
        if session is None:
            return
        try:
            await session.send_context_update(system_instruction=instruction)
        except ConnectionClosed:
            self._lost(session)

    def _live_session(self) -> AsyncSession | None:
        """Where learner input goes now: nowhere (held) once goAway came, so the dying
        connection only finishes its turn and the next one hears what followed."""
        return None if self._go_away_at is not None else self._session

    def _lost(self, session: AsyncSession) -> None:
        if self._session is session:
            self._session = None
