"""An independent numeric reading of the term language, for tests only.

Nothing here uses symconv's evaluator, its numeric closures or its replay: concrete
functions come in as SymPy expressions (made by the tests' own data objects) and are
turned into mpmath callables with ``lambdify``; every operation is computed from its
definition by mpmath quadrature (a fixed composite Gauss–Legendre rule on a window, cut
at the given break points), and δ by its definition as a distribution:

    value(A * B, x) = ⟨A, y ↦ B(x − y)⟩        value(A ⋆ B, x) = ⟨A, y ↦ B(x + y)⟩
    ⟨δ(a), ψ⟩ = ψ(a)      ⟨dᵏA/dxᵏ, ψ⟩ = (−1)ᵏ ⟨A, ψ⁽ᵏ⁾⟩
    ⟨A * B, ψ⟩ = ⟨A, y ↦ ⟨B, z ↦ ψ(y + z)⟩⟩   ⟨A ⋆ B, ψ⟩ = ⟨A, y ↦ ⟨B, u ↦ ψ(u − y)⟩⟩

and the larger language pointwise or by quadrature of its definition: (A·B)(x) = A(x)B(x),
scale(A, s)(x) = A(sx), modulate(A, ν)(x) = e^{iνx}A(x), conj, x·A(x), the Fourier
transform A_c ∫ A(t) e^{−iB_c ωt} dt with the convention's constants (as SymPy numbers
from terms.CONVENTIONS), its inverse, ∫ A, and A^{*n} as nested convolutions. Values
are complex.
"""

from __future__ import annotations

from fractions import Fraction

import mpmath
import sympy as sp

from symconv.language.terms import (
    CONVENTIONS,
    At,
    Conj,
    Conv,
    ConvPower,
    Delta,
    Diff,
    Flip,
    Fn,
    Fourier,
    Ident,
    Inner,
    InverseFourier,
    Modulate,
    Product,
    Scale,
    Shift,
    Term,
    TotalIntegral,
    Xcorr,
    Zero,
)
from symconv.routes.concrete.functions import X


class NotNumeric(Exception):
    """This reading has no rule for the term (e.g. a derivative of a composite term)."""


