"""Approaches to a point (paths and sequences) and the partial derivatives of a map there:
each exists when both one-sided limits of its difference quotient agree, and fails with a
:class:`~symconv.routes.calculus.findings.Breach` when they differ, are infinite, or
oscillate along a sequence."""

from __future__ import annotations

import itertools
from typing import Callable

import sympy as sp

from symconv.routes.budget import Budget
from symconv.routes.calculus.findings import Breach, Finding, undecided
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
)

__all__ = ["axis", "paths_to", "sequences_to", "breach_along", "quotient_builder", "partials_exist"]


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
def quotient_builder(f: Map, point, i: int, j: int) -> Callable[[tuple], sp.Expr]:
    """Δx = h·e_j ↦ (f_i(a + h·e_j) − f_i(a)) / h: the difference quotient."""
    here = f.at(point)[i]

    def build(disp: tuple) -> sp.Expr:
        return (f.along(point, disp)[i] - here) / disp[j]

    return build


def one_partial(f: Map, point, i: int, j: int, budget: Budget | None):
    """(value, None) when ∂f_i/∂x_j(a) exists, (None, breach) when it provably does not,
    (None, None) when undecided. Both one-sided limits are computed exactly."""
    name = f"∂{f.name}{'' if f.m == 1 else i + 1}/∂{f.variables[j]}"
    q = quotient_builder(f, point, i, j)
    sides = (line(axis(f.n, j, 1)), line(axis(f.n, j, -1)))
    limits = []
    for side in sides:
        if budget:
            budget.check()
        limits.append(limit_along(q(side.displacement), side))
    right, left = limits
    qr, ql = q(sides[0].displacement), q(sides[1].displacement)
    if right is None or left is None:
        return None, oscillation(q, f.n, j, name, point, budget)
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


def oscillation(q, n: int, j: int, name: str, point, budget: Budget | None) -> Breach | None:
    """Two sequences h_k → 0 along e_j with different exact limits of the quotient q."""
    found: list = []
    for approach in sequences_to(n):
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
        return undecided(str(exc))
    P = sp.zeros(f.m, f.n)
    smooth, _ = is_smooth_at(f, point)
    if smooth:
        # f is C^∞ near a, so each restriction t ↦ f_i(a + t e_j) is C^∞ near 0 and its
        # difference quotient tends to its derivative at 0
        for j in range(f.n):
            near = f.along(point, axis(f.n, j, T))
            for i in range(f.m):
                P[i, j] = sp.diff(near[i], T).xreplace({T: sp.S.Zero})
        return Finding(
            True,
            method="derivatives at 0 of the smooth restrictions t ↦ f(a + t·e_j)",
            A=P,
            facts={"partials": matrix_text(P)},
        )
    for i in range(f.m):
        for j in range(f.n):
            value, breach = one_partial(f, point, i, j, budget)
            if breach is not None:
                return Finding(False, breach=breach)
            if value is None:
                return undecided(
                    "no exact limit found for the difference quotient of entry "
                    f"({i + 1}, {j + 1})"
                )
            P[i, j] = value
    return Finding(
        True,
        method="limits of the difference quotients along the axes (both sides)",
        A=P,
        facts={"partials": matrix_text(P)},
    )
