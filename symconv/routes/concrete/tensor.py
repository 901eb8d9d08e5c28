"""Witness functions on ℝⁿ (n ≥ 2): sums of products of one-dimensional ones.

A :class:`TensorFn` is Σ_j c_j · a_j1(x_1) ⋯ a_jn(x_n) with each factor a
:class:`~symconv.routes.concrete.functions.Distribution` of one variable (a Gaussian–
polynomial, or δ). Products of one-dimensional functions are closed under everything the
language does on ℝⁿ, axis by axis: convolution and cross-correlation (∫_{ℝⁿ} is the product
of the integrals over each axis), shifts, flips, δ at a point, modulations e^{iν·x} with a
vector ν, dilations x ↦ A(s x) by a number, the pointwise product, conj, ∫, values and the
n-dimensional Fourier transform A^n ∫ f(x) e^{−iBω·x} dx. So every term has an exact closed
form from the one-dimensional ones (:mod:`symconv.routes.concrete.evaluate`), and the
coefficients c_j are exact :class:`~symconv.routes.concrete.numbers.Num`.

A sum of products is not written in one canonical way (a⊗b + a⊗c = a⊗(b + c)), so
``is_zero`` is only True for the empty sum: every "≠ 0" is certified at a point.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Iterable

import sympy as sp

from symconv.routes.concrete import evaluate as one
from symconv.routes.concrete.functions import Distribution
from symconv.routes.concrete.laurent import ConcreteError
from symconv.routes.concrete.numbers import ONE, ZERO, Num

__all__ = ["TensorFn", "tensor", "MAX_TENSOR_TERMS", "AXES"]

#: The most products a tensor function may have.
MAX_TENSOR_TERMS = 200
#: The names of the variables of ℝⁿ in witnesses (x, y, z).
AXES = ("x", "y", "z")


@dataclass(frozen=True)
class TensorFn:
    """Σ c · Π_d factor_d: ``terms`` are (Num, (Distribution, …)) pairs, one factor per axis."""

    dim: int
    terms: tuple

    family = "tensor"

    @staticmethod
    def make(dim: int, pairs: Iterable) -> "TensorFn":
        acc: dict = {}
        for c, factors in pairs:
            factors = tuple(factors)
            if len(factors) != dim:
                raise ConcreteError(f"a function on ℝ^{dim} needs {dim} factors")
            c = Num.of(c)
            if c.is_zero() or any(f.is_zero() for f in factors):
                continue
            acc[factors] = acc[factors] + c if factors in acc else c
        items = tuple((c, f) for f, c in acc.items() if not c.is_zero())
        if len(items) > MAX_TENSOR_TERMS:
            raise ConcreteError(f"a function on ℝ^{dim} grew beyond {MAX_TENSOR_TERMS} products")
        return TensorFn(dim, items)

    @staticmethod
    def product(factors) -> "TensorFn":
        factors = tuple(f if isinstance(f, Distribution) else Distribution.make(f) for f in factors)
        return TensorFn.make(len(factors), [(ONE, factors)])

    @staticmethod
    def delta(point) -> "TensorFn":
        return TensorFn.product([Distribution.delta(p) for p in point])

    # structure
    def is_zero(self) -> bool:
        return not self.terms

    def is_real(self) -> bool:
        return all(c.is_real() and all(f.is_real() for f in fs) for c, fs in self.terms)

    @property
    def deltas(self) -> bool:
        """True when some factor has a δ part (then the function has no value everywhere)."""
        return any(f.deltas for _, fs in self.terms for f in fs)

    @property
    def smooth(self):
        return None if self.deltas else self

    def _map(self, fn) -> "TensorFn":
        return TensorFn.make(self.dim, ((c, tuple(fn(d, f) for d, f in enumerate(fs))) for c, fs in self.terms))

    def _pairs(self, other: "TensorFn", fn, conj_left: bool = False) -> "TensorFn":
        if self.dim != other.dim:
            raise ConcreteError("functions on spaces of different dimensions")
        out = []
        for c1, f1 in self.terms:
            c1 = c1.conjugate() if conj_left else c1
            for c2, f2 in other.terms:
                out.append((c1 * c2, tuple(fn(a, b) for a, b in zip(f1, f2))))
        return TensorFn.make(self.dim, out)

    def __add__(self, other: "TensorFn") -> "TensorFn":
        return TensorFn.make(self.dim, self.terms + other.terms)

    def scale(self, c) -> "TensorFn":
        return TensorFn.make(self.dim, ((k * c, fs) for k, fs in self.terms))

    # the operations, axis by axis
    def shift(self, b: tuple) -> "TensorFn":
        return self._map(lambda d, f: f.shift(b[d]))

    def flip(self) -> "TensorFn":
        return self._map(lambda d, f: f.flip())

    def conj(self) -> "TensorFn":
        return TensorFn.make(self.dim, ((c.conjugate(), tuple(f.conj() for f in fs)) for c, fs in self.terms))

    def conv(self, other: "TensorFn") -> "TensorFn":
        return self._pairs(other, one.conv)

    def xcorr(self, other: "TensorFn") -> "TensorFn":
        # conj of a product is the product of the conjugates: the coefficient too
        return self._pairs(other, one.xcorr, conj_left=True)

    def times(self, other: "TensorFn") -> "TensorFn":
        return self._pairs(other, one.product)

    def dilate(self, s) -> "TensorFn":
        return self._map(lambda d, f: f.dilate(s))

    def modulate(self, nu: tuple) -> "TensorFn":
        return self._map(lambda d, f: f.modulate(nu[d]))

    def transform(self, scale: Num, rate, sign: int) -> "TensorFn":
        """ω ↦ scaleⁿ ∫ A(x) e^{sign·i·rate·ω·x} dx, axis by axis (``scale`` per axis)."""
        return self._map(lambda d, f: one.transform(f, scale, rate, sign))

    def value(self, point: tuple) -> Num:
        total = ZERO
        for c, fs in self.terms:
            part = c
            for f, p in zip(fs, point):
                part = part * f.value(p)
            total = total + part
        return total

    def inner(self, other: "TensorFn") -> Num:
        total = ZERO
        for c1, f1 in self.terms:
            for c2, f2 in other.terms:
                part = c1 * c2
                for a, b in zip(f1, f2):
                    part = part * one.inner(a, b)
                total = total + part
        return total

    def integral(self) -> Num:
        total = ZERO
        for c, fs in self.terms:
            part = c
            for f in fs:
                part = part * one.integral(f)
            total = total + part
        return total

    def singular_points(self) -> tuple:
        return ()

    def canonical(self) -> dict | None:
        """The function in the basis of products of one-dimensional elements — xᵏ e^{−a(x−c)²
        + iνx} and δ⁽ᵏ⁾(x − p) on each axis, linearly independent, so that the products are
        too — as {basis element: coefficient}; None when a factor is not a Gaussian sum."""
        out: dict = {}
        for c, fs in self.terms:
            axes = []
            for f in fs:
                elements = [(("δ", p, k), v) for (p, k), v in f.deltas]
                if f.smooth is not None:
                    if f.smooth.family != "gaussian":
                        return None
                    for (a, centre, nu), poly in f.smooth.terms:
                        elements += [(("g", a, centre, nu, k), Num.of(v)) for k, v in enumerate(poly) if v != 0]
                axes.append(elements)
            for combo in itertools.product(*axes):
                key = tuple(e for e, _ in combo)
                value = c
                for _, v in combo:
                    value = value * v
                out[key] = out[key] + value if key in out else value
        return {k: v for k, v in out.items() if not v.is_zero()}

    def is_exactly_zero(self) -> bool:
        """True when the function is 0 (exact, in the canonical basis); False says nothing."""
        return self.canonical() == {}

    # what a search needs
    def is_even(self) -> bool:
        return self.flip() == self

    def complexity(self) -> int:
        return sum(1 + sum(f.complexity() for f in fs) for _, fs in self.terms)

    def centers(self) -> tuple:
        return tuple(c for _, fs in self.terms for f in fs if f.smooth is not None for c in f.smooth.centers())

    def expr(self, variables=None) -> sp.Expr:
        xs = variables or [sp.Symbol(a, real=True) for a in AXES[: self.dim]]
        return sp.Add(*[c.sympy() * sp.Mul(*[f.expr(x) for f, x in zip(fs, xs)]) for c, fs in self.terms])

    def numeric_np(self):
        """(y_1, …, y_n) ↦ the value, vectorised over arrays of the same shape (δ parts
        are not functions and are refused)."""
        if self.deltas:
            raise ConcreteError("a δ has no values to integrate numerically")
        from mpmath.ctx_mp import MPContext

        ctx = MPContext()
        ctx.dps = 20
        parts = [(complex(c.mpc(ctx)), [f.smooth.numeric_np() for f in fs]) for c, fs in self.terms]

        def fn(*ys):
            total = 0j
            for c, fns in parts:
                term = c
                for g, y in zip(fns, ys):
                    term = term * g(y)
                total = total + term
            return total

        return fn

    def support(self) -> list:
        """Per axis, an interval outside which every factor is negligible."""
        out = []
        for d in range(self.dim):
            los, his = zip(*(fs[d].smooth.support() for _, fs in self.terms))
            out.append((min(los), max(his)))
        return out


def tensor(*factors) -> TensorFn:
    """The product of one-dimensional witness functions, one per axis."""
    return TensorFn.product(factors)
