"""Time to find and to check the time-domain derivation of each claim of the notes.

    python benchmarks/bench_derivations.py [--repeat N]

Prints JSON: per obligation the search time (which includes the kernel's checks of every
step), the time to replay the finished derivation through the kernel alone, and the time to
render it; the first (cold) search is reported apart, since it pays SymPy's first-use costs.
"""

from __future__ import annotations

import argparse
import json
import pathlib
import platform
import statistics
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

import sympy  # noqa: E402

from symconv import parse  # noqa: E402
from symconv.routes.derivation.render import derivation_data  # noqa: E402
from symconv.routes.derivation.search import Found, find_derivation, recheck  # noqa: E402
from theorems import all_obligations  # noqa: E402


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    obligations = [
        ob
        for ob in all_obligations()
        if isinstance(ob.statement, str) and not parse(ob.statement).negated
    ]
    start = time.perf_counter()
    find_derivation(parse(obligations[0].statement))
    cold = time.perf_counter() - start
    rows = []
    for ob in obligations:
        statement = parse(ob.statement)
        searches, found = [], None
        for _ in range(args.repeat):
            t = time.perf_counter()
            found = find_derivation(statement)
            searches.append(time.perf_counter() - t)
        row = {
            "id": ob.id,
            "statement": str(statement),
            "expected": ob.expect.value,
            "found": isinstance(found, Found),
            "search_ms": _ms(statistics.median(searches)),
        }
        if isinstance(found, Found):
            t = time.perf_counter()
            again = recheck(found.derivation)
            row["replay_ms"] = _ms(time.perf_counter() - t)
            row["replay_ok"] = bool(getattr(again, "complete", False))
            t = time.perf_counter()
            derivation_data(found.derivation)
            row["render_ms"] = _ms(time.perf_counter() - t)
            row["steps"] = len(found.derivation.steps) - 1
        else:
            row["reason"] = found.reason
        rows.append(row)
    proved = [r for r in rows if r["found"]]
    doc = {
        "python": platform.python_version(),
        "sympy": sympy.__version__,
        "repeat": args.repeat,
        "cold_first_search_ms": _ms(cold),
        "derivations": rows,
        "found": len(proved),
        "total_search_ms_found": round(sum(r["search_ms"] for r in proved), 2),
        "max_search_ms_found": max((r["search_ms"] for r in proved), default=0.0),
        "total_search_ms_all": round(sum(r["search_ms"] for r in rows), 2),
    }
    print(json.dumps(doc, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