class Definitions:
    def __init__(self, functions: dict, parameters: dict, window=(-7, 7), breaks=(), nodes=8, width=1.0):
        # lambdified functions use mpmath's global context: callers set its precision
        # with mpmath.workdps (see replay_independently)
        self.mp = mpmath.mp
        self.exprs = {name: expr for name, expr in functions.items()}
        self.fns = {name: sp.lambdify(X, expr, modules=[{"Heaviside": self._heaviside}, "mpmath"]) for name, expr in functions.items()}
        self.params = {s: sp.Rational(v.numerator, v.denominator) if isinstance(v, Fraction) else sp.Rational(v) for s, v in parameters.items()}
        self.window = window
        self.breaks = sorted(float(b) for b in breaks)
        x, w = self.mp.gauss_quadrature(nodes, "legendre")
        self.rule = list(zip(x, w))
        self.width = width
        self._transforms = {}
        self._leaves_np = {}

    @staticmethod
    def _heaviside(x, h0=0.5):
        return 1 if x > 0 else (0 if x < 0 else h0)

    def num(self, expr):
        value = expr.subs(self.params) if isinstance(expr, sp.Basic) else sp.Rational(expr)
        if value.is_Rational:
            return self.mp.mpf(value.p) / value.q
        if not value.is_number:
            raise NotNumeric(f"{expr} is not a number here")
        number = sp.N(value, self.mp.dps + 10)  # π, √2, I in coefficients
        return self.mp.mpc(str(sp.re(number)), str(sp.im(number)))

    def transform(self, arg, omega, sign, convention):
        """A ∫ arg(t) e^{sign·i·B·ω·t} dt (the forward transform: sign = −1), by mpmath's
        tanh–sinh quadrature on the window (values memoised: a statement often asks for the
        same transform twice, inside and outside a conj)."""
        key = (arg, omega, sign, convention)
        if key in self._transforms:
            return self._transforms[key]
        scale, rate = (self.num(v) for v in CONVENTIONS[convention])
        kappa = sign * rate * omega
        # transforms of the witnesses are wider than the witnesses (a transform of a transform
        # decays like e^{−ω²/4a}): integrate them on a window wide enough not to cut them
        lo, hi = 6 * self.window[0], 6 * self.window[1]
        if isinstance(arg, Fn):
            total = self._leaf_transform(arg.name, complex(kappa))
        else:
            total = self.mp.quad(lambda t: self.value(arg, t) * self.mp.expj(kappa * t), [lo, 0, hi])
        out = scale * total if sign < 0 else rate / (2 * self.mp.pi * scale) * total
        self._transforms[key] = out
        return out

    # --- quadrature on the window, cut at break points
    def integrate(self, f, extra=()):
        mp = self.mp
        lo, hi = self.window
        width = self.width
        cuts = sorted({lo, hi} | {float(c) for c in list(self.breaks) + list(extra) if lo < float(c) < hi})
        total = mp.mpf(0)
        for a, b in zip(cuts, cuts[1:]):
            n = max(1, int(mpmath.ceil((b - a) / width)))
            for i in range(n):
                s0 = mp.mpf(a) + (mp.mpf(b) - a) * i / n
                s1 = mp.mpf(a) + (mp.mpf(b) - a) * (i + 1) / n
                mid, half = (s0 + s1) / 2, (s1 - s0) / 2
                total += half * mp.fsum(w * f(mid + half * t) for t, w in self.rule)
        return total

    def _leaf_transform(self, name, kappa: complex):
        """∫ f(t) e^{iκt} dt for a concrete function f, in double precision: a composite
        16-node Gauss–Legendre rule on the window, panels short enough for the oscillation."""
        import numpy as np

        if name not in self._leaves_np:
            self._leaves_np[name] = sp.lambdify(X, self.exprs[name], "numpy")
        f = self._leaves_np[name]
        lo, hi = self.window
        panels = int(np.ceil((hi - lo) * max(2.0, 1.0 + abs(kappa))))
        edges = np.linspace(lo, hi, panels + 1)
        nodes, weights = np.polynomial.legendre.leggauss(16)
        mid, half = (edges[:-1] + edges[1:]) / 2, (edges[1:] - edges[:-1]) / 2
        t = (mid[:, None] + half[:, None] * nodes[None, :]).ravel()
        w = (half[:, None] * weights[None, :]).ravel()
        values = f(t) * np.exp(1j * kappa * t)
        total = complex(np.dot(w, values))
        return self.mp.mpc(total.real, total.imag)

    # --- values of function-valued terms
    def value(self, expr, x):
        mp = self.mp
        if isinstance(expr, Fn):
            return self.fns[expr.name](x)
        if isinstance(expr, Conv):
            if _has_delta(expr.right):  # (A * T)(x) = ⟨T, z ↦ A(x − z)⟩
                return self.pair(expr.right, lambda z: self.value(expr.left, x - z), shifts=(x,))
            return self.pair(expr.left, lambda y: self.value(expr.right, x - y), shifts=(x,))
        if isinstance(expr, Xcorr):  # ∫ conj(A(y)) B(x + y) dy
            left = _conjugate(expr.left)
            if _has_delta(expr.right):  # u = x + y: ⟨T, u ↦ conj(A)(u − x)⟩
                return self.pair(expr.right, lambda u: self.value(left, u - x), shifts=(-x,))
            return self.pair(left, lambda y: self.value(expr.right, x + y), shifts=(-x,))
        if isinstance(expr, Flip):
            return self.value(expr.arg, -x)
        if isinstance(expr, Shift):
            return self.value(expr.arg, x - self.num(expr.amount))
        if isinstance(expr, Diff):
            k = int(self.num(expr.order))
            if isinstance(expr.arg, Fn):
                return mp.diff(self.fns[expr.arg.name], x, k)
            # the quadrature is a smooth function of x: differentiate it numerically
            return mp.diff(lambda t: self.value(expr.arg, t), x, k)
        if isinstance(expr, Delta):
            raise NotNumeric("δ has no value at a point")
        if isinstance(expr, Zero):
            return mp.mpf(0)
        if isinstance(expr, Ident):
            return x
        if isinstance(expr, Product):
            return self.value(expr.left, x) * self.value(expr.right, x)
        if isinstance(expr, Scale):
            return self.value(expr.arg, self.num(expr.factor) * x)
        if isinstance(expr, Modulate):
            return mp.expj(self.num(expr.frequency) * x) * self.value(expr.arg, x)
        if isinstance(expr, Conj):
            return mp.conj(self.value(expr.arg, x))
        if isinstance(expr, Fourier):
            return self.transform(expr.arg, x, -1, expr.convention)
        if isinstance(expr, InverseFourier):
            return self.transform(expr.arg, x, 1, expr.convention)
        if isinstance(expr, ConvPower):
            n = int(self.num(expr.power))
            if n == 1:
                return self.value(expr.arg, x)
            rest = ConvPower(expr.arg, n - 1)
            return self.integrate(lambda y: self.value(expr.arg, y) * self.value(rest, x - y))
        if isinstance(expr, sp.Add):
            return mp.fsum(self.value(a, x) for a in expr.args)
        if isinstance(expr, sp.Mul):
            funcs = [a for a in expr.args if _has_term(a)]
            rest = sp.Mul(*[a for a in expr.args if a is not funcs[0]])
            return self.scalar(rest) * self.value(funcs[0], x)
        raise NotNumeric(str(expr))

    # --- pairings ⟨A, ψ⟩ = ∫ A ψ
    def pair(self, expr, psi, shifts=()):
        mp = self.mp
        if isinstance(expr, Fn):
            f = self.fns[expr.name]
            extra = [s + b for s in shifts for b in self.breaks] + [-(s) + b for s in shifts for b in self.breaks]
            return self.integrate(lambda y: f(y) * psi(y), extra)
        if isinstance(expr, Delta):
            return psi(self.num(expr.point))
        if isinstance(expr, Diff):
            k = int(self.num(expr.order))
            return (-1) ** k * self.pair(expr.arg, lambda y: mp.diff(psi, y, k), shifts)
        if isinstance(expr, Flip):
            return self.pair(expr.arg, lambda y: psi(-y), shifts)
        if isinstance(expr, Shift):
            b = self.num(expr.amount)
            return self.pair(expr.arg, lambda y: psi(y + b), shifts)
        if isinstance(expr, Conv):
            return self.pair(expr.left, lambda y: self.pair(expr.right, lambda z: psi(y + z)), shifts)
        if isinstance(expr, Xcorr):
            left = _conjugate(expr.left)
            return self.pair(left, lambda y: self.pair(expr.right, lambda u: psi(u - y)), shifts)
        if isinstance(expr, sp.Add):
            return mp.fsum(self.pair(a, psi, shifts) for a in expr.args)
        if isinstance(expr, sp.Mul):
            funcs = [a for a in expr.args if _has_term(a)]
            rest = sp.Mul(*[a for a in expr.args if a is not funcs[0]])
            return self.scalar(rest) * self.pair(funcs[0], psi, shifts)
        if not _has_delta(expr):  # a function of the larger language: ∫ A ψ by its values
            return self.integrate(lambda y: self.value(expr, y) * psi(y))
        raise NotNumeric(str(expr))

    # --- scalars
    def scalar(self, expr):
        mp = self.mp
        if isinstance(expr, At):
            return self.value(expr.arg, self.num(expr.point))
        if isinstance(expr, Inner):
            a, b = expr.args
            if isinstance(b, Fn):
                return self.pair(a, self.fns[b.name])
            if isinstance(a, Fn):
                return self.pair(b, self.fns[a.name])
            return self.pair(a, lambda x: self.value(b, x))
        if isinstance(expr, TotalIntegral):
            return self.integrate(lambda t: self.value(expr.args[0], t))
        if isinstance(expr, sp.Add):
            return mp.fsum(self.scalar(a) for a in expr.args)
        if isinstance(expr, sp.Mul):
            out = mp.mpf(1)
            for a in expr.args:
                out *= self.scalar(a)
            return out
        return self.num(expr)


