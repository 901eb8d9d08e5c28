"""Exact parameters: rationals, and Laurent polynomials in π with Gaussian-rational coefficients.

The parameters of a Gaussian witness (its width a, centre c and frequency ν) are rational
for every function a search proposes, but the ordinary Fourier convention (kernel
e^{−2πixξ}) turns a width a into π²/a, a centre c into a frequency −2πc and a frequency ν
into a centre ν/(2π); exponents of exact numbers pick up i and π the same way. So an exact
parameter is a :class:`Laurent` Σ z_k π^k (k ∈ ℤ, z_k = u_k + i v_k with u_k, v_k
rational) — or a plain :class:`~fractions.Fraction` when it is rational.

**Canonical values.** Every operation returns a ``Fraction`` when its value is rational and
a :class:`Laurent` otherwise (never a Laurent with only a rational constant term), so
``==`` and ``hash`` are exact: π is transcendental, hence Σ z_k π^k = 0 only when every
z_k = 0, and two canonical values are equal exactly when their representations are.

Only division by a *monomial* z·π^k is exact in this ring; :func:`divide` refuses
anything else with a :class:`ConcreteError` (the error of every exact operation that
leaves what the concrete families represent).
"""

from __future__ import annotations

from fractions import Fraction

import sympy as sp

__all__ = [
    "Laurent",
    "ConcreteError",
    "exact",
    "divide",
    "power",
    "monomial",
    "positive_monomial",
    "conjugate",
    "real_part",
    "imag_part",
    "is_real",
    "order_key",
    "complexity",
    "to_sympy",
    "enclose",
    "MAX_BITS",
]

#: Bounds that keep exact arithmetic small: digits of a rational, terms, powers of π.
MAX_BITS = 1200
MAX_LAURENT_TERMS = 24
MAX_PI_POWER = 40

_ZERO = Fraction(0)


class ConcreteError(ValueError):
    """An operation outside what the concrete families represent exactly (a value at a
    jump, a δ paired with a δ, a non-integrable piece, mixing the two families, a division
    by a sum of powers of π, a number too large, …)."""


def _check_fraction(q: Fraction) -> Fraction:
    if q.numerator.bit_length() > MAX_BITS or q.denominator.bit_length() > MAX_BITS:
        raise ConcreteError("an exact number grew too large")
    return q


class Laurent:
    """Σ (u_k + i v_k) π^k with rational u_k, v_k — immutable, never rational (see the
    module doc: rational values are ``Fraction``)."""

    __slots__ = ("terms", "_hash")

    def __init__(self, terms: tuple):
        # terms: ((k, u, v), ...) sorted by k, (u, v) ≠ (0, 0), not a rational constant
        self.terms = terms
        self._hash = hash(terms)

    # ------------------------------------------------------------------ building

    @staticmethod
    def build(parts) -> "Fraction | Laurent":
        """The canonical value of Σ (u + iv) π^k over ``parts`` = [(k, u, v), …]."""
        acc: dict = {}
        for k, u, v in parts:
            if not (u or v):
                continue
            old = acc.get(k)
            acc[k] = (u, v) if old is None else (old[0] + u, old[1] + v)
        terms = tuple(
            (k, _check_fraction(Fraction(u)), _check_fraction(Fraction(v)))
            for k, (u, v) in sorted(acc.items())
            if u or v
        )
        if not terms:
            return _ZERO
        if len(terms) == 1 and terms[0][0] == 0 and not terms[0][2]:
            return terms[0][1]
        if len(terms) > MAX_LAURENT_TERMS or any(abs(k) > MAX_PI_POWER for k, _, _ in terms):
            raise ConcreteError("an exact parameter grew too large (too many powers of π)")
        return Laurent(terms)

    @staticmethod
    def pi(k: int = 1) -> "Laurent":
        return Laurent.build([(k, Fraction(1), _ZERO)])

    @staticmethod
    def imaginary(v=1) -> "Laurent":
        return Laurent.build([(0, _ZERO, Fraction(v))])

    # ------------------------------------------------------------------ arithmetic

    def __add__(self, other):
        parts = _parts(other)
        if parts is None:
            return NotImplemented
        return Laurent.build(self.terms + parts)

    __radd__ = __add__

    def __neg__(self):
        return Laurent.build(tuple((k, -u, -v) for k, u, v in self.terms))

    def __sub__(self, other):
        parts = _parts(other)
        if parts is None:
            return NotImplemented
        return Laurent.build(self.terms + tuple((k, -u, -v) for k, u, v in parts))

    def __rsub__(self, other):
        parts = _parts(other)
        if parts is None:
            return NotImplemented
        return Laurent.build(parts + tuple((k, -u, -v) for k, u, v in self.terms))

    def __mul__(self, other):
        parts = _parts(other)
        if parts is None:
            return NotImplemented
        return Laurent.build(_times(self.terms, parts))

    __rmul__ = __mul__

    def __truediv__(self, other):
        if _parts(other) is None:
            return NotImplemented
        return divide(self, other)

    def __rtruediv__(self, other):
        if _parts(other) is None:
            return NotImplemented
        return divide(other, self)

    def __pow__(self, n):
        if not isinstance(n, int):
            return NotImplemented
        return power(self, n)

    def __bool__(self):
        return True  # canonical: a Laurent is never 0

    def __eq__(self, other):
        if isinstance(other, Laurent):
            return self.terms == other.terms
        if isinstance(other, (int, Fraction)):
            return False
        return NotImplemented

    def __hash__(self):
        return self._hash

    def __repr__(self):
        return f"Laurent({self})"

    def __str__(self):
        return sp.sstr(to_sympy(self))

    def __float__(self):
        import math

        if any(v for _, _, v in self.terms):
            raise TypeError("a complex value has no float")
        return float(sum(float(u) * math.pi**k for k, u, _ in self.terms))


