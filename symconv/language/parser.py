"""A safe parser for statements in the call syntax and in the notes' own notation.

Nothing here evaluates user text: a hand-written tokenizer with a whitelist of
characters, a recursive-descent parser with bounded depth, and an elaborator that
infers which names are functions and which are real parameters, then builds terms
with the constructors of :mod:`symconv.language.terms`.

Accepted (both may be mixed)::

    xcorr(f, g) == conv(flip(f), g)           call syntax
    f⋆g = f⁻*g      τ(f*g, b) = f*τ(g, b)      the notes' notation
    diff(conv(f, g), k) = conv(f, diff(g, k))  symbolic derivative order k
    (f*δ)(a) = f(a)    inner(f, δ(a)) = f(a)   values and inner products
    f*g != g*f                                 "is not an identity"

``*`` (or ``∗``, U+2217, as PDFs paste it) between two functions is a convolution;
between a number and a function it scales. ``·`` and ``×`` are refused with a hint
rather than guessed at. Numbers are exact: ``2``, ``0.5``, ``1e3``. A name starting with f, g, h, u, v, w, φ or ψ is a function; any other name
is a real parameter unless the statement puts it where only a function can stand
(an argument of ``conv``, ``flip``, ``shift``…, or called at a point ``p(a)``).
"""

from __future__ import annotations

import difflib
import time
from dataclasses import dataclass, field

import sympy as sp

from symconv.language import bounds, names
from symconv.language.bounds import LIMITS, Limits
from symconv.language.groups import Group, GroupError, R
from symconv.language.terms import (
    CONVENTION,
    CONVENTIONS,
    DEFAULT_CONVENTION,
    FUNCTION,
    NONZERO,
    OPERATORS,
    ORDER,
    REAL,
    SCALAR,
    At,
    Conv,
    Diff,
    Flip,
    Fn,
    Fourier,
    InverseFourier,
    Product,
    Statement,
    TermError,
    Xcorr,
    Zero,
    depends_on_functions,
    kind_of,
    order_symbol,
    param_symbol,
)

__all__ = ["ParseError", "parse", "parse_term", "LIMITS"]


class ParseError(ValueError):
    """Bad input: says what is wrong and where (1-based column)."""

    def __init__(self, message: str, source: str = "", pos: int | None = None):
        self.message = message
        self.source = source
        self.pos = pos
        super().__init__(str(self))

    @property
    def column(self) -> int | None:
        return None if self.pos is None else self.pos + 1

    def __str__(self) -> str:
        if self.pos is None:
            return self.message
        return f"column {self.pos + 1}: {self.message}"


# --------------------------------------------------------------------------- tokens

_SINGLE = {
    "+": "+",
    "-": "-",
    "−": "-",
    "*": "*",
    "∗": "*",  # U+2217 ASTERISK OPERATOR, what PDFs paste for the notes' convolution
    "⋆": "⋆",
    "★": "⋆",
    "⁻": "⁻",
    "/": "/",
    "^": "^",
    "(": "(",
    ")": ")",
    ",": ",",
    "'": "'",
    "′": "'",
    "⟨": "⟨",
    "⟩": "⟩",
    "𝓕": "𝓕",  # the Fourier transform, as a prefix: 𝓕f, 𝓕(f * g)
    "ℝ": "ℝ",  # the groups of a leading 'over G:'
    "ℤ": "ℤ",
    "²": "²",
    "³": "³",
    "·": "·",  # the pointwise product
    "⋅": "·",
    "∙": "·",
    "\u0302": "^hat",  # combining circumflex: f̂ is the Fourier transform of f
    ":": ":",
    "=": "=",
    "≠": "!=",
}
_DOUBLE = {"==": "=", "!=": "!=", "**": "^"}
#: Glyphs that are refused with a hint rather than guessed at: read as a convolution they
#: would silently change a statement's meaning.
_REFUSED_GLYPHS = {
    "×": "'×' is ambiguous (a product? a convolution?)",
}
_GLYPH_HINT = (
    "; write '*' (or '∗') for a convolution f*g, '·' or mul(f, g) for the pointwise "
    "product, and '2*f' to scale by a number"
)


@dataclass(frozen=True)
class Token:
    kind: str  # "num", "name", "op", "end"
    value: str
    pos: int


