"""lessons/background.py: the count of background jobs that tests (and anything else) wait on
before emptying the database. Real threads, no database."""

from __future__ import annotations

import threading
import time

from lessons.background import Pending


def test_with_nothing_counted_the_wait_returns_at_once() -> None:
    pending = Pending()
    started = time.monotonic()
    assert pending.wait_idle(5.0) is True
    assert time.monotonic() - started < 1.0


def test_the_wait_lasts_until_every_job_is_done() -> None:
    pending = Pending()
    release = threading.Event()
    finished: list[int] = []

    def job(n: int) -> None:
        try:
            release.wait(5.0)
            finished.append(n)
        finally:
            pending.done()

    for n in range(3):
        pending.add()
        threading.Thread(target=job, args=(n,), daemon=True).start()
    assert pending.count == 3
    assert pending.wait_idle(0.2) is False  # all three still held
    release.set()
    assert pending.wait_idle(5.0) is True
    assert sorted(finished) == [0, 1, 2]
    assert pending.count == 0


def test_a_job_counted_before_its_thread_starts_is_waited_for() -> None:
    """`add` comes before the thread exists: a wait that starts in between still waits."""
    pending = Pending()
    pending.add()
    waited: list[bool] = []
    waiter = threading.Thread(target=lambda: waited.append(pending.wait_idle(5.0)))
    waiter.start()
    time.sleep(0.1)
    assert waiter.is_alive()  # still waiting: the job is counted though nothing runs yet
    pending.done()
    waiter.join(5.0)
    assert waited == [True]


def test_a_job_that_fails_still_counts_down_through_finally() -> None:
    pending = Pending()
    errors: list[str] = []

    def job() -> None:
        try:
            raise RuntimeError("the platform is down")
        except RuntimeError as exc:
            errors.append(str(exc))
        finally:
            pending.done()

    pending.add()
    threading.Thread(target=job, daemon=True).start()
    assert pending.wait_idle(5.0) is True
    assert errors == ["the platform is down"]


def test_two_counters_are_independent() -> None:
    """The memory update and the grade pass-back each have their own: one's jobs never hold
    up a wait on the other."""
    memory, grades = Pending(), Pending()
    memory.add()
    assert grades.wait_idle(0.1) is True
    assert memory.wait_idle(0.1) is False
    memory.done()
    assert memory.wait_idle(1.0) is True


def test_the_memory_update_and_the_grade_pass_back_share_it() -> None:
    from lessons.lti import grades
    from tutor.conversation import memory

    assert isinstance(memory._pending, Pending)
    assert isinstance(grades._pending, Pending)
    assert memory._pending is not grades._pending
