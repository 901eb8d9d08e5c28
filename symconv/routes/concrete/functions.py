"""Concrete functions as data: two families closed under the operations of the language.

* :class:`GaussianSum`: Σ p(x) · e^{−a(x−c)²} with a > 0 and c rational and p a
  polynomial with :class:`~symconv.routes.concrete.numbers.Num` coefficients (closed under
  shift, flip, derivative, sums and both convolutions);
* :class:`PiecewiseFn`: on finitely many intervals with rational end points, sums of
  r · xᵏ · e^{λx} with λ rational (boxes, one-sided exponentials e^{−x}H(x), triangles).
  Unbounded pieces must decay.
* :class:`Distribution`: such a function plus finitely many δ⁽ᵏ⁾(x − a), since derivatives
  of jumps and δ itself are part of the language.

Every representation is canonical (terms combined, zero coefficients dropped), so
``is_zero`` is exact: e^{−a(x−c)²}·xⁱ for distinct (a, c, i) are linearly independent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Iterable, Mapping

import sympy as sp

from symconv.routes.concrete.numbers import (
    MAX_DEGREE,
    MAX_TERMS,
    ONE,
    ZERO,
    ConcreteError,
    Num,
    X,
    as_float,
    poly_add,
    poly_at,
    poly_deriv,
    poly_linear,
    poly_mul,
    poly_num,
    poly_scale,
    poly_size,
    poly_sympy,
    rat,
    size,
    sympy_rational,
)

__all__ = [
    "ConcreteError",
    "Num",
    "rat",
    "GaussianSum",
    "PiecewiseFn",
    "Distribution",
    "gaussian",
    "box",
    "one_sided_exp",
    "triangle",
    "X",
    "INF",
    "expoly_make",
    "expoly_sympy",
]


# --------------------------------------------------------------------------- Gaussians


@dataclass(frozen=True)
class GaussianSum:
    """Σ p(x) · e^{−a(x−c)²}: ``terms`` maps (a, c) to the coefficients of p (low first)."""

    terms: tuple  # ((a, c), poly) sorted by (a, c)

    family = "gaussian"

    @staticmethod
    def make(pairs: Iterable) -> "GaussianSum":
        acc: dict = {}
        for (a, c), poly in pairs:
            a, c = rat(a), rat(c)
            if a <= 0:
                raise ConcreteError("a Gaussian needs a > 0")
            acc[(a, c)] = poly_add(acc.get((a, c), ()), poly_num(poly))
        items = tuple(sorted((k, p) for k, p in acc.items() if p))
        if len(items) > MAX_TERMS:
            raise ConcreteError("a Gaussian sum grew too large")
        return GaussianSum(items)

    def is_zero(self) -> bool:
        return not self.terms

    def __add__(self, other: "GaussianSum") -> "GaussianSum":
        return GaussianSum.make(self.terms + other.terms)

    def scale(self, c) -> "GaussianSum":
        return GaussianSum.make((k, poly_scale(p, c)) for k, p in self.terms)

    def shift(self, b: Fraction) -> "GaussianSum":
        return GaussianSum.make(((a, c + b), poly_linear(p, Fraction(1), -b)) for (a, c), p in self.terms)

    def flip(self) -> "GaussianSum":
        return GaussianSum.make(((a, -c), poly_linear(p, Fraction(-1), Fraction(0))) for (a, c), p in self.terms)

    def derivative(self) -> tuple["GaussianSum", dict]:
        """(d/dx of the sum, its δ part — always empty for Gaussians)."""
        out = []
        for (a, c), p in self.terms:
            # (p' − 2a(x − c)p) e^{−a(x−c)²}
            q = poly_add(poly_deriv(p), poly_mul((2 * a * c, -2 * a), p))
            out.append(((a, c), q))
        return GaussianSum.make(out), {}

    def value(self, x0: Fraction) -> Num:
        total = ZERO
        for (a, c), p in self.terms:
            total = total + poly_at(p, x0) * Num.exp(-a * (x0 - c) ** 2)
        return total

    def breakpoints(self) -> tuple:
        return ()

    def centers(self) -> tuple:
        return tuple(sorted({c for (_, c), _ in self.terms}))

    def expr(self, x: sp.Expr = X) -> sp.Expr:
        return sp.Add(
            *[poly_sympy(p, x) * sp.exp(-sympy_rational(a) * (x - sympy_rational(c)) ** 2) for (a, c), p in self.terms]
        )

    def numeric(self, ctx):
        """A plain callable x ↦ value in the mpmath context ``ctx`` (for quadrature)."""
        data = [
            (ctx.mpf(a.numerator) / a.denominator, ctx.mpf(c.numerator) / c.denominator,
             [Num.of(k).mpf(ctx) for k in p])
            for (a, c), p in self.terms
        ]

        def f(x):
            total = ctx.mpf(0)
            for a, c, coeffs in data:
                acc = ctx.mpf(0)
                for k in reversed(coeffs):
                    acc = acc * x + k
                total += acc * ctx.exp(-a * (x - c) ** 2)
            return total

        return f

    def numeric_np(self):
        """A vectorised float callable (numpy arrays), for the quadrature cross-check."""
        import numpy as np

        data = [(float(a), float(c), [as_float(k) for k in p]) for (a, c), p in self.terms]

        def f(x):
            total = np.zeros_like(x, dtype=float)
            for a, c, coeffs in data:
                total += np.polynomial.polynomial.polyval(x, coeffs) * np.exp(-a * (x - c) ** 2)
            return total

        return f

    def support(self, eps_log: float = 60.0) -> tuple[float, float]:
        """An interval outside which |f| < e^{−eps_log}·(polynomial growth)."""
        lo = min(float(c) - math.sqrt(eps_log / float(a)) for (a, c), _ in self.terms)
        hi = max(float(c) + math.sqrt(eps_log / float(a)) for (a, c), _ in self.terms)
        return lo, hi

    def complexity(self) -> int:
        total = 0
        for (a, c), p in self.terms:
            total += 2 * (size(a) - 1) + size(c) + poly_size(p)
        return total


# --------------------------------------------------------------------------- piecewise

INF = math.inf


def expoly_make(pairs: Iterable) -> tuple:
    """Σ coeff · xᵏ · e^{λx} as a sorted tuple of ((k, λ), Num), zeros dropped."""
    acc: dict = {}
    for (k, lam), c in pairs:
        key = (int(k), rat(lam))
        acc[key] = acc.get(key, ZERO) + Num.of(c)
    items = tuple(sorted((k, v) for k, v in acc.items() if not v.is_zero()))
    if len(items) > MAX_TERMS:
        raise ConcreteError("an exponential polynomial grew too large")
    if any(k > MAX_DEGREE for (k, _), _ in items):
        raise ConcreteError(f"a polynomial degree exceeds {MAX_DEGREE}")
    return items


def _expoly_at(e: tuple, x0: Fraction) -> Num:
    total = ZERO
    for (k, lam), c in e:
        total = total + c * (x0**k) * Num.exp(lam * x0)
    return total


def _expoly_deriv(e: tuple) -> tuple:
    out = []
    for (k, lam), c in e:
        if k:
            out.append(((k - 1, lam), c * k))
        if lam:
            out.append(((k, lam), c * lam))
    return expoly_make(out)


def _expoly_linear(e: tuple, alpha: Fraction, beta: Fraction) -> tuple:
    """e(αx + β)."""
    out = []
    for (k, lam), c in e:
        scale = c * Num.exp(lam * beta)
        for i, b in enumerate(poly_linear((0,) * k + (1,), alpha, beta)):
            if b:
                out.append(((i, lam * alpha), scale * b))
    return expoly_make(out)


def expoly_sympy(e: tuple, x: sp.Expr) -> sp.Expr:
    return sp.Add(*[c.sympy() * x**k * sp.exp(sympy_rational(lam) * x) for (k, lam), c in e])


def _decays(e: tuple, lo, hi) -> bool:
    if hi == INF and any(lam >= 0 for (_, lam), _ in e):
        return False
    if lo == -INF and any(lam <= 0 for (_, lam), _ in e):
        return False
    return True


@dataclass(frozen=True)
class PiecewiseFn:
    """On each interval (lo, hi) a sum of r · xᵏ · e^{λx}; zero elsewhere.

    ``pieces`` are disjoint, sorted, non-zero, with adjacent equal pieces merged; end
    points are rationals or ±∞ (``math.inf``). Values at the end points are not part
    of the function (it is defined almost everywhere).
    """

    pieces: tuple  # ((lo, hi, expoly), ...)

    family = "piecewise"

    @staticmethod
    def make(pieces: Iterable) -> "PiecewiseFn":
        raw = []
        for lo, hi, e in pieces:
            lo = lo if lo in (INF, -INF) else rat(lo)
            hi = hi if hi in (INF, -INF) else rat(hi)
            e = expoly_make(e)
            if not lo < hi or not e:
                continue
            if not _decays(e, lo, hi):
                raise ConcreteError("an unbounded piece must decay exponentially")
            raw.append((lo, hi, e))
        if len(raw) > MAX_TERMS:
            raise ConcreteError("a piecewise function has too many pieces")
        cuts = sorted({p for lo, hi, _ in raw for p in (lo, hi)})
        out = []
        for left, right in zip(cuts, cuts[1:]):
            terms = [t for lo, hi, e in raw if lo <= left and right <= hi for t in e]
            e = expoly_make(terms)
            if not e:
                continue
            if out and out[-1][1] == left and out[-1][2] == e:
                out[-1] = (out[-1][0], right, e)
            else:
                out.append((left, right, e))
        return PiecewiseFn(tuple(out))

    def is_zero(self) -> bool:
        return not self.pieces

    def __add__(self, other: "PiecewiseFn") -> "PiecewiseFn":
        return PiecewiseFn.make(self.pieces + other.pieces)

    def scale(self, c) -> "PiecewiseFn":
        return PiecewiseFn.make((lo, hi, expoly_make((k, v * c) for k, v in e)) for lo, hi, e in self.pieces)

    def shift(self, b: Fraction) -> "PiecewiseFn":
        return PiecewiseFn.make(
            (lo + b, hi + b, _expoly_linear(e, Fraction(1), -b)) for lo, hi, e in self.pieces
        )

    def flip(self) -> "PiecewiseFn":
        return PiecewiseFn.make(
            (-hi, -lo, _expoly_linear(e, Fraction(-1), Fraction(0))) for lo, hi, e in self.pieces
        )

    def limits(self, b: Fraction) -> tuple[Num, Num]:
        """(value just left of b, value just right of b)."""
        left = right = ZERO
        for lo, hi, e in self.pieces:
            if lo < b <= hi:
                left = _expoly_at(e, b)
            if lo <= b < hi:
                right = _expoly_at(e, b)
        return left, right

    def derivative(self) -> tuple["PiecewiseFn", dict]:
        """(the derivative on each piece, the δ part {(b, 0): jump at b})."""
        jumps = {}
        for b in self.breakpoints():
            left, right = self.limits(b)
            jump = right - left
            if not jump.is_zero():
                jumps[(b, 0)] = jump
        smooth = PiecewiseFn.make((lo, hi, _expoly_deriv(e)) for lo, hi, e in self.pieces)
        return smooth, jumps

    def value(self, x0: Fraction) -> Num:
        left, right = self.limits(x0)
        if left != right:
            raise ConcreteError(f"the function jumps at x = {x0}: no value there")
        return right

    def breakpoints(self) -> tuple:
        return tuple(sorted({p for lo, hi, _ in self.pieces for p in (lo, hi) if p not in (INF, -INF)}))

    def centers(self) -> tuple:
        return self.breakpoints()

    def expr(self, x: sp.Expr = X) -> sp.Expr:
        if not self.pieces:
            return sp.S.Zero
        branches = []
        for lo, hi, e in self.pieces:
            conds = []
            if lo != -INF:
                conds.append(x >= sympy_rational(lo))
            if hi != INF:
                conds.append(x < sympy_rational(hi))
            branches.append((expoly_sympy(e, x), sp.And(*conds)))
        branches.append((sp.S.Zero, True))
        return sp.Piecewise(*branches)

    def numeric(self, ctx):
        def edge(p):  # the points as numbers of ctx: a Fraction and an mpf do not compare
            return ctx.mpf(p) if p in (INF, -INF) else ctx.mpf(p.numerator) / p.denominator

        data = [
            (edge(lo), edge(hi), [(k, ctx.mpf(lam.numerator) / lam.denominator, c.mpf(ctx)) for (k, lam), c in e])
            for lo, hi, e in self.pieces
        ]

        def f(x):
            for lo, hi, terms in data:
                if lo <= x < hi:
                    return sum((c * x**k * ctx.exp(lam * x) for k, lam, c in terms), ctx.mpf(0))
            return ctx.mpf(0)

        return f

    def numeric_np(self):
        import numpy as np

        data = [
            (float(lo), float(hi), [(k, float(lam), as_float(c)) for (k, lam), c in e])
            for lo, hi, e in self.pieces
        ]

        def f(x):
            total = np.zeros_like(x, dtype=float)
            for lo, hi, terms in data:
                inside = (x >= lo) & (x < hi)
                if not inside.any():
                    continue
                xi = np.where(inside, x, 0.0)
                part = sum(c * xi**k * np.exp(lam * xi) for k, lam, c in terms)
                total += np.where(inside, part, 0.0)
            return total

        return f

    def support(self, eps_log: float = 60.0) -> tuple[float, float]:
        lo, hi = self.pieces[0][0], self.pieces[-1][1]
        slowest = min((abs(float(lam)) for _, _, e in self.pieces for (_, lam), _ in e if lam), default=1.0)
        finite = [float(p) for p in self.breakpoints()] or [0.0]
        lo = float(lo) if lo != -INF else min(finite) - eps_log / slowest
        hi = float(hi) if hi != INF else max(finite) + eps_log / slowest
        return lo, hi

    def complexity(self) -> int:
        total = 0
        for lo, hi, e in self.pieces:
            total += 2
            for p in (lo, hi):
                total += 0 if p in (INF, -INF) else size(p)
            for (k, lam), c in e:
                r = c.as_rational()
                total += 2 * k + size(lam) + (size(r) if r is not None else 4)
        return total


# --------------------------------------------------------------------------- distributions


def _same_family(a, b):
    if a is None or b is None:
        return
    if a.family != b.family:
        raise ConcreteError("Gaussian and piecewise functions are not mixed in one witness")


@dataclass(frozen=True)
class Distribution:
    """``smooth`` (a function of one family, or None for 0) plus Σ c · δ⁽ᵏ⁾(x − a).

    ``deltas`` maps (a, k) to the coefficient c (a :class:`Num`).
    """

    smooth: object = None
    deltas: tuple = ()  # sorted ((a, k), Num)

    @staticmethod
    def make(smooth=None, deltas: Mapping | Iterable = ()) -> "Distribution":
        acc: dict = {}
        for (a, k), c in (deltas.items() if isinstance(deltas, Mapping) else deltas):
            key = (rat(a), int(k))
            acc[key] = acc.get(key, ZERO) + Num.of(c)
        if smooth is not None and smooth.is_zero():
            smooth = None
        items = tuple(sorted((k, v) for k, v in acc.items() if not v.is_zero()))
        if len(items) > MAX_TERMS:
            raise ConcreteError("too many δ terms")
        return Distribution(smooth, items)

    @staticmethod
    def delta(a, k: int = 0) -> "Distribution":
        return Distribution.make(None, {(a, k): ONE})

    def is_zero(self) -> bool:
        return self.smooth is None and not self.deltas

    @property
    def family(self) -> str | None:
        return None if self.smooth is None else self.smooth.family

    def __add__(self, other: "Distribution") -> "Distribution":
        _same_family(self.smooth, other.smooth)
        if self.smooth is None:
            smooth = other.smooth
        elif other.smooth is None:
            smooth = self.smooth
        else:
            smooth = self.smooth + other.smooth
        return Distribution.make(smooth, self.deltas + other.deltas)

    def scale(self, c) -> "Distribution":
        smooth = None if self.smooth is None else self.smooth.scale(c)
        return Distribution.make(smooth, ((k, v * c) for k, v in self.deltas))

    def __neg__(self) -> "Distribution":
        return self.scale(Fraction(-1))

    def __sub__(self, other: "Distribution") -> "Distribution":
        return self + (-other)

    def shift(self, b: Fraction) -> "Distribution":
        smooth = None if self.smooth is None else self.smooth.shift(b)
        return Distribution.make(smooth, (((a + b, k), c) for (a, k), c in self.deltas))

    def flip(self) -> "Distribution":
        """δ⁽ᵏ⁾(−x − a) = (−1)ᵏ δ⁽ᵏ⁾(x + a)."""
        smooth = None if self.smooth is None else self.smooth.flip()
        return Distribution.make(smooth, (((-a, k), c * (-1) ** k) for (a, k), c in self.deltas))

    def derivative(self, order: int = 1) -> "Distribution":
        """The distributional derivative: jumps of the function become δs."""
        out = self
        for _ in range(order):
            deltas = [((a, k + 1), c) for (a, k), c in out.deltas]
            smooth = None
            if out.smooth is not None:
                smooth, jumps = out.smooth.derivative()
                deltas.extend(jumps.items())
            out = Distribution.make(smooth, deltas)
        return out

    def singular_points(self) -> tuple:
        pts = {a for (a, _), _ in self.deltas}
        if self.smooth is not None:
            pts |= set(self.smooth.breakpoints())
        return tuple(sorted(pts))

    def value(self, x0: Fraction) -> Num:
        """The value at x0; a δ at x0 has none."""
        if any(a == x0 for (a, _), _ in self.deltas):
            raise ConcreteError(f"a δ sits at x = {x0}: no value there")
        return ZERO if self.smooth is None else self.smooth.value(x0)

    def expr(self, x: sp.Expr = X) -> sp.Expr:
        smooth = sp.S.Zero if self.smooth is None else self.smooth.expr(x)
        sing = []
        for (a, k), c in self.deltas:
            d = sp.DiracDelta(x - sympy_rational(a), k) if k else sp.DiracDelta(x - sympy_rational(a))
            sing.append(c.sympy() * d)
        return smooth + sp.Add(*sing)

    def complexity(self) -> int:
        return (0 if self.smooth is None else self.smooth.complexity()) + 3 * len(self.deltas)


# --------------------------------------------------------------------------- constructors


def gaussian(a=1, c=0, poly=(1,)) -> GaussianSum:
    """p(x) · e^{−a(x−c)²}; ``poly`` are rational coefficients, lowest degree first."""
    return GaussianSum.make([((a, c), tuple(rat(v) for v in poly))])


def box(lo=0, hi=1, height=1) -> PiecewiseFn:
    """height on [lo, hi), 0 elsewhere."""
    return PiecewiseFn.make([(rat(lo), rat(hi), [((0, 0), rat(height))])])


def one_sided_exp(rate=1, at=0) -> PiecewiseFn:
    """e^{−rate·(x − at)} for x ≥ at, 0 before (rate > 0): e^{−x}H(x) by default."""
    rate, at = rat(rate), rat(at)
    if rate <= 0:
        raise ConcreteError("a one-sided exponential needs a positive rate")
    return PiecewiseFn.make([(at, INF, [((0, -rate), Num.exp(rate * at))])])


def triangle(center=0, half_width=1) -> PiecewiseFn:
    """The hat 1 − |x − center|/half_width on [center − w, center + w]."""
    c, w = rat(center), rat(half_width)
    if w <= 0:
        raise ConcreteError("a triangle needs a positive half width")
    up = [((0, 0), (w - c) / w), ((1, 0), 1 / w)]
    down = [((0, 0), (w + c) / w), ((1, 0), -1 / w)]
    return PiecewiseFn.make([(c - w, c, up), (c, c + w, down)])