_ASCII_LETTERS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
#: Greek letters (α–ω, Α–Ω and the variants ϕ ϑ ϵ): names are ASCII or Greek, so that
#: look-alike letters (a full-width ａ, a Latin ƒ) cannot pass for another name.
_GREEK = {chr(c) for c in range(0x391, 0x3AA)} | {chr(c) for c in range(0x3B1, 0x3CA)} | set("ϕϑϵ")
_GREEK.discard("\u03a2")  # unassigned code point
#: Names that look like constants; refusing them avoids a silent parameter called "e".
_RESERVED = {"E", "oo", "inf", "nan", "zoo"}
#: The constants a statement may use: π and the imaginary unit.
_CONSTANTS = {"pi": sp.pi, "π": sp.pi, "I": sp.I}
#: Functions of numbers (constants and parameters, never values of functions).
_SCALAR_FUNCTIONS = {"abs": sp.Abs, "sqrt": sp.sqrt, "exp": sp.exp}


def _is_name_start(c: str) -> bool:
    return c == "_" or c in _ASCII_LETTERS or c in _GREEK


def _is_name_char(c: str) -> bool:
    return _is_name_start(c) or c in "0123456789"


class _Deadline:
    """Reading a statement is bounded in time too (every step is bounded in size, so
    this only trips on a machine that is far too slow or overloaded)."""

    def __init__(self, source: str, limits: Limits):
        self.source = source
        self.seconds = limits.seconds
        self.end = time.monotonic() + limits.seconds

    def check(self, pos: int | None = None) -> None:
        if time.monotonic() > self.end:
            raise ParseError(
                f"reading the statement took longer than {self.seconds:g} s", self.source, pos
            )


def tokenize(source: str, limits: Limits = LIMITS) -> list[Token]:
    if len(source) > limits.length:
        raise ParseError(
            f"the statement is {len(source)} characters long; the limit is {limits.length}"
        )
    tokens: list[Token] = []
    deadline = _Deadline(source, limits)
    i, n = 0, len(source)
    while i < n:
        deadline.check(i)
        c = source[i]
        if c.isspace():
            i += 1
            continue
        if c in "0123456789":
            j = i
            while j < n and source[j] in "0123456789":
                j += 1
            if j + 1 < n and source[j] == "." and source[j + 1] in "0123456789":
                j += 1
                while j < n and source[j] in "0123456789":
                    j += 1
            digits = sum(ch.isdigit() for ch in source[i:j])
            if digits > limits.digits:
                raise ParseError(
                    f"a number with {digits} digits; the limit is {limits.digits}", source, i
                )
            j = _exponent_end(source, j, limits)
            tokens.append(Token("num", source[i:j], i))
            i = j
        elif _is_name_start(c):
            j = i + 1
            while j < n and _is_name_char(source[j]):
                j += 1
            name = names.normalize(source[i:j])  # NFKC, as for Python names: ϕ is φ
            if name.startswith("__"):
                raise ParseError(f"names starting with '__' are not allowed: {name}", source, i)
            if name in _RESERVED:
                raise ParseError(
                    f"{name} is reserved: scalars are rational numbers and named real parameters",
                    source,
                    i,
                )
            tokens.append(Token("name", name, i))
            i = j
        elif source[i : i + 2] in _DOUBLE:
            tokens.append(Token("op", _DOUBLE[source[i : i + 2]], i))
            i += 2
        elif c in _SINGLE:
            tokens.append(Token("op", _SINGLE[c], i))
            i += 1
        elif c == ".":
            raise ParseError("attribute access ('.') is not allowed", source, i)
        elif c in _REFUSED_GLYPHS:
            raise ParseError(_REFUSED_GLYPHS[c] + _GLYPH_HINT, source, i)
        else:
            raise ParseError(f"unexpected character {c!r}", source, i)
        if len(tokens) > limits.tokens:
            raise ParseError(f"more than {limits.tokens} tokens", source, i)
    tokens.append(Token("end", "", n))
    return tokens


