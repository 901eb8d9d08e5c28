"""Worker processes that decide obligations, each under a budget the parent enforces.

Used by :func:`symconv.engine.runner.run` (``--jobs N``) and, one process per task, by the
Dask tasks of :mod:`symconv.engine.distributed`. Workers are sent obligations in batches
(:func:`batch_size`) and answer each one as it is settled (:func:`settle`: reused from the
verdict cache once the checker re-verifies it, else decided). The parent keeps a clock per
step of the obligation in hand — looking it up in the cache (:data:`LOOKUP_SECONDS`),
warming the worker up (:data:`STARTUP_SECONDS`), deciding (its budget and a grace) — each
started by the worker's message that the step before is done (or by the sending of the
batch). A worker that overruns (stuck in C code, or in a claim that ignores the alarm) is
ended, its obligation reported ``unknown (timeout)``, the rest of its batch given to
another; what the cache said of it was counted already (the ``looked`` message).
"""

from __future__ import annotations

import multiprocessing
import pickle
import signal
import time
from collections import deque
from multiprocessing.connection import wait
from typing import Callable

from symconv.engine.child import can_fork, grace_seconds, mark_disposable
from symconv.engine.obligation import Obligation
from symconv.engine.prove import (
    as_statement,
    is_claim,
    needs_warm_up,
    once_per_run,
    prove,
    warm_up,
)
from symconv.engine.sources import Source, TheoremFileError
from symconv.results.result import Result, Verdict, internal_error

__all__ = ["LOOKUP_SECONDS", "MAX_BATCH", "STARTUP_SECONDS", "Pool", "RunnerError", "batch_size",
           "cache_key", "decide", "look_up", "optional_modules", "settle", "statement_text"]

#: How long a worker may take to start (import and load its obligations).
STARTUP_SECONDS = 120.0
#: The most obligations sent to a worker in one message (see :func:`batch_size`).
MAX_BATCH = 16


class RunnerError(RuntimeError):
    """The worker processes could not be used (e.g. a theorem file changed meanwhile)."""


def decide(obligation: Obligation, timeout: float) -> Result:
    """Decide one obligation; an exception ends it as ``unknown`` (internal error).

    The engine turns timeouts, statements outside the language and its own exceptions
    into ``unknown`` itself, and runs claims so that their errors are results too; this
    is the last net, so that one broken obligation never hides the results of others.
    """
    try:
        return prove(obligation.statement, timeout=timeout)
    except Exception as exc:
        return internal_error(statement_text(obligation), exc)


def cache_key(obligation: Obligation):
    """What the verdict cache knows an obligation by: its statement as read (a claim
    object as it is); None when it cannot be read here (deciding it reports why)."""
    statement = obligation.statement
    if is_claim(statement):
        return statement
    try:
        return as_statement(statement)
    except Exception:
        return None


#: What the cache said of an obligation: ``("hit", why)``, ``("miss", "")`` or
#: ``("refused", why)`` (see :meth:`~symconv.engine.cache.VerdictCache.lookup`).
CacheEvent = tuple[str, str]
#: How long re-verifying one kept certificate may take in a worker before it is ended.
LOOKUP_SECONDS = 60.0


def look_up(obligation: Obligation, cache) -> tuple[Result | None, CacheEvent]:
    """The kept verdict of an obligation once the checker has re-verified its certificate
    (else None), and what the cache said."""
    key = cache_key(obligation)
    hit, event = cache.lookup(key) if key is not None else (None, ("miss", ""))
    return (None if hit is None else hit.echoing(obligation.statement)), event


def settle(obligation: Obligation, timeout: float, cache=None,
           looked: Callable[[CacheEvent], None] | None = None,
           before_deciding: Callable[[], None] | None = None) -> tuple[Result, bool]:
    """The verdict of an obligation, and whether it was reused: from the cache when the
    checker re-verifies its certificate (``looked`` hears what the cache said as soon as it
    is known, to count it), else decided (``before_deciding`` is called first). Runs in
    the parent or in a worker, so that re-verifying kept certificates is spread over the
    cores like deciding; the caller keeps a decided verdict (one process writes the cache)."""
    if cache is not None:
        hit, event = look_up(obligation, cache)
        if looked is not None:
            looked(event)
        if hit is not None:
            return hit, True
    if before_deciding is not None:
        before_deciding()
    return decide(obligation, timeout), False


