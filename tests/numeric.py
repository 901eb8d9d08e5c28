"""An independent numeric evaluator for the tests: quadrature of the definitions.

Each abstract function is a concrete Gaussian–polynomial; a term is evaluated at a point
by mpmath quadrature of its defining integrals, with derivatives taken under the
integral sign. Nothing here uses the Fourier normal form or any symconv algebra.
"""

from __future__ import annotations

import math

import mpmath
import sympy as sp

from symconv.language.terms import At, Conv, Delta, Diff, Flip, Fn, Inner, Shift, Xcorr

_x = sp.Symbol("x", real=True)
#: Every test function decays like e^{-x²/2} or faster and is centred within 1 of 0, so
#: nothing beyond |y| = 14 contributes at double precision.
_BREAKS = [-14.0, -3.0, 0.0, 3.0, 14.0]


def _quad(fun) -> float:
    # tanh-sinh of degree at most 4 on four pieces: error below 1e-10 on these integrands
    return mpmath.fp.quad(fun, _BREAKS, maxdegree=4)


def gaussian(p0, p1, a, c):
    """(p0 + p1 (x − c)) e^{−a (x − c)²} as a SymPy expression in x."""
    return (p0 + p1 * (_x - c)) * sp.exp(-a * (_x - c) ** 2)


class Evaluator:
    def __init__(self, functions: dict[str, sp.Expr], params: dict | None = None):
        self.functions = functions
        self.params = {str(k): v for k, v in (params or {}).items()}
        self._derivs = {}
        self._numbers = {}

    def _fn(self, name: str, m: int):
        key = (name, m)
        if key not in self._derivs:
            expr = sp.diff(self.functions[name], _x, m)
            self._derivs[key] = sp.lambdify(_x, expr, "math")
        return self._derivs[key]

    def _num(self, expr) -> float:
        if expr not in self._numbers:
            values = {s: self.params[s.name] for s in expr.free_symbols}
            self._numbers[expr] = float(expr.subs(values))
        return self._numbers[expr]

    def value(self, term, x: float, m: int = 0) -> float:
        """The m-th derivative of the function-valued ``term`` at x (or a scalar term)."""
        if isinstance(term, Fn):
            return self._fn(term.name, m)(x)
        if isinstance(term, Conv):
            return _quad(lambda y: self.value(term.left, y) * self.value(term.right, x - y, m))
        if isinstance(term, Xcorr):
            return _quad(lambda y: self.value(term.left, y) * self.value(term.right, x + y, m))
        if isinstance(term, Flip):
            return (-1) ** m * self.value(term.arg, -x, m)
        if isinstance(term, Shift):
            return self.value(term.arg, x - self._num(term.amount), m)
        if isinstance(term, Diff):
            return self.value(term.arg, x, m + int(self._num(term.order)))
        if isinstance(term, sp.Add):
            return sum(self.value(t, x, m) for t in term.args)
        if isinstance(term, sp.Mul):
            total = 1.0
            for t in term.args:
                total *= self.value(t, x, m) if t.has(Fn) else self._num(t)
            return total
        if isinstance(term, At):
            return self.value(term.arg, self._num(term.point), m)
        if isinstance(term, Inner):
            a, b = term.args
            return _quad(lambda y: self.value(a, y) * self.value(b, y))
        if isinstance(term, Delta):
            raise ValueError("a δ has no value at a point")
        return self._num(term)


def close(u: float, v: float, tol: float = 1e-7) -> bool:
    return math.isclose(u, v, rel_tol=tol, abs_tol=tol)
