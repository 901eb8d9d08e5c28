"""Repairs: the nearby statements a person most likely meant, when an identity fails.

Candidates are made by one small edit of the refuted equality — flip one side, flip one
occurrence of a function, swap the arguments of one * or ⋆, negate one shift or δ
point, change the sign of one side, and, when the statement has a Fourier transform,
multiply one side by a constant a convention puts in (2π, 1/(2π), √(2π), 1/√(2π)), so
that a Plancherel or a product rule with the constant of another convention gets the
right constant back — and kept when the Fourier normal form proves them.

A constant factor is only proposed when it survives a screen: both sides are evaluated
exactly once on a generic witness (non-even Gaussians, complex ones for the functions
declared complex, parameter values their assumptions allow), and a factor c for which
c·lhs − rhs (or lhs − c·rhs) is certainly nonzero there cannot make an identity. The
screen only saves the normal form's time; when the sides cannot be evaluated every
factor is proposed.
"""

from __future__ import annotations

from fractions import Fraction

import sympy as sp

from symconv.language.fold import Cases
from symconv.language.groups import R
from symconv.language.terms import (
    FUNCTION,
    Conv,
    Delta,
    Downsample,
    Flip,
    Fn,
    Fourier,
    InverseFourier,
    Modulate,
    Operation,
    Scale,
    Shift,
    Statement,
    TermError,
    Upsample,
    Xcorr,
    depends_on_functions,
)
from symconv.routes.budget import Budget
from symconv.routes.concrete.evaluate import Env, Evaluator
from symconv.routes.concrete.functions import ConcreteError, gaussian
from symconv.routes.concrete.numbers import I_UNIT
from symconv.routes.fourier import FormTooLarge, decide
from symconv.routes.refutation.search import VALUES, allowed_values, complex_names

__all__ = ["candidates", "repairs", "MAX_REPAIRS"]

#: At most this many repairs are reported.
MAX_REPAIRS = 4
#: At most this many candidate statements are decided.
MAX_CANDIDATES = 60
#: On the other groups, where a statement's normal form costs more (sums of the inner
#: products of layers with channels), at most this many: the first edits, nearest the root.
MAX_GROUP_CANDIDATES = 8
#: … and only for statements with at most this many operators (a layer with two channels
#: in and out has twelve; each candidate costs a decision of that size).
MAX_GROUP_OPERATORS = 10
#: The constant factors the conventions of the Fourier transform put in (terms.CONVENTIONS).
CONVENTION_FACTORS = (2 * sp.pi, 1 / (2 * sp.pi), sp.sqrt(2 * sp.pi), 1 / sp.sqrt(2 * sp.pi))


def _flip(expr):
    return expr.arg if isinstance(expr, Flip) else Flip(expr)


class _Edits(Cases):
    """The edits at the root of a term (``under_flip``: the root is the argument of a flip)."""

    def fn(self, node, under_flip):
        return [] if under_flip else [Flip(node)]

    def conv(self, node, under_flip):
        return [Conv(node.right, node.left)]

    def xcorr(self, node, under_flip):
        return [Xcorr(node.right, node.left)]

    def flip(self, node, under_flip):
        return [node.arg]

    def shift(self, node, under_flip):
        return [Shift(node.arg, -node.amount)]

    def delta(self, node, under_flip):
        return [Delta(-node.point)] if node.point != 0 else []

    def diff(self, node, under_flip):
        return []

    def at(self, node, under_flip):
        return []

    def inner(self, node, under_flip):
        return []

    def zero(self, node, under_flip):
        return []

    def id(self, node, under_flip):
        return []

    def fourier(self, node, under_flip):
        return [InverseFourier(node.arg, node.convention)]

    def ifourier(self, node, under_flip):
        return [Fourier(node.arg, node.convention)]

    def mul(self, node, under_flip):
        return []

    def scale(self, node, under_flip):
        return [Scale(node.arg, 1 / node.factor), Scale(node.arg, -node.factor)]

    def modulate(self, node, under_flip):
        return [Modulate(node.arg, -node.frequency)]

    def conj(self, node, under_flip):
        return [node.arg]

    def convpow(self, node, under_flip):
        return []

    def integral(self, node, under_flip):
        return []

    def downsample(self, node, under_flip):
        return [Upsample(node.arg, node.stride)]

    def upsample(self, node, under_flip):
        return [Downsample(node.arg, node.factor)]


_EDITS = _Edits()


def _edits(expr, under_flip: bool = False) -> list:
    """Terms one edit away from ``expr``, each edit at one position of the tree."""
    out = _EDITS.case(expr, under_flip) if isinstance(expr, Operation) else []
    if isinstance(expr, Fn):
        return out
    for i, child in enumerate(expr.args):
        if not (isinstance(child, sp.Basic) and depends_on_functions(child)):
            continue
        for new in _edits(child, isinstance(expr, Flip)):
            args = list(expr.args)
            args[i] = new
            try:
                out.append(expr.func(*args))
            except TermError:
                continue
    return out


