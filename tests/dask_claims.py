"""Claim objects for the Dask tests: importable by name on the cluster's workers."""

from __future__ import annotations

import time
from dataclasses import dataclass

from symconv.results.result import Result, Verdict


@dataclass(frozen=True)
class Gate:
    """Waits (under its budget) until ``path`` exists, then ends ``unknown``: lets a test
    know a task is running, and end a worker while it is."""

    path: str

    def __str__(self) -> str:
        return f"the gate {self.path} opens"

    def decide(self, budget) -> Result:
        from pathlib import Path

        while not Path(self.path).exists():
            budget.check()
            time.sleep(0.02)
        return Result(str(self), Verdict.UNKNOWN, reason="the gate opened (a test claim)")


@dataclass(frozen=True)
class Stubborn:
    """Ignores its budget: only ending its process stops it."""

    def __str__(self) -> str:
        return "a claim that never stops"

    def decide(self, budget) -> Result:
        while True:
            try:
                time.sleep(10)
            except BaseException:  # swallows the budget's alarm, on purpose
                pass
