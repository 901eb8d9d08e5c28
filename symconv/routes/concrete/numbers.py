"""Exact numbers for closed forms (no parsing, no ``integrate``).

:class:`Num` is an exact real number Σ r · π^{n/2} · √s · e^{q} (r, q rational, s a
square-free integer). Sums of such numbers are what closed forms of Gaussian and
exponential–polynomial integrals evaluate to. A :class:`Num` turns into a SymPy
expression (for people) or an mpmath interval (for certified comparisons). Polynomials
with :class:`Num` coefficients are tuples, lowest degree first.

π^{n/2}·√s for distinct (n, s) are linearly independent over ℚ, and so are e^{q} for
distinct rational q (Lindemann–Weierstrass), so a :class:`Num` is zero exactly when all
its coefficients are.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Iterable, Mapping

import sympy as sp

__all__ = ["ConcreteError", "Num", "rat", "size", "sympy_rational", "as_float", "ZERO", "ONE", "X"]
__all__ += ["poly_add", "poly_scale", "poly_mul", "poly_deriv", "poly_linear", "poly_at", "poly_sympy"]

#: The variable of printed closed forms.
X = sp.Symbol("x", real=True)

#: Bounds on sizes, so that nothing a user writes can make the arithmetic explode.
MAX_TERMS = 400
MAX_DEGREE = 40
MAX_INT = 10**30


class ConcreteError(ValueError):
    """An operation outside what the concrete families represent exactly (a value at a
    jump, a δ paired with a δ, a non-integrable piece, mixing the two families, …)."""


# --------------------------------------------------------------------------- rationals


def rat(value) -> Fraction:
    """A rational from an int, a Fraction, a SymPy Rational or a decimal/fraction string."""
    if isinstance(value, bool):
        raise ConcreteError(f"not a rational number: {value!r}")
    if isinstance(value, (int, Fraction)):
        return Fraction(value)
    if isinstance(value, sp.Rational):
        return Fraction(int(value.p), int(value.q))
    if isinstance(value, str):
        try:
            return Fraction(value.strip())
        except ValueError as exc:
            raise ConcreteError(f"not a rational number: {value!r}") from exc
    raise ConcreteError(f"not a rational number: {value!r}")


def size(q: Fraction) -> int:
    """How complicated a rational looks: 0 → 0, ±1 → 1, 2 and 1/2 → 2, 3/2 → 4, …"""
    return abs(q.numerator) + q.denominator - 1


def sympy_rational(q: Fraction) -> sp.Rational:
    return sp.Rational(q.numerator, q.denominator)


def _squarefree(n: int) -> tuple[int, int]:
    """n = k² · s with s square-free; returns (k, s)."""
    if n <= 0:
        raise ConcreteError(f"square root of a non-positive number {n}")
    if n > MAX_INT:
        raise ConcreteError("a number grew too large")
    k, s, p = 1, 1, 2
    while p * p <= n:
        while n % (p * p) == 0:
            n //= p * p
            k *= p
        if n % p == 0:
            n //= p
            s *= p
        p += 1
    return k, s * n


# --------------------------------------------------------------------------- exact numbers

_Key = tuple  # (n, s, q): π^{n/2} · √s · e^{q}
_ONE_KEY = (0, 1, Fraction(0))


class Num:
    """An exact real number Σ r · π^{n/2} · √s · e^{q} (immutable)."""

    __slots__ = ("_t",)

    def __init__(self, terms: Mapping[_Key, Fraction] | None = None):
        self._t = {k: Fraction(v) for k, v in (terms or {}).items() if v}
        if len(self._t) > MAX_TERMS:
            raise ConcreteError("an exact number grew too large")

    # constructors
    @staticmethod
    def of(value) -> "Num":
        if isinstance(value, Num):
            return value
        return Num({_ONE_KEY: rat(value)})

    @staticmethod
    def exp(q) -> "Num":
        return Num({(0, 1, rat(q)): Fraction(1)})

    @staticmethod
    def sqrt_pi_over(r) -> "Num":
        """√(π / r) for a rational r > 0."""
        r = rat(r)
        if r <= 0:
            raise ConcreteError("√(π/r) needs r > 0")
        k, s = _squarefree(r.numerator * r.denominator)
        return Num({(1, s, Fraction(0)): Fraction(k, r.numerator)})

    # structure
    def items(self):
        return sorted(self._t.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2]))

    def is_zero(self) -> bool:
        return not self._t

    def as_rational(self) -> Fraction | None:
        """The rational value when this number is rational, else None."""
        if not self._t:
            return Fraction(0)
        if set(self._t) == {_ONE_KEY}:
            return self._t[_ONE_KEY]
        return None

    # arithmetic
    def __add__(self, other):
        other = _num(other)
        if other is None:
            return NotImplemented
        out = dict(self._t)
        for k, v in other._t.items():
            out[k] = out.get(k, 0) + v
        return Num(out)

    __radd__ = __add__

    def __neg__(self):
        return Num({k: -v for k, v in self._t.items()})

    def __sub__(self, other):
        other = _num(other)
        if other is None:
            return NotImplemented
        return self + (-other)

    def __rsub__(self, other):
        other = _num(other)
        if other is None:
            return NotImplemented
        return other + (-self)

    def __mul__(self, other):
        if isinstance(other, (int, Fraction)) and not isinstance(other, bool):
            return Num({k: v * other for k, v in self._t.items()})
        other = _num(other)
        if other is None:
            return NotImplemented
        out: dict = {}
        for (n1, s1, q1), v1 in self._t.items():
            for (n2, s2, q2), v2 in other._t.items():
                k, s = _squarefree(s1 * s2)
                key = (n1 + n2, s, q1 + q2)
                out[key] = out.get(key, 0) + v1 * v2 * k
        return Num(out)

    __rmul__ = __mul__

    def __eq__(self, other):
        other = _num(other)
        if other is None:
            return NotImplemented
        return self._t == other._t

    def __hash__(self):
        return hash(frozenset(self._t.items()))

    def __repr__(self):
        return f"Num({sp.sstr(self.sympy())})"

    # views
    def sympy(self) -> sp.Expr:
        parts = []
        for (n, s, q), r in self.items():
            parts.append(sympy_rational(r) * sp.pi ** sp.Rational(n, 2) * sp.sqrt(s) * sp.exp(sympy_rational(q)))
        return sp.Add(*parts)

    def interval(self, ctx):
        """An mpmath interval (in the interval context ``ctx``) that contains the value."""
        total = ctx.mpf(0)
        for (n, s, q), r in self.items():
            term = ctx.mpf(r.numerator) / r.denominator
            if n:
                term *= ctx.sqrt(ctx.pi) ** n
            if s != 1:
                term *= ctx.sqrt(ctx.mpf(s))
            if q:
                term *= ctx.exp(ctx.mpf(q.numerator) / q.denominator)
            total += term
        return total

    def mpf(self, ctx):
        """The value as an mpmath number in the context ``ctx`` (not certified)."""
        total = ctx.mpf(0)
        for (n, s, q), r in self.items():
            term = ctx.mpf(r.numerator) / r.denominator
            if n:
                term *= ctx.sqrt(ctx.pi) ** n
            if s != 1:
                term *= ctx.sqrt(s)
            if q:
                term *= ctx.exp(ctx.mpf(q.numerator) / q.denominator)
            total += term
        return total


def as_float(value) -> float:
    from mpmath.ctx_mp import MPContext

    ctx = MPContext()
    ctx.dps = 20
    return float(Num.of(value).mpf(ctx))


def _num(value) -> Num | None:
    if isinstance(value, Num):
        return value
    if isinstance(value, (int, Fraction)) and not isinstance(value, bool):
        return Num.of(value)
    return None


ZERO = Num()
ONE = Num.of(1)


# --------------------------------------------------------------------------- polynomials
# Dense, lowest degree first; coefficients are Num or Fraction (they mix freely).


def _trim(p: Iterable) -> tuple:
    p = list(p)
    while p and (p[-1] == 0):
        p.pop()
    if len(p) > MAX_DEGREE + 1:
        raise ConcreteError(f"a polynomial degree exceeds {MAX_DEGREE}")
    return tuple(p)


def poly_add(p: tuple, q: tuple) -> tuple:
    n = max(len(p), len(q))
    return _trim(
        (p[i] if i < len(p) else 0) + (q[i] if i < len(q) else 0) for i in range(n)
    )


def poly_scale(p: tuple, c) -> tuple:
    return _trim(a * c for a in p)


def poly_mul(p: tuple, q: tuple) -> tuple:
    if not p or not q:
        return ()
    out = [0] * (len(p) + len(q) - 1)
    for i, a in enumerate(p):
        for j, b in enumerate(q):
            out[i + j] = out[i + j] + a * b
    return _trim(out)


def poly_deriv(p: tuple) -> tuple:
    return _trim(p[i] * i for i in range(1, len(p)))


def poly_linear(p: tuple, alpha: Fraction, beta: Fraction) -> tuple:
    """p(αx + β)."""
    out: tuple = ()
    for c in reversed(p):
        out = poly_add(poly_mul(out, (beta, alpha)), (c,))
    return out


def poly_at(p: tuple, x0: Fraction) -> Num:
    acc = ZERO
    for c in reversed(p):
        acc = acc * x0 + c
    return Num.of(acc) if not isinstance(acc, Num) else acc


def poly_num(p: tuple) -> tuple:
    return tuple(Num.of(c) for c in p)


def poly_sympy(p: tuple, x: sp.Expr) -> sp.Expr:
    return sp.Add(*[Num.of(c).sympy() * x**i for i, c in enumerate(p)])


def poly_size(p: tuple) -> int:
    total = 0
    for i, c in enumerate(p):
        n = Num.of(c)
        if n.is_zero():
            continue
        r = n.as_rational()
        total += 2 * i + (size(r) if r is not None else 4 + len(n.items()))
    return total


