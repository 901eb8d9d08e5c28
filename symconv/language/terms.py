"""The term language of the notes, as SymPy objects: each operator declared once.

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

**Declaring an operator.** An operator is a subclass of :class:`Operation` that states, in
one place, its ``name`` (the call syntax, and the name of its entry in every
interpretation — see :mod:`symconv.language.fold`), its ``signature`` (the sort of each
argument and the role it plays in error messages), its ``result`` sort, its notation
(``notation`` for documentation, and the printing methods ``_sympystr``, ``_latex``,
optionally ``_unicodestr``), and its ``meaning``: :meth:`Operation.definition`, the value
of the operator at a point in terms of the values of its arguments — the notes' (1) and
(9) for convolution and cross-correlation. Unfolding a term into integrals and the
derivation kernel's "definition" rule both read this one definition. A subclass that
misses a part of the declaration is refused when it is defined.

In Python, ``f * g`` between two function-valued terms builds ``Conv(f, g)`` (the notes'
notation), and ``f(a)`` builds ``At(f, a)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import sympy as sp
from sympy.core.symbol import Str
from sympy.printing.pretty.stringpict import prettyForm

from symconv.language import names as _names
from symconv.language.groups import CONVENTIONS, DEFAULT_CONVENTION, Group, R
from symconv.language.printing import (
    CONV_PRECEDENCE,
    FUNC_PRECEDENCE,
    MUL_PRECEDENCE,
    latex,
    latex_name,
    pretty_form,
    superscript,
    text,
    unicode,
    wrap,
)

__all__ = [
    "FUNCTION",
    "SCALAR",
    "REAL",
    "ORDER",
    "NAME",
    "OPERATORS",
    "TermError",
    "Operation",
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
    "Zero",
    "Ident",
    "Fourier",
    "InverseFourier",
    "Product",
    "Scale",
    "Modulate",
    "Conj",
    "ConvPower",
    "Downsample",
    "Upsample",
    "TotalIntegral",
    "CONVENTIONS",
    "DEFAULT_CONVENTION",
    "Statement",
    "functions",
    "kind_of",
    "is_function_valued",
    "depends_on_functions",
    "function_names",
    "real_valued",
    "order_symbol",
    "param_symbol",
    "text",
    "unicode",
    "latex",
]

# Sorts: what a term is (its result) and what an operator takes (its arguments).
FUNCTION = "function"  # a function-valued term
SCALAR = "scalar"  # a number that may depend on functions (A(a), ⟨A, B⟩)
REAL = "real"  # a real number free of functions: a shift, a point
ORDER = "order"  # a derivative order: a positive integer, or a sum of such symbols
NAME = "name"  # the name of an abstract function
NONZERO = "nonzero"  # a real number that must not be 0: a dilation factor
CONVENTION = "convention"  # a convention of the Fourier transform
VALUES = "values"  # whether a function is real- or complex-valued


_INF = sp.oo


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


# --------------------------------------------------------------------------- sorts


def kind_of(expr) -> str:
    """``"function"`` for a function-valued term, ``"scalar"`` for a number-valued one.

    Raises :class:`TermError` for a mixture the language has no meaning for (a function
    plus a number, the pointwise product of two functions, a function in an exponent).
    """
    if isinstance(expr, Operation):
        return expr.result
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
    return any(getattr(a, "is_leaf_function", False) for a in sp.preorder_traversal(expr))


#: The operators whose value is real wherever their function arguments are (the others —
#: the Fourier transforms, modulation — make complex values of real functions).
_KEEPS_REAL = frozenset(
    {"delta", "zero", "id", "conv", "xcorr", "flip", "shift", "diff"}
    | {"scale", "mul", "convpow", "conj"}
)


def real_valued(term) -> bool:
    """True when the function-valued ``term`` is known to take real values only (False
    when unknown): a real function, and what the real-preserving operators and real
    coefficients make of real functions."""
    if isinstance(term, Fn):
        return not term.is_complex_valued
    if isinstance(term, Operation):
        return term.operator in _KEEPS_REAL and all(
            real_valued(a) for a, (sort, _) in zip(term.args, term.signature) if sort == FUNCTION
        )
    if isinstance(term, (sp.Add, sp.Mul)):
        return all(
            real_valued(a) if kind_of(a) == FUNCTION else bool(a.is_extended_real)
            for a in term.args
        )
    return False


def function_names(expr) -> list[str]:
    """The names of the abstract functions in ``expr``, sorted."""
    return sorted({a.name for a in sp.preorder_traversal(expr) if isinstance(a, Fn)})


def _need_function(value, role: str) -> sp.Expr:
    expr = _as_expr(value)
    if expr == 0 and isinstance(expr, sp.Integer):
        return Zero()  # SymPy folds f − f and 0·f to the number 0: here it is the zero function
    if kind_of(expr) != FUNCTION:
        raise TermError(f"{role} must be a function, got the number {text(expr)}")
    return expr


def _need_real(value, role: str) -> sp.Expr:
    expr = _as_expr(value)
    if kind_of(expr) != SCALAR:
        raise TermError(f"{role} must be a number, got the function {text(expr)}")
    if depends_on_functions(expr):
        raise TermError(f"{role} must not depend on functions: {text(expr)}")
    if expr.has(sp.I) or expr.has(sp.oo, sp.zoo, sp.nan, -sp.oo):
        raise TermError(f"{role} must be a finite real number: {text(expr)}")
    plain = {}
    for s in expr.free_symbols:
        if s.is_real:
            continue
        if _is_plain(s):  # sympy.Symbol("b"): read as the real parameter b
            plain[s] = param_symbol(s.name)
            continue
        raise TermError(
            f"{role}: the parameter {s} must be real; make it with symconv.param_symbol"
            f"({s.name!r}) (the same as sympy.Symbol({s.name!r}, real=True))"
        )
    return expr.xreplace(plain) if plain else expr


def _is_plain(symbol) -> bool:
    """A ``sympy.Symbol`` made without assumptions (only the default ``commutative``)."""
    return type(symbol) is sp.Symbol and set(symbol.assumptions0) <= {"commutative"}


def _need_order(value, role: str) -> sp.Expr:
    expr = _as_expr(value)
    if kind_of(expr) != SCALAR or depends_on_functions(expr):
        raise TermError(f"{role} must be a positive integer, got {text(expr)}")
    if expr.is_Integer:
        if expr < 1:
            raise TermError(f"{role} must be a positive integer, got {expr}")
        return expr
    syms = sorted(expr.free_symbols, key=str)
    if not syms:
        raise TermError(f"{role} must be a positive integer, got {text(expr)}")
    linear = expr.is_polynomial(*syms) and sp.Poly(expr, *syms).total_degree() <= 1
    integral = all(s.is_integer and s.is_positive for s in syms)
    if not (linear and integral and expr.is_integer and expr.is_positive):
        raise TermError(
            f"{role} must be a positive integer or a sum of positive-integer symbols, got "
            f"{expr}; make a symbolic order with symconv.order_symbol({str(syms[0])!r})"
        )
    return expr


def _need_nonzero(value, role: str) -> sp.Expr:
    expr = _need_real(value, role)
    if expr.is_zero:
        raise TermError(f"{role} must not be 0")
    return expr


def _need_convention(value, role: str):
    name = str(value) if isinstance(value, (str, Str)) else None
    if name not in CONVENTIONS:
        raise TermError(f"{role} must be one of {', '.join(CONVENTIONS)}, got {value!r}")
    return Str(name)


def _need_values(value, role: str):
    name = str(value) if isinstance(value, (str, Str)) else None
    if name not in ("real", "complex"):
        raise TermError(f"{role} must be 'real' or 'complex', got {value!r}")
    return Str(name)


def _need_name(value, role: str):
    if not isinstance(value, (str, Str)):
        raise TermError(f"{role} must be a string, got {value!r}")
    name = _names.normalize(str(value))  # NFKC, as for Python names: Fn("ϕ") is Fn("φ")
    if not name.isidentifier() or name.startswith("_"):
        raise TermError(f"{name!r} is not a valid function name")
    return Str(name)


#: How an argument of each sort is checked (and normalised) when a term is built.
_CHECKS: dict[str, Callable] = {
    FUNCTION: _need_function,
    REAL: _need_real,
    ORDER: _need_order,
    NAME: _need_name,
    NONZERO: _need_nonzero,
    CONVENTION: _need_convention,
    VALUES: _need_values,
}


# --------------------------------------------------------------------------- declarations

#: Every operator of the language by name, in the order of declaration.
OPERATORS: dict[str, type] = {}

_DECLARATION = ("signature", "result", "notation", "meaning")
#: The entries every algebra has besides one per operator (the linear structure around
#: operators, :mod:`symconv.language.fold`); no operator may take one of these names.
STRUCTURE_ENTRIES = ("add", "times", "constant", "scalar_add", "scalar_mul", "scalar_pow")
_NOTATION = ("_sympystr", "_latex")


class Operation(sp.Expr):
    """An operator of the language; subclasses are its declarations (see the module doc).

    ``operator`` is the operator's name (in the call syntax and in every interpretation);
    ``signature`` is a tuple of ``(sort, role)`` pairs, one per argument; ``defaults`` the
    values of trailing arguments that may be left out.
    """

    is_commutative = True
    _op_priority = 20.0
    precedence = FUNC_PRECEDENCE

    operator: str
    signature: tuple
    result: str
    notation: str
    meaning: str
    defaults: tuple = ()
    #: Other spellings of the operator in the call syntax (``tau`` and ``τ`` for ``shift``).
    aliases: tuple = ()
    #: True for the leaves that stand for functions (``f`` and ``δ``).
    is_leaf_function = False
    #: True when the notation reads as one unit before an argument: f(x), τ(g, b)(x).
    atomic_head = False
    #: True when a postfix (the flip's ⁻) needs no parentheses around it: f⁻, δ⁻, τ(g, b)⁻.
    prints_as_unit = False

    def __init_subclass__(cls, abstract: bool = False, **kwargs):
        super().__init_subclass__(**kwargs)
        if abstract:
            return
        missing = [] if isinstance(cls.__dict__.get("operator"), str) else ["operator"]
        missing += [a for a in _DECLARATION if not isinstance(getattr(cls, a, None), (str, tuple))]
        missing += [m for m in _NOTATION if not callable(getattr(cls, m, None))]
        missing += [] if cls.definition is not Operation.definition else ["definition"]
        if missing:
            raise TypeError(f"the operator {cls.__name__} does not declare {', '.join(missing)}")
        if cls.operator in OPERATORS:
            raise TypeError(f"two operators are called {cls.operator!r}")
        if cls.operator in STRUCTURE_ENTRIES or cls.operator in ("operation", "fold", "case"):
            raise TypeError(f"{cls.operator!r} names an entry of every interpretation, not an operator")
        if cls.result not in (FUNCTION, SCALAR) or any(s not in _CHECKS for s, _ in cls.signature):
            raise TypeError(f"the operator {cls.__name__} declares an unknown sort")
        OPERATORS[cls.operator] = cls

    def __new__(cls, *args):
        n, m = len(cls.signature), len(cls.defaults)
        if not n - m <= len(args) <= n:
            raise TermError(f"{cls.operator} takes {n} arguments, got {len(args)}")
        args = args + cls.defaults[len(args) - (n - m) :]
        checked = [_CHECKS[sort](a, role) for (sort, role), a in zip(cls.signature, args)]
        return sp.Expr.__new__(cls, *checked)

    @staticmethod
    def definition(value, x, fresh, *args):
        """The value of the operator at the point ``x`` (for a scalar operator: its value),
        written with ``value(A, p)`` for the value of a function-valued argument A at p and
        ``fresh()`` for a new bound variable."""
        raise NotImplementedError

    def _unicodestr(self, printer):
        return self._sympystr(printer)

    def _pretty(self, printer):
        return pretty_form(self, prettyForm.ATOM)


def _line(var) -> tuple:
    return (var, -_INF, _INF)


class Term(Operation, abstract=True):
    """Base class of function-valued terms."""

    result = FUNCTION

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
        return sp.Mul(self, sp.Pow(_need_real(other, "a divisor"), -1))

    def __pow__(self, other):
        raise TermError("a function cannot be raised to a power")

    __rpow__ = __pow__

    def __call__(self, point):
        return At(self, point)

    def _eval_is_real(self):
        return None


class Fn(Term):
    """An abstract real function, named like a variable."""

    operator = "fn"
    signature = ((NAME, "a function name"), (VALUES, "the values of a function"))
    defaults = (Str("real"),)
    result = FUNCTION
    notation = "f"
    meaning = "an abstract function, real-valued unless declared complex"
    is_leaf_function = True
    atomic_head = True
    prints_as_unit = True

    @property
    def name(self) -> str:
        return self.args[0].name

    @property
    def is_complex_valued(self) -> bool:
        return self.args[1].name == "complex"

    @property
    def free_symbols(self):
        return set()

    @staticmethod
    def definition(value, x, fresh, name, values):
        # a real function's values are real, so conj(f(x)) = f(x) in an unfolded integral
        return sp.Function(name.name, real=values.name == "real")(x)

    def _sympystr(self, printer):
        return self.name

    def _latex(self, printer):
        return latex_name(self.name)


def functions(names: str, complex: bool = False) -> tuple[Fn, ...]:
    """``f, g, h = functions("f g h")``; ``complex=True`` for complex-valued functions."""
    values = "complex" if complex else "real"
    return tuple(Fn(n, values) for n in names.replace(",", " ").split())


class _Binary(Term, abstract=True):
    symbol = "?"
    latex_symbol = "?"
    precedence = CONV_PRECEDENCE

    @property
    def left(self):
        return self.args[0]

    @property
    def right(self):
        return self.args[1]

    def _sympystr(self, printer):
        lhs = wrap(printer, self.left, "(%s)", MUL_PRECEDENCE + 1)
        rhs = wrap(printer, self.right, "(%s)", MUL_PRECEDENCE + 1)
        return f"{lhs} {self.symbol} {rhs}"

    def _latex(self, printer):
        lhs = wrap(printer, self.left, r"\left(%s\right)", MUL_PRECEDENCE + 1)
        rhs = wrap(printer, self.right, r"\left(%s\right)", MUL_PRECEDENCE + 1)
        return f"{lhs} {self.latex_symbol} {rhs}"

    def _pretty(self, printer):
        return pretty_form(self, prettyForm.ADD)


class Conv(_Binary):
    """Convolution: (A * B)(x) = ∫ A(y) B(x − y) dy."""

    operator = "conv"
    signature = ((FUNCTION, "the left argument of conv"), (FUNCTION, "the right argument of conv"))
    result = FUNCTION
    notation = "f * g"
    meaning = "(f * g)(x) = ∫ f(y) g(x − y) dy — the notes' (1)"
    symbol = "*"
    latex_symbol = "*"

    @staticmethod
    def definition(value, x, fresh, a, b):
        y = fresh()
        return sp.Integral(value(a, y) * value(b, x - y), _line(y))


class Xcorr(_Binary):
    """Cross-correlation: (A ⋆ B)(x) = ∫ A(y) B(x + y) dy."""

    operator = "xcorr"
    signature = ((FUNCTION, "the left argument of xcorr"), (FUNCTION, "the right argument of xcorr"))
    result = FUNCTION
    notation = "f ⋆ g"
    meaning = "(f ⋆ g)(x) = ∫ conj(f(y)) g(x + y) dy — the notes' (9); conj(f) = f for real f"
    symbol = "⋆"
    latex_symbol = r"\star"

    @staticmethod
    def definition(value, x, fresh, a, b):
        y = fresh()  # the conjugate matters only for complex-valued functions
        return sp.Integral(sp.conjugate(value(a, y)) * value(b, x + y), _line(y))


class Flip(Term):
    """The flip A⁻(x) = A(−x)."""

    operator = "flip"
    signature = ((FUNCTION, "the argument of flip"),)
    result = FUNCTION
    notation = "f⁻"
    meaning = "f⁻(x) = f(−x)"
    prints_as_unit = True

    @property
    def arg(self):
        return self.args[0]

    @staticmethod
    def definition(value, x, fresh, a):
        return value(a, -x)

    def _sympystr(self, printer):
        body = printer._print(self.arg)
        if not getattr(self.arg, "prints_as_unit", False):
            body = f"({body})"
        return body + "⁻"

    def _latex(self, printer):
        inner = wrap(printer, self.arg, r"\left(%s\right)", FUNC_PRECEDENCE)
        return "{%s}^{-}" % inner


class Shift(Term):
    """The shift τ(A, b)(x) = A(x − b)."""

    operator = "shift"
    signature = ((FUNCTION, "the first argument of shift"), (REAL, "a shift"))
    result = FUNCTION
    notation = "τ(g, b)"
    meaning = "τ(g, b)(x) = g(x − b)"
    aliases = ("tau", "τ")
    atomic_head = True
    prints_as_unit = True

    @property
    def arg(self):
        return self.args[0]

    @property
    def amount(self):
        return self.args[1]

    @staticmethod
    def definition(value, x, fresh, a, b):
        return value(a, x - b)

    def _sympystr(self, printer):
        return f"τ({printer._print(self.arg)}, {printer._print(self.amount)})"

    def _latex(self, printer):
        return r"\tau\left(%s, %s\right)" % (printer._print(self.arg), printer._print(self.amount))


class Diff(Term):
    """The k-th derivative dᵏA/dxᵏ (k a positive integer or a positive-integer symbol)."""

    operator = "diff"
    signature = ((FUNCTION, "the argument of diff"), (ORDER, "a derivative order"))
    defaults = (sp.S.One,)
    result = FUNCTION
    notation = "dᵏg/dxᵏ"
    meaning = "the k-th derivative (k a positive integer or a positive-integer symbol)"

    @property
    def arg(self):
        return self.args[0]

    @property
    def order(self):
        return self.args[1]

    @staticmethod
    def definition(value, x, fresh, a, k):
        t = fresh()
        body = value(a, t)
        if isinstance(x, sp.Symbol) and x not in body.free_symbols | k.free_symbols:
            return sp.Derivative(body.xreplace({t: x}), (x, k))
        # at a point that is not a free variable: differentiate, then substitute
        return sp.Subs(sp.Derivative(body, (t, k)), t, x)

    def _sympystr(self, printer):
        if self.order == 1:
            return f"diff({printer._print(self.arg)})"
        return f"diff({printer._print(self.arg)}, {printer._print(self.order)})"

    def _unicodestr(self, printer):
        k = printer._print(self.order)
        body = printer._print(self.arg)
        if not getattr(self.arg, "is_leaf_function", False):
            body = f"({body})"
        if self.order == 1:
            return f"d{body}/dx"
        sup = superscript(k) or f"^({k})"
        return f"d{sup}{body}/dx{sup}"

    def _latex(self, printer):
        k = printer._print(self.order)
        body = wrap(printer, self.arg, r"\left(%s\right)", FUNC_PRECEDENCE)
        if self.order == 1:
            return r"\frac{d}{dx} %s" % body
        return r"\frac{d^{%s}}{dx^{%s}} %s" % (k, k, body)


class Delta(Term):
    """The Dirac delta at a point a (a tempered distribution)."""

    operator = "delta"
    signature = ((REAL, "the point of a delta"),)
    defaults = (sp.S.Zero,)
    result = FUNCTION
    notation = "δ(a)"
    meaning = "the Dirac delta at a: ∫ φ(x) δ(a)(x) dx = φ(a)"
    aliases = ("δ",)
    is_leaf_function = True
    prints_as_unit = True

    @property
    def point(self):
        return self.args[0]

    @staticmethod
    def definition(value, x, fresh, a):
        return sp.DiracDelta(x - a)

    def _sympystr(self, printer):
        if self.point == 0:
            return "δ"
        return f"δ({printer._print(self.point)})"

    def _latex(self, printer):
        if self.point == 0:
            return r"\delta"
        return r"\delta\left(%s\right)" % printer._print(self.point)


class At(Operation):
    """The value A(a) of a function-valued term at a point: a number."""

    operator = "at"
    signature = ((FUNCTION, "a term evaluated at a point"), (REAL, "a point"))
    result = SCALAR
    notation = "A(a)"
    meaning = "the value of A at the point a"

    @property
    def arg(self):
        return self.args[0]

    @property
    def point(self):
        return self.args[1]

    @staticmethod
    def definition(value, x, fresh, a, p):
        return value(a, p)

    def _eval_is_real(self):
        # SymPy folds conjugate(v) to v for a real v: only a real-valued term may say so
        return True if real_valued(self.arg) else None

    def _sympystr(self, printer):
        head = printer._print(self.arg)
        if not getattr(self.arg, "atomic_head", False):
            head = f"({head})"
        return f"{head}({printer._print(self.point)})"

    def _latex(self, printer):
        head = printer._print(self.arg)
        if not getattr(self.arg, "atomic_head", False):
            head = r"\left(%s\right)" % head
        return r"%s\left(%s\right)" % (head, printer._print(self.point))


class Inner(Operation):
    """The number ∫ A(x) B(x) dx."""

    operator = "inner"
    signature = ((FUNCTION, "the first argument of inner"), (FUNCTION, "the second argument of inner"))
    result = SCALAR
    notation = "⟨A, B⟩"
    meaning = "⟨A, B⟩ = ∫ A(x) B(x) dx"

    @staticmethod
    def definition(value, x, fresh, a, b):
        t = fresh()
        return sp.Integral(value(a, t) * value(b, t), _line(t))

    def _eval_is_real(self):
        return True if real_valued(self.args[0]) and real_valued(self.args[1]) else None

    def _sympystr(self, printer):
        return f"inner({printer._print(self.args[0])}, {printer._print(self.args[1])})"

    def _unicodestr(self, printer):
        return f"⟨{printer._print(self.args[0])}, {printer._print(self.args[1])}⟩"

    def _latex(self, printer):
        return r"\left\langle %s, %s \right\rangle" % (
            printer._print(self.args[0]),
            printer._print(self.args[1]),
        )


# --------------------------------------------------------------------------- the larger language


def _call(printer, name: str, *args) -> str:
    return f"{name}({', '.join(printer._print(a) for a in args)})"


def _convention_suffix(convention) -> str:
    return "" if convention.name == DEFAULT_CONVENTION else f", {convention.name}"


class Zero(Term):
    """The zero function (what f − f, 0·f and f * 0 are)."""

    operator = "zero"
    signature = ()
    result = FUNCTION
    notation = "0"
    meaning = "x ↦ 0"
    prints_as_unit = True

    @staticmethod
    def definition(value, x, fresh):
        return sp.S.Zero

    def _sympystr(self, printer):
        return "0"

    def _latex(self, printer):
        return "0"


class Ident(Term):
    """The identity function x ↦ x (so that x·A(x) is ``mul(id, A)``)."""

    operator = "id"
    signature = ()
    result = FUNCTION
    notation = "x"
    meaning = "x ↦ x"
    prints_as_unit = True
    atomic_head = True

    @staticmethod
    def definition(value, x, fresh):
        return x

    def _sympystr(self, printer):
        return "id"

    def _latex(self, printer):
        return r"\operatorname{id}"


class _Transform(Term, abstract=True):
    """What the transform and its inverse share: an argument, a convention, the notation."""

    signature = ((FUNCTION, "the argument of a transform"), (CONVENTION, "a Fourier convention"))
    defaults = (Str(DEFAULT_CONVENTION),)
    result = FUNCTION
    prints_as_unit = True
    atomic_head = True
    mark = "𝓕"  # the notes' notation, before the argument
    latex_mark = r"\mathcal{F}"

    @property
    def arg(self):
        return self.args[0]

    @property
    def convention(self) -> str:
        return self.args[1].name

    def _sympystr(self, printer):
        return f"{self.operator}({printer._print(self.arg)}{_convention_suffix(self.args[1])})"

    def _unicodestr(self, printer):
        body = printer._print(self.arg)
        mark = self.mark + ("" if self.convention == DEFAULT_CONVENTION else f"[{self.convention}]")
        return f"{mark}{body}" if getattr(self.arg, "prints_as_unit", False) else f"{mark}({body})"

    def _latex(self, printer):
        body = wrap(printer, self.arg, r"\left(%s\right)", FUNC_PRECEDENCE)
        mark = "" if self.convention == DEFAULT_CONVENTION else r"_{\text{%s}}" % self.convention
        return r"%s%s %s" % (self.latex_mark, mark, body)


class Fourier(_Transform):
    """The Fourier transform, f̂(ω) = A ∫ f(x) e^{−iBωx} dx with the convention's (A, B)."""

    operator = "fourier"
    notation = "𝓕f, f̂"
    meaning = "f̂(ω) = ∫ f(x) e^{−iωx} dx (angular; unitary: 1/√(2π) ∫ …; ordinary: ∫ f(x) e^{−2πixω} dx)"
    aliases = ("𝓕",)

    @staticmethod
    def definition(value, x, fresh, a, convention):
        scale, rate = CONVENTIONS[convention.name]
        t = fresh()
        return scale * sp.Integral(value(a, t) * sp.exp(-sp.I * rate * x * t), _line(t))


