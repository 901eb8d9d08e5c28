"""Tokens of LaTeX math as lecture notes write it: a whitelist, nothing evaluated.

A hand-written tokenizer: every command must be known (spacing and sizing commands are
dropped, decorations and fonts make names, the rest become operator tokens); an unknown
command or character is a :class:`MathError` naming its column, so a display that uses
notation outside the whitelist is reported as not read, with the reason.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

__all__ = ["MathError", "Tok", "tokenize", "MAX_MATH_CHARS", "GREEK"]

#: The longest display (in characters) the grammar reads; longer ones are not read.
MAX_MATH_CHARS = 20_000
MAX_TOKENS = 8_000


class MathError(ValueError):
    """Math the grammar does not read: what is wrong and where (0-based offset)."""

    def __init__(self, message: str, pos: int | None = None):
        self.message = message
        self.pos = pos
        super().__init__(message)


@dataclass(frozen=True)
class Tok:
    """``kind``: letter, num, op, cmd, open, close, sup, sub, amp, row, text, end."""

    kind: str
    value: str
    pos: int
    end: int = -1  # one past the last character, when not pos + len(value)


GREEK = {
    name: unicodedata.lookup(("GREEK SMALL LETTER " if name.islower() else "GREEK CAPITAL LETTER ")
                             + {"lambda": "LAMDA", "Lambda": "LAMDA"}.get(name, name).upper())
    for name in (
        "alpha beta gamma epsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma "
        "upsilon phi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega"
    ).split()
}
GREEK.update({"varphi": "φ", "vartheta": "ϑ", "varepsilon": "ε", "varrho": "ϱ", "varsigma": "ς"})
GREEK.pop("pi")  # \pi is the constant, not a name

#: Commands that only space, size or number: dropped.
_DROPPED = set(
    r"quad qquad enspace thinspace medspace thickspace negthinspace displaystyle textstyle "
    r"scriptstyle limits nolimits nonumber notag big Big bigg Bigg bigl bigr Bigl Bigr biggl "
    r"biggr Biggl Biggr middle".split()
) | {",", ";", ":", "!", " ", ">"}
#: Commands kept as operator tokens (the grammar decides what each means).
_OPERATORS = set(
    r"int sum prod lim frac dfrac tfrac star ast circledast otimes oplus odot cdot times neq ne "
    r"coloneqq langle rangle infty mathbb tau delta left right prime dots cdots ldots vdots "
    r"partial nabla in to rightarrow mapsto leq le geq ge approx equiv sim pm mp sqrt exp log "
    r"sin cos tag label begin end text mathrm operatorname mathbf mathit boldsymbol mathcal "
    r"tilde hat bar check widetilde widehat overline vec dot ddot pi lVert rVert Vert vert "
    r"lvert rvert forall exists quad qquad".split()
) | {"{", "}", "|"}
_SINGLE = set("+-*=()[],|'<>:/.!;")
_UNICODE = {"−": "-", "⋆": r"\star", "∗": r"\ast", "≠": r"\neq", "′": "'", "·": r"\cdot",
            "×": r"\times", "∫": r"\int", "δ": r"\delta", "τ": r"\tau", "∞": r"\infty",
            "⟨": r"\langle", "⟩": r"\rangle", "≔": r"\coloneqq", "⊛": r"\circledast",
            "⊗": r"\otimes", "⁻": "^-"}


def tokenize(source: str) -> list[Tok]:
    """The tokens of ``source``; quad-labels and spacing are kept for the grammar to see."""
    if len(source) > MAX_MATH_CHARS:
        raise MathError(f"the math is {len(source)} characters long; the limit is {MAX_MATH_CHARS}")
    out: list[Tok] = []
    i, n = 0, len(source)
    while i < n:
        c = source[i]
        if c.isspace() or c == "~":
            i += 1
        elif c == "%":  # a LaTeX comment runs to the end of the line
            while i < n and source[i] != "\n":
                i += 1
        elif c == "\\":
            i = _command(source, i, out)
        elif c.isascii() and c.isalpha():
            out.append(Tok("letter", c, i))
            i += 1
        elif c.isdigit():
            j = i
            while j < n and source[j].isdigit():
                j += 1
            if j + 1 < n and source[j] == "." and source[j + 1].isdigit():
                j += 1
                while j < n and source[j].isdigit():
                    j += 1
            if j - i > 40:
                raise MathError("a number with more than 40 digits", i)
            out.append(Tok("num", source[i:j], i))
            i = j
        elif c == "{":
            out.append(Tok("open", "{", i))
            i += 1
        elif c == "}":
            out.append(Tok("close", "}", i))
            i += 1
        elif c == "^":
            out.append(Tok("sup", "^", i))
            i += 1
        elif c == "_":
            out.append(Tok("sub", "_", i))
            i += 1
        elif c == "&":
            out.append(Tok("amp", "&", i))
            i += 1
        elif c in _SINGLE:
            out.append(Tok("op", c, i))
            i += 1
        elif c in _UNICODE:
            value = _UNICODE[c]
            if value == "^-":
                out.extend([Tok("sup", "^", i), Tok("op", "-", i)])
            elif value.startswith("\\"):
                out.append(Tok("cmd", value[1:], i))
            else:
                out.append(Tok("op", value, i))
            i += 1
        elif c in "".join(GREEK.values()):
            out.append(Tok("letter", c, i))
            i += 1
        else:
            raise MathError(f"unexpected character {c!r}", i)
        if len(out) > MAX_TOKENS:
            raise MathError(f"more than {MAX_TOKENS} tokens", i)
    out.append(Tok("end", "", n))
    return out


def _command(source: str, i: int, out: list[Tok]) -> int:
    n = len(source)
    if i + 1 >= n:
        raise MathError("a lone backslash at the end", i)
    j = i + 1
    if source[j].isalpha() and source[j].isascii():
        while j < n and source[j].isalpha() and source[j].isascii():
            j += 1
        name = source[i + 1 : j]
    else:
        name = source[j]
        j += 1
    if name == "\\":
        out.append(Tok("row", "\\\\", i))
    elif name in ("quad", "qquad"):
        out.append(Tok("cmd", name, i))  # kept: "\quad (2)" is a label
    elif name in _DROPPED:
        pass
    elif name in GREEK:
        out.append(Tok("letter", GREEK[name], i))
    elif name in _OPERATORS:
        out.append(Tok("cmd", name, i))
    else:
        raise MathError(f"unknown command \\{name}", i)
    return j