def _conjugate(expr):
    """conj(A) for a term with a complex function in it; A itself otherwise (a real A, or
    δs with real coefficients)."""
    complex_valued = any(isinstance(a, Fn) and a.is_complex_valued for a in sp.preorder_traversal(expr))
    return Conj(expr) if complex_valued and not _has_delta(expr) else expr


def _has_delta(expr) -> bool:
    return any(isinstance(a, Delta) for a in sp.preorder_traversal(expr))


def _has_term(expr) -> bool:
    return any(isinstance(a, (Term, At, Inner, TotalIntegral)) for a in sp.preorder_traversal(expr))


def replay_independently(statement, counterexample, **kwargs):
    """(lhs, rhs) of a witness recomputed from the definitions, as mpmath numbers."""
    cand = counterexample.candidate
    group = cand.group or statement.group
    if group.text() != "R":
        return replay_on_group(statement, cand, group)
    funcs = {name: f.expr() for name, f in cand.functions.items()}
    breaks = set()
    for f in cand.functions.values():
        breaks |= {float(b) for b in f.breakpoints()}
    with mpmath.workdps(20):
        defs = Definitions(funcs, dict(cand.parameters), breaks=sorted(breaks), **kwargs)
        return _sides(defs, statement, cand)


def _sides(defs, statement, cand):
    if statement.kind == "scalar":
        return defs.scalar(statement.lhs), defs.scalar(statement.rhs)
    if cand.test_function is not None:
        phi = sp.lambdify(X, cand.test_function.expr(), "mpmath")
        return defs.pair(statement.lhs, phi), defs.pair(statement.rhs, phi)
    x0 = defs.mp.mpf(cand.at.numerator) / cand.at.denominator
    return defs.value(statement.lhs, x0), defs.value(statement.rhs, x0)


