"""Timings of the obligations on other groups (theorems/groups.py); prints JSON.

    python benchmarks/bench_groups.py [--repeat N] [--pattern 'groups.dft.*']

For each obligation: the fastest and the median wall time of ``prove`` over N runs in this
process (after imports and one warm-up run each), its verdict and whether it is the
expected one; then the count of obligations over the target of 50 ms (PyTorch
cross-checks aside: ``groups.layer.frameworks`` is listed but not counted), and for the
refutations the share of the time spent on repairs (nearby statements that hold).
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_MS = 50.0
EXEMPT = {"groups.layer.frameworks"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--pattern", default="groups.*")
    args = parser.parse_args()

    from symconv import prove
    from symconv.engine.prove import warm_up
    from theorems import groups

    warm_up()
    rows = []
    for ob in groups.OBLIGATIONS:
        if not fnmatch.fnmatch(ob.id, args.pattern):
            continue
        prove(ob.statement)  # warm-up: caches of the families, lazy imports
        times, verdict = [], None
        for _ in range(args.repeat):
            start = time.perf_counter()
            verdict = prove(ob.statement).verdict.value
            times.append(time.perf_counter() - start)
        rows.append(
            {
                "id": ob.id,
                "verdict": verdict,
                "as_expected": verdict == ob.expect.value,
                "min_ms": round(min(times) * 1000, 2),
                "median_ms": round(statistics.median(times) * 1000, 2),
            }
        )
    counted = [r for r in rows if r["id"] not in EXEMPT]
    over = [r["id"] for r in counted if r["min_ms"] > TARGET_MS]
    print(
        json.dumps(
            {
                "obligations": rows,
                "all_as_expected": all(r["as_expected"] for r in rows),
                "target_ms": TARGET_MS,
                "over_target_by_min": over,
                "median_of_medians_ms": round(statistics.median(r["median_ms"] for r in counted), 2) if counted else None,
            },
            indent=1,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