class InverseFourier(_Transform):
    """The inverse Fourier transform of the convention: the A, B of :class:`Fourier`."""

    operator = "ifourier"
    notation = "𝓕⁻¹f"
    meaning = "the inverse: (B/(2πA)) ∫ g(ω) e^{iBωx} dω"
    mark = "𝓕⁻¹"
    latex_mark = r"\mathcal{F}^{-1}"

    @staticmethod
    def definition(value, x, fresh, a, convention):
        scale, rate = CONVENTIONS[convention.name]
        t = fresh()
        factor = rate / (2 * sp.pi * scale)
        return factor * sp.Integral(value(a, t) * sp.exp(sp.I * rate * x * t), _line(t))


class Product(_Binary):
    """The pointwise product (A·B)(x) = A(x) B(x)."""

    operator = "mul"
    signature = ((FUNCTION, "the left argument of mul"), (FUNCTION, "the right argument of mul"))
    result = FUNCTION
    notation = "f·g"
    meaning = "(f·g)(x) = f(x) g(x)"
    symbol = "·"
    latex_symbol = r"\cdot"

    @staticmethod
    def definition(value, x, fresh, a, b):
        return value(a, x) * value(b, x)

    def _sympystr(self, printer):
        lhs = wrap(printer, self.left, "(%s)", MUL_PRECEDENCE + 1)
        rhs = wrap(printer, self.right, "(%s)", MUL_PRECEDENCE + 1)
        return f"{lhs}·{rhs}"


