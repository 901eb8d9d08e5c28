"""Timings of ``symconv audit`` on the notes; prints JSON.

    python benchmarks/bench_audit.py [--repeat N] [--notes PATH]

* ``cold``: ``python -m symconv audit NOTES`` in a fresh interpreter with an empty cache
  (wall and CPU time of the process, and the audit's own time as it reports it);
* ``rerun``: the same command again, the document unchanged (every decision from the cache);
* ``edited``: one equation changed (only that one is decided again);
* ``in_process``: ``audit()`` with no cache and with a warm cache, after imports (median of N).

Targets: the whole audit under 3 s cold; an unchanged re-run under 1 s.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_NOTES = ROOT.parent / "docs" / "notes" / "math-for-dl-notes.md"


def _cli(notes: Path, cache: Path) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "symconv", "audit", str(notes), "--cache-dir", str(cache)],
        cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    head = done.stdout.splitlines()[0] if done.stdout else done.stderr.strip()
    reported = re.search(r"; ([0-9.]+) s$", head)
    hits = re.search(r"cache (\d+) hit\(s\), (\d+) miss", head)
    return {
        "wall_s": round(wall, 3),
        "cpu_s": round((after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime), 3),
        "audit_s": float(reported.group(1)) if reported else None,
        "cache_hits": int(hits.group(1)) if hits else None,
        "cache_misses": int(hits.group(2)) if hits else None,
        "exit": done.returncode,
    }


def _in_process(notes: Path, repeat: int) -> dict:
    from symconv.documents.audit import audit
    from symconv.engine.cache import VerdictCache

    cold, warm = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(repeat):
            start = time.perf_counter()
            audit(notes)
            cold.append(time.perf_counter() - start)
        cache = lambda: VerdictCache(tmp, options={"timeout": 10.0})
        audit(notes, cache=cache())
        for _ in range(repeat):
            start = time.perf_counter()
            audit(notes, cache=cache())
            warm.append(time.perf_counter() - start)
    return {"no_cache_median_s": round(statistics.median(cold), 3),
            "warm_cache_median_s": round(statistics.median(warm), 3), "repeat": repeat}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--notes", type=Path, default=DEFAULT_NOTES)
    args = parser.parse_args()
    notes = args.notes
    out = {"notes": str(notes), "cores": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "cache"
        out["cold"] = _cli(notes, cache)
        out["rerun"] = _cli(notes, cache)
        edited = Path(tmp) / "edited.md"
        edited.write_text(notes.read_text(encoding="utf-8").replace(
            "(f * g) * h = f * (g * h)", "(f * g) * h = (f * h) * g"), encoding="utf-8")
        out["edited"] = _cli(edited, cache)
    out["in_process"] = _in_process(notes, args.repeat)
    out["targets"] = {"cold_under_3_s": out["cold"]["wall_s"] < 3.0,
                      "rerun_under_1_s": out["rerun"]["wall_s"] < 1.0}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
