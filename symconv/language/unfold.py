"""Unfold a term into the SymPy integral of its definition, so a user sees what is meant.

Every integration variable is a fresh ``Dummy``: ``Integral.subs`` does not rename bound
variables, so reusing one name across nested convolutions would capture it.
"""

from __future__ import annotations

import sympy as sp

from symconv.language.terms import At, Conv, Delta, Diff, Flip, Fn, Inner, Shift, Statement, TermError, Xcorr

__all__ = ["unfold", "unfold_statement", "X"]

#: The default variable of an unfolded function-valued term.
X = sp.Symbol("x", real=True)


def unfold(expr, x: sp.Expr = X) -> sp.Expr:
    """The definition of ``expr`` as a SymPy expression in ``x`` (unevaluated integrals).

    Abstract functions become undefined SymPy functions (``f(x)``), δ becomes
    ``DiracDelta``; a scalar-valued term (a point value or an inner product) does not
    depend on ``x``.
    """
    return _at(expr, x, 0)


def unfold_statement(statement: Statement, x: sp.Expr = X) -> sp.Eq:
    """``Eq(unfold(lhs), unfold(rhs))`` without evaluating it."""
    return sp.Eq(unfold(statement.lhs, x), unfold(statement.rhs, x), evaluate=False)


_NAMES = "yzuvwst"


def _fresh(depth: int) -> sp.Dummy:
    name = _NAMES[depth % len(_NAMES)] + ("" if depth < len(_NAMES) else str(depth // len(_NAMES)))
    return sp.Dummy(name, real=True)


def _line(var: sp.Dummy) -> tuple:
    return (var, -sp.oo, sp.oo)


def _at(expr, x, d):
    if isinstance(expr, Fn):
        return sp.Function(expr.name)(x)
    if isinstance(expr, Conv):
        y = _fresh(d)
        return sp.Integral(_at(expr.left, y, d + 1) * _at(expr.right, x - y, d + 1), _line(y))
    if isinstance(expr, Xcorr):
        y = _fresh(d)
        return sp.Integral(_at(expr.left, y, d + 1) * _at(expr.right, x + y, d + 1), _line(y))
    if isinstance(expr, Flip):
        return _at(expr.arg, -x, d)
    if isinstance(expr, Shift):
        return _at(expr.arg, x - expr.amount, d)
    if isinstance(expr, Diff):
        t = _fresh(d)
        inner = sp.Derivative(_at(expr.arg, t, d + 1), (t, expr.order))
        return sp.Subs(inner, t, x)
    if isinstance(expr, Delta):
        return sp.DiracDelta(x - expr.point)
    if isinstance(expr, At):
        return _at(expr.arg, expr.point, d)
    if isinstance(expr, Inner):
        t = _fresh(d)
        return sp.Integral(_at(expr.args[0], t, d + 1) * _at(expr.args[1], t, d + 1), _line(t))
    if isinstance(expr, (sp.Add, sp.Mul)):
        return expr.func(*[_at(a, x, d) for a in expr.args])
    if isinstance(expr, sp.Basic) and not any(
        isinstance(a, (Fn, Delta)) for a in sp.preorder_traversal(expr)
    ):
        return expr
    raise TermError(f"cannot unfold {expr!r}")
