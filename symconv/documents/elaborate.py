"""From syntax trees to terms: which letter is a function, which a parameter, and what each
construct means under the document's notation.

Letters applied to arguments, or operands of ``*``, ``\\star``, ``^-``, ``'``, ``\\tau``,
``\\langle\\rangle`` or a derivative, are functions; integration variables are bound;
derivative orders are positive integers; every other letter is a real parameter. The
meaning of each operator symbol comes from a :class:`Notation`, which a document may
change (a notation table, or a definition that differs from symconv's).

Where the text admits more than one reading the builder records a *site*: a *guess*
(``f^-g(x-z)``: f⁻ has no argument; the candidates are tried against the neighbouring
steps) or an *alternative* (``f * \\delta(a)``: the delta at a, or (f * δ)(a) by the
notes' convention ``f * g(x)`` = (f * g)(x)); ``choices`` picks a candidate per site.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import sympy as sp

from symconv.documents.grammar import Node
from symconv.documents.lift import lift_integral
from symconv.documents.tokens import MathError
from symconv.language.terms import (
    FUNCTION,
    At,
    Conv,
    Delta,
    Diff,
    Flip,
    Fn,
    Inner,
    Product,
    Shift,
    TermError,
    Xcorr,
    kind_of,
    order_symbol,
    param_symbol,
    unicode,
)

__all__ = ["Notation", "Kinds", "Site", "Builder", "infer_kinds", "OPERATIONS"]

#: The operations a symbol can be declared to mean.
OPERATIONS = {
    "conv": (Conv, "convolution (*)"),
    "convolution": (Conv, "convolution (*)"),
    "xcorr": (Xcorr, "cross-correlation (⋆)"),
    "cross-correlation": (Xcorr, "cross-correlation (⋆)"),
}
MAX_POWER = 8


@dataclass
class Notation:
    """What each operator symbol means here: binary symbols, the flip, and defined names."""

    binary: dict[str, Callable] = field(default_factory=lambda: {
        "*": Conv, "ast": Conv, "circledast": Conv, "star": Xcorr})
    described: dict[str, str] = field(default_factory=dict)
    flip: Callable = Flip
    names: dict[str, sp.Expr] = field(default_factory=dict)

    def copy(self) -> "Notation":
        return Notation(dict(self.binary), dict(self.described), self.flip, dict(self.names))

    def declare(self, symbol: str, operation: str) -> None:
        key = symbol.lstrip("\\")
        if operation not in OPERATIONS:
            raise ValueError(f"unknown operation {operation!r}; use conv or xcorr")
        self.binary[key] = OPERATIONS[operation][0]
        self.described[key] = OPERATIONS[operation][1]


@dataclass
class Kinds:
    functions: set[str] = field(default_factory=set)
    scalars: set[str] = field(default_factory=set)
    bound: set[str] = field(default_factory=set)
    orders: set[str] = field(default_factory=set)
    diff_vars: set[str] = field(default_factory=set)
    #: names in places only a number can stand (points, shift amounts, exponents)
    strict: set[str] = field(default_factory=set)

    def as_dict(self) -> dict:
        return {
            "functions": sorted(self.functions),
            "parameters": sorted(self.scalars - self.functions - self.bound - self.orders),
            "bound": sorted(self.bound),
            "orders": sorted(self.orders),
        }


_F = FUNCTION


def _top_is_function(node: Node, kinds: Kinds) -> bool:
    k = node.kind
    if k in ("binop", "flip", "tau", "delta", "deriv", "prime"):
        return True
    if k == "name":
        return node.value in kinds.functions
    if k in ("group", "neg", "sum", "bracket"):
        return any(_top_is_function(c, kinds) for c in node.children)
    if k == "mul":
        return _top_is_function(node.children[-1], kinds)
    return False


def infer_kinds(nodes: list[Node], known_functions=()) -> Kinds:
    """Mark the letters of all members of one display; raises MathError on a conflict.

    ``known_functions`` (functions of earlier displays) count only where this display uses
    the letter in neutral places: a letter used as a point or integration variable here is
    a number here."""
    kinds = Kinds()
    for node in nodes:
        _mark(node, None, kinds)
    kinds.functions |= (set(known_functions) & _names(nodes)) - kinds.strict - kinds.bound
    want = _F if any(_top_is_function(n, kinds) for n in nodes) else None
    if want:
        for node in nodes:
            _mark(node, want, kinds)
    clash = kinds.functions & (kinds.strict | kinds.bound)
    if clash:
        name = sorted(clash)[0]
        raise MathError(f"{name} is read as a function in one place and as a number in another")
    return kinds


def _names(nodes):
    out = set()
    stack = list(nodes)
    while stack:
        n = stack.pop()
        if n.kind == "name":
            out.add(n.value)
        stack.extend(c for c in n.children if c is not None)
    return out


def _mark(node: Node, want, kinds: Kinds, strict=False):
    k = node.kind
    if k == "name":
        if want == _F:
            kinds.functions.add(node.value)
        else:
            kinds.scalars.add(node.value)
            if strict:
                kinds.strict.add(node.value)
        return
    if k == "apply":
        head, *args = node.children
        _mark(head, _F, kinds)
        for a in args:
            _mark(a, None, kinds, strict=True)
        return
    if k == "binop":
        for c in node.children:
            _mark(c, _F, kinds)
        return
    if k == "flip":
        _mark(node.children[0], _F, kinds)
        return
    if k == "prime":
        _mark(node.children[0], _F, kinds)
        for c in node.children[1:]:
            _mark_order(c, kinds)
        return
    if k == "tau":
        _mark(node.children[0], _F, kinds)
        _mark(node.children[1], None, kinds, strict=True)
        return
    if k == "delta":
        for c in node.children:
            _mark(c, None, kinds, strict=True)
        return
    if k == "inner":
        for c in node.children:
            _mark(c, _F, kinds)
        return
    if k == "deriv":
        body, order = node.children
        _mark(body, _F, kinds)
        _mark_order(order, kinds)
        kinds.diff_vars.add(node.data["var"])
        return
    if k == "integral":
        kinds.bound.add(node.value)
        for c in node.children:
            _mark(c, None, kinds)
        for key in ("lo", "hi"):
            if node.data.get(key) is not None:
                _mark(node.data[key], None, kinds, strict=True)
        return
    if k in ("group", "neg", "sum", "bracket"):
        for c in node.children:
            _mark(c, want, kinds, strict)
        return
    if k == "mul":
        left, right = node.children
        _mark(left, None if want == _F and _could_be_function(right) else want, kinds, strict)
        _mark(right, want, kinds, strict)
        return
    if k == "div":
        _mark(node.children[0], want, kinds, strict)
        _mark(node.children[1], None, kinds, strict=True)
        return
    if k == "pow":
        for c in node.children:
            _mark(c, None, kinds, strict=True)
        return
    for c in node.children:
        _mark(c, None, kinds)


def _could_be_function(node: Node) -> bool:
    return node.kind in ("name", "binop", "flip", "tau", "delta", "deriv", "prime", "group")


def _mark_order(node: Node, kinds: Kinds):
    if node.kind == "name":
        kinds.orders.add(node.value)
    for c in node.children:
        _mark_order(c, kinds)


@dataclass
class Site:
    """A place with more than one reading: ``kind`` is "guess" or "alternative"."""

    kind: str
    pos: int
    options: list[str]


class Builder:
    """Builds the terms of one display's members under a notation and a choice per site."""

    def __init__(self, kinds: Kinds, notation: Notation, choices: dict[int, int] | None = None,
                 lifts: dict | None = None):
        self.kinds = kinds
        self.notation = notation
        self.choices = choices or {}
        #: lifted integrals of this run, by (factors, variable, limits, sign): each is
        #: replayed through the kernel once, however often a display is built
        self.lifts = {} if lifts is None else lifts
        self.sites: dict[int, Site] = {}
        self.integrals: list[dict] = []  # lifted integrals: source offset, value, kernel rules

    def build(self, node: Node) -> sp.Expr:
        try:
            return self._build(node)
        except TermError as exc:
            raise MathError(str(exc), node.pos) from None

    def _choice(self, site: Site) -> int:
        self.sites.setdefault(site.pos, site)
        return self.choices.get(site.pos, 0)

    def _name(self, node: Node) -> sp.Expr:
        name = node.value
        if name in self.kinds.functions and name not in self.kinds.bound:
            if name in self.notation.names:
                return self.notation.names[name]
            if not name.isidentifier():
                raise MathError(f"{name!r} cannot name a function", node.pos)
            return Fn(name)
        if name in self.kinds.orders:
            return order_symbol(name)
        return param_symbol(name)

    def _build(self, node: Node) -> sp.Expr:
        k = node.kind
        if k == "num":
            return sp.Rational(node.value)
        if k == "name":
            return self._name(node)
        if k in ("group", "bracket"):
            return self.build(node.children[0])
        if k == "neg":
            return -self.build(node.children[0])
        if k == "sum":
            parts = [self.build(c) for c in node.children]
            first = kind_of(parts[0])
            for part, child in zip(parts[1:], node.children[1:]):
                if kind_of(part) != first:
                    raise MathError(f"cannot add a {first} and a {kind_of(part)}", child.pos)
            return sp.Add(*parts)
        if k == "mul":
            a, b = (self.build(c) for c in node.children)
            if kind_of(a) == _F and kind_of(b) == _F:
                return Product(a, b)  # f·g, f g: the pointwise product
            return a * b
        if k == "div":
            a, b = (self.build(c) for c in node.children)
            if not (b.is_Number and b != 0):
                raise MathError("division is read only by a nonzero number", node.pos)
            return a / b
        if k == "pow":
            base, exponent = (self.build(c) for c in node.children)
            if kind_of(base) == _F:
                raise MathError("a power of a function is outside the language", node.pos)
            if not (exponent.is_Integer and 0 <= exponent <= MAX_POWER):
                raise MathError(f"an exponent must be an integer from 0 to {MAX_POWER}", node.pos)
            return base**exponent
        if k == "binop":
            return self._binop(node)
        if k == "flip":
            return self.notation.flip(self._function(node.children[0], "flipped"))
        if k == "prime":
            order = int(node.value) if node.value else self._order(node.children[1])
            return Diff(self._function(node.children[0], "differentiated"), order)
        if k == "tau":
            return Shift(self._function(node.children[0], "shifted"), self.build(node.children[1]))
        if k == "delta":
            return Delta(self.build(node.children[0])) if node.children else Delta(0)
        if k == "inner":
            return Inner(*(self._function(c, "in an inner product") for c in node.children))
        if k == "deriv":
            body, order = node.children
            return Diff(self._function(body, "differentiated"), self._order(order))
        if k == "apply":
            return self._apply(node)
        if k == "integral":
            return self._integral(node)
        if k in ("infty", "reals"):
            raise MathError("∞ or ℝ outside the bounds of an integral", node.pos)
        raise MathError(f"unexpected {k}", node.pos)  # pragma: no cover

    def _function(self, node: Node, role: str) -> sp.Expr:
        value = self.build(node)
        if kind_of(value) != _F:
            raise MathError(f"a number cannot be {role}", node.pos)
        return value

    def _order(self, node: Node) -> sp.Expr:
        value = self.build(node)
        if value.is_Integer and not 1 <= value <= 64:
            raise MathError("a derivative order must be from 1 to 64", node.pos)
        return value

    def _binop(self, node: Node) -> sp.Expr:
        symbol = node.value
        meaning = self.notation.binary.get(symbol)
        if meaning is None:
            raise MathError(f"\\{symbol} has no meaning here: declare it in a notation table "
                            f"(e.g. '\\{symbol}: xcorr')", node.pos)
        left, right = node.children
        if symbol in ("*", "ast") and (_is_number(left) or _is_number(right)):
            return self.build(left) * self.build(right)  # 2 * f scales, as in the statement syntax
        a = self._function(left, f"an operand of {symbol}")
        if right.kind == "delta" and right.children:
            site = Site("alternative", right.pos, [
                f"δ({_show(right.children[0], self)}) is the delta at that point",
                "δ(…) applies to the whole product, as in the notes' f * g(x) = (f * g)(x)",
            ])
            if self._choice(site) == 1:
                return At(meaning(a, Delta(0)), self.build(right.children[0]))
        return meaning(a, self._function(right, f"an operand of {symbol}"))

    def _apply(self, node: Node) -> sp.Expr:
        head, *args = node.children
        fun = self.build(head)
        if kind_of(fun) != _F:  # (a + b)(c): a product of numbers
            if len(args) != 1:
                raise MathError("a number applied to several arguments", node.pos)
            return fun * self.build(args[0])
        if len(args) != 1:
            raise MathError(f"a function of {len(args)} arguments (functions here are ℝ → ℝ)",
                            node.pos)
        point = self.build(args[0])
        if kind_of(point) == _F:
            raise MathError("a function as the argument of a function (a composition) is "
                            "outside the language", args[0].pos)
        return At(fun, point)

    def _integral(self, node: Node) -> sp.Expr:
        var = param_symbol(node.value)
        lo, hi = node.data.get("lo"), node.data.get("hi")
        reversed_limits = _bounds(lo, hi, node.pos)
        factors = []
        for i, child in enumerate(node.children):
            value = self.build(child)
            if isinstance(value, Delta) and var in value.point.free_symbols:
                value = At(Delta(0), value.point)  # δ(x − y) in an integrand is a value
            elif kind_of(value) == _F:
                value = self._guess_point(node, i, value, var)
            factors.append(value)
        key = (tuple(factors), var, reversed_limits, node.data["sign"])
        lifted = self.lifts.get(key)
        if lifted is None:
            lifted = self.lifts[key] = lift_integral(factors, var, reversed_limits,
                                                     node.data["sign"], unicode)
        self.integrals.append({"pos": node.pos, "var": var, "value": lifted.value,
                               "line": lifted.line, "rules": lifted.rules})
        return lifted.value

    def _guess_point(self, node: Node, i: int, fun: sp.Expr, var: sp.Symbol) -> sp.Expr:
        """A function with no argument inside an integrand (``f^-g(x-z)``): a guess."""
        neighbours = [self.build(c) for j, c in enumerate(node.children) if j != i]
        points = [var]
        for n in neighbours:
            if isinstance(n, At) and n.point not in points:
                points.append(n.point)
        shown = [f"{unicode(fun)}({unicode(p)})" for p in points]
        site = Site("guess", node.children[i].pos, [
            f"{unicode(fun)} has no argument: read as {s}" for s in shown])
        return At(fun, points[min(self._choice(site), len(points) - 1)])


def _is_number(node: Node) -> bool:
    while node.kind in ("group", "neg") and node.children:
        node = node.children[0]
    return node.kind == "num" or (node.kind == "div" and all(_is_number(c) for c in node.children))


def _bounds(lo, hi, pos) -> bool:
    """True when the limits run from +∞ to −∞; MathError unless the integral is over ℝ."""

    def value(b):
        if b is None or b.kind == "reals":
            return None
        sign = 1
        while b.kind in ("neg", "group"):
            sign = -sign if b.kind == "neg" else sign
            b = b.children[0]
        if b.kind == "infty":
            return sign
        raise MathError("an integral over a bounded interval: only integrals over the whole "
                        "line (−∞ to +∞, or ℝ) are read", pos)

    a, b = value(lo), value(hi)
    if lo is not None and lo.kind == "reals":
        if hi is not None:
            raise MathError("an integral over ℝ with an upper limit", pos)
        return False
    if (a, b) in ((None, None), (-1, 1)):
        return False
    if (a, b) == (1, -1):
        return True
    raise MathError("the limits of an integral over the line must be −∞ and +∞", pos)


def _show(node: Node, builder: Builder) -> str:
    try:
        return unicode(builder.build(node))
    except MathError:
        return "…"
