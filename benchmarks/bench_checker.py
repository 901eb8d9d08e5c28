"""Benchmark: re-checking certificates against finding the verdicts. Prints JSON.

    python benchmarks/bench_checker.py [--rounds N]

Runs every obligation of the notes in this process (after a warm-up round) and measures,
per round (the median over the rounds is reported):

- ``prove_seconds``: ``prove`` as shipped, which runs the independent checker on every
  certificate before it issues the verdict;
- ``find_seconds``: the same with the checker switched off (what finding the verdicts costs);
- ``check_seconds``: re-checking all the certificates ``prove`` made, from their JSON, as
  ``symconv verify`` does — the target is ``check_seconds < prove_seconds`` (and, the
  stricter reading, ``< find_seconds``);

and the checking time by kind of certificate, and the slowest certificates.
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

import symconv.routes.verdicts as verdicts  # noqa: E402
from symconv import prove  # noqa: E402
from symconv.trusted.checker import Report, check  # noqa: E402
from theorems import all_obligations  # noqa: E402


def _prove_all(obligations) -> tuple[float, list]:
    start = time.perf_counter()
    results = [prove(ob.statement, timeout=60) for ob in obligations]
    return time.perf_counter() - start, results


def _accept(data) -> Report:
    return Report(True, data.get("kind"), data.get("verdict"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    obligations = list(all_obligations())
    _prove_all(obligations)  # warm-up: imports, caches
    prove_t, find_t, check_t = [], [], []
    by_kind: dict = {}
    slowest: dict = {}
    for _ in range(args.rounds):
        seconds, results = _prove_all(obligations)
        prove_t.append(seconds)
        verdicts.check = _accept  # the gate off: finding alone
        try:
            find_t.append(_prove_all(obligations)[0])
        finally:
            verdicts.check = check
        certs = [(ob.id, r.certificate.to_json()) for ob, r in zip(obligations, results) if r.certificate]
        start = time.perf_counter()
        for ident, text in certs:
            t0 = time.perf_counter()
            report = check(json.loads(text))
            spent = time.perf_counter() - t0
            assert report.valid, (ident, report.reason)
            by_kind.setdefault(report.kind, []).append(spent)
            slowest[ident] = max(slowest.get(ident, 0.0), spent)
        check_t.append(time.perf_counter() - start)
    out = {
        "obligations": len(obligations),
        "certificates": len(certs),
        "rounds": args.rounds,
        "prove_seconds": round(statistics.median(prove_t), 3),
        "find_seconds": round(statistics.median(find_t), 3),
        "check_seconds": round(statistics.median(check_t), 3),
        "check_faster_than_prove": statistics.median(check_t) < statistics.median(prove_t),
        "check_faster_than_find": statistics.median(check_t) < statistics.median(find_t),
        "check_seconds_by_kind": {
            k: {"certificates": len(v) // args.rounds, "seconds": round(sum(v) / args.rounds, 3)}
            for k, v in sorted(by_kind.items())
        },
        "slowest_checks_ms": {
            k: round(1000 * v, 1) for k, v in sorted(slowest.items(), key=lambda kv: -kv[1])[:8]
        },
    }
    print(json.dumps(out, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
