"""Replay of a counterexample: the only maker of ``refuted`` evidence (keep it small).

A candidate (concrete functions, parameter values, a point or a test function) counts
as a counterexample to ``lhs = rhs`` only when all of this holds:

1. both sides evaluate *exactly* (:mod:`symconv.routes.concrete.evaluate`) to numbers at the point
   (or paired with the test function; a scalar statement needs neither);
2. mpmath interval arithmetic at two rising precisions encloses lhs − rhs in
   intervals that exclude 0 and agree with each other — a certified inequality of the
   exact values;
3. an independent numeric evaluation agrees: every operation node of both sides is
   recomputed from its definition by quadrature (∫ A(y)B(x ∓ y)dy with the break points
   of piecewise integrands, A ∫ f(t) e^{∓iBωt} dt for a Fourier transform, ∫ f for an
   integral, nested quadratures for an iterated convolution, sifting for δ, numeric
   derivatives, and the pointwise product, dilation, modulation and conjugation at the
   point) from the closed forms of its arguments, must match the closed form, and the
   two sides recomputed this way must differ by more than their error estimates;
4. a function the statement declares real has a real witness.

Values are complex throughout: "the sides differ" means the real or the imaginary part
of lhs − rhs is certainly nonzero.

So a wrong closed form (a bug in the evaluator) cannot make a false ``refuted``
unless the quadrature agrees with the wrong closed form at the witness point. Every
operation node is checked at one point at least (a node with no value at the witness
point is checked at a spare point), never skipped.

A confirmed witness comes with its :class:`~symconv.results.certificate.CounterexampleCertificate`
(``witness.certificate``): the functions, parameters, point or test function, both exact
values, the enclosure of their difference and the closed form of every compound subterm,
which the independent checker re-verifies before the engine reports ``refuted``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Mapping

import sympy as sp

from symconv.language.fold import Cases, sort_of
from symconv.language.groups import Group, R
from symconv.language.terms import CONVENTIONS, FUNCTION, Fn, Operation, Statement
from symconv.results.certificate import CounterexampleCertificate
from symconv.results.result import Witness
from symconv.routes.concrete.cyclic import CyclicFn
from symconv.routes.concrete.evaluate import MAX_CONV_POWER, Env, Evaluator, inner
from symconv.routes.concrete.functions import Distribution, GaussianSum
from symconv.routes.concrete.group_evaluate import evaluator_for
from symconv.routes.concrete.laurent import enclose
from symconv.routes.concrete.numbers import (
    ConcreteError,
    Num,
    interval_context,
    real_context,
)
from symconv.routes.concrete.tensor import AXES, TensorFn
from symconv.routes.refutation.direct import (
    NumericFailed,
    as_complex,
    independent_values,
)
from symconv.trusted.codec import Encoder

__all__ = [
    "Candidate",
    "Counterexample",
    "ReplayFailed",
    "replay",
    "satisfies",
    "side_values",
    "function_data",
    "DIGITS",
]

#: Significant digits of the reported numeric values (the second check uses twice as many).
DIGITS = 30
#: Working precision of the quadrature cross-check.
QUAD_DPS = 20


class ReplayFailed(Exception):
    """The candidate is not a confirmed counterexample; the message says why."""


def witness_variable(statement: Statement) -> str:
    """The variable the witness's functions are written in: x, unless the statement has a
    name x of its own (``shift(f, x) = f``), then a letter it does not use."""
    taken = set(statement.function_names()) | {s.name for s in statement.parameters()}
    return next(v for v in ("x", "t", "s", "z", "y", "r", "x_") if v not in taken)


@dataclass(frozen=True)
class Candidate:
    """What a witness search proposes."""

    functions: Mapping[str, object]
    parameters: Mapping[sp.Symbol, Fraction] = field(default_factory=dict)
    at: Fraction | None = None
    test_function: GaussianSum | None = None
    #: The group the witness lives on (None: the real line). On ℤ/N with N a name it is
    #: ℤ/n for the n the search chose; on ℝⁿ and ℤⁿ a point and a vector parameter are
    #: tuples, one coordinate per axis.
    group: Group | None = None

    def env(self) -> Env:
        return Env(dict(self.functions), dict(self.parameters))


@dataclass(frozen=True)
class Counterexample:
    """The data behind a replayed witness (closed forms of both sides), for plots."""

    statement: Statement
    candidate: Candidate
    lhs: object  # Distribution or Num
    rhs: object
    lhs_value: Num
    rhs_value: Num


def satisfies(symbol: sp.Symbol, value: Fraction) -> bool:
    """Does ``value`` satisfy every assumption ``symbol`` carries (real, positive, zero,
    integer, even, prime, …)? A value SymPy cannot decide for an assumption does not. A
    vector (a tuple, on ℝⁿ or ℤⁿ) satisfies them when every coordinate does."""
    if isinstance(value, tuple):
        return all(satisfies(symbol, v) for v in value)
    number = sp.Rational(value.numerator, value.denominator)
    for fact, wanted in symbol.assumptions0.items():
        if getattr(number, "is_" + fact, None) is not wanted:
            return False
    return True


def side_values(statement: Statement, cand: Candidate, memo: dict | None = None):
    """(lhs closed form, rhs closed form, lhs value, rhs value), all exact."""
    ev = Evaluator(cand.env())
    if memo is not None:
        ev.memo = memo
    if statement.kind == FUNCTION:
        lhs, rhs = ev.function(statement.lhs), ev.function(statement.rhs)
        if cand.test_function is not None:
            phi = Distribution.make(cand.test_function)
            return lhs, rhs, inner(lhs, phi), inner(rhs, phi)
        if cand.at is None:
            raise ReplayFailed("a function-valued statement needs a point or a test function")
        return lhs, rhs, lhs.value(cand.at), rhs.value(cand.at)
    lhs, rhs = ev.scalar(statement.lhs), ev.scalar(statement.rhs)
    return lhs, rhs, lhs, rhs


def _certify(lhs: Num, rhs: Num, digits: int):
    """Enclosures of lhs, rhs and lhs − rhs (real and imaginary parts) at ``digits`` and
    ``2·digits``; raises ReplayFailed unless at each precision the real or the imaginary
    part of the difference excludes 0, and the enclosures at the two precisions agree."""
    previous = None
    out = None
    for dps in (digits, 2 * digits):
        ctx = interval_context(dps + 10)
        diff = (lhs - rhs).enclosure(ctx)
        if all(part.a <= 0 <= part.b for part in diff):
            raise ReplayFailed(f"at {dps} digits the difference of the sides encloses 0")
        if previous is not None and any(
            part.b < old[0] or part.a > old[1] for part, old in zip(diff, previous)
        ):
            raise ReplayFailed("the enclosures at two precisions disagree")
        previous = [(part.a, part.b) for part in diff]
        out = (ctx, lhs.enclosure(ctx), rhs.enclosure(ctx), diff)
    return out


def _declared_real(statement: Statement) -> set:
    names = set()
    for side in (statement.lhs, statement.rhs):
        for node in sp.preorder_traversal(side):
            if isinstance(node, Fn) and not node.is_complex_valued:
                names.add(node.name)
    return names


# --------------------------------------------------------------------------- quadrature


def _gauss_legendre(n: int):
    import numpy as np

    return np.polynomial.legendre.leggauss(n)


class _Numeric(Cases):
    """Recomputes values from definitions by quadrature, using the closed forms of the
    arguments of each node (never the closed form of the node itself). Values are Python
    complex numbers.

    Integrals use composite Gauss–Legendre rules in double precision (24 and 16 nodes
    per sub-interval, the difference being the error estimate) on the support of the
    integrand, split at every break point of a piecewise factor, with sub-intervals short
    enough for the oscillation of a modulation or a Fourier kernel; derivatives and
    δ sifting use mpmath at 20 digits.
    """

    def __init__(self, ev: Evaluator):
        import numpy as np

        self.np = np
        self.ev = ev
        self.mp = real_context(QUAD_DPS)
        self.err = 0.0
        self.nodes = 0
        self.rules = (_gauss_legendre(24), _gauss_legendre(16))

    # closures
    def numeric_fn(self, dist: Distribution):
        if dist.smooth is None:
            return lambda x: self.mp.mpf(0)
        return dist.smooth.numeric(self.mp)

    def deriv(self, dist: Distribution, x, k: int) -> complex:
        f = self.numeric_fn(dist)
        if k == 0:
            return complex(f(x))
        return complex(self.mp.diff(f, x, k))

    def _at(self, x):
        """An exact point (a rational, or a Laurent in π) as an mpmath number."""
        if isinstance(x, Fraction):
            return self.mp.mpf(x.numerator) / x.denominator
        return enclose(x, self.mp)[0]

    def integrate(self, fa, fb, range_, cuts, width) -> complex:
        """∫ fa(y)·fb(y) dy over range_ (vectorised callables), split at cuts."""
        np = self.np
        lo, hi = range_
        if not lo < hi:
            return 0j
        edges = sorted({lo, hi} | {c for c in cuts if lo < c < hi})
        parts = []
        for e0, e1 in zip(edges, edges[1:]):
            n = max(1, int(np.ceil((e1 - e0) / width)))
            grid = np.linspace(e0, e1, n + 1)
            parts.append(np.stack([grid[:-1], grid[1:]], axis=1))
        segs = np.concatenate(parts)
        mid, half = (segs[:, 0] + segs[:, 1]) / 2, (segs[:, 1] - segs[:, 0]) / 2
        values = []
        for nodes, weights in self.rules:
            y = (mid[:, None] + half[:, None] * nodes[None, :]).ravel()
            w = (half[:, None] * weights[None, :]).ravel()
            fy = fa(y) * fb(y)
            values.append((complex(np.dot(w, fy)), float(np.dot(w, np.abs(fy)))))
        (fine, scale), (coarse, _) = values
        self.err += abs(fine - coarse) + 1e-13 * scale
        return fine

    def _support_width(self, dist: Distribution):
        s = dist.smooth
        if s.family == "gaussian":
            a_max = max(float(a) for (a, _, _), _ in s.terms)
            nu_max = max(abs(float(nu)) for (_, _, nu), _ in s.terms)
            return s.support(), min(0.5 / a_max**0.5, 1.0 / (1.0 + nu_max))
        if s.family == "piecewise":
            rates = [abs(float(lam)) for _, _, e in s.pieces for (_, lam), _ in e if lam]
            return s.support(), 0.5 / max(rates + [1.0])
        raise ReplayFailed(f"no quadrature over a {s.family} function (it is not integrable)")

    def kernel_value(self, a: Distribution, b: Distribution, x, sigma: int, conj_a: bool = False) -> complex:
        """∫ A(y) B(x + σy) dy from the definitions (δ parts by sifting); with ``conj_a``,
        ∫ conj(A(y)) B(x + σy) dy."""
        total = 0j
        if a.smooth is not None and b.smooth is not None:
            fa, fb0 = a.smooth.numeric_np(), b.smooth.numeric_np()
            if conj_a:
                fa = _conjugated(fa)
            xf = float(x)
            (la, ha), wa = self._support_width(a)
            (lb, hb), wb = self._support_width(b)
            ends = sorted((sigma * (lb - xf), sigma * (hb - xf)))
            range_ = (max(la, ends[0]), min(ha, ends[1]))
            cuts = [float(p) for p in a.singular_points()]
            cuts += [float(sigma * (p - x)) for p in b.singular_points()]
            total += self.integrate(fa, lambda y: fb0(xf + sigma * y), range_, cuts, min(wa, wb))
        for (p, k), c in b.deltas:  # u = x + σy: (−σ)ᵏ A⁽ᵏ⁾(σ(p − x))
            y0 = sigma * (p - x)
            derivative = self.deriv(a, self._at(y0), k)
            total += complex(c.mpc(self.mp)) * (-sigma) ** k * (derivative.conjugate() if conj_a else derivative)
        for (p, k), c in a.deltas:  # ∫ δ⁽ᵏ⁾(y − p) B(x + σy) dy = (−σ)ᵏ B⁽ᵏ⁾(x + σp)
            u0 = x + sigma * p
            coefficient = complex(c.mpc(self.mp))
            total += (coefficient.conjugate() if conj_a else coefficient) * (-sigma) ** k * self.deriv(b, self._at(u0), k)
        return total

    def pair(self, a: Distribution, b: Distribution) -> complex:
        """∫ A B from the definitions (δ parts by sifting)."""
        total = 0j
        if a.smooth is not None and b.smooth is not None:
            (la, ha), wa = self._support_width(a)
            (lb, hb), wb = self._support_width(b)
            cuts = [float(p) for p in a.singular_points() + b.singular_points()]
            total += self.integrate(
                a.smooth.numeric_np(), b.smooth.numeric_np(), (max(la, lb), min(ha, hb)), cuts, min(wa, wb)
            )
        for (p, k), c in b.deltas:
            total += complex(c.mpc(self.mp)) * (-1) ** k * self.deriv(a, self._at(p), k)
        for (p, k), c in a.deltas:
            total += complex(c.mpc(self.mp)) * (-1) ** k * self.deriv(b, self._at(p), k)
        return total

    def value(self, expr, x) -> complex:
        """The value of a function-valued term at x, one level from its arguments."""
        if isinstance(expr, sp.Add):
            return sum(self.value(a, x) for a in expr.args)
        if isinstance(expr, sp.Mul):
            funcs = [a for a in expr.args if sort_of(a) == FUNCTION]
            scalar = self.scalar(sp.Mul(*[a for a in expr.args if a is not funcs[0]]))
            return scalar * self.value(funcs[0], x)
        return self.case(expr, x)

    def scalar(self, expr) -> complex:
        if not _has_term(expr):
            return complex(self.ev.scalar(expr).mpc(self.mp))
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
        raise ReplayFailed(f"no numeric rule for {expr}")

    # one entry per operator: its definition, numerically, from the arguments' closed forms
    def _arg(self, node, x) -> complex:
        """The closed form of the node's (first) function argument at the point x (an mp number)."""
        return complex(self.numeric_fn(self.ev.function(node.args[0]))(x))

    def _real(self, expr):
        return self._at(self.ev.real(expr))

    def fn(self, node, x):
        return complex(self.numeric_fn(self.ev.function(node))(self._at(x)))

    def conv(self, node, x):
        return self.kernel_value(self.ev.function(node.left), self.ev.function(node.right), x, -1)

    def xcorr(self, node, x):
        # ∫ conj(A(y)) B(x + y) dy: the conjugate of A's values, at the quadrature nodes
        return self.kernel_value(self.ev.function(node.left), self.ev.function(node.right), x, 1, conj_a=True)

    def flip(self, node, x):
        return self._arg(node, -self._at(x))

    def shift(self, node, x):
        return self._arg(node, self._at(x) - self._real(node.amount))

    def diff(self, node, x):
        return self.deriv(self.ev.function(node.arg), self._at(x), int(self.ev.rational(node.order)))

    def delta(self, node, x):
        return 0j  # away from its point; at the point a δ has no value (checked by the caller)

    def at(self, node, x):
        return self.value(node.arg, self.ev.real(node.point))

    def inner(self, node, x):
        return self.pair(self.ev.function(node.args[0]), self.ev.function(node.args[1]))

    def zero(self, node, x):
        return 0j

    def id(self, node, x):
        return complex(self._at(x))

    def mul(self, node, x):
        return self._arg(node, self._at(x)) * complex(self.numeric_fn(self.ev.function(node.right))(self._at(x)))

    def scale(self, node, x):
        return self._arg(node, self._real(node.factor) * self._at(x))

    def modulate(self, node, x):
        t = self._at(x)
        return complex(self.mp.expj(self._real(node.frequency) * t)) * self._arg(node, t)

    def conj(self, node, x):
        return self._arg(node, self._at(x)).conjugate()

    def fourier(self, node, x):
        scale, rate = (complex(sp.N(v, 20)) for v in CONVENTIONS[node.convention])
        return scale * self._oscillatory(self.ev.function(node.arg), rate.real, float(x), -1)

    def ifourier(self, node, x):
        scale, rate = (complex(sp.N(v, 20)) for v in CONVENTIONS[node.convention])
        factor = rate / (2 * self.np.pi * scale)
        return factor * self._oscillatory(self.ev.function(node.arg), rate.real, float(x), 1)

    def _oscillatory(self, dist: Distribution, rate: float, omega: float, sign: int) -> complex:
        """∫ A(t) e^{sign·i·rate·ω·t} dt over the support of A (δ parts by sifting)."""
        np = self.np
        k_omega = sign * rate * omega
        total = 0j
        if dist.smooth is not None:
            support, width = self._support_width(dist)
            width = min(width, 1.0 / (1.0 + abs(k_omega)))
            cuts = [float(p) for p in dist.singular_points()]
            total += self.integrate(
                dist.smooth.numeric_np(), lambda t: np.exp(1j * k_omega * t), support, cuts, width
            )
        for (p, k), c in dist.deltas:  # ∫ δ⁽ᵏ⁾(t − p) e^{iκt} dt = (−iκ)ᵏ e^{iκp}
            total += complex(c.mpc(self.mp)) * (-1j * k_omega) ** k * np.exp(1j * k_omega * float(p))
        return total

    def downsample(self, node, x):
        raise ReplayFailed("downsample is defined on ℤⁿ, not on ℝ")

    def upsample(self, node, x):
        raise ReplayFailed("upsample is defined on ℤⁿ, not on ℝ")

    def integral(self, node, x):
        dist = self.ev.function(node.args[0])
        total = 0j
        if dist.smooth is not None:
            support, width = self._support_width(dist)
            cuts = [float(p) for p in dist.singular_points()]
            total += self.integrate(dist.smooth.numeric_np(), lambda t: 1.0, support, cuts, width)
        for (_, k), c in dist.deltas:
            if k == 0:
                total += complex(c.mpc(self.mp))
        return total

    def convpow(self, node, x):
        n = int(self.ev.rational(node.power))
        dist = self.ev.function(node.arg)
        if dist.deltas or dist.smooth is None or not 1 <= n <= MAX_CONV_POWER:
            raise ReplayFailed(f"no numeric rule for {node} here")
        fn, _, _, _ = self._power(dist, n)
        return complex(fn(self.np.array([float(x)]))[0])

    def _power(self, dist: Distribution, n: int):
        """(vectorised x ↦ A^{*n}(x) by nested quadrature from A's closed form, its support,
        its possible break points, a quadrature step): A^{*n} = A^{*⌊n/2⌋} * A^{*⌈n/2⌉}."""
        np = self.np
        if n == 1:
            support, width = self._support_width(dist)
            cuts = [float(p) for p in dist.singular_points()]
            return dist.smooth.numeric_np(), support, cuts, width
        f1, (l1, h1), c1, w1 = self._power(dist, n // 2)
        f2, (l2, h2), c2, w2 = self._power(dist, n - n // 2)
        width = min(w1, w2)
        if not c1 and not c2:
            return self._smooth_convolution(f1, (l1, h1), f2, width), (l1 + l2, h1 + h2), [], width

        def f(xs):
            out = np.zeros(len(xs), dtype=complex)
            for i, xv in enumerate(xs):
                rng = (max(l1, xv - h2), min(h1, xv - l2))
                cuts = c1 + [xv - c for c in c2]
                out[i] = self.integrate(f1, lambda y, xv=xv: f2(xv - y), rng, cuts, width)
            return out

        cuts = sorted({a + b for a in c1 for b in c2})
        return f, (l1 + l2, h1 + h2), cuts, width

    def _smooth_convolution(self, f1, support, f2, width):
        """x ↦ ∫ f1(y) f2(x − y) dy for smooth factors, vectorised over x: one set of nodes
        on f1's support for every x (both rules; their largest difference is added to the
        error estimate). Panels twice the usual width: the 24-node rule still integrates a
        Gaussian of that width to double precision, and the cost is squared per level."""
        np = self.np
        lo, hi = support
        n = max(1, int(np.ceil((hi - lo) / (2 * width))))
        grid = np.linspace(lo, hi, n + 1)
        mid, half = (grid[:-1] + grid[1:]) / 2, (grid[1:] - grid[:-1]) / 2
        rules = []
        for nodes, weights in self.rules:
            y = (mid[:, None] + half[:, None] * nodes[None, :]).ravel()
            w = (half[:, None] * weights[None, :]).ravel()
            rules.append((y, w * f1(y)))

        def f(xs):
            xs = np.asarray(xs, dtype=float)
            out = np.zeros(len(xs), dtype=complex)
            for start in range(0, len(xs), 256):  # bounded memory: 256 rows at a time
                chunk = xs[start:start + 256]
                values = []
                for y, wf in rules:
                    inner = f2((chunk[:, None] - y[None, :]).ravel()).reshape(len(chunk), len(y))
                    values.append(inner @ wf)
                (fine, coarse), scale = values, float(np.abs(rules[0][1]).sum())
                self.err += float(np.max(np.abs(fine - coarse))) + 1e-13 * scale
                out[start:start + len(chunk)] = fine
            return out

        return f

    def tolerance(self, scale: float) -> float:
        return 100 * self.err + 1e-9 * (1 + abs(scale))


def _conjugated(fn):
    import numpy as np

    return lambda y: np.conj(fn(y))


def _has_term(expr) -> bool:
    return any(isinstance(a, Operation) for a in sp.preorder_traversal(expr))


#: Where a node that has no value at the witness's points is checked instead.
SPARE_POINTS = tuple(Fraction(p, q) for p, q in ((1, 7), (-2, 7), (3, 5), (-5, 11), (7, 3), (-9, 4)))


def _check_nodes(num: _Numeric, expr, points) -> None:
    """Every operation node (but the leaves f and δ) agrees with its definition at one of the
    points at least (then at the spare points); a node that cannot be checked anywhere
    fails the replay."""
    for node in sp.preorder_traversal(expr):
        if not (isinstance(node, Operation) and node.result == FUNCTION) or node.is_leaf_function:
            continue
        closed = num.ev.function(node)
        checked = 0
        for x in list(points) + list(SPARE_POINTS):
            if checked and x not in points:
                break
            if x in closed.singular_points() or any(
                x in num.ev.function(a).singular_points()
                for (sort, _), a in zip(node.signature, node.args)
                if sort == FUNCTION
            ):
                continue
            try:
                exact = complex(closed.value(x).mpc(num.mp))
            except ConcreteError:
                continue
            num.err = 0.0
            approx = num.value(node, x)
            num.nodes += 1
            checked += 1
            if abs(approx - exact) > num.tolerance(abs(exact)):
                raise ReplayFailed(
                    f"the closed form of {node} at x = {x} disagrees with numeric "
                    f"integration of its definition ({exact:.12g} vs {approx:.12g})"
                )
        if not checked:
            raise ReplayFailed(f"the subterm {node} could not be checked against its definition anywhere")


def _independent(statement: Statement, cand: Candidate, ev: Evaluator):
    """(numeric lhs, numeric rhs, their tolerance, nodes checked) from the definitions."""
    num = _Numeric(ev)
    if cand.at is not None:
        spare = cand.at + Fraction(2, 7)
        points = [cand.at, spare]
    else:
        points = [Fraction(1, 7), Fraction(-2, 7)]
    for side in (statement.lhs, statement.rhs):
        _check_nodes(num, side, points)
    num.err = 0.0
    if statement.kind == FUNCTION:
        if cand.test_function is not None:
            phi = Distribution.make(cand.test_function)
            lhs = num.pair(ev.function(statement.lhs), phi)
            rhs = num.pair(ev.function(statement.rhs), phi)
        else:
            lhs, rhs = num.value(statement.lhs, cand.at), num.value(statement.rhs, cand.at)
    else:
        lhs, rhs = num.scalar(statement.lhs), num.scalar(statement.rhs)
    return num, lhs, rhs


def _decimal(interval, digits: int) -> str:
    """The midpoint of an interval as a decimal with ``digits`` significant digits."""
    ctx = real_context(digits + 10)
    return ctx.nstr(ctx.mpf(interval.mid.a), digits)


def _complex_decimal(enclosure, real: bool, digits: int) -> str:
    """A decimal for a value known by enclosures of its parts: ``a`` for a real value,
    ``a + b*I`` (SymPy's notation) otherwise."""
    re, im = enclosure
    if real:
        return _decimal(re, digits)
    b = _decimal(im, digits)
    sign, b = ("-", b[1:]) if b.startswith("-") else ("+", b)
    return f"{_decimal(re, digits)} {sign} {b}*I"


def _quadrature_text(value: complex) -> str:
    if value.imag == 0:
        return f"{value.real:.15g}"
    return f"{value.real:.15g} {'-' if value.imag < 0 else '+'} {abs(value.imag):.15g}*I"


def replay(statement: Statement, cand: Candidate, digits: int = DIGITS) -> Witness:
    """A :class:`Witness` when ``cand`` refutes the equality ``statement``; otherwise
    :class:`ReplayFailed` with the reason."""
    if statement.group != R or (cand.group is not None and cand.group != R):
        return _replay_on_group(statement, cand, digits)
    for symbol, value in cand.parameters.items():
        if not satisfies(symbol, value):
            raise ReplayFailed(f"{symbol} = {value} breaks an assumption {symbol} carries")
    for name in sorted(_declared_real(statement)):
        f = cand.functions.get(name)
        if f is not None and not f.is_real():
            raise ReplayFailed(f"{name} is a real function but its witness is not real")
    memo: dict = {}
    try:
        lhs, rhs, lv, rv = side_values(statement, cand, memo)
    except ConcreteError as exc:
        raise ReplayFailed(f"the sides have no value here: {exc}") from exc
    ctx, li, ri, diff = _certify(lv, rv, digits)
    ev = Evaluator(cand.env())
    ev.memo = memo
    try:
        num, nl, nr = _independent(statement, cand, ev)
    except ConcreteError as exc:
        raise ReplayFailed(f"numeric replay impossible: {exc}") from exc
    tol_l, tol_r = num.tolerance(abs(nl)), num.tolerance(abs(nr))
    exact_l, exact_r = complex(lv.mpc(num.mp)), complex(rv.mpc(num.mp))
    if abs(nl - exact_l) > tol_l or abs(nr - exact_r) > tol_r:
        raise ReplayFailed(
            "numeric integration of the definitions disagrees with the exact values "
            f"(lhs {nl:.12g} vs {exact_l:.12g}, rhs {nr:.12g} vs {exact_r:.12g})"
        )
    if abs(nl - nr) <= tol_l + tol_r:
        raise ReplayFailed("numeric integration cannot tell the sides apart")
    data = Counterexample(statement, cand, lhs, rhs, lv, rv)
    variable = witness_variable(statement)
    x = sp.Symbol(variable, real=True)
    certificate = _certificate(statement, cand, ev, x, lv, rv, diff, digits)
    return Witness(
        functions={k: sp.sstr(f.expr(x)) for k, f in cand.functions.items()},
        parameters={s.name: str(v) for s, v in cand.parameters.items()},
        variable=variable,
        at=None if cand.at is None else str(cand.at),
        test_function=None if cand.test_function is None else sp.sstr(cand.test_function.expr(x)),
        lhs=sp.sstr(lv.sympy()),
        rhs=sp.sstr(rv.sympy()),
        lhs_numeric=_complex_decimal(li, lv.is_real(), digits),
        rhs_numeric=_complex_decimal(ri, rv.is_real(), digits),
        digits=digits,
        extra={
            "confirmation": {
                "difference": _complex_decimal(diff, (lv - rv).is_real(), 12),
                "interval_digits": [digits, 2 * digits],
                "quadrature_nodes": num.nodes,
                "quadrature_lhs": _quadrature_text(nl),
                "quadrature_rhs": _quadrature_text(nr),
            }
        },
        data=data,
        certificate=certificate,
    )


def _endpoints(interval, digits: int) -> list[str]:
    """The ends of an mpmath interval as decimal text."""
    ctx = real_context(digits + 10)
    return [ctx.nstr(ctx.make_mpf(end), digits + 5) for end in interval._mpi_]


def _certificate(statement, cand: Candidate, ev: Evaluator, x, lv: Num, rv: Num, diff, digits: int):
    """What the checker needs to re-verify this counterexample (see the module doc)."""
    enc = Encoder()
    nodes = []
    for side in (statement.lhs, statement.rhs):
        for n in sp.preorder_traversal(side):
            if isinstance(n, Operation) and n.result == FUNCTION and not n.is_leaf_function and n not in nodes:
                nodes.append(n)
    rational = lambda q: sp.Rational(q.numerator, q.denominator)  # noqa: E731
    return CounterexampleCertificate(
        verdict="refuted",
        statement=str(statement),
        claim=enc.statement(statement),
        witness={
            "variable": x.name,
            "functions": {k: enc(f.expr(x)) for k, f in cand.functions.items()},
            "parameters": [[enc(s), enc(rational(v))] for s, v in cand.parameters.items()],
            "at": None if cand.at is None else enc(rational(cand.at)),
            "test_function": None if cand.test_function is None else enc(cand.test_function.expr(x)),
        },
        values={"lhs": enc(lv.sympy()), "rhs": enc(rv.sympy())},
        enclosure={"digits": digits, "difference": [_endpoints(part, 2 * digits) for part in diff]},
        closed_forms=[[enc(n), enc(ev.function(n).expr(x))] for n in nodes],
    )


# --------------------------------------------------------------------------- other groups


def _group_text(value) -> str:
    """A point or a parameter value: ``3``, ``1/2``, or ``(1, -1)`` for a vector."""
    if isinstance(value, tuple):
        return str(value[0]) if len(value) == 1 else "(" + ", ".join(str(v) for v in value) + ")"
    return str(value)


def _check_group(statement: Statement, cand: Candidate) -> Group:
    """The concrete group of the candidate, checked against the statement's."""
    group = cand.group or R
    mine = statement.group
    if mine.kind == "ZN" and not mine.modulus.is_Integer:
        n = cand.parameters.get(mine.modulus)
        if group.kind != "ZN" or n is None or sp.Integer(int(n)) != group.modulus or Fraction(n).denominator != 1:
            raise ReplayFailed(f"the witness must live on {mine} for a value of {mine.modulus} it names")
    elif group != mine:
        raise ReplayFailed(f"the witness lives on {group}, the statement on {mine}")
    return group


def _replay_on_group(statement: Statement, cand: Candidate, digits: int) -> Witness:
    """The replay on ℤⁿ, ℤ/n and ℝ²: exact values from the group's evaluator, certified,
    and an independent evaluation (:mod:`symconv.routes.refutation.direct`) that agrees
    with them and separates the sides."""
    group = _check_group(statement, cand)
    for symbol, value in cand.parameters.items():
        if not satisfies(symbol, value):
            raise ReplayFailed(f"{symbol} = {_group_text(value)} breaks an assumption {symbol} carries")
    for name in sorted(_declared_real(statement)):
        f = cand.functions.get(name)
        if f is not None and not f.is_real():
            raise ReplayFailed(f"{name} is a real function but its witness is not real")
    ev = evaluator_for(group, cand.env())
    try:
        if statement.kind == FUNCTION:
            lhs, rhs = ev.function(statement.lhs), ev.function(statement.rhs)
            if cand.test_function is not None:
                lv, rv = lhs.inner(cand.test_function), rhs.inner(cand.test_function)
            elif cand.at is None:
                raise ReplayFailed("a function-valued statement needs a point")
            else:
                lv, rv = lhs.value(cand.at), rhs.value(cand.at)
        else:
            lhs = lv = ev.scalar(statement.lhs)
            rhs = rv = ev.scalar(statement.rhs)
    except ConcreteError as exc:
        raise ReplayFailed(f"the sides have no value here: {exc}") from exc
    ctx, li, ri, diff = _certify(lv, rv, digits)
    try:
        nl, nr, tol_l, tol_r, how = independent_values(statement, cand, evaluator_for(group, cand.env()))
    except (NumericFailed, ConcreteError) as exc:
        raise ReplayFailed(f"no independent evaluation: {exc}") from exc
    exact_l, exact_r = as_complex(lv), as_complex(rv)
    if abs(nl - exact_l) > tol_l or abs(nr - exact_r) > tol_r:
        raise ReplayFailed(
            "the independent evaluation of the definitions disagrees with the exact values "
            f"(lhs {nl:.12g} vs {exact_l:.12g}, rhs {nr:.12g} vs {exact_r:.12g})"
        )
    if abs(nl - nr) <= tol_l + tol_r:
        raise ReplayFailed("the independent evaluation cannot tell the sides apart")
    if group.kind == "R":
        variable = "(" + ", ".join(AXES[: group.dim]) + ")"
        xs = [sp.Symbol(a, real=True) for a in AXES[: group.dim]]
        shown = {k: sp.sstr(f.expr(xs)) for k, f in cand.functions.items()}
        test = None if cand.test_function is None else sp.sstr(cand.test_function.expr(xs))
    else:
        variable = "i" if group.dim == 1 else "(" + ", ".join("ijk"[: group.dim]) + ")"
        shown = {k: f.text() for k, f in cand.functions.items()}
        test = None
    certificate = _group_certificate(statement, cand, group, ev, lv, rv, diff, digits)
    return Witness(
        functions=shown,
        parameters={s.name: _group_text(v) for s, v in cand.parameters.items()},
        variable=variable,
        at=None if cand.at is None else _group_text(cand.at),
        test_function=test,
        lhs=sp.sstr(lv.sympy()),
        rhs=sp.sstr(rv.sympy()),
        lhs_numeric=_complex_decimal(li, lv.is_real(), digits),
        rhs_numeric=_complex_decimal(ri, rv.is_real(), digits),
        digits=digits,
        extra={
            "group": str(group),
            "confirmation": {
                "difference": _complex_decimal(diff, (lv - rv).is_real(), 12),
                "interval_digits": [digits, 2 * digits],
                "independent": how,
                "independent_lhs": _quadrature_text(nl),
                "independent_rhs": _quadrature_text(nr),
            },
        },
        data=Counterexample(statement, cand, lhs, rhs, lv, rv),
        certificate=certificate,
    )


def function_data(f, variable: str = "x"):
    """A witness function of another group as certificate data (SymPy values, for
    :func:`symconv.routes.verdicts.data`): its nonzero values [[index, value], …] on ℤⁿ and
    ℤ/n, its products [[c, [factor per axis in ``variable``]], …] on ℝⁿ."""
    if isinstance(f, CyclicFn):
        return [[[x], v.sympy()] for x, v in enumerate(f.values) if not v.is_zero()]
    if isinstance(f, TensorFn):
        x = sp.Symbol(variable, real=True)
        return [[c.sympy(), [a.expr(x) for a in fs]] for c, fs in f.terms]
    return [[list(i), v.sympy()] for i, v in f.entries]


def _group_certificate(statement, cand: Candidate, group: Group, ev, lv, rv, diff, digits: int):
    """The certificate of a counterexample on ℤⁿ, ℤ/n or ℝ²: each function as data — its
    values [[index, value], …] on ℤⁿ and ℤ/n, its products [[c, [factor per axis]], …] on ℝ²
    with the closed form of every compound subterm — parameters and the point one value per
    axis (a tuple) where they are vectors."""
    enc = Encoder()

    def point(v):
        if isinstance(v, tuple) and len(v) > 1:
            return ["tuple", *map(point, v)]
        v = v[0] if isinstance(v, tuple) else v
        return enc(sp.Rational(v.numerator, v.denominator) if isinstance(v, Fraction) else sp.Integer(v))

    def tree(v):
        return [tree(u) for u in v] if isinstance(v, list) else enc(v) if isinstance(v, sp.Basic) else v

    def data(f):
        return tree(function_data(f, variable))

    closed, variable = [], "i"
    if group.kind == "R":
        variable = witness_variable(statement)
        nodes = []
        for side in (statement.lhs, statement.rhs):
            for n in sp.preorder_traversal(side):
                if isinstance(n, Operation) and n.result == FUNCTION and not n.is_leaf_function and n not in nodes:
                    nodes.append(n)
        closed = [[enc(n), data(ev.function(n))] for n in nodes]

    return CounterexampleCertificate(
        verdict="refuted",
        statement=str(statement),
        claim=enc.statement(statement),
        witness={
            "variable": variable,
            "functions": {k: data(f) for k, f in cand.functions.items()},
            "parameters": [[enc(s), point(v)] for s, v in cand.parameters.items()],
            "at": None if cand.at is None else point(cand.at),
            "test_function": None,
        },
        values={"lhs": enc(lv.sympy()), "rhs": enc(rv.sympy())},
        enclosure={"digits": digits, "difference": [_endpoints(part, 2 * digits) for part in diff]},
        closed_forms=closed,
    )
