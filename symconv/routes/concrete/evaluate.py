"""Exact closed-form evaluation of the term language on concrete functions.

Every operation is computed from its definition, directly (cross-correlation is not
reduced to a convolution, so the notes' identity (10) is checked, not assumed):

* ∫ A(y) B(x + σy) dy for σ = −1 (convolution) and σ = +1 (cross-correlation):

  - Gaussians: complete the square. With S = a + b the exponent
    −a(y−c)² − b(x+σy−d)² equals −S(y−m)² − (ab/S)(x − (d − σc))², where
    m = (ac − σb(x − d))/S; substituting y = m + t leaves polynomial moments
    ∫ t^{2k} e^{−St²} dt = √(π/S) (2k−1)!!/(2S)^k.
  - piecewise exponential–polynomials: piece by piece; for x in each region between
    the sums of end points the limits of y are fixed expressions (a constant or ±x
    plus a constant), and ∫ yᵖ e^{νy} dy has a finite closed form.

* δ by its definition as a distribution: ∫ φ(y) δ⁽ᵏ⁾(y − a) dy = (−1)ᵏ φ⁽ᵏ⁾(a), so
  A * δ⁽ᵏ⁾(·−b) = τ(A⁽ᵏ⁾, b), δ⁽ᵏ⁾(·−a) ⋆ B = (−1)ᵏ τ(B⁽ᵏ⁾, −a),
  A ⋆ δ⁽ᵏ⁾(·−b) = (−1)ᵏ (τ(A⁽ᵏ⁾, −b))⁻; derivatives are distributional (a jump of
  height h at b contributes h·δ(x − b)).

* the larger language, each by its declared definition (:mod:`symconv.language.terms`):
  the pointwise product, dilation, modulation and conjugation on each family
  (:mod:`symconv.routes.concrete.functions`), the Fourier transform of a Gaussian sum by
  completing the square (:mod:`symconv.routes.concrete.gaussians`) with the constants
  (A, B) of the convention read from ``CONVENTIONS`` — f̂(ω) = A ∫ f(x) e^{−iBωx} dx, the
  inverse (B/(2πA)) ∫ g(ω) e^{iBωx} dω —, the integral, and ``convpow`` as repeated
  convolution. Cross-correlation follows its declaration, ∫ conj(f(y)) g(x + y) dy, so
  the conjugate matters for a complex f. What leaves the families (the transform of a
  box, of δ or of x) raises :class:`ConcreteError` with the reason.

No ``sympy.integrate`` anywhere: the arithmetic is on rationals and on
:class:`~symconv.routes.concrete.functions.Num`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from math import comb
from typing import Mapping

import sympy as sp

from symconv.language.fold import Algebra, refuse
from symconv.language.terms import CONVENTIONS, kind_of
from symconv.routes.concrete.functions import (
    INF,
    Distribution,
    PiecewiseFn,
    antiderivative,
    expoly_make,
    identity,
)
from symconv.routes.concrete.laurent import is_real
from symconv.routes.concrete.numbers import (
    I_UNIT,
    ONE,
    PI,
    ZERO,
    ConcreteError,
    Num,
    poly_linear,
    rat,
)

__all__ = [
    "Env",
    "Evaluator",
    "evaluate",
    "conv",
    "xcorr",
    "inner",
    "product",
    "dilate",
    "modulate",
    "conjugate",
    "transform",
    "integral",
    "conv_power",
    "correlation_integral",
    "MAX_ORDER",
    "MAX_CONV_POWER",
]

#: The largest derivative order evaluated (each order adds a degree per Gaussian term).
MAX_ORDER = 12
#: The largest number of factors of an iterated convolution evaluated (the terms of a
#: Gaussian sum multiply with each factor; the numeric replay nests one quadrature per
#: halving).
MAX_CONV_POWER = 4


@dataclass(frozen=True)
class Env:
    """Concrete functions for the names of a statement, and values for its parameters."""

    functions: Mapping[str, object]  # name -> GaussianSum | PiecewiseFn
    parameters: Mapping[sp.Symbol, Fraction] = field(default_factory=dict)


# --------------------------------------------------------------------------- piecewise


def _bound_value(p: int, nu: Fraction, bound) -> list:
    """The antiderivative of yᵖe^{νy} at a bound, as expoly terms in x.

    ``bound`` is ("const", B) with B rational or ±∞, or ("lin", κ, β) for κx + β.
    """
    anti = antiderivative(p, nu)
    if bound[0] == "const":
        b = bound[1]
        if b in (INF, -INF):
            decays = (nu < 0) if b == INF else (nu > 0)
            if not decays:
                raise ConcreteError("the integral of the definition diverges")
            return []
        val = ZERO
        for coeff in reversed(anti):
            val = val * b + coeff
        return [((0, Fraction(0)), val * Num.exp(nu * b))]
    _, kappa, beta = bound
    poly = poly_linear(anti, kappa, beta)
    scale = Num.exp(nu * beta)
    return [((i, nu * kappa), scale * ci) for i, ci in enumerate(poly) if ci]


def _piece_pair(a1, b1, e1, a2, b2, e2, sigma: int) -> list:
    """∫ over y of piece 1 at y times piece 2 at x + σy, as pieces in x."""
    kappa = Fraction(-sigma)
    # y such that x + σy ∈ [a2, b2): y ∈ [κx + lo, κx + hi)
    lo_off, hi_off = (-b2, -a2) if sigma == -1 else (a2, b2)
    cuts = set()
    for bound in (a1, b1):
        for off in (lo_off, hi_off):
            if bound not in (INF, -INF) and off not in (INF, -INF):
                cuts.add((bound - off) / kappa)
    cuts = sorted(cuts)
    edges = [-INF] + cuts + [INF]
    out = []
    for left, right in zip(edges, edges[1:]):
        if left == -INF and right == INF:
            xm = Fraction(0)
        elif left == -INF:
            xm = right - 1
        elif right == INF:
            xm = left + 1
        else:
            xm = (left + right) / 2
        low_lin = -INF if lo_off in (INF, -INF) else kappa * xm + lo_off
        high_lin = INF if hi_off in (INF, -INF) else kappa * xm + hi_off
        if lo_off == INF or hi_off == -INF:
            continue
        lo_val, hi_val = max(a1, low_lin), min(b1, high_lin)
        if not lo_val < hi_val:
            continue
        lower = ("const", a1) if (a1 >= low_lin) else ("lin", kappa, lo_off)
        upper = ("const", b1) if (b1 <= high_lin) else ("lin", kappa, hi_off)
        if lower[0] == "lin" and lo_off == -INF:
            lower = ("const", -INF)
        if upper[0] == "lin" and hi_off == INF:
            upper = ("const", INF)
        terms = []
        for (n, lam), alpha in e1:
            for (m, mu), beta in e2:
                nu = lam + sigma * mu
                for j in range(m + 1):
                    # α β C(m,j) σ^j x^{m−j} e^{μx} · y^{n+j} e^{νy}
                    c = alpha * beta * (comb(m, j) * sigma**j)
                    for (r, rate), v in _bound_value(n + j, nu, upper):
                        terms.append(((r + m - j, rate + mu), c * v))
                    for (r, rate), v in _bound_value(n + j, nu, lower):
                        terms.append(((r + m - j, rate + mu), -(c * v)))
        out.append((left, right, expoly_make(terms)))
    return out


def _piecewise_integral(f: PiecewiseFn, g: PiecewiseFn, sigma: int) -> PiecewiseFn:
    pieces = []
    for a1, b1, e1 in f.pieces:
        for a2, b2, e2 in g.pieces:
            pieces.extend(_piece_pair(a1, b1, e1, a2, b2, e2, sigma))
    return PiecewiseFn.make(pieces)


def correlation_integral(f, g, sigma: int):
    """x ↦ ∫ f(y) g(x + σy) dy for two functions of the same family."""
    if "polynomial" in (f.family, g.family):
        raise ConcreteError("a polynomial (x ↦ x) is not integrable: no convolution with it")
    if f.family != g.family:
        raise ConcreteError("Gaussian and piecewise functions are not mixed in one witness")
    if f.family == "gaussian":
        return f.correlate(g, sigma)
    return _piecewise_integral(f, g, sigma)


# --------------------------------------------------------------------------- distributions


def conv(a: Distribution, b: Distribution) -> Distribution:
    """(A * B)(x) = ∫ A(y) B(x − y) dy."""
    out = Distribution.make()
    if a.smooth is not None and b.smooth is not None:
        out = out + Distribution.make(correlation_integral(a.smooth, b.smooth, -1))
    if a.smooth is not None:
        base = Distribution.make(a.smooth)
        for (pt, k), c in b.deltas:
            out = out + base.derivative(k).shift(pt).scale(c)
    if b.smooth is not None:
        base = Distribution.make(b.smooth)
        for (pt, k), c in a.deltas:
            out = out + base.derivative(k).shift(pt).scale(c)
    for (p1, k1), c1 in a.deltas:
        for (p2, k2), c2 in b.deltas:
            out = out + Distribution.delta(p1 + p2, k1 + k2).scale(c1 * c2)
    return out


def xcorr(a: Distribution, b: Distribution) -> Distribution:
    """(A ⋆ B)(x) = ∫ conj(A(y)) B(x + y) dy (the conjugate only matters for a complex A)."""
    if not a.is_real():
        a = a.conj()
    out = Distribution.make()
    if a.smooth is not None and b.smooth is not None:
        out = out + Distribution.make(correlation_integral(a.smooth, b.smooth, +1))
    if a.smooth is not None:
        base = Distribution.make(a.smooth)
        for (pt, k), c in b.deltas:
            # ∫ A(y) δ⁽ᵏ⁾(y − (pt − x)) dy = (−1)ᵏ A⁽ᵏ⁾(pt − x)
            out = out + base.derivative(k).shift(-pt).flip().scale(c * (-1) ** k)
    if b.smooth is not None:
        base = Distribution.make(b.smooth)
        for (pt, k), c in a.deltas:
            # ∫ δ⁽ᵏ⁾(y − pt) B(x + y) dy = (−1)ᵏ B⁽ᵏ⁾(x + pt)
            out = out + base.derivative(k).shift(-pt).scale(c * (-1) ** k)
    for (p1, k1), c1 in a.deltas:
        for (p2, k2), c2 in b.deltas:
            out = out + Distribution.delta(p2 - p1, k1 + k2).scale(c1 * c2 * (-1) ** k1)
    return out


def inner(a: Distribution, b: Distribution) -> Num:
    """∫ A(x) B(x) dx (a δ paired with a δ has no value)."""
    total = ZERO
    if a.smooth is not None and b.smooth is not None:
        total = total + correlation_integral(a.smooth, b.smooth, +1).value(Fraction(0))
    if a.smooth is not None:
        base = Distribution.make(a.smooth)
        for (pt, k), c in b.deltas:
            total = total + base.derivative(k).value(pt) * c * (-1) ** k
    if b.smooth is not None:
        base = Distribution.make(b.smooth)
        for (pt, k), c in a.deltas:
            total = total + base.derivative(k).value(pt) * c * (-1) ** k
    if a.deltas and b.deltas:
        raise ConcreteError("the product of two δs has no integral")
    return total


def product(a: Distribution, b: Distribution) -> Distribution:
    """(A·B)(x) = A(x) B(x)."""
    return a.times(b)


def dilate(a: Distribution, s) -> Distribution:
    """scale(A, s)(x) = A(s x)."""
    return a.dilate(s)


def modulate(a: Distribution, nu) -> Distribution:
    """modulate(A, ν)(x) = e^{iνx} A(x)."""
    return a.modulate(nu)


def conjugate(a: Distribution) -> Distribution:
    """conj(A)(x) = the complex conjugate of A(x)."""
    return a.conj()


def transform(a: Distribution, scale: Num, rate, sign: int) -> Distribution:
    """ω ↦ scale · ∫ A(x) e^{sign·i·rate·ω·x} dx (a Fourier transform or its inverse)."""
    if a.deltas:
        raise ConcreteError("the Fourier transform of δ is not a function of the witness families")
    if a.smooth is None:
        return Distribution.make()
    return Distribution.make(a.smooth.transform(scale, rate, sign))


def integral(a: Distribution) -> Num:
    """∫ A(x) dx (∫ δ⁽ᵏ⁾(x − p) dx is 1 for k = 0 and 0 otherwise)."""
    total = ZERO if a.smooth is None else a.smooth.integral()
    for (_, k), c in a.deltas:
        if k == 0:
            total = total + c
    return total


def conv_power(a: Distribution, n: int) -> Distribution:
    """A * A * … * A with n factors."""
    if not 1 <= n <= MAX_CONV_POWER:
        raise ConcreteError(f"an iterated convolution is evaluated for 1 to {MAX_CONV_POWER} factors, not {n}")
    out = a
    for _ in range(n - 1):
        out = conv(a, out)
    return out


# --------------------------------------------------------------------------- terms


class Evaluator(Algebra):
    """Exact values of terms on concrete functions: a :class:`Distribution` for a
    function-valued term, a :class:`Num` for a scalar one."""

    def __init__(self, env: Env):
        super().__init__()
        self.env = env

    # function-valued terms
    def fn(self, node, name, values):
        if node.name not in self.env.functions:
            raise ConcreteError(f"no concrete function for {node.name}")
        return Distribution.make(self.env.functions[node.name])

    def conv(self, node, a, b):
        return conv(a, b)

    def xcorr(self, node, a, b):
        return xcorr(a, b)

    def flip(self, node, a):
        return a.flip()

    def shift(self, node, a, amount):
        return a.shift(self.real(amount))

    def diff(self, node, a, order):
        k = self.rational(order)
        if k.denominator != 1 or not 1 <= k <= MAX_ORDER:
            raise ConcreteError(f"derivative order {k} is not an integer in 1..{MAX_ORDER}")
        return a.derivative(int(k))

    def delta(self, node, point):
        return Distribution.delta(self.rational(point))

    def add(self, node, values):
        out = Distribution.make()
        for v in values:
            out = out + v
        return out

    def times(self, node, coefficient, value):
        c = self.fold(coefficient)
        r = c.as_rational()
        return value.scale(r if r is not None else c)

    # numbers
    def at(self, node, a, point):
        return a.value(self.real(point))

    def inner(self, node, a, b):
        return inner(a, b)

    def constant(self, expr) -> Num:
        if isinstance(expr, sp.Rational):
            return Num.of(rat(expr))
        if expr is sp.pi:
            return PI
        if expr is sp.I:
            return I_UNIT
        if isinstance(expr, sp.Symbol):
            if expr not in self.env.parameters:
                raise ConcreteError(f"no value for the parameter {expr}")
            return Num.of(self.env.parameters[expr])
        if isinstance(expr, sp.Add):
            return self.scalar_add(expr, [self.constant(a) for a in expr.args])
        if isinstance(expr, sp.Mul):
            return self.scalar_mul(expr, [self.constant(a) for a in expr.args])
        if isinstance(expr, sp.Pow):
            return self.scalar_pow(expr, self.constant(expr.base), expr.exp)
        raise ConcreteError(f"cannot evaluate the scalar {expr}")

    def scalar_add(self, node, values):
        total = ZERO
        for v in values:
            total = total + v
        return total

    def scalar_mul(self, node, values):
        total = ONE
        for v in values:
            total = total * v
        return total

    def scalar_pow(self, node, base, exponent):
        """Integer powers (a negative one of a single-term number) and square roots of
        u·π^k with u > 0 rational (the constants of the Fourier conventions)."""
        if not exponent.is_Rational or exponent.q not in (1, 2) or abs(exponent) > 64:
            raise ConcreteError(f"cannot evaluate the power {node}")
        if exponent.q == 2:
            root = base.as_exact()
            if root is None:
                raise ConcreteError(f"cannot evaluate the power {node}")
            base, n = Num.sqrt(root), int(exponent.p)
        else:
            n = int(exponent)
        if n < 0:
            if base.is_zero():
                raise ConcreteError(f"cannot evaluate the power {node}")
            base, n = base.inverse(), -n
        out = ONE
        for _ in range(n):
            out = out * base
        return out

    # the larger language
    def zero(self, node):
        return Distribution.make()

    def id(self, node):
        return Distribution.make(identity())

    def fourier(self, node, a, convention):
        scale, rate = self.convention(convention.name)
        return transform(a, scale, rate, -1)

    def ifourier(self, node, a, convention):
        scale, rate = self.convention(convention.name)
        # (B/(2πA)) ∫ g(ω) e^{iBωx} dω
        return transform(a, Num.of(rate) * (PI * scale * 2).inverse(), rate, 1)

    def mul(self, node, a, b):
        return product(a, b)

    def scale(self, node, a, factor):
        s = self.real(factor)
        if not s:
            raise ConcreteError(f"the dilation factor {factor} is 0 for these parameters")
        return dilate(a, s)

    def modulate(self, node, a, frequency):
        return modulate(a, self.real(frequency))

    def conj(self, node, a):
        return conjugate(a)

    def convpow(self, node, a, power):
        n = self.rational(power)
        if n.denominator != 1:
            raise ConcreteError(f"the number of factors {n} is not an integer")
        return conv_power(a, int(n))

    def integral(self, node, a):
        return integral(a)

    # the sampling of strided layers is defined on ℤⁿ only (symconv.routes.concrete.group_evaluate)
    downsample = refuse("downsample is defined on ℤⁿ, not on ℝ", ConcreteError)
    upsample = refuse("upsample is defined on ℤⁿ, not on ℝ", ConcreteError)

    def convention(self, name: str):
        """(A, B) of the convention as exact numbers: A a :class:`Num`, B exact and real."""
        scale, rate = CONVENTIONS[name]
        return self.constant(scale), self.constant(rate).as_exact()

    # the names the routes use
    def function(self, expr) -> Distribution:
        return self.fold(expr)

    scalar = function

    def rational(self, expr) -> Fraction:
        value = self.fold(expr).as_rational()
        if value is None:
            raise ConcreteError(f"{expr} is not rational for these parameters")
        return value

    def real(self, expr):
        """A real parameter (a shift, a point, a frequency, a factor): a rational, or a
        :class:`~symconv.routes.concrete.laurent.Laurent` when π is in it."""
        value = self.fold(expr).as_exact()
        if value is None or not is_real(value):
            raise ConcreteError(f"{expr} is not an exact real number here")
        return value


def evaluate(expr, env: Env, memo: dict | None = None):
    """The exact value of a term: a :class:`Distribution` for a function-valued term,
    a :class:`Num` for a scalar one. Raises :class:`ConcreteError` when the term has
    no value on these functions (a δ at the point, mixed families, …)."""
    kind_of(expr)  # refuses what is not a term
    ev = Evaluator(env)
    if memo is not None:
        ev.memo = memo
    return ev.fold(expr)
