"""Independent evaluations of terms on the witnesses of the other groups, for the replay.

The exact evaluators (:mod:`symconv.routes.concrete.group_evaluate`) compute closed forms
with exact numbers; the replay (:mod:`symconv.routes.refutation.replay`) trusts a
counterexample only when a second evaluation, written separately from the definitions and
in floating point, agrees with them and tells the two sides apart:

* ℤⁿ — :class:`LatticeSums`: every term as a finite map index → complex number, each
  operation its defining sum (Σ_y f(y) g(x − y), …) over the witness values themselves;
* ℤ/n — :class:`CyclicSums`: every term as an array of n complex numbers, the products by
  their defining sums mod n, and the DFT and its inverse by NumPy's FFT (``numpy.fft.fft``
  is Σ_x f(x) e^{−2πikx/n}), a check of the exact DFT in ℚ(ζ_M) by another algorithm;
* ℝ² — :class:`PlaneQuadrature`: each operation node recomputed from the closed forms of
  its arguments by a two-dimensional composite Gauss–Legendre rule on the support (two
  rules, their difference the error estimate), as the one-dimensional replay does on ℝ.

Parameter arithmetic (the value of a shift b + 1 for b = 2) and the constants of a
statement come from the exact evaluator: they are not what is being checked.
"""

from __future__ import annotations

from fractions import Fraction

import sympy as sp

from symconv.language.fold import Algebra, Cases, refuse, sort_of
from symconv.language.terms import FUNCTION, ConvPower, Operation, Statement
from symconv.routes.concrete.group_evaluate import (
    CyclicEvaluator,
    GroupEvaluator,
    TensorEvaluator,
)
from symconv.routes.concrete.lattice import LatticePoly

__all__ = ["NumericFailed", "LatticeSums", "CyclicSums", "PlaneQuadrature", "independent_values", "as_complex"]


class NumericFailed(Exception):
    """The independent evaluation cannot be carried out (the message says why)."""


_CTX = None


def as_complex(value) -> complex:
    """An exact number (Num or Cyc) as a Python complex (20 digits, then rounded)."""
    global _CTX
    if _CTX is None:
        from mpmath.ctx_mp import MPContext

        _CTX = MPContext()
        _CTX.dps = 20
    return complex(value.mpc(_CTX))


class _Sums(Algebra, abstract=True):
    """What the two discrete evaluations share: scalars through the exact evaluator's
    constants, and the size of the largest sum (for the tolerance)."""

    def __init__(self, ev: GroupEvaluator):
        super().__init__()
        self.ev = ev
        self.magnitude = 1.0

    def constant(self, expr):
        return as_complex(self.ev.constant(expr))

    def scalar_add(self, node, values):
        return sum(values, 0j)

    def scalar_mul(self, node, values):
        out = 1 + 0j
        for v in values:
            out *= v
        return out

    def scalar_pow(self, node, base, exponent):
        if not exponent.is_Integer or abs(exponent) > 64:
            raise NumericFailed(f"no numeric rule for the power {node}")
        return base ** int(exponent)

    def _note(self, *parts) -> None:
        self.magnitude = max(self.magnitude, sum(abs(p) for p in parts))

    def tolerance(self, value: complex) -> float:
        return 1e-9 * (self.magnitude + abs(value))

    diff = refuse("a derivative of a function on a discrete group is not defined", NumericFailed)
    scale = refuse("a dilation of a function on a discrete group is not defined", NumericFailed)


class _Identity:
    """x ↦ x on ℤ (only multiplied)."""