class Scale(Term):
    """The dilation scale(A, a)(x) = A(a x), a ≠ 0."""

    operator = "scale"
    signature = ((FUNCTION, "the first argument of scale"), (NONZERO, "a scale factor"))
    result = FUNCTION
    notation = "f(a·)"
    meaning = "scale(f, a)(x) = f(a x), a ≠ 0"
    atomic_head = True
    prints_as_unit = True

    @property
    def arg(self):
        return self.args[0]

    @property
    def factor(self):
        return self.args[1]

    @staticmethod
    def definition(value, x, fresh, a, s):
        return value(a, s * x)

    def _sympystr(self, printer):
        return _call(printer, "scale", self.arg, self.factor)

    def _latex(self, printer):
        return r"\operatorname{scale}\left(%s, %s\right)" % (
            printer._print(self.arg),
            printer._print(self.factor),
        )


class Modulate(Term):
    """The modulation modulate(A, ν)(x) = e^{iνx} A(x)."""

    operator = "modulate"
    signature = ((FUNCTION, "the first argument of modulate"), (REAL, "a frequency"))
    result = FUNCTION
    notation = "e^{iνx} f"
    meaning = "modulate(f, ν)(x) = e^{iνx} f(x)"
    atomic_head = True
    prints_as_unit = True

    @property
    def arg(self):
        return self.args[0]

    @property
    def frequency(self):
        return self.args[1]

    @staticmethod
    def definition(value, x, fresh, a, nu):
        return sp.exp(sp.I * nu * x) * value(a, x)

    def _sympystr(self, printer):
        return _call(printer, "modulate", self.arg, self.frequency)

    def _latex(self, printer):
        return r"\operatorname{modulate}\left(%s, %s\right)" % (
            printer._print(self.arg),
            printer._print(self.frequency),
        )