# --------------------------------------------------------------------------- other groups


class DiscreteDefinitions:
    """ℤⁿ and ℤ/n, for tests only: every term as a map point → complex number (all of ℤ/n;
    the support on ℤⁿ), each operation summed from its definition; the DFT as the sum
    Σ_x f(x) e^{−2πikx/n} itself. The witness values come in as SymPy numbers (their
    ``sympy()``); nothing of symconv's evaluators is used."""

    def __init__(self, functions: dict, parameters: dict, group):
        self.group = group
        self.n = int(group.modulus) if group.kind == "ZN" else None
        self.params = {s: sp.Rational(v.numerator, v.denominator) if isinstance(v, Fraction) else v for s, v in parameters.items()}
        self.fns = {name: self._leaf(f) for name, f in functions.items()}

    def _leaf(self, f):
        if self.n is not None:
            return {x: complex(sp.N(v.sympy())) for x, v in enumerate(f.values)}
        return {i: complex(sp.N(v.sympy())) for i, v in f.entries}

    def point(self, expr):
        """A shift, a point: a tuple on ℤⁿ (a number stands for the diagonal), an int mod n."""
        value = expr.subs({s: v for s, v in self.params.items() if not isinstance(v, tuple)}) if isinstance(expr, sp.Basic) else expr
        vectors = {s: v for s, v in self.params.items() if isinstance(v, tuple)}
        if self.n is not None:
            return int(value) % self.n
        out = []
        for d in range(self.group.dim):
            coord = value.subs({s: sp.Rational(v[d].numerator, v[d].denominator) for s, v in vectors.items()}) if isinstance(value, sp.Basic) else value
            out.append(int(coord))
        return tuple(out)

    def _add(self, a, b):
        return tuple(p + q for p, q in zip(a, b)) if self.n is None else (a + b) % self.n

    def _neg(self, a):
        return tuple(-p for p in a) if self.n is None else (-a) % self.n

    def function(self, expr) -> dict:
        if isinstance(expr, Fn):
            return self.fns[expr.name]
        if isinstance(expr, (Conv, Xcorr)):
            a, b = self.function(expr.left), self.function(expr.right)
            out: dict = {}
            for y, u in a.items():
                for z, v in b.items():
                    if isinstance(expr, Conv):  # f(y) g(z) lands at y + z
                        k, c = self._add(y, z), u * v
                    else:  # conj(f(y)) g(z) lands at z − y
                        k, c = self._add(z, self._neg(y)), u.conjugate() * v
                    out[k] = out.get(k, 0) + c
            return out
        if isinstance(expr, Flip):
            return {self._neg(k): v for k, v in self.function(expr.arg).items()}
        if isinstance(expr, Shift):
            b = self.point(expr.amount)
            return {self._add(k, b): v for k, v in self.function(expr.arg).items()}
        if isinstance(expr, Delta):
            return {self.point(expr.point): 1}
        if isinstance(expr, Zero):
            return {}
        if isinstance(expr, Product):
            a, b = self.function(expr.left), self.function(expr.right)
            return {k: v * b[k] for k, v in a.items() if k in b}
        if isinstance(expr, Modulate):
            k = int(self.point(expr.frequency) if self.n is not None else 0)
            if self.n is None:
                raise NotNumeric("a modulation on ℤⁿ is not read here")
            return {x: v * mpmath.expj(2 * mpmath.pi * k * x / self.n) for x, v in self.function(expr.arg).items()}
        if isinstance(expr, Conj):
            return {k: v.conjugate() for k, v in self.function(expr.arg).items()}
        if isinstance(expr, (Fourier, InverseFourier)):
            if self.n is None or expr.convention == "unitary":
                raise NotNumeric(str(expr))
            a, n = self.function(expr.arg), self.n
            sign = -1 if isinstance(expr, Fourier) else 1
            factor = 1 if isinstance(expr, Fourier) else 1 / n
            return {
                k: factor * sum(complex(v) * complex(mpmath.expj(sign * 2 * mpmath.pi * k * x / n)) for x, v in a.items())
                for k in range(n)
            }
        if type(expr).__name__ in ("Downsample", "Upsample"):
            s = int(self.scalar(expr.args[1]).real)
            a = self.function(expr.args[0])
            if type(expr).__name__ == "Downsample":
                return {tuple(p // s for p in k): v for k, v in a.items() if all(p % s == 0 for p in k)}
            return {tuple(p * s for p in k): v for k, v in a.items()}
        if isinstance(expr, sp.Add):
            out = {}
            for part in expr.args:
                for k, v in self.function(part).items():
                    out[k] = out.get(k, 0) + v
            return out
        if isinstance(expr, sp.Mul):
            funcs = [a for a in expr.args if _has_term(a)]
            c = self.scalar(sp.Mul(*[a for a in expr.args if a is not funcs[0]]))
            return {k: c * v for k, v in self.function(funcs[0]).items()}
        raise NotNumeric(str(expr))

    def scalar(self, expr):
        if isinstance(expr, At):
            return self.function(expr.arg).get(self.point(expr.point), 0)
        if isinstance(expr, Inner):
            a, b = (self.function(e) for e in expr.args)
            return sum((v * b[k] for k, v in a.items() if k in b), 0)
        if isinstance(expr, TotalIntegral):
            return sum(self.function(expr.args[0]).values(), 0)
        if isinstance(expr, sp.Add):
            return sum((self.scalar(a) for a in expr.args), 0)
        if isinstance(expr, sp.Mul):
            out = 1
            for a in expr.args:
                out *= self.scalar(a)
            return out
        value = expr.subs(self.params)
        return complex(sp.N(value))


def _plane_sides(statement, cand):
    """ℝ², for tests only: the witnesses lambdified from their SymPy expressions in (x, y),
    and ∫∫ f(y) g(x ∓ y) dy by a tensor Gauss–Legendre rule on [−8, 8]² (values of
    function-valued statements at the witness's point; the refuted statements of the
    theorems are about ⋆ and *)."""
    import numpy as np

    xs = sp.symbols("x y", real=True)
    fns = {name: sp.lambdify(xs, f.expr(list(xs)), "numpy") for name, f in cand.functions.items()}
    nodes, weights = np.polynomial.legendre.leggauss(32)
    edges = np.linspace(-8, 8, 17)
    mid, half = (edges[:-1] + edges[1:]) / 2, (edges[1:] - edges[:-1]) / 2
    t = (mid[:, None] + half[:, None] * nodes[None, :]).ravel()
    w = (half[:, None] * weights[None, :]).ravel()
    Y1, Y2 = np.meshgrid(t, t, indexing="ij")
    W = np.outer(w, w)

    def vector(expr):
        values = {s: v for s, v in cand.parameters.items()}
        return tuple(
            float(expr.subs({s: (v[d] if isinstance(v, tuple) else v) for s, v in values.items()}))
            for d in range(2)
        )

    def value(expr, x):
        if isinstance(expr, Fn):
            return complex(fns[expr.name](x[0], x[1]))
        if isinstance(expr, Shift):
            b = vector(expr.amount)
            return value(expr.arg, (x[0] - b[0], x[1] - b[1]))
        if isinstance(expr, Flip):
            return value(expr.arg, (-x[0], -x[1]))
        if isinstance(expr, (Conv, Xcorr)) and isinstance(expr.left, Fn) and isinstance(expr.right, Fn):
            f, g = fns[expr.left.name], fns[expr.right.name]
            sigma = -1 if isinstance(expr, Conv) else 1
            left = f(Y1, Y2) * np.ones_like(Y1)
            if isinstance(expr, Xcorr):
                left = np.conj(left)
            return complex((W * left * g(x[0] + sigma * Y1, x[1] + sigma * Y2)).sum())
        raise NotNumeric(str(expr))

    x0 = tuple(float(c) for c in cand.at)
    return value(statement.lhs, x0), value(statement.rhs, x0)


def replay_on_group(statement, cand, group):
    """(lhs, rhs) of a witness on ℤⁿ, ℤ/n or ℝ², recomputed from the definitions."""
    if group.kind == "R":
        return _plane_sides(statement, cand)
    defs = DiscreteDefinitions(dict(cand.functions), dict(cand.parameters), group)
    if statement.kind == "scalar":
        return defs.scalar(statement.lhs), defs.scalar(statement.rhs)
    at = cand.at
    return defs.function(statement.lhs).get(at, 0), defs.function(statement.rhs).get(at, 0)
