"""Deciding many obligations: in this process, or in worker processes in parallel.

Each obligation gets its own time budget. In this process the budget is the engine's
(a real-time alarm at safe points plus cooperative checks, :mod:`symconv.routes.budget`;
a claim that is not symconv's own runs in a child process, :mod:`symconv.engine.child`).
In worker processes the worker applies the same budget, and the parent enforces it as
well: a worker that has not answered shortly after its budget (stuck in C code, or in a
claim that ignores the alarm) is ended and the obligation reported ``unknown`` with a
timeout reason; a fresh worker takes its place and no other result is lost. Workers
are sent obligations in batches (:func:`batch_size`), so that messages cost little next
to deciding, and answer each one as it is decided. A worker is warmed up
(:func:`~symconv.engine.prove.warm_up`) before it takes work, and the parent's clock for
an obligation starts when its batch is sent or when the worker answered the one before:
start-up never counts against a budget.

A theorem file is executed once, in this process. Forked workers (Linux) inherit the
obligations; spawned workers (macOS, Windows, a process with threads) receive them
pickled, and only when that fails (a claim class defined in the theorem file) load the
file again from its :class:`~symconv.engine.sources.Source`. Workers are sent positions;
only :class:`~symconv.results.result.Result` objects cross back. Outcomes come back in
the order of the input, whatever the number of jobs.

``jobs=None`` (the command line's default) means: start in this process, and only when
the obligations turn out to be slow hand the rest to one worker per core: after
:data:`SERIAL_SECONDS`, when the mean time of an obligation so far (without the slowest)
times the number left exceeds :func:`parallel_seconds` (half a second where workers are
forked, three where they are spawned and import everything again). A handful of
obligations never pays for workers, and one slow obligation (the first import of
PyTorch) does not make the others look slow.

With a verdict cache, looking an obligation up is part of settling it (:func:`settle`):
the re-verification of a kept certificate by the checker runs wherever the obligation
would be decided, in parallel like deciding; this process counts what the workers found
and is the one that writes the cache.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
import time
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

from symconv.engine.child import can_fork, grace_seconds
from symconv.engine.obligation import Obligation, Outcome, summary
from symconv.engine.pool import (
    Pool,
    RunnerError,
    cache_key,
    decide,
    look_up,
    optional_modules,
    settle,
)
from symconv.engine.prove import DEFAULT_TIMEOUT, once_per_run, warm_up
from symconv.engine.sources import (
    Source,
    from_file,
    from_module,
    given,
    is_file_target,
    validate,
)
from symconv.results.display import Displayable
from symconv.results.result import Result
from symconv.routes.budget import check_timeout

__all__ = [
    "Pool",
    "FORKED_PARALLEL_SECONDS",
    "IMPORT_SECONDS",
    "PARALLEL_SECONDS",
    "SERIAL_SECONDS",
    "Run",
    "RunnerError",
    "decide",
    "default_jobs",
    "grace_seconds",
    "run",
]

#: With ``jobs=None``, obligations run in this process until this much time has passed…
SERIAL_SECONDS = 0.25
#: … and after it, as long as the work left (the mean time so far, without the slowest,
#: times the number of obligations left) is less than this: below it, starting workers
#: costs more than it saves. Spawned workers import everything again (seconds)…
PARALLEL_SECONDS = 3.0
#: … forked ones inherit the imports and SymPy's warm caches (tens of milliseconds).
FORKED_PARALLEL_SECONDS = 0.5


def parallel_seconds() -> float:
    """The work left above which ``jobs=None`` goes parallel, on this platform."""
    return FORKED_PARALLEL_SECONDS if can_fork() else PARALLEL_SECONDS


#: What importing an optional library costs a claim that needs it (PyTorch: about a second).
IMPORT_SECONDS = 1.0


def _work_left(durations: list[float], left: int, importing: int = 0) -> float:
    """The time the ``left`` obligations would take here: the mean so far without its
    largest (one slow obligation says little about the others) times their number, plus
    :data:`IMPORT_SECONDS` for each optional library (``importing``) they still have to
    import; 0 while nothing is decided."""
    if not durations:
        return 0.0
    typical = (sum(durations) - max(durations)) / (len(durations) - 1) if len(durations) > 1 else durations[0]
    return typical * left + IMPORT_SECONDS * importing


def _imports_left(obligations, positions) -> int:
    """How many optional libraries the claims at ``positions`` need that are installed and
    not imported yet."""
    needed = {m for p in positions for m in optional_modules(obligations[p])} - set(sys.modules)
    return sum(1 for m in needed if importlib.util.find_spec(m) is not None)


#: Called in the parent after each obligation: (number done, total, the outcome).
Progress = Callable[[int, int, Outcome], None]


@dataclass(frozen=True)
class Run(Displayable):
    """The outcomes of a run, in the order of the obligations, and the wall time."""

    outcomes: tuple[Outcome, ...]
    seconds: float
    jobs: int = 1
    #: what the report should say about how the run went (e.g. obligations decided again
    #: after a Dask worker was lost)
    notes: tuple[str, ...] = ()

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
        out = {
            "obligations": [o.to_dict() for o in self.outcomes],
            "summary": summary(self.outcomes, self.seconds),
        }
        if self.notes:
            out["notes"] = list(self.notes)
        return out

    def to_json(self, **kwargs) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)


def default_jobs() -> int:
    """The number of cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def _reused(positions: list[int], obligations, cache, record) -> list[int]:
    """Look every position up in the cache here; the positions left to decide."""
    if cache is None:
        return positions
    left = []
    for p in positions:
        hit, event = look_up(obligations[p], cache)
        cache.count(event)
        if hit is None:
            left.append(p)
        else:
            record(p, hit, True)
    return left