class Conj(Term):
    """The complex conjugate conj(A)(x) = conj(A(x)) (A itself for a real function)."""

    operator = "conj"
    signature = ((FUNCTION, "the argument of conj"),)
    result = FUNCTION
    notation = "f̄"
    meaning = "conj(f)(x) = the complex conjugate of f(x)"
    atomic_head = True
    prints_as_unit = True

    @property
    def arg(self):
        return self.args[0]

    @staticmethod
    def definition(value, x, fresh, a):
        return sp.conjugate(value(a, x))

    def _sympystr(self, printer):
        return _call(printer, "conj", self.arg)

    def _latex(self, printer):
        return r"\overline{%s}" % printer._print(self.arg)


class ConvPower(Term):
    """The iterated convolution A * A * … * A with n factors (n a positive integer or symbol)."""

    operator = "convpow"
    signature = ((FUNCTION, "the first argument of convpow"), (ORDER, "a number of factors"))
    result = FUNCTION
    notation = "f^{*n}"
    meaning = "f^{*1} = f, f^{*(n+1)} = f * f^{*n}"

    @property
    def arg(self):
        return self.args[0]

    @property
    def power(self):
        return self.args[1]

    @staticmethod
    def definition(value, x, fresh, a, n):
        if not n.is_Integer:
            raise TermError("an iterated convolution with a symbolic number of factors has no finite unfolding")
        if n == 1:
            return value(a, x)
        ys = [fresh() for _ in range(int(n) - 1)]
        points = [x - ys[0]] + [ys[i] - ys[i + 1] for i in range(len(ys) - 1)] + [ys[-1]]
        body = sp.Mul(*[value(a, p) for p in points])
        return sp.Integral(body, *[_line(y) for y in reversed(ys)])

    def _sympystr(self, printer):
        return _call(printer, "convpow", self.arg, self.power)

    def _unicodestr(self, printer):
        body = printer._print(self.arg)
        if not getattr(self.arg, "prints_as_unit", False):
            body = f"({body})"
        return f"{body}^(*{printer._print(self.power)})"

    def _latex(self, printer):
        body = wrap(printer, self.arg, r"\left(%s\right)", FUNC_PRECEDENCE)
        return r"{%s}^{*%s}" % (body, printer._print(self.power))