def _has_fourier(expr) -> bool:
    return any(isinstance(node, (Fourier, InverseFourier)) for node in sp.preorder_traversal(expr))


def candidates(eq: Statement) -> list[Statement]:
    """Statements one edit away from ``eq``, without repeats or trivial ones."""
    lhs, rhs = eq.lhs, eq.rhs
    raw = []
    if eq.kind == FUNCTION:
        raw += [(_flip(lhs), rhs), (lhs, _flip(rhs))]
    if _has_fourier(lhs) or _has_fourier(rhs):
        raw += _factor_candidates(eq)
    raw += [(new, rhs) for new in _edits(lhs)] + [(lhs, new) for new in _edits(rhs)]
    raw.append((lhs, -rhs))
    seen, out = {str(eq)}, []
    for a, b in raw:
        try:
            st = Statement(a, b, group=eq.group)
        except TermError:
            continue
        if st.lhs == st.rhs or str(st) in seen:
            continue
        seen.add(str(st))
        out.append(st)
    return out[: MAX_CANDIDATES if eq.group == R else MAX_GROUP_CANDIDATES]


#: Generic witnesses for the screen: non-even, distinct widths and centres.
_SCREEN_FUNCTIONS = (
    gaussian(1, Fraction(1, 2), (1, 1)),
    gaussian(2, Fraction(-1, 3), (2, -1)),
    gaussian(Fraction(1, 2), Fraction(1, 4), (1, 0, 1)),
    gaussian(1, Fraction(-3, 4), (-1, 2)),
)
_SCREEN_POINT = Fraction(1, 3)


def _screen_env(eq: Statement) -> Env | None:
    """A generic witness for ``eq`` (None when no value of ours satisfies a parameter)."""
    complex_valued = complex_names(eq)
    functions = {}
    for i, name in enumerate(eq.function_names()):
        f = _SCREEN_FUNCTIONS[i % len(_SCREEN_FUNCTIONS)]
        if name in complex_valued:
            f = gaussian(1, Fraction(i, 3) - Fraction(1, 2), (1, I_UNIT), nu=Fraction(2 + i, 3))
        functions[name] = f
    parameters = {}
    for i, p in enumerate(eq.parameters()):
        pool = [Fraction(k) for k in (2, 1, 3)] if p.is_integer else list(VALUES[1:]) + [VALUES[0]]
        allowed = allowed_values(p, pool)
        if not allowed:
            return None
        parameters[p] = allowed[i % len(allowed)]
    return Env(functions, parameters)


def _side_values(eq: Statement):
    """The exact values of both sides on the generic witness, or None."""
    env = _screen_env(eq)
    if env is None:
        return None
    ev = Evaluator(env)
    try:
        if eq.kind == FUNCTION:
            return ev.function(eq.lhs).value(_SCREEN_POINT), ev.function(eq.rhs).value(_SCREEN_POINT)
        return ev.scalar(eq.lhs), ev.scalar(eq.rhs)
    except (ConcreteError, TermError):
        return None


def _factor_candidates(eq: Statement) -> list:
    """(c·lhs, rhs) and (lhs, c·rhs) for the conventions' constants c that survive the screen
    (on another group: the constants its transform puts in, (2π)ⁿ on ℝⁿ and N on ℤ/N, with
    no screen — its witnesses are not functions on ℝ)."""
    if eq.group != R:
        m = eq.group.measure  # (the unitary DFT's √N has no witnesses: not proposed on ℤ/N)
        out = []
        for c in (m, 1 / m) if eq.group.kind == "ZN" else (m, 1 / m, sp.sqrt(m), 1 / sp.sqrt(m)):
            out += [(c * eq.lhs, eq.rhs), (eq.lhs, c * eq.rhs)]
        return out
    values = _side_values(eq)
    out = []
    for c in CONVENTION_FACTORS:
        if values is None:
            out += [(c * eq.lhs, eq.rhs), (eq.lhs, c * eq.rhs)]
            continue
        lv, rv = values
        factor = Evaluator(Env({})).scalar(c)
        if not (factor * lv - rv).certainly_nonzero():
            out.append((c * eq.lhs, eq.rhs))
        if not (lv - factor * rv).certainly_nonzero():
            out.append((eq.lhs, c * eq.rhs))
    return out


def _operators(eq: Statement) -> int:
    return sum(
        isinstance(node, Operation) and not isinstance(node, Fn)
        for side in (eq.lhs, eq.rhs)
        for node in sp.preorder_traversal(side)
    )


def repairs(eq: Statement, budget: Budget) -> list[str]:
    """The candidates the normal form proves (as text), at most :data:`MAX_REPAIRS`; on
    another group, only for statements of at most :data:`MAX_GROUP_OPERATORS` operators."""
    if eq.group != R and _operators(eq) > MAX_GROUP_OPERATORS:
        return []
    found = []
    for st in candidates(eq):
        budget.check()
        try:
            decision = decide(st, budget.check)
        except (TermError, FormTooLarge):
            continue
        if decision.identity:
            found.append(str(st))
            if len(found) >= MAX_REPAIRS:
                break
    return found
