"""The notes' definition of differentiability, decided for concrete maps at a point.

    f(x + Δx) − f(x) = A Δx + α(Δx) |Δx|,   α(Δx) → 0 as Δx → 0   (section 2.2)

Each local property below returns a :class:`Finding`: ``holds`` is True (with the
method of proof), False (with a :class:`Breach`: an approach to the point along which a
limit is exactly wrong, replayed numerically) or None (with the reason).

Proof routes, from strongest to weakest assumption on the map:

* polynomial maps: f(a+Δx) − f(a) − J(a)Δx is a polynomial in Δx with every term of
  degree ≥ 2, so |α(Δx)| ≤ C|Δx| near 0: exact;
* smooth elementary maps: every component is built from polynomials, exp, sin, cos,
  sinh, cosh, tanh, atan, and from log, powers, tan, |·| at points where their argument
  is positive / nonzero (checked exactly at a), so the map is C^∞ near a and Taylor's
  theorem bounds |α(Δx)| ≤ ½·sup‖D²f‖·|Δx|;
* maps of one variable: α(Δx) → 0 iff the difference quotient has a limit, and both
  one-sided limits are computed exactly.

Refutation routes: a missing partial derivative (one-sided limits of the difference
quotient that differ or are infinite; Theorem 2.1 then rules out any A), or a path
Δx(t) along which α does not tend to 0 (A must be the matrix of partial derivatives, by
Theorem 2.1). Continuity and continuity of the partial derivatives are decided the same
way; oscillating maps (sin(1/x)) are caught with sequences such as x_k = 1/(2πk).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Callable, Sequence

import sympy as sp
from sympy.core.function import AppliedUndef

from symconv.results.result import Witness
from symconv.routes.budget import Budget
from symconv.routes.calculus.maps import Map, UndefinedAt, as_point, point_text
from symconv.routes.calculus.paths import (
    DIGITS,
    Approach,
    K,
    T,
    curve,
    limit_along,
    line,
    numeric_text,
    replay,
    sequence,
    settles,
)

__all__ = [
    "Breach",
    "Finding",
    "smooth_conditions",
    "is_smooth_at",
    "exact_zero",
    "differentiable",
    "continuous",
    "partials_exist",
    "partials_continuous",
    "partials_match",
    "PROPERTIES",
    "breach_witness",
    "METHOD_POLYNOMIAL",
    "METHOD_SMOOTH",
    "METHOD_ONE_VARIABLE",
]

METHOD_POLYNOMIAL = "polynomial remainder of order ≥ 2"
METHOD_SMOOTH = "smooth elementary map (Taylor bound)"
METHOD_ONE_VARIABLE = "one-sided limits of the difference quotient"

# Functions that are C^∞ on all of ℝ.
_ENTIRE = (sp.exp, sp.sin, sp.cos, sp.sinh, sp.cosh, sp.tanh, sp.atan)


# --------------------------------------------------------------------------- findings
@dataclass(frozen=True)
class Breach:
    """An exact failure: along ``approach``, ``quantity`` tends to ``lhs`` instead of ``rhs``.

    ``replays`` holds the exact and numeric values at the last samples of the approach
    (for each compared side that depends on the approach).
    """

    quantity: str
    approach: Approach | None
    lhs: sp.Expr
    rhs: sp.Expr
    lhs_label: str
    rhs_label: str
    replays: dict = field(default_factory=dict)
    facts: dict = field(default_factory=dict)

    def describe(self) -> str:
        where = f" along {self.approach.text()}" if self.approach else ""
        return (
            f"{self.quantity}{where}: {self.lhs_label} = {self.lhs}, {self.rhs_label} = {self.rhs}"
        )


@dataclass(frozen=True)
class Finding:
    """Whether a local property holds: True with a method, False with a breach, None with a reason."""

    holds: bool | None
    method: str = ""
    breach: Breach | None = None
    reason: str | None = None
    A: sp.Matrix | None = None
    facts: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.holds is True and not self.method:
            raise ValueError("a finding that holds needs its method")
        if self.holds is False and self.breach is None:
            raise ValueError("a finding that fails needs its breach")
        if self.holds is None and not self.reason:
            raise ValueError("an undecided finding needs a reason")


def _undecided(reason: str, **facts) -> Finding:
    return Finding(None, reason=reason, facts=facts)


# --------------------------------------------------------------------------- exact tests
_PROBES = (sp.Rational(1, 3), sp.Rational(-2, 7), sp.Rational(5, 4))


def exact_zero(expr: sp.Expr) -> bool | None:
    """Is an expression zero (identically, when it has symbols)? None when undecided.

    True when expansion or simplification gives 0, or SymPy proves it zero; False when
    SymPy proves it nonzero or, for an expression with symbols, an exact evaluation at a
    rational point (where it is defined) is provably nonzero.
    """
    expr = sp.sympify(expr, strict=True)
    if expr == 0:
        return True
    e = sp.expand(expr)
    if e == 0:
        return True
    z = e.is_zero
    if z is not None and not e.free_symbols:
        return z
    s = sp.simplify(e)
    if s == 0:
        return True
    if not s.free_symbols:
        return s.is_zero
    symbols = sorted(s.free_symbols, key=str)
    for shift, probe in enumerate(_PROBES):
        point = {v: _PROBES[(k + shift) % len(_PROBES)] for k, v in enumerate(symbols)}
        value = s.xreplace(point)
        if value.has(sp.nan, sp.zoo, sp.oo, -sp.oo) or value.free_symbols:
            continue
        if value.is_zero is False:
            return False
    return None


def smooth_conditions(expr: sp.Expr, variables: Sequence[sp.Symbol]):
    """The conditions under which ``expr`` is C^∞ near a point, or None outside the whitelist.

    Returns a list of ``("nonzero" | "positive", subexpression)``: ``expr`` is C^∞ on
    the open set where every listed subexpression is nonzero / positive.
    """
    vars_ = set(variables)
    out: list = []

    def walk(e) -> bool:
        if not (e.free_symbols & vars_):
            if e.atoms(AppliedUndef):
                return False
            return e.is_extended_real is True and e.is_finite is True
        if e.is_Symbol:
            return e in vars_
        if isinstance(e, (sp.Add, sp.Mul)):
            return all(walk(a) for a in e.args)
        if isinstance(e, sp.Pow):
            b, p = e.args
            if not walk(b):
                return False
            if not (p.free_symbols & vars_):
                if p.is_integer and p.is_nonnegative:
                    return True
                if p.is_integer and p.is_negative:
                    out.append(("nonzero", b))
                    return True
                if p.is_real:
                    out.append(("positive", b))
                    return True
                return False
            out.append(("positive", b))
            return walk(p)
        if isinstance(e, _ENTIRE):
            return walk(e.args[0])
        if isinstance(e, sp.log) and len(e.args) == 1:
            out.append(("positive", e.args[0]))
            return walk(e.args[0])
        if isinstance(e, sp.tan):
            out.append(("nonzero", sp.cos(e.args[0])))
            return walk(e.args[0])
        if isinstance(e, sp.Abs):
            out.append(("nonzero", e.args[0]))
            return walk(e.args[0])
        return False

    return out if walk(sp.sympify(expr, strict=True)) else None


def is_smooth_at(f: Map, point) -> tuple[bool, str]:
    """(True, how) when f coincides near ``point`` with a formula that is C^∞ there."""
    point = as_point(point)
    given = f.override_at(point)
    subs = dict(zip(f.variables, point))
    for c in f.components:
        conds = smooth_conditions(c, f.variables)
        if conds is None:
            return False, f"{c} is outside the smooth elementary whitelist"
        for kind, u in conds:
            value = sp.sympify(u, strict=True).xreplace(subs)
            ok = value.is_positive if kind == "positive" else value.is_zero is False
            if ok is not True:
                return False, f"{u} is not provably {kind} at {point_text(point)}"
    if given is not None:
        try:
            formula = f.formula_at(point)
        except UndefinedAt:
            return False, "the formula is singular at the override point"
        if not all(exact_zero(g - v) is True for g, v in zip(given, formula)):
            return False, "the value given at the point differs from the formula"
    return True, "C^∞ near the point"


def _polynomial_remainder_ok(f: Map, point) -> bool:
    """f(a+Δx) − f(a) − J(a)Δx has only terms of degree ≥ 2 in Δx (f polynomial)."""
    d = sp.symbols(f"_d1:{f.n + 1}", real=True)
    J = f.jacobian(point)
    near = f.along(point, d)
    here = f.formula_at(point)
    for i in range(f.m):
        r = sp.expand(near[i] - here[i] - sum(J[i, j] * d[j] for j in range(f.n)))
        if r == 0:
            continue
        poly = sp.Poly(r, *d)
        if min(sum(mon) for mon in poly.monoms()) < 2:
            return False
    return True


def _certified(f: Map, point) -> tuple[str | None, str]:
    """The proof route for a map that is polynomial or smooth near the point, if any."""
    smooth, why = is_smooth_at(f, point)
    if not smooth:
        return None, why
    if f.is_polynomial() and _polynomial_remainder_ok(f, point):
        return METHOD_POLYNOMIAL, "polynomial"
    return METHOD_SMOOTH, why


def _matrix_text(A: sp.Matrix) -> list[list[str]]:
    return [[str(A[i, j]) for j in range(A.cols)] for i in range(A.rows)]


# --------------------------------------------------------------------------- approaches
def _axis(n: int, j: int, sign: int = 1) -> tuple:
    return tuple(sign if i == j else 0 for i in range(n))


def _paths(n: int) -> list[Approach]:
    """Lines along the diagonals and a few parabolas, then the axes: small and fixed."""
    out: list[Approach] = []
    pairs = list(itertools.combinations(range(n), 2))[:6]
    for i, j in pairs:
        for s in (1, -1):
            v = [0] * n
            v[i], v[j] = 1, s
            out.append(line(v))
    if n > 2:
        out.append(line([1] * n))
    for i, j in pairs:
        for a, b in ((T, T**2), (T**2, T), (-T, T**2)):
            v = [sp.S.Zero] * n
            v[i], v[j] = a, b
            out.append(curve(v))
    for j in range(n):
        out.append(line(_axis(n, j)))
        out.append(line(_axis(n, j, -1)))
    return out


def _sequences(n: int) -> list[Approach]:
    """x_k = ±1/(2πk + d) along each axis: catches oscillations like sin(1/x)."""
    out = []
    for j in range(n):
        for d in (0, sp.pi / 2, sp.pi, 3 * sp.pi / 2):
            for s in (1, -1):
                v = [sp.S.Zero] * n
                v[j] = s / (2 * sp.pi * K + d)
                out.append(sequence(v))
    return out


def _breach_along(
    quantity: str,
    build: Callable[[tuple], sp.Expr],
    approach: Approach,
    target: sp.Expr,
    lhs_label: str,
    rhs_label: str,
    facts: dict | None = None,
) -> Breach | None:
    """A breach when the quantity has an exact limit ≠ ``target`` along the approach.

    ``build(displacement)`` gives the quantity at a + displacement: with the symbolic
    displacement for the limit, with concrete ones for the replay.
    """
    L = limit_along(build(approach.displacement), approach)
    if L is None:
        return None
    if L not in (sp.oo, -sp.oo) and exact_zero(L - target) is not False:
        return None
    r = replay(build, approach, L, target)
    if not r.consistent:
        return None
    return Breach(
        quantity,
        approach,
        L,
        target,
        lhs_label,
        rhs_label,
        replays={"lhs": {"note": r.note, "samples": r.to_list()}},
        facts=dict(facts or {}),
    )


# --------------------------------------------------------------------------- partials
def _quotient_builder(f: Map, point, i: int, j: int) -> Callable[[tuple], sp.Expr]:
    """Δx = h·e_j ↦ (f_i(a + h·e_j) − f_i(a)) / h: the difference quotient."""
    here = f.at(point)[i]

    def build(disp: tuple) -> sp.Expr:
        return (f.along(point, disp)[i] - here) / disp[j]

    return build


def _one_partial(f: Map, point, i: int, j: int, budget: Budget | None):
    """(value, None) when ∂f_i/∂x_j(a) exists, (None, breach) when it provably does not,
    (None, None) when undecided. Both one-sided limits are computed exactly."""
    name = f"∂{f.name}{'' if f.m == 1 else i + 1}/∂{f.variables[j]}"
    q = _quotient_builder(f, point, i, j)
    sides = (line(_axis(f.n, j, 1)), line(_axis(f.n, j, -1)))
    limits = []
    for side in sides:
        if budget:
            budget.check()
        limits.append(limit_along(q(side.displacement), side))
    right, left = limits
    qr, ql = q(sides[0].displacement), q(sides[1].displacement)
    if right is None or left is None:
        return None, _oscillation(q, f.n, j, name, point, budget)
    finite = right not in (sp.oo, -sp.oo) and left not in (sp.oo, -sp.oo)
    if finite and exact_zero(right - left) is True:
        # a limit used as a proof gets a numeric sanity check (an alarm, not evidence)
        if settles(qr, sides[0], right) and settles(ql, sides[1], left):
            return right, None
        return None, None
    if finite and exact_zero(right - left) is not False:
        return None, None
    # the quotient has no finite limit: replay both sides before saying so
    ok_r = replay(q, sides[0], right, left)
    ok_l = replay(q, sides[1], left, right)
    if not (ok_r.consistent and ok_l.consistent):
        return None, None
    quantity = f"(f(a + t·e_{j + 1}) − f(a))/t for {name} at a = {point_text(point)}"
    return None, Breach(
        quantity,
        sides[0],
        right,
        left,
        "limit as t → 0+",
        "limit as t → 0− (a derivative needs both to be the same finite number)",
        replays={
            "lhs": {"note": ok_r.note, "samples": ok_r.to_list()},
            "rhs": {"note": ok_l.note, "samples": ok_l.to_list()},
        },
        facts={"partial": name, "missing": True},
    )


def _oscillation(q, n: int, j: int, name: str, point, budget: Budget | None) -> Breach | None:
    """Two sequences h_k → 0 along e_j with different exact limits of the quotient q."""
    found: list = []
    for approach in _sequences(n):
        if approach.displacement[j] == 0:
            continue
        if budget:
            budget.check()
        L = limit_along(q(approach.displacement), approach)
        if L is None:
            continue
        for other, M in found:
            infinite = L in (sp.oo, -sp.oo) or M in (sp.oo, -sp.oo)
            if (L != M) if infinite else (exact_zero(L - M) is False):
                r1 = replay(q, other, M, L)
                r2 = replay(q, approach, L, M)
                if r1.consistent and r2.consistent:
                    return Breach(
                        f"(f(a + h·e_{j + 1}) − f(a))/h for {name} at a = {point_text(point)}",
                        other,
                        M,
                        L,
                        f"limit along {other.text()}",
                        f"limit along {approach.text()}",
                        replays={
                            "lhs": {"note": r1.note, "samples": r1.to_list()},
                            "rhs": {"note": r2.note, "samples": r2.to_list()},
                        },
                        facts={"partial": name, "missing": True},
                    )
        found.append((approach, L))
    return None


def partials_exist(
    f: Map, point, budget: Budget | None = None, given: Finding | None = None
) -> Finding:
    """Do all partial derivatives of f exist at the point? (values as the matrix ``A``)."""
    point = as_point(point)
    try:
        f.at(point)
    except UndefinedAt as exc:
        return _undecided(str(exc))
    P = sp.zeros(f.m, f.n)
    smooth, _ = is_smooth_at(f, point)
    if smooth:
        # f is C^∞ near a, so each restriction t ↦ f_i(a + t e_j) is C^∞ near 0 and its
        # difference quotient tends to its derivative at 0
        for j in range(f.n):
            near = f.along(point, _axis(f.n, j, T))
            for i in range(f.m):
                P[i, j] = sp.diff(near[i], T).xreplace({T: sp.S.Zero})
        return Finding(
            True,
            method="derivatives at 0 of the smooth restrictions t ↦ f(a + t·e_j)",
            A=P,
            facts={"partials": _matrix_text(P)},
        )
    for i in range(f.m):
        for j in range(f.n):
            value, breach = _one_partial(f, point, i, j, budget)
            if breach is not None:
                return Finding(False, breach=breach)
            if value is None:
                return _undecided(
                    "no exact limit found for the difference quotient of entry "
                    f"({i + 1}, {j + 1})"
                )
            P[i, j] = value
    return Finding(
        True,
        method="limits of the difference quotients along the axes (both sides)",
        A=P,
        facts={"partials": _matrix_text(P)},
    )


# --------------------------------------------------------------------------- definition
def _alpha_builder(f: Map, point, A: sp.Matrix, i: int) -> Callable[[tuple], sp.Expr]:
    """Δx ↦ α_i(Δx) = (f_i(a + Δx) − f_i(a) − (AΔx)_i) / |Δx|."""
    here = f.at(point)[i]

    def build(disp: tuple) -> sp.Expr:
        linear = sum(A[i, j] * disp[j] for j in range(f.n))
        norm = sp.sqrt(sp.expand(sum(d**2 for d in disp)))
        return (f.along(point, disp)[i] - here - linear) / norm

    return build


def differentiable(
    f: Map, point, budget: Budget | None = None, given: Finding | None = None
) -> Finding:
    """Is f differentiable at the point in the sense of the notes' definition?

    When it is, the finding's ``A`` is the matrix of the definition.
    """
    point = as_point(point)
    try:
        f.at(point)
    except UndefinedAt as exc:
        return _undecided(str(exc))
    method, why = _certified(f, point)
    if method is not None:
        A = f.jacobian(point)
        return Finding(True, method=method, A=A, facts={"A": _matrix_text(A), "why": why})
    partials = partials_exist(f, point, budget)
    if partials.holds is False:
        b = partials.breach
        return Finding(
            False,
            breach=Breach(
                b.quantity,
                b.approach,
                b.lhs,
                b.rhs,
                b.lhs_label,
                b.rhs_label,
                replays=b.replays,
                facts={
                    **b.facts,
                    "why": "a partial derivative is missing, so no matrix A exists (Theorem 2.1)",
                },
            ),
        )
    if partials.holds is None:
        return _undecided(f"partial derivatives: {partials.reason}", smooth=why)
    A = partials.A
    if f.n == 1:
        # one variable: α → 0 iff the difference quotient converges, which it does
        return Finding(True, method=METHOD_ONE_VARIABLE, A=A, facts={"A": _matrix_text(A)})
    tried = 0
    for approach in _paths(f.n):
        for i in range(f.m):
            if budget:
                budget.check()
            tried += 1
            breach = _breach_along(
                f"α(Δx) of {f.name}{'' if f.m == 1 else i + 1} at {point_text(point)}",
                _alpha_builder(f, point, A, i),
                approach,
                sp.S.Zero,
                "limit of α",
                "required limit",
                facts={
                    "A (the partial derivatives, Theorem 2.1)": _matrix_text(A),
                    "why": "α(Δx) must tend to 0 along every path",
                },
            )
            if breach is not None:
                return Finding(False, breach=breach)
    return _undecided(
        f"the partial derivatives exist and α → 0 along all {tried} paths tried, but {why}, "
        "so no proof route applies",
        A=_matrix_text(A),
    )


def _tends_to(
    build: Callable[[tuple], sp.Expr],
    n: int,
    target: sp.Expr,
    quantity: str,
    labels: tuple[str, str],
    budget: Budget | None,
    facts: dict | None = None,
) -> tuple[bool | None, Breach | None]:
    """Does build(Δx) → target as Δx → 0, Δx ≠ 0?

    True only for one variable, when both one-sided limits are exactly ``target`` (and
    the values settle there numerically). False with a breach when some line, path or
    sequence has an exact limit other than ``target``, replayed. None otherwise: agreeing
    paths and sequences never prove a limit.
    """
    if n == 1:
        sides = [line((1,)), line((-1,))]
        agree = 0
        for side in sides:
            expr = build(side.displacement)
            L = limit_along(expr, side)
            if (
                L is not None
                and L not in (sp.oo, -sp.oo)
                and exact_zero(L - target) is True
                and settles(expr, side, L)
            ):
                agree += 1
        if agree == 2:
            return True, None
        search = sides + _sequences(1)
    else:
        search = _paths(n) + _sequences(n)
    for approach in search:
        if budget:
            budget.check()
        breach = _breach_along(quantity, build, approach, target, *labels, facts=facts)
        if breach is not None:
            return False, breach
    return None, None


def continuous(
    f: Map, point, budget: Budget | None = None, given: Finding | None = None
) -> Finding:
    """Is f continuous at the point?"""
    point = as_point(point)
    try:
        value = f.at(point)
    except UndefinedAt as exc:
        return _undecided(str(exc))
    smooth, why = is_smooth_at(f, point)
    if smooth:
        return Finding(True, method="elementary map, continuous near the point", facts={"why": why})
    for i in range(f.m):
        ok, breach = _tends_to(
            lambda disp, i=i: f.along(point, disp)[i],
            f.n,
            value[i],
            f"{f.name}{'' if f.m == 1 else i + 1}(a + Δx) at a = {point_text(point)}",
            ("limit", "value at the point"),
            budget,
        )
        if breach is not None:
            return Finding(False, breach=breach)
        if ok is not True:
            return _undecided(f"{why}; no limit along the approaches tried differs from the value")
    return Finding(True, method="one-sided limits equal the value")


def _derivative_limit(
    f: Map, point, i: int, j: int, p: sp.Expr, budget: Budget | None
) -> tuple[bool | None, Breach | None]:
    """Does ∂f_i/∂x_j(x) → p as x → a (x ≠ a)? Uses the formula's derivative off the point."""
    D = sp.diff(f.components[i], f.variables[j])
    name = f"∂{f.name}{'' if f.m == 1 else i + 1}/∂{f.variables[j]}"
    smooth_map = Map(f.variables, (D,), name=name)
    smooth, _ = is_smooth_at(smooth_map, point)
    if smooth:
        # D is C^∞ near a, so D(x) → D(a) as x → a
        return exact_zero(D.xreplace(dict(zip(f.variables, point))) - p), None
    return _tends_to(
        lambda disp: smooth_map.along(point, disp)[0],
        f.n,
        p,
        f"{name}(x) as x → {point_text(point)}",
        (f"limit of {name}", f"{name} at the point"),
        budget,
        facts={"derivative off the point": str(D)},
    )


