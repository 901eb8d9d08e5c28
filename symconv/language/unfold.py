"""Unfold a term into the SymPy integral of its definition, so a user sees what is meant.

Each operator's meaning is the ``definition`` it declares (:mod:`symconv.language.terms`);
unfolding folds those definitions over the term. Every integration variable is a fresh
``Dummy``: ``Integral.subs`` does not rename bound variables, so reusing one name across
nested convolutions would capture it.
"""

from __future__ import annotations

import sympy as sp

from symconv.language.fold import Algebra
from symconv.language.terms import Statement

__all__ = ["unfold", "unfold_statement", "X"]

#: The default variable of an unfolded function-valued term.
X = sp.Symbol("x", real=True)

_NAMES = "yzuvwst"


def _fresh(depth: int) -> sp.Dummy:
    name = _NAMES[depth % len(_NAMES)] + ("" if depth < len(_NAMES) else str(depth // len(_NAMES)))
    return sp.Dummy(name, real=True)


class _Unfolding(Algebra):
    """A term ↦ (point, depth) ↦ its value there, by each operator's declared definition;
    the depth names the bound variables (y, z, u, … from the outside in)."""

    def operation(self, node, *args):
        definition = type(node).definition

        def value_at(x, depth):
            bound = []

            def fresh():
                bound.append(True)
                return _fresh(depth)

            def value(child, point):
                return child(point, depth + 1 if bound else depth)

            return definition(value, x, fresh, *args)

        return value_at

    def add(self, node, values):
        return lambda x, d: sp.Add(*[v(x, d) for v in values])

    def times(self, node, coefficient, value):
        c = self.fold(coefficient)
        return lambda x, d: c(x, d) * value(x, d)

    def constant(self, expr):
        return lambda x, d: expr

    scalar_add = add

    def scalar_mul(self, node, values):
        return lambda x, d: sp.Mul(*[v(x, d) for v in values])

    def scalar_pow(self, node, base, exponent):
        return lambda x, d: sp.Pow(base(x, d), exponent)


def unfold(expr, x: sp.Expr = X) -> sp.Expr:
    """The definition of ``expr`` as a SymPy expression in ``x`` (unevaluated integrals).

    Abstract functions become undefined SymPy functions (``f(x)``), δ becomes
    ``DiracDelta``; a scalar-valued term (a point value or an inner product) does not
    depend on ``x``.
    """
    return _Unfolding().fold(expr)(x, 0)


def unfold_statement(statement: Statement, x: sp.Expr = X) -> sp.Eq:
    """``Eq(unfold(lhs), unfold(rhs))`` without evaluating it."""
    return sp.Eq(unfold(statement.lhs, x), unfold(statement.rhs, x), evaluate=False)
