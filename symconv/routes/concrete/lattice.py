"""Witness functions on ℤⁿ: finitely supported sequences (n = 1) and arrays (n = 2, 3).

A :class:`LatticeFn` stores its nonzero values, exact :class:`~symconv.routes.concrete.numbers.Num`
(integers or Gaussian integers for the witnesses a search proposes; a modulation
e^{iν·x} brings in e^{iθ} for rational θ). Every operation of the language that has a
meaning on ℤⁿ is a finite sum computed from its definition — (f * g)(x) = Σ_y f(y) g(x − y),
(f ⋆ g)(x) = Σ_y conj(f(y)) g(x + y), τ(f, b)(x) = f(x − b), f⁻(x) = f(−x), the pointwise
product, e^{iν·x} f(x), conj, Σ_x f(x), δ the Kronecker delta, and the sampling of a
strided layer: downsample(f, s)(x) = f(s x), upsample(f, s)(x) = f(x/s) where s divides
every coordinate of x and 0 elsewhere. Values are exact, so ``is_zero`` is exact for the
integer and Gaussian-integer witnesses (and every certified "≠ 0" comes from intervals).

:class:`LatticePoly` is x ↦ p(x) on ℤ (the identity function ``id``): not finitely
supported, so it is only multiplied (``mul(id, f)`` is x·f(x), a :class:`LatticeFn`).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Iterable

import sympy as sp

from symconv.routes.concrete.laurent import ConcreteError, Laurent
from symconv.routes.concrete.numbers import (
    I_UNIT,
    Num,
    poly_add,
    poly_at,
    poly_linear,
    poly_mul,
    poly_scale,
)

__all__ = ["LatticeFn", "LatticePoly", "Gauss", "lattice", "value_of", "MAX_ENTRIES", "index_text"]

#: The most nonzero values a sequence may have (the sums are quadratic in it).
MAX_ENTRIES = 4_000

Index = tuple  # of ints


def _add(a: Index, b: Index) -> Index:
    return tuple(i + j for i, j in zip(a, b))


def _sub(a: Index, b: Index) -> Index:
    return tuple(i - j for i, j in zip(a, b))


def index_text(i: Index) -> str:
    """``3`` on ℤ, ``(1, -2)`` on ℤ²."""
    return str(i[0]) if len(i) == 1 else "(" + ", ".join(map(str, i)) + ")"


def _value_text(v: Num) -> str:
    return sp.sstr(v.sympy())


class Gauss:
    """A Gaussian rational re + i·im (immutable): the values of integer and Gaussian-integer
    witnesses and of their sums and products, with cheap exact arithmetic. Anything else
    (e^{iθ} from a modulation, π from a constant) makes it a :class:`Num`."""

    __slots__ = ("re", "im")

    def __init__(self, re=0, im=0):
        self.re, self.im = re, im

    def to_num(self) -> Num:
        return Num.of(self.re) + I_UNIT * Fraction(self.im) if self.im else Num.of(self.re)

    def _coerce(self, other):
        if isinstance(other, Gauss):
            return other
        if isinstance(other, (int, Fraction)) and not isinstance(other, bool):
            return Gauss(other, 0)
        return None

    def __add__(self, other):
        o = self._coerce(other)
        if o is None:
            return self.to_num() + other if isinstance(other, Num) else NotImplemented
        return Gauss(self.re + o.re, self.im + o.im)

    __radd__ = __add__

    def __neg__(self):
        return Gauss(-self.re, -self.im)

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return (-self) + other

    def __mul__(self, other):
        o = self._coerce(other)
        if o is None:
            return self.to_num() * other if isinstance(other, Num) else NotImplemented
        return Gauss(self.re * o.re - self.im * o.im, self.re * o.im + self.im * o.re)

    __rmul__ = __mul__

    def conjugate(self) -> "Gauss":
        return Gauss(self.re, -self.im)

    def is_zero(self) -> bool:
        return not self.re and not self.im

    def certainly_nonzero(self, digits: int = 30) -> bool:
        return not self.is_zero()

    def is_real(self) -> bool:
        return not self.im

    def as_rational(self) -> Fraction | None:
        return Fraction(self.re) if not self.im else None

    def as_exact(self):
        return self.as_rational()

    def __eq__(self, other):
        if isinstance(other, Num):
            return self.to_num() == other
        o = self._coerce(other)
        return o is not None and self.re == o.re and self.im == o.im

    def __hash__(self):
        return hash(self.to_num())

    def sympy(self):
        return sp.Rational(self.re) + sp.I * sp.Rational(self.im)

    def enclosure(self, ctx):
        return self.to_num().enclosure(ctx)

    def mpc(self, ctx):
        return self.to_num().mpc(ctx)

    def __repr__(self):
        return f"Gauss({self.re}, {self.im})"


def _plain(q):
    """An int when the rational is one (int arithmetic is much cheaper than Fraction's)."""
    q = Fraction(q)
    return q.numerator if q.denominator == 1 else q


def value_of(v):
    """A value of a sequence: a :class:`Gauss` for ints, Fractions and (re, im) pairs, a
    :class:`Num` kept as is."""
    if isinstance(v, (Gauss, Num)):
        return v
    if isinstance(v, tuple):
        return Gauss(_plain(v[0]), _plain(v[1]))
    return Gauss(_plain(v), 0)


_ONE = Gauss(1, 0)


def _phase(theta):
    """e^{iθ} for a rational θ."""
    theta = Fraction(theta)
    return _ONE if not theta else Num.exp(Laurent.imaginary(theta))


@dataclass(frozen=True)
class LatticeFn:
    """A finitely supported function ℤⁿ → ℂ: ``entries`` are sorted (index, value) pairs,
    values nonzero :class:`Num`."""

    dim: int
    entries: tuple

    family = "lattice"

    @staticmethod
    def make(dim: int, pairs: Iterable) -> "LatticeFn":
        acc: dict = {}
        for idx, v in pairs:
            idx = tuple(int(i) for i in idx)
            if len(idx) != dim:
                raise ConcreteError(f"the index {idx} is not a point of ℤ^{dim}")
            acc[idx] = acc[idx] + v if idx in acc else value_of(v)
        items = tuple(sorted((i, v) for i, v in acc.items() if not v.is_zero()))
        if len(items) > MAX_ENTRIES:
            raise ConcreteError(f"a sequence grew beyond {MAX_ENTRIES} nonzero values")
        return LatticeFn(dim, items)

    @staticmethod
    def delta(point: Index) -> "LatticeFn":
        return LatticeFn.make(len(point), [(point, _ONE)])

    # structure
    def as_dict(self) -> dict:
        return dict(self.entries)

    def is_zero(self) -> bool:
        return not self.entries

    def is_real(self) -> bool:
        return all(v.is_real() for _, v in self.entries)

    def support(self) -> list:
        return [i for i, _ in self.entries]

    def bounds(self):
        """Per axis (lowest, highest) index of a nonzero value; None for 0."""
        if not self.entries:
            return None
        return tuple((min(i[a] for i, _ in self.entries), max(i[a] for i, _ in self.entries)) for a in range(self.dim))

    # linear structure
    def __add__(self, other: "LatticeFn") -> "LatticeFn":
        _same(self, other)
        return LatticeFn.make(self.dim, self.entries + other.entries)

    def scale(self, c) -> "LatticeFn":
        return LatticeFn.make(self.dim, ((i, v * c) for i, v in self.entries))

    # the operations
    def shift(self, b: Index) -> "LatticeFn":
        return LatticeFn.make(self.dim, ((_add(i, b), v) for i, v in self.entries))

    def flip(self) -> "LatticeFn":
        return LatticeFn.make(self.dim, ((tuple(-k for k in i), v) for i, v in self.entries))

    def conj(self) -> "LatticeFn":
        return LatticeFn.make(self.dim, ((i, v.conjugate()) for i, v in self.entries))

    def conv(self, other: "LatticeFn") -> "LatticeFn":
        """Σ_y f(y) g(x − y): f(y) g(z) lands at y + z."""
        _same(self, other)
        return LatticeFn.make(self.dim, ((_add(y, z), a * b) for y, a in self.entries for z, b in other.entries))

    def xcorr(self, other: "LatticeFn") -> "LatticeFn":
        """Σ_y conj(f(y)) g(x + y): conj(f(y)) g(z) lands at z − y."""
        _same(self, other)
        return LatticeFn.make(
            self.dim, ((_sub(z, y), a.conjugate() * b) for y, a in self.entries for z, b in other.entries)
        )

    def times(self, other: "LatticeFn") -> "LatticeFn":
        _same(self, other)
        theirs = other.as_dict()
        return LatticeFn.make(self.dim, ((i, v * theirs[i]) for i, v in self.entries if i in theirs))

    def modulate(self, nu: tuple) -> "LatticeFn":
        """e^{iν·x} f(x)."""
        return LatticeFn.make(
            self.dim, ((i, v * _phase(sum(Fraction(n) * k for n, k in zip(nu, i)))) for i, v in self.entries)
        )

    def value(self, point: Index):
        return self.as_dict().get(tuple(point), Gauss())

    def integral(self):
        """Σ_x f(x)."""
        total = Gauss()
        for _, v in self.entries:
            total = total + v
        return total

    def downsample(self, s: int) -> "LatticeFn":
        """x ↦ f(s x): the values at multiples of s, compressed."""
        return LatticeFn.make(
            self.dim, ((tuple(k // s for k in i), v) for i, v in self.entries if all(k % s == 0 for k in i))
        )

    def upsample(self, s: int) -> "LatticeFn":
        """x ↦ f(x/s) where s divides every coordinate of x, 0 elsewhere."""
        return LatticeFn.make(self.dim, ((tuple(k * s for k in i), v) for i, v in self.entries))

    # what a search needs
    def is_even(self) -> bool:
        return self.flip() == self

    def complexity(self) -> int:
        total = 0
        for i, v in self.entries:
            r = v.as_rational()
            total += 1 + sum(abs(k) for k in i) + (abs(r.numerator) + r.denominator - 1 + (r < 0) if r is not None else 3)
        return total

    def centers(self) -> tuple:
        """Every coordinate of every point of the support (the search prefers few negative ones)."""
        return tuple(Fraction(k) for i, _ in self.entries for k in i)

    def text(self) -> str:
        """``{0: 1, 1: -2}`` on ℤ, ``{(0, 0): 1, (0, 1): I}`` on ℤ² (zero elsewhere)."""
        return "{" + ", ".join(f"{index_text(i)}: {_value_text(v)}" for i, v in self.entries) + "}"

    def expr(self, x=None) -> str:
        return self.text()


@dataclass(frozen=True)
class LatticePoly:
    """x ↦ p(x) on ℤ with Num coefficients (lowest first): ``id`` and what shifts and
    flips make of it. Only multiplied: a product with a sequence is a sequence."""

    coeffs: tuple
    dim: int = 1

    family = "lattice-polynomial"

    @staticmethod
    def make(coeffs) -> "LatticePoly":
        return LatticePoly(poly_add(tuple(Num.of(c) for c in coeffs), ()))

    def is_zero(self) -> bool:
        return not self.coeffs

    def is_real(self) -> bool:
        return all(Num.of(c).is_real() for c in self.coeffs)

    def __add__(self, other):
        if not isinstance(other, LatticePoly):
            raise ConcreteError("x ↦ x plus a finitely supported sequence is not in the witness families")
        return LatticePoly.make(poly_add(self.coeffs, other.coeffs))

    def scale(self, c) -> "LatticePoly":
        return LatticePoly.make(poly_scale(self.coeffs, c))

    def shift(self, b: Index) -> "LatticePoly":
        return LatticePoly.make(poly_linear(self.coeffs, Fraction(1), -Fraction(b[0])))

    def flip(self) -> "LatticePoly":
        return LatticePoly.make(poly_linear(self.coeffs, Fraction(-1), Fraction(0)))

    def conj(self) -> "LatticePoly":
        return LatticePoly.make(tuple(Num.of(c).conjugate() for c in self.coeffs))

    def times(self, other):
        if isinstance(other, LatticePoly):
            return LatticePoly.make(poly_mul(self.coeffs, other.coeffs))
        return LatticeFn.make(other.dim, ((i, v * poly_at(self.coeffs, Fraction(i[0]))) for i, v in other.entries))

    def value(self, point: Index) -> Num:
        return poly_at(self.coeffs, Fraction(point[0]))

    def _refuse(self, *args):
        raise ConcreteError("x ↦ x is not finitely supported: only its products are in the witness families")

    conv = xcorr = modulate = downsample = upsample = _refuse

    def integral(self):
        raise ConcreteError("Σ x over ℤ does not converge")


def _same(a, b) -> None:
    if isinstance(a, LatticePoly) or isinstance(b, LatticePoly):
        raise ConcreteError("x ↦ x is not finitely supported: only its products are in the witness families")
    if a.dim != b.dim:
        raise ConcreteError("sequences of different dimensions")


def lattice(values, start=0) -> LatticeFn:
    """A sequence from a list (``lattice([1, 2], start=-1)``: f(−1) = 1, f(0) = 2) or from a
    dict of indices (ints or tuples) to values (ints, Fractions, (re, im) pairs or Num)."""

    if isinstance(values, dict):
        pairs = [((i,) if isinstance(i, int) else tuple(i), value_of(v)) for i, v in values.items()]
        dim = len(pairs[0][0]) if pairs else 1
        return LatticeFn.make(dim, pairs)
    return LatticeFn.make(1, (((start + k,), value_of(v)) for k, v in enumerate(values)))
