"""Timings of the section-2 and deep-learning obligations; prints JSON.

    python benchmarks/bench_differentiation.py [--repeat N]

For each obligation: the median wall time of ``prove`` over N runs in this process
(after imports), and its verdict. Then the cold wall time of ``python -m symconv prove``
in a fresh interpreter, and of importing symconv with the obligations. Targets: every
section-2 obligation under 1 s once imported; the whole ``prove`` under 3 s cold.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _in_process(repeat: int) -> list[dict]:
    from symconv import prove
    from theorems import deep_learning, differentiation

    rows = []
    for section in (differentiation, deep_learning):
        for ob in section.OBLIGATIONS:
            times, verdict = [], None
            for _ in range(repeat):
                start = time.perf_counter()
                verdict = prove(ob.statement).verdict.value
                times.append(time.perf_counter() - start)
            rows.append(
                {
                    "id": ob.id,
                    "verdict": verdict,
                    "expected": ob.expect.value,
                    "median_ms": round(statistics.median(times) * 1000, 2),
                    "max_ms": round(max(times) * 1000, 2),
                }
            )
    return rows


def _cold(args: list[str], runs: int) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    times, code = [], None
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True
        )
        times.append(time.perf_counter() - start)
        code = proc.returncode
    return {
        "median_s": round(statistics.median(times), 3),
        "max_s": round(max(times), 3),
        "exit": code,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cold-runs", type=int, default=3)
    args = parser.parse_args()
    rows = _in_process(args.repeat)
    section2 = [r for r in rows if r["id"].startswith("diff.")]
    try:
        import torch  # noqa: F401  (only to report whether it was there)

        torch_present = True
    except ImportError:
        torch_present = False
    doc = {
        "python": sys.version.split()[0],
        "torch_installed": torch_present,
        "obligations": rows,
        "section2_max_ms": max(r["max_ms"] for r in section2),
        "section2_total_ms": round(sum(r["median_ms"] for r in section2), 2),
        "deep_learning_total_ms": round(
            sum(r["median_ms"] for r in rows if r["id"].startswith("dl.")), 2
        ),
        "cold_import": _cold(
            ["-c", "import symconv, theorems; theorems.all_obligations()"], args.cold_runs
        ),
        "cold_prove_all": _cold(["-m", "symconv", "prove"], args.cold_runs),
        "all_as_expected_here": all(r["verdict"] == r["expected"] for r in rows),
    }
    print(json.dumps(doc, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
