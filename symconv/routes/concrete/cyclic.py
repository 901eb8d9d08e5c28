"""Witness functions on ℤ/n: arrays of n exact values in ℚ(ζ_M), M = lcm(n, 4).

Every operation of the language that has a meaning on ℤ/n is a finite sum from its
definition, indices taken mod n: (f * g)(x) = Σ_y f(y) g(x − y), (f ⋆ g)(x) =
Σ_y conj(f(y)) g(x + y), τ(f, b)(x) = f(x − b), f⁻(x) = f(−x), the pointwise product,
modulate(f, k)(x) = e^{2πikx/n} f(x), conj, Σ_x f(x), δ the Kronecker delta, and the DFT
𝓕f(k) = A Σ_x f(x) e^{−2πikx/n} with its inverse (1/(nA)) Σ_k F(k) e^{2πikx/n}. The values
are :class:`~symconv.routes.concrete.cyclotomic.Cyc`, so every equality and every
"≠ 0" is exact (no floating point).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import sympy as sp

from symconv.routes.concrete.cyclotomic import Cyc, field_order
from symconv.routes.concrete.laurent import ConcreteError

__all__ = ["CyclicFn", "cyclic"]


@dataclass(frozen=True)
class CyclicFn:
    """f: ℤ/n → ℚ(ζ_M) as the tuple (f(0), …, f(n − 1))."""

    n: int
    values: tuple

    family = "cyclic"

    @property
    def m(self) -> int:
        return field_order(self.n)

    @staticmethod
    def make(n: int, values) -> "CyclicFn":
        m = field_order(n)
        vals = tuple(Cyc.of(m, v) for v in values)
        if len(vals) != n:
            raise ConcreteError(f"a function on ℤ/{n} has {n} values, not {len(vals)}")
        return CyclicFn(n, vals)

    @staticmethod
    def zero(n: int) -> "CyclicFn":
        return CyclicFn.make(n, [0] * n)

    @staticmethod
    def delta(n: int, point: int) -> "CyclicFn":
        return CyclicFn.make(n, [1 if x == point % n else 0 for x in range(n)])

    def _with(self, values) -> "CyclicFn":
        return CyclicFn(self.n, tuple(values))

    def _same(self, other: "CyclicFn") -> None:
        if not isinstance(other, CyclicFn) or other.n != self.n:
            raise ConcreteError("functions on two different groups ℤ/n are not mixed")

    # structure
    def is_zero(self) -> bool:
        return all(v.is_zero() for v in self.values)

    def is_real(self) -> bool:
        return all(v.is_real() for v in self.values)

    def __eq__(self, other):
        return isinstance(other, CyclicFn) and self.n == other.n and self.values == other.values

    def __hash__(self):
        return hash((self.n, self.values))

    def __add__(self, other: "CyclicFn") -> "CyclicFn":
        self._same(other)
        return self._with(a + b for a, b in zip(self.values, other.values))

    def scale(self, c) -> "CyclicFn":
        return self._with(v * c for v in self.values)

    # the operations
    def shift(self, b: int) -> "CyclicFn":
        n = self.n
        return self._with(self.values[(x - b) % n] for x in range(n))

    def flip(self) -> "CyclicFn":
        n = self.n
        return self._with(self.values[(-x) % n] for x in range(n))

    def conj(self) -> "CyclicFn":
        return self._with(v.conjugate() for v in self.values)

    def _nonzero(self) -> list:
        return [(y, v) for y, v in enumerate(self.values) if v.terms]

    def conv(self, other: "CyclicFn") -> "CyclicFn":
        self._same(other)
        n, out = self.n, [Cyc.of(self.m, 0)] * self.n
        for y, a in self._nonzero():
            for z, b in other._nonzero():
                out[(y + z) % n] = out[(y + z) % n] + a * b
        return self._with(out)

    def xcorr(self, other: "CyclicFn") -> "CyclicFn":
        self._same(other)
        n, out = self.n, [Cyc.of(self.m, 0)] * self.n
        for y, a in self._nonzero():
            ca = a.conjugate()
            for z, b in other._nonzero():
                out[(z - y) % n] = out[(z - y) % n] + ca * b
        return self._with(out)

    def times(self, other: "CyclicFn") -> "CyclicFn":
        self._same(other)
        return self._with(a * b for a, b in zip(self.values, other.values))

    def modulate(self, k: int) -> "CyclicFn":
        """e^{2πikx/n} f(x) = ζ_M^{(M/n)kx} f(x)."""
        step = self.m // self.n
        return self._with(v.rotate(step * k * x) for x, v in enumerate(self.values))

    def transform(self, scale, sign: int) -> "CyclicFn":
        """k ↦ scale · Σ_x f(x) e^{sign·2πikx/n} (the DFT for sign −1, unnormalised inverse
        for +1)."""
        n, step = self.n, self.m // self.n
        out = []
        nonzero = self._nonzero()
        for k in range(n):
            total = Cyc.of(self.m, 0)
            for x, v in nonzero:
                total = total + v.rotate(sign * step * k * x)
            out.append(total * scale)
        return self._with(out)

    def value(self, point: int) -> Cyc:
        return self.values[point % self.n]

    def integral(self) -> Cyc:
        total = Cyc.of(self.m, 0)
        for v in self.values:
            total = total + v
        return total

    # what a search needs
    def is_even(self) -> bool:
        return self.flip() == self

    def complexity(self) -> int:
        total = self.n
        for x, v in enumerate(self.values):
            if not v.is_zero():
                r = v.as_rational()
                total += 1 + x + (abs(r.numerator) + r.denominator - 1 + (r < 0) if r is not None else 3)
        return total

    def centers(self) -> tuple:
        return tuple(Fraction(x) for x, v in enumerate(self.values) if not v.is_zero())

    def text(self) -> str:
        """``[1, 2, 0, 0]``: f(0), …, f(n − 1)."""
        return "[" + ", ".join(sp.sstr(v.sympy()) if not v.is_zero() else "0" for v in self.values) + "]"

    def expr(self, x=None) -> str:
        return self.text()


def cyclic(values) -> CyclicFn:
    """A function on ℤ/len(values) (entries ints, Fractions or (re, im) pairs)."""
    return CyclicFn.make(len(values), [v if isinstance(v, tuple) else Fraction(v) for v in values])
