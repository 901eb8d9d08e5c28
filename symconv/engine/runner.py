"""Deciding many obligations: in this process, or in worker processes in parallel.

Each obligation gets its own time budget. In this process the budget is the engine's
(a real-time alarm at safe points plus cooperative checks, :mod:`symconv.routes.budget`;
a claim that is not symconv's own runs in a child process, :mod:`symconv.engine.child`).
In worker processes the worker applies the same budget, and the parent enforces it as
well: a worker that has not answered shortly after its budget (stuck in C code, or in a
claim that ignores the alarm) is ended and the obligation reported ``unknown`` with a
timeout reason; a fresh worker takes its place and no other result is lost. A worker
is warmed up (:func:`~symconv.engine.prove.warm_up`) before it takes work, and an
obligation's clock starts when it is sent: start-up never counts against a budget.

A theorem file is executed once, in this process. Forked workers (Linux) inherit the
obligations; spawned workers (macOS, Windows, a process with threads) receive them
pickled, and only when that fails (a claim class defined in the theorem file) load the
file again from its :class:`~symconv.engine.sources.Source`. Workers are sent positions;
only :class:`~symconv.results.result.Result` objects cross back. Outcomes come back in
the order of the input, whatever the number of jobs.

``jobs=None`` (the command line's default) means: start in this process, and only when
the obligations turn out to be slow (more than :data:`SERIAL_SECONDS` spent and at least
two left) hand the rest to one worker per core. Starting workers costs more than the
notes' obligations take (milliseconds each), so the common run never pays for it.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import wait
from typing import Callable, Iterable, Sequence

from symconv.engine.child import grace_seconds, mark_disposable
from symconv.engine.obligation import Obligation, Outcome, summary
from symconv.engine.prove import DEFAULT_TIMEOUT, prove, warm_up
from symconv.engine.sources import (
    Source,
    TheoremFileError,
    from_file,
    from_module,
    given,
    is_file_target,
    validate,
)
from symconv.results.display import Displayable
from symconv.results.result import Result, Verdict, internal_error
from symconv.routes.budget import check_timeout

__all__ = [
    "SERIAL_SECONDS",
    "Run",
    "RunnerError",
    "decide",
    "default_jobs",
    "grace_seconds",
    "run",
]

#: With ``jobs=None``, obligations run in this process until this much time has passed.
SERIAL_SECONDS = 0.25
#: How long a worker may take to start (import and load its obligations).
STARTUP_SECONDS = 120.0

#: Called in the parent after each obligation: (number done, total, the outcome).
Progress = Callable[[int, int, Outcome], None]


class RunnerError(RuntimeError):
    """The worker processes could not be used (e.g. a theorem file changed meanwhile)."""


@dataclass(frozen=True)
class Run(Displayable):
    """The outcomes of a run, in the order of the obligations, and the wall time."""

    outcomes: tuple[Outcome, ...]
    seconds: float
    jobs: int = 1

    @property
    def as_expected(self) -> bool:
        return all(o.as_expected for o in self.outcomes)

    def __len__(self) -> int:
        return len(self.outcomes)

    def __iter__(self):
        return iter(self.outcomes)

    def __getitem__(self, key):
        if isinstance(key, str):
            for o in self.outcomes:
                if o.obligation.id == key:
                    return o
            raise KeyError(key)
        return self.outcomes[key]

    def to_dict(self) -> dict:
        """The same document as ``symconv prove --format json``."""
        return {
            "obligations": [o.to_dict() for o in self.outcomes],
            "summary": summary(self.outcomes, self.seconds),
        }

    def to_json(self, **kwargs) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)


def default_jobs() -> int:
    """The number of cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def decide(obligation: Obligation, timeout: float) -> Result:
    """Decide one obligation; an exception ends it as ``unknown`` (internal error).

    The engine turns timeouts, statements outside the language and its own exceptions
    into ``unknown`` itself, and runs claims so that their errors are results too; this
    is the last net, so that one broken obligation never hides the results of others.
    """
    try:
        return prove(obligation.statement, timeout=timeout)
    except Exception as exc:
        return internal_error(_statement_text(obligation), exc)


def _statement_text(obligation: Obligation) -> str:
    try:
        return obligation.statement_text
    except Exception:  # a claim's own __str__ failed
        return f"<{type(obligation.statement).__name__} object>"


