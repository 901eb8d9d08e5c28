"""Parallel runs: `symconv prove FILE --jobs 2` against `--jobs 1`. Prints JSON.

The theorem file has 40 obligations of a few hundred milliseconds each. Each is a claim
object (as section 2's claims are) that decides a family of identities instance by
instance with the Fourier normal form — CPU-bound work in the engine, not sleeping,
so that two workers can only win where two cores really work. The instances use names
of their own per obligation, so that no obligation reuses another's work through
SymPy's cache. Each setting runs as a user runs it: a fresh `python -m symconv prove`
process, imports and loading of the file included; the best of REPEATS runs counts.

    python benchmarks/bench_jobs.py [--obligations 40] [--instances 200] [--repeats 3]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

THEOREMS = '''
from symconv import Obligation, Result, Verdict, parse
from symconv.routes.fourier import decide


class ShiftDistributes:
    """τ(f, a) * (g + dᵒh) − u⋆v = τ(f*g + f*dᵒh, a) − u⁻*v on INSTANCES name sets."""

    def __init__(self, k, instances):
        self.k = k
        self.instances = instances

    def __str__(self):
        return f"family {self.k}: τ(f, a) * (g + dh) − u⋆v = τ(f*g + f*dh, a) − u⁻*v"

    def statement(self, i):
        k, o = self.k, i % 3 + 1
        f, g, h, u, v, a = (f"{c}{k}_{i}" for c in "fghuva")
        return (
            f"shift({f}, {a}) * ({g} + diff({h}, {o})) - {u} ⋆ {v} = "
            f"shift({f} * {g} + {f} * diff({h}, {o}), {a}) - flip({u}) * {v}"
        )

    def decide(self, budget):
        for i in range(self.instances):
            if not decide(parse(self.statement(i)), budget.check).identity:
                return Result(str(self), Verdict.UNKNOWN, reason=f"instance {i} differs")
        return Result(
            str(self),
            Verdict.CHECKED,
            method="Fourier normal form on each instance",
            details={"instances": self.instances, "family": "fresh function names"},
        )


OBLIGATIONS = [
    Obligation(f"bench.{k}", ShiftDistributes(k, INSTANCES), "checked") for k in range(COUNT)
]
'''


def prove(path: Path, jobs: int) -> tuple[float, float, dict]:
    """Wall time, CPU time (the process and its workers) and the JSON report."""
    before = os.times()
    start = time.perf_counter()
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "symconv",
            "prove",
            str(path),
            "--jobs",
            str(jobs),
            "--format",
            "json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    if run.returncode != 0:
        raise SystemExit(f"prove --jobs {jobs} failed ({run.returncode}): {run.stderr}{run.stdout}")
    return wall, cpu, json.loads(run.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--obligations", type=int, default=40)
    parser.add_argument("--instances", type=int, default=200, help="identities per obligation")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    text = THEOREMS.replace("INSTANCES", str(args.instances)).replace(
        "COUNT", str(args.obligations)
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "theorems_bench.py"
        path.write_text(text, encoding="utf-8")
        walls = {1: [], 2: []}
        cpus = {1: [], 2: []}
        docs = {}
        for _ in range(args.repeats):
            for jobs in (1, 2):
                wall, cpu, docs[jobs] = prove(path, jobs)
                walls[jobs].append(wall)
                cpus[jobs].append(cpu)
    per = [o["seconds"] for o in docs[1]["obligations"]]
    verdicts = {jobs: [o["verdict"] for o in doc["obligations"]] for jobs, doc in docs.items()}
    best = {jobs: min(w) for jobs, w in walls.items()}
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        json.dumps(
            {
                "obligations": args.obligations,
                "cores": cores,
                "load_average_1min": round(os.getloadavg()[0], 2)
                if hasattr(os, "getloadavg")
                else None,
                "per_obligation_ms_median": round(statistics.median(per) * 1000, 1),
                "jobs_1_wall_s": round(best[1], 3),
                "jobs_2_wall_s": round(best[2], 3),
                "jobs_1_all_walls_s": [round(w, 3) for w in walls[1]],
                "jobs_2_all_walls_s": [round(w, 3) for w in walls[2]],
                "speedup": round(best[1] / best[2], 2),
                # CPU seconds of the whole run (workers included) and the cores it kept
                # busy on average: with other load on the machine, jobs 2 gets less than 2
                "jobs_1_cpu_s": [round(c, 3) for c in cpus[1]],
                "jobs_2_cpu_s": [round(c, 3) for c in cpus[2]],
                "jobs_2_cores_used": [
                    round(c / w, 2) for c, w in zip(cpus[2], walls[2], strict=True)
                ],
                "same_verdicts_in_same_order": verdicts[1] == verdicts[2],
                "verdicts": sorted(set(verdicts[1])),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
