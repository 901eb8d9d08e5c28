"""Expressions and terms as JSON trees, and back, without ever parsing text.

A certificate read from disk is untrusted input, so its expressions are JSON trees with a
whitelist of node kinds, read back by building each node with its SymPy constructor (or
an operator of the language with its declared constructor, which checks sorts). Nothing
here calls ``sympify`` on text, ``parse_expr``, ``eval`` or ``exec``.

A node is a JSON list ``[kind, …]``:

==================================  ===============================================
``["int", "12"]``                   an integer (at most :data:`MAX_DIGITS` digits)
``["rat", "1", "2"]``               a rational p/q
``["sym", "b", "real"]``            a symbol with the assumptions that hold for it
``["dummy", "y", 3, "real"]``       a bound variable; equal numbers are one variable
``["omega"]``                       the frequency of the Fourier transform
``["I"]`` ``["pi"]`` ``["E"]``      constants; ``["oo"]``, ``["-oo"]``: limits
``["add", …]`` ``["mul", …]``       sums and products
``["pow", base, exponent]``         powers (bounded exponents, see below)
``["exp", a]``, ``["sin", a]``, …   the functions of :data:`FUNCTIONS` (``conjugate`` too)
``["delta", a]``, ``["delta", a, k]``  DiracDelta(a) and its k-th derivative
``["apply", "f", [flags], a, …]``   an undefined function applied, f(a, …); flags
                                    ``["real"]``, ``["not real"]`` or ``[]``
``["integral", body, [v, lo, hi], …]``  an integral, innermost limits first
``["derivative", e, [v, k], …]``    a derivative (k a tree: a number or an order symbol)
``["subs", e, [v, …], [p, …]]``     e with the variables v replaced by the points p
``["piecewise", [e, cond], …]``     a piecewise expression; conditions are
                                    ``["ge"|"gt"|"le"|"lt", a, b]``, ``["and", …]``, ``["true"]``
``["tuple", …]``                    a tuple of expressions
``["op", "conv", a, b]``            an operator of the language by its ``operator`` name
                                    (``["op", "fn", "f"]`` is the real function f,
                                    ``["op", "fn", "f", "complex"]`` a complex one; an
                                    argument that is a word, such as a convention, is
                                    ``["word", "angular"]``)
==================================  ===============================================

Sizes are bounded (:data:`MAX_NODES`, :data:`MAX_DEPTH`, :data:`MAX_DIGITS`), and a power
of numbers has an exponent of at most :data:`MAX_EXPONENT`, so a hostile tree cannot make
SymPy compute for long. Anything else is a :class:`CodecError` that says what and where.
"""

from __future__ import annotations

from functools import partial
from itertools import repeat

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.core.symbol import Str

from symconv.language.groups import MAX_DIM, Group, GroupError
from symconv.language.terms import (
    OPERATORS,
    Fn,
    Operation,
    Statement,
    TermError,
    order_symbol,
)

__all__ = ["CodecError", "Encoder", "Decoder", "encode", "decode", "group", "FUNCTIONS", "ASSUMPTIONS"]
__all__ += ["MAX_NODES", "MAX_DEPTH", "MAX_DIGITS", "MAX_EXPONENT", "MAX_NAME"]

MAX_NODES = 200_000
MAX_DEPTH = 320
MAX_DIGITS = 200
MAX_EXPONENT = 64
MAX_NAME = 64

#: Named functions of one argument a tree may use.
FUNCTIONS = {
    f.__name__: f
    for f in (sp.exp, sp.sin, sp.cos, sp.tan, sp.log, sp.sinh, sp.cosh, sp.tanh, sp.atan, sp.Abs, sp.sign, sp.conjugate)
}
#: Assumptions a symbol may carry.
ASSUMPTIONS = ("zero", "even", "odd", "integer", "positive", "negative", "nonnegative", "nonpositive",
               "nonzero", "real")
