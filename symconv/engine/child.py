"""Deciding a claim in a child process, so that its time budget holds whatever it does.

A claim object's ``decide(budget)`` is the user's own code (or calls into C): it may
loop in C (``sum(range(10**11))``), block, ignore its budget, or exit the process. In
this process no alarm can stop that. So :func:`decide_claim` runs it in a forked child:
the child applies the budget itself (and answers ``unknown (timeout)`` when it can), and
the parent ends the child once the budget and a short grace (:func:`grace_seconds`) are
over. The child's start-up (a fork: milliseconds) is not part of the budget: the child
starts the clock when it starts deciding.

Where a fork is not available or not safe (Windows, macOS, a process with threads such
as a Jupyter kernel), and in a process that is already a disposable worker of
:mod:`symconv.engine.runner` (whose parent enforces the budget), the claim is decided
in this process under :func:`~symconv.routes.budget.time_limit` instead.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
from multiprocessing.connection import wait

from symconv.results.result import Result, Verdict, internal_error
from symconv.routes.budget import Timeout, time_limit

__all__ = ["can_fork", "decide_claim", "decide_here", "grace_seconds", "mark_disposable"]

#: True in a process whose parent ends it when a budget is out (a runner's worker, or
#: the child deciding a claim): claims are decided right there.
_disposable = False


def mark_disposable() -> None:
    """This process is ended by its parent when a budget is out (a worker)."""
    global _disposable
    _disposable = True


def grace_seconds(timeout: float) -> float:
    """How long past its budget the parent waits for a child before ending it."""
    return min(5.0, max(0.5, 0.1 * timeout))


def can_fork() -> bool:
    """A fork is available and safe: Unix but not macOS, one thread, the main one."""
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and sys.platform != "darwin"
        and threading.active_count() == 1
        and threading.current_thread() is threading.main_thread()
    )


def _text(claim) -> str:
    try:
        return str(claim)
    except Exception:  # a claim's __str__ is its own code too
        return f"<{type(claim).__name__} object>"


def decide_here(claim, timeout: float) -> Result:
    """Decide ``claim`` in this process under the budget; exceptions become results.

    The alarm may interrupt the claim's own module too (besides symconv, SymPy, mpmath).
    """
    module = getattr(type(claim), "__module__", "") or ""
    try:
        with time_limit(timeout, (module,)) as budget:
            result = claim.decide(budget)
    except Timeout as exc:
        return Result(_text(claim), Verdict.UNKNOWN, reason=str(exc))
    except (Exception, SystemExit) as exc:  # an error in the claim's code: never a verdict
        return internal_error(_text(claim), exc)
    if not isinstance(result, Result):
        return internal_error(
            _text(claim), what=f"decide() returned a {type(result).__name__}, not a Result"
        )
    return result


def decide_claim(claim, timeout: float) -> Result:
    """Decide ``claim`` where its budget holds: a forked child when possible."""
    if _disposable or not can_fork():
        return decide_here(claim, timeout)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(claim, timeout, sender), daemon=True)
    try:
        process.start()
    except OSError as exc:  # no more processes: decide it here rather than not at all
        receiver.close()
        sender.close()
        result = decide_here(claim, timeout)
        note = f"decided in this process: no child process could be started ({exc})"
        return _with_detail(result, "isolation", note)
    sender.close()
    limit = timeout + grace_seconds(timeout)
    end = time.monotonic() + limit
    try:
        while True:
            left = end - time.monotonic()
            ready = wait([receiver, process.sentinel], timeout=max(0.0, left))
            if receiver in ready or receiver.poll():
                return _receive(claim, receiver, process)
            if process.sentinel in ready:
                process.join(1)
                return internal_error(
                    _text(claim),
                    what=f"the process deciding the claim died (exit code {process.exitcode})",
                )
            if left <= 0:
                return Result(
                    _text(claim),
                    Verdict.UNKNOWN,
                    reason=(
                        f"timeout after {timeout:g} s (the claim did not stop by itself; "
                        "the process deciding it was ended)"
                    ),
                    seconds=limit,
                )
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        receiver.close()


def _receive(claim, receiver, process) -> Result:
    try:
        kind, payload = pickle.loads(receiver.recv_bytes())
    except (EOFError, OSError):
        process.join(1)
        return internal_error(
            _text(claim),
            what=f"the process deciding the claim died (exit code {process.exitcode})",
        )
    except Exception as exc:  # unpickling runs the claim's classes' code
        return internal_error(_text(claim), exc)
    if kind == "result":
        return payload
    return internal_error(_text(claim), what=payload)


def _child(claim, timeout: float, sender) -> None:
    """In the child: decide, send the result back (or why it could not be sent)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's business
    mark_disposable()
    result = decide_here(claim, timeout)
    try:
        payload = pickle.dumps(("result", result))
    except Exception as exc:
        message = (
            f"the result ({result.verdict.value}) could not be sent back: "
            f"{type(exc).__name__}: {exc}"
        )
        payload = pickle.dumps(("error", message))
    try:
        sender.send_bytes(payload)
    finally:
        sender.close()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)  # skip the parent's atexit handlers and finalizers


def _with_detail(result: Result, key: str, value) -> Result:
    from dataclasses import replace

    return replace(result, details={**result.details, key: value})
