"""Chain members as statements: one obligation per link, and the claim between the ends.

The members of a chain are functions (``f * g``) or values (``f * g(x)``, an integral
lifted to ``(f * g)(x)``). The display's *point* is the variable its values are taken at
(x in the notes): a letter that appears only as the argument of values, with slope ±1.
Values at the point become functions (T(x + t) is τ(T, −t) at x, T(−x + t) is τ(T⁻, t) at
x), so that a link between two values at x is the identity of two functions, decided like
any statement. A function compared with a value that is not one at x is read as its value
at x, and the reading is reported.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from symconv.documents.grammar import Chain, Member
from symconv.documents.tokens import MathError
from symconv.language.terms import (
    FUNCTION,
    At,
    Flip,
    Shift,
    Statement,
    TermError,
    kind_of,
    param_symbol,
    unicode,
)

__all__ = ["LinkSpec", "links_of", "point_of", "as_function", "statement", "end_claim"]


@dataclass(frozen=True)
class LinkSpec:
    """Members ``left`` and ``right`` (indices into the chain) joined by ``relation``."""

    left: int
    right: int
    relation: str
    justification: Member | None


def links_of(chain: Chain) -> list[LinkSpec]:
    """The links of a chain; a justification member belongs to the link around it."""
    out: list[LinkSpec] = []
    members = chain.members
    i = 0
    while i < len(members) - 1:
        j, just = i + 1, None
        if members[j].node is None:  # ``A = |y = -z| = B``: a justified step A = B
            just = members[j]
            if j + 1 >= len(members) or members[i].node is None:
                raise MathError("a justification must stand between two members", just.start)
            if chain.relations[i] != "=" or chain.relations[j] != "=":
                raise MathError("a justification stands in an equality", just.start)
            j += 1
        relation = chain.relations[j - 1]
        out.append(LinkSpec(i, j, relation, just))
        i = j
    return out


def _points(expr, points: list, elsewhere: set) -> None:
    stack = [expr]
    while stack:
        e = stack.pop()
        if isinstance(e, At):
            points.append(e.point)
            elsewhere.update(e.arg.free_symbols)
        elif isinstance(e, sp.Symbol):
            elsewhere.add(e)
        else:
            stack.extend(a for a in e.args if isinstance(a, sp.Basic))


def point_of(values, prefer=()) -> sp.Symbol | None:
    """The variable the display's values are taken at, or None."""
    points: list = []
    elsewhere: set = set()
    for v in values:
        if v is not None:
            _points(v, points, elsewhere)
    candidates = []
    for p in points:
        for s in p.free_symbols:
            if s in elsewhere or s in candidates:
                continue
            if sp.diff(p, s) in (1, -1) and not sp.diff(p, s, 2):
                candidates.append(s)
    if not candidates:
        return None
    for name in (*prefer, "x", "t"):
        for s in candidates:
            if s.name == name:
                return s
    return candidates[0] if len(candidates) == 1 else None


def as_function(value, point) -> sp.Expr | None:
    """``value`` = F(point) for a function-valued F, or None."""
    if point is None:
        return None
    total = sp.Integer(0)
    for term in sp.Add.make_args(value):
        factors = sp.Mul.make_args(term)
        values = [f for f in factors if isinstance(f, At)]
        if len(values) != 1:
            return None
        coeff = sp.Mul(*[f for f in factors if f is not values[0]])
        if point in coeff.free_symbols or coeff.atoms(At):
            return None
        fun, q = values[0].arg, values[0].point
        slope = sp.diff(q, point)
        rest = sp.expand(q - slope * point)
        if slope not in (1, -1) or point in rest.free_symbols or point in fun.free_symbols:
            return None
        if slope == -1:
            fun = Flip(fun)
            amount = rest
        else:
            amount = -rest
        total += coeff * (Shift(fun, amount) if amount != 0 else fun)
    return total


def fresh_point(values) -> sp.Symbol:
    used = set()
    for v in values:
        if v is not None:
            used |= {s.name for s in v.free_symbols}
    return param_symbol(next(n for n in ("x", "t", "s", "ξ") if n not in used))


def statement(left, right, relation: str, point, fresh) -> tuple[Statement, list[str]]:
    """The statement of one link and the readings it needed (as notes)."""
    negated = relation == "≠"
    kl, kr = kind_of(left), kind_of(right)
    notes: list[str] = []
    fl = left if kl == FUNCTION else as_function(left, point)
    fr = right if kr == FUNCTION else as_function(right, point)
    try:
        if fl is not None and fr is not None:
            if kl != kr:
                fun, val = (left, right) if kl == FUNCTION else (right, left)
                notes.append(f"{unicode(fun)} is a function and {unicode(val)} a value at "
                             f"{point}: read as {unicode(At(fun, point))}")
            return Statement(fl, fr, negated), notes
        if kl == kr:
            return Statement(left, right, negated), notes
        at = point if point is not None else fresh
        fun, val = (left, right) if kl == FUNCTION else (right, left)
        notes.append(f"compares the function {unicode(fun)} with the number {unicode(val)}: "
                     f"read as {unicode(At(fun, at))} = {unicode(val)} for every {at}")
        if kl == FUNCTION:
            return Statement(At(left, at), right, negated), notes
        return Statement(left, At(right, at), negated), notes
    except TermError as exc:
        raise MathError(str(exc)) from None


def end_claim(relations: list[str]) -> str | None:
    """The relation the links give between the first and last member, or None."""
    if len(relations) < 2:
        return None
    unequal = sum(r == "≠" for r in relations)
    if unequal == 0:
        return "="
    return "≠" if unequal == 1 else None
