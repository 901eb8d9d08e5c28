"""The term language of the notes, as SymPy objects.

Function-valued terms (a function ℝ → ℝ, or a tempered distribution such as δ):

=========================  ==================  ======================================
notes                      constructor         meaning
=========================  ==================  ======================================
f, g, h                    ``Fn("f")``          an abstract real function
f * g                      ``Conv(f, g)``       (f*g)(x) = ∫ f(y) g(x−y) dy
f ⋆ g                      ``Xcorr(f, g)``      (f⋆g)(x) = ∫ f(y) g(x+y) dy
f⁻                         ``Flip(f)``          f⁻(x) = f(−x)
τ(g, b)                    ``Shift(g, b)``      τ(g, b)(x) = g(x − b)
dᵏg/dxᵏ                    ``Diff(g, k)``       k-th derivative, k a positive integer or symbol
δ(a)                       ``Delta(a)``         Dirac delta at a
=========================  ==================  ======================================

Scalar-valued terms: ``At(A, a)`` is the value A(a); ``Inner(A, B)`` is ∫ A(x) B(x) dx.
Functions combine linearly with SymPy's ``Add`` and ``Mul`` (``2*f - g``).

In Python, ``f * g`` between two function-valued terms builds ``Conv(f, g)`` (the notes'
notation), and ``f(a)`` builds ``At(f, a)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp
from sympy.core.symbol import Str
from sympy.printing.precedence import PRECEDENCE, precedence
from sympy.printing.pretty.stringpict import prettyForm
from sympy.printing.str import StrPrinter

from symconv.language import names as _names

__all__ = [
    "FUNCTION",
    "SCALAR",
    "TermError",
    "Term",
    "Fn",
    "Conv",
    "Xcorr",
    "Flip",
    "Shift",
    "Diff",
    "Delta",
    "At",
    "Inner",
    "Statement",
    "functions",
    "kind_of",
    "is_function_valued",
    "depends_on_functions",
    "function_names",
    "order_symbol",
    "param_symbol",
    "text",
    "unicode",
    "latex",
]

#: Precedence of a convolution inside SymPy's printers: tighter than ``+``, looser than
#: a scalar product, so ``2*(f * g)`` and ``f * g + h`` print unambiguously.
CONV_PRECEDENCE = 45
_FUNC_PRECEDENCE = PRECEDENCE["Func"]
_MUL_PRECEDENCE = PRECEDENCE["Mul"]

FUNCTION = "function"
SCALAR = "scalar"


class TermError(ValueError):
    """An expression that is not a well-formed term of the language."""


def _as_expr(value) -> sp.Expr:
    """Turn Python numbers into SymPy numbers; refuse strings (no parsing here)."""
    if isinstance(value, str):
        raise TermError(
            f"got the string {value!r} where a term was expected; "
            "use symconv.parse() to read text"
        )
    try:
        return sp.sympify(value, strict=True)
    except sp.SympifyError as exc:
        raise TermError(f"{value!r} is not a term") from exc


def param_symbol(name: str) -> sp.Symbol:
    """The real parameter called ``name`` (shifts, points, coefficients)."""
    return sp.Symbol(name, real=True)


def order_symbol(name: str) -> sp.Symbol:
    """The positive-integer symbol called ``name`` (derivative orders)."""
    return sp.Symbol(name, integer=True, positive=True)


# --------------------------------------------------------------------------- kinds


def kind_of(expr) -> str:
    """``"function"`` for a function-valued term, ``"scalar"`` for a number-valued one.

    Raises :class:`TermError` for a mixture the language has no meaning for (a function
    plus a number, the pointwise product of two functions, a function in an exponent).
    """
    if isinstance(expr, Term):
        return FUNCTION
    if isinstance(expr, (At, Inner)):
        return SCALAR
    if isinstance(expr, sp.Add):
        kinds = {kind_of(a) for a in expr.args}
        if len(kinds) > 1:
            raise TermError(f"cannot add a function and a number in {text(expr)}")
        return kinds.pop()
    if isinstance(expr, sp.Mul):
        n_fun = sum(kind_of(a) == FUNCTION for a in expr.args)
        if n_fun > 1:
            raise TermError(
                f"pointwise product of functions in {text(expr)} is not in the language; "
                "use conv(A, B) for a convolution"
            )
        return FUNCTION if n_fun else SCALAR
    if isinstance(expr, sp.Pow):
        if any(kind_of(a) == FUNCTION for a in expr.args):
            raise TermError(f"a function cannot be raised to a power: {text(expr)}")
        return SCALAR
    if isinstance(expr, sp.Basic):
        for a in expr.args:
            if isinstance(a, sp.Basic) and not isinstance(a, Str) and kind_of(a) == FUNCTION:
                raise TermError(f"{type(expr).__name__} cannot take a function: {text(expr)}")
        return SCALAR
    raise TermError(f"{expr!r} is not a term")


def is_function_valued(expr) -> bool:
    return kind_of(expr) == FUNCTION


def depends_on_functions(expr) -> bool:
    """True when the expression contains an abstract function or a δ."""
    return any(isinstance(a, (Fn, Delta)) for a in sp.preorder_traversal(expr))


def function_names(expr) -> list[str]:
    """The names of the abstract functions in ``expr``, sorted."""
    return sorted({a.name for a in sp.preorder_traversal(expr) if isinstance(a, Fn)})


def _need_function(value, role: str) -> sp.Expr:
    expr = _as_expr(value)
    if kind_of(expr) != FUNCTION:
        raise TermError(f"{role} must be a function, got the number {text(expr)}")
    return expr


def _need_scalar(value, role: str) -> sp.Expr:
    expr = _as_expr(value)
    if kind_of(expr) != SCALAR:
        raise TermError(f"{role} must be a number, got the function {text(expr)}")
    if depends_on_functions(expr):
        raise TermError(f"{role} must not depend on functions: {text(expr)}")
    if expr.has(sp.I) or expr.has(sp.oo, sp.zoo, sp.nan, -sp.oo):
        raise TermError(f"{role} must be a finite real number: {text(expr)}")
    for s in expr.free_symbols:
        if not s.is_real:
            raise TermError(f"{role}: the parameter {s} must be declared real")
    return expr


def _need_order(value) -> sp.Expr:
    expr = _as_expr(value)
    if kind_of(expr) != SCALAR or depends_on_functions(expr):
        raise TermError(f"a derivative order must be a positive integer, got {text(expr)}")
    if expr.is_Integer:
        if expr < 1:
            raise TermError(f"a derivative order must be a positive integer, got {expr}")
        return expr
    syms = sorted(expr.free_symbols, key=str)
    if not syms:
        raise TermError(f"a derivative order must be a positive integer, got {text(expr)}")
    linear = expr.is_polynomial(*syms) and sp.Poly(expr, *syms).total_degree() <= 1
    integral = all(s.is_integer and s.is_positive for s in syms)
    if not (linear and integral and expr.is_integer and expr.is_positive):
        raise TermError(
            f"a derivative order must be a positive integer or a sum of positive-integer symbols, got {expr}"
        )
    return expr


# --------------------------------------------------------------------------- terms


class Term(sp.Expr):
    """Base class of function-valued terms."""

    is_commutative = True
    _op_priority = 20.0
    precedence = _FUNC_PRECEDENCE

    # In the notes ``f * g`` is a convolution: keep that meaning in Python too.
    def __mul__(self, other):
        other = _as_expr(other)
        if kind_of(other) == FUNCTION:
            return Conv(self, other)
        return sp.Mul(self, other)

    def __rmul__(self, other):
        other = _as_expr(other)
        if kind_of(other) == FUNCTION:
            return Conv(other, self)
        return sp.Mul(other, self)

    def __truediv__(self, other):
        return sp.Mul(self, sp.Pow(_need_scalar(other, "a divisor"), -1))

    def __pow__(self, other):
        raise TermError("a function cannot be raised to a power")

    __rpow__ = __pow__

    def __call__(self, point):
        return At(self, point)

    def _eval_is_real(self):
        return None

    def _pretty(self, printer):
        return _pretty_form(self)

    def _latex(self, printer):  # pragma: no cover - each subclass defines it
        return printer._print_Basic(self)


class Fn(Term):
    """An abstract real function, named like a variable."""

    def __new__(cls, name: str):
        if not isinstance(name, (str, Str)):
            raise TermError(f"a function name must be a string, got {name!r}")
        name = _names.normalize(str(name))  # NFKC, as for Python names: Fn("ϕ") is Fn("φ")
        if not name.isidentifier() or name.startswith("_"):
            raise TermError(f"{name!r} is not a valid function name")
        return sp.Expr.__new__(cls, Str(name))

    @property
    def name(self) -> str:
        return self.args[0].name

    @property
    def free_symbols(self):
        return set()

    def _sympystr(self, printer):
        return self.name

    def _latex(self, printer):
        return _latex_name(self.name)


def _latex_name(name: str) -> str:
    """A function name in LaTeX: Greek letters as commands LaTeX defines (φ → \\varphi,
    Α → \\mathrm{A}), long names upright."""
    return _names.latex_name(name)


def functions(names: str) -> tuple[Fn, ...]:
    """``f, g, h = functions("f g h")``."""
    return tuple(Fn(n) for n in names.replace(",", " ").split())


def _wrap(printer, arg, fmt: str, strict: int) -> str:
    """Print ``arg`` in parentheses unless it binds tighter than ``strict``."""
    s = printer._print(arg)
    if precedence(arg) < strict:
        return fmt % s
    return s


class _Binary(Term):
    symbol = "?"
    latex_symbol = "?"
    precedence = CONV_PRECEDENCE

    def __new__(cls, a, b):
        a = _need_function(a, f"the left argument of {cls.__name__.lower()}")
        b = _need_function(b, f"the right argument of {cls.__name__.lower()}")
        return sp.Expr.__new__(cls, a, b)

    @property
    def left(self):
        return self.args[0]

    @property
    def right(self):
        return self.args[1]

    def _sympystr(self, printer):
        lhs = _wrap(printer, self.left, "(%s)", _MUL_PRECEDENCE + 1)
        rhs = _wrap(printer, self.right, "(%s)", _MUL_PRECEDENCE + 1)
        return f"{lhs} {self.symbol} {rhs}"

    def _latex(self, printer):
        lhs = _wrap(printer, self.left, r"\left(%s\right)", _MUL_PRECEDENCE + 1)
        rhs = _wrap(printer, self.right, r"\left(%s\right)", _MUL_PRECEDENCE + 1)
        return f"{lhs} {self.latex_symbol} {rhs}"


class Conv(_Binary):
    """Convolution: (A * B)(x) = ∫ A(y) B(x − y) dy."""

    symbol = "*"
    latex_symbol = "*"


class Xcorr(_Binary):
    """Cross-correlation: (A ⋆ B)(x) = ∫ A(y) B(x + y) dy."""

    symbol = "⋆"
    latex_symbol = r"\star"


class Flip(Term):
    """The flip A⁻(x) = A(−x)."""

    def __new__(cls, a):
        return sp.Expr.__new__(cls, _need_function(a, "the argument of flip"))

    @property
    def arg(self):
        return self.args[0]

    def _sympystr(self, printer):
        body = printer._print(self.arg)
        if not isinstance(self.arg, (Fn, Shift, Delta, Flip)):
            body = f"({body})"
        return body + "⁻"

    def _latex(self, printer):
        inner = _wrap(printer, self.arg, r"\left(%s\right)", _FUNC_PRECEDENCE)
        return "{%s}^{-}" % inner


class Shift(Term):
    """The shift τ(A, b)(x) = A(x − b)."""

    def __new__(cls, a, b):
        return sp.Expr.__new__(
            cls, _need_function(a, "the first argument of shift"), _need_scalar(b, "a shift")
        )

    @property
    def arg(self):
        return self.args[0]

    @property
    def amount(self):
        return self.args[1]

    def _sympystr(self, printer):
        return f"τ({printer._print(self.arg)}, {printer._print(self.amount)})"

    def _latex(self, printer):
        return r"\tau\left(%s, %s\right)" % (printer._print(self.arg), printer._print(self.amount))


_SUPERSCRIPT = str.maketrans("0123456789+-()nk", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁽⁾ⁿᵏ")
_SUPERSCRIPTABLE = set("0123456789+-()nk ")


class Diff(Term):
    """The k-th derivative dᵏA/dxᵏ (k a positive integer or a positive-integer symbol)."""

    def __new__(cls, a, k=1):
        return sp.Expr.__new__(cls, _need_function(a, "the argument of diff"), _need_order(k))

    @property
    def arg(self):
        return self.args[0]

    @property
    def order(self):
        return self.args[1]

    def _sympystr(self, printer):
        if self.order == 1:
            return f"diff({printer._print(self.arg)})"
        return f"diff({printer._print(self.arg)}, {printer._print(self.order)})"

    def _latex(self, printer):
        k = printer._print(self.order)
        body = _wrap(printer, self.arg, r"\left(%s\right)", _FUNC_PRECEDENCE)
        if self.order == 1:
            return r"\frac{d}{dx} %s" % body
        return r"\frac{d^{%s}}{dx^{%s}} %s" % (k, k, body)


class Delta(Term):
    """The Dirac delta at a point a (a tempered distribution)."""

    def __new__(cls, a=0):
        return sp.Expr.__new__(cls, _need_scalar(a, "the point of a delta"))

    @property
    def point(self):
        return self.args[0]

    def _sympystr(self, printer):
        if self.point == 0:
            return "δ"
        return f"δ({printer._print(self.point)})"

    def _latex(self, printer):
        if self.point == 0:
            return r"\delta"
        return r"\delta\left(%s\right)" % printer._print(self.point)


class At(sp.Expr):
    """The value A(a) of a function-valued term at a point: a number."""

    is_commutative = True
    precedence = _FUNC_PRECEDENCE

    def __new__(cls, a, point):
        return sp.Expr.__new__(
            cls, _need_function(a, "a term evaluated at a point"), _need_scalar(point, "a point")
        )

    @property
    def arg(self):
        return self.args[0]

    @property
    def point(self):
        return self.args[1]

    def _eval_is_real(self):
        return True

    def _pretty(self, printer):
        return _pretty_form(self)

    def _sympystr(self, printer):
        head = printer._print(self.arg)
        if not isinstance(self.arg, (Fn, Shift)):
            head = f"({head})"
        return f"{head}({printer._print(self.point)})"

    def _latex(self, printer):
        head = printer._print(self.arg)
        if not isinstance(self.arg, (Fn, Shift)):
            head = r"\left(%s\right)" % head
        return r"%s\left(%s\right)" % (head, printer._print(self.point))


class Inner(sp.Expr):
    """The number ∫ A(x) B(x) dx."""

    is_commutative = True
    precedence = _FUNC_PRECEDENCE

    def __new__(cls, a, b):
        return sp.Expr.__new__(
            cls,
            _need_function(a, "the first argument of inner"),
            _need_function(b, "the second argument of inner"),
        )

    def _eval_is_real(self):
        return True

    def _pretty(self, printer):
        return _pretty_form(self)

    def _sympystr(self, printer):
        return f"inner({printer._print(self.args[0])}, {printer._print(self.args[1])})"

    def _latex(self, printer):
        return r"\left\langle %s, %s \right\rangle" % (
            printer._print(self.args[0]),
            printer._print(self.args[1]),
        )


# --------------------------------------------------------------------------- printing


class _UnicodePrinter(StrPrinter):
    """One-line Unicode in the notes' notation: like ``str`` but dᵏg/dxᵏ and ⟨A, B⟩."""

    printmethod = "_unicodestr"

    def _print_Term(self, expr):
        return expr._sympystr(self)

    _print_At = _print_Term

    def _print_Diff(self, expr):
        k = self._print(expr.order)
        body = self._print(expr.arg)
        if not isinstance(expr.arg, (Fn, Delta)):
            body = f"({body})"
        if expr.order == 1:
            return f"d{body}/dx"
        sup = k.translate(_SUPERSCRIPT) if set(k) <= _SUPERSCRIPTABLE else f"^({k})"
        return f"d{sup}{body}/dx{sup}"

    def _print_Inner(self, expr):
        return f"⟨{self._print(expr.args[0])}, {self._print(expr.args[1])}⟩"


