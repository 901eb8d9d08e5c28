"""The definitions (1) and (9) on concrete pairs: the closed form against the integral.

A :class:`DefinitionClaim` says "for these two concrete functions, the integral of the
definition, (f*g)(x) = ∫ f(y) g(x−y) dy or (f⋆g)(x) = ∫ f(y) g(x+y) dy, equals this
closed form for every x". It is *proved* by computing the closed form with
:mod:`symconv.routes.concrete.evaluate` and, independently, the integral of the definition:

* piecewise functions: for x in each region between the candidate break points, the
  y-line is cut at the break points of f(y) and of g(x ∓ y) (ordered at a sample x),
  and SymPy integrates each piece (a polynomial times an exponential, with limits
  linear in x — the small integrals ``integrate`` handles reliably);
* Gaussians (modulated ones too): the exponent is read off as A₂y² + A₁y + A₀ with SymPy's ``Poly`` and
  ∫ yⁿ e^{A₂y²+A₁y+A₀} dy = e^{A₀ + A₁²/(4S)} √(π/S) E[Yⁿ] (S = −A₂, Y normal with
  mean A₁/(2S) and variance 1/(2S), moments by their recurrence).

The two are compared exactly (``expand`` of the difference is 0). A disagreement is an
alarm (``unknown``), never a refutation: it would be a bug in one of the two routes. The
proof's certificate (:class:`~symconv.results.certificate.DefinitionCertificate`: the two
functions and the closed form) is re-verified by the independent checker, which integrates
the definition again region by region with its own antiderivatives.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import sympy as sp

from symconv.results.certificate import DefinitionCertificate
from symconv.results.result import Result, Verdict
from symconv.routes.budget import Budget
from symconv.routes.concrete.evaluate import correlation_integral
from symconv.routes.concrete.functions import (
    INF,
    GaussianSum,
    PiecewiseFn,
    expoly_sympy,
)
from symconv.routes.concrete.laurent import to_sympy
from symconv.routes.concrete.numbers import X, poly_sympy, sympy_rational
from symconv.routes.verdicts import issue
from symconv.trusted.checker.witness import definition_statement
from symconv.trusted.codec import Encoder

__all__ = ["DefinitionClaim", "definition_integral"]

_Y = sp.Symbol("y", real=True)


@dataclass(frozen=True)
class DefinitionClaim:
    """(1) (``op="conv"``) or (9) (``op="xcorr"``) on the concrete pair (f, g)."""

    op: str
    f_name: str
    f: object
    g_name: str
    g: object
    equation: str = "(1)"

    def __post_init__(self):
        if self.op not in ("conv", "xcorr"):
            raise ValueError(f"unknown operation {self.op!r}")

    @property
    def sigma(self) -> int:
        return -1 if self.op == "conv" else 1

    def closed_form(self):
        return correlation_integral(self.f, self.g, self.sigma)

    def __str__(self) -> str:
        sym = "*" if self.op == "conv" else "⋆"
        return f"{self.f_name} {sym} {self.g_name} = {sp.sstr(self.closed_form().expr())}"

    def decide(self, budget: Budget) -> Result:
        closed = self.closed_form()
        text = str(self)
        regions = definition_integral(self.f, self.g, self.sigma, budget)
        for sample, integral in regions:
            budget.check()
            expected = _piece_expr(closed, sample)
            if not _equal(integral, expected):
                return Result(
                    text,
                    Verdict.UNKNOWN,
                    reason=(
                        f"alarm: near x = {sample} the closed form {sp.sstr(expected)} differs "
                        f"from the integral of the definition {sp.sstr(integral)}"
                    ),
                )
        enc = Encoder()
        exprs = (self.f.expr(X), self.g.expr(X), closed.expr(X))
        certificate = DefinitionCertificate(
            verdict="proved",
            statement=definition_statement(self.op, *exprs),
            operation=self.op,
            functions={"f": enc(exprs[0]), "g": enc(exprs[1])},
            closed_form=enc(exprs[2]),
        )
        result = issue(
            certificate,
            method=(
                f"closed form = exact integral of {self.equation} "
                f"({len(regions)} region{'' if len(regions) == 1 else 's'})"
            ),
            details={"closed_form": sp.sstr(closed.expr()), "regions": len(regions)},
        )
        return result if result.verdict is Verdict.UNKNOWN else replace(result, statement=text)


def _equal(a: sp.Expr, b: sp.Expr) -> bool:
    diff = sp.expand(sp.expand(a - b, power_exp=True, mul=True))
    return diff == 0


def _piece_expr(closed, sample) -> sp.Expr:
    """The closed form on the region of x that contains ``sample``."""
    if isinstance(closed, GaussianSum):
        return sp.expand(closed.expr(X), power_exp=True)
    for lo, hi, e in closed.pieces:
        if lo < sample < hi:
            return expoly_sympy(e, X)
    return sp.S.Zero


def definition_integral(f, g, sigma: int, budget: Budget | None = None) -> list:
    """[(sample x, ∫ f(y) g(x + σy) dy as an expression in x valid around it), …]."""
    if isinstance(f, GaussianSum) and isinstance(g, GaussianSum):
        return [(sp.Integer(0), _gaussian_integral(f, g, sigma))]
    if isinstance(f, PiecewiseFn) and isinstance(g, PiecewiseFn):
        return _piecewise_integral(f, g, sigma, budget)
    raise ValueError("both functions must be of the same family")


def _normal_moment(n: int, mean: sp.Expr, var: sp.Expr) -> sp.Expr:
    m = [sp.S.One, mean]
    for k in range(2, n + 1):
        m.append(sp.expand(mean * m[k - 1] + (k - 1) * var * m[k - 2]))
    return m[n]


def _gaussian_integral(f: GaussianSum, g: GaussianSum, sigma: int) -> sp.Expr:
    total = sp.S.Zero
    for (a, c, nu), p in f.terms:
        for (b, d, mu), q in g.terms:
            u = X + sigma * _Y
            exponent = sp.expand(
                -to_sympy(a) * (_Y - to_sympy(c)) ** 2 + sp.I * to_sympy(nu) * _Y
                - to_sympy(b) * (u - to_sympy(d)) ** 2 + sp.I * to_sympy(mu) * u
            )
            a2, a1, a0 = sp.Poly(exponent, _Y).all_coeffs()
            s = -a2
            integrand = sp.Poly(sp.expand(poly_sympy(p, _Y) * poly_sympy(q, u)), _Y)
            mean, var = a1 / (2 * s), 1 / (2 * s)
            moments = sum(
                coeff * _normal_moment(n, mean, var) for (n,), coeff in integrand.terms()
            )
            scale = sp.exp(sp.expand(a0 + a1**2 / (4 * s))) * sp.sqrt(sp.pi / s)
            total += sp.expand(moments * scale, power_exp=True)
    return total


def _piece_at(fn: PiecewiseFn, point) -> sp.Expr | None:
    for lo, hi, e in fn.pieces:
        if lo < point < hi:
            return e
    return None


def _piecewise_integral(f: PiecewiseFn, g: PiecewiseFn, sigma: int, budget) -> list:
    fb, gb = f.breakpoints(), g.breakpoints()
    # x where a break point of g(x + σy) meets one of f(y): x = q − σp
    cuts = sorted({q - sigma * p for p in fb for q in gb})
    edges = [-INF] + cuts + [INF]
    out = []
    for left, right in zip(edges, edges[1:]):
        if budget is not None:
            budget.check()
        if left == -INF and right == INF:
            sample = sp.Integer(0)
        elif left == -INF:
            sample = sympy_rational(right) - 1
        elif right == INF:
            sample = sympy_rational(left) + 1
        else:
            sample = (sympy_rational(left) + sympy_rational(right)) / 2
        # break points in y as expressions in x, ordered by their value at the sample
        ys = [sp.Integer(0) + sympy_rational(p) for p in fb] + [sigma * (sympy_rational(q) - X) for q in gb]
        ys = sorted(set(ys), key=lambda e: e.subs(X, sample))
        bounds = [-sp.oo] + ys + [sp.oo]
        total = sp.S.Zero
        for y0, y1 in zip(bounds, bounds[1:]):
            v0, v1 = y0.subs(X, sample), y1.subs(X, sample)
            if v0 == v1:
                continue
            if v0 == -sp.oo:
                ymid = v1 - 1
            elif v1 == sp.oo:
                ymid = v0 + 1
            else:
                ymid = (v0 + v1) / 2
            ef = _piece_at(f, ymid)
            eg = _piece_at(g, sample + sigma * ymid)
            if ef is None or eg is None:
                continue
            integrand = expoly_sympy(ef, _Y) * expoly_sympy(eg, X + sigma * _Y)
            total += sp.integrate(sp.expand(integrand), (_Y, y0, y1))
        out.append((sample, sp.expand(total)))
    return out