def partials_continuous(
    f: Map, point, budget: Budget | None = None, given: Finding | None = None
) -> Finding:
    """Do all partial derivatives exist near the point and are they continuous at it?"""
    point = as_point(point)
    partials = partials_exist(f, point, budget)
    if partials.holds is not True:
        if partials.holds is False:
            return Finding(False, breach=partials.breach)
        return _undecided(f"partial derivatives: {partials.reason}")
    P = partials.A
    for i in range(f.m):
        for j in range(f.n):
            ok, breach = _derivative_limit(f, point, i, j, P[i, j], budget)
            if ok is False and breach is not None:
                return Finding(
                    False, breach=breach, facts={"partials at the point": _matrix_text(P)}
                )
            if ok is not True:
                return _undecided(
                    f"continuity of the partial derivative ({i + 1}, {j + 1}) not decided"
                )
    return Finding(
        True,
        method="partial derivatives exist and tend to their values at the point",
        A=P,
        facts={"partials": _matrix_text(P)},
    )


def _linear_part(f: Map, point) -> sp.Matrix:
    """A read off the first-order term: d/ds f(a + sΔx) at s = 0 is linear in Δx."""
    s = sp.Symbol("_s", real=True)
    d = sp.symbols(f"_d1:{f.n + 1}", real=True)
    near = f.along(point, tuple(s * dj for dj in d))
    A = sp.zeros(f.m, f.n)
    for i in range(f.m):
        first = sp.expand(sp.diff(near[i], s).xreplace({s: sp.S.Zero}))
        for j in range(f.n):
            A[i, j] = first.coeff(d[j])
    return A