def optional_modules(obligation: Obligation) -> tuple[str, ...]:
    """The optional libraries a claim imports when decided (``optional_modules`` of its
    class: PyTorch takes a second to import, and a process that has imported it has
    threads, so that no worker can be forked from it any more)."""
    return tuple(getattr(type(obligation.statement), "optional_modules", ()))


def statement_text(obligation: Obligation) -> str:
    try:
        return obligation.statement_text
    except Exception:  # a claim's own __str__ failed
        return f"<{type(obligation.statement).__name__} object>"


def _context():
    """Fork where it is safe (:func:`~symconv.engine.child.can_fork`): workers start in
    milliseconds with everything imported. Otherwise spawn."""
    return multiprocessing.get_context("fork" if can_fork() else "spawn")


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


def _worker_main(obligations, blob, sources: tuple[Source, ...], timeout: float, conn,
                 cache=None) -> None:
    """A worker: get the obligations, warm up, then decide the batches the parent sends,
    answering each obligation as soon as it is decided (the parent's clock for the next
    one starts then)."""
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
    conn.send_bytes(pickle.dumps(("ready", None)))
    with once_per_run():  # a worker serves one run (a forked one inherits the run's)
        _serve(loaded, timeout, conn, cache)


def _serve(loaded: dict, timeout: float, conn, cache) -> None:
    def send(kind: str, payload) -> None:
        conn.send_bytes(pickle.dumps((kind, payload)))

    def warm() -> None:
        """Before the first decision (a worker that only re-verifies kept certificates
        never needs it): SymPy's first-call costs, on a clock of their own."""
        if needs_warm_up():
            send("warming", None)
            warm_up(decide=True)
            send("warm", None)

    while True:
        try:
            batch = pickle.loads(conn.recv_bytes())
        except EOFError:
            return
        if batch is None:
            return
        for position, ob_id, fingerprint in batch:
            ob = loaded.get(ob_id)
            if ob is None or _fingerprint(ob) != fingerprint:
                send("error", f"obligation {ob_id!r} changed while the run went on")
                return
            try:
                result, reused = settle(ob, timeout, cache,
                                        looked=lambda event, p=position: send("looked", (p, event)),
                                        before_deciding=warm)
                conn.send_bytes(_result_payload(position, result, reused))
            except (BrokenPipeError, OSError):
                return  # the parent is gone (ended, or its Dask worker was lost)


def _result_payload(position: int, result: Result, reused: bool = False) -> bytes:
    try:
        return pickle.dumps(("result", (position, result, reused)))
    except Exception as exc:
        fallback = internal_error(
            result.statement,
            what=(
                f"the worker's result ({result.verdict.value}) could not be sent back: "
                f"{type(exc).__name__}: {exc}"
            ),
        )
        return pickle.dumps(("result", (position, fallback, False)))


class _Worker:
    def __init__(self, context, obligations, sources, timeout, cache=None):
        self.conn, child = context.Pipe(duplex=True)
        if context.get_start_method() == "fork":
            args = (obligations, None, (), timeout, child, cache)  # inherited, never re-executed
        else:
            try:
                blob = pickle.dumps(obligations)
            except Exception:  # e.g. a claim defined in a notebook: load from the sources
                blob = None
            args = (None, blob, sources, timeout, child, cache)
        self.process = context.Process(target=_worker_main, args=args, daemon=True)
        self.process.start()
        child.close()
        self.started = time.monotonic()
        self.ready = False
        #: the positions sent and not answered yet, in the order the worker decides them
        self.batch: deque[int] = deque()
        #: what the worker does for the first of them — looking it up in the cache (its
        #: first step when there is one), warming up, deciding — and since when: each step
        #: has a clock of its own
        self.first = "looking" if cache is not None else "deciding"
        self.phase = self.first
        self.since = 0.0

    def now_in(self, phase: str) -> None:
        self.phase, self.since = phase, time.monotonic()

    @property
    def task(self) -> int | None:
        """The position being decided now (the first unanswered one)."""
        return self.batch[0] if self.batch else None

    def send(self, positions: list[int], obligations) -> None:
        batch = [(p, obligations[p].id, _fingerprint(obligations[p])) for p in positions]
        self.conn.send_bytes(pickle.dumps(batch))
        self.batch.extend(positions)
        self.now_in(self.first)

    def answered(self, position: int) -> None:
        if self.batch and self.batch[0] == position:
            self.batch.popleft()
        else:  # pragma: no cover - answers come in the order of the batch
            self.batch.remove(position)
        self.now_in(self.first)

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


