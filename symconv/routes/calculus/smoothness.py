"""Exact tests on maps: is an expression zero, is a map smooth (C^∞) near a point, and
the proofs of the definition that rest on them (polynomial remainder, Taylor bound)."""

from __future__ import annotations

from typing import Sequence

import sympy as sp
from sympy.core.function import AppliedUndef

from symconv.routes.calculus.findings import map_data
from symconv.routes.calculus.maps import Map, UndefinedAt, as_point, point_text
from symconv.routes.verdicts import entry

__all__ = ["exact_zero", "smooth_conditions", "is_smooth_at", "certified", "matrix_text"]
__all__ += ["smooth_entry", "proof_entries"]
__all__ += ["METHOD_POLYNOMIAL", "METHOD_SMOOTH"]

METHOD_POLYNOMIAL = "polynomial remainder of order ≥ 2"
METHOD_SMOOTH = "smooth elementary map (Taylor bound)"

# Functions that are C^∞ on all of ℝ.
_ENTIRE = (sp.exp, sp.sin, sp.cos, sp.sinh, sp.cosh, sp.tanh, sp.atan)


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
    """(True, how) when f coincides near ``point`` with a formula that is C^∞ there.

    "C^∞" here means: every component passes the whitelist of :func:`smooth_conditions`
    (elementary functions, with the arguments of log, powers, tan and |·| checked positive
    or nonzero at the point by SymPy's exact assumptions). Everything that rests on this
    answer — the Taylor-bound proof of differentiability, partial derivatives read off the
    formula, continuity — rests on that whitelist, and a map outside it is not called
    smooth. The independent checker re-does this test with its own whitelist
    (:func:`symconv.trusted.checker.records.smooth_at`) from a ``smooth`` entry."""
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


def certified(f: Map, point) -> tuple[str | None, str]:
    """The proof route for a map that is polynomial or smooth near the point, if any."""
    smooth, why = is_smooth_at(f, point)
    if not smooth:
        return None, why
    if f.is_polynomial() and _polynomial_remainder_ok(f, point):
        return METHOD_POLYNOMIAL, "polynomial"
    return METHOD_SMOOTH, why


def smooth_entry(f: Map, point, what: str = "", derivative: tuple | None = None) -> dict:
    """The computation “f (or its partial derivative ∂f_i/∂x_j, ``derivative`` = (i, j)) is
    C^∞ near the point by the elementary whitelist”."""
    extra = {"derivative": list(derivative)} if derivative is not None else {}
    return entry("smooth", what=what or f"{f.name} is C^∞ near the point (elementary whitelist)",
                 map=map_data(f), point=list(point), **extra)


def proof_entries(f: Map, point, method: str) -> tuple[dict, ...]:
    """What a proof of differentiability by :func:`certified` rests on: the polynomial
    remainder (or smoothness), and A = J(a) of the formula."""
    first = (
        entry("polynomial_remainder", what="the remainder has only terms of degree ≥ 2",
              map=map_data(f), point=list(point))
        if method == METHOD_POLYNOMIAL
        else smooth_entry(f, point)
    )
    A = f.jacobian(point)
    return first, entry("jacobian_at", what="A = J(a)", map=map_data(f), point=list(point),
                        matrix=[[A[i, j] for j in range(A.cols)] for i in range(A.rows)])


def matrix_text(A: sp.Matrix) -> list[list[str]]:
    return [[str(A[i, j]) for j in range(A.cols)] for i in range(A.rows)]