def _exponent_end(source: str, j: int, limits: Limits) -> int:
    """The end of a number's decimal exponent (``1e3``, ``2.5E-4``) starting at ``j``,
    or ``j`` when none follows; the number stays an exact rational."""
    if j >= len(source) or source[j] not in "eE":
        return j
    k = j + 1
    if k < len(source) and source[k] in "+-":
        k += 1
    start = k
    while k < len(source) and source[k] in "0123456789":
        k += 1
    if k == start:
        return j  # not an exponent: the 'e' starts a name (and is refused there)
    exponent = source[start:k].lstrip("0") or "0"
    if len(exponent) > 3 or int(exponent) > limits.digits:
        raise ParseError(
            f"a decimal exponent above {limits.digits} (write the number another way)",
            source,
            j,
        )
    return k


# --------------------------------------------------------------------------- syntax tree


@dataclass
class Node:
    kind: str  # num name call apply neg sum mul star div pow flip prime rel group
    pos: int
    value: str = ""
    children: list["Node"] = field(default_factory=list)


class _Parser:
    def __init__(self, source: str, limits: Limits):
        self.source = source
        self.limits = limits
        self.tokens = tokenize(source, limits)
        self.i = 0
        self.depth = 0
        self.deadline = _Deadline(source, limits)

    # helpers
    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def error(self, message: str, pos: int | None = None) -> ParseError:
        return ParseError(message, self.source, self.tok.pos if pos is None else pos)

    def at_op(self, *ops: str) -> bool:
        return self.tok.kind == "op" and self.tok.value in ops

    def take(self) -> Token:
        t = self.tok
        self.deadline.check(t.pos)
        self.i += 1
        return t

    def expect(self, op: str) -> Token:
        if not self.at_op(op):
            found = "the end" if self.tok.kind == "end" else repr(self.tok.value)
            raise self.error(f"expected '{op}' but found {found}")
        return self.take()

    def nest(self):
        self.depth += 1
        if self.depth > self.limits.depth:
            raise self.error(f"nesting deeper than {self.limits.depth} levels")

    # grammar
    def group_clause(self, head: Token) -> Node:
        """``over R:``, ``over R^2:``, ``over Z:``, ``over Z^2:``, ``over Z/N:``, ``over Z/8:``
        (ℝ, ℤ, ℝ², ℤ² too)."""
        t = self.tok
        if self.at_op("ℝ", "ℤ") or (t.kind == "name" and t.value in ("R", "Z")):
            base = {"ℝ": "R", "ℤ": "Z"}.get(t.value, t.value)
            self.take()
        else:
            raise self.error("'over' needs a group: R, R^2, Z, Z^2, Z/N or Z/8")
        spec = base
        if self.at_op("^"):
            self.take()
            if self.tok.kind != "num" or not self.tok.value.isdigit():
                raise self.error("the dimension of a group is a whole number")
            spec += "^" + self.take().value
        elif self.at_op("²", "³"):
            spec += "^" + {"²": "2", "³": "3"}[self.take().value]
        elif base == "Z" and self.at_op("/"):
            self.take()
            if self.tok.kind == "num" and self.tok.value.isdigit() or self.tok.kind == "name":
                spec += "/" + self.take().value
            else:
                raise self.error("ℤ/N needs its modulus: a whole number or a name")
        self.expect(":")
        return Node("clause", head.pos, "over", [Node("group", t.pos, spec)])

    def clauses(self) -> list[Node]:
        """Leading ``over G:``, ``convention NAME:`` and ``complex f, g:`` clauses."""
        out = []
        if self.tok.kind == "name" and self.tok.value == "over":
            nxt = self.tokens[self.i + 1]
            if nxt.kind == "name" or nxt.value in ("ℝ", "ℤ"):
                out.append(self.group_clause(self.take()))
        while self.tok.kind == "name" and self.tok.value in ("convention", "complex"):
            nxt = self.tokens[self.i + 1]
            if nxt.kind != "name":
                break
            head = self.take()
            names = [self.take()]
            while head.value == "complex" and self.at_op(","):
                self.take()
                if self.tok.kind != "name":
                    raise self.error("expected a function name after ','")
                names.append(self.take())
            self.expect(":")
            out.append(Node("clause", head.pos, head.value, [Node("name", n.pos, n.value) for n in names]))
        return out

    def statement(self) -> Node:
        clauses = self.clauses()
        lhs = self.sum()
        if not self.at_op("=", "!="):
            if self.tok.kind == "end":
                raise self.error("a statement needs '=' (or '==', '!=') between two sides")
            raise self.error(f"unexpected {self.tok.value!r}")
        rel = self.take()
        rhs = self.sum()
        if self.at_op("=", "!="):
            raise self.error("only one '=' or '!=' per statement")
        if self.tok.kind != "end":
            raise self.error(f"unexpected {self.tok.value!r}")
        return Node("rel", rel.pos, rel.value, [lhs, rhs, *clauses])

    def term_only(self) -> Node:
        node = self.sum()
        if self.tok.kind != "end":
            raise self.error(f"unexpected {self.tok.value!r}")
        return node

    def sum(self) -> Node:
        first = self.product()
        terms = [first]
        while self.at_op("+", "-"):
            op = self.take()
            rhs = self.product()
            terms.append(rhs if op.value == "+" else Node("neg", op.pos, "", [rhs]))
        # one flat node for a whole sum, so a long sum is not a deep tree
        return first if len(terms) == 1 else Node("sum", first.pos, "", terms)

    def product(self) -> Node:
        node = self.unary()
        while self.at_op("*", "⋆", "/", "·"):
            op = self.take()
            rhs = self.unary()
            kind = {"*": "mul", "⋆": "star", "/": "div", "·": "pmul"}[op.value]
            node = Node(kind, op.pos, "", [node, rhs])
        return node

    def unary(self) -> Node:
        if self.at_op("-", "+"):
            op = self.take()
            self.nest()
            inner = self.unary()
            self.depth -= 1
            return inner if op.value == "+" else Node("neg", op.pos, "", [inner])
        return self.power()

    def power(self) -> Node:
        base = self.postfix()
        if self.at_op("^"):
            op = self.take()
            self.nest()
            exponent = self.unary()
            self.depth -= 1
            return Node("pow", op.pos, "", [base, exponent])
        return base

    def postfix(self) -> Node:
        node = self.primary()
        while True:
            if self.at_op("⁻"):
                node = Node("flip", self.take().pos, "", [node])
            elif self.at_op("'"):
                node = Node("prime", self.take().pos, "", [node])
            elif self.at_op("^hat"):
                node = Node("call", self.take().pos, "fourier", [node])
            elif self.at_op("(") and node.kind in ("name", "group", "call", "flip", "prime"):
                pos = self.tok.pos
                args = self.arguments()
                node = Node("apply", pos, "", [node, *args])
            else:
                return node

    def arguments(self) -> list[Node]:
        self.expect("(")
        self.nest()
        args: list[Node] = []
        if not self.at_op(")"):
            args.append(self.sum())
            while self.at_op(","):
                self.take()
                args.append(self.sum())
        self.expect(")")
        self.depth -= 1
        return args

    def primary(self) -> Node:
        t = self.tok
        if self.at_op("𝓕"):
            self.take()
            self.nest()
            operand = self.primary()
            self.depth -= 1
            return Node("call", t.pos, "fourier", [operand])
        if t.kind == "num":
            self.take()
            return Node("num", t.pos, t.value)
        if t.kind == "name":
            self.take()
            if t.value in _BUILTINS and self.at_op("("):
                return Node("call", t.pos, t.value, self.arguments())
            if t.value in _SCALAR_FUNCTIONS and self.at_op("("):
                return Node("scalar_call", t.pos, t.value, self.arguments())
            return Node("name", t.pos, t.value)
        if self.at_op("("):
            self.take()
            self.nest()
            inner = self.sum()
            self.expect(")")
            self.depth -= 1
            return Node("group", t.pos, "", [inner])
        if self.at_op("⟨"):
            self.take()
            self.nest()
            a = self.sum()
            self.expect(",")
            b = self.sum()
            self.expect("⟩")
            self.depth -= 1
            return Node("call", t.pos, "inner", [a, b])
        if t.kind == "end":
            raise self.error("the statement ends too early")
        raise self.error(f"unexpected {t.value!r}")


