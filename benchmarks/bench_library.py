"""A generated library of obligations: how `prove` scales with its size and with --jobs.
Prints JSON (and writes it with --out).

    python benchmarks/bench_library.py [--sizes 1000 5000 10000] [--jobs 1 2] [--seed 16]

The library is built from the rewrite laws of the language with a fixed seed: laws that
hold (commutativity and associativity of *, time invariance, the derivative rule, (10)
xcorr as a convolution, the flip rules, distributivity) and laws that do not (⋆ is not
commutative nor associative, shifting both factors, differentiating both factors,
flipping one), over renamed functions (f17, g3, …) and, for the laws that hold, factors
that are themselves flips and shifts. About a third is false. Every obligation states
its expected verdict; a run in which any verdict differs is reported (``as_expected``).

Each setting runs as a user runs it: a fresh ``python -m symconv prove LIBRARY --jobs J
--no-cache --format json -o FILE``; reported: wall time, time per obligation, CPU time
of the process tree, peak memory of its largest process and of the whole tree (sampled), the memory of
the whole tree sampled over the run (first, middle and last tenth: a run whose memory
grows with the obligations decided shows it), and the speedup of each --jobs over
--jobs 1 at the same size. Targets (issue 16): time per obligation flat within 20 % from
1k to 10k, peak memory under 1 GB, --jobs 2 at least 1.6× faster than --jobs 1.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: (name, template, expected verdict); A, B, C are factors, b a shift, k an order
LAWS = [
    ("comm", "{A}*{B} = {B}*{A}", "proved"),
    ("assoc", "({A}*{B})*{C} = {A}*({B}*{C})", "proved"),
    ("shift", "τ({A}*{B}, {b}) = {A}*τ({B}, {b})", "proved"),
    ("deriv", "diff({A}*{B}, {k}) = {A}*diff({B}, {k})", "proved"),
    ("xcorr-as-conv", "{A}⋆{B} = flip({A})*{B}", "proved"),
    ("swap", "{B}⋆{A} = flip({A}⋆{B})", "proved"),
    ("flip", "flip({A}*{B}) = flip({A})*flip({B})", "proved"),
    ("distrib", "{A}*({B} + {C}) = {A}*{B} + {A}*{C}", "proved"),
    ("xcomm", "{f}⋆{g} = {g}⋆{f}", "refuted"),
    ("xassoc", "({f}⋆{g})⋆{h} = {f}⋆({g}⋆{h})", "refuted"),
    ("shift-both", "τ({f}*{g}, {b}) = τ({f}, {b})*τ({g}, {b})", "refuted"),
    ("deriv-both", "diff({f}*{g}) = diff({f})*diff({g})", "refuted"),
    ("flip-one", "flip({f}*{g}) = flip({f})*{g}", "refuted"),
]
#: how often each law is drawn: the laws that hold twice as often as those that do not
WEIGHTS = [2 if verdict == "proved" else 1 for _, _, verdict in LAWS]


def _factor(rng: random.Random, name: str) -> str:
    r = rng.random()
    if r < 0.7:
        return name
    if r < 0.85:
        return f"flip({name})"
    return f"τ({name}, c{rng.randrange(1, 50)})"


def library(size: int, seed: int) -> list[tuple[str, str, str]]:
    """(id, statement, expected verdict) for ``size`` obligations; the same for a seed."""
    rng = random.Random(seed)
    out = []
    for i in range(size):
        name, template, verdict = rng.choices(LAWS, WEIGHTS)[0]
        letters = rng.sample("fghuvw", 3)
        names = [f"{c}{rng.randrange(1, 1000)}" for c in letters]
        values = {
            "f": names[0], "g": names[1], "h": names[2],
            "A": _factor(rng, names[0]), "B": _factor(rng, names[1]), "C": _factor(rng, names[2]),
            "b": f"b{rng.randrange(1, 50)}", "k": rng.randrange(1, 4),
        }
        out.append((f"lib.{i:05d}.{name}", template.format(**values), verdict))
    return out


def write_library(path: Path, entries) -> None:
    lines = ["from symconv import Obligation", "", "OBLIGATIONS = ["]
    lines += [f"    Obligation({i!r}, {s!r}, {v!r})," for i, s, v in entries]
    lines.append("]")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _tree_rss(pid: int) -> tuple[int, int]:
    """Resident memory of a process and its descendants, and of the largest of them, in
    bytes (Linux /proc)."""
    total, largest, stack = 0, 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/statm") as fh:
                rss = int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            total += rss
            largest = max(largest, rss)
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            continue
    return total, largest


def one_run(library_file: Path, jobs: int, size: int) -> dict:
    out = library_file.with_suffix(f".j{jobs}.json")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "symconv", "prove", str(library_file), "--jobs", str(jobs),
         "--no-cache", "--format", "json", "-o", str(out)],
        cwd=library_file.parent, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
    )
    samples: list[tuple[float, int]] = []
    largest = [0]

    def sample():
        while proc.poll() is None:
            total, one = _tree_rss(proc.pid)
            samples.append((time.perf_counter() - start, total))
            largest[0] = max(largest[0], one)
            time.sleep(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    mib = 1024 * 1024
    _, err = proc.communicate()
    wall = time.perf_counter() - start
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    report = json.loads(out.read_text(encoding="utf-8"))
    summary = report["summary"]
    tenth = max(1, len(samples) // 10)
    return {
        "obligations": size,
        "jobs": jobs,
        "exit": proc.returncode,
        "as_expected": summary["as_expected"] == size,
        "verdicts": summary["verdicts"],
        "differ": summary["differ"][:10],
        "wall_s": round(wall, 2),
        "ms_per_obligation": round(1000 * wall / size, 2),
        "cpu_s": round(cpu, 2),
        # the CPU time per obligation does not depend on how busy the machine is
        "cpu_ms_per_obligation": round(1000 * cpu / size, 2),
        # sampled every 0.25 s (ru_maxrss of children would be the most of every run so far)
        "peak_process_rss_mib": round(largest[0] / mib, 1),
        "tree_rss_mib": {
            "first_tenth": round(max(r for _, r in samples[:tenth]) / mib, 1) if samples else None,
            "middle_tenth": round(max(r for _, r in samples[len(samples) // 2:][:tenth]) / mib, 1)
            if samples else None,
            "last_tenth": round(max(r for _, r in samples[-tenth:]) / mib, 1) if samples else None,
            "peak": round(max(r for _, r in samples) / mib, 1) if samples else None,
        },
        "stderr": err.decode(errors="replace")[-500:] if proc.returncode not in (0, 1) else "",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--out", type=Path, default=None, help="also write the JSON here")
    args = parser.parse_args()
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            path = Path(tmp) / f"theorems_library_{size}.py"
            write_library(path, library(size, args.seed))
            for jobs in args.jobs:
                runs.append(one_run(path, jobs, size))
                print(json.dumps(runs[-1]), file=sys.stderr, flush=True)
    by = {(r["obligations"], r["jobs"]): r for r in runs}
    speedup = {
        f"{size}/jobs{j}": round(by[(size, 1)]["wall_s"] / by[(size, j)]["wall_s"], 2)
        for size in args.sizes for j in args.jobs if j != 1 and (size, 1) in by
    }
    smallest = min(args.sizes)
    growth = {
        f"{size}/jobs{j}": round(by[(size, j)]["ms_per_obligation"]
                                 / by[(smallest, j)]["ms_per_obligation"], 2)
        for size in args.sizes for j in args.jobs if size != smallest
    }
    cpu_growth = {
        f"{size}/jobs{j}": round(by[(size, j)]["cpu_ms_per_obligation"]
                                 / by[(smallest, j)]["cpu_ms_per_obligation"], 2)
        for size in args.sizes for j in args.jobs if size != smallest
    }
    result = {
        "seed": args.seed,
        "cores": os.cpu_count(),
        "load_average_at_end": os.getloadavg(),
        "runs": runs,
        "speedup_over_jobs1": speedup,
        f"ms_per_obligation_relative_to_{smallest}": growth,
        f"cpu_ms_per_obligation_relative_to_{smallest}": cpu_growth,
        "targets": {"speedup_jobs2": 1.6, "growth_within": 1.2, "peak_memory_mib_under": 1024},
    }
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
