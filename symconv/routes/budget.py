"""Time budgets, so that one slow obligation never stalls the rest.

``time_limit(seconds)`` yields a :class:`Budget`. The routes call ``budget.check()``
between steps (cooperative); on the main thread of a Unix process a real-time alarm
backs this up, since SymPy's loops are pure Python and may run long between checks.

An alarm is an asynchronous exception, and one raised at the wrong place breaks the
process for good: inside an ``import`` (a half-initialised module: ``ImportError:
cannot load module more than once per process`` in NumPy, ever after), inside a
garbage-collector callback (where it is silently dropped), or inside the alarm's own
bookkeeping. So the alarm only raises at *safe points*: never while an import is in progress
anywhere on the stack, never in the alarm's own bookkeeping; at once in code of SymPy,
mpmath, ``fractions``, symconv or the module that entered the block (pure computation);
in any other code (NumPy, the standard library, a garbage-collector callback) only once
the deadline is :data:`LATE_SECONDS` past, so that such code gets a chance to return to a
safe point first. Where it may not raise, it waits a couple of milliseconds and looks
again; and once raised, it is raised again every :data:`REPEAT_SECONDS` until the
budget's block is left, so that an ``except`` that swallows it cannot cancel it. :class:`Timeout` is a ``BaseException`` (like
``KeyboardInterrupt``), so ordinary ``except Exception`` handlers do not catch it.

Code that can block in C, or that is not symconv's own (a user's claim object), does not
rely on this: it runs in a child process that the parent ends when its budget is out
(:mod:`symconv.engine.child`).

Every time budget accepted from a user goes through :func:`check_timeout`: a finite
number of seconds, more than 0 and at most :data:`MAX_SECONDS`.
"""

from __future__ import annotations

import math
import numbers
import os
import signal
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass

__all__ = ["Timeout", "Budget", "time_limit", "check_timeout", "MAX_SECONDS"]

#: The longest time budget accepted (one day).
MAX_SECONDS = 86_400.0
#: How long the alarm waits before looking again when it fired at an unsafe point.
RETRY_SECONDS = 0.002
#: How often a timeout is raised again until the budget's block is left.
REPEAT_SECONDS = 0.05
#: Modules whose code may be interrupted at once: pure computation.
INTERRUPTIBLE = ("sympy", "mpmath", "fractions", "symconv")
#: How long past its deadline other code (but never an import) may be interrupted too.
LATE_SECONDS = 0.25


class Timeout(BaseException):
    """The time budget of one obligation ran out.

    A ``BaseException``, like ``KeyboardInterrupt``: an asynchronous interruption that
    ordinary ``except Exception`` handlers (in SymPy, in a user's claim) must not swallow.
    """


def check_timeout(value, what: str = "the timeout") -> float:
    """``value`` as seconds, or a ValueError that says what is accepted (one line)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"{what} must be a number of seconds, got {value!r}")
    seconds = float(value)
    if not (math.isfinite(seconds) and 0 < seconds <= MAX_SECONDS):
        raise ValueError(
            f"{what} must be greater than 0 and at most {MAX_SECONDS:g} seconds, got {value!r}"
        )
    return seconds


class Budget:
    def __init__(self, seconds: float):
        if not seconds > 0:
            raise ValueError(f"a time budget must be positive, got {seconds!r}")
        self.seconds = float(seconds)
        self.deadline = time.monotonic() + min(self.seconds, MAX_SECONDS)

    def remaining(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    def expired(self) -> bool:
        return time.monotonic() > self.deadline

    def check(self) -> None:
        if self.expired():
            raise Timeout(f"timeout after {self.seconds:g} s")


def _can_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@dataclass
class _Limit:
    budget: Budget
    modules: tuple[str, ...]


# The active limits of this process, outermost first; the alarm is set for the nearest
# deadline among them. Only the main thread uses it (signals are delivered there).
_active: list[_Limit] = []
_previous_handler = None


def _importing(frame) -> bool:
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False


def _safe(frame, modules: tuple[str, ...], late: bool) -> bool:
    """May the alarm raise in ``frame``? (See the module docstring.)"""
    if frame is None:
        return False
    name = frame.f_globals.get("__name__") or ""
    if name == __name__:  # the alarm's own bookkeeping
        return False
    if not late and not any(name == m or name.startswith(m + ".") for m in modules):
        return False
    return not _importing(frame)


def _arm() -> None:
    if not _active:
        signal.setitimer(signal.ITIMER_REAL, 0)
        return
    nearest = min(limit.budget.deadline for limit in _active)
    signal.setitimer(signal.ITIMER_REAL, max(nearest - time.monotonic(), 1e-4))


def _on_alarm(signum, frame):
    if not _active:
        return
    now = time.monotonic()
    expired = [limit for limit in _active if limit.budget.deadline <= now]
    if not expired:
        _arm()
        return
    modules = tuple(m for limit in _active for m in limit.modules)
    late = now - expired[0].budget.deadline > LATE_SECONDS
    if not _safe(frame, modules, late):
        signal.setitimer(signal.ITIMER_REAL, RETRY_SECONDS)
        return
    signal.setitimer(signal.ITIMER_REAL, REPEAT_SECONDS)
    raise Timeout(f"timeout after {expired[0].budget.seconds:g} s")


@contextmanager
def time_limit(seconds: float, modules: tuple[str, ...] = ()):
    """Yield a :class:`Budget`; raise :class:`Timeout` in the body when it runs out.

    ``modules`` names more modules (besides :data:`INTERRUPTIBLE` and the module of the
    code that enters the block) whose code the alarm may interrupt at once, e.g. the
    module of a claim.
    """
    global _previous_handler
    budget = Budget(seconds)
    if not _can_alarm():
        yield budget
        return
    if not _active:
        _previous_handler = signal.signal(signal.SIGALRM, _on_alarm)
    limit = _Limit(budget, INTERRUPTIBLE + tuple(modules) + _caller())
    _active.append(limit)
    _arm()
    try:
        yield budget
    finally:
        # this frame is never a safe point, so the alarm cannot interrupt what follows
        _active.remove(limit)
        if _active:
            _arm()
        else:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, _previous_handler or signal.SIG_DFL)
            _previous_handler = None


def _caller() -> tuple[str, ...]:
    """The module of the code that entered ``with time_limit(...)``."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_globals.get("__name__") in (__name__, "contextlib"):
        frame = frame.f_back
    name = frame.f_globals.get("__name__") if frame is not None else None
    return (name,) if name else ()


def _reset_after_fork() -> None:
    """A child process starts with no limit of its parent's."""
    global _previous_handler
    _active.clear()
    _previous_handler = None
    if hasattr(signal, "setitimer"):
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_after_fork)