# --------------------------------------------------------------------------- elaboration

F, S = FUNCTION, SCALAR

def _call_syntax() -> tuple[dict, dict]:
    """The operations a statement may call, read off the operators' declarations:
    name (and each alias) -> (the accepted argument kinds, result kind), and -> the class.
    A kind is F, S, or "order" for a number used as a derivative order."""
    kinds = {FUNCTION: F, REAL: S, NONZERO: S, ORDER: "order", CONVENTION: "convention"}
    builtins, constructors = {}, {}
    for name, cls in OPERATORS.items():
        if name == "fn":
            continue
        full = tuple(kinds[sort] for sort, _ in cls.signature)
        shortest = len(full) - len(cls.defaults)
        signatures = tuple(full[:n] for n in range(shortest, len(full) + 1))
        for spelling in (name, *cls.aliases):
            builtins[spelling] = (signatures, cls.result)
            constructors[spelling] = cls
    return builtins, constructors


#: builtin -> (argument kinds, result kind); builtin -> its class
_BUILTINS, _CONSTRUCTORS = _call_syntax()
#: builtins that may appear without parentheses: every argument has a default (δ means δ(0))
_BARE = {n for n, (sigs, _) in _BUILTINS.items() if () in sigs}
_FUNCTION_INITIALS = set("fghuvwφψϕFGHUVW")


