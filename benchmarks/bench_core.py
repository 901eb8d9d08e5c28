"""Benchmark of the core decision procedure. Prints JSON.

    python benchmarks/bench_core.py [--quick]

Measures
- the wall time of a cold `python -m symconv prove` (median of 3 runs);
- the median time to decide each identity of the notes once imported, by the normal form
  alone and by `prove` with every route;
- how decision time grows with the size of a statement: a convolution of n functions
  against the same functions in another order and grouping (n up to 200);
- the time SymPy's `integrate` takes to check the same identities on one concrete instance
  (Gaussians), each in a subprocess with a timeout, and whether it succeeds.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from symconv import Conv, Verdict, functions, prove  # noqa: E402
from symconv.language.parser import parse  # noqa: E402
from symconv.language.terms import Statement  # noqa: E402
from symconv.routes.fourier import decide  # noqa: E402
from theorems import all_obligations  # noqa: E402


def cold_prove(runs: int = 3) -> dict:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "symconv", "prove"], cwd=ROOT, capture_output=True, text=True
        )
        times.append(time.perf_counter() - start)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import sympy"], capture_output=True)
    sympy_import = time.perf_counter() - start
    return {
        "median_seconds": round(statistics.median(times), 3),
        "runs": [round(t, 3) for t in times],
        "exit_code": proc.returncode,
        "bare_import_sympy_seconds": round(sympy_import, 3),
    }


def per_identity(repeats: int = 20) -> dict:
    rows = {}
    for ob in all_obligations():
        if not isinstance(ob.statement, str):
            continue
        statement = parse(ob.statement).equation()
        decide_times, prove_times = [], []
        for _ in range(repeats):
            start = time.perf_counter()
            decide(statement)
            decide_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            result = prove(ob.statement)
            prove_times.append(time.perf_counter() - start)
        rows[ob.id] = {
            "verdict": result.verdict.value,
            "decide_ms": round(statistics.median(decide_times) * 1000, 3),
            "prove_ms": round(statistics.median(prove_times) * 1000, 3),
        }
    return {
        "median_decide_ms": round(statistics.median(r["decide_ms"] for r in rows.values()), 3),
        "median_prove_ms": round(statistics.median(r["prove_ms"] for r in rows.values()), 3),
        "note": (
            "decide = the Fourier normal form alone; prove = every route: normal form, "
            "derivation search, spot check on concrete witnesses, and for a non-identity "
            "the witness search with its replay"
        ),
        "identities": rows,
    }


def scaling(sizes=(10, 25, 50, 100, 200)) -> list[dict]:
    out = []
    rng = random.Random(0)
    for n in sizes:
        fs = list(functions(" ".join(f"f{i}" for i in range(n))))
        left = fs[0]
        for x in fs[1:]:
            left = Conv(left, x)  # ((f0 * f1) * f2) * …
        rng.shuffle(fs)
        right = fs[-1]
        for x in reversed(fs[:-1]):
            right = Conv(x, right)  # a shuffled order, grouped to the right
        start = time.perf_counter()
        result = prove(Statement(left, right))
        seconds = time.perf_counter() - start
        out.append(
            {
                "functions": n,
                "operators": 2 * (n - 1),
                "verdict": result.verdict.value,
                "seconds": round(seconds, 4),
            }
        )
    return out


# --------------------------------------------------------------------------- SymPy baseline

def _gaussians(x):
    import sympy as sp

    return {
        "f": sp.exp(-(x**2)),
        "g": x * sp.exp(-((x - 1) ** 2)),
        "h": sp.exp(-2 * (x + 1) ** 2),
    }


def _sympy_check(source: str, queue) -> None:
    """Integrate both sides of an identity for concrete Gaussians with sympy.integrate."""
    import sympy as sp

    from symconv.language.parser import parse
    from symconv.language.unfold import X, unfold

    st = parse(source)
    concrete = {sp.Function(name): sp.Lambda(X, expr) for name, expr in _gaussians(X).items()}
    values = {sp.Symbol("a", real=True): sp.Rational(1, 3), sp.Symbol("b", real=True): sp.Rational(1, 2)}
    k = sp.Symbol("k", integer=True, positive=True)

    def concrete_side(term):
        expr = unfold(term)
        for fun, lam in concrete.items():
            expr = expr.replace(fun, lam)
        return expr.subs(values).subs(k, 2).subs(X, sp.Rational(1, 3))

    start = time.perf_counter()
    lhs = concrete_side(st.lhs).doit()
    rhs = concrete_side(st.rhs).doit()
    equal = sp.simplify(lhs - rhs) == 0
    queue.put({"seconds": time.perf_counter() - start, "equal": bool(equal),
               "unevaluated": bool(lhs.has(sp.Integral) or rhs.has(sp.Integral))})


def sympy_baseline(timeout: float = 20.0) -> dict:
    rows = {}
    ctx = mp.get_context("spawn")
    for ob in all_obligations():
        if not isinstance(ob.statement, str) or "δ" in ob.statement:
            continue
        queue = ctx.Queue()
        proc = ctx.Process(target=_sympy_check, args=(ob.statement, queue))
        start = time.perf_counter()
        proc.start()
        proc.join(timeout)
        if proc.is_alive():
            proc.terminate()
            proc.join()
            rows[ob.id] = {"status": "timeout", "seconds": timeout}
            continue
        if queue.empty():
            rows[ob.id] = {"status": "error", "seconds": round(time.perf_counter() - start, 3)}
            continue
        got = queue.get()
        status = "unevaluated" if got["unevaluated"] else ("equal" if got["equal"] else "differ")
        rows[ob.id] = {"status": status, "seconds": round(got["seconds"], 3)}
    done = [r["seconds"] for r in rows.values() if r["status"] in ("equal", "differ")]
    return {
        "timeout_seconds": timeout,
        "succeeded": len(done),
        "attempted": len(rows),
        "median_seconds_of_successes": round(statistics.median(done), 3) if done else None,
        "identities": rows,
    }


def main(argv: list[str]) -> None:
    quick = "--quick" in argv
    report = {
        "cold_prove": cold_prove(1 if quick else 3),
        "per_identity": per_identity(3 if quick else 20),
        "scaling": scaling((10, 50) if quick else (10, 25, 50, 100, 200)),
    }
    if not quick:
        report["sympy_integrate_baseline"] = sympy_baseline()
    sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
