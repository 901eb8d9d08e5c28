"""Time budgets, so that one slow obligation never stalls the rest.

``time_limit(seconds)`` arms a real-time alarm when called on the main thread of a
Unix process (SymPy's loops are pure Python, so the alarm interrupts them); elsewhere
it relies on the cooperative ``Budget.check()`` calls the routes make between steps.
"""

from __future__ import annotations

import signal
import threading
import time
from contextlib import contextmanager

__all__ = ["Timeout", "Budget", "time_limit"]


class Timeout(Exception):
    """The time budget of one obligation ran out."""


class Budget:
    def __init__(self, seconds: float):
        if not seconds > 0:
            raise ValueError(f"a time budget must be positive, got {seconds!r}")
        self.seconds = float(seconds)
        self.deadline = time.monotonic() + self.seconds

    def remaining(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    def check(self) -> None:
        if time.monotonic() > self.deadline:
            raise Timeout(f"timeout after {self.seconds:g} s")


def _can_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def time_limit(seconds: float):
    """Yield a :class:`Budget`; raise :class:`Timeout` in the body when it runs out."""
    budget = Budget(seconds)
    if not _can_alarm():
        yield budget
        return

    def _on_alarm(signum, frame):
        raise Timeout(f"timeout after {budget.seconds:g} s")

    previous = signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, budget.seconds)
    try:
        yield budget
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