def _pretty_form(expr) -> prettyForm:
    binding = prettyForm.ADD if isinstance(expr, _Binary) else prettyForm.ATOM
    return prettyForm(_UnicodePrinter({"order": "none"}).doprint(expr), binding=binding)


def unicode(expr) -> str:
    """The term in the notes' notation with Unicode symbols (dᵏg/dxᵏ, ⟨A, B⟩)."""
    return _UnicodePrinter({"order": "none"}).doprint(expr)


# --------------------------------------------------------------------------- statements


def text(expr) -> str:
    """The term in the notes' notation, as one line of text."""
    return sp.sstr(expr, order="none")


def latex(expr) -> str:
    """The term in LaTeX; names with Greek letters as commands LaTeX defines."""
    symbols = {
        s: _names.latex_name(s.name)
        for s in getattr(expr, "free_symbols", ())
        if not s.name.isascii()  # SymPy's own LaTeX for ASCII names (a_1 → a_{1})
    }
    return sp.latex(expr, order="none", symbol_names=symbols)


@dataclass(frozen=True)
class Statement:
    """``lhs = rhs`` (or ``lhs ≠ rhs`` when ``negated``), both sides of the same kind.

    ``A ≠ B`` claims that A = B is *not* an identity: it is proved by a replayed
    counterexample to A = B, and refuted by a proof of A = B.
    """

    lhs: sp.Expr
    rhs: sp.Expr
    negated: bool = False

    def __post_init__(self):
        lhs, rhs = _as_expr(self.lhs), _as_expr(self.rhs)
        object.__setattr__(self, "lhs", lhs)
        object.__setattr__(self, "rhs", rhs)
        kl, kr = kind_of(lhs), kind_of(rhs)
        if kl != kr:
            raise TermError(
                f"the left side is a {kl} but the right side is a {kr}: {text(lhs)} vs {text(rhs)}"
            )

    @property
    def kind(self) -> str:
        return kind_of(self.lhs)

    @property
    def relation(self) -> str:
        return "≠" if self.negated else "="

    def equation(self) -> "Statement":
        """The equality underneath (drops the negation)."""
        return Statement(self.lhs, self.rhs) if self.negated else self

    def function_names(self) -> list[str]:
        return sorted(set(function_names(self.lhs)) | set(function_names(self.rhs)))

    def parameters(self) -> list[sp.Symbol]:
        syms = self.lhs.free_symbols | self.rhs.free_symbols
        return sorted(syms, key=lambda s: s.name)

    def __str__(self) -> str:
        return f"{text(self.lhs)} {self.relation} {text(self.rhs)}"

    def latex(self) -> str:
        rel = r"\neq" if self.negated else "="
        return f"{latex(self.lhs)} {rel} {latex(self.rhs)}"

    def _repr_latex_(self) -> str:
        return f"${self.latex()}$"
