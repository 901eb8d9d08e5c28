"""The Gaussian family: Σ p(x) · e^{−a(x−c)² + iνx}, closed under every operation of the
language but δ, in closed form.

A term has a width a > 0, a centre c and a frequency ν — exact parameters
(:mod:`symconv.routes.concrete.laurent`: rationals, or polynomials in π and π⁻¹, which the
ordinary Fourier convention brings in) — and a polynomial p with exact complex
:class:`~symconv.routes.concrete.numbers.Num` coefficients. Widths are rational multiples
of a power of π: sums of widths (products and convolutions) must share that power,
otherwise the result is not exact here and :class:`ConcreteError` says so.

Every closed form completes the square and uses the moments of a normal variable, never
``integrate``:

* ∫ yᵏ e^{−Sy² + iκy} dy = √(π/S) e^{−κ²/(4S)} E[Yᵏ] with Y normal of mean iκ/(2S) and
  variance 1/(2S) (moments by m_k = μ m_{k−1} + (k−1) v m_{k−2}, valid for a complex
  mean by analytic continuation);
* the Fourier transform ω ↦ A ∫ f(x) e^{±irωx} dx of p(x) e^{−a(x−c)² + iνx} is
  A √(π/a) e^{iνc} · Q(ω) · e^{−a'(ω−c')² + iν'ω} with a' = r²/(4a), c' = ∓ν/r,
  ν' = ±rc (Q from the moments with mean i(ν ± rω)/(2a));
* the correlation ∫ f(y) g(x + σy) dy (σ = −1 convolution, +1 cross-correlation) of
  p(y)e^{−a(y−c)²+iνy} and q(u)e^{−b(u−d)²+iμu}: with S = a + b the real parts combine
  into −S(y − m)² − (ab/S)(x − (d − σc))², m = (ac + σb(d − x))/S, and the phase
  iκy + iμx (κ = ν + σμ) shifts the mean of y by iκ/(2S); the result has width ab/S,
  centre d − σc, frequency μ − σbκ/S and the factor √(π/S) e^{iκm₀ − κ²/(4S)}.

Every representation is canonical (terms combined, zero coefficients dropped), so
``is_zero`` is exact: xⁱ e^{−a(x−c)² + iνx} for distinct (a, c, ν, i) are linearly
independent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Iterable

import sympy as sp

from symconv.routes.concrete.laurent import (
    ConcreteError,
    Laurent,
    divide,
    enclose,
    exact,
    is_real,
    order_key,
    positive_monomial,
    power,
    to_sympy,
)
from symconv.routes.concrete.laurent import complexity as exact_complexity
from symconv.routes.concrete.numbers import (
    MAX_TERMS,
    ZERO,
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
)

__all__ = ["GaussianSum", "gaussian", "param"]

#: i as an exact parameter (i·v for a real parameter v is ``v * IM``).
IM = Laurent.imaginary(1)


def param(value):
    """An exact real parameter from an int, a Fraction, a SymPy Rational or a Laurent."""
    if isinstance(value, Laurent):
        if not is_real(value):
            raise ConcreteError(f"a parameter must be real: {value}")
        return value
    return rat(value)


def _width(a):
    if not positive_monomial(a):
        raise ConcreteError(
            f"a Gaussian needs a width a > 0 that is a rational multiple of a power of π, got {a}"
        )
    return a


def _sum_of_widths(a, b):
    s = a + b
    if not positive_monomial(s):
        raise ConcreteError(
            f"Gaussians of widths {a} and {b} combine into the width {s}, which is not a "
            "rational multiple of one power of π: not exact here"
        )
    return s


def _coefficient(value) -> Num:
    return value if isinstance(value, Num) else Num.of(value if isinstance(value, Laurent) else rat(value))


def _term_order(item) -> tuple:
    (a, c, nu), _ = item
    return (order_key(a), order_key(c), order_key(nu))


# --------------------------------------------------------------------------- moments


def _moment(k: int, s) -> "Fraction | Laurent":
    """∫ tᵏ e^{−St²} dt / √(π/S): 0 for odd k, (k−1)!!/(2S)^{k/2} for even k."""
    if k % 2:
        return Fraction(0)
    dfact = 1
    for i in range(k - 1, 0, -2):
        dfact *= i
    return divide(Fraction(dfact), power(2 * s, k // 2))


def _normal_moments(mean: tuple, variance, n: int) -> list:
    """E[Yᵏ] for k ≤ n as polynomials (in the variable of ``mean``, a polynomial) for Y
    normal with that mean and ``variance``: m_k = mean·m_{k−1} + (k−1)·variance·m_{k−2}."""
    moments = [(Fraction(1),), mean]
    for k in range(2, n + 1):
        moments.append(poly_add(poly_mul(mean, moments[k - 1]), poly_scale(moments[k - 2], (k - 1) * variance)))
    return moments[: n + 1]


_Bi = dict  # (power of t, power of x) -> exact coefficient


def _bi_mul(p: _Bi, q: _Bi) -> _Bi:
    out: _Bi = {}
    for (i1, j1), v1 in p.items():
        for (i2, j2), v2 in q.items():
            k = (i1 + i2, j1 + j2)
            out[k] = out.get(k, 0) + v1 * v2
    return {k: v for k, v in out.items() if v}


def _bi_powers(base: _Bi, n: int) -> list[_Bi]:
    out = [{(0, 0): Fraction(1)}]
    for _ in range(n):
        out.append(_bi_mul(out[-1], base))
    return out


# --------------------------------------------------------------------------- the family


@dataclass(frozen=True)
class GaussianSum:
    """Σ p(x) · e^{−a(x−c)² + iνx}: ``terms`` are ((a, c, ν), coefficients of p low first),
    sorted; a, c, ν exact (rationals or :class:`Laurent`)."""

    terms: tuple

    family = "gaussian"

    @staticmethod
    def make(pairs: Iterable) -> "GaussianSum":
        """From ((a, c, ν), poly) or ((a, c), poly) pairs; like terms are combined."""
        acc: dict = {}
        for key, poly in pairs:
            a, c, nu = key if len(key) == 3 else (*key, 0)
            key = (_width(param(a)), param(c), param(nu))
            acc[key] = poly_add(acc.get(key, ()), poly_num(poly))
        items = tuple(sorted(((k, p) for k, p in acc.items() if p), key=_term_order))
        if len(items) > MAX_TERMS:
            raise ConcreteError("a Gaussian sum grew too large")
        return GaussianSum(items)

    def is_zero(self) -> bool:
        return not self.terms

    def is_real(self) -> bool:
        """True when every term is visibly real (no frequency, real coefficients)."""
        return all(nu == 0 and all(Num.of(k).is_real() for k in p) for (_, _, nu), p in self.terms)

    def __add__(self, other: "GaussianSum") -> "GaussianSum":
        return GaussianSum.make(self.terms + other.terms)

    def scale(self, c) -> "GaussianSum":
        """c times the function, for a constant c."""
        return GaussianSum.make((k, poly_scale(p, c)) for k, p in self.terms)

    def shift(self, b) -> "GaussianSum":
        """x ↦ f(x − b): the centre moves by b and the phase picks up e^{−iνb}."""
        b = exact(b)
        out = []
        for (a, c, nu), p in self.terms:
            q = poly_linear(p, Fraction(1), -b)
            if nu:
                q = poly_scale(q, Num.exp(-nu * b * IM))
            out.append(((a, c + b, nu), q))
        return GaussianSum.make(out)

    def flip(self) -> "GaussianSum":
        return GaussianSum.make(
            ((a, -c, -nu), poly_linear(p, Fraction(-1), Fraction(0))) for (a, c, nu), p in self.terms
        )

    def derivative(self) -> tuple["GaussianSum", dict]:
        """(d/dx of the sum, its δ part — always empty for Gaussians)."""
        out = []
        for (a, c, nu), p in self.terms:
            # (p' + (2ac + iν − 2a x) p) e^{−a(x−c)² + iνx}
            q = poly_add(poly_deriv(p), poly_mul((2 * a * c + nu * IM, -2 * a), p))
            out.append(((a, c, nu), q))
        return GaussianSum.make(out), {}

    def value(self, x0) -> Num:
        x0 = exact(x0)
        total = ZERO
        for (a, c, nu), p in self.terms:
            total = total + poly_at(p, x0) * Num.exp(-a * (x0 - c) ** 2 + nu * x0 * IM)
        return total

    # ------------------------------------------------------------------ the larger language

    def times(self, other: "GaussianSum") -> "GaussianSum":
        """The pointwise product: widths add, centres average, frequencies add."""
        out = []
        for (a1, c1, n1), p1 in self.terms:
            for (a2, c2, n2), p2 in other.terms:
                a = _sum_of_widths(a1, a2)
                c = divide(a1 * c1 + a2 * c2, a)
                rest = a * c * c - a1 * c1 * c1 - a2 * c2 * c2
                out.append(((a, c, n1 + n2), poly_scale(poly_mul(p1, p2), Num.exp(rest))))
        return GaussianSum.make(out)

    def times_poly(self, q: tuple) -> "GaussianSum":
        """The product with the polynomial q (coefficients low first)."""
        return GaussianSum.make((k, poly_mul(p, q)) for k, p in self.terms)

    def dilate(self, s) -> "GaussianSum":
        """x ↦ f(s x) for s = u·π^k ≠ 0 (u rational)."""
        s = param(s)
        if not s or (isinstance(s, Laurent) and len(s.terms) != 1):
            raise ConcreteError(f"a dilation factor must be a nonzero rational multiple of a power of π, got {s}")
        return GaussianSum.make(
            ((a * s * s, divide(c, s), nu * s), poly_linear(p, s, Fraction(0))) for (a, c, nu), p in self.terms
        )

    def modulate(self, mu) -> "GaussianSum":
        """x ↦ e^{iμx} f(x)."""
        mu = param(mu)
        return GaussianSum.make(((a, c, nu + mu), p) for (a, c, nu), p in self.terms)

    def conj(self) -> "GaussianSum":
        return GaussianSum.make(
            ((a, c, -nu), tuple(Num.of(k).conjugate() for k in p)) for (a, c, nu), p in self.terms
        )

    def transform(self, scale: Num, rate, sign: int) -> "GaussianSum":
        """ω ↦ scale · ∫ f(x) e^{sign·i·rate·ω·x} dx (rate = u·π^k > 0, sign = ±1)."""
        rate = _width(param(rate))
        out = []
        for (a, c, nu), p in self.terms:
            pc = poly_linear(p, Fraction(1), c)  # p(c + y)
            half = divide(Fraction(1, 2), a)
            mean = (nu * half * IM, sign * rate * half * IM)  # i(ν + sign·r·ω)/(2a)
            moments = _normal_moments(mean, half, len(pc) - 1)
            q: tuple = ()
            for k, coeff in enumerate(pc):
                q = poly_add(q, poly_scale(moments[k], coeff))
            factor = scale * Num.sqrt_pi_over(a) * Num.exp(nu * c * IM)
            key = (divide(rate * rate, 4 * a), divide(-sign * nu, rate), sign * rate * c)
            out.append((key, poly_scale(q, factor)))
        return GaussianSum.make(out)

    def integral(self) -> Num:
        """∫ f(x) dx (the transform at 0)."""
        return self.transform(Num.of(1), Fraction(1), -1).value(Fraction(0))

    def correlate(self, other: "GaussianSum", sigma: int) -> "GaussianSum":
        """x ↦ ∫ f(y) g(x + σy) dy (σ = −1: convolution, σ = +1: cross-correlation)."""
        return GaussianSum.make(
            _correlate_terms(a, c, nu, p, b, d, mu, q, sigma)
            for (a, c, nu), p in self.terms
            for (b, d, mu), q in other.terms
        )

    # ------------------------------------------------------------------ views

    def breakpoints(self) -> tuple:
        return ()

    def centers(self) -> tuple:
        return tuple(sorted({c if isinstance(c, Fraction) else float(c) for (_, c, _), _ in self.terms}))

    def expr(self, x: sp.Expr = X) -> sp.Expr:
        parts = []
        for (a, c, nu), p in self.terms:
            exponent = -to_sympy(a) * (x - to_sympy(c)) ** 2
            if nu:
                exponent += sp.I * to_sympy(nu) * x
            parts.append(poly_sympy(p, x) * sp.exp(exponent))
        return sp.Add(*parts)

    def numeric(self, ctx):
        """A plain callable x ↦ value in the mpmath context ``ctx`` (for quadrature);
        complex values (``ctx.mpc``) unless the sum is visibly real."""
        real = self.is_real()

        def number(v):
            if isinstance(v, Fraction):
                return ctx.mpf(v.numerator) / v.denominator
            return enclose(v, ctx)[0]

        data = [
            (number(a), number(c), number(nu), [Num.of(k).mpf(ctx) if real else Num.of(k).mpc(ctx) for k in p])
            for (a, c, nu), p in self.terms
        ]

        def f(x):
            total = ctx.mpf(0) if real else ctx.mpc(0)
            for a, c, nu, coeffs in data:
                acc = ctx.mpf(0)
                for k in reversed(coeffs):
                    acc = acc * x + k
                if real:
                    total += acc * ctx.exp(-a * (x - c) ** 2)
                else:
                    total += acc * ctx.exp(-a * (x - c) ** 2 + ctx.mpc(0, 1) * nu * x)
            return total

        return f

    def numeric_np(self):
        """A vectorised float (or complex) callable on numpy arrays, for quadrature."""
        import numpy as np

        real = self.is_real()
        convert = as_float if real else as_complex
        data = [(float(a), float(c), float(nu), [convert(k) for k in p]) for (a, c, nu), p in self.terms]

        def f(x):
            total = np.zeros_like(x, dtype=float if real else complex)
            for a, c, nu, coeffs in data:
                phase = -a * (x - c) ** 2 if real else -a * (x - c) ** 2 + 1j * nu * x
                total = total + np.polynomial.polynomial.polyval(x, coeffs) * np.exp(phase)
            return total

        return f

    def support(self, eps_log: float = 60.0) -> tuple[float, float]:
        """An interval outside which |f| < e^{−eps_log}·(polynomial growth)."""
        lo = min(float(c) - math.sqrt(eps_log / float(a)) for (a, c, _), _ in self.terms)
        hi = max(float(c) + math.sqrt(eps_log / float(a)) for (a, c, _), _ in self.terms)
        return lo, hi

    def complexity(self) -> int:
        total = 0
        for (a, c, nu), p in self.terms:
            total += 2 * (exact_complexity(a) - 1) + exact_complexity(c) + 2 * exact_complexity(nu) + poly_size(p)
        return total


def _correlate_terms(a, c, nu, p, b, d, mu, q, sigma: int):
    s = _sum_of_widths(a, b)
    kappa = nu + sigma * mu
    m1 = divide(-sigma * b, s)
    m0 = divide(a * c + sigma * b * d, s)
    m0c = m0 + divide(kappa * IM, 2 * s)  # the mean of y moves by iκ/(2S)
    y = {k: v for k, v in {(1, 0): Fraction(1), (0, 1): m1, (0, 0): m0c}.items() if v}
    u = {k: v for k, v in {(1, 0): Fraction(sigma), (0, 1): 1 + sigma * m1, (0, 0): sigma * m0c}.items() if v}
    ypow, upow = _bi_powers(y, len(p) - 1), _bi_powers(u, len(q) - 1)
    result: tuple = ()
    for i, pi in enumerate(p):
        if pi == 0:
            continue
        for j, qj in enumerate(q):
            if qj == 0:
                continue
            basis: dict = {}
            for (k, l), v in _bi_mul(ypow[i], upow[j]).items():
                m = _moment(k, s)
                if m:
                    basis[l] = basis.get(l, 0) + v * m
            if basis:
                dense = tuple(basis.get(l, Fraction(0)) for l in range(max(basis) + 1))
                result = poly_add(result, poly_scale(dense, pi * qj))
    factor = Num.sqrt_pi_over(s)
    if kappa:
        factor = factor * Num.exp(kappa * m0 * IM - divide(kappa * kappa, 4 * s))
    key = (divide(a * b, s), d - sigma * c, mu + kappa * m1)
    return key, poly_scale(result, factor)


def gaussian(a=1, c=0, poly=(1,), nu=0) -> GaussianSum:
    """p(x) · e^{−a(x−c)² + iνx}; ``poly`` are rational (or :class:`Num`) coefficients,
    lowest degree first."""
    return GaussianSum.make([((a, c, nu), tuple(_coefficient(v) for v in poly))])
