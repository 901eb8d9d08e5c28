"""Deciding obligations on a Dask cluster (``prove``/``check --scheduler ADDRESS``).

Dask does the distributing: the obligations go to the cluster's workers as tasks (a few
obligations per task, so that scheduling costs little next to deciding), and when a
worker dies, Dask gives its tasks to another worker. What Dask cannot do is end one
stuck obligation: its tasks run in worker threads, where no alarm fires and a thread
cannot be killed. So each task decides its obligations in a process of its own — the
same worker process the local runner uses (:class:`symconv.engine.pool.Pool`), forked
from a warm fork server — which is ended when an obligation overruns its budget (that
obligation is ``unknown (timeout)``, the others are decided).

A Dask worker may only start processes when it is not a daemonic process: start the
workers with ``distributed.worker.daemon`` set to False (``DASK_DISTRIBUTED__WORKER__DAEMON=False``,
or ``dask.config.set({"distributed.worker.daemon": False})`` before a ``LocalCluster``).
A task on a daemonic worker fails with :class:`DaemonicWorker`, and the run stops with
that message rather than decide without budgets.

Each task logs an event (topic :data:`EVENTS`) when it starts; a task that started more
than once was rerun because a worker was lost, and the run's notes name its obligations.
A task that keeps killing workers (Dask's ``allowed-failures``) ends its obligations
``unknown`` with the reason; no obligation is ever lost without a result.
"""

from __future__ import annotations

import multiprocessing
import os
import uuid
from typing import Callable, Sequence

from symconv.engine.obligation import Obligation
from symconv.results.result import Result, internal_error

__all__ = ["EVENTS", "DaemonicWorker", "DaskUnavailable", "decide_on_dask", "decide_batch"]

#: The topic of the events tasks log when they start.
EVENTS = "symconv-task-start"
#: The most obligations one task carries.
MAX_TASK = 32
#: How long to wait for the scheduler to answer before giving up.
CONNECT_SECONDS = 30.0
#: Modules the fork server imports once, so that each task's process starts warm.
_PRELOAD = ["symconv.engine.pool", "symconv.engine.prove", "symconv.routes.refutation.search",
            "symconv.routes.derivation.search", "symconv.routes.calculus.claims"]


class DaskUnavailable(RuntimeError):
    """Dask is not installed, or the scheduler cannot be reached."""


class DaemonicWorker(RuntimeError):
    """The Dask worker is a daemonic process, which may not start the process that keeps
    an obligation's budget."""


def _client(address: str):
    try:
        from distributed import Client
    except ImportError:
        raise DaskUnavailable(
            "--scheduler needs Dask's distributed scheduler: pip install 'symconv[dask]'"
        ) from None
    try:
        return Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise DaskUnavailable(f"cannot reach the Dask scheduler at {address}: {exc}") from None


def task_size(pending: int, workers: int) -> int:
    """Obligations per task: a few per worker thread and round, at most :data:`MAX_TASK`."""
    return max(1, min(MAX_TASK, pending // (4 * max(1, workers))))


def decide_on_dask(
    obligations: Sequence[Obligation],
    positions: list[int],
    timeout: float,
    address: str,
    record: Callable[[int, Result], None],
    *,
    size: int | None = None,
) -> list[str]:
    """Decide ``obligations[p]`` for each position on the cluster at ``address``; call
    ``record(p, result)`` as results arrive; return the notes for the report (which
    obligations were rerun after a worker was lost)."""
    from distributed import as_completed

    client = _client(address)
    try:
        threads = sum(client.nthreads().values()) or 1
        n = size or task_size(len(positions), threads)
        run_id = uuid.uuid4().hex[:12]
        batches = {}
        for i, start in enumerate(range(0, len(positions), n)):
            chunk = positions[start:start + n]
            key = f"symconv-{run_id}-{i}"
            batches[key] = chunk
        futures = [
            client.submit(decide_batch, [obligations[p] for p in chunk], timeout, key,
                          key=key, pure=False)
            for key, chunk in batches.items()
        ]
        for future in as_completed(futures, loop=client.loop):
            chunk = batches[future.key]
            try:
                results = future.result()
            except DaemonicWorker:
                raise
            except Exception as exc:  # e.g. KilledWorker: the task killed too many workers
                results = [_lost(obligations[p], exc) for p in chunk]
            for p, result in zip(chunk, results):
                record(p, result)
        started = _starts(client, run_id)
    finally:
        client.close()
    rerun = [p for key, chunk in batches.items() if started.get(key, 0) > 1 for p in chunk]
    if not rerun:
        return []
    ids = ", ".join(obligations[p].id for p in rerun[:8]) + (", …" if len(rerun) > 8 else "")
    noun = "obligation was" if len(rerun) == 1 else "obligations were"
    return [f"{len(rerun)} {noun} decided again after a Dask worker was lost: {ids}"]


def _starts(client, run_id: str) -> dict[str, int]:
    """How many times each task of this run started, from the events the tasks logged."""
    counts: dict[str, int] = {}
    for _, event in client.get_events(EVENTS):
        key = event.get("key") if isinstance(event, dict) else None
        if isinstance(key, str) and key.startswith(f"symconv-{run_id}-"):
            counts[key] = counts.get(key, 0) + 1
    return counts


def _lost(obligation: Obligation, exc: BaseException) -> Result:
    text = obligation.statement_text if isinstance(obligation.statement, str) else obligation.id
    return internal_error(text, what=f"the Dask task failed: {type(exc).__name__}: {exc}")


# --------------------------------------------------------------------------- on a worker

_fork_server = None


def _context():
    """A fork server with symconv imported: a task's process starts in milliseconds."""
    global _fork_server
    if _fork_server is None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(_PRELOAD)
        _fork_server = context
    return _fork_server


def decide_batch(obligations: list[Obligation], timeout: float, key: str) -> list[Result]:
    """A Dask task: decide ``obligations`` in a process of their own, each under its
    budget (see the module docstring); the results in the same order."""
    from distributed import get_worker

    from symconv.engine.pool import Pool
    from symconv.engine.sources import given

    if multiprocessing.current_process().daemon:
        raise DaemonicWorker(
            "the Dask worker is a daemonic process, which cannot start the process that keeps "
            "each obligation's time budget: start the workers with distributed.worker.daemon "
            "set to False (DASK_DISTRIBUTED__WORKER__DAEMON=False)"
        )
    worker = get_worker()
    worker.log_event(EVENTS, {"key": key, "worker": worker.address, "pid": os.getpid(),
                              "ids": [ob.id for ob in obligations]})
    obligations = tuple(obligations)
    results: dict[int, Result] = {}
    Pool(obligations, (given(obligations),), timeout, 1, context=_context()).run(
        list(range(len(obligations))), lambda p, result, _reused=False: results.__setitem__(p, result)
    )
    return [results[i] for i in range(len(obligations))]
