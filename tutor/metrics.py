"""Prometheus metrics of this process, served at /metrics (`tutor.probes`).

Each Daphne process counts its own conversations and serves its own /metrics: scrape every
worker (docs/deploy.md), Prometheus labels each series with the worker it came from. Names
and labels are the operator's contract; change them only with docs/deploy.md.

Plain prometheus_client, no Django: any package may import this module and add its one-line
increment. Gauges that describe the present (conversations open, writes queued) are read
from the live objects when scraped, so they can never drift from the truth.
"""

from __future__ import annotations

from typing import Protocol
from weakref import WeakSet

from prometheus_client import Counter, Gauge, Histogram, disable_created_metrics


class _Runtime(Protocol):
    ended: bool


class _Writer(Protocol):
    @property
    def pending(self) -> int: ...


# No `*_created` series beside each counter: they double the output and say nothing here.
disable_created_metrics()

_runtimes: WeakSet[_Runtime] = WeakSet()
_writers: WeakSet[_Writer] = WeakSet()

ACTIVE_CONVERSATIONS = Gauge(
    "tertulia_active_conversations",
    "Conversations whose Live session this process holds (started, not yet finished)",
)
ACTIVE_CONVERSATIONS.set_function(lambda: sum(1 for r in list(_runtimes) if not r.ended))

WRITE_QUEUE_DEPTH = Gauge(
    "tertulia_write_queue_depth",
    "Database writes waiting in this process's conversation write queues",
)
WRITE_QUEUE_DEPTH.set_function(lambda: sum(w.pending for w in list(_writers)))

WRITE_RETRIES = Counter(
    "tertulia_write_retries",
    "Conversation write attempts that failed because PostgreSQL was unreachable (retried)",
)
WRITES_DROPPED = Counter(
    "tertulia_writes_dropped",
    "Conversation writes given up: queue_full (oldest dropped), gave_up (retries exhausted)",
    ["reason"],
)

# Incremented by the conversation lease (several processes): `handed_over` when this
# process gave a conversation to another on request (a SIGTERM drain included), `took_over`
# when it took one from a live owner, `lease_expired` when it took one whose owner died.
HANDOVERS = Counter(
    "tertulia_handovers",
    "Conversations moved between processes, seen from this one",
    ["kind"],
)

LIVE_RECONNECTS = Counter(
    "tertulia_live_reconnects",
    "Reconnections to Gemini Live, by cause (go_away, resume_refused, close_1011, network, …)",
    ["cause"],
)

FIRST_AUDIO = Histogram(
    "tertulia_first_audio_seconds",
    "Time from the end of the learner's speech to the first tutor audio sent to the browser",
    buckets=(0.1, 0.25, 0.5, 0.6, 0.7, 0.8, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0),
)

# Audio that never reached its listener. `to_browser`: tutor audio chunks (about 200 ms
# each) with no page attached or a send that failed; `reconnect_buffer`: 20 ms frames of
# learner audio pushed out of the bridge's buffer while Gemini was reconnecting;
# `rate_limited`: the frame that made a socket exceed its inbound budget (closed with 4429).
LEARNER_FRAME_BYTES = 640  # 20 ms of 16 kHz PCM16, what the bridge buffers
FRAMES_DROPPED = Counter(
    "tertulia_frames_dropped",
    "Audio frames dropped, by where",
    ["where"],
)

TRIAL_STARTS = Counter(
    "tertulia_trial_starts",
    "Anonymous trials asked for: started, or limited (over the per-session or per-IP limit)",
    ["outcome"],
)

TYPED_FALLBACK = Counter(
    "tertulia_typed_fallback_messages",
    (
        "Lines sent through the typed HTTP fallback: answered, unavailable (Gemini failed), "
        "or relayed (a group room's line handed to its Live session)"
    ),
    ["outcome"],
)

# Every documented label shows from the first scrape, at 0, so rates and alerts need no
# "absent" special case.
for _label in ("queue_full", "gave_up"):
    WRITES_DROPPED.labels(_label)
for _label in ("handed_over", "took_over", "lease_expired"):
    HANDOVERS.labels(_label)
for _label in ("to_browser", "reconnect_buffer", "rate_limited"):
    FRAMES_DROPPED.labels(_label)
for _label in ("started", "limited"):
    TRIAL_STARTS.labels(_label)
for _label in ("answered", "unavailable", "relayed"):
    TYPED_FALLBACK.labels(_label)


def conversation_opened(runtime: _Runtime) -> None:
    """Count `runtime` as active until it has `ended` (or is gone)."""
    _runtimes.add(runtime)


def writer_created(writer: _Writer) -> None:
    """Add `writer.pending` to the write-queue depth while the writer exists."""
    _writers.add(writer)
