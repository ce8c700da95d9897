"""What `LiveTutor` does with each server message: one handler per field.

A mixin of `tutor.live.session.LiveTutor`, kept apart from the connection lifecycle (connect,
resume, retry, buffer) so each file reads on its own; it shares the session's state, declared
below. Section numbers refer to docs/gemini-live.md.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Callable

from google.genai import types
from google.genai.live import AsyncSession

from tutor.live.config import LiveSettings
from tutor.live.events import Event, Usage
from tutor.live.notes import ONE_UPGRADE, Note
from tutor.live.turns import TurnAssembler, note_event

log = logging.getLogger(__name__)

# Tool answers carry nothing the model needs. On 3.8 Live calls are NON_BLOCKING by default and
# the default scheduling (WHEN_IDLE) would make the tutor speak again about the note; SILENT
# only adds it to the context. For BLOCKING calls (3.1) `scheduling` is documented as ignored.
_SCHEDULING = types.FunctionResponseScheduling.SILENT
_DURATION = re.compile(r"^\s*([\d.]+)s\s*$")


class ServerMessageHandlers:
    """The receive loop's dispatch; the attributes are `LiveTutor`'s."""

    settings: LiveSettings
    resumption_handle: str | None
    _turn: TurnAssembler
    _emit: Callable[[Event], None]
    _failures: int
    _greeted: bool
    _go_away_at: float | None
    _handle_current: bool
    _deadline: asyncio.Timeout | None

    async def _dispatch(self, session: AsyncSession, message: types.LiveServerMessage) -> None:
        # Order matters when one message carries several fields: a barge-in first, learner
        # words before tutor output, notes before the turn ends, usage before TurnComplete.
        content = message.server_content or types.LiveServerContent()
        if content.interrupted:
            self._turn.barge_in()
        heard = content.input_transcription
        if heard and heard.text:
            self._turn.learner_fragment(heard.text, finished=bool(heard.finished))
        if content.model_turn:
            self._handle_model_turn(content.model_turn)
        if content.output_transcription and content.output_transcription.text:
            self._turn.tutor_fragment(content.output_transcription.text)
        if message.tool_call:
            await self._handle_tool_call(session, message.tool_call)
        if message.tool_call_cancellation:
            self._handle_tool_call_cancellation(message.tool_call_cancellation)
        if message.session_resumption_update:
            self._handle_session_resumption_update(message.session_resumption_update)
        if message.go_away:
            self._handle_go_away(message.go_away)
        if message.usage_metadata:
            self._handle_usage_metadata(message.usage_metadata)
        if content.turn_complete:
            self._handle_turn_complete(content)

    def _handle_model_turn(self, model_turn: types.Content) -> None:
        for part in model_turn.parts or []:
            blob = part.inline_data
            if blob and blob.data and (blob.mime_type or "").startswith("audio/"):
                self._turn.tutor_audio(blob.data)  # 24 kHz PCM16 (§7); text parts are thoughts

    async def _handle_tool_call(
        self, session: AsyncSession, call: types.LiveServerToolCall
    ) -> None:
        # The learner's final line precedes its notes; on 3.8 a NON_BLOCKING call may come after
        # turnComplete, when it is a late note of the last reply (`TurnAssembler.note`).
        self._turn.tool_call()
        responses = []
        for fc in call.function_calls or []:
            event, result = note_event(fc.name or "", fc.args or {})
            if isinstance(event, Note):
                if not self._turn.note(event):
                    result = ONE_UPGRADE  # a second upgrade of the same line is refused
            else:
                log.warning("Ignored tool call %s: %s", fc.name, result)
            if not fc.id:  # unanswerable: the SDK refuses a response without an id (§3)
                continue
            responses.append(
                types.FunctionResponse(
                    id=fc.id, name=fc.name, response=result, scheduling=_SCHEDULING
                )
            )
        if responses:
            await session.send_tool_response(function_responses=responses)

    def _handle_tool_call_cancellation(self, cancel: types.LiveServerToolCallCancellation) -> None:
        # Already answered and noted: a mistake stays a mistake if the tutor was interrupted.
        log.debug("Tool calls cancelled: %s", cancel.ids)

    def _handle_session_resumption_update(
        self, update: types.LiveServerSessionResumptionUpdate
    ) -> None:
        if update.resumable and update.new_handle:
            self.resumption_handle = update.new_handle
            self._handle_current = True
        elif update.resumable is False:  # generating: a new turn is under way (§4.4)
            self._turn.server_turn_began()

    def _handle_go_away(self, go_away: types.LiveServerGoAway) -> None:
        # Leave a margin before the server's deadline close, at most a quarter of the notice
        # (real notices are ~60 s; a short one must still let a short turn finish).
        total = _seconds(go_away.time_left)
        left = max(total - min(self.settings.go_away_margin, total / 4), 0.0)
        self._go_away_at = time.monotonic() + left
        if self._deadline is not None:  # ends an unfinished turn in time (see `_receive`)
            self._deadline.reschedule(asyncio.get_running_loop().time() + left)
        log.info("goAway with %s left", go_away.time_left)

    def _handle_usage_metadata(self, usage: types.UsageMetadata) -> None:
        self._emit(
            Usage(
                prompt_tokens=usage.prompt_token_count or 0,
                response_tokens=usage.response_token_count or 0,
                total_tokens=usage.total_token_count or 0,
            )
        )

    def _handle_turn_complete(self, content: types.LiveServerContent) -> None:
        # interactionStatus IN_PROGRESS: "more model output may follow" (late transcription,
        # NON_BLOCKING calls); only IDLE says the server is done (§4.3). Models without the
        # field (2.5, 3.1) give no such evidence: the learner's next speech closes the line.
        idle = content.interaction_status == types.InteractionStatus.IDLE
        # NEED_MORE_INPUT ("needs more input from the user"; `waitingForInput`: "it expects the
        # user to continue talking"): nothing was answered, the learner's line goes on. Any
        # other reason (a malformed call, a safety stop) ends the turn like no reason (§4.2).
        reason = content.turn_complete_reason
        waiting = reason == types.TurnCompleteReason.NEED_MORE_INPUT or bool(
            content.waiting_for_input
        )
        if reason:
            log.info("turnComplete: %s", reason)
        in_progress = content.interaction_status == types.InteractionStatus.IN_PROGRESS
        completed = self._turn.turn_complete(idle=idle, waiting=waiting, in_progress=in_progress)
        # The handle that covers this turn comes after turnComplete: until it does, resuming
        # would give a session that never heard the turn.
        self._handle_current = False
        self._failures = 0
        self._greeted = self._greeted or completed or not waiting


def _seconds(duration: str | None) -> float:
    """A proto Duration string ("50s", "1.5s"); unknown or missing means no time left."""
    match = _DURATION.match(duration or "")
    return float(match.group(1)) if match else 0.0


def takes_turn(message: types.LiveServerMessage) -> bool:
    """Whether the server has taken the learner's input into a turn (no replay needed)."""
    content = message.server_content
    if content is None:
        return False
    heard = content.input_transcription is not None and bool(content.input_transcription.text)
    return heard or content.model_turn is not None or bool(content.turn_complete)