def run(
    obligations: Iterable[Obligation],
    *,
    sources: Sequence[Source] | None = None,
    jobs: int | None = 1,
    timeout: float = DEFAULT_TIMEOUT,
    on_outcome: Progress | None = None,
    cache=None,
    scheduler: str | None = None,
) -> Run:
    """Decide every obligation, each equality once (:func:`~symconv.engine.prove.once_per_run`);
    see the module docstring for ``jobs``.

    ``obligations`` is a sequence of :class:`Obligation`, or the path of a theorem file,
    or the name of a module with ``OBLIGATIONS`` (e.g. ``"theorems"``, the notes).

    ``sources`` says where worker processes load the obligations from (every obligation
    id must be found in one of them); without it the obligations themselves are handed
    to the workers, which needs them to be picklable when processes are spawned rather
    than forked.

    With a :class:`~symconv.engine.cache.VerdictCache`, this process looks every
    obligation up first (a verdict is reused only when the cache's verification hook
    accepts its certificate); only the others are decided, and their verdicts are kept.

    With ``scheduler`` (the address of a Dask scheduler), the obligations are decided on
    that cluster instead (:mod:`symconv.engine.distributed`; ``jobs`` is ignored).
    """
    with once_per_run():
        return _run(obligations, sources, jobs, timeout, on_outcome, cache, scheduler)


def _run(obligations, sources, jobs, timeout, on_outcome, cache, scheduler) -> Run:
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

    def record(position: int, result: Result, reused: bool = False) -> None:
        """A settled obligation; a verdict decided (not reused) is kept."""
        results[position] = result
        if cache is not None and not reused:
            key = cache_key(obligations[position])
            if key is not None:
                cache.put(key, result)
        if on_outcome is not None:
            on_outcome(len(results), total, Outcome(obligations[position], result))

    looked = cache.count if cache is not None else None  # what the cache said, counted here
    positions = list(range(total))
    workers = 1
    notes: list[str] = []
    if positions and scheduler is not None:
        from symconv.engine.distributed import (
            DaemonicWorker,
            DaskUnavailable,
            decide_on_dask,
        )

        positions = _reused(positions, obligations, cache, record)  # Dask workers have no cache
        try:
            notes = decide_on_dask(obligations, positions, timeout, scheduler, record)
        except (DaemonicWorker, DaskUnavailable) as exc:
            raise RunnerError(str(exc)) from None
        positions = []
    if positions:
        warm_up()  # imports here, so that forked workers inherit them
    if jobs is None:
        # in this process while it is cheap; the rest in parallel if it is not. Claims that
        # import an optional library go last: importing PyTorch here would cost its second
        # and leave threads behind, after which workers are spawned, not forked
        positions.sort(key=lambda p: bool(optional_modules(obligations[p])))
        durations: list[float] = []
        while positions and (time.perf_counter() - start < SERIAL_SECONDS or len(positions) < 2
                             or _work_left(durations, len(positions), _imports_left(obligations, positions))
                             < parallel_seconds()):
            p = positions.pop(0)
            began = time.perf_counter()
            record(p, *settle(obligations[p], timeout, cache, looked))
            durations.append(time.perf_counter() - began)
        jobs = default_jobs()
    if positions and jobs > 1:
        pool = Pool(obligations, tuple(sources), timeout, min(jobs, len(positions)), cache=cache)
        if cache is not None and pool.cache is None:  # the workers cannot have it: look up here
            positions = _reused(positions, obligations, cache, record)
        if positions:
            pool.size = workers = min(jobs, len(positions))
            pool.run(positions, record, looked)
    else:
        for p in positions:
            record(p, *settle(obligations[p], timeout, cache, looked))
    outcomes = tuple(Outcome(ob, results[i]) for i, ob in enumerate(obligations))
    return Run(outcomes, time.perf_counter() - start, workers, tuple(notes))