class _Elaborator:
    def __init__(self, source: str, limits: Limits):
        self.source = source
        self.limits = limits
        self.kinds: dict[str, str] = {}
        self.first_use: dict[str, int] = {}
        self.order_names: set[str] = set()
        self.convention = DEFAULT_CONVENTION
        self.complex_names: set[str] = set()
        self.group = R
        self.deadline = _Deadline(source, limits)

    def error(self, message: str, node: Node) -> ParseError:
        return ParseError(message, self.source, node.pos)

    # ---- which names are functions
    # A name starting with f, g, h, u, v, w, φ or ψ is a function; any other name is a
    # real parameter unless the statement puts it where only a function can stand
    # (an argument of conv, flip, shift…, the head of a value f(a), before ⁻ or ').
    def mark(self, node: Node, want: str | None):
        k = node.kind
        if k == "clause":
            if node.value == "over":
                self.group = self._group(node.children[0])
                return
            if node.value == "convention":
                name = node.children[0].value
                if name not in CONVENTIONS:
                    raise self.error(
                        f"unknown convention {name}; the conventions are {', '.join(CONVENTIONS)}",
                        node.children[0],
                    )
                self.convention = name
            else:
                for c in node.children:
                    self.complex_names.add(c.value)
                    self.mark(c, F)
            return
        if k == "name":
            name = node.value
            if name in _BUILTINS and name not in _BARE:
                raise self.error(f"{name} needs arguments: {name}(...)", node)
            if name in _CONSTANTS:
                return
            if name not in _BARE:
                self.first_use.setdefault(name, node.pos)
                if want == F:
                    self.kinds[name] = F
            return
        if k == "call":
            signatures, _ = _BUILTINS[node.value]
            sig = self._signature(node, signatures)
            for arg, want_arg in zip(node.children, sig):
                if want_arg == "convention":
                    if arg.kind != "name" or arg.value not in CONVENTIONS:
                        raise self.error(
                            f"a Fourier convention is one of {', '.join(CONVENTIONS)}", arg
                        )
                    continue
                if want_arg == "order":
                    self._mark_orders(arg)
                self.mark(arg, F if want_arg == F else None)
            return
        if k == "apply":
            head, *args = node.children
            self.mark(head, F)
            for a in args:
                self.mark(a, None)
            return
        if k in ("flip", "prime", "star"):
            for c in node.children:
                self.mark(c, F)
            return
        if k == "rel":
            for c in node.children[2:]:  # the clauses first: they say what the names are
                self.mark(c, None)
            for c in node.children[:2]:
                self.mark(c, None)
            return
        if k in ("group", "neg", "sum"):
            for c in node.children:
                self.mark(c, want)
            return
        if k == "div":
            self.mark(node.children[0], want)
            self.mark(node.children[1], None)
            return
        if k == "scalar_call" and len(node.children) != 1:
            raise self.error(f"{node.value} takes 1 argument, got {len(node.children)}", node)
        for c in node.children:
            self.mark(c, None)

    def _group(self, node: Node) -> Group:
        spec = node.value
        base, _, rest = spec.partition("/")
        try:
            if rest:
                if rest.isdigit():
                    modulus = sp.Integer(int(rest))
                    if not 1 <= modulus <= 10**6:
                        raise GroupError(f"the modulus of ℤ/N must be between 1 and 10⁶, not {rest}")
                else:
                    self.order_names.add(rest)  # N is a positive integer wherever it appears
                    modulus = order_symbol(rest)
                return Group("ZN", 1, modulus)
            kind, _, dim = base.partition("^")
            return Group(kind, int(dim) if dim else 1)
        except (GroupError, ValueError) as exc:
            raise self.error(str(exc), node) from None

    def _signature(self, node: Node, signatures) -> tuple[str, ...]:
        for sig in signatures:
            if len(sig) == len(node.children):
                return sig
        counts = " or ".join(str(len(s)) for s in signatures)
        plural = "" if counts == "1" else "s"
        raise self.error(
            f"{node.value} takes {counts} argument{plural}, got {len(node.children)}", node
        )

    def _mark_orders(self, node: Node):
        if node.kind == "name":
            self.order_names.add(node.value)
        for c in node.children:
            self._mark_orders(c)

    def infer(self, root: Node):
        self.mark(root, None)
        pair = names.confusable(self.first_use)  # fο and fo, fΑ and fA: one statement, one name
        if pair is not None:
            raise ParseError(
                bounds.confusable_message(*pair), self.source, self.first_use[pair[1]]
            )
        for name in self.first_use:
            if name[0] in _FUNCTION_INITIALS:
                self.kinds[name] = F
            self.kinds.setdefault(name, S)

    # ---- building terms
    def build(self, node: Node) -> sp.Expr:
        self.deadline.check(node.pos)
        try:
            value = self._build(node)
        except TermError as exc:
            raise self.error(str(exc), node) from None
        if isinstance(value, sp.Rational) and node.kind != "num":
            digits = bounds.number_digits(value)
            if digits > self.limits.digits:
                raise self.error(
                    f"a number with {digits} digits (as computed); "
                    f"the limit is {self.limits.digits}",
                    node,
                )
        return value

    def _bounded(self, node: Node, size: bounds.Size, what: str, number: bool = False) -> None:
        """Refuse, before it is built, a number or a term too large (see bounds)."""
        if number and size.digits > self.limits.digits:
            raise self.error(
                f"{what} is a number with {bounds.count_text(size.digits)} digits; "
                f"the limit is {self.limits.digits}",
                node,
            )
        try:
            bounds.check_size(size, self.limits, what)
        except bounds.TooLarge as exc:
            raise self.error(str(exc), node) from None

    def _symbol(self, name: str) -> sp.Symbol:
        return order_symbol(name) if name in self.order_names else param_symbol(name)

    def _build(self, node: Node) -> sp.Expr:
        k = node.kind
        if k == "num":
            return sp.Rational(node.value)
        if k == "name":
            if node.value in _CONSTANTS:
                return _CONSTANTS[node.value]
            if node.value in _BARE:
                return _CONSTRUCTORS[node.value]()
            if self.kinds[node.value] == F:
                return Fn(node.value, "complex" if node.value in self.complex_names else "real")
            return self._symbol(node.value)
        if k == "group":
            return self.build(node.children[0])
        if k == "call":
            signatures, _ = _BUILTINS[node.value]
            sig = self._signature(node, signatures)
            args = [
                a.value if want == "convention" else self.build(a)
                for a, want in zip(node.children, sig)
            ]
            self._check_kinds(node, args)
            cls = _CONSTRUCTORS[node.value]
            if cls in (Fourier, InverseFourier) and len(args) == 1:
                args.append(self.convention)  # the statement's convention
            return cls(*args)
        if k == "apply":
            head, *args = node.children
            unknown = _unknown_operation(head)
            if unknown and len(args) != 1:
                raise self.error(unknown, head)
            if len(args) != 1:
                raise self.error(
                    f"a value at a point takes one argument, got {len(args)}", node
                )
            fun, point = self.build(head), self.build(args[0])
            self._need(head, fun, F, "evaluated at a point")
            if unknown and kind_of(point) != S:
                raise self.error(unknown, head)
            self._need(args[0], point, S, "a point")
            return At(fun, point)
        if k == "flip":
            return Flip(self._need_built(node.children[0], F, "flipped with ⁻"))
        if k == "prime":
            return Diff(self._need_built(node.children[0], F, "differentiated with '"), 1)
        if k == "neg":
            return -self.build(node.children[0])
        if k == "sum":
            parts = [self.build(c) for c in node.children]
            first = kind_of(parts[0])
            for part, child in zip(parts[1:], node.children[1:]):
                if kind_of(part) != first:
                    raise self.error(f"cannot add a {first} and a {kind_of(part)}", child)
            self._bounded(node, bounds.sum_of(map(bounds.estimate, parts)), "the sum")
            return self._keep_sort(sp.Add(*parts), first)
        if k in ("mul", "pmul"):  # '*' between functions convolves, '·' multiplies pointwise
            a, b = (self.build(c) for c in node.children)
            number = a.is_Number and b.is_Number
            self._bounded(node, bounds.estimate(a) * bounds.estimate(b), "the product", number)
            ka, kb = kind_of(a), kind_of(b)
            if ka == F and kb == F:
                return (Conv if k == "mul" else Product)(a, b)
            if F in (ka, kb):
                self._linear_scaling(node, a, b, ka)
                return self._keep_sort(sp.Mul(a, b), F)
            return sp.Mul(a, b)
        if k == "star":
            a, b = (self.build(c) for c in node.children)
            self._bounded(node, bounds.estimate(a) * bounds.estimate(b), "the product")
            return Xcorr(a, b)
        if k == "div":
            a, b = (self.build(c) for c in node.children)
            if kind_of(b) != S or depends_on_functions(b):
                raise self.error("division is only by a nonzero number", node)
            if b == 0 or b.is_zero:
                raise self.error("division by zero", node)
            number = a.is_Number
            self._bounded(node, bounds.estimate(a) * bounds.estimate(b), "the quotient", number)
            return self._keep_sort(a / b, kind_of(a))
        if k == "scalar_call":
            (arg,) = (self.build(c) for c in node.children)
            if kind_of(arg) != S or depends_on_functions(arg):
                raise self.error(f"{node.value} takes a number that does not depend on functions", node)
            if node.value == "exp" and arg.is_Number and abs(arg) > self.limits.exponent:
                raise self.error(f"exp of a number above {self.limits.exponent} in size", node)
            return _SCALAR_FUNCTIONS[node.value](arg)
        if k == "pow":
            base, exponent = (self.build(c) for c in node.children)
            self._need(node.children[0], base, S, "raised to a power")
            if depends_on_functions(base):
                raise self.error("a value of a function cannot be raised to a power", node)
            if not (exponent.is_Integer and 0 <= exponent <= self.limits.exponent):
                raise self.error(
                    f"an exponent must be an integer from 0 to {self.limits.exponent}", node
                )
            if base.is_Add and exponent > self.limits.sum_exponent:
                # (a + b + c + d)^64 expands to tens of thousands of terms
                raise self.error(
                    f"a sum may be raised to a power of at most {self.limits.sum_exponent}", node
                )
            # nested powers multiply: ((10^40)^64)^64 has 163,841 digits, and SymPy merges
            # ((a+b+c+d)^8)^8 into (a+b+c+d)^64; so the size is checked before building
            size = bounds.estimate(base).power(int(exponent))
            self._bounded(node, size, "the power", base.is_Number)
            return base**exponent
        if k == "rel":
            lhs, rhs = (self.build(c) for c in node.children[:2])
            kl, kr = kind_of(lhs), kind_of(rhs)
            if kl != kr and F in (kl, kr) and 0 in (lhs, rhs):
                lhs, rhs = (Zero() if s == 0 else s for s in (lhs, rhs))  # f − f = 0
                kl = kr = F
            if kl != kr:
                raise self.error(
                    f"the left side is a {kl} but the right side is a {kr}; "
                    "both sides must be functions or both scalars",
                    node,
                )
            statement = Statement(lhs, rhs, negated=node.value == "!=", group=self.group)
            bounds.check_statement(statement, self.limits)  # TermError: at the relation
            return statement
        raise self.error(f"unexpected syntax {k}", node)  # pragma: no cover

    @staticmethod
    def _keep_sort(value, kind: str):
        """SymPy folds f − f and 0·f to the number 0; where a function was written, that is
        the zero function."""
        if kind == F and value == 0:
            return Zero()
        return value

    def _linear_scaling(self, node: Node, a, b, ka: str):
        scalar, scalar_node = (a, node.children[0]) if ka == S else (b, node.children[1])
        if depends_on_functions(scalar):
            hint = ""
            if scalar_node.kind == "apply":
                hint = "; to convolve and then evaluate, write (f * g)(x)"
            raise self.error(
                "a function times a value of a function is not linear, so it is "
                f"outside the language{hint}",
                node,
            )

    def _need(self, node: Node, value, kind: str, role: str):
        actual = kind_of(value)
        if actual != kind:
            raise self.error(f"a {actual} cannot be {role}", node)

    def _need_built(self, node: Node, kind: str, role: str):
        value = self.build(node)
        self._need(node, value, kind, role)
        return value

    def _check_kinds(self, node: Node, args: list):
        signatures, _ = _BUILTINS[node.value]
        sig = self._signature(node, signatures)
        for i, (arg, want, child) in enumerate(zip(args, sig, node.children), 1):
            if want == "convention":
                continue
            want = S if want == "order" else want
            actual = kind_of(arg)
            if actual != want:
                raise self.error(
                    f"argument {i} of {node.value} must be a {want}, got a {actual}", child
                )
            if want == S and depends_on_functions(arg):
                raise self.error(
                    f"argument {i} of {node.value} must not depend on functions", child
                )
        if node.value == "diff" and len(args) == 2:
            order = args[1]
            if order.is_Integer and order > self.limits.order:
                raise self.error(
                    f"a derivative order above {self.limits.order}", node.children[1]
                )


