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
from typing import Callable

import sympy as sp

from symconv.routes.budget import Budget
from symconv.routes.calculus.findings import (
    Breach,
    Finding,
    breach_witness,
    limit_entry,
    quantity,
    undecided,
    value_entry,
)
from symconv.routes.calculus.maps import Map, UndefinedAt, as_point, point_text
from symconv.routes.calculus.partials import (
    breach_along,
    partials_exist,
    paths_to,
    sequences_to,
)
from symconv.routes.calculus.paths import (
    limit_along,
    line,
    settles,
)
from symconv.routes.calculus.smoothness import (
    METHOD_POLYNOMIAL,
    METHOD_SMOOTH,
    certified,
    exact_zero,
    is_smooth_at,
    matrix_text,
    proof_entries,
    smooth_conditions,
    smooth_entry,
)
from symconv.routes.verdicts import entry

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

METHOD_ONE_VARIABLE = "one-sided limits of the difference quotient"


# --------------------------------------------------------------------------- definition
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
        return undecided(str(exc))
    method, why = certified(f, point)
    if method is not None:
        A = f.jacobian(point)
        return Finding(True, method=method, A=A, facts={"A": matrix_text(A), "why": why},
                       entries=proof_entries(f, point, method))
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
                entries=b.entries,
            ),
        )
    if partials.holds is None:
        return undecided(f"partial derivatives: {partials.reason}", smooth=why)
    A = partials.A
    if f.n == 1:
        # one variable: α → 0 iff the difference quotient converges, which it does
        return Finding(True, method=METHOD_ONE_VARIABLE, A=A, facts={"A": matrix_text(A)},
                       entries=partials.entries)
    tried = 0
    for approach in paths_to(f.n):
        for i in range(f.m):
            if budget:
                budget.check()
            tried += 1
            breach = breach_along(
                f"α(Δx) of {f.name}{'' if f.m == 1 else i + 1} at {point_text(point)}",
                f,
                point,
                quantity("remainder", i, A=A),
                approach,
                sp.S.Zero,
                "limit of α",
                "required limit",
                facts={
                    "A (the partial derivatives, Theorem 2.1)": matrix_text(A),
                    "why": "α(Δx) must tend to 0 along every path",
                },
                target_entries=partials.entries,
            )
            if breach is not None:
                return Finding(False, breach=breach)
    return undecided(
        f"the partial derivatives exist and α → 0 along all {tried} paths tried, but {why}, "
        "so no proof route applies",
        A=matrix_text(A),
    )


def _tends_to(
    f: Map,
    point,
    recipe: dict,
    target: sp.Expr,
    text: str,
    labels: tuple[str, str],
    budget: Budget | None,
    facts: dict | None = None,
    target_entries: tuple = (),
) -> tuple[bool | None, Breach | None, tuple]:
    """Does the quantity of ``recipe`` tend to ``target`` as Δx → 0, Δx ≠ 0?

    True only for one variable, when both one-sided limits are exactly ``target`` (and
    the values settle there numerically). False with a breach when some line, path or
    sequence has an exact limit other than ``target``, replayed. None otherwise: agreeing
    paths and sequences never prove a limit. The last item is the entries of a proof.
    """
    from symconv.routes.calculus.findings import build

    q = build(f, point, recipe)
    if f.n == 1:
        sides = [line((1,)), line((-1,))]
        agree, entries = 0, list(target_entries)
        for side in sides:
            expr = q(side.displacement)
            L = limit_along(expr, side)
            if (
                L is not None
                and L not in (sp.oo, -sp.oo)
                and exact_zero(L - target) is True
                and settles(expr, side, L)
            ):
                agree += 1
                entries.append(limit_entry(f, point, recipe, side, L, f"{text}, {side.text()}"))
                entries.append(entry("equal", what=f"the limit, {side.text()}, and {labels[1]}", a=L, b=target))
        if agree == 2:
            return True, None, tuple(entries)
        search = sides + sequences_to(1)
    else:
        search = paths_to(f.n) + sequences_to(f.n)
    for approach in search:
        if budget:
            budget.check()
        breach = breach_along(text, f, point, recipe, approach, target, *labels, facts=facts,
                              target_entries=target_entries)
        if breach is not None:
            return False, breach, ()
    return None, None, ()


def continuous(
    f: Map, point, budget: Budget | None = None, given: Finding | None = None
) -> Finding:
    """Is f continuous at the point?"""
    point = as_point(point)
    try:
        value = f.at(point)
    except UndefinedAt as exc:
        return undecided(str(exc))
    smooth, why = is_smooth_at(f, point)
    if smooth:
        return Finding(True, method="elementary map, continuous near the point", facts={"why": why},
                       entries=(smooth_entry(f, point),))
    entries = []
    for i in range(f.m):
        ok, breach, more = _tends_to(
            f,
            point,
            quantity("value", i),
            value[i],
            f"{f.name}{'' if f.m == 1 else i + 1}(a + Δx) at a = {point_text(point)}",
            ("limit", "value at the point"),
            budget,
            target_entries=(value_entry(f, point, i),),
        )
        if breach is not None:
            return Finding(False, breach=breach)
        if ok is not True:
            return undecided(f"{why}; no limit along the approaches tried differs from the value")
        entries.extend(more)
    return Finding(True, method="one-sided limits equal the value", entries=tuple(entries))