def run(
    obligations: Iterable[Obligation],
    *,
    sources: Sequence[Source] | None = None,
    jobs: int | None = 1,
    timeout: float = DEFAULT_TIMEOUT,
    on_outcome: Progress | None = None,
) -> Run:
    """Decide every obligation; see the module docstring for ``jobs``.

    ``obligations`` is a sequence of :class:`Obligation`, or the path of a theorem file,
    or the name of a module with ``OBLIGATIONS`` (e.g. ``"theorems"``, the notes).

    ``sources`` says where worker processes load the obligations from (every obligation
    id must be found in one of them); without it the obligations themselves are handed
    to the workers, which needs them to be picklable when processes are spawned rather
    than forked.
    """
    if isinstance(obligations, (str, os.PathLike)):
        source = (
            from_file(obligations)
            if is_file_target(str(obligations))
            else from_module(str(obligations))
        )
        obligations, sources = source.load(), (source,)
    obligations = tuple(obligations)
    if jobs is not None and jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    timeout = check_timeout(timeout)
    if sources is None:  # checked here, as the command line checks a theorem file
        obligations = validate(obligations, where="the given obligations")
        sources = (given(obligations),)
    total = len(obligations)
    results: dict[int, Result] = {}
    start = time.perf_counter()

    def record(position: int, result: Result) -> None:
        results[position] = result
        if on_outcome is not None:
            on_outcome(len(results), total, Outcome(obligations[position], result))

    positions = list(range(total))
    workers = 1
    warm_up()  # here, so that forked workers start warm and no budget pays for it
    if jobs is None:
        # in this process while it is cheap; the rest in parallel if it is not
        while positions and (time.perf_counter() - start < SERIAL_SECONDS or len(positions) < 2):
            p = positions.pop(0)
            record(p, decide(obligations[p], timeout))
        jobs = default_jobs()
    if positions and jobs > 1:
        workers = min(jobs, len(positions))
        _Pool(obligations, tuple(sources), timeout, workers).run(positions, record)
    else:
        for p in positions:
            record(p, decide(obligations[p], timeout))
    outcomes = tuple(Outcome(ob, results[i]) for i, ob in enumerate(obligations))
    return Run(outcomes, time.perf_counter() - start, workers)


# --------------------------------------------------------------------------- workers


def _context():
    """Fork where it is safe (a single-threaded Unix process): workers start in
    milliseconds with everything already imported. Otherwise spawn."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and sys.platform != "darwin" and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _fingerprint(obligation: Obligation) -> str | None:
    """What a worker compares to make sure it loaded the same obligation."""
    return obligation.statement if isinstance(obligation.statement, str) else None


def _unpack(obligations, blob, sources) -> dict[str, Obligation]:
    """The obligations by id, in a worker: inherited (fork), unpickled (spawn), or, only
    when unpickling needs a theorem file's classes, loaded again from the sources."""
    if obligations is None and blob is not None:
        try:
            obligations = pickle.loads(blob)
        except Exception:  # a claim class of a theorem file: execute the file here too
            for source in sources:
                source.load(check=False)
            obligations = pickle.loads(blob)
    if obligations is None:
        obligations = [ob for source in sources for ob in source.load(check=False)]
    return {ob.id: ob for ob in obligations}