def _parts(value):
    if isinstance(value, Laurent):
        return value.terms
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, Fraction)):
        return ((0, Fraction(value), _ZERO),) if value else ()
    return None


def _times(p: tuple, q: tuple) -> list:
    out = []
    for k1, u1, v1 in p:
        for k2, u2, v2 in q:
            out.append((k1 + k2, u1 * u2 - v1 * v2, u1 * v2 + v1 * u2))
    return out


# ---------------------------------------------------------------------- helpers on values


def exact(value) -> "Fraction | Laurent":
    """The canonical value of an int, a Fraction or a Laurent."""
    if isinstance(value, Laurent):
        return value
    if isinstance(value, bool) or not isinstance(value, (int, Fraction)):
        raise ConcreteError(f"not an exact parameter: {value!r}")
    return _check_fraction(Fraction(value))


def monomial(value):
    """(k, u, v) when ``value`` = (u + iv) π^k (a nonzero monomial), else None."""
    parts = _parts(value)
    if parts is None or len(parts) != 1:
        return None
    return parts[0]


def positive_monomial(value) -> bool:
    """True when ``value`` = u·π^k with u > 0 rational (a Gaussian width)."""
    m = monomial(value)
    return m is not None and m[1] > 0 and not m[2]


def divide(num, den):
    """num / den when den is a nonzero monomial (u + iv) π^k; otherwise :class:`ConcreteError`."""
    m = monomial(den)
    if m is None:
        raise ConcreteError("division by a sum of powers of π is not exact here")
    k, u, v = m
    norm = u * u + v * v
    inverse = ((-k, u / norm, -v / norm),)
    if isinstance(num, Fraction) and isinstance(den, Fraction):
        return num / den
    return Laurent.build(_times(_parts(num), inverse))


def power(value, n: int):
    """value ** n for an integer n (a negative n needs a monomial)."""
    if n < 0:
        return divide(Fraction(1), power(value, -n))
    if abs(n) > 64:
        raise ConcreteError("a power is too large")
    if isinstance(value, Fraction):
        return _check_fraction(value**n)
    out = Fraction(1)
    for _ in range(n):
        out = out * value
    return out


def conjugate(value):
    if isinstance(value, Laurent):
        return Laurent.build(tuple((k, u, -v) for k, u, v in value.terms))
    return value


def real_part(value):
    if isinstance(value, Laurent):
        return Laurent.build(tuple((k, u, _ZERO) for k, u, _ in value.terms))
    return value


def imag_part(value):
    if isinstance(value, Laurent):
        return Laurent.build(tuple((k, v, _ZERO) for k, _, v in value.terms))
    return _ZERO


def is_real(value) -> bool:
    return not isinstance(value, Laurent) or not any(v for _, _, v in value.terms)


def order_key(value) -> tuple:
    """A sort key for canonical values (any fixed total order will do)."""
    return _parts(value)


def complexity(value) -> int:
    """How complicated a value looks (0 for 0, 1 for ±1, more for π and i)."""
    total = 0
    for k, u, v in _parts(value):
        for q in (u, v):
            if q:
                total += abs(q.numerator) + q.denominator - 1
        total += 2 * abs(k) + (2 if v else 0)
    return total


def to_sympy(value) -> sp.Expr:
    return sp.Add(
        *[
            (sp.Rational(u.numerator, u.denominator) + sp.I * sp.Rational(v.numerator, v.denominator))
            * sp.pi**k
            for k, u, v in _parts(value)
        ]
    )


def enclose(value, ctx):
    """(real part, imaginary part) of ``value`` as numbers of the mpmath context ``ctx``
    (intervals in an interval context)."""
    re, im = ctx.mpf(0), ctx.mpf(0)
    for k, u, v in _parts(value):
        scale = ctx.pi**k if k else ctx.mpf(1)
        if u:
            re += ctx.mpf(u.numerator) / u.denominator * scale
        if v:
            im += ctx.mpf(v.numerator) / v.denominator * scale
    return re, im
