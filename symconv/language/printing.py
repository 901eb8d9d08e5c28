"""Printing terms in the notes' notation: one line of text, Unicode, LaTeX.

Each operator declares its own notation (``_sympystr``, ``_unicodestr``, ``_latex`` on its
class in :mod:`symconv.language.terms`); SymPy's printers dispatch to those by class. This
module holds what they share: the printers, parentheses by precedence, superscripts, and
names in LaTeX. It imports nothing of the term language.
"""

from __future__ import annotations

import sympy as sp
from sympy.printing.precedence import PRECEDENCE, precedence
from sympy.printing.pretty.stringpict import prettyForm
from sympy.printing.str import StrPrinter

from symconv.language import names as _names

__all__ = ["text", "unicode", "latex", "latex_name", "wrap", "superscript", "pretty_form"]

#: Precedence of a convolution inside SymPy's printers: tighter than ``+``, looser than
#: a scalar product, so ``2*(f * g)`` and ``f * g + h`` print unambiguously.
CONV_PRECEDENCE = 45
FUNC_PRECEDENCE = PRECEDENCE["Func"]
MUL_PRECEDENCE = PRECEDENCE["Mul"]

_SUPERSCRIPT = str.maketrans("0123456789+-()nkm", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁽⁾ⁿᵏᵐ")
_SUPERSCRIPTABLE = set("0123456789+-()nkm ")


def superscript(s: str) -> str | None:
    """``s`` in superscript characters, or None when some character has none."""
    return s.translate(_SUPERSCRIPT) if set(s) <= _SUPERSCRIPTABLE else None


def wrap(printer, arg, fmt: str, strict: int) -> str:
    """Print ``arg`` in parentheses unless it binds tighter than ``strict``."""
    s = printer._print(arg)
    if precedence(arg) < strict:
        return fmt % s
    return s


def latex_name(name: str) -> str:
    """A name in LaTeX: Greek letters as commands LaTeX defines (φ → \\varphi, Α →
    \\mathrm{A}, never \\Alpha or \\omicron), long names upright."""
    return _names.latex_name(name)


class UnicodePrinter(StrPrinter):
    """One line of Unicode in the notes' notation: like ``str`` but with each operator's
    ``_unicodestr`` (dᵏg/dxᵏ, ⟨A, B⟩) where it has one."""

    printmethod = "_unicodestr"


def unicode(expr) -> str:
    """The term in the notes' notation with Unicode symbols (dᵏg/dxᵏ, ⟨A, B⟩)."""
    return UnicodePrinter({"order": "none"}).doprint(expr)


def text(expr) -> str:
    """The term in the notes' notation, as one line of text."""
    return sp.sstr(expr, order="none")


def latex(expr) -> str:
    """The term in LaTeX; parameters with Greek letters as commands LaTeX defines."""
    symbols = {
        s: _names.latex_name(s.name)
        for s in getattr(expr, "free_symbols", ())
        if not s.name.isascii()  # SymPy's own LaTeX for ASCII names (a_1 → a_{1})
    }
    return sp.latex(expr, order="none", symbol_names=symbols)


def pretty_form(expr, binding) -> prettyForm:
    """A term for SymPy's pretty printer: its Unicode line as one block."""
    return prettyForm(unicode(expr), binding=binding)
