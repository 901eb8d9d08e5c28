"""Approaches to a point (paths and sequences) and the partial derivatives of a map there:
each exists when both one-sided limits of its difference quotient agree, and fails with a
:class:`~symconv.routes.calculus.findings.Breach` when they differ, are infinite, or
oscillate along a sequence."""

from __future__ import annotations

import itertools
from typing import Callable

import sympy as sp

from symconv.routes.budget import Budget
from symconv.routes.calculus.findings import (
    Breach,
    Finding,
    build,
    limit_entry,
    map_data,
    quantity,
    samples_entry,
    undecided,
)
from symconv.routes.calculus.maps import Map, UndefinedAt, as_point, point_text
from symconv.routes.calculus.paths import (
    Approach,
    K,
    T,
    curve,
    limit_along,
    line,
    replay,
    sequence,
    settles,
)
from symconv.routes.calculus.smoothness import (
    exact_zero,
    is_smooth_at,
    matrix_text,
    smooth_entry,
)
from symconv.routes.verdicts import entry

__all__ = ["axis", "paths_to", "sequences_to", "breach_along", "quotient_builder", "partials_exist"]
__all__ += ["partial_entry"]


# --------------------------------------------------------------------------- approaches
def axis(n: int, j: int, sign: int = 1) -> tuple:
    return tuple(sign if i == j else 0 for i in range(n))


def paths_to(n: int) -> list[Approach]:
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
        out.append(line(axis(n, j)))
        out.append(line(axis(n, j, -1)))
    return out


def sequences_to(n: int) -> list[Approach]:
    """x_k = ±1/(2πk + d) along each axis: catches oscillations like sin(1/x)."""
    out = []
    for j in range(n):
        for d in (0, sp.pi / 2, sp.pi, 3 * sp.pi / 2):
            for s in (1, -1):
                v = [sp.S.Zero] * n
                v[j] = s / (2 * sp.pi * K + d)
                out.append(sequence(v))
    return out


def breach_along(
    text: str,
    f: Map,
    point,
    recipe: dict,
    approach: Approach,
    target: sp.Expr,
    lhs_label: str,
    rhs_label: str,
    facts: dict | None = None,
    target_entries: tuple = (),
) -> Breach | None:
    """A breach when the quantity of ``recipe`` (:func:`~symconv.routes.calculus.findings.quantity`)
    has an exact limit ≠ ``target`` along the approach; ``target_entries`` certify the target.

    The quantity is built at a + displacement: with the symbolic displacement for the
    limit, with concrete ones for the replay.
    """
    q = build(f, point, recipe)
    L = limit_along(q(approach.displacement), approach)
    if L is None:
        return None
    if L not in (sp.oo, -sp.oo) and exact_zero(L - target) is not False:
        return None
    r = replay(q, approach, L, target)
    if not r.consistent:
        return None
    entries = tuple(target_entries) + (
        limit_entry(f, point, recipe, approach, L, f"{text} along {approach.text()}"),
        entry("differs", what=f"{lhs_label} vs {rhs_label}", a=L, b=sp.sympify(target)),
        samples_entry(f, point, recipe, approach, f"{text} near the end of {approach.text()}"),
    )
    return Breach(
        text,
        approach,
        L,
        target,
        lhs_label,
        rhs_label,
        replays={"lhs": {"note": r.note, "samples": r.to_list()}},
        facts=dict(facts or {}),
        entries=entries,
    )


# --------------------------------------------------------------------------- partials
def quotient_builder(f: Map, point, i: int, j: int) -> Callable[[tuple], sp.Expr]:
    """Δx = h·e_j ↦ (f_i(a + h·e_j) − f_i(a)) / h: the difference quotient."""
    return build(f, point, quantity("quotient", i, j))


