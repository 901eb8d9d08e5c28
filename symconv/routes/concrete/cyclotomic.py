"""Exact numbers of a cyclotomic field ℚ(ζ_M), ζ_M = e^{2πi/M}: the values of functions on ℤ/N.

The DFT of an integer array on ℤ/N, its modulations e^{2πikx/N} f(x) and the Gaussian
integers of complex witnesses all live in ℚ(ζ_M) with M = lcm(N, 4) (ζ_M^{M/4} = i). A
:class:`Cyc` is Σ c_k ζ_M^k, k mod M, with rational c_k — an element of the group ring
ℚ[ℤ/M], where multiplication is a cyclic convolution of exponents. Two such sums are the
same number exactly when they agree modulo the cyclotomic polynomial Φ_M (the minimal
polynomial of ζ_M), so :meth:`Cyc.canonical` — the remainder mod Φ_M, a vector of φ(M)
rationals — is a canonical form: ``is_zero`` and ``==`` are exact, and a nonzero element is
a nonzero complex number (ℚ(ζ_M) is a field inside ℂ). No floating point decides anything;
:meth:`Cyc.enclosure` gives interval enclosures for reports and for the replay's
certificate.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from math import gcd

import sympy as sp

from symconv.routes.concrete.laurent import ConcreteError

__all__ = ["Cyc", "field_order", "MAX_MODULUS", "MAX_ORDER"]

#: The largest M of ℚ(ζ_M) used (a modulus N up to 64 on ℤ/N, with i in the field).
MAX_ORDER = 256
#: The largest N of ℤ/N whose sequences are evaluated exactly.
MAX_MODULUS = MAX_ORDER // 4


def field_order(n: int) -> int:
    """M = lcm(n, 4): the field ℚ(ζ_M) holds the n-th roots of unity and i."""
    if not 1 <= n <= MAX_MODULUS:
        raise ConcreteError(f"ℤ/{n} is beyond the moduli evaluated exactly (1 to {MAX_MODULUS})")
    return n * 4 // gcd(n, 4)


@lru_cache(maxsize=64)
def _cyclotomic(m: int) -> tuple[int, ...]:
    """The coefficients of Φ_M, lowest degree first (monic, integer)."""
    x = sp.Symbol("x")
    return tuple(int(c) for c in reversed(sp.Poly(sp.cyclotomic_poly(m, x), x).all_coeffs()))


class Cyc:
    """Σ c_k ζ_M^k (immutable); ``terms`` maps k (0 ≤ k < M) to a nonzero rational."""

    __slots__ = ("m", "terms", "_canon")

    def __init__(self, m: int, terms: dict):
        self.m = m
        self.terms = {k % m: c for k, c in terms.items() if c} if terms else {}
        self._canon = None

    @staticmethod
    def _make(m: int, terms: dict) -> "Cyc":
        out = Cyc.__new__(Cyc)
        out.m, out.terms, out._canon = m, {k: c for k, c in terms.items() if c}, None
        return out

    # constructors
    @staticmethod
    def of(m: int, value) -> "Cyc":
        """A rational, or a Gaussian rational given as (re, im)."""
        if isinstance(value, Cyc):
            return value
        if isinstance(value, tuple):
            re, im = value
            return Cyc._make(m, {0: Fraction(re), m // 4: Fraction(im)})
        return Cyc._make(m, {0: Fraction(value)})

    @staticmethod
    def root(m: int, k: int) -> "Cyc":
        """ζ_M^k."""
        return Cyc._make(m, {k % m: 1})

    # arithmetic
    def _coerce(self, other):
        if isinstance(other, Cyc):
            if other.m != self.m:
                raise ConcreteError("numbers of two cyclotomic fields are not mixed")
            return other
        if isinstance(other, (int, Fraction)) and not isinstance(other, bool):
            return Cyc._make(self.m, {0: other})
        return None

    def __add__(self, other):
        other = self._coerce(other)
        if other is None:
            return NotImplemented
        out = dict(self.terms)
        for k, c in other.terms.items():
            out[k] = out.get(k, 0) + c
        return Cyc._make(self.m, out)

    __radd__ = __add__

    def __neg__(self):
        return Cyc._make(self.m, {k: -c for k, c in self.terms.items()})

    def __sub__(self, other):
        other = self._coerce(other)
        if other is None:
            return NotImplemented
        return self + (-other)

    def __rsub__(self, other):
        other = self._coerce(other)
        if other is None:
            return NotImplemented
        return other + (-self)

    def __mul__(self, other):
        if isinstance(other, (int, Fraction)) and not isinstance(other, bool):
            return Cyc._make(self.m, {k: c * other for k, c in self.terms.items()})
        other = self._coerce(other)
        if other is None:
            return NotImplemented
        m, out = self.m, {}
        for k1, c1 in self.terms.items():
            for k2, c2 in other.terms.items():
                k = (k1 + k2) % m
                out[k] = out.get(k, 0) + c1 * c2
        return Cyc._make(m, out)

    __rmul__ = __mul__

    def rotate(self, k: int) -> "Cyc":
        """self · ζ_M^k (cheap: exponents move)."""
        m = self.m
        return Cyc._make(m, {(j + k) % m: c for j, c in self.terms.items()})

    def conjugate(self) -> "Cyc":
        """ζ ↦ ζ⁻¹ (complex conjugation on ℚ(ζ_M))."""
        m = self.m
        return Cyc._make(m, {(-k) % m: c for k, c in self.terms.items()})

    # the canonical form
    def canonical(self) -> tuple:
        """The remainder mod Φ_M: φ(M) rationals, the coefficients of 1, ζ, …, ζ^{φ(M)−1}."""
        if self._canon is None:
            phi = _cyclotomic(self.m)
            deg = len(phi) - 1
            coeffs = [Fraction(0)] * max(self.m, 1)
            for k, c in self.terms.items():
                coeffs[k] += c
            for d in range(len(coeffs) - 1, deg - 1, -1):
                c = coeffs[d]
                if c:
                    for i, p in enumerate(phi):  # subtract c·x^{d−deg}·Φ_M (monic)
                        if p:
                            coeffs[d - deg + i] -= c * p
            self._canon = tuple(coeffs[:deg])
        return self._canon

    def is_zero(self) -> bool:
        return not any(self.canonical())

    def certainly_nonzero(self, digits: int = 30) -> bool:
        """Exact: a nonzero element of the field is a nonzero complex number."""
        return not self.is_zero()

    def __eq__(self, other):
        other = self._coerce(other) if not isinstance(other, Cyc) else other
        if other is None:
            return NotImplemented
        return self.m == other.m and self.canonical() == other.canonical()

    def __hash__(self):
        return hash((self.m, self.canonical()))

    def is_real(self) -> bool:
        return self == self.conjugate()

    def as_rational(self) -> Fraction | None:
        canon = self.canonical()
        if any(canon[1:]):
            return None
        return Fraction(canon[0]) if canon else Fraction(0)

    def as_exact(self):
        return self.as_rational()

    # views
    def sympy(self) -> sp.Expr:
        """Σ c_k e^{2πik/M} over the canonical form (SymPy simplifies i, −1 and √ where it can)."""
        m = self.m
        return sp.Add(*[
            sp.Rational(c.numerator, c.denominator) * sp.exp(2 * sp.pi * sp.I * sp.Rational(k, m))
            for k, c in enumerate(self.canonical()) if c
        ])

    def enclosure(self, ctx):
        """(real part, imaginary part) in the (interval) context ``ctx``."""
        re, im = ctx.mpf(0), ctx.mpf(0)
        m = self.m
        for k, c in enumerate(self.canonical()):
            if not c:
                continue
            angle = 2 * ctx.pi * k / m
            mag = ctx.mpf(c.numerator) / c.denominator
            re += mag * ctx.cos(angle)
            im += mag * ctx.sin(angle)
        return re, im

    def mpc(self, ctx):
        re, im = self.enclosure(ctx)
        return ctx.mpc(re, im)

    def __repr__(self):
        return f"Cyc({sp.sstr(self.sympy())})"
