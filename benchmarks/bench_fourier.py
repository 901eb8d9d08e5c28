"""Time to decide each obligation of the larger language (theorems/fourier.py), once imported.

Prints JSON: for each obligation its verdict and the median time of ``symconv.prove`` over
several runs (every route: the normal form, the spot check, the witness search and its
replay, the repairs), and of the normal form's decision alone. Target (issue 13): under 50 ms
each once imported.

    python benchmarks/bench_fourier.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from symconv import prove  # noqa: E402
from symconv.engine.prove import as_statement  # noqa: E402
from symconv.routes.fourier import decide  # noqa: E402
from theorems import fourier  # noqa: E402


def _median(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    prove("f*g = g*f")  # warm the caches of SymPy and of the routes
    rows = {}
    for ob in fourier.OBLIGATIONS:
        st = as_statement(ob.statement)
        result = prove(st)
        rows[ob.id] = {
            "expected": ob.expect.value,
            "verdict": result.verdict.value,
            "prove_ms": round(1000 * _median(lambda: prove(st), args.runs), 2),
            "decide_ms": round(1000 * _median(lambda: decide(st.equation()), args.runs), 3),
        }
    times = [r["prove_ms"] for r in rows.values()]
    print(
        json.dumps(
            {
                "obligations": len(rows),
                "as_expected": sum(r["verdict"] == r["expected"] for r in rows.values()),
                "median_prove_ms": round(statistics.median(times), 2),
                "max_prove_ms": max(times),
                "over_50_ms": sorted(k for k, r in rows.items() if r["prove_ms"] > 50),
                "each": rows,
            },
            indent=2,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