#: Names people reach for, and the operation they mean.
_ALIASES = {
    "convolve": "conv",
    "convolution": "conv",
    "correlate": "xcorr",
    "corr": "xcorr",
    "crosscorr": "xcorr",
    "reflect": "flip",
    "reverse": "flip",
    "translate": "shift",
    "derivative": "diff",
    "dirac": "delta",
    "dot": "inner",
}


def _unknown_operation(head: Node) -> str | None:
    """For ``xcor(f, g)``: "unknown operation xcor — did you mean xcorr?", when the name
    applied is not an operation but is close to one (else None: a value at a point)."""
    if head.kind != "name" or head.value in _BUILTINS:
        return None
    name = head.value
    known = sorted(n for n in _BUILTINS if n.isascii())
    guess = _ALIASES.get(name.lower())
    if guess is None:
        close = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.6)
        guess = close[0] if close else None
    if guess is None:
        return None
    return f"unknown operation {name} — did you mean {guess}?"


def _check_tree_depth(root: Node, source: str, limits: Limits):
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limits.term_depth:
            raise ParseError(
                f"the term nests deeper than {limits.term_depth} operations", source, node.pos
            )
        stack.extend((c, depth + 1) for c in node.children)


def parse(source: str, limits: Limits = LIMITS) -> Statement:
    """Read a statement (``lhs = rhs`` or ``lhs != rhs``) without evaluating any text."""
    if not isinstance(source, str):
        raise ParseError(f"a statement must be text, got {type(source).__name__}")
    parser = _Parser(source, limits)
    root = parser.statement()
    _check_tree_depth(root, source, limits)
    elab = _Elaborator(source, limits)
    elab.infer(root)
    return elab.build(root)


def parse_term(source: str, limits: Limits = LIMITS) -> sp.Expr:
    """Read a single term (no relation), e.g. ``"conv(f, g)"`` or ``"(f*g)(a)"``."""
    if not isinstance(source, str):
        raise ParseError(f"a term must be text, got {type(source).__name__}")
    parser = _Parser(source, limits)
    root = parser.term_only()
    _check_tree_depth(root, source, limits)
    elab = _Elaborator(source, limits)
    elab.infer(root)
    term = elab.build(root)
    try:
        bounds.check_size(bounds.estimate(term), limits, "the term")
    except bounds.TooLarge as exc:
        raise ParseError(str(exc), source, 0) from None
    return term