class LatticeSums(_Sums):
    """ℤⁿ: {index: complex}, each operation by its defining finite sum."""

    def fn(self, node, name, values):
        f = self.ev.env.functions[node.name]
        if isinstance(f, LatticePoly):
            raise NumericFailed("a polynomial witness has no finite sums")
        return {i: as_complex(v) for i, v in f.entries}

    def _point(self, expr) -> tuple:
        return tuple(int(v) for v in self.ev.vector(expr, integer=True))

    def _check(self, *args):
        if any(isinstance(a, _Identity) for a in args):
            raise NumericFailed("x ↦ x is not finitely supported")

    def conv(self, node, a, b):
        self._check(a, b)
        out: dict = {}
        for y, u in a.items():
            for z, v in b.items():
                k = tuple(p + q for p, q in zip(y, z))
                out[k] = out.get(k, 0j) + u * v
                self._note(u * v)
        return out

    def xcorr(self, node, a, b):
        self._check(a, b)
        out: dict = {}
        for y, u in a.items():
            for z, v in b.items():
                k = tuple(q - p for p, q in zip(y, z))
                out[k] = out.get(k, 0j) + u.conjugate() * v
                self._note(u * v)
        return out

    def flip(self, node, a):
        self._check(a)
        return {tuple(-k for k in i): v for i, v in a.items()}

    def shift(self, node, a, amount):
        self._check(a)
        b = self._point(amount)
        return {tuple(p + q for p, q in zip(i, b)): v for i, v in a.items()}

    def delta(self, node, point):
        return {self._point(point): 1 + 0j}

    def add(self, node, values):
        out: dict = {}
        for v in values:
            self._check(v)
            for i, u in v.items():
                out[i] = out.get(i, 0j) + u
        return out

    def times(self, node, coefficient, value):
        self._check(value)
        c = self.fold(coefficient)
        return {i: c * v for i, v in value.items()}

    def at(self, node, a, point):
        self._check(a)
        return a.get(self._point(point), 0j)

    def inner(self, node, a, b):
        total = 0j
        for i, u in self.mul(node, a, b).items():
            total += u
            self._note(u)
        return total

    def zero(self, node):
        return {}

    def id(self, node):
        return _Identity()

    fourier = refuse("the transform of a sequence is not a term on ℤⁿ", NumericFailed)
    ifourier = fourier

    def mul(self, node, a, b):
        if isinstance(a, _Identity) and isinstance(b, _Identity):
            raise NumericFailed("x ↦ x² is not finitely supported")
        if isinstance(a, _Identity):
            return {i: i[0] * v for i, v in b.items()}
        if isinstance(b, _Identity):
            return {i: i[0] * v for i, v in a.items()}
        return {i: u * b[i] for i, u in a.items() if i in b}

    def modulate(self, node, a, frequency):
        import cmath

        self._check(a)
        nu = [float(v) for v in self.ev.vector(frequency, integer=False)]
        return {i: cmath.exp(1j * sum(n * k for n, k in zip(nu, i))) * v for i, v in a.items()}

    def conj(self, node, a):
        self._check(a)
        return {i: v.conjugate() for i, v in a.items()}

    def convpow(self, node, a, power):
        out = a
        for _ in range(self.ev.stride(power) - 1):
            out = self.conv(node, a, out)
        return out

    def integral(self, node, a):
        self._check(a)
        total = 0j
        for v in a.values():
            total += v
            self._note(v)
        return total

    def downsample(self, node, a, s):
        self._check(a)
        k = self.ev.stride(s)
        return {tuple(p // k for p in i): v for i, v in a.items() if all(p % k == 0 for p in i)}

    def upsample(self, node, a, s):
        self._check(a)
        k = self.ev.stride(s)
        return {tuple(p * k for p in i): v for i, v in a.items()}

    def value(self, f, point) -> complex:
        return f.get(tuple(point), 0j)


class CyclicSums(_Sums):
    """ℤ/n: arrays of n complex numbers; products by their sums mod n, the DFT by NumPy."""

    def __init__(self, ev: CyclicEvaluator):
        super().__init__(ev)
        import numpy as np

        self.np = np
        self.n = ev.n

    def fn(self, node, name, values):
        return self.np.array([as_complex(v) for v in self.ev.env.functions[node.name].values])

    def _residue(self, expr) -> int:
        (v,) = self.ev.vector(expr, integer=True)
        return int(v) % self.n

    def conv(self, node, a, b):
        n = self.n
        self._note(*(a[y] * b[z] for y in range(n) for z in range(n)))
        return self.np.array([sum(a[y] * b[(x - y) % n] for y in range(n)) for x in range(n)])

    def xcorr(self, node, a, b):
        n = self.n
        self._note(*(a[y] * b[z] for y in range(n) for z in range(n)))
        return self.np.array([sum(a[y].conjugate() * b[(x + y) % n] for y in range(n)) for x in range(n)])

    def flip(self, node, a):
        return self.np.array([a[(-x) % self.n] for x in range(self.n)])

    def shift(self, node, a, amount):
        b = self._residue(amount)
        return self.np.array([a[(x - b) % self.n] for x in range(self.n)])

    def delta(self, node, point):
        out = self.np.zeros(self.n, dtype=complex)
        out[self._residue(point)] = 1
        return out

    def add(self, node, values):
        return sum(values[1:], values[0])

    def times(self, node, coefficient, value):
        return self.fold(coefficient) * value

    def at(self, node, a, point):
        return complex(a[self._residue(point)])

    def inner(self, node, a, b):
        self._note(*(a * b))
        return complex((a * b).sum())

    def zero(self, node):
        return self.np.zeros(self.n, dtype=complex)

    id = refuse("x ↦ x is not a function on ℤ/N", NumericFailed)

    def fourier(self, node, a, convention):
        if convention.name == "unitary":
            raise NumericFailed("the unitary DFT is not replayed")
        self._note(*a)
        return self.np.fft.fft(a)

    def ifourier(self, node, a, convention):
        if convention.name == "unitary":
            raise NumericFailed("the unitary DFT is not replayed")
        self._note(*a)
        return self.np.fft.ifft(a)

    def mul(self, node, a, b):
        return a * b

    def modulate(self, node, a, frequency):
        k = self._residue(frequency)
        x = self.np.arange(self.n)
        return self.np.exp(2j * self.np.pi * k * x / self.n) * a

    def conj(self, node, a):
        return self.np.conj(a)

    def convpow(self, node, a, power):
        out = a
        for _ in range(self.ev.stride(power) - 1):
            out = self.conv(node, a, out)
        return out

    def integral(self, node, a):
        self._note(*a)
        return complex(a.sum())

    downsample = refuse("downsample would leave ℤ/N", NumericFailed)
    upsample = refuse("upsample would leave ℤ/N", NumericFailed)

    def value(self, f, point) -> complex:
        return complex(f[int(point) % self.n])


# --------------------------------------------------------------------------- ℝ²


#: Supports are cut where a Gaussian factor is below e^{−40} of its size (beyond double
#: precision), and panels are 2/√a wide (1/(1 + |ν|) for an oscillating factor): the 24-node
#: rule integrates a Gaussian over such a panel to double precision, and the 16-node rule
#: beside it says how far from that the result is.
SUPPORT_LOG = 40.0
PANEL = 2.0


def _gauss_legendre(n: int):
    import numpy as np

    return np.polynomial.legendre.leggauss(n)


class PlaneQuadrature(Cases):
    """ℝ²: each operation node recomputed from the closed forms of its arguments by a
    two-dimensional composite Gauss–Legendre rule (24 and 16 nodes per panel and axis; the
    difference of the two rules is the error estimate)."""

    def __init__(self, ev: TensorEvaluator):
        import numpy as np

        if ev.dim != 2:
            raise NumericFailed("the quadrature is two-dimensional")
        self.np = np
        self.ev = ev
        self.err = 0.0
        self.nodes = 0
        self.rules = (_gauss_legendre(24), _gauss_legendre(16))
        self._closures: dict = {}
        self._values: dict = {}

    def _numeric(self, factor):
        """The vectorised closure of a one-dimensional factor (made once per factor)."""
        out = self._closures.get(factor)
        if out is None:
            out = self._closures[factor] = factor.smooth.numeric_np()
        return out

    def _smooth(self, f):
        if f.deltas:
            raise NumericFailed("a δ on ℝ² has no values to integrate numerically")
        return f

    def _axes(self, f) -> list:
        """Per axis: (support, panel width) of a smooth tensor function."""
        out = []
        for d in range(2):
            lo, hi, width = [], [], []
            for _, fs in f.terms:
                s = fs[d].smooth
                a, b = s.support(SUPPORT_LOG)
                lo.append(a)
                hi.append(b)
                widest = max(float(t[0][0]) for t in s.terms)
                nu = max(abs(float(t[0][2])) for t in s.terms)
                width.append(min(PANEL / widest**0.5, PANEL / (1.0 + nu)))
            out.append(((min(lo), max(hi)), min(width)))
        return out

    def _nodes(self, lo: float, hi: float, width: float):
        np = self.np
        n = max(1, int(np.ceil((hi - lo) / width)))
        grid = np.linspace(lo, hi, n + 1)
        mid, half = (grid[:-1] + grid[1:]) / 2, (grid[1:] - grid[:-1]) / 2
        return [
            ((mid[:, None] + half[:, None] * nodes[None, :]).ravel(), (half[:, None] * weights[None, :]).ravel())
            for nodes, weights in self.rules
        ]

    def _grid(self, f, u1, u2):
        """f on the grid u1 × u2 (every point of it), from f's closed form."""
        np = self.np
        total = np.zeros((len(u1), len(u2)), dtype=complex)
        for c, (f1, f2) in f.terms:
            total += as_complex(c) * np.outer(self._numeric(f1)(u1), self._numeric(f2)(u2))
        return total

    def integrate(self, box, widths, integrand) -> complex:
        """∫∫ integrand over box; ``integrand(y1, y2)`` returns the 2-D array on the grid."""
        (l1, h1), (l2, h2) = box
        if not (l1 < h1 and l2 < h2):
            return 0j
        values = []
        for (y1, w1), (y2, w2) in zip(self._nodes(l1, h1, widths[0]), self._nodes(l2, h2, widths[1])):
            grid = integrand(y1, y2)
            # real weights times the real and the imaginary parts (a complex-by-real product
            # would go through a much slower path of BLAS)
            value = complex(w1 @ grid.real @ w2, w1 @ grid.imag @ w2)
            values.append((value, float(w1 @ abs(grid) @ w2)))
        (fine, scale), (coarse, _) = values
        self.err += abs(fine - coarse) + 1e-13 * scale
        return fine

    def _correlation(self, a, b, x, sigma: int, conj_a: bool) -> complex:
        """∫∫ A(y) B(x + σy) dy (conj(A(y)) with ``conj_a``)."""
        np = self.np
        a, b = self._smooth(a), self._smooth(b)
        xa, xb = self._axes(a), self._axes(b)
        box, widths = [], []
        for d in range(2):
            (la, ha), wa = xa[d]
            (lb, hb), wb = xb[d]
            ends = sorted((sigma * (lb - x[d]), sigma * (hb - x[d])))
            box.append((max(la, ends[0]), min(ha, ends[1])))
            widths.append(min(wa, wb))

        def integrand(y1, y2):
            left = self._grid(a, y1, y2)
            left = np.conj(left) if conj_a else left
            return left * self._grid(b, x[0] + sigma * y1, x[1] + sigma * y2)

        return self.integrate(box, widths, integrand)

    def _at(self, f, x) -> complex:
        np = self.np
        return complex(self._grid(self._smooth(f), np.array([float(x[0])]), np.array([float(x[1])]))[0, 0])

    def _fn(self, expr):
        return self.ev.function(expr)

    def _float(self, x) -> tuple:
        return tuple(float(v) for v in x)

    # the value of a term at a point, one level from its arguments' closed forms
    def value(self, expr, x) -> complex:
        key = (expr, tuple(x))
        if key not in self._values:  # a node checked at the witness's point is not integrated twice
            err = self.err
            self._values[key] = (self._value(expr, x), self.err - err)
        else:
            self.err += self._values[key][1]
        return self._values[key][0]

    def _value(self, expr, x) -> complex:
        if isinstance(expr, sp.Add):
            return sum(self.value(a, x) for a in expr.args)
        if isinstance(expr, sp.Mul):
            funcs = [a for a in expr.args if sort_of(a) == FUNCTION]
            scalar = self.scalar(sp.Mul(*[a for a in expr.args if a is not funcs[0]]))
            return scalar * self.value(funcs[0], x)
        return self.case(expr, self._float(x))

    def scalar(self, expr) -> complex:
        if not any(isinstance(a, Operation) for a in sp.preorder_traversal(expr)):
            return as_complex(self.ev.scalar(expr))
        if isinstance(expr, sp.Add):
            return sum(self.scalar(a) for a in expr.args)
        if isinstance(expr, sp.Mul):
            out = 1 + 0j
            for a in expr.args:
                out *= self.scalar(a)
            return out
        if isinstance(expr, sp.Pow) and expr.exp.is_Integer and abs(expr.exp) <= 64:
            return self.scalar(expr.base) ** int(expr.exp)
        if isinstance(expr, Operation):
            return self.case(expr, None)
        raise NumericFailed(f"no numeric rule for {expr}")

    def _arg(self, node, x) -> complex:
        return self._at(self._fn(node.args[0]), x)

    def fn(self, node, x):
        return self._at(self._fn(node), x)

    def conv(self, node, x):
        return self._correlation(self._fn(node.left), self._fn(node.right), x, -1, False)

    def xcorr(self, node, x):
        return self._correlation(self._fn(node.left), self._fn(node.right), x, 1, True)

    def flip(self, node, x):
        return self._arg(node, (-x[0], -x[1]))

    def shift(self, node, x):
        b = self._float(self.ev.vector(node.amount, integer=False))
        return self._arg(node, (x[0] - b[0], x[1] - b[1]))

    def delta(self, node, x):
        return 0j  # away from its point (the caller never asks at it)

    def zero(self, node, x):
        return 0j

    def mul(self, node, x):
        return self._arg(node, x) * self._at(self._fn(node.right), x)

    def scale(self, node, x):
        s = float(self.ev.real(node.factor))
        return self._arg(node, (s * x[0], s * x[1]))

    def modulate(self, node, x):
        import cmath

        nu = self._float(self.ev.vector(node.frequency, integer=False))
        return cmath.exp(1j * (nu[0] * x[0] + nu[1] * x[1])) * self._arg(node, x)

    def conj(self, node, x):
        return self._arg(node, x).conjugate()

    def _oscillatory(self, f, omega, rate: float, sign: int) -> complex:
        np = self.np
        f = self._smooth(f)
        axes = self._axes(f)
        box = [axes[d][0] for d in range(2)]
        widths = [min(axes[d][1], PANEL / (1.0 + abs(rate * omega[d]))) for d in range(2)]

        def integrand(t1, t2):
            # e^{±i r ω·t} on the grid (e^{i r ω₁t₁} e^{i r ω₂t₂}: the same values, fewer exps)
            kernel = np.outer(np.exp(sign * 1j * rate * omega[0] * t1), np.exp(sign * 1j * rate * omega[1] * t2))
            return self._grid(f, t1, t2) * kernel

        return self.integrate(box, widths, integrand)

    def fourier(self, node, x):
        scale, rate = self.ev.convention(node.convention)
        a = as_complex(scale)
        return a * a * self._oscillatory(self._fn(node.arg), x, float(rate), -1)

    def ifourier(self, node, x):
        import math

        scale, rate = self.ev.convention(node.convention)
        factor = float(rate) / (2 * math.pi * as_complex(scale))
        return factor * factor * self._oscillatory(self._fn(node.arg), x, float(rate), 1)

    def at(self, node, x):
        return self.value(node.arg, self.ev.vector(node.point, integer=False))

    def inner(self, node, x):
        a, b = self._smooth(self._fn(node.args[0])), self._smooth(self._fn(node.args[1]))
        xa, xb = self._axes(a), self._axes(b)
        box = [(max(xa[d][0][0], xb[d][0][0]), min(xa[d][0][1], xb[d][0][1])) for d in range(2)]
        widths = [min(xa[d][1], xb[d][1]) for d in range(2)]
        return self.integrate(box, widths, lambda y1, y2: self._grid(a, y1, y2) * self._grid(b, y1, y2))

    def integral(self, node, x):
        a = self._smooth(self._fn(node.args[0]))
        axes = self._axes(a)
        return self.integrate([axes[0][0], axes[1][0]], [axes[0][1], axes[1][1]], lambda y1, y2: self._grid(a, y1, y2))

    def convpow(self, node, x):
        n = self.ev.stride(node.power)
        if n == 1:
            return self._arg(node, x)
        rest = self._fn(ConvPower(node.arg, n - 1))  # A^{*n} = A * A^{*(n−1)}
        return self._correlation(self._fn(node.arg), rest, x, -1, False)

    id = refuse("x ↦ x on ℝ² needs a direction", NumericFailed)
    diff = refuse("a derivative on ℝ² needs a direction", NumericFailed)
    downsample = refuse("downsample is defined on ℤⁿ", NumericFailed)
    upsample = refuse("upsample is defined on ℤⁿ", NumericFailed)

    def tolerance(self, scale: float) -> float:
        return 100 * self.err + 1e-9 * (1 + abs(scale))


def _check_plane_nodes(num: PlaneQuadrature, expr, points) -> None:
    """Every operation node (but the leaves) agrees with its definition at the points."""
    for node in sp.preorder_traversal(expr):
        if not (isinstance(node, Operation) and node.result == FUNCTION) or node.is_leaf_function:
            continue
        closed = num.ev.function(node)
        if closed.deltas:
            continue
        for x in points:
            exact = as_complex(closed.value(x))
            num.err = 0.0
            approx = num.value(node, x)
            num.nodes += 1
            if abs(approx - exact) > num.tolerance(abs(exact)):
                raise NumericFailed(
                    f"the closed form of {node} at {x} disagrees with the quadrature of its "
                    f"definition ({exact:.12g} vs {approx:.12g})"
                )


def independent_values(statement: Statement, cand, ev: GroupEvaluator) -> tuple:
    """(numeric lhs, numeric rhs, tolerance of lhs, tolerance of rhs, how it was done) for
    the candidate, evaluated independently of ``ev`` (see the module doc)."""
    if isinstance(ev, TensorEvaluator):
        num = PlaneQuadrature(ev)
        if cand.at is not None:
            spare = (cand.at[0] + Fraction(2, 7), cand.at[1] - Fraction(1, 7))
            points = [cand.at, spare]
        else:
            points = [(Fraction(1, 7), Fraction(-2, 7)), (Fraction(-2, 7), Fraction(3, 7))]
        for side in (statement.lhs, statement.rhs):
            _check_plane_nodes(num, side, points)
        num.err = 0.0
        if statement.kind == FUNCTION:
            if cand.test_function is not None:
                raise NumericFailed("a δ on ℝ² has no values to integrate numerically")
            lhs, rhs = num.value(statement.lhs, cand.at), num.value(statement.rhs, cand.at)
        else:
            lhs, rhs = num.scalar(statement.lhs), num.scalar(statement.rhs)
        how = f"two-dimensional Gauss–Legendre quadrature of the definitions ({num.nodes} nodes checked)"
        return lhs, rhs, num.tolerance(abs(lhs)), num.tolerance(abs(rhs)), how
    sums = CyclicSums(ev) if isinstance(ev, CyclicEvaluator) else LatticeSums(ev)
    if statement.kind == FUNCTION:
        lhs, rhs = sums.value(sums.fold(statement.lhs), cand.at), sums.value(sums.fold(statement.rhs), cand.at)
    else:
        lhs, rhs = sums.fold(statement.lhs), sums.fold(statement.rhs)
    how = (
        "direct sums mod n, the DFT by numpy.fft" if isinstance(sums, CyclicSums)
        else "direct sums of the definitions"
    )
    return lhs, rhs, sums.tolerance(lhs), sums.tolerance(rhs), how

