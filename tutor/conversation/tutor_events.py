"""What a conversation runtime does with each event from the tutor: relay it to the page and
persist it (turns, corrections, phrases, the learner's voice) through the write queue.

A mixin of `tutor.conversation.runtime.ConversationRuntime`, which owns the state and the
helpers declared below.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from lessons.services import audio as audio_services
from lessons.services import conversations as services
from tutor import metrics
from tutor.audio.learner_voice import LearnerVoice
from tutor.conversation.captions import Captions
from tutor.conversation.feedback import TargetPhrases, correction_diff
from tutor.conversation.protocol import CLOSE_TUTOR_UNAVAILABLE
from tutor.conversation.stats import SpeechStats
from tutor.conversation.upgrades import UpgradeHandlers
from tutor.learner_texts import error_text
from tutor.live import events as ev
from tutor.live.session import LiveTutor

logger = logging.getLogger(__name__)

TUTOR_BYTES_PER_SECOND = 48_000  # 24 kHz PCM16 mono


class TutorEventHandlers(UpgradeHandlers):
    """The event pump and its handlers; the attributes are `ConversationRuntime`'s."""

    id: UUID
    language: str
    targets: TargetPhrases
    captions: Captions
    tutor: LiveTutor
    stats: SpeechStats
    _voice: LearnerVoice | None
    _t0: float
    _offset_ms: float
    _turn_seq: int
    _last_learner_seq: int | None
    _turn_ids: dict[int, int]
    _line_seqs: dict[int, int]
    _written: set[int]
    _held_notes: dict[int, list[ev.CorrectionNoted | ev.UpgradeNoted]]
    _learner_speaking: bool
    _send: Callable[[dict[str, Any]], Awaitable[None]]
    _send_audio: Callable[[bytes], Awaitable[None]]
    _activity: Callable[[str], Awaitable[None]]
    _persist: Callable[..., None]
    _spawn: Callable[[Awaitable[Any]], None]
    finish: Callable[..., Awaitable[None]]

    async def _run_pump(self) -> None:
        try:
            async for event in self.tutor.events():
                await self._handle(event)
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("conversation %s: event pump failed", self.id)
            self._spawn(
                self.finish("server_error", close_code=CLOSE_TUTOR_UNAVAILABLE, failed=True)
            )

    async def _handle(self, event: ev.Event) -> None:
        match event:
            case ev.TutorAudio(pcm=pcm):
                self.stats.tutor_audio(len(pcm) / TUTOR_BYTES_PER_SECOND)
                await self._send_audio(pcm)
            case ev.Transcript(final=False):
                await self._partial_transcript(event)
            case ev.Transcript():
                self.captions.settle(event.speaker)
                await self._final_transcript(event, source="speech")
            case ev.SpeechEnded(at=at):
                self.stats.speech_ended(at)
                await self._activity("listening")
            case ev.CorrectionNoted():
                await self._correction(event)
            case ev.UpgradeNoted():
                await self._upgrade(event)
            case ev.PhraseNoted(text=text, translation=translation):
                self._persist(
                    services.conversation_record_phrase,
                    conversation_id=self.id,
                    text=text,
                    translation=translation,
                )
                await self._send({"type": "phrase", "text": text, "translation": translation})
            case ev.Interrupted():
                await self._send({"type": "interrupted"})
            case ev.TurnComplete(interrupted=interrupted):
                self.captions.settle("tutor")
                await self._send({"type": "turn_complete", "interrupted": interrupted})
            case ev.Reconnecting(attempt=attempt, reason=reason):
                self.captions.settle("tutor")  # a greeting cut by the drop is spoken again whole
                metrics.LIVE_RECONNECTS.labels(reason).inc()
                await self._send({"type": "reconnecting", "attempt": attempt})
            case ev.Resumed(reconnects=reconnects):
                self.stats.reconnects = reconnects
                await self._send({"type": "resumed"})
            case ev.Usage():
                self.stats.usage(event.prompt_tokens, event.response_tokens, event.total_tokens)
            case ev.Error(code=code, fatal=fatal):
                await self._send({"type": "error", "code": code, "message": error_text(code)})
                if fatal:
                    self._spawn(self.finish(code, close_code=CLOSE_TUTOR_UNAVAILABLE, failed=True))

    async def _partial_transcript(self, event: ev.Transcript) -> None:
        if event.speaker == "learner" and not self._learner_speaking:
            self._learner_speaking = True
            await self._activity("speaking")
        caption = self.captions.grow(event)
        await self._send(
            {
                "type": "transcript",
                "speaker": event.speaker,
                "text": event.text,
                "caption": caption,
                "final": False,
            }
        )

    async def _final_transcript(self, event: ev.Transcript, *, source: str) -> None:
        text = event.text.strip()
        seq = self._line_seq(event)
        if seq is None or not text:  # nothing to store
            return
        amended = seq in self._written
        self._written.add(seq)
        if event.speaker == "learner":
            self._learner_speaking = False
            self._last_learner_seq = seq
            if not amended:
                self.stats.learner_turn(text)
        self._write_line(event, seq, text, amended=amended, source=source)
        await self._send(
            {
                "type": "transcript",
                "speaker": event.speaker,
                "text": text,
                "final": True,
                "turn": seq,
                "interrupted": event.interrupted,
                "source": source,
                "amends": amended,
            }
        )
        if event.speaker == "learner" and self.targets.heard(text):
            await self._send(self.targets.event())
        await self._activity("turn")
        if event.line is not None and not amended:  # notes that came before the line's words
            for note in self._held_notes.pop(event.line, []):
                if isinstance(note, ev.UpgradeNoted):
                    await self._upgrade(note)
                else:
                    await self._correction(note)

    def _write_line(
        self, event: ev.Transcript, seq: int, text: str, *, amended: bool, source: str
    ) -> None:
        started_ms, ended_ms = self._offsets(event)
        fields = {"text": text, "started_ms": started_ms, "ended_ms": ended_ms}
        if amended:  # late transcription completed a stored line: the same row, its new text
            self._persist(
                services.conversation_amend_turn, conversation_id=self.id, ordinal=seq, **fields
            )
        else:
            self._persist(
                self._record_turn,
                seq=seq,
                speaker=event.speaker,
                interrupted=event.interrupted,
                source=source,
                **fields,
            )
        if event.speaker == "learner" and source == "speech" and self._voice and not amended:
            self._persist(self._record_audio, seq=seq, pcm=self._voice.take())

    def _line_seq(self, event: ev.Transcript) -> int | None:
        """The ordinal of this line: learner lines keep theirs when amended and take the next
        one when first seen; an empty line gets none (so ordinals have no gaps)."""
        if not event.text.strip():
            return None
        if event.speaker == "learner" and event.line is not None:
            seq = self._line_seqs.get(event.line)
            if seq is not None:
                return seq
            self._line_seqs[event.line] = self._turn_seq
        self._turn_seq += 1
        return self._turn_seq - 1

    def _offsets(self, event: ev.Transcript) -> tuple[int, int]:
        def offset(at: float | None) -> int:
            at = time.monotonic() if at is None else at
            return int(self._offset_ms + max(0.0, at - self._t0) * 1000)

        return offset(event.started_at), offset(event.ended_at)

    # Corrections refer to the learner turn they follow by local sequence number; the writer
    # runs jobs in order, so the turn row (and its id here) exists when the correction is written.
    def _record_turn(self, *, seq: int, **fields: Any) -> None:
        turn = services.conversation_record_turn(conversation_id=self.id, ordinal=seq, **fields)
        self._turn_ids[seq] = turn.pk

    def _record_audio(self, *, seq: int, pcm: bytes) -> None:
        turn_id = self._turn_ids.get(seq)
        if turn_id is not None:
            audio_services.turn_store_audio(turn_id=turn_id, pcm16_16k=pcm)

    async def _correction(self, event: ev.CorrectionNoted) -> None:
        if event.line is not None and event.line not in self._line_seqs:
            # Its line's words have not arrived yet (tutor/live/turns.py): wait for them.
            self._held_notes.setdefault(event.line, []).append(event)
            return
        seq = self._note_seq(event.line)
        if seq is None:
            logger.info("conversation %s: correction before any learner turn ignored", self.id)
            return
        self._persist(
            self._record_correction,
            seq=seq,
            original=event.original,
            corrected=event.corrected,
            explanation=event.explanation,
            kind=event.kind,
        )
        await self._activity("noted")  # the teacher's live view counts it
        await self._send(
            {
                "type": "correction",
                "turn": seq,
                "original": event.original,
                "corrected": event.corrected,
                "explanation": event.explanation,
                "kind": event.kind,
                "diff": correction_diff(event.original, event.corrected, self.language),
            }
        )

    def _note_seq(self, line: int | None) -> int | None:
        """The turn a note is about: its line's, else the learner's latest."""
        seq = self._line_seqs.get(line) if line is not None else None
        return self._last_learner_seq if seq is None else seq

    def _record_correction(self, *, seq: int, **fields: Any) -> None:
        turn_id = self._turn_ids.get(seq)
        if turn_id is not None:
            services.conversation_record_correction(turn_id=turn_id, **fields)
