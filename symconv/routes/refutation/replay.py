"""Replay of a counterexample: the only maker of ``refuted`` evidence (keep it small).

A candidate (concrete functions, parameter values, a point or a test function) counts
as a counterexample to ``lhs = rhs`` only when all of this holds:

1. both sides evaluate *exactly* (:mod:`symconv.routes.concrete.evaluate`) to numbers at the point
   (or paired with the test function; a scalar statement needs neither);
2. mpmath interval arithmetic at two rising precisions encloses lhs − rhs in
   intervals that exclude 0 and agree with each other — a certified inequality of the
   exact values;
3. an independent numeric evaluation agrees: every operation node of both sides is
   recomputed from its definition by mpmath quadrature (∫ A(y)B(x ∓ y)dy with the
   break points of piecewise integrands, sifting for δ, numeric derivatives) from the
   closed forms of its arguments, must match the closed form, and the two sides
   recomputed this way must differ by more than their error estimates.

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
from mpmath.ctx_iv import MPIntervalContext
from mpmath.ctx_mp import MPContext

from symconv.language.fold import Cases, refuse, sort_of
from symconv.language.terms import FUNCTION, Operation, Statement
from symconv.results.certificate import CounterexampleCertificate
from symconv.results.result import Witness
from symconv.routes.concrete.evaluate import Env, Evaluator, inner
from symconv.routes.concrete.functions import Distribution, GaussianSum
from symconv.routes.concrete.numbers import ConcreteError, Num
from symconv.trusted.codec import Encoder

__all__ = [
    "Candidate",
    "Counterexample",
    "ReplayFailed",
    "replay",
    "satisfies",
    "side_values",
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
    integer, even, prime, …)? A value SymPy cannot decide for an assumption does not."""
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
    """Intervals for lhs, rhs and lhs − rhs at ``digits`` and ``2·digits``; raises
    ReplayFailed unless both differences exclude 0 and the enclosures agree."""
    previous = None
    out = None
    for dps in (digits, 2 * digits):
        ctx = MPIntervalContext()
        ctx.dps = dps + 10
        diff = (lhs - rhs).interval(ctx)
        if diff.a <= 0 <= diff.b:
            raise ReplayFailed(f"at {dps} digits the difference of the sides encloses 0")
        if previous is not None and (diff.b < previous[0] or diff.a > previous[1]):
            raise ReplayFailed("the enclosures at two precisions disagree")
        previous = (diff.a, diff.b)
        out = (ctx, lhs.interval(ctx), rhs.interval(ctx), diff)
    return out


# --------------------------------------------------------------------------- quadrature


def _gauss_legendre(n: int):
    import numpy as np

    return np.polynomial.legendre.leggauss(n)