class Downsample(Term):
    """The sampling of a layer with stride s on ℤⁿ: downsample(A, s)(x) = A(s x)."""

    operator = "downsample"
    signature = ((FUNCTION, "the first argument of downsample"), (ORDER, "a stride"))
    result = FUNCTION
    notation = "f(s·) on ℤⁿ"
    meaning = "downsample(f, s)(x) = f(s x), s a positive integer (on ℤⁿ: a stride)"
    atomic_head = True
    prints_as_unit = True

    @property
    def arg(self):
        return self.args[0]

    @property
    def stride(self):
        return self.args[1]

    @staticmethod
    def definition(value, x, fresh, a, s):
        return value(a, s * x)

    def _sympystr(self, printer):
        return _call(printer, "downsample", self.arg, self.stride)

    def _latex(self, printer):
        return r"\operatorname{downsample}\left(%s, %s\right)" % (
            printer._print(self.arg),
            printer._print(self.stride),
        )


class Upsample(Term):
    """Zeros inserted on ℤⁿ: upsample(A, s)(x) = A(x/s) where s divides x, 0 elsewhere."""

    operator = "upsample"
    signature = ((FUNCTION, "the first argument of upsample"), (ORDER, "a factor"))
    result = FUNCTION
    notation = "f↑s on ℤⁿ"
    meaning = "upsample(f, s)(x) = f(x/s) where s divides every coordinate of x, 0 elsewhere"
    atomic_head = True
    prints_as_unit = True

    @property
    def arg(self):
        return self.args[0]

    @property
    def factor(self):
        return self.args[1]

    @staticmethod
    def definition(value, x, fresh, a, s):
        return sp.Piecewise((value(a, x / s), sp.Eq(sp.Mod(x, s), 0)), (0, True))

    def _sympystr(self, printer):
        return _call(printer, "upsample", self.arg, self.factor)

    def _latex(self, printer):
        return r"\operatorname{upsample}\left(%s, %s\right)" % (
            printer._print(self.arg),
            printer._print(self.factor),
        )


