"""One fold over terms: every interpretation of the language is a table with one entry
per operator, checked complete when it is defined.

Two kinds of interpretation:

* an :class:`Algebra` is folded bottom-up by :meth:`Algebra.fold`: the entry of an
  operator receives the node and its arguments, the function-valued ones already
  interpreted (the others — a shift, a point, an order — as SymPy expressions). The linear
  structure around operators has entries too: ``add`` and ``times`` for functions,
  ``scalar_add``, ``scalar_mul``, ``scalar_pow`` and ``constant`` for numbers.
* :class:`Cases` dispatches one node to its operator's entry (:meth:`Cases.case`), for
  interpretations that look one level deep (a definition, the edits of a repair, a numeric
  rule that uses the closed forms of the arguments).

An entry is a method named after the operator (``conv``, ``xcorr``, ``flip``, …, the
``operator`` of its declaration in :mod:`symconv.language.terms`). A subclass without an
entry for some operator is refused when its class is created (``TypeError``), so an
operator added to the language cannot be forgotten silently; an interpretation that has no
meaning for an operator says so explicitly with :func:`refuse`. An algebra may instead
define ``operation(node, *args)``, one entry for every operator through what each operator
declares (unfolding reads each operator's declared definition this way).
"""

from __future__ import annotations

from typing import Any, Callable

import sympy as sp

from symconv.language.terms import (
    FUNCTION,
    OPERATORS,
    SCALAR,
    STRUCTURE_ENTRIES,
    Operation,
    TermError,
)

__all__ = ["Algebra", "Cases", "refuse", "missing_entries", "interpretations", "sort_of"]

#: The entries an algebra needs besides one per operator: the linear structure.
STRUCTURE = STRUCTURE_ENTRIES

_REGISTRY: list[type] = []


def refuse(reason: str, error: type[Exception] = TermError) -> Callable:
    """An entry for an operator the interpretation has no meaning for: raises ``error``."""

    def entry(self, node, *args):
        raise error(f"{reason}: {node}")

    entry.refused = reason
    return entry


def missing_entries(cls: type) -> list[str]:
    """The operators (and structural entries) ``cls`` has no entry for."""
    if callable(getattr(cls, "operation", None)):
        names = list(cls.required_structure)
    else:
        names = list(OPERATORS) + list(cls.required_structure)
    return [n for n in names if not callable(getattr(cls, n, None))]


def interpretations() -> list[type]:
    """Every concrete interpretation defined so far (for the completeness test)."""
    return list(_REGISTRY)


class _Interpretation:
    required_structure: tuple = ()

    def __init_subclass__(cls, abstract: bool = False, **kwargs):
        super().__init_subclass__(**kwargs)
        if abstract:
            return
        missing = missing_entries(cls)
        if missing:
            raise TypeError(
                f"the interpretation {cls.__name__} has no entry for: {', '.join(missing)} "
                "(write one, or refuse(...) it with the reason)"
            )
        cls._generic = getattr(cls, "operation", None)
        cls._entries = {
            op: getattr(cls, name, None) or cls._generic for name, op in OPERATORS.items()
        }
        _REGISTRY.append(cls)


def sort_of(expr) -> str:
    """The sort of a well-formed term (cheap: it trusts that the term is well formed)."""
    while True:
        if isinstance(expr, Operation):
            return expr.result
        if isinstance(expr, sp.Add):
            expr = expr.args[0]
            continue
        if isinstance(expr, sp.Mul):
            return FUNCTION if any(sort_of(a) == FUNCTION for a in expr.args) else SCALAR
        return SCALAR


def _has_operation(expr) -> bool:
    return any(isinstance(a, Operation) for a in sp.preorder_traversal(expr))


class Algebra(_Interpretation, abstract=True):
    """A bottom-up interpretation; see the module doc. ``fold`` remembers the value of
    every subterm it has seen (terms are immutable), for the life of the algebra object."""

    required_structure = STRUCTURE

    def __init__(self):
        self.memo: dict = {}

    def fold(self, expr) -> Any:
        memo = self.memo
        if expr in memo:
            return memo[expr]
        value = self._fold(expr)
        memo[expr] = value
        return value

    def _fold(self, expr):
        cls = type(expr)
        entry = self._entries.get(cls) or (type(self)._generic if isinstance(expr, Operation) else None)
        if entry is not None:
            args = [
                self.fold(a) if sort == FUNCTION else a
                for (sort, _), a in zip(cls.signature, expr.args)
            ]
            return entry(self, expr, *args)
        if isinstance(expr, Operation):
            raise TermError(f"{cls.__name__} is not an operator of the language")
        if isinstance(expr, sp.Add):
            values = [self.fold(a) for a in expr.args]
            if sort_of(expr) == FUNCTION:
                return self.add(expr, values)
            return self.scalar_add(expr, values)
        if isinstance(expr, sp.Mul):
            funcs = [a for a in expr.args if sort_of(a) == FUNCTION]
            if len(funcs) > 1:
                raise TermError(f"pointwise product of functions in {expr} is not in the language")
            if funcs:
                coefficient = sp.Mul(*[a for a in expr.args if a is not funcs[0]])
                return self.times(expr, coefficient, self.fold(funcs[0]))
            if _has_operation(expr):
                return self.scalar_mul(expr, [self.fold(a) for a in expr.args])
            return self.constant(expr)
        if isinstance(expr, sp.Pow) and _has_operation(expr):
            return self.scalar_pow(expr, self.fold(expr.base), expr.exp)
        if isinstance(expr, sp.Expr) and not _has_operation(expr):
            return self.constant(expr)
        raise TermError(f"not a term of the language: {expr}")

    # Subclasses define the structural entries: add(node, values) and
    # times(node, coefficient, value) for functions; constant(expr), scalar_add(node, values),
    # scalar_mul(node, values) and scalar_pow(node, base, exponent) for numbers.


class Cases(_Interpretation, abstract=True):
    """A one-level interpretation: :meth:`case` calls the entry of the node's operator
    with the node and any extra arguments."""

    def case(self, node, *extra):
        entry = self._entries.get(type(node))
        if entry is None:
            raise TermError(f"not an operation of the language: {node}")
        return entry(self, node, *extra)