_CONSTANTS = {"I": sp.I, "pi": sp.pi, "E": sp.E, "oo": sp.oo, "-oo": -sp.oo}
_RELATIONS = {"ge": sp.Ge, "gt": sp.Gt, "le": sp.Le, "lt": sp.Lt}


class CodecError(ValueError):
    """A tree that is not a well-formed expression of the whitelist (or too large)."""


def _assumptions(symbol) -> list[str]:
    """The fewest assumptions (in the order of :data:`ASSUMPTIONS`) that imply the symbol's."""
    held, chosen = symbol.assumptions0, []
    for a in ASSUMPTIONS:
        if held.get(a) is True and sp.Dummy("t", **{c: True for c in chosen}).assumptions0.get(a) is not True:
            chosen.append(a)
    return chosen


class Encoder:
    """SymPy expressions and terms → trees. One encoder per certificate, so that a bound
    variable keeps one number throughout; ``frequency`` is written ``["omega"]``."""

    def __init__(self, frequency=None):
        self.frequency = frequency
        self.dummies: dict = {}

    def __call__(self, e):
        return self.encode(e)

    def statement(self, st: Statement) -> dict:
        return {"lhs": self.encode(st.lhs), "rhs": self.encode(st.rhs), "negated": bool(st.negated),
                "group": str(st.group)}

    def encode(self, e):
        if isinstance(e, bool):
            raise CodecError(f"not an expression: {e!r}")
        if isinstance(e, int):
            e = sp.Integer(e)
        if e is sp.true:
            return ["true"]
        if isinstance(e, Operation):
            if isinstance(e, Fn):
                return ["op", "fn", e.name] + (["complex"] if e.is_complex_valued else [])
            return ["op", e.operator, *map(self.encode, e.args)]
        if isinstance(e, Str):
            return ["word", e.name]
        if e == self.frequency and self.frequency is not None:
            return ["omega"]
        for name, value in _CONSTANTS.items():
            if e == value:
                return [name]
        if isinstance(e, sp.Integer):
            return ["int", str(int(e))]
        if isinstance(e, sp.Rational):
            return ["rat", str(int(e.p)), str(int(e.q))]
        if isinstance(e, sp.Dummy):
            number = self.dummies.setdefault(e, len(self.dummies))
            return ["dummy", e.name, number, *_assumptions(e)]
        if isinstance(e, sp.Symbol):
            return ["sym", e.name, *_assumptions(e)]
        if isinstance(e, sp.Add):
            return ["add", *map(self.encode, e.args)]
        if isinstance(e, sp.Mul):
            return ["mul", *map(self.encode, e.args)]
        if isinstance(e, sp.Pow):
            return ["pow", self.encode(e.base), self.encode(e.exp)]
        if isinstance(e, sp.DiracDelta):
            return ["delta", *map(self.encode, e.args)]
        if isinstance(e, AppliedUndef):
            flags = {True: ["real"], False: ["not real"], None: []}[e.func._kwargs.get("real")]
            return ["apply", e.func.__name__, flags, *map(self.encode, e.args)]
        if type(e).__name__ in FUNCTIONS and type(e) is FUNCTIONS[type(e).__name__]:
            return [type(e).__name__, self.encode(e.args[0])]
        if isinstance(e, sp.Integral):
            return ["integral", self.encode(e.function), *[list(map(self.encode, lim)) for lim in e.limits]]
        if isinstance(e, sp.Derivative):
            return ["derivative", self.encode(e.expr), *[[self.encode(v), self.encode(k)] for v, k in e.variable_count]]
        if isinstance(e, sp.Subs):
            return ["subs", self.encode(e.expr), list(map(self.encode, e.variables)), list(map(self.encode, e.point))]
        if isinstance(e, sp.Piecewise):
            return ["piecewise", *[[self.encode(x), self.encode(c)] for x, c in e.args]]
        for name, cls in _RELATIONS.items():
            if type(e) is cls:
                return [name, self.encode(e.lhs), self.encode(e.rhs)]
        if isinstance(e, sp.And):
            return ["and", *map(self.encode, e.args)]
        if isinstance(e, (tuple, sp.Tuple)):
            return ["tuple", *map(self.encode, e)]
        raise CodecError(f"no tree for {type(e).__name__}: {e}")