def _worker_main(obligations, blob, sources: tuple[Source, ...], timeout: float, conn) -> None:
    """A worker: get the obligations, warm up, then decide the ids the parent sends."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's business
    mark_disposable()  # the parent ends this process when a budget is out
    try:
        loaded = _unpack(obligations, blob, sources)
    except TheoremFileError as exc:
        conn.send_bytes(pickle.dumps(("error", str(exc))))
        return
    except Exception as exc:
        conn.send_bytes(pickle.dumps(("error", f"a worker could not load the obligations: {exc}")))
        return
    warm_up()  # before "ready": the parent starts an obligation's clock when it sends it
    conn.send_bytes(pickle.dumps(("ready", None)))
    while True:
        try:
            task = pickle.loads(conn.recv_bytes())
        except EOFError:
            return
        if task is None:
            return
        position, ob_id, fingerprint = task
        ob = loaded.get(ob_id)
        if ob is None or _fingerprint(ob) != fingerprint:
            conn.send_bytes(
                pickle.dumps(("error", f"obligation {ob_id!r} changed while the run went on"))
            )
            return
        result = decide(ob, timeout)
        try:
            payload = pickle.dumps(("result", (position, result)))
        except Exception as exc:
            fallback = internal_error(
                result.statement,
                what=(
                    f"the worker's result ({result.verdict.value}) could not be sent back: "
                    f"{type(exc).__name__}: {exc}"
                ),
            )
            payload = pickle.dumps(("result", (position, fallback)))
        conn.send_bytes(payload)


class _Worker:
    def __init__(self, context, obligations, sources, timeout):
        self.conn, child = context.Pipe(duplex=True)
        if context.get_start_method() == "fork":
            args = (obligations, None, (), timeout, child)  # inherited, never re-executed
        else:
            try:
                blob = pickle.dumps(obligations)
            except Exception:  # e.g. a claim defined in a notebook: load from the sources
                blob = None
            args = (None, blob, sources, timeout, child)
        self.process = context.Process(target=_worker_main, args=args, daemon=True)
        self.process.start()
        child.close()
        self.started = time.monotonic()
        self.ready = False
        self.task: int | None = None  # the position being decided
        self.since = 0.0

    def send(self, position: int, obligation: Obligation) -> None:
        self.conn.send_bytes(pickle.dumps((position, obligation.id, _fingerprint(obligation))))
        self.task = position
        self.since = time.monotonic()

    def end(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        """Ask an idle worker to leave; end it if it does not."""
        try:
            self.conn.send_bytes(pickle.dumps(None))
        except (BrokenPipeError, OSError):
            pass  # already gone: nothing to ask
        self.process.join(1)
        self.end()


class _Pool:
    """Worker processes with one obligation each at a time, and the parent's deadlines."""

    def __init__(self, obligations, sources, timeout, size):
        self.obligations = obligations
        self.sources = sources
        self.timeout = timeout
        self.limit = timeout + grace_seconds(timeout)
        self.size = size
        self.context = _context()

    def run(self, positions: list[int], record: Callable[[int, Result], None]) -> None:
        pending = deque(positions)
        left = len(positions)
        workers: list[_Worker] = []
        try:
            while left:
                busy = sum(w.task is not None for w in workers)
                while len(workers) < min(self.size, busy + len(pending)):
                    workers.append(
                        _Worker(self.context, self.obligations, self.sources, self.timeout)
                    )
                for w in workers:
                    if w.ready and w.task is None and pending:
                        p = pending.popleft()
                        w.send(p, self.obligations[p])
                ready = wait(
                    [w.conn for w in workers] + [w.process.sentinel for w in workers],
                    timeout=self._next_deadline(workers),
                )
                gone = []
                for w in workers:
                    if w.conn in ready or w.process.sentinel in ready:
                        recorded, alive = self._receive(w, record)
                        left -= recorded
                        if not alive:
                            gone.append(w)
                now = time.monotonic()
                for w in workers:
                    if w in gone:
                        continue
                    if w.task is not None and now - w.since > self.limit:
                        position, w.task = w.task, None
                        w.end()  # first end it, so it stops using a core
                        record(position, self._timed_out(position))
                        left -= 1
                        gone.append(w)
                    elif not w.ready and now - w.started > STARTUP_SECONDS:
                        raise RunnerError(
                            f"a worker process did not start within {STARTUP_SECONDS:g} s"
                        )
                    elif w.ready and w.task is None and not pending:
                        w.stop()  # nothing left for it
                        gone.append(w)
                for w in gone:
                    w.end()
                    workers.remove(w)
        finally:
            for w in workers:
                if w.ready and w.task is None:
                    w.stop()
                else:
                    w.end()

    def _next_deadline(self, workers) -> float | None:
        deadlines = [w.since + self.limit for w in workers if w.task is not None]
        deadlines += [w.started + STARTUP_SECONDS for w in workers if not w.ready]
        if not deadlines:
            return None
        return max(0.0, min(deadlines) - time.monotonic()) + 0.01

    def _receive(self, w: _Worker, record) -> tuple[int, bool]:
        """Handle what a worker said, or its death: (results recorded, still usable)."""
        if w.conn.poll():
            try:
                kind, payload = pickle.loads(w.conn.recv_bytes())
            except EOFError:
                kind, payload = "eof", None
            except (pickle.UnpicklingError, AttributeError, ImportError, TypeError) as exc:
                if w.task is None:
                    raise RunnerError(f"a worker sent something unreadable: {exc}") from exc
                position, w.task = w.task, None
                record(position, self._failed(position, "its result could not be read", exc))
                return 1, True
            if kind == "ready":
                w.ready = True
                return 0, True
            if kind == "error":
                raise RunnerError(payload)
            if kind == "result":
                position, result = payload
                w.task = None
                record(position, result)
                return 1, True
        if w.process.is_alive():
            return 0, True
        w.process.join(1)
        if not w.ready:
            raise RunnerError(
                f"a worker process exited while starting (exit code {w.process.exitcode})"
            )
        if w.task is None:
            return 0, False
        position, w.task = w.task, None
        record(
            position,
            self._failed(position, f"the worker process died (exit code {w.process.exitcode})"),
        )
        return 1, False

    def _failed(self, position: int, what: str, exc: BaseException | None = None) -> Result:
        detail = f": {type(exc).__name__}: {exc}" if exc is not None else ""
        return internal_error(_statement_text(self.obligations[position]), what=f"{what}{detail}")

    def _timed_out(self, position: int) -> Result:
        return Result(
            _statement_text(self.obligations[position]),
            Verdict.UNKNOWN,
            reason=(
                f"timeout after {self.timeout:g} s (the worker process did not stop by "
                "itself and was ended)"
            ),
            seconds=self.limit,
        )