def batch_size(pending: int, workers: int) -> int:
    """How many obligations one message to a worker carries: enough that the messages
    cost little next to the deciding (the notes' obligations take milliseconds), few
    enough that the workers finish together (the batches shrink as the queue does)."""
    return max(1, min(MAX_BATCH, pending // (4 * workers)))


class Pool:
    """Worker processes, each given a batch of obligations at a time, and the parent's
    deadline on each obligation.

    Why not ``concurrent.futures.ProcessPoolExecutor`` (or ``multiprocessing.Pool``): a
    task that is running cannot be cancelled there, and ending its process by force
    breaks the whole executor (``BrokenProcessPool``: every pending task fails). Here the
    parent ends exactly the worker whose obligation overran its budget (stuck in C code,
    or in a claim that ignores the alarm), reports that obligation ``unknown (timeout)``,
    gives the rest of its batch back to the queue, and starts a fresh worker: no other
    result is lost. That is the one job kept by hand; Dask runs (``--scheduler``) leave
    scheduling and lost workers to Dask (:mod:`symconv.engine.distributed`).
    """

    def __init__(self, obligations, sources, timeout, size, context=None, cache=None):
        self.obligations = obligations
        self.sources = sources
        self.timeout = timeout
        self.limit = timeout + grace_seconds(timeout)
        self.size = size
        self.context = context or _context()
        #: the verdict cache the workers look obligations up in (see :func:`settle`);
        #: None when there is none or it cannot reach a spawned worker
        self.cache = cache if cache is not None and self._reaches_workers(cache) else None

    def _reaches_workers(self, cache) -> bool:
        """Whether a worker can have the cache: forked workers inherit it, spawned ones
        get it pickled (a verification hook of the caller's may not pickle)."""
        if self.context.get_start_method() == "fork":
            return True
        try:
            pickle.dumps(cache)
        except Exception:
            return False
        return True

    def run(self, positions: list[int], record: Callable[[int, Result, bool], None],
            looked: Callable[[CacheEvent], None] | None = None) -> None:
        """Decide the positions (looking each up in :attr:`cache` first, when there is
        one); ``record(position, result, reused)`` is called in this process as each one is
        settled, and ``looked(event)`` with what the cache said of it as soon as it is known."""
        self.looked = looked
        # claims that import an optional library first (PyTorch: a second to import, which
        # the other workers spend on the rest), then the other claim objects (section 2's,
        # the network layers': tens to hundreds of ms each, against milliseconds for most
        # statements), so that the workers do not end with one of them left; results are
        # recorded by position, the order is kept
        pending = deque(sorted(positions, key=lambda p: (not self._needs(p), self._is_statement(p))))
        left = len(positions)
        workers: list[_Worker] = []
        try:
            while left:
                busy = sum(bool(w.batch) for w in workers)
                while len(workers) < min(self.size, busy + len(pending)):
                    workers.append(
                        _Worker(self.context, self.obligations, self.sources, self.timeout,
                                self.cache)
                    )
                for w in workers:
                    if w.ready and not w.batch and pending:
                        w.send(self._take(pending, batch_size(len(pending), len(workers))),
                               self.obligations)
                ready = wait(
                    [w.conn for w in workers] + [w.process.sentinel for w in workers],
                    timeout=self._next_deadline(workers),
                )
                gone = []
                for w in workers:
                    if w.conn in ready or w.process.sentinel in ready:
                        recorded, alive = self._receive(w, record, pending)
                        left -= recorded
                        if not alive:
                            gone.append(w)
                now = time.monotonic()
                for w in workers:
                    if w in gone:
                        continue
                    if w.batch and now - w.since > self._limit(w):
                        position, phase = w.batch.popleft(), w.phase
                        pending.extendleft(reversed(w.batch))  # the rest of its batch
                        w.batch.clear()
                        w.end()  # first end it, so it stops using a core
                        record(position, self._timed_out(position, phase), False)
                        left -= 1
                        gone.append(w)
                    elif not w.ready and now - w.started > STARTUP_SECONDS:
                        raise RunnerError(
                            f"a worker process did not start within {STARTUP_SECONDS:g} s"
                        )
                    elif w.ready and not w.batch and not pending:
                        w.stop()  # nothing left for it
                        gone.append(w)
                for w in gone:
                    w.end()
                    workers.remove(w)
        finally:
            for w in workers:
                if w.ready and not w.batch:
                    w.stop()
                else:
                    w.end()

    def _take(self, pending: deque, n: int) -> list[int]:
        """The next batch: ``n`` positions, and with a claim that imports an optional
        library (``optional_modules``: PyTorch takes seconds to import) every pending claim
        that imports the same, so that one worker imports it once."""
        batch: list[int] = []
        while pending and len(batch) < n:
            batch.append(pending.popleft())
            needs = self._needs(batch[-1])
            if needs:
                same = [p for p in pending if self._needs(p) == needs]
                for p in same:
                    pending.remove(p)
                batch += same
        return batch

    def _needs(self, position: int) -> tuple:
        return optional_modules(self.obligations[position])

    def _is_statement(self, position: int) -> bool:
        return not is_claim(self.obligations[position].statement)

    def _limit(self, w: _Worker) -> float:
        """How long the worker's current step may take: re-verifying a kept certificate,
        warming up, deciding (the obligation's budget and a grace)."""
        return {"looking": LOOKUP_SECONDS, "warming": STARTUP_SECONDS}.get(w.phase, self.limit)

    def _next_deadline(self, workers) -> float | None:
        deadlines = [w.since + self._limit(w) for w in workers if w.batch]
        deadlines += [w.started + STARTUP_SECONDS for w in workers if not w.ready]
        if not deadlines:
            return None
        return max(0.0, min(deadlines) - time.monotonic()) + 0.01

    def _receive(self, w: _Worker, record, pending: deque) -> tuple[int, bool]:
        """Handle what a worker said, or its death: (results recorded, still usable)."""
        recorded = 0
        while w.conn.poll():
            try:
                kind, payload = pickle.loads(w.conn.recv_bytes())
            except EOFError:
                break
            except (pickle.UnpicklingError, AttributeError, ImportError, TypeError) as exc:
                if not w.batch:
                    raise RunnerError(f"a worker sent something unreadable: {exc}") from exc
                position = w.task
                w.answered(position)
                record(position, self._failed(position, "its result could not be read", exc), False)
                recorded += 1
                continue
            if kind == "ready":
                w.ready = True
            elif kind == "looked":  # counted now: a worker ended later loses no count
                if self.looked is not None:
                    self.looked(payload[1])
                w.now_in("deciding")
            elif kind == "warming":  # warming up is never part of an obligation's time
                w.now_in("warming")
            elif kind == "warm":
                w.now_in("deciding")
            elif kind == "error":
                raise RunnerError(payload)
            elif kind == "result":
                position, result, reused = payload
                w.answered(position)
                record(position, result, reused)
                recorded += 1
        if w.process.is_alive():
            return recorded, True
        w.process.join(1)
        if not w.ready:
            raise RunnerError(
                f"a worker process exited while starting (exit code {w.process.exitcode})"
            )
        if not w.batch:
            return recorded, False
        position = w.batch.popleft()
        pending.extendleft(reversed(w.batch))  # not started: decided by another worker
        w.batch.clear()
        record(
            position,
            self._failed(position, f"the worker process died (exit code {w.process.exitcode})"),
            False,
        )
        return recorded + 1, False

    def _failed(self, position: int, what: str, exc: BaseException | None = None) -> Result:
        detail = f": {type(exc).__name__}: {exc}" if exc is not None else ""
        return internal_error(statement_text(self.obligations[position]), what=f"{what}{detail}")

    def _timed_out(self, position: int, phase: str = "deciding") -> Result:
        if phase == "looking":
            why = (f"timeout: re-verifying its kept certificate took over {LOOKUP_SECONDS:g} s "
                   "(the worker process was ended)")
        elif phase == "warming":
            why = f"the worker process did not warm up within {STARTUP_SECONDS:g} s and was ended"
        else:
            why = f"timeout after {self.timeout:g} s (the worker process did not stop by itself and was ended)"
        return Result(statement_text(self.obligations[position]), Verdict.UNKNOWN, reason=why,
                      seconds=self.limit)