def encode(e, frequency=None):
    """One expression (or term) as a tree."""
    return Encoder(frequency).encode(e)


def _text(value, what: str) -> str:
    if not isinstance(value, str) or not value.isidentifier() or len(value) > MAX_NAME:
        raise CodecError(f"{what} must be a name (an identifier of at most {MAX_NAME} characters), got {value!r}")
    if value.startswith("__"):
        raise CodecError(f"{what} {value!r} is reserved")
    return value


def _integer(text, what: str) -> int:
    if not isinstance(text, str) or not 0 < len(text.lstrip("-")) <= MAX_DIGITS or not text.lstrip("-").isdigit():
        raise CodecError(f"{what} must be a decimal integer of at most {MAX_DIGITS} digits, got {text!r}")
    return int(text)


def _bounded(number) -> sp.Expr:
    """A rational result of arithmetic on numbers, refused when it grew too large."""
    if isinstance(number, sp.Rational) and max(len(str(abs(number.p))), len(str(number.q))) > MAX_DIGITS:
        raise CodecError(f"a number of more than {MAX_DIGITS} digits")
    return number


class Decoder:
    """Trees → SymPy expressions and terms, with the whitelist and the bounds. One decoder
    per certificate: ``["dummy", name, n]`` is the same variable wherever it occurs."""

    def __init__(self, frequency=None):
        self.frequency = frequency
        self.dummies: dict = {}
        self.nodes = 0

    def __call__(self, tree):
        return self.decode(tree)

    def statement(self, data) -> Statement:
        """A statement, on the group it names (``ℝ``, ``ℤ²``, ``ℤ/8``, ``ℤ/N``…)."""
        if not isinstance(data, dict) or set(data) != {"lhs", "rhs", "negated", "group"}:
            raise CodecError("a statement is {lhs, rhs, negated, group}")
        if not isinstance(data["negated"], bool):
            raise CodecError("negated must be true or false")
        try:
            return Statement(self.decode(data["lhs"]), self.decode(data["rhs"]), data["negated"],
                             group(data["group"]))
        except TermError as exc:
            raise CodecError(f"not a statement of the language: {exc}") from exc

    def decode(self, tree, depth: int = 0):
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise CodecError(f"more than {MAX_NODES} nodes")
        if depth > MAX_DEPTH:
            raise CodecError(f"nested more than {MAX_DEPTH} deep")
        if not isinstance(tree, list) or not tree or not isinstance(tree[0], str):
            raise CodecError(f"a node is a list [kind, ...], got {str(tree)[:60]!r}")
        kind, args = tree[0], tree[1:]
        try:
            return self._node(kind, args, depth + 1)
        except (TypeError, ValueError, TermError) as exc:
            if isinstance(exc, CodecError):
                raise
            raise CodecError(f"a malformed {kind!r} node: {exc}") from exc

    def _arity(self, kind, args, n, at_least=False):
        if (len(args) < n) if at_least else (len(args) != n):
            raise CodecError(f"{kind!r} takes {'at least ' if at_least else ''}{n} fields, got {len(args)}")

    def _symbol_parts(self, kind, args, fixed):
        self._arity(kind, args, fixed, at_least=True)
        flags = args[fixed:]
        if any(a not in ASSUMPTIONS for a in flags) or len(set(flags)) != len(flags):
            raise CodecError(f"assumptions must be among {', '.join(ASSUMPTIONS)}, got {flags}")
        return _text(args[0], "a symbol's name"), {a: True for a in flags}

    def _node(self, kind, args, depth):
        sub = partial(self.decode, depth=depth)  # two Python frames a level: decode and _node
        if kind in _CONSTANTS:
            self._arity(kind, args, 0)
            return _CONSTANTS[kind]
        if kind == "true":
            self._arity(kind, args, 0)
            return sp.true
        if kind == "omega":
            self._arity(kind, args, 0)
            if self.frequency is None:
                raise CodecError("a frequency ω where none is expected")
            return self.frequency
        if kind == "int":
            self._arity(kind, args, 1)
            return sp.Integer(_integer(args[0], "an integer"))
        if kind == "rat":
            self._arity(kind, args, 2)
            p, q = _integer(args[0], "a numerator"), _integer(args[1], "a denominator")
            if q <= 0:
                raise CodecError("a denominator must be positive")
            return sp.Rational(p, q)
        if kind == "sym":
            name, flags = self._symbol_parts(kind, args, 1)
            return sp.Symbol(name, **flags)
        if kind == "dummy":
            self._arity(kind, args, 2, at_least=True)
            number = args[1]
            if not isinstance(number, int) or isinstance(number, bool) or not 0 <= number < MAX_NODES:
                raise CodecError(f"a bound variable's number must be a small integer, got {number!r}")
            name, flags = self._symbol_parts(kind, [args[0], *args[2:]], 1)
            known = self.dummies.get(number)
            if known is None:
                known = self.dummies[number] = sp.Dummy(name, **flags)
            elif known.name != name or known.assumptions0 != sp.Dummy(name, **flags).assumptions0:
                raise CodecError(f"bound variable {number} is declared twice differently")
            return known
        if kind in ("add", "mul"):
            self._arity(kind, args, 1, at_least=True)
            parts = list(map(self.decode, args, repeat(depth)))
            if not all(isinstance(p, sp.Expr) for p in parts):
                raise CodecError(f"{kind!r} of something that is not a number or an expression")
            out = sp.Add(*parts) if kind == "add" else sp.Mul(*parts)
            return _bounded(out)
        if kind == "pow":
            self._arity(kind, args, 2)
            base, exponent = sub(args[0]), sub(args[1])
            if exponent.is_Rational and (abs(exponent.p) > MAX_EXPONENT or exponent.q > MAX_EXPONENT):
                raise CodecError(f"an exponent {exponent} beyond ±{MAX_EXPONENT}")
            if base.is_number and not exponent.is_Rational and not exponent.free_symbols:
                raise CodecError(f"a number raised to {exponent}")
            return _bounded(sp.Pow(base, exponent))
        if kind in FUNCTIONS:
            self._arity(kind, args, 1)
            return FUNCTIONS[kind](sub(args[0]))
        if kind == "delta":
            if len(args) not in (1, 2):
                raise CodecError("'delta' takes a point and optionally an order")
            point = sub(args[0])
            if len(args) == 1:
                return sp.DiracDelta(point)
            order = sub(args[1])
            if not (order.is_Integer and 0 <= order <= MAX_EXPONENT):
                raise CodecError(f"the order of a δ derivative must be 0…{MAX_EXPONENT}")
            return sp.DiracDelta(point, order)
        if kind == "apply":
            self._arity(kind, args, 3, at_least=True)
            flags = {(): {}, ("real",): {"real": True}, ("not real",): {"real": False}}.get(
                tuple(args[1]) if isinstance(args[1], list) else None)
            if flags is None:
                raise CodecError(f"a function's flags are [], [\"real\"] or [\"not real\"], got {args[1]!r}")
            fn = sp.Function(_text(args[0], "a function's name"), **flags)
            return fn(*list(map(self.decode, args[2:], repeat(depth))))
        if kind == "word":
            self._arity(kind, args, 1)
            return Str(_text(args[0], "a word"))
        if kind == "integral":
            self._arity(kind, args, 2, at_least=True)
            limits = [self._limit(lim, sub) for lim in args[1:]]
            return sp.Integral(sub(args[0]), *limits)
        if kind == "derivative":
            self._arity(kind, args, 2, at_least=True)
            pairs = []
            for pair in args[1:]:
                if not (isinstance(pair, list) and len(pair) == 2):
                    raise CodecError("a derivative's variable is [variable, count]")
                count = sub(pair[1])
                small = count.is_Integer and 0 < count <= MAX_EXPONENT
                if not (small or (not count.is_number and count.is_integer and count.is_positive)):
                    raise CodecError(f"a derivative's count must be 1…{MAX_EXPONENT} or a positive-integer symbol")
                pairs.append((self._variable(pair[0], sub), count))
            return sp.Derivative(sub(args[0]), *pairs)
        if kind == "subs":
            self._arity(kind, args, 3)
            if not (isinstance(args[1], list) and isinstance(args[2], list) and len(args[1]) == len(args[2])):
                raise CodecError("'subs' takes an expression, variables and as many points")
            variables = [self._variable(v, sub) for v in args[1]]
            return sp.Subs(sub(args[0]), variables, list(map(self.decode, args[2], repeat(depth))))
        if kind == "piecewise":
            self._arity(kind, args, 1, at_least=True)
            branches = []
            for pair in args:
                if not (isinstance(pair, list) and len(pair) == 2):
                    raise CodecError("a piecewise branch is [expression, condition]")
                branches.append((sub(pair[0]), sub(pair[1])))
            return sp.Piecewise(*branches)
        if kind in _RELATIONS:
            self._arity(kind, args, 2)
            return _RELATIONS[kind](sub(args[0]), sub(args[1]))
        if kind == "and":
            self._arity(kind, args, 1, at_least=True)
            return sp.And(*list(map(self.decode, args, repeat(depth))))
        if kind == "tuple":
            return sp.Tuple(*list(map(self.decode, args, repeat(depth))))
        if kind == "op":
            self._arity(kind, args, 1, at_least=True)
            cls = OPERATORS.get(args[0]) if isinstance(args[0], str) else None
            if cls is None:
                raise CodecError(f"no operator called {args[0]!r}")
            if cls is Fn:
                if len(args) not in (2, 3) or (len(args) == 3 and args[2] != "complex"):
                    raise CodecError("a function is [\"op\", \"fn\", name] or [..., name, \"complex\"]")
                return Fn(_text(args[1], "a function's name"), "complex" if len(args) == 3 else "real")
            return cls(*list(map(self.decode, args[1:], repeat(depth))))
        raise CodecError(f"unknown node kind {kind!r}")

    def _variable(self, tree, sub):
        v = sub(tree)
        if not isinstance(v, sp.Symbol):
            raise CodecError(f"expected a variable, got {v}")
        return v

    def _limit(self, lim, sub):
        if not (isinstance(lim, list) and len(lim) == 3):
            raise CodecError("an integral's limits are [variable, lower, upper]")
        return (self._variable(lim[0], sub), sub(lim[1]), sub(lim[2]))


def group(text) -> Group:
    """The group ``str(group)`` wrote: ℝⁿ, ℤⁿ (n ≤ 3), ℤ/N with N a whole number or a name."""
    known = {str(g): g for kind in "RZ" for g in (Group(kind, d) for d in range(1, MAX_DIM + 1))}
    if isinstance(text, str) and text in known:
        return known[text]
    if isinstance(text, str) and text.startswith("ℤ/"):
        n = text[2:]
        modulus = sp.Integer(_integer(n, "a modulus")) if n.isdigit() else order_symbol(_text(n, "a modulus"))
        try:
            return Group("ZN", 1, modulus)
        except GroupError as exc:
            raise CodecError(str(exc)) from exc
    raise CodecError(f"no group {text!r}")


def decode(tree, frequency=None):
    """One tree as an expression (or term)."""
    return Decoder(frequency).decode(tree)
