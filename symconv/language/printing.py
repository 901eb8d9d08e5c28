"""Printing terms in the notes' notation: one line of text, Unicode, LaTeX.

Each operator declares its own notation (``_sympystr``, ``_unicodestr``, ``_latex`` on its
class in :mod:`symconv.language.terms`); SymPy's printers dispatch to those by class. This
module holds what they share: the printers, parentheses by precedence, superscripts, and
names in LaTeX. It imports nothing of the term language.
"""

from __future__ import annotations

import unicodedata

import sympy as sp
from sympy.printing.precedence import PRECEDENCE, precedence
from sympy.printing.pretty.stringpict import prettyForm
from sympy.printing.str import StrPrinter

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


_GREEK_VARIANTS = {"ϕ": "\\varphi ", "ϑ": "\\vartheta ", "ϵ": "\\epsilon "}


def latex_name(name: str) -> str:
    """A name in LaTeX: Greek letters as commands (φ → \\varphi), long names upright."""
    out = []
    for ch in name:
        if ord(ch) < 128:
            out.append(ch)
            continue
        if ch in _GREEK_VARIANTS:
            out.append(_GREEK_VARIANTS[ch])
            continue
        words = unicodedata.name(ch, "").split()  # e.g. GREEK SMALL LETTER PHI
        if len(words) >= 4 and words[0] == "GREEK" and words[2] == "LETTER":
            letter = words[-1].lower()
            letter = {"lamda": "lambda"}.get(letter, letter)
            if words[1] == "CAPITAL":
                letter = letter.capitalize()
            out.append("\\" + letter + " ")
        else:
            out.append(ch)
    body = "".join(out).strip()
    plain = all(ord(ch) < 128 for ch in name)
    return body if len(name) == 1 or not plain else r"\operatorname{%s}" % body


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
    return sp.latex(expr, order="none")


def pretty_form(expr, binding) -> prettyForm:
    """A term for SymPy's pretty printer: its Unicode line as one block."""
    return prettyForm(unicode(expr), binding=binding)
