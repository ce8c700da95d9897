"""Work a process runs on threads of its own, counted so that whoever must wait for it can:
the learner's memory update (tutor.conversation.memory) and a score on its way to a learning
platform (lessons.lti.grades). Tests wait before the database is emptied, since a thread still
holding a connection to it would deadlock the teardown (tests/conftest.py).

Standard library only: `tutor` imports it too, and `lessons` may never import `tutor`."""

from __future__ import annotations

import threading


class Pending:
    """How many jobs are queued or running, and a wait until there are none."""

    def __init__(self) -> None:
        self._count = 0
        self._idle = threading.Condition()

    def add(self) -> None:
        """Count a job before it is handed to its thread, so a wait never misses it."""
        with self._idle:
            self._count += 1

    def done(self) -> None:
        """The job has ended, however it ended (call it from a `finally`)."""
        with self._idle:
            self._count -= 1
            self._idle.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Block until no job is queued or running; False if `timeout` (seconds) ran out."""
        with self._idle:
            return self._idle.wait_for(lambda: self._count == 0, timeout)

    @property
    def count(self) -> int:
        with self._idle:
            return self._count
