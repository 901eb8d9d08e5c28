"""Concrete functions as data: families closed under the operations of the language.

* :class:`~symconv.routes.concrete.gaussians.GaussianSum`: Σ p(x) · e^{−a(x−c)² + iνx}
  (closed under shift, flip, derivative, sums, both convolutions, the pointwise product,
  dilation, modulation, conjugation and the Fourier transform in every convention);
* :class:`PiecewiseFn`: on finitely many intervals with rational end points, sums of
  r · xᵏ · e^{λx} with λ rational (boxes, one-sided exponentials e^{−x}H(x), triangles).
  Unbounded pieces must decay. Closed under shift, flip, derivative, sums, both
  convolutions, the pointwise product, rational dilations, conjugation and the integral;
  a modulation or a Fourier transform leaves the family and is refused.
* :class:`PolynomialFn`: x ↦ p(x) (the identity function ``id`` and what pointwise
  operations make of it): not integrable, so it only multiplies, and its product with a
  function of another family lands in that family (``mul(id, f)`` is x·f(x)).
* :class:`Distribution`: such a function plus finitely many δ⁽ᵏ⁾(x − a), since derivatives
  of jumps and δ itself are part of the language.

Every representation is canonical (terms combined, zero coefficients dropped), so
``is_zero`` is exact: e^{−a(x−c)² + iνx}·xⁱ for distinct (a, c, ν, i) are linearly
independent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from math import comb
from typing import Iterable, Mapping

import sympy as sp

from symconv.routes.concrete.gaussians import IM, GaussianSum, gaussian, param
from symconv.routes.concrete.laurent import Laurent
from symconv.routes.concrete.numbers import (
    MAX_DEGREE,
    MAX_TERMS,
    ONE,
    ZERO,
    ConcreteError,
    Num,
    X,
    as_complex,
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
    "PolynomialFn",
    "Distribution",
    "gaussian",
    "box",
    "one_sided_exp",
    "triangle",
    "identity",
    "X",
    "INF",
    "expoly_make",
    "expoly_sympy",
    "antiderivative",
]


def rational_param(value, what: str) -> Fraction:
    """A parameter that must be rational here (a break point, a δ's point)."""
    if isinstance(value, Laurent):
        raise ConcreteError(f"{what} must be rational here, got {value}")
    return rat(value)


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


def antiderivative(p: int, nu: Fraction) -> tuple:
    """∫ yᵖ e^{νy} dy = e^{νy} · poly(y); returns the poly (low degree first)."""
    if nu == 0:
        return (Fraction(0),) * (p + 1) + (Fraction(1, p + 1),)
    coeffs = [Fraction(0)] * (p + 1)
    fall = 1
    for i in range(p + 1):
        # (−1)^i p!/(p−i)! y^{p−i} / ν^{i+1}
        coeffs[p - i] = Fraction((-1) ** i * fall) / nu ** (i + 1)
        fall *= p - i
    return tuple(coeffs)


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

    def shift(self, b) -> "PiecewiseFn":
        b = rational_param(b, "the shift of a piecewise function")
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

    def value(self, x0) -> Num:
        x0 = rational_param(x0, "a point of a piecewise function")
        left, right = self.limits(x0)
        if left != right:
            raise ConcreteError(f"the function jumps at x = {x0}: no value there")
        return right

    # the larger language
    def is_real(self) -> bool:
        return all(c.is_real() for _, _, e in self.pieces for _, c in e)

    def times(self, other: "PiecewiseFn") -> "PiecewiseFn":
        """The pointwise product: pieces intersect, exponential polynomials multiply."""
        out = []
        for lo1, hi1, e1 in self.pieces:
            for lo2, hi2, e2 in other.pieces:
                lo, hi = max(lo1, lo2), min(hi1, hi2)
                if lo < hi:
                    terms = [((k1 + k2, l1 + l2), c1 * c2) for (k1, l1), c1 in e1 for (k2, l2), c2 in e2]
                    out.append((lo, hi, terms))
        return PiecewiseFn.make(out)

    def times_poly(self, q: tuple) -> "PiecewiseFn":
        return PiecewiseFn.make(
            (lo, hi, [((k + m, lam), c * qm) for (k, lam), c in e for m, qm in enumerate(q)])
            for lo, hi, e in self.pieces
        )

    def dilate(self, s) -> "PiecewiseFn":
        """x ↦ f(s x) for a rational s ≠ 0 (break points must stay rational)."""
        s = rational_param(s, "the dilation factor of a piecewise function")
        if not s:
            raise ConcreteError("a dilation factor must not be 0")
        out = []
        for lo, hi, e in self.pieces:
            ends = sorted(p / s if p not in (INF, -INF) else (p if s > 0 else -p) for p in (lo, hi))
            out.append((ends[0], ends[1], _expoly_linear(e, s, Fraction(0))))
        return PiecewiseFn.make(out)

    def conj(self) -> "PiecewiseFn":
        return PiecewiseFn.make((lo, hi, [(k, c.conjugate()) for k, c in e]) for lo, hi, e in self.pieces)

    def modulate(self, mu) -> "PiecewiseFn":
        raise ConcreteError(
            "a modulated piecewise function (box, e^{−x}H(x), triangle) is not in the family: "
            "its pieces would need complex exponents"
        )

    def transform(self, scale, rate, sign) -> "PiecewiseFn":
        raise ConcreteError(
            "the Fourier transform of a piecewise function (box, e^{−x}H(x), triangle) is not "
            "in the witness families (it is a ratio of exponential polynomials in ω)"
        )

    def integral(self) -> Num:
        """∫ f(x) dx, piece by piece (each piece decays where it is unbounded)."""
        total = ZERO
        for lo, hi, e in self.pieces:
            for (k, lam), c in e:
                anti = antiderivative(k, lam)
                for end, sign in ((hi, 1), (lo, -1)):
                    if end in (INF, -INF):
                        continue  # the piece decays there: the antiderivative vanishes
                    total = total + c * poly_at(anti, end) * Num.exp(lam * end) * sign
        return total

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

        real = self.is_real()
        data = [
            (edge(lo), edge(hi), [(k, ctx.mpf(lam.numerator) / lam.denominator, c.mpf(ctx) if real else c.mpc(ctx))
                                  for (k, lam), c in e])
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

        real = self.is_real()
        convert = as_float if real else as_complex
        data = [
            (float(lo), float(hi), [(k, float(lam), convert(c)) for (k, lam), c in e])
            for lo, hi, e in self.pieces
        ]

        def f(x):
            total = np.zeros_like(x, dtype=float if real else complex)
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


# --------------------------------------------------------------------------- polynomials


@dataclass(frozen=True)
class PolynomialFn:
    """x ↦ p(x) with :class:`Num` coefficients (low first): the identity function and what
    pointwise operations make of it. Not integrable: a convolution, an integral or a
    Fourier transform of it is refused; its product with a function of another family
    lands in that family."""

    coeffs: tuple

    family = "polynomial"

    @staticmethod
    def make(coeffs) -> "PolynomialFn":
        return PolynomialFn(poly_add(poly_num(coeffs), ()))

    def is_zero(self) -> bool:
        return not self.coeffs

    def is_real(self) -> bool:
        return all(c.is_real() for c in self.coeffs)

    def __add__(self, other: "PolynomialFn") -> "PolynomialFn":
        return PolynomialFn.make(poly_add(self.coeffs, other.coeffs))

    def scale(self, c) -> "PolynomialFn":
        return PolynomialFn.make(poly_scale(self.coeffs, c))

    def shift(self, b) -> "PolynomialFn":
        return PolynomialFn.make(poly_linear(self.coeffs, Fraction(1), -param(b)))

    def flip(self) -> "PolynomialFn":
        return PolynomialFn.make(poly_linear(self.coeffs, Fraction(-1), Fraction(0)))

    def derivative(self) -> tuple["PolynomialFn", dict]:
        return PolynomialFn.make(poly_deriv(self.coeffs)), {}

    def value(self, x0) -> Num:
        return poly_at(self.coeffs, param(x0))

    def times(self, other: "PolynomialFn") -> "PolynomialFn":
        return PolynomialFn.make(poly_mul(self.coeffs, other.coeffs))

    def dilate(self, s) -> "PolynomialFn":
        return PolynomialFn.make(poly_linear(self.coeffs, param(s), Fraction(0)))

    def conj(self) -> "PolynomialFn":
        return PolynomialFn.make(tuple(c.conjugate() for c in self.coeffs))

    def modulate(self, mu) -> "PolynomialFn":
        raise ConcreteError("e^{iνx} times a polynomial is not in the witness families")

    def transform(self, scale, rate, sign):
        raise ConcreteError("a polynomial (x ↦ x) has no Fourier transform as a function")

    def integral(self) -> Num:
        raise ConcreteError("a polynomial (x ↦ x) is not integrable")

    def breakpoints(self) -> tuple:
        return ()

    def centers(self) -> tuple:
        return (Fraction(0),)

    def expr(self, x: sp.Expr = X) -> sp.Expr:
        return poly_sympy(self.coeffs, x)

    def numeric(self, ctx):
        real = self.is_real()
        coeffs = [c.mpf(ctx) if real else c.mpc(ctx) for c in self.coeffs]

        def f(x):
            acc = ctx.mpf(0)
            for k in reversed(coeffs):
                acc = acc * x + k
            return acc

        return f

    def numeric_np(self):
        import numpy as np

        convert = as_float if self.is_real() else as_complex
        coeffs = [convert(c) for c in self.coeffs]
        return lambda x: np.polynomial.polynomial.polyval(x, coeffs) + 0 * x

    def complexity(self) -> int:
        return poly_size(self.coeffs)


def identity() -> PolynomialFn:
    """x ↦ x."""
    return PolynomialFn.make((Fraction(0), Fraction(1)))


# --------------------------------------------------------------------------- distributions

_FAMILY_NAMES = {"gaussian": "Gaussian", "piecewise": "piecewise", "polynomial": "polynomial"}


def _same_family(a, b):
    if a is None or b is None:
        return
    if a.family != b.family:
        raise ConcreteError(
            f"{_FAMILY_NAMES[a.family]} and {_FAMILY_NAMES[b.family]} functions are not mixed in one witness"
        )


def _smooth_product(f, g):
    """The pointwise product of two functions of the families (None for 0)."""
    if f is None or g is None:
        return None
    if f.family == g.family:
        return f.times(g)
    if g.family == "polynomial":
        return f.times_poly(g.coeffs)
    if f.family == "polynomial":
        return g.times_poly(f.coeffs)
    _same_family(f, g)


def _leibniz(derivative_at, point: Fraction, k: int, c: Num) -> list:
    """φ·(c δ⁽ᵏ⁾(x − a)) = Σⱼ C(k, j) (−1)ʲ φ⁽ʲ⁾(a) c δ⁽ᵏ⁻ʲ⁾(x − a), as δ terms;
    ``derivative_at(j)`` is φ⁽ʲ⁾(a)."""
    return [((point, k - j), c * derivative_at(j) * (comb(k, j) * (-1) ** j)) for j in range(k + 1)]


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

    def shift(self, b) -> "Distribution":
        smooth = None if self.smooth is None else self.smooth.shift(b)
        if self.deltas:
            b = rational_param(b, "the shift of a δ")
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

    # the larger language
    def times(self, other: "Distribution") -> "Distribution":
        """The pointwise product; a smooth factor meets a δ by the Leibniz rule,
        φ·δ⁽ᵏ⁾(x − a) = Σⱼ C(k, j)(−1)ʲ φ⁽ʲ⁾(a) δ⁽ᵏ⁻ʲ⁾(x − a); δ·δ has no meaning."""
        if self.deltas and other.deltas:
            raise ConcreteError("the product of two δs has no meaning")
        deltas = []
        for smooth, sing in ((self.smooth, other.deltas), (other.smooth, self.deltas)):
            if not sing or smooth is None:
                continue
            base = Distribution.make(smooth)
            for (a, k), c in sing:
                deltas += _leibniz(lambda j, a=a: base.derivative(j).value(a) if j else base.value(a), a, k, c)
        return Distribution.make(_smooth_product(self.smooth, other.smooth), deltas)

    def dilate(self, s) -> "Distribution":
        """x ↦ A(s x); δ⁽ᵏ⁾(s x − a) = |s|⁻¹ s⁻ᵏ δ⁽ᵏ⁾(x − a/s)."""
        smooth = None if self.smooth is None else self.smooth.dilate(s)
        if not self.deltas:
            return Distribution.make(smooth)
        s = rational_param(s, "the dilation factor of a δ")
        if not s:
            raise ConcreteError("a dilation factor must not be 0")
        return Distribution.make(smooth, (((a / s, k), c * (1 / (abs(s) * s**k))) for (a, k), c in self.deltas))

    def modulate(self, mu) -> "Distribution":
        """x ↦ e^{iμx} A(x) (on a δ by the Leibniz rule)."""
        mu = param(mu)
        smooth = None if self.smooth is None else self.smooth.modulate(mu)
        deltas = []
        for (a, k), c in self.deltas:
            phase = Num.exp(mu * a * IM)
            deltas += _leibniz(lambda j: phase * Num.of((mu * IM) ** j if j else 1), a, k, c)
        return Distribution.make(smooth, deltas)

    def conj(self) -> "Distribution":
        smooth = None if self.smooth is None else self.smooth.conj()
        return Distribution.make(smooth, ((key, c.conjugate()) for key, c in self.deltas))

    def is_real(self) -> bool:
        return (self.smooth is None or self.smooth.is_real()) and all(c.is_real() for _, c in self.deltas)

    def value(self, x0) -> Num:
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