class _Numeric(Cases):
    """Recomputes values from definitions by quadrature, using the closed forms of the
    arguments of each node (never the closed form of the node itself).

    Integrals use composite Gauss–Legendre rules in double precision (24 and 16 nodes
    per sub-interval, the difference being the error estimate) on the support of the
    integrand, split at every break point of a piecewise factor; derivatives and
    δ sifting use mpmath at 20 digits.
    """

    def __init__(self, ev: Evaluator):
        import numpy as np

        self.np = np
        self.ev = ev
        self.mp = MPContext()
        self.mp.dps = QUAD_DPS
        self.err = 0.0
        self.nodes = 0
        self.rules = (_gauss_legendre(24), _gauss_legendre(16))

    # closures
    def numeric_fn(self, dist: Distribution):
        if dist.smooth is None:
            return lambda x: self.mp.mpf(0)
        return dist.smooth.numeric(self.mp)

    def deriv(self, dist: Distribution, x, k: int) -> float:
        f = self.numeric_fn(dist)
        if k == 0:
            return float(f(x))
        return float(self.mp.diff(f, x, k))

    @staticmethod
    def _mpf_of(mp, q: Fraction):
        return mp.mpf(q.numerator) / q.denominator

    def integrate(self, fa, fb, range_, cuts, width) -> float:
        """∫ fa(y)·fb(y) dy over range_ (vectorised callables), split at cuts."""
        np = self.np
        lo, hi = range_
        if not lo < hi:
            return 0.0
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
            values.append((float(np.dot(w, fy)), float(np.dot(w, np.abs(fy)))))
        (fine, scale), (coarse, _) = values
        self.err += abs(fine - coarse) + 1e-13 * scale
        return fine

    def _support_width(self, dist: Distribution):
        s = dist.smooth
        if s.family == "gaussian":
            return s.support(), 0.5 / max(float(a) for (a, _), _ in s.terms) ** 0.5
        rates = [abs(float(lam)) for _, _, e in s.pieces for (_, lam), _ in e if lam]
        return s.support(), 0.5 / max(rates + [1.0])

    def kernel_value(self, a: Distribution, b: Distribution, x: Fraction, sigma: int) -> float:
        """∫ A(y) B(x + σy) dy from the definitions (δ parts by sifting)."""
        mp = self.mp
        total = 0.0
        if a.smooth is not None and b.smooth is not None:
            fa, fb0 = a.smooth.numeric_np(), b.smooth.numeric_np()
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
            total += float(c.mpf(mp)) * (-sigma) ** k * self.deriv(a, self._mpf_of(mp, y0), k)
        for (p, k), c in a.deltas:  # ∫ δ⁽ᵏ⁾(y − p) B(x + σy) dy = (−σ)ᵏ B⁽ᵏ⁾(x + σp)
            u0 = x + sigma * p
            total += float(c.mpf(mp)) * (-sigma) ** k * self.deriv(b, self._mpf_of(mp, u0), k)
        return total

    def pair(self, a: Distribution, b: Distribution) -> float:
        """∫ A B from the definitions (δ parts by sifting)."""
        mp = self.mp
        total = 0.0
        if a.smooth is not None and b.smooth is not None:
            (la, ha), wa = self._support_width(a)
            (lb, hb), wb = self._support_width(b)
            cuts = [float(p) for p in a.singular_points() + b.singular_points()]
            total += self.integrate(
                a.smooth.numeric_np(), b.smooth.numeric_np(), (max(la, lb), min(ha, hb)), cuts, min(wa, wb)
            )
        for (p, k), c in b.deltas:
            total += float(c.mpf(mp)) * (-1) ** k * self.deriv(a, self._mpf_of(mp, p), k)
        for (p, k), c in a.deltas:
            total += float(c.mpf(mp)) * (-1) ** k * self.deriv(b, self._mpf_of(mp, p), k)
        return total

    def value(self, expr, x: Fraction) -> float:
        """The value of a function-valued term at x, one level from its arguments."""
        if isinstance(expr, sp.Add):
            return sum(self.value(a, x) for a in expr.args)
        if isinstance(expr, sp.Mul):
            funcs = [a for a in expr.args if sort_of(a) == FUNCTION]
            scalar = self.ev.scalar(sp.Mul(*[a for a in expr.args if a is not funcs[0]]))
            return float(scalar.mpf(self.mp)) * self.value(funcs[0], x)
        return self.case(expr, x)

    def scalar(self, expr) -> float:
        if isinstance(expr, sp.Add):
            return sum(self.scalar(a) for a in expr.args)
        if isinstance(expr, sp.Mul):
            out = 1.0
            for a in expr.args:
                out *= self.scalar(a)
            return out
        if not _has_term(expr):
            return float(self.ev.scalar(expr).mpf(self.mp))
        if isinstance(expr, Operation):
            return self.case(expr, None)
        raise ReplayFailed(f"no numeric rule for {expr}")

    # one entry per operator: its definition, numerically, from the arguments' closed forms
    def _at(self, x: Fraction):
        return self._mpf_of(self.mp, x)

    def fn(self, node, x):
        return float(self.numeric_fn(self.ev.function(node))(self._at(x)))

    def conv(self, node, x):
        return self.kernel_value(self.ev.function(node.left), self.ev.function(node.right), x, -1)

    def xcorr(self, node, x):
        return self.kernel_value(self.ev.function(node.left), self.ev.function(node.right), x, 1)

    def flip(self, node, x):
        return float(self.numeric_fn(self.ev.function(node.arg))(-self._at(x)))

    def shift(self, node, x):
        return float(self.numeric_fn(self.ev.function(node.arg))(self._at(x - self.ev.rational(node.amount))))

    def diff(self, node, x):
        return self.deriv(self.ev.function(node.arg), self._at(x), int(self.ev.rational(node.order)))

    def delta(self, node, x):
        return 0.0  # away from its point; at the point a δ has no value (checked by the caller)

    def at(self, node, x):
        return self.value(node.arg, self.ev.rational(node.point))

    def inner(self, node, x):
        return self.pair(self.ev.function(node.args[0]), self.ev.function(node.args[1]))

    # the larger language: no numeric rule yet
    def zero(self, node, x):
        return 0.0

    id = refuse("no numeric rule yet", ReplayFailed)
    fourier = refuse("no numeric rule yet", ReplayFailed)
    ifourier = refuse("no numeric rule yet", ReplayFailed)
    mul = refuse("no numeric rule yet", ReplayFailed)
    scale = refuse("no numeric rule yet", ReplayFailed)
    modulate = refuse("no numeric rule yet", ReplayFailed)
    conj = refuse("no numeric rule yet", ReplayFailed)
    convpow = refuse("no numeric rule yet", ReplayFailed)
    integral = refuse("no numeric rule yet", ReplayFailed)

    def tolerance(self, scale: float) -> float:
        return 100 * self.err + 1e-9 * (1 + abs(scale))


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
                exact = closed.value(x).mpf(num.mp)
            except ConcreteError:
                continue
            num.err = 0.0
            approx = num.value(node, x)
            num.nodes += 1
            checked += 1
            if abs(approx - float(exact)) > num.tolerance(float(exact)):
                raise ReplayFailed(
                    f"the closed form of {node} at x = {x} disagrees with numeric "
                    f"integration of its definition ({float(exact):.12g} vs {approx:.12g})"
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
    ctx = MPContext()
    ctx.dps = digits + 10
    return ctx.nstr(ctx.mpf(interval.mid.a), digits)


def replay(statement: Statement, cand: Candidate, digits: int = DIGITS) -> Witness:
    """A :class:`Witness` when ``cand`` refutes the equality ``statement``; otherwise
    :class:`ReplayFailed` with the reason."""
    for symbol, value in cand.parameters.items():
        if not satisfies(symbol, value):
            raise ReplayFailed(f"{symbol} = {value} breaks an assumption {symbol} carries")
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
    tol_l, tol_r = num.tolerance(nl), num.tolerance(nr)
    exact_l, exact_r = float(lv.mpf(num.mp)), float(rv.mpf(num.mp))
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
        lhs_numeric=_decimal(li, digits),
        rhs_numeric=_decimal(ri, digits),
        digits=digits,
        extra={
            "confirmation": {
                "difference": _decimal(diff, 12),
                "interval_digits": [digits, 2 * digits],
                "quadrature_nodes": num.nodes,
                "quadrature_lhs": f"{nl:.15g}",
                "quadrature_rhs": f"{nr:.15g}",
            }
        },
        data=data,
        certificate=certificate,
    )


def _endpoints(interval, digits: int) -> list[str]:
    """The ends of an mpmath interval as decimal text."""
    ctx = MPContext()
    ctx.dps = digits + 10
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
        enclosure={"digits": digits, "difference": _endpoints(diff, 2 * digits)},
        closed_forms=[[enc(n), enc(ev.function(n).expr(x))] for n in nodes],
    )
