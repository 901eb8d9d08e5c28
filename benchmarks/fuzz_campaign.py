"""A fuzzing campaign of the soundness fuzzer (tests/fuzz.py), in chunks. Prints figures.

    python benchmarks/fuzz_campaign.py --statements 100000 [--chunk 500] [--out FILE]

Each chunk runs the Hypothesis strategy of ``tests/fuzz.py`` with its own seed (chunk k
uses seed k, so a campaign can be resumed with ``--first-chunk``), decides every case (the
engine issues a verdict only after the independent checker has accepted its certificate's
JSON data), checks every ``--recheck-every``-th certificate again from its JSON text, tampers
with every ``--tamper-every``-th one (one kind of change, in turn) and checks the mutant, and
adds the figures up. After each chunk the running totals are
written to ``--out`` (JSON), so a long campaign can be watched; at the end they are
printed. Run it under ``nice`` with ``taskset -c 0`` (or similar) to keep it to one core.

Figures: statements judged (true by construction; edits confirmed false by the numeric
oracle, and edits the oracle could not confirm, which are not judged), verdicts, wrong
verdicts, crashes, certificates checked and rejected, tampered certificates accepted.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from fuzz import Tally, cases, examine  # noqa: E402
from hypothesis import HealthCheck, given, seed, settings  # noqa: E402


def run_chunk(index: int, size: int, timeout: float, every: int = 1, recheck_every: int = 1) -> Tally:
    tally = Tally()
    count = [0]

    @seed(index)
    @settings(max_examples=size, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(cases())
    def body(case):
        count[0] += 1
        n = index * size + count[0]
        try:
            examine(case, tally, timeout=timeout, tamper=n // every if n % every == 0 else -1,
                    recheck=n % recheck_every == 0)
        except Exception as exc:  # noqa: BLE001 — the fuzzer's own error: counted, not fatal
            tally.harness_errors.append(f"{case}: {type(exc).__name__}: {exc}")

    body()
    return tally


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--statements", type=int, default=100_000,
                    help="statements to judge (true ones and confirmed false ones; about)")
    ap.add_argument("--chunk", type=int, default=500)
    ap.add_argument("--first-chunk", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=20.0)
    ap.add_argument("--tamper-every", type=int, default=1, help="tamper with every n-th certificate")
    ap.add_argument("--recheck-every", type=int, default=1,
                    help="check every n-th certificate again from its JSON text")
    ap.add_argument("--out", default=None, help="write the running totals here after each chunk")
    args = ap.parse_args()
    total = Tally()
    start = time.perf_counter()
    index = args.first_chunk
    while total.statements < args.statements:
        t0 = time.perf_counter()
        total.add(run_chunk(index, args.chunk, args.timeout, args.tamper_every, args.recheck_every))
        index += 1
        figures = {"chunks": index - args.first_chunk, "seconds": round(time.perf_counter() - start, 1),
                   "last_chunk_seconds": round(time.perf_counter() - t0, 1), **total.to_dict()}
        if args.out:
            Path(args.out).write_text(json.dumps(figures, indent=2, ensure_ascii=False), encoding="utf-8")
    print(json.dumps(figures, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
