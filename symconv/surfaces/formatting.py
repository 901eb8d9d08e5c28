"""What the surfaces share: durations, clipped text, LaTeX text mode."""

from __future__ import annotations

import re
import unicodedata

from symconv.language.names import LATEX_LETTERS

__all__ = ["file_stem", "ms", "clip", "latex_escape"]


def file_stem(name: str) -> str:
    """A safe file name made of an obligation id or a statement."""
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_.")
    return stem[:80] or "statement"


def ms(seconds: float) -> str:
    """A duration for people: ``12.3 ms`` or ``1.52 s``."""
    if seconds < 1:
        return f"{seconds * 1000:.1f} ms"
    return f"{seconds:.2f} s"


def clip(s: str, width: int) -> str:
    """``s`` cut to ``width`` characters, with … when cut."""
    return s if len(s) <= width else s[: width - 1] + "…"


_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "^": r"\^{}",
    "_": r"\_",
    "%": r"\%",
    "~": r"\textasciitilde{}",
    "|": r"\textbar{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
}
# Characters of the notes' notation that pdfLaTeX cannot typeset from text as they are.
_LATEX_UNICODE = {
    "⋆": r"\ensuremath{\star}",
    "τ": r"\ensuremath{\tau}",
    "δ": r"\ensuremath{\delta}",
    "ω": r"\ensuremath{\omega}",
    "φ": r"\ensuremath{\varphi}",
    "ψ": r"\ensuremath{\psi}",
    "∫": r"\ensuremath{\int}",
    "≠": r"\ensuremath{\neq}",
    "≤": r"\ensuremath{\leq}",
    "≥": r"\ensuremath{\geq}",
    "≈": r"\ensuremath{\approx}",
    "→": r"\ensuremath{\to}",
    "↦": r"\ensuremath{\mapsto}",
    "⇒": r"\ensuremath{\Rightarrow}",
    "∞": r"\ensuremath{\infty}",
    "·": r"\ensuremath{\cdot}",
    "×": r"\ensuremath{\times}",
    "−": "-",
    "⁻": r"\ensuremath{^{-}}",
    "ᵏ": r"\ensuremath{^{k}}",
    "⟨": r"\ensuremath{\langle}",
    "⟩": r"\ensuremath{\rangle}",
    "ℝ": r"\ensuremath{\mathbb{R}}",
    "ℤ": r"\ensuremath{\mathbb{Z}}",
    "○": r"\ensuremath{\circ}",
    "ℚ": r"\ensuremath{\mathbb{Q}}",
    "↑": r"\ensuremath{\uparrow}",
    "↓": r"\ensuremath{\downarrow}",
    "§": r"\S{}",
    "—": "---",
    "–": "--",
    "…": r"\ldots{}",
    "✗": "x",
    "’": "'",
    "“": "``",
    "”": "''",
}


_LATEX_MATH_SYMBOLS = {
    "∇": r"\nabla",
    "∂": r"\partial",
    "∈": r"\in",
    "∘": r"\circ",
    "√": r"\surd",
    "′": r"\prime",
    "±": r"\pm",
    "∀": r"\forall",
    "∃": r"\exists",
    "⊂": r"\subset",
    "∑": r"\sum",
    "∏": r"\prod",
    "⋅": r"\cdot",
    "∗": "*",
    "∥": r"\|",
    "⇔": r"\Leftrightarrow",
    "⊗": r"\otimes",
    "½": r"\tfrac{1}{2}",
    "𝓕": r"\mathcal{F}",
    "·": r"\cdot",
    "⊛": r"\circledast",
    "̂": r"\hat{}",
    "̄": r"\bar{}",
}
def _latex_char(ch: str) -> str:
    """One character for pdfLaTeX's text mode."""
    if ch in _LATEX_SPECIAL:
        return _LATEX_SPECIAL[ch]
    if ord(ch) < 128:
        return ch
    if ch in _LATEX_UNICODE:
        return _LATEX_UNICODE[ch]
    if ch in _LATEX_MATH_SYMBOLS:
        return r"\ensuremath{" + _LATEX_MATH_SYMBOLS[ch] + "}"
    if ch in LATEX_LETTERS:  # every Greek letter a name may have: a command LaTeX defines
        return r"\ensuremath{" + LATEX_LETTERS[ch] + "}"
    decomposition = unicodedata.decomposition(ch).split()
    if decomposition and decomposition[0] in ("<super>", "<sub>") and len(decomposition) == 2:
        base = chr(int(decomposition[1], 16))
        mark = "^" if decomposition[0] == "<super>" else "_"
        return r"\ensuremath{" + mark + "{" + _LATEX_SPECIAL.get(base, base) + "}}"
    if ch in ("\u00a0", "\u202f"):
        return "~"
    return ch  # anything else is left for a Unicode engine (XeLaTeX, LuaLaTeX)


def latex_escape(text: str) -> str:
    """Text for LaTeX's text mode: specials escaped, the notes' symbols as math."""
    return "".join(_latex_char(ch) for ch in str(text))