def _derivative_limit(
    f: Map, point, i: int, j: int, p: sp.Expr, budget: Budget | None, p_entries: tuple = ()
) -> tuple[bool | None, Breach | None, tuple]:
    """Does ∂f_i/∂x_j(x) → p as x → a (x ≠ a)? Uses the formula's derivative off the point;
    ``p_entries`` certify p. The last item is the entries of a proof."""
    D = sp.diff(f.components[i], f.variables[j])
    name = f"∂{f.name}{'' if f.m == 1 else i + 1}/∂{f.variables[j]}"
    smooth_map = Map(f.variables, (D,), name=name)
    smooth, _ = is_smooth_at(smooth_map, point)
    if smooth:
        # D is C^∞ near a, so D(x) → D(a) as x → a
        here = D.xreplace(dict(zip(f.variables, point)))
        ok = exact_zero(here - p)
        entries = tuple(p_entries) + (
            smooth_entry(f, point, f"{name} is C^∞ near the point", derivative=(i, j)),
            value_entry(f, point, 0, f"{name} of the formula at the point", derivative=(i, j)),
            entry("equal", what=f"{name} of the formula and the partial derivative at the point", a=here, b=p),
        )
        return ok, None, entries if ok is True else ()
    return _tends_to(
        f,
        point,
        quantity("partial", i, j),
        p,
        f"{name}(x) as x → {point_text(point)}",
        (f"limit of {name}", f"{name} at the point"),
        budget,
        facts={"derivative off the point": str(D)},
        target_entries=tuple(p_entries),
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
        return undecided(f"partial derivatives: {partials.reason}")
    P = partials.A
    entries = list(partials.entries)
    for i in range(f.m):
        for j in range(f.n):
            ok, breach, more = _derivative_limit(f, point, i, j, P[i, j], budget, partials.entries)
            if ok is False and breach is not None:
                return Finding(
                    False, breach=breach, facts={"partials at the point": matrix_text(P)}
                )
            if ok is not True:
                return undecided(
                    f"continuity of the partial derivative ({i + 1}, {j + 1}) not decided"
                )
            entries.extend(e for e in more if e not in entries)
    return Finding(
        True,
        method="partial derivatives exist and tend to their values at the point",
        A=P,
        facts={"partials": matrix_text(P)},
        entries=tuple(entries),
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
    f(a + sΔx). The partial derivatives are recomputed by :func:`partials_exist`: for a map
    the whitelist of :func:`is_smooth_at` calls smooth they are read off the formula (the
    derivatives of t ↦ f(a + t·e_j) at 0) — then A, the first-order term and the partials
    all come from differentiating one formula, and the comparison rests on the whitelist,
    not on an independent computation; only outside the whitelist are they limits of
    difference quotients, computed apart from A.
    """
    point = as_point(point)
    if given is None or given.A is None:
        given = differentiable(f, point, budget)
        if given.holds is not True or given.A is None:
            return undecided("no matrix A to compare with")
    A = given.A
    if given.method in (METHOD_POLYNOMIAL, METHOD_SMOOTH):
        A_lin = _linear_part(f, point)
        for i, j in itertools.product(range(f.m), range(f.n)):
            if exact_zero(A_lin[i, j] - A[i, j]) is not True:
                return undecided(f"first-order term disagrees with A at ({i + 1}, {j + 1})")
    partials = partials_exist(f, point, budget)
    if partials.holds is not True:
        if partials.holds is False:
            return Finding(False, breach=partials.breach)
        return undecided(f"partial derivatives: {partials.reason}")
    entries = list(given.entries) + [e for e in partials.entries if e not in given.entries]
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
                        entries=tuple(entries) + (
                            entry("differs", what=f"∂f_{i + 1}/∂x_{j + 1} and A[{i + 1}, {j + 1}]",
                                  a=partials.A[i, j], b=A[i, j]),
                        ),
                    ),
                )
            if same is None:
                return undecided(f"entry ({i + 1}, {j + 1}): equality not decided")
            entries.append(entry("equal", what=f"∂f_{i + 1}/∂x_{j + 1} and A[{i + 1}, {j + 1}]",
                                 a=partials.A[i, j], b=A[i, j]))
    return Finding(
        True,
        method="partial derivatives (read off the formula when it is smooth, else limits of "
        "difference quotients) equal the entries of A",
        A=A,
        facts={"A": matrix_text(A)},
        entries=tuple(entries),
    )


#: Local properties by the name used in claims.
PROPERTIES: dict[str, Callable[..., Finding]] = {
    "differentiable": differentiable,
    "continuous": continuous,
    "partial derivatives exist": partials_exist,
    "partial derivatives are continuous": partials_continuous,
    "partial derivatives are the entries of A": partials_match,
}
