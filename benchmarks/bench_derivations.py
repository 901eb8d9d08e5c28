"""Time to find and to check the time-domain derivation of each claim of the notes and of
the Fourier extension (theorems/fourier.py).

    python benchmarks/bench_derivations.py [--repeat N] [PREFIX ...]

Prints JSON: per obligation the search time (which includes the kernel's checks of every
step; the first search of each statement, then the median of the repeats), the time to
replay the finished derivation through the kernel
alone, and the time to render it in the three styles; whether each search stays within the
engine's limit (``DERIVATION_SECONDS``); the first (cold) search of the run is reported
apart, since it pays SymPy's first-use costs. PREFIX selects obligation ids.
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
from symconv.engine.prove import DERIVATION_SECONDS  # noqa: E402
from symconv.routes.derivation.render import derivation_data, render  # noqa: E402
from symconv.routes.derivation.search import Found, find_derivation, recheck  # noqa: E402
from symconv.engine.obligation import Obligation  # noqa: E402
from theorems import all_obligations  # noqa: E402


#: Beyond the theorem modules: an iterated convolution of four factors (24 pairings of the
#: factors, each a solvable change of variables).
EXTRA = [
    Obligation(
        "bench.convpow.4",
        "fourier(convpow(f, 4)) == mul(mul(mul(fourier(f), fourier(f)), fourier(f)), fourier(f))",
        "proved",
    )
]


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("prefix", nargs="*", help="only the obligations whose id starts so")
    args = ap.parse_args(argv)
    obligations = [
        ob
        for ob in [*all_obligations(), *EXTRA]
        if isinstance(ob.statement, str)
        and not parse(ob.statement).negated
        and (not args.prefix or any(ob.id.startswith(p) for p in args.prefix))
    ]
    start = time.perf_counter()
    find_derivation(parse(obligations[0].statement))
    cold = time.perf_counter() - start
    rows = []
    for ob in obligations:
        statement = parse(ob.statement)
        t = time.perf_counter()
        found = find_derivation(statement)
        first = time.perf_counter() - t
        searches = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            found = find_derivation(statement)
            searches.append(time.perf_counter() - t)
        row = {
            "id": ob.id,
            "statement": str(statement),
            "expected": ob.expect.value,
            "found": isinstance(found, Found),
            "first_search_ms": _ms(first),
            "search_ms": _ms(statistics.median(searches)),
            "within_limit": max(first, *searches) < DERIVATION_SECONDS,
        }
        if isinstance(found, Found):
            t = time.perf_counter()
            again = recheck(found.derivation)
            row["replay_ms"] = _ms(time.perf_counter() - t)
            row["replay_ok"] = bool(getattr(again, "complete", False))
            t = time.perf_counter()
            data = derivation_data(found.derivation)
            for style in ("text", "markdown", "latex"):
                render(data, style)
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
        "limit_seconds": DERIVATION_SECONDS,
        "derivations": rows,
        "found": len(proved),
        "total_search_ms_found": round(sum(r["search_ms"] for r in proved), 2),
        "max_search_ms_found": max((r["search_ms"] for r in proved), default=0.0),
        "max_first_search_ms": max((r["first_search_ms"] for r in rows), default=0.0),
        "all_within_limit": all(r["within_limit"] for r in rows),
        "total_search_ms_all": round(sum(r["search_ms"] for r in rows), 2),
    }
    print(json.dumps(doc, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
