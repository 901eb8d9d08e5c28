"""Cold start: `python -m symconv prove` against `python -c "import sympy"`, and the warm
re-run from the cache. Prints JSON.

    python benchmarks/bench_cold.py [--runs 7] [--without-torch] [-- extra prove arguments]

Every measurement is a fresh process, and the kinds take turns in each round, so
that they share the machine's load: ``sympy`` (``python -c "import sympy"``), ``cold``
(``python -m symconv prove`` with an empty cache: every obligation of the notes decided,
its verdict kept) and
``warm`` (``python -m symconv prove`` with the cache the previous round filled: a verdict
is reused when the independent checker re-verifies its certificate, and decided again
otherwise — the JSON says how many were reused); and the floor under any warm run:
``list`` (``python -m symconv list``: Python, SymPy and symconv started, the theorems
loaded) and ``warm_one`` (a warm ``prove conv.comm``: one kept verdict re-verified).
Python's bytecode cache is on (as for a user; one untimed run of each fills it first). Reported per kind: the median and the
best wall time, the median CPU time; and the ratios to ``import sympy`` (of the medians,
and the median of the per-round ratios). Targets (issue 16): cold ≤ 3.0×, warm ≤ 1.8×.

Where PyTorch is installed, the notes' network-layer obligations exercise it too, and
importing it takes about a second; ``--without-torch`` hides it (a ``torch`` that fails
to import, first on the path), to measure the run as on a machine without it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _measure(argv: list[str], env: dict) -> tuple[float, float, subprocess.CompletedProcess]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--without-torch", action="store_true",
                        help="hide PyTorch, as on a machine without it")
    parser.add_argument("prove_args", nargs="*", help="extra arguments for prove (after --)")
    args = parser.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    times: dict[str, list[tuple[float, float]]] = {
        "sympy": [], "cold": [], "warm": [], "list": [], "warm_one": []}
    reused, problems = [], []
    with tempfile.TemporaryDirectory() as tmp:
        path = [str(ROOT)]
        if args.without_torch:
            hidden = Path(tmp) / "hide"
            (hidden / "torch").mkdir(parents=True)
            (hidden / "torch" / "__init__.py").write_text(
                "raise ImportError('PyTorch is hidden by bench_cold.py --without-torch')\n")
            path.insert(0, str(hidden))
        env["PYTHONPATH"] = os.pathsep.join(path + [env.get("PYTHONPATH", "")])
        cache = str(Path(tmp) / "kept")
        report = Path(tmp) / "report.json"
        empty = Path(tmp) / "empty"
        kinds = {
            "sympy": [sys.executable, "-c", "import sympy"],
            "cold": [sys.executable, "-m", "symconv", "prove", "--cache-dir", str(empty),
                     "--cache-clear", *args.prove_args],
            "warm": [sys.executable, "-m", "symconv", "prove", "--cache-dir", cache,
                     "--format", "json", "-o", str(report), *args.prove_args],
            # the floor under any warm run: start-up with the theorems loaded, and a warm run
            # of one kept obligation (re-verified by the checker like every kept verdict)
            "list": [sys.executable, "-m", "symconv", "list"],
            "warm_one": [sys.executable, "-m", "symconv", "prove", "--cache-dir", cache, "conv.comm"],
        }
        for argv in kinds.values():  # fills the bytecode cache and the verdict cache
            _measure(argv, env)
        for _ in range(args.runs):
            for kind, argv in kinds.items():
                wall, cpu, done = _measure(argv, env)
                times[kind].append((wall, cpu))
                if done.returncode != 0:
                    problems.append(f"{kind}: exit {done.returncode}: {done.stderr[-300:]}")
                if kind == "warm":
                    stats = json.loads(report.read_text(encoding="utf-8")).get("cache", {})
                    reused.append(stats.get("hits", 0))
    sympy_median = statistics.median(w for w, _ in times["sympy"])
    out = {
        "runs": args.runs,
        "prove_args": args.prove_args,
        "without_torch": args.without_torch,
        "load_average_at_end": os.getloadavg(),
        **{
            kind: {
                "median_s": round(statistics.median(w for w, _ in pairs), 3),
                "best_s": round(min(w for w, _ in pairs), 3),
                "median_cpu_s": round(statistics.median(c for _, c in pairs), 3),
            }
            for kind, pairs in times.items()
        },
        "warm_reused_per_run": reused,
        "ratio_of_medians": {
            kind: round(statistics.median(w for w, _ in times[kind]) / sympy_median, 2)
            for kind in ("cold", "warm", "list", "warm_one")
        },
        "median_of_round_ratios": {
            kind: round(statistics.median(
                w / s for (w, _), (s, _) in zip(times[kind], times["sympy"])), 2)
            for kind in ("cold", "warm")
        },
        "ratio_of_cpu_medians": {
            kind: round(statistics.median(c for _, c in times[kind])
                        / statistics.median(c for _, c in times["sympy"]), 2)
            for kind in ("cold", "warm")
        },
        "targets": {"cold": 3.0, "warm": 1.8},
        "problems": problems,
    }
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