class TotalIntegral(Operation):
    """The number ∫ A(x) dx."""

    operator = "integral"
    signature = ((FUNCTION, "the argument of integral"),)
    result = SCALAR
    notation = "∫ f"
    meaning = "∫ f(x) dx"

    @staticmethod
    def definition(value, x, fresh, a):
        t = fresh()
        return sp.Integral(value(a, t), _line(t))

    def _eval_is_real(self):
        return None

    def _sympystr(self, printer):
        return _call(printer, "integral", self.args[0])

    def _unicodestr(self, printer):
        return f"∫{printer._print(self.args[0])}"

    def _latex(self, printer):
        return r"\int %s \, dx" % wrap(printer, self.args[0], r"\left(%s\right)", FUNC_PRECEDENCE)


# --------------------------------------------------------------------------- statements


def _integer_for_integers(expr) -> bool:
    """Whether ``expr`` is an integer whenever its names are (b + 1, 2N: yes; N/2: no)."""
    return expr.xreplace({s: sp.Dummy(s.name, integer=True) for s in expr.free_symbols}).is_integer is True


def _check_on_group(group: Group, sides) -> None:
    """Refuse what has no meaning on ``group``: an operator it does not have, a shift or a
    point that is not one of its elements (a fraction on ℤ)."""
    for side in sides:
        for node in sp.preorder_traversal(side):
            if not isinstance(node, Operation):
                continue
            reason = group.refuses(node.operator)
            if reason:
                raise TermError(reason)
            if group.discrete:
                for (sort, role), arg in zip(node.signature, node.args):
                    if sort == REAL and arg.is_number and not arg.is_integer:
                        raise TermError(f"{role} on {group} must be an integer, not {text(arg)}")
                    if sort == REAL and not arg.is_number and not _integer_for_integers(arg):
                        raise TermError(f"{role} on {group} must be an integer, and {text(arg)} is not one "
                                        "for every integer value of its names")


