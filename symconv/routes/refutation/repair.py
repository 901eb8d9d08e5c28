"""Repairs: the nearby statements a person most likely meant, when an identity fails.

Candidates are made by one small edit of the refuted equality — flip one side, flip one
occurrence of a function, swap the arguments of one * or ⋆, negate one shift or δ
point, change the sign of one side — and kept when the Fourier normal form proves them.
"""

from __future__ import annotations

import sympy as sp

from symconv.routes.budget import Budget
from symconv.routes.fourier import FormTooLarge, decide
from symconv.language.terms import (
    FUNCTION,
    Conv,
    Delta,
    Flip,
    Fn,
    Shift,
    Statement,
    TermError,
    Xcorr,
    depends_on_functions,
)

__all__ = ["candidates", "repairs", "MAX_REPAIRS"]

#: At most this many repairs are reported.
MAX_REPAIRS = 4
#: At most this many candidate statements are decided.
MAX_CANDIDATES = 60


def _flip(expr):
    return expr.arg if isinstance(expr, Flip) else Flip(expr)


def _edits(expr, under_flip: bool = False) -> list:
    """Terms one edit away from ``expr``, each edit at one position of the tree."""
    out = []
    if isinstance(expr, (Conv, Xcorr)):
        out.append(type(expr)(expr.right, expr.left))
    elif isinstance(expr, Shift):
        out.append(Shift(expr.arg, -expr.amount))
    elif isinstance(expr, Delta) and expr.point != 0:
        out.append(Delta(-expr.point))
    elif isinstance(expr, Fn) and not under_flip:
        out.append(Flip(expr))
    elif isinstance(expr, Flip):
        out.append(expr.arg)
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
