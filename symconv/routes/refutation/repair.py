"""Repairs: the nearby statements a person most likely meant, when an identity fails.

Candidates are made by one small edit of the refuted equality — flip one side, flip one
occurrence of a function, swap the arguments of one * or ⋆, negate one shift or δ
point, change the sign of one side — and kept when the Fourier normal form proves them.
"""

from __future__ import annotations

import sympy as sp

from symconv.language.fold import Cases
from symconv.language.terms import (
    FUNCTION,
    Conv,
    Delta,
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
    Xcorr,
    depends_on_functions,
)
from symconv.routes.budget import Budget
from symconv.routes.fourier import FormTooLarge, decide

__all__ = ["candidates", "repairs", "MAX_REPAIRS"]

#: At most this many repairs are reported.
MAX_REPAIRS = 4
#: At most this many candidate statements are decided.
MAX_CANDIDATES = 60


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


def candidates(eq: Statement) -> list[Statement]:
    """Statements one edit away from ``eq``, without repeats or trivial ones."""
    lhs, rhs = eq.lhs, eq.rhs
    raw = []
    if eq.kind == FUNCTION:
        raw += [(_flip(lhs), rhs), (lhs, _flip(rhs))]
    raw += [(new, rhs) for new in _edits(lhs)] + [(lhs, new) for new in _edits(rhs)]
    raw.append((lhs, -rhs))
    seen, out = {str(eq)}, []
    for a, b in raw:
        try:
            st = Statement(a, b)
        except TermError:
            continue
        if st.lhs == st.rhs or str(st) in seen:
            continue
        seen.add(str(st))
        out.append(st)
    return out[:MAX_CANDIDATES]


def repairs(eq: Statement, budget: Budget) -> list[str]:
    """The candidates the normal form proves (as text), at most :data:`MAX_REPAIRS`."""
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