def partials_match(
    f: Map, point, budget: Budget | None = None, given: Finding | None = None
) -> Finding:
    """Theorem 2.1's conclusion: the partial derivatives exist and are the entries of A.

    ``given`` is the finding that f is differentiable (it carries A). When A came from a
    proof route for smooth maps, it is also recomputed from the first-order term of
    f(a + sΔx); the partial derivatives are always recomputed as limits of difference
    quotients, independently of A.
    """
    point = as_point(point)
    if given is None or given.A is None:
        given = differentiable(f, point, budget)
        if given.holds is not True or given.A is None:
            return _undecided("no matrix A to compare with")
    A = given.A
    if given.method in (METHOD_POLYNOMIAL, METHOD_SMOOTH):
        A_lin = _linear_part(f, point)
        for i, j in itertools.product(range(f.m), range(f.n)):
            if exact_zero(A_lin[i, j] - A[i, j]) is not True:
                return _undecided(f"first-order term disagrees with A at ({i + 1}, {j + 1})")
    partials = partials_exist(f, point, budget)
    if partials.holds is not True:
        if partials.holds is False:
            return Finding(False, breach=partials.breach)
        return _undecided(f"partial derivatives: {partials.reason}")
    for i in range(f.m):
        for j in range(f.n):
            same = exact_zero(partials.A[i, j] - A[i, j])
            if same is False:
                return Finding(
                    False,
                    breach=Breach(
                        f"entry ({i + 1}, {j + 1}) of A vs the partial derivative",
                        None,
                        partials.A[i, j],
                        A[i, j],
                        "partial derivative",
                        "entry of A",
                    ),
                )
            if same is None:
                return _undecided(f"entry ({i + 1}, {j + 1}): equality not decided")
    return Finding(
        True,
        method="difference-quotient limits equal the entries of A",
        A=A,
        facts={"A": _matrix_text(A)},
    )