@dataclass(frozen=True)
class Statement:
    """``lhs = rhs`` (or ``lhs ≠ rhs`` when ``negated``), both sides of the same kind.

    ``A ≠ B`` claims that A = B is *not* an identity: it is proved by a replayed
    counterexample to A = B, and refuted by a proof of A = B.
    """

    lhs: sp.Expr
    rhs: sp.Expr
    negated: bool = False
    #: The group the functions live on (ℝ unless the statement says ``over G:``).
    group: Group = R

    def __post_init__(self):
        lhs, rhs = _as_expr(self.lhs), _as_expr(self.rhs)
        # a plain sympy.Symbol("b") is the real parameter b everywhere in the statement
        plain = {
            s: param_symbol(s.name) for s in lhs.free_symbols | rhs.free_symbols if _is_plain(s)
        }
        if plain:
            lhs, rhs = lhs.xreplace(plain), rhs.xreplace(plain)
        kl, kr = kind_of(lhs), kind_of(rhs)
        if kl != kr and FUNCTION in (kl, kr) and 0 in (lhs, rhs):
            # the number 0 beside a function is the zero function (f − f = 0)
            lhs, rhs = (Zero() if s == 0 else s for s in (lhs, rhs))
            kl = kr = FUNCTION
        object.__setattr__(self, "lhs", lhs)
        object.__setattr__(self, "rhs", rhs)
        if kl != kr:
            raise TermError(
                f"the left side is a {kl} but the right side is a {kr}: {text(lhs)} vs {text(rhs)}"
            )
        if not isinstance(self.group, Group):
            raise TermError(f"a statement's group must be a symconv Group, not {self.group!r}")
        _check_on_group(self.group, (lhs, rhs))

    @property
    def kind(self) -> str:
        return kind_of(self.lhs)

    @property
    def relation(self) -> str:
        return "≠" if self.negated else "="

    def equation(self) -> "Statement":
        """The equality underneath (drops the negation)."""
        return Statement(self.lhs, self.rhs, group=self.group) if self.negated else self

    def function_names(self) -> list[str]:
        return sorted(set(function_names(self.lhs)) | set(function_names(self.rhs)))

    def parameters(self) -> list[sp.Symbol]:
        syms = self.lhs.free_symbols | self.rhs.free_symbols
        return sorted(syms, key=lambda s: s.name)

    def __str__(self) -> str:
        over = "" if self.group == R else f"over {self.group.text()}: "
        return f"{over}{text(self.lhs)} {self.relation} {text(self.rhs)}"

    def latex(self) -> str:
        rel = r"\neq" if self.negated else "="
        over = "" if self.group == R else r"\text{on } %s\colon\ " % self.group.latex()
        return f"{over}{latex(self.lhs)} {rel} {latex(self.rhs)}"

    def _repr_latex_(self) -> str:
        return f"${self.latex()}$"
