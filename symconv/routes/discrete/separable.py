"""Separable kernels: a 2-D kernel that is a row kernel convolved with a column kernel.

When K = r * c, with r acting along rows (r(x, y) = r₁(x) δ(y)) and c along columns
(c(x, y) = δ(x) c₁(y)), every image f satisfies f * K = (f * r) * c: the 2-D convolution
is a 1-D convolution of every row, then of every column — what makes Gaussian blurs and box
filters cheap. The claim is decided in two steps, both exact:

1. K = r * c as concrete functions — the 3×3 box on ℤ² by exact sums, the Gaussian
   e^{−(x² + y²)} on ℝ² by closed forms (:mod:`symconv.routes.concrete.group_evaluate`),
   compared in a canonical form;
2. f * (r * c) = (f * r) * c for every f — associativity, by the Fourier normal form on the
   group.

A kernel that is not the convolution of its factors is ``refuted`` at the simplest point
where K and r * c differ, certified by interval arithmetic and replayed independently: by
the direct sum Σ_y r(y) c(x − y) on ℤ², by the defining integral with both δs sifted on ℝ².
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from symconv.language.groups import Group
from symconv.language.parser import parse
from symconv.language.terms import Conv, Fn, Statement
from symconv.results.result import Result, Verdict, Witness
from symconv.routes.budget import Budget
from symconv.routes.concrete.functions import Distribution, gaussian
from symconv.routes.concrete.lattice import lattice
from symconv.routes.concrete.tensor import TensorFn, tensor
from symconv.routes.fourier import decide
from symconv.routes.refutation.replay import Candidate, Counterexample, function_data
from symconv.routes.verdicts import data, entry, issue, record
from symconv.trusted.codec import Encoder

__all__ = ["SeparableKernel", "KERNELS"]

_Z2, _R2 = Group("Z", 2), Group("R", 2)
_ONES = {(i, j): 1 for i in (-1, 0, 1) for j in (-1, 0, 1)}
_PLUS = {(0, 0): 1, (1, 0): 1, (-1, 0): 1, (0, 1): 1, (0, -1): 1}
_ROW3 = {(i, 0): 1 for i in (-1, 0, 1)}  # along the first axis
_COL3 = {(0, j): 1 for j in (-1, 0, 1)}  # along the second axis
_G = gaussian()
_G_HALF = gaussian(Fraction(1, 2))
_DELTA = Distribution.delta(0)

#: name -> (group, kernel, row kernel, column kernel, what it is)
KERNELS = {
    "box": (_Z2, lattice(_ONES), lattice(_ROW3), lattice(_COL3), "the 3×3 box filter"),
    "plus": (_Z2, lattice(_PLUS), lattice(_ROW3), lattice(_COL3), "the 5-point cross (its middle row and column)"),
    "gaussian": (_R2, tensor(_G, _G), TensorFn.product([Distribution.make(_G), _DELTA]),
                 TensorFn.product([_DELTA, Distribution.make(_G)]), "the Gaussian e^{−(x² + y²)}"),
    "gaussian-wide": (_R2, tensor(_G, _G), TensorFn.product([Distribution.make(_G_HALF), _DELTA]),
                      TensorFn.product([_DELTA, Distribution.make(_G_HALF)]),
                      "the Gaussian e^{−(x² + y²)} with the factors e^{−x²/2}, e^{−y²/2}"),
}


def _text(f, group: Group) -> str:
    if group.kind == "Z":
        return f.text()
    return sp.sstr(f.expr([sp.Symbol("x", real=True), sp.Symbol("y", real=True)]))


def _point_text(p) -> str:
    return "(" + ", ".join(str(c) for c in p) + ")"


@dataclass(frozen=True)
class SeparableKernel:
    """“K = row * column, so f * K = (f * row) * column for every image f” for a named kernel
    of :data:`KERNELS`."""

    kernel: str

    def __str__(self) -> str:
        group, _, _, _, what = KERNELS[self.kernel]
        return f"over {group.text()}: f * K = (f * row) * column for K {what}"

    def decide(self, budget: Budget) -> Result:
        group, k, row, col, what = KERNELS[self.kernel]
        text = str(self)
        product = row.conv(col)
        budget.check()
        shown = {"K": _text(k, group), "row": _text(row, group), "column": _text(col, group)}
        if _equal(k, product, group):
            statement = parse(f"over {group.text()}: f*(u*v) = (f*u)*v")
            decision = decide(statement, budget.check)
            if not decision.identity:  # pragma: no cover - associativity is an identity
                return Result(text, Verdict.UNKNOWN, reason="the normal form does not prove associativity")
            kernels = _kernels(group, k, row, col)
            claim = data(claim=Encoder().statement(statement))
            certificate = record(
                text,
                Verdict.PROVED,
                "K = row * column exactly, and f * (row * column) = (f * row) * column for every f "
                "(associativity): so f * K = (f * row) * column",
                [
                    entry("separable", what="K = row * column", group=str(group), **kernels, at=None, values=None),
                    entry("identity", what="f * (u * v) = (f * u) * v for every f, u, v", **claim),
                ],
                subject=[kernels, claim],
            )
            return issue(
                certificate,
                method="exact: K = row * column (closed forms) + Fourier normal form: f * (u * v) = (f * u) * v",
                hypotheses=decision.hypotheses,
                details={"group": str(group), "kernel": shown, "associativity": str(statement)},
            )
        return _refute(text, group, k, row, col, product, shown)


def _kernels(group: Group, k, row, col) -> dict:
    """The kernels as certificate data (values on ℤ², products of one-dimensional factors in x
    — a δ among them — on ℝ²)."""
    return data(**{name: function_data(f) for name, f in (("k", k), ("row", row), ("column", col))})


def _equal(a, b, group: Group) -> bool:
    if group.kind == "Z":
        return a == b
    return (a + b.scale(-1)).is_exactly_zero()


def _points(a, b, group: Group) -> list:
    if group.kind == "Z":
        found = set(a.support()) | set(b.support())
        return sorted(found, key=lambda i: (sum(abs(c) for c in i), sum(1 for c in i if c < 0), i))
    values = (Fraction(0), Fraction(1), Fraction(-1), Fraction(1, 2))
    pts = [(u, v) for u in values for v in values]
    return sorted(pts, key=lambda p: (sum(abs(c) for c in p), p))


def _independent(group: Group, k, row, col, point) -> tuple[complex, complex]:
    """(K(x), (row * column)(x)) in floating point, from the definitions: the direct sum
    Σ_y row(y) column(x − y) on ℤ², and on ℝ² the integral ∫ row(y) column(x − y) dy with
    the δ of each factor sifted (row = r₁ ⊗ δ, column = δ ⊗ c₁, so the integral is
    r₁(x₁) c₁(x₂))."""
    if group.kind == "Z":
        from mpmath.ctx_mp import MPContext

        ctx = MPContext()
        cols = dict(col.entries)
        total = 0j
        for y, v in row.entries:
            w = cols.get(tuple(p - q for p, q in zip(point, y)))
            if w is not None:
                total += complex(v.mpc(ctx)) * complex(w.mpc(ctx))
        return complex(k.value(point).mpc(ctx)), total
    import numpy as np

    (c1, (r1, _)), = row.terms
    (c2, (_, k2)), = col.terms
    x = np.array([float(point[0])])
    y = np.array([float(point[1])])
    sifted = complex(r1.smooth.numeric_np()(x)[0]) * complex(k2.smooth.numeric_np()(y)[0])
    from mpmath.ctx_mp import MPContext

    ctx = MPContext()
    sifted *= complex(c1.mpc(ctx)) * complex(c2.mpc(ctx))
    kernel = sum(
        complex(c.mpc(ctx)) * complex(f1.smooth.numeric_np()(x)[0]) * complex(f2.smooth.numeric_np()(y)[0])
        for c, (f1, f2) in k.terms
    )
    return kernel, sifted


def _refute(text, group, k, row, col, product, shown) -> Result:
    for point in _points(k, product, group):
        lv, rv = k.value(point), product.value(point)
        if not (lv - rv).certainly_nonzero(30) or not (lv - rv).certainly_nonzero(60):
            continue
        nl, nr = _independent(group, k, row, col, point)
        exact_l, exact_r = complex(lv.sympy().evalf(20)), complex(rv.sympy().evalf(20))
        tol = 1e-9 * (1 + abs(exact_l) + abs(exact_r))
        if abs(nl - exact_l) > tol or abs(nr - exact_r) > tol or abs(nl - nr) <= 2 * tol:
            continue
        witness = Witness(
            functions={"f": "{(0, 0): 1}" if group.kind == "Z" else "DiracDelta(x)*DiracDelta(y)", **shown},
            parameters={},
            variable="(i, j)" if group.kind == "Z" else "(x, y)",
            at=_point_text(point),
            test_function=None,
            lhs=sp.sstr(lv.sympy()),
            rhs=sp.sstr(rv.sympy()),
            lhs_numeric=sp.sstr(lv.sympy().evalf(30)),
            rhs_numeric=sp.sstr(rv.sympy().evalf(30)),
            digits=30,
            data=Counterexample(
                Statement(Fn("K"), Conv(Fn("row"), Fn("column")), group=group),
                Candidate({"K": k, "row": row, "column": col}, at=point, group=group),
                k, product, lv, rv,
            ),
            extra={
                "group": str(group),
                "compared": "f * K and (f * row) * column for f = δ, i.e. K and row * column, at the point",
                "confirmation": {
                    "interval_digits": [30, 60],
                    "independent": "direct sum of the definition" if group.kind == "Z"
                    else "the defining integral with the δs sifted",
                    "independent_lhs": f"{nl.real:.15g}",
                    "independent_rhs": f"{nr.real:.15g}",
                },
            },
        )
        kernels = _kernels(group, k, row, col)
        certificate = record(
            text,
            Verdict.REFUTED,
            "for f = δ, f * K = K and (f * row) * column = row * column (δ is the unit of *), and these "
            "differ at the point",
            [entry("separable", what="K(p) ≠ (row * column)(p)", group=str(group), **kernels,
                   at=[sp.Rational(c) for c in point], values=[lv.sympy(), rv.sympy()])],
            subject=[kernels],
        )
        return issue(certificate, method="counterexample: K ≠ row * column at a point", witness=witness)
    return Result(text, Verdict.UNKNOWN, reason="K and row * column differ, but at no point tried certainly")