#: Local properties by the name used in claims.
PROPERTIES: dict[str, Callable[..., Finding]] = {
    "differentiable": differentiable,
    "continuous": continuous,
    "partial derivatives exist": partials_exist,
    "partial derivatives are continuous": partials_continuous,
    "partial derivatives are the entries of A": partials_match,
}


# --------------------------------------------------------------------------- witness
def _signature(f: Map) -> str:
    return f"{f.name}({', '.join(map(str, f.variables))})"


def _definition(f: Map) -> str:
    """The map as a formula, with the points where it takes given values."""
    comps = [str(c) for c in f.components]
    out = comps[0] if len(comps) == 1 else "(" + ", ".join(comps) + ")"
    for p, vals in f.overrides:
        v = str(vals[0]) if len(vals) == 1 else "(" + ", ".join(map(str, vals)) + ")"
        args = point_text(f.variables)
        out += f" for {args} ≠ {point_text(p)}, {v} at {point_text(p)}"
    return out


def breach_witness(f: Map, point, breach: Breach, extra: dict | None = None) -> Witness:
    """The witness of a failed property: the map, the point, both compared values."""
    point = as_point(point)
    more = {
        "map": f.to_dict(),
        "compared": breach.quantity,
        "lhs_is": breach.lhs_label,
        "rhs_is": breach.rhs_label,
        "path": breach.approach.text() if breach.approach else None,
        "path_data": breach.approach.to_dict() if breach.approach else None,
        "replay": breach.replays,
        **breach.facts,
    }
    more.update(extra or {})
    return Witness(
        functions={_signature(f): _definition(f)},
        parameters={},
        at=point_text(point),
        test_function=None,
        lhs=str(breach.lhs),
        rhs=str(breach.rhs),
        lhs_numeric=numeric_text(breach.lhs, DIGITS[0]),
        rhs_numeric=numeric_text(breach.rhs, DIGITS[0]),
        digits=DIGITS[0],
        extra=more,
    )
