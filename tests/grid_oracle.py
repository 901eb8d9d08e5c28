"""A fast independent oracle for the fuzzer: the definitions on a grid, with NumPy.

Every function-valued term becomes its samples on the grid x_j = j·h, |x_j| ≤ L, with
h = 1/60 (so the fuzzer's shifts, points and parameter values are grid points); δ(a) is
the grid spike of weight 1/h at a. Each operator is its definition discretised:

    (A * B)(x) = ∫ A(y) B(x − y) dy   →   h · Σ_k A(y_k) B(x − y_k)      (a discrete convolution)
    (A ⋆ B)(x) = ∫ conj A(y) B(x + y) dy   →   h · Σ_k conj A(y_k) B(x + y_k)
    A⁻(x) = A(−x) (the reversed samples),  τ(A, b)(x) = A(x − b) (samples moved by b/h),
    dᵏA/dxᵏ → the spectral derivative of the samples (exact for the leaves: their formula),
    A(p) → the sample at p,  ⟨A, B⟩ → h · Σ A·B

For smooth functions that decay well inside the window these Riemann sums converge
spectrally (Gaussians: errors far below 1e-9). Nothing here uses symconv's evaluator, its
normal form or its checker. A statement is confirmed false when both sides, paired with a
few test functions (and at a few points when no δ is involved), differ clearly.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy as sp

from symconv.language.terms import (
    At,
    Conj,
    Conv,
    Delta,
    Diff,
    Flip,
    Fn,
    Fourier,
    Inner,
    Modulate,
    Product,
    Scale,
    Shift,
    Xcorr,
)

H = Fraction(1, 60)
L = 12
N = int(L / H)
GRID = np.arange(-N, N + 1) * float(H)
X = sp.Symbol("x", real=True)


_MATRIX: list = []


def _fourier_matrix() -> np.ndarray:
    """e^{−iξ_j x_k} on the grid (made once)."""
    if not _MATRIX:
        _MATRIX.append(np.exp(-1j * np.outer(GRID, GRID)))
    return _MATRIX[0]


class NoRule(Exception):
    """The oracle has no rule for the term (it is not confirmed either way)."""


def _index(q) -> int:
    q = Fraction(q)
    steps = q / H
    if steps.denominator != 1 or abs(steps) > N:
        raise NoRule(f"{q} is not a grid point")
    return int(steps)


def _move(a: np.ndarray, steps: int) -> np.ndarray:
    """The samples moved right by ``steps`` (zeros come in)."""
    out = np.zeros_like(a)
    if steps >= 0:
        out[steps:] = a[: len(a) - steps]
    else:
        out[:steps] = a[-steps:]
    return out


class Grid:
    def __init__(self, functions: dict, params: dict):
        self.functions = functions
        self.params = {str(k): sp.Rational(v.numerator, v.denominator) if isinstance(v, Fraction) else sp.Rational(v)
                       for k, v in params.items()}
        self.memo: dict = {}
        k = np.fft.fftfreq(len(GRID), d=float(H)) * 2 * np.pi
        self.ik = 1j * k

    def number(self, e) -> Fraction:
        v = sp.sympify(e).subs({sp.Symbol(n, real=True): q for n, q in self.params.items()})
        v = v.subs({s: self.params[s.name] for s in v.free_symbols if s.name in self.params})
        if not v.is_Rational:
            raise NoRule(f"{e} is not a number here")
        return Fraction(int(v.p), int(v.q))

    def leaf(self, name: str, order: int = 0) -> np.ndarray:
        expr = sp.diff(self.functions[name], X, order)
        return sp.lambdify(X, expr, "numpy")(GRID) * np.ones_like(GRID)

    def samples(self, t) -> np.ndarray:
        if t in self.memo:
            return self.memo[t]
        out = self._samples(t)
        self.memo[t] = out
        return out

    def _samples(self, t) -> np.ndarray:
        if isinstance(t, Fn):
            return self.leaf(t.name)
        if isinstance(t, Delta):
            spike = np.zeros_like(GRID)
            spike[_index(self.number(t.point)) + N] = 1 / float(H)
            return spike
        if isinstance(t, Diff):
            k = int(self.number(t.order))
            if isinstance(t.arg, Fn):
                return self.leaf(t.arg.name, k)
            if _has_delta(t.arg):  # a spike has no accurate spectral derivative
                raise NoRule(f"the derivative of {t.arg}")
            src = self.samples(t.arg)
            out = np.fft.ifft(self.ik ** k * np.fft.fft(src))
            return out if np.iscomplexobj(src) else np.real(out)
        if isinstance(t, Flip):
            return self.samples(t.arg)[::-1].copy()
        if isinstance(t, Shift):
            return _move(self.samples(t.arg), _index(self.number(t.amount)))
        if isinstance(t, Conj):
            return np.conj(self.samples(t.args[0]))
        if isinstance(t, Product):
            return self.samples(t.left) * self.samples(t.right)
        if isinstance(t, Modulate):  # e^{iνx} A(x)
            return np.exp(1j * float(self.number(t.args[1])) * GRID) * self.samples(t.args[0])
        if isinstance(t, Scale):  # A(a x) for an integer a: every a-th sample
            a = self.number(t.args[1])
            if a.denominator != 1:
                raise NoRule(f"a dilation by {a}")
            if _has_delta(t.args[0]):  # every a-th sample keeps a spike's mass; δ(a x) = δ(x)/|a|
                raise NoRule(f"a dilation of a δ part: {t}")
            a = int(a)
            src = self.samples(t.args[0])
            idx = np.arange(-N, N + 1) * a
            out = np.zeros(len(GRID), dtype=src.dtype)
            inside = np.abs(idx) <= N
            out[inside] = src[idx[inside] + N]
            return out
        if isinstance(t, Fourier):  # ∫ A(x) e^{−iξx} dx at the grid's ξ, as a sum
            if t.args[1].name != "angular":
                raise NoRule("another convention")
            return _fourier_matrix() @ self.samples(t.args[0]) * float(H)
        if isinstance(t, Conv):  # Σ_k A(y_k) B(x − y_k): the centred part of the full convolution
            full = np.convolve(self.samples(t.left), self.samples(t.right)) * float(H)
            return full[N : N + len(GRID)]
        if isinstance(t, Xcorr):  # Σ_k conj A(y_k) B(x + y_k) = (conj(A)⁻ * B)(x)
            full = np.convolve(np.conj(self.samples(t.left))[::-1], self.samples(t.right)) * float(H)
            return full[N : N + len(GRID)]
        if isinstance(t, sp.Add):
            return sum(self.samples(a) for a in t.args)
        if isinstance(t, sp.Mul):
            funcs = [a for a in t.args if a.has(Fn, Delta)]
            if len(funcs) != 1:
                raise NoRule(str(t))
            return self.constant(sp.Mul(*[a for a in t.args if a is not funcs[0]])) * self.samples(funcs[0])
        raise NoRule(str(t))

    def scalar(self, t) -> float:
        if isinstance(t, At):
            return complex(self.samples(t.arg)[_index(self.number(t.point)) + N])
        if isinstance(t, Inner):
            return complex(np.dot(self.samples(t.args[0]), self.samples(t.args[1])) * float(H))
        if isinstance(t, sp.Add):
            return sum(self.scalar(a) for a in t.args)
        if isinstance(t, sp.Mul):
            out = 1.0
            for a in t.args:
                out *= self.scalar(a) if a.has(Fn, Delta) else self.constant(a)
            return out
        return self.constant(t)

    def constant(self, e) -> complex:
        v = sp.sympify(e).subs({s: self.params[s.name] for s in sp.sympify(e).free_symbols if s.name in self.params})
        if not v.is_number:
            raise NoRule(f"{e} is not a number here")
        return complex(v)


def _has_delta(t) -> bool:
    return any(isinstance(n, Delta) for n in sp.preorder_traversal(t))


TESTS = (sp.exp(-(X - sp.Rational(1, 5)) ** 2), X * sp.exp(-(X + sp.Rational(1, 3)) ** 2 / 2))
PROBES = (Fraction(3, 10), Fraction(-7, 10), Fraction(11, 10))


def compare(statement, functions: dict, params: dict):
    """Pairs (lhs, rhs) of numbers that the two sides of ``statement`` give on the grid."""
    g = Grid(functions, params)
    if statement.kind != "function":
        return [(g.scalar(statement.lhs), g.scalar(statement.rhs))]
    a, b = g.samples(statement.lhs), g.samples(statement.rhs)
    out = [(complex(np.dot(a, phi) * float(H)), complex(np.dot(b, phi) * float(H)))
           for phi in (sp.lambdify(X, e, "numpy")(GRID) for e in TESTS)]
    if not (_has_delta(statement.lhs) or _has_delta(statement.rhs)):
        out += [(complex(a[_index(p) + N]), complex(b[_index(p) + N])) for p in PROBES]
    return out
