"""A recursive-descent grammar for the LaTeX math of lecture notes: displays → chains → trees.

A display is cut into rows (``\\\\``), rows into chain members at the relations ``=``,
``:=``, ``\\neq``; a row that begins or ends with a relation continues the chain of the
row before (``&= …`` in ``aligned``), otherwise it starts a new chain. Labels are read
from ``\\tag{n}`` and ``\\quad (n)``; a member written ``|y = -z, dy = -dz|`` is the
justification of the step it stands in. Each member is parsed into a :class:`Node` tree;
nothing is evaluated, and the nesting depth is bounded.

The notes' own conventions are part of the grammar: ``f * g(x)`` is ``(f * g)(x)``;
``f^-`` and ``f^{-}`` flip; ``\\tau(A, b)`` shifts; ``\\frac{d^k(f * g)}{dx^k}``,
``\\frac{d}{dx}`` and ``f'`` differentiate; ``\\delta(a)`` is the delta at a.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from symconv.documents.tokens import MathError, Tok, tokenize

__all__ = ["Node", "Member", "Chain", "Display", "parse_display", "parse_scalar", "MAX_DEPTH"]

MAX_DEPTH = 64
ENVIRONMENTS = {"aligned", "align", "gather", "gathered", "equation", "split", "multline",
                "eqnarray", "displaymath", "math"}
_DECORATIONS = {"tilde": "\u0303", "widetilde": "\u0303", "hat": "\u0302", "widehat": "\u0302",
                "bar": "\u0304", "overline": "\u0304", "check": "\u030c", "vec": "\u20d7",
                "dot": "\u0307", "ddot": "\u0308"}
_FONTS = {"mathrm", "operatorname", "mathbf", "mathit", "boldsymbol", "mathcal"}
#: operator tokens between two functions (the notation table maps them to operations)
BINARY_SYMBOLS = {"*", "star", "ast", "circledast", "otimes", "oplus", "odot"}
_RELATIONS = {"=": "=", ":=": ":=", "neq": "≠", "ne": "≠", "coloneqq": ":="}
_OTHER_RELATIONS = {"<", ">", "leq", "le", "geq", "ge", "approx", "equiv", "sim", "in", "to",
                    "rightarrow", "mapsto"}
_UNREAD = {"sum": "a sum Σ (the discrete forms are read once the groups issue lands)",
           "prod": "a product Π", "lim": "a limit", "partial": "a partial derivative",
           "nabla": "a gradient", "sqrt": "a square root", "exp": "an exponential",
           "log": "a logarithm", "sin": "a sine", "cos": "a cosine", "pi": "the constant π",
           "dots": "an ellipsis", "cdots": "an ellipsis", "ldots": "an ellipsis",
           "vdots": "an ellipsis", "forall": "a quantifier", "exists": "a quantifier",
           "pm": "±", "mp": "∓", "oplus": "⊕", "odot": "⊙"}


@dataclass
class Node:
    """A syntax tree node; ``kind`` names the construct, ``pos`` its offset in the math."""

    kind: str
    pos: int
    value: str = ""
    children: list["Node"] = field(default_factory=list)
    data: dict = field(default_factory=dict)


@dataclass
class Member:
    """One member of a chain: an expression tree, or a justification ``|…|`` (``node`` None)."""

    node: Node | None
    start: int
    end: int
    justification: list[tuple[Node, Node]] | None = None


@dataclass
class Chain:
    """``m0 r1 m1 r2 … mn`` with relations ``=``, ``:=`` or ``≠``."""

    members: list[Member]
    relations: list[str]
    relation_pos: list[int]


@dataclass
class Display:
    chains: list[Chain]
    label: str | None
    row_labels: list[tuple[int, str]]  # (offset, label) of labels written at row ends


# ----------------------------------------------------------------------------- pre-pass


def _braced(toks: list[Tok], i: int) -> tuple[list[Tok], int]:
    """The tokens inside the brace group starting at ``toks[i]`` (or the single token)."""
    if toks[i].kind != "open":
        if toks[i].kind == "end":
            raise MathError("an argument is missing", toks[i].pos)
        return [toks[i]], i + 1
    depth, j = 0, i
    while True:
        t = toks[j]
        if t.kind == "end":
            raise MathError("unbalanced braces: a '{' is never closed", toks[i].pos)
        depth += t.kind == "open"
        depth -= t.kind == "close"
        if depth == 0:
            return toks[i + 1 : j], j + 1
        j += 1


def _letters(inner: list[Tok], pos: int, what: str) -> str:
    if not inner or any(t.kind not in ("letter", "num") for t in inner):
        raise MathError(f"{what} must contain letters or digits", pos)
    return "".join(t.value for t in inner)


def _decorate(name: str, mark: str, command: str) -> str:
    combined = unicodedata.normalize("NFC", name + _DECORATIONS[command])
    return combined if combined.isidentifier() and len(combined) == len(name) else f"{name}_{command}"


def normalize(toks: list[Tok]) -> tuple[list[Tok], str | None]:
    """Resolve environments, labels, fonts, decorations and delimiters; return the label."""
    out: list[Tok] = []
    label = None
    i = 0
    while i < len(toks):
        t = toks[i]
        if t.kind == "cmd" and t.value in ("begin", "end"):
            inner, j = _braced(toks, i + 1)
            name = "".join(x.value for x in inner)
            if name.rstrip("*") not in ENVIRONMENTS:
                raise MathError(f"the environment {name!r} is not read", t.pos)
            i = j
            continue
        if t.kind == "cmd" and t.value == "tag":
            j = i + 1
            if toks[j].kind == "op" and toks[j].value == "*":
                j += 1
            inner, i = _braced(toks, j)
            label = "".join(x.value for x in inner)
            out.append(Tok("label", label, t.pos))
            continue
        if t.kind == "cmd" and t.value == "label":
            _, i = _braced(toks, i + 1)
            continue
        if t.kind == "cmd" and t.value in ("quad", "qquad"):
            # "\quad (2)" at the end of a row (or of the display) is a label
            nxt = toks[i + 1 : i + 5]
            if (len(nxt) == 4 and nxt[0].value == "(" and nxt[2].value == ")"
                    and nxt[1].kind in ("num", "letter")
                    and (nxt[3].kind in ("row", "end") or (nxt[3].kind, nxt[3].value) == ("cmd", "end"))):
                label = nxt[1].value
                out.append(Tok("label", label, t.pos))
                i += 4
                continue
            i += 1
            continue
        if t.kind == "cmd" and t.value in ("left", "right"):
            nxt = toks[i + 1]
            if nxt.kind == "op" and nxt.value == ".":
                i += 2
            else:
                i += 1
            continue
        if t.kind == "cmd" and t.value in ("vert", "lvert", "rvert", "Vert", "lVert", "rVert"):
            out.append(Tok("op", "|", t.pos))
            i += 1
            continue
        if t.kind == "cmd" and t.value in _FONTS:
            inner, i = _braced(toks, i + 1)
            name = _letters(inner, t.pos, f"\\{t.value}{{…}}")
            out.append(Tok("letter", name, t.pos, toks[i - 1].pos + 1))
            continue
        if t.kind == "cmd" and t.value in _DECORATIONS:
            inner, i = _braced(toks, i + 1)
            name = _letters(inner, t.pos, f"\\{t.value}{{…}}")
            out.append(Tok("letter", _decorate(name, "", t.value), t.pos, toks[i - 1].pos + 1))
            continue
        if t.kind == "cmd" and t.value == "mathbb":
            inner, i = _braced(toks, i + 1)
            if _letters(inner, t.pos, "\\mathbb{…}") != "R":
                raise MathError("only \\mathbb{R} is read", t.pos)
            out.append(Tok("cmd", "reals", t.pos, toks[i - 1].pos + 1))
            continue
        if t.kind == "cmd" and t.value == "text":
            inner, i = _braced(toks, i + 1)
            out.append(Tok("text", " ".join(x.value for x in inner), t.pos))
            continue
        if t.kind == "close" or t.kind == "open":
            out.append(t)
            i += 1
            continue
        out.append(t)
        i += 1
    depth = 0
    for t in out:
        depth += t.kind == "open"
        depth -= t.kind == "close"
        if depth < 0:
            raise MathError("unbalanced braces: a '}' closes nothing", t.pos)
    if depth:
        raise MathError("unbalanced braces: a '{' is never closed")
    return out, label


# ----------------------------------------------------------------------------- chains


def _relation(toks: list[Tok], i: int) -> tuple[str | None, int]:
    t = toks[i]
    if t.kind == "op" and t.value == ":" and toks[i + 1].kind == "op" and toks[i + 1].value == "=":
        return ":=", i + 2
    if t.kind == "op" and t.value == "=":
        return "=", i + 1
    if t.kind == "cmd" and t.value in _RELATIONS:
        return _RELATIONS[t.value], i + 1
    if (t.kind == "op" and t.value in _OTHER_RELATIONS) or (
        t.kind == "cmd" and t.value in _OTHER_RELATIONS
    ):
        raise MathError(f"the relation {t.value!r} is not read (only =, :=, ≠)", t.pos)
    return None, i


_OPENERS = {"(": ")", "[": "]"}


def parse_display(source: str) -> Display:
    """Chains of parsed members; raises :class:`MathError` for what is not read."""
    toks, label = normalize(tokenize(source))
    row_labels = [(t.pos, t.value) for t in toks if t.kind == "label"]
    toks = [t for t in toks if t.kind not in ("label", "amp")]
    chains: list[Chain] = []
    members: list[tuple[list[Tok], int]] = []  # (tokens, start offset)
    relations: list[str] = []
    rel_pos: list[int] = []
    current: list[Tok] = []
    depth = 0
    last_was_relation = False
    i = 0

    def close_chain():
        nonlocal members, relations, rel_pos
        if members:
            chains.append(_chain(members, relations, rel_pos, source))
        members, relations, rel_pos = [], [], []

    while toks[i].kind != "end":
        t = toks[i]
        if t.kind == "row" and depth == 0:
            i += 1
            nxt_rel, _ = _relation(toks, i)
            if current and not last_was_relation and nxt_rel is None:
                members.append((current, current[0].pos))
                current = []
                close_chain()
            continue
        if depth == 0 and not current and t.kind == "op" and t.value == "|":
            j = i + 1
            while toks[j].kind != "end" and not (toks[j].kind == "op" and toks[j].value == "|"):
                j += 1
            if toks[j].kind == "end":
                raise MathError("a '|' is never closed", t.pos)
            members.append(([Tok("just", "", t.pos), *toks[i + 1 : j + 1]], t.pos))
            i = j + 1
            last_was_relation = False
            continue
        rel, j = (None, i) if depth else _relation(toks, i)
        if rel is not None:
            if current:
                members.append((current, current[0].pos))
                current = []
            elif members and members[-1][0] and members[-1][0][0].kind == "just":
                pass
            elif not members:
                raise MathError(f"'{rel}' with nothing on its left", t.pos)
            if not (members and relations and len(relations) >= len(members)):
                relations.append(rel)
                rel_pos.append(t.pos)
            elif rel != relations[-1]:
                raise MathError("two different relations with nothing between them", t.pos)
            last_was_relation = True
            i = j
            continue
        if t.kind in ("open",) or (t.kind == "op" and t.value in _OPENERS) or (
            t.kind == "cmd" and t.value == "langle"
        ):
            depth += 1
        elif t.kind == "close" or (t.kind == "op" and t.value in (")", "]")) or (
            t.kind == "cmd" and t.value == "rangle"
        ):
            depth -= 1
            if depth < 0:
                raise MathError(f"unbalanced {t.value!r}", t.pos)
        current.append(t)
        last_was_relation = False
        i += 1
    if depth:
        raise MathError("unbalanced parentheses or brackets")
    if current:
        members.append((current, current[0].pos))
    elif relations and len(relations) >= len(members):
        raise MathError("a relation with nothing on its right", rel_pos[-1])
    close_chain()
    return Display(chains, label, row_labels)


def _chain(members, relations, rel_pos, source) -> Chain:
    parsed = []
    for toks, start in members:
        last = toks[-1]
        end = last.end if last.end >= 0 else last.pos + max(1, len(last.value)) + (last.kind == "cmd")
        if toks[0].kind == "just":
            parsed.append(Member(None, start, end, _justification(toks[1:-1], source)))
        else:
            parsed.append(Member(_Parser(toks, source).member(), start, end))
    # a justification sits between two relations: the step around it is one link
    rels = list(relations)
    poss = list(rel_pos)
    if len(rels) != len(parsed) - 1:
        raise MathError("a chain needs one relation between each two members")
    return Chain(parsed, rels, poss)


def _justification(toks: list[Tok], source: str) -> list[tuple[Node, Node]]:
    """``y = -z, dy = -dz``: pairs (left, right) of parsed sides."""
    parts: list[list[Tok]] = [[]]
    for t in toks:
        if t.kind == "op" and t.value == ",":
            parts.append([])
        else:
            parts[-1].append(t)
    out = []
    for part in parts:
        eq = [k for k, t in enumerate(part) if t.kind == "op" and t.value == "="]
        if len(eq) != 1:
            raise MathError("a justification reads 'y = φ(z), dy = φ′ dz'", toks[0].pos if toks else None)
        k = eq[0]
        left = _Parser(part[:k], source, differentials=True).member()
        right = _Parser(part[k + 1 :], source, differentials=True).member()
        out.append((left, right))
    return out


_LABEL = re.compile(r"\\tag\*?\{([^{}]{1,20})\}|\\q?quad\s*\((\w{1,20})\)\s*(?:\\end\{\w+\*?\}\s*)*$")


def find_label(source: str) -> str | None:
    """The label of a display the grammar cannot read, so that it can still be named."""
    m = _LABEL.search(source)
    return (m.group(1) or m.group(2)) if m else None


def parse_scalar(source: str) -> Node:
    """One expression (no relation), e.g. a substitution given on the command line."""
    toks, _ = normalize(tokenize(source))
    return _Parser([t for t in toks if t.kind != "end"], source).member()


# ----------------------------------------------------------------------------- expressions


class _Parser:
    def __init__(self, toks: list[Tok], source: str, differentials: bool = False):
        end = toks[-1].pos + 1 if toks else 0
        self.toks = [*toks, Tok("end", "", end)]
        self.i = 0
        self.depth = 0
        self.source = source
        self.differentials = differentials  # "dy" is a differential (justifications)
        self.integrand = 0

    @property
    def tok(self) -> Tok:
        return self.toks[self.i]

    def peek(self, k: int = 1) -> Tok:
        return self.toks[min(self.i + k, len(self.toks) - 1)]

    def at(self, kind: str, *values: str) -> bool:
        t = self.tok
        return t.kind == kind and (not values or t.value in values)

    def take(self) -> Tok:
        t = self.tok
        self.i += 1
        return t

    def expect(self, kind: str, value: str) -> Tok:
        if not self.at(kind, value):
            found = "the end" if self.tok.kind == "end" else repr(self.tok.value)
            raise MathError(f"expected {value!r}, found {found}", self.tok.pos)
        return self.take()

    def nest(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise MathError(f"nesting deeper than {MAX_DEPTH} levels", self.tok.pos)

    def member(self) -> Node:
        if self.tok.kind == "end":
            raise MathError("an empty member", self.tok.pos)
        node = self.sum()
        if self.tok.kind != "end":
            raise self._unexpected()
        return node

    def _unexpected(self) -> MathError:
        t = self.tok
        if t.kind == "cmd" and t.value in _UNREAD:
            return MathError(f"{_UNREAD[t.value]} (\\{t.value}) is outside the language", t.pos)
        if t.kind == "op" and t.value == "|":
            return MathError("an absolute value or a norm |…| is outside the language", t.pos)
        if t.kind == "text":
            return MathError(f"prose inside math (\\text{{{t.value}}})", t.pos)
        shown = "\\" + t.value if t.kind == "cmd" else t.value
        return MathError(f"unexpected {shown!r}", t.pos)

    # sum := ['+'|'-'] product (('+'|'-') product)*
    def sum(self) -> Node:
        pos = self.tok.pos
        terms = []
        sign = None
        if self.at("op", "+", "-"):
            sign = self.take().value
        first = self.product()
        terms.append(Node("neg", pos, "", [first]) if sign == "-" else first)
        while self.at("op", "+", "-"):
            op = self.take()
            rhs = self.product()
            terms.append(rhs if op.value == "+" else Node("neg", op.pos, "", [rhs]))
        return terms[0] if len(terms) == 1 else Node("sum", pos, "", terms)

    def _binary_symbol(self) -> str | None:
        t = self.tok
        if t.kind == "op" and t.value == "*":
            return "*"
        if t.kind == "cmd" and t.value in BINARY_SYMBOLS:
            return t.value
        return None

    # product := factor ((binary | \cdot | juxtaposition) factor)*
    def product(self) -> Node:
        node = self.factor()
        convs = 0
        last_applied = node.kind == "apply" and node.children[0].kind != "group"
        while True:
            symbol = self._binary_symbol()
            if symbol is not None:
                op = self.take()
                rhs = self.factor()
                node = Node("binop", op.pos, symbol, [node, rhs])
                convs += 1
                last_applied = rhs.kind == "apply" and rhs.children[0].kind not in ("group",)
                continue
            if self.at("cmd", "cdot", "times"):
                op = self.take()
                rhs = self.factor()
                node = Node("mul", op.pos, "", [node, rhs])
                last_applied = False
                continue
            if self.at("op", "/"):
                op = self.take()
                rhs = self.factor()
                node = Node("div", op.pos, "", [node, rhs])
                last_applied = False
                continue
            if self._starts_factor() and not self._at_differential():
                rhs = self.factor()
                node = Node("mul", rhs.pos, "", [node, rhs])
                last_applied = False
                continue
            break
        if convs and last_applied:
            node = _apply_whole(node)
        return node

    def _starts_factor(self) -> bool:
        t = self.tok
        if t.kind in ("letter", "num", "open"):
            return True
        if t.kind == "op" and t.value in ("(", "["):
            return True
        return t.kind == "cmd" and t.value in ("int", "frac", "dfrac", "tfrac", "tau", "delta",
                                                 "langle", "infty", "reals")

    def _at_differential(self) -> bool:
        """``d y`` (``d`` then one variable) inside an integrand or a justification."""
        if not (self.integrand or self.differentials):
            return False
        t, nxt = self.tok, self.peek()
        if t.kind == "letter" and t.value == "d" and nxt.kind == "letter" and len(nxt.value) == 1:
            after = self.peek(2)
            return not (after.kind == "op" and after.value == "(")
        if t.kind == "op" and t.value == "(" and self.peek().kind == "op" and self.peek().value == "-":
            a, b, c = self.peek(2), self.peek(3), self.peek(4)
            return a.kind == "letter" and a.value == "d" and b.kind == "letter" and c.value == ")"
        return False

    def factor(self) -> Node:
        self.nest()
        node = self.postfix(self.primary())
        self.depth -= 1
        return node

    def postfix(self, node: Node) -> Node:
        while True:
            if self.at("sup"):
                node = self._superscript(node)
            elif self.at("op", "'"):
                t = self.take()
                node = Node("prime", t.pos, "1", [node])
            elif self.at("cmd", "prime"):
                t = self.take()
                node = Node("prime", t.pos, "1", [node])
            elif self.at("op", "(") and node.kind in ("name", "group", "flip", "prime", "tau",
                                                        "bracket", "deriv") and not self._at_differential():
                pos = self.tok.pos
                args = self._arguments("(", ")")
                node = Node("apply", pos, "", [node, *args])
            elif self.at("op", "[") and node.kind == "name":
                raise MathError(
                    "an array indexed with brackets (a discrete form, read once the groups issue lands)",
                    self.tok.pos,
                )
            else:
                return node

    def _superscript(self, node: Node) -> Node:
        t = self.take()
        if self.at("op", "-"):  # f^- (LaTeX's ^ takes one token: f^-g is f^{-} g)
            self.take()
            return Node("flip", t.pos, "", [node])
        if self.at("op", "'"):
            self.take()
            return Node("prime", t.pos, "1", [node])
        if self.at("open"):
            save = self.i
            self.take()
            if self.at("op", "-") and self.peek().kind == "close":
                self.i += 2
                return Node("flip", t.pos, "", [node])
            primes = 0
            while self.at("cmd", "prime") or self.at("op", "'"):
                self.take()
                primes += 1
            if primes and self.at("close"):
                self.take()
                return Node("prime", t.pos, str(primes), [node])
            if self.at("op", "(") and self.peek(2).kind == "op" and self.peek(2).value == ")" \
                    and self.peek(3).kind == "close":
                self.take()
                order = self.primary()
                self.expect("op", ")")
                self.take()
                return Node("prime", t.pos, "", [node, order])
            self.i = save
        exponent = self._group_or_token()
        return Node("pow", t.pos, "", [node, exponent])

    def _group_or_token(self) -> Node:
        if self.at("open"):
            self.take()
            self.nest()
            inner = self.sum()
            self.expect("close", "}")
            self.depth -= 1
            return inner
        t = self.tok
        if t.kind == "num":
            self.take()
            if len(t.value) > 1:
                raise MathError(f"write ^{{{t.value}}}: LaTeX's ^ takes one character", t.pos)
            return Node("num", t.pos, t.value)
        if t.kind == "letter":
            self.take()
            return Node("name", t.pos, t.value)
        if t.kind == "cmd" and t.value == "infty":
            self.take()
            return Node("infty", t.pos)
        raise self._unexpected()

    def _arguments(self, open_: str, close: str) -> list[Node]:
        self.expect("op", open_)
        self.nest()
        args = [self.sum()]
        while self.at("op", ","):
            self.take()
            args.append(self.sum())
        self.expect("op", close)
        self.depth -= 1
        return args

    def primary(self) -> Node:
        t = self.tok
        if t.kind == "num":
            self.take()
            return Node("num", t.pos, t.value)
        if t.kind == "letter":
            self.take()
            name = t.value
            if self.at("sub"):
                self.take()
                if self.at("open"):
                    inner = []
                    self.take()
                    while not self.at("close"):
                        if self.tok.kind not in ("letter", "num"):
                            raise MathError("a subscript of a name holds letters and digits", self.tok.pos)
                        inner.append(self.take().value)
                    self.take()
                    sub = "".join(inner)
                else:
                    if self.tok.kind not in ("letter", "num"):
                        raise MathError("a subscript of a name holds letters and digits", self.tok.pos)
                    sub = self.take().value
                name = f"{name}_{sub}"
            return Node("name", t.pos, name)
        if t.kind == "op" and t.value == "(":
            if self._at_differential():
                raise MathError("a differential outside an integral", t.pos)
            args = self._arguments("(", ")")
            if len(args) != 1:
                raise MathError("a tuple is not read", t.pos)
            return Node("group", t.pos, "", args)
        if t.kind == "op" and t.value == "[":
            args = self._arguments("[", "]")
            if len(args) != 1:
                raise MathError("an interval or a list is not read", t.pos)
            return Node("bracket", t.pos, "", args)
        if t.kind == "open":
            self.take()
            self.nest()
            inner = self.sum()
            self.expect("close", "}")
            self.depth -= 1
            return Node("group", t.pos, "", [inner])
        if t.kind == "cmd":
            return self._command(t)
        if t.kind == "end":
            raise MathError("the expression ends too early", t.pos)
        raise self._unexpected()

    def _command(self, t: Tok) -> Node:
        v = t.value
        if v == "tau":
            self.take()
            if self.at("op", "("):
                save = self.i
                args = self._arguments("(", ")")
                if len(args) == 2:
                    return Node("tau", t.pos, "", args)
                self.i = save  # τ(y): the letter τ applied (a variable named τ)
            return Node("name", t.pos, "τ")
        if v == "delta":
            self.take()
            if self.at("op", "("):
                args = self._arguments("(", ")")
                if len(args) != 1:
                    raise MathError("\\delta takes one point", t.pos)
                return Node("delta", t.pos, "", args)
            return Node("delta", t.pos, "", [])
        if v == "langle":
            self.take()
            self.nest()
            a = self.sum()
            self.expect("op", ",")
            b = self.sum()
            self.expect("cmd", "rangle")
            self.depth -= 1
            return Node("inner", t.pos, "", [a, b])
        if v in ("frac", "dfrac", "tfrac"):
            return self._fraction(t)
        if v == "int":
            return self._integral(t)
        if v == "infty":
            self.take()
            return Node("infty", t.pos)
        if v == "reals":
            self.take()
            if self.at("sup"):
                self.take()
                self._group_or_token()
            return Node("reals", t.pos)
        raise self._unexpected()

    # \frac{d^k (f*g)}{dx^k}, \frac{d}{dx}, \frac{df}{dx}, or a quotient
    def _fraction(self, t: Tok) -> Node:
        self.take()
        num, self.i = _braced(self.toks, self.i)
        den, self.i = _braced(self.toks, self.i)
        if num and num[0].kind == "letter" and num[0].value == "d" and len(den) >= 2 \
                and den[0].kind == "letter" and den[0].value == "d" and den[1].kind == "letter":
            return self._derivative(t, num, den)
        a = _Parser(num, self.source).member() if num else None
        b = _Parser(den, self.source).member() if den else None
        if a is None or b is None:
            raise MathError("an empty \\frac", t.pos)
        return Node("div", t.pos, "", [a, b])

    def _derivative(self, t: Tok, num: list[Tok], den: list[Tok]) -> Node:
        var = den[1].value
        rest = den[2:]
        order_den = None
        if rest:
            if rest[0].kind != "sup":
                raise MathError("the denominator of a derivative reads dx or dx^k", t.pos)
            order_den = _Parser(rest[1:], self.source)._group_or_token()
        body_toks = num[1:]
        order = None
        if body_toks and body_toks[0].kind == "sup":
            p = _Parser(body_toks[1:], self.source)
            order = p._group_or_token()
            body_toks = body_toks[1 + p.i :]
        if (order is None) != (order_den is None) or (
            order is not None and (order.kind, order.value) != (order_den.kind, order_den.value)
        ):
            raise MathError("the orders of a derivative differ above and below", t.pos)
        data = {"var": var}
        if body_toks:
            body = _Parser(body_toks, self.source).member()
        else:  # d/dx applied to what follows
            body = self.factor()
        order = order or Node("num", t.pos, "1")
        return Node("deriv", t.pos, "", [body, order], data)

    # \int_{lo}^{hi} integrand d<var>   (also (-d<var>))
    def _integral(self, t: Tok) -> Node:
        self.take()
        lo = hi = None
        for _ in range(2):
            if self.at("sub") and lo is None:
                self.take()
                lo = self._bound()
            elif self.at("sup") and hi is None:
                self.take()
                hi = self._bound()
        self.integrand += 1
        factors = []
        while not self._at_differential():
            if self.tok.kind == "end" or self.at("op", "+", "-", ")", "]", ","):
                self.integrand -= 1
                raise MathError("an integral without its differential (dy)", t.pos)
            if self.at("cmd", "cdot"):
                self.take()
                continue
            factors.append(self.factor())
        self.integrand -= 1
        sign = 1
        if self.at("op", "("):
            self.take()
            self.take()
            sign = -1
        self.take()  # d
        var = self.take()
        if sign == -1:
            self.expect("op", ")")
        if not factors:
            raise MathError("an integral with no integrand", t.pos)
        return Node("integral", t.pos, var.value, factors, {"lo": lo, "hi": hi, "sign": sign})

    def _bound(self) -> Node:
        if self.at("open"):
            inner, self.i = _braced(self.toks, self.i)
            if len(inner) >= 1 and inner[0].kind == "cmd" and inner[0].value == "reals":
                return Node("reals", inner[0].pos)
            return _Parser(inner, self.source).member()
        return self._group_or_token() if not self.at("cmd", "reals") else self._command(self.tok)


def _apply_whole(node: Node) -> Node:
    """``f * g(x)`` → ``(f * g)(x)``: the argument of the last operand applies to the chain."""
    left, right = node.children
    head, *args = right.children
    whole = Node("binop", node.pos, node.value, [left, head])
    return Node("apply", right.pos, "", [Node("group", node.pos, "", [whole]), *args],
                {"convention": True})