def one_partial(f: Map, point, i: int, j: int, budget: Budget | None):
    """(value, None, entries) when ∂f_i/∂x_j(a) exists, (None, breach, ()) when it provably
    does not, (None, None, ()) when undecided. Both one-sided limits are computed exactly."""
    name = f"∂{f.name}{'' if f.m == 1 else i + 1}/∂{f.variables[j]}"
    recipe = quantity("quotient", i, j)
    q = build(f, point, recipe)
    sides = (line(axis(f.n, j, 1)), line(axis(f.n, j, -1)))
    limits = []
    for side in sides:
        if budget:
            budget.check()
        limits.append(limit_along(q(side.displacement), side))
    right, left = limits
    qr, ql = q(sides[0].displacement), q(sides[1].displacement)
    if right is None or left is None:
        return None, oscillation(f, point, i, j, name, budget), ()
    finite = right not in (sp.oo, -sp.oo) and left not in (sp.oo, -sp.oo)
    limits = tuple(
        limit_entry(f, point, recipe, side, value, f"the difference quotient of {name}, {side.text()}")
        for side, value in zip(sides, (right, left))
    )
    if finite and exact_zero(right - left) is True:
        # a limit used as a proof gets a numeric sanity check (an alarm, not evidence)
        if settles(qr, sides[0], right) and settles(ql, sides[1], left):
            return right, None, limits + (entry("equal", what=f"both one-sided limits of {name}", a=right, b=left),)
        return None, None, ()
    if finite and exact_zero(right - left) is not False:
        return None, None, ()
    # the quotient has no finite limit: replay both sides before saying so
    ok_r = replay(q, sides[0], right, left)
    ok_l = replay(q, sides[1], left, right)
    if not (ok_r.consistent and ok_l.consistent):
        return None, None, ()
    text = f"(f(a + t·e_{j + 1}) − f(a))/t for {name} at a = {point_text(point)}"
    entries = limits + (entry("differs", what=f"the one-sided limits of {name}", a=right, b=left),) + tuple(
        samples_entry(f, point, recipe, side, f"the difference quotient of {name}, {side.text()}") for side in sides
    )
    return None, Breach(
        text,
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
        entries=entries,
    ), ()


def oscillation(f: Map, point, i: int, j: int, name: str, budget: Budget | None) -> Breach | None:
    """Two sequences h_k → 0 along e_j with different exact limits of the quotient."""
    recipe = quantity("quotient", i, j)
    q = build(f, point, recipe)
    found: list = []
    for approach in sequences_to(f.n):
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
                    entries = tuple(
                        limit_entry(f, point, recipe, a, v, f"the difference quotient of {name}, {a.text()}")
                        for a, v in ((other, M), (approach, L))
                    ) + (entry("differs", what="the two limits", a=M, b=L),) + tuple(
                        samples_entry(f, point, recipe, a, f"the difference quotient of {name}, {a.text()}")
                        for a in (other, approach)
                    )
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
                        entries=entries,
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
        return undecided(str(exc))
    P = sp.zeros(f.m, f.n)
    smooth, _ = is_smooth_at(f, point)
    if smooth:
        # f is C^∞ near a, so each restriction t ↦ f_i(a + t e_j) is C^∞ near 0 and its
        # difference quotient tends to its derivative at 0
        entries = [smooth_entry(f, point)]
        for j in range(f.n):
            near = f.along(point, axis(f.n, j, T))
            for i in range(f.m):
                P[i, j] = sp.diff(near[i], T).xreplace({T: sp.S.Zero})
                entries.append(partial_entry(f, point, i, j, P[i, j]))
        return Finding(
            True,
            method="derivatives at 0 of the smooth restrictions t ↦ f(a + t·e_j)",
            A=P,
            facts={"partials": matrix_text(P)},
            entries=tuple(entries),
        )
    entries = []
    for i in range(f.m):
        for j in range(f.n):
            value, breach, more = one_partial(f, point, i, j, budget)
            if breach is not None:
                return Finding(False, breach=breach)
            if value is None:
                return undecided(
                    "no exact limit found for the difference quotient of entry "
                    f"({i + 1}, {j + 1})"
                )
            P[i, j] = value
            entries.extend(more)
    return Finding(
        True,
        method="limits of the difference quotients along the axes (both sides)",
        A=P,
        facts={"partials": matrix_text(P)},
        entries=tuple(entries),
    )


def partial_entry(f: Map, point, i: int, j: int, value) -> dict:
    """The computation ∂f_i/∂x_j(a) = d/dt f_i(a + t·e_j) at t = 0 (f smooth near a)."""
    return entry("derivative_at", what=f"∂f_{i + 1}/∂x_{j + 1} at the point", map=map_data(f),
                 point=list(point), component=i, axis=j, value=sp.sympify(value))
