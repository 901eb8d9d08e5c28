"""Benchmark: closed-form convolution / cross-correlation vs sympy.integrate, the time to
refute each refuted obligation (witness search + replay included), and for each operator
of the larger language the time to evaluate it exactly at a point and to replay a
counterexample that uses it (exact values, certified intervals, quadrature of every node).

    python benchmarks/bench_witness.py [--timeout SECONDS] [--quick]

Prints one JSON document. sympy.integrate runs in a subprocess per pair, killed after
the timeout; its answer counts as correct only if it has no unevaluated integral and
matches the closed form numerically at three points.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from fractions import Fraction

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

import mpmath  # noqa: E402
import sympy as sp  # noqa: E402

from symconv.routes.concrete.evaluate import conv, xcorr  # noqa: E402
from symconv.routes.concrete.functions import (  # noqa: E402
    Distribution,
    box,
    gaussian,
    one_sided_exp,
    triangle,
)

POINTS = (Fraction(-1, 3), Fraction(2, 5), Fraction(7, 4))


def corpus():
    h = Fraction(1, 2)
    return [
        ("gauss", gaussian(), gaussian()),
        ("gauss", gaussian(), gaussian(1, 1)),
        ("gauss", gaussian(2, h), gaussian(1, -1)),
        ("gauss", gaussian(1, 0, (0, 1)), gaussian(1, 1)),
        ("gauss", gaussian(1, 1, (1, 1)), gaussian(2, 0, (0, 0, 1))),
        ("gauss", gaussian(3, -1, (2, 0, 1)), gaussian(h, 2, (0, 1))),
        ("piecewise", box(0, 1), box(0, 1)),
        ("piecewise", box(0, 1), box(-1, 2)),
        ("piecewise", one_sided_exp(), box(0, 1)),
        ("piecewise", one_sided_exp(), one_sided_exp(2, 1)),
        ("piecewise", triangle(), box(0, 1)),
        ("piecewise", triangle(), one_sided_exp()),
    ]


def closed_form(f, g, op):
    fn = conv if op == "conv" else xcorr
    return fn(Distribution.make(f), Distribution.make(g)).smooth


def _time_closed(f, g, op, reps=5):
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        closed_form(f, g, op)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _integrate_child(index: int, op: str) -> None:
    """Run in a subprocess: sympy.integrate on the definition of pair ``index``."""
    _, f, g = corpus()[index]
    x, y = sp.Symbol("x", real=True), sp.Symbol("y", real=True)
    inner = x - y if op == "conv" else x + y
    start = time.perf_counter()
    result = sp.integrate(f.expr(y) * g.expr(inner), (y, -sp.oo, sp.oo))
    seconds = time.perf_counter() - start
    if result.has(sp.Integral):
        print(json.dumps({"status": "unevaluated", "seconds": seconds}))
        return
    closed = closed_form(f, g, op)
    ok = True
    for p in POINTS:
        with mpmath.workdps(20):
            want = closed.value(p).mpf(mpmath.mp)
            got = sp.N(result.subs(x, sp.Rational(p.numerator, p.denominator)), 20)
            if not got.is_real or abs(float(got) - float(want)) > 1e-9 * (1 + abs(float(want))):
                ok = False
    print(json.dumps({"status": "ok" if ok else "wrong", "seconds": seconds}))


def _time_integrate(index: int, op: str, timeout: float) -> dict:
    cmd = [sys.executable, os.path.abspath(__file__), "--child", str(index), op]
    start = time.perf_counter()
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "seconds": timeout}
    if out.returncode != 0:
        return {"status": "error", "seconds": time.perf_counter() - start,
                "error": out.stderr.strip().splitlines()[-1:]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def _refutations() -> list:
    from symconv.engine.prove import prove
    from symconv.results.result import Verdict
    from theorems import all_obligations

    prove("f⋆g = g⋆f")  # imports and first-call set-up, not measured
    rows = []
    for ob in all_obligations():
        if ob.expect is not Verdict.REFUTED and "!=" not in str(ob.statement):
            continue
        times = []
        for _ in range(3):
            start = time.perf_counter()
            result = prove(ob.statement)
            times.append(time.perf_counter() - start)
        rows.append({
            "id": ob.id,
            "verdict": result.verdict.value,
            "witnessed": result.witness is not None,
            "seconds_median": round(statistics.median(times), 4),
        })
    return rows


def _median_seconds(fn, reps: int = 7) -> float:
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _larger_language() -> list:
    """Per new operator: exact evaluation at a point (a fresh evaluator each time) and the
    replay of ``term = 0`` (false) on the same witness."""
    from symconv.language.terms import (
        Conj,
        ConvPower,
        Fn,
        Fourier,
        Ident,
        InverseFourier,
        Modulate,
        Product,
        Scale,
        Statement,
        TotalIntegral,
        Zero,
    )
    from symconv.routes.concrete.evaluate import Env, evaluate
    from symconv.routes.concrete.numbers import I_UNIT, Num
    from symconv.routes.refutation.replay import Candidate, replay

    f, g = Fn("f", "complex"), Fn("g", "complex")
    functions = {
        "f": gaussian(1, Fraction(1, 2), (Num.of(1), I_UNIT), nu=Fraction(1, 2)),
        "g": gaussian(2, -1, (1, 1)),
    }
    at = Fraction(1, 3)
    cases = [
        ("mul", Product(f, g)),
        ("mul(id, ·)", Product(Ident(), f)),
        ("scale", Scale(f, Fraction(-3, 2))),
        ("modulate", Modulate(f, 2)),
        ("conj", Conj(f)),
        ("fourier (angular)", Fourier(f)),
        ("fourier (unitary)", Fourier(f, "unitary")),
        ("fourier (ordinary)", Fourier(f, "ordinary")),
        ("ifourier (ordinary)", InverseFourier(f, "ordinary")),
        ("convpow 2", ConvPower(f, 2)),
        ("convpow 3", ConvPower(f, 3)),
        ("integral", TotalIntegral(f)),
    ]
    rows = []
    for name, term in cases:
        env = Env(functions)
        scalar = isinstance(term, TotalIntegral)

        def exact(term=term, env=env, scalar=scalar):
            value = evaluate(term, env)
            return value if scalar else value.value(at)

        st = Statement(term, 0) if scalar else Statement(term, Zero())
        cand = Candidate(functions, at=None if scalar else at)
        witness = replay(st, cand)
        rows.append({
            "operator": name,
            "term": str(term),
            "evaluate_seconds": round(_median_seconds(exact), 6),
            "replay_seconds": round(_median_seconds(lambda st=st, cand=cand: replay(st, cand), 3), 4),
            "quadrature_nodes": witness.extra["confirmation"]["quadrature_nodes"],
        })
    return rows


def main(argv):
    if argv[:1] == ["--child"]:
        _integrate_child(int(argv[1]), argv[2])
        return
    timeout = float(argv[argv.index("--timeout") + 1]) if "--timeout" in argv else 10.0
    quick = "--quick" in argv
    pairs = corpus()[:4] + corpus()[6:9] if quick else corpus()
    rows = []
    for index, (family, f, g) in enumerate(corpus()):
        if (family, f, g) not in pairs:
            continue
        for op in ("conv", "xcorr"):
            closed = _time_closed(f, g, op)
            integ = _time_integrate(index, op, timeout)
            rows.append({
                "family": family,
                "pair": [sp.sstr(f.expr()), sp.sstr(g.expr())],
                "op": op,
                "closed_form_seconds": round(closed, 6),
                "integrate": integ["status"],
                "integrate_seconds": round(integ["seconds"], 4),
                "speedup": round(integ["seconds"] / closed, 1),
            })
    speedups = [r["speedup"] for r in rows]
    ok = [r for r in rows if r["integrate"] == "ok"]
    summary = {
        "pairs": len(rows),
        "closed_form_median_seconds": round(statistics.median(r["closed_form_seconds"] for r in rows), 6),
        "integrate_median_seconds": round(statistics.median(r["integrate_seconds"] for r in rows), 4),
        "speedup_median": round(statistics.median(speedups), 1),
        "speedup_min": min(speedups),
        "integrate_success_rate": round(len(ok) / len(rows), 3),
        "integrate_timeout_seconds": timeout,
        "integrate_failures": {s: sum(r["integrate"] == s for r in rows)
                               for s in ("unevaluated", "timeout", "error", "wrong")},
    }
    refute = _refutations()
    larger = _larger_language()
    doc = {
        "closed_form_vs_integrate": {"summary": summary, "rows": rows},
        "refutation": {
            "rows": refute,
            "max_seconds": max(r["seconds_median"] for r in refute),
        },
        "larger_language": {
            "rows": larger,
            "evaluate_max_seconds": max(r["evaluate_seconds"] for r in larger),
            "replay_max_seconds": max(r["replay_seconds"] for r in larger),
        },
    }
    print(json.dumps(doc, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
