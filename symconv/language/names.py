"""Names a reader can tell apart: normalisation, look-alike letters, and their LaTeX.

Names are made of ASCII letters, Greek letters, digits and ``_``. Two names that a reader
cannot tell apart must not stand for two different things in one statement, so:

- every name is NFKC-normalised, as Python normalises identifiers: the Greek symbol
  variants ϕ, ϑ, ϵ are the letters φ, θ, ε (``ϕ ⋆ g = φ⁻ * g`` has one function, φ);
- two different names of one statement must not have the same :func:`skeleton`, which
  maps each letter to the letter it is mistaken for (Unicode's confusables, restricted
  to the letters names may use): Greek capitals with a Latin twin (Α Β Ε Ζ Η Ι Κ Μ Ν Ο Ρ Τ
  Υ Χ), the small ο and ν, and within ASCII l, I, 1 and O, 0. So ``fο*g = g*fo`` (a Greek
  omicron) is refused rather than refuted.

Every letter a name may contain has a LaTeX form that exists (:data:`LATEX_LETTERS`):
Greek letters without a command of their own (capital Alpha, omicron) are written as
the Latin letters they look like, never as ``\\Alpha`` or ``\\omicron``.
"""

from __future__ import annotations

import unicodedata

__all__ = [
    "GREEK_LETTERS",
    "LATEX_LETTERS",
    "confusable",
    "describe",
    "latex_letter",
    "latex_name",
    "normalize",
    "skeleton",
]

#: The Greek letters a name may contain (α–ω, Α–Ω and the symbol variants ϕ ϑ ϵ, which
#: NFKC turns into φ θ ε).
GREEK_LETTERS = frozenset(
    [chr(c) for c in range(0x391, 0x3AA) if c != 0x3A2]  # 0x3A2 is unassigned
    + [chr(c) for c in range(0x3B1, 0x3CA)]
    + list("ϕϑϵ")
)

_SMALL = dict(
    zip(
        "αβγδεζηθικλμνξοπρςστυφχψω",
        "alpha beta gamma delta varepsilon zeta eta theta iota kappa lambda mu nu xi o pi "
        "rho varsigma sigma tau upsilon varphi chi psi omega".split(),
    )
)
_CAPITAL = dict(
    zip(
        "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ",
        "A B Gamma Delta E Z H Theta I K Lambda M N Xi O Pi P Sigma T Upsilon Phi X Psi Omega".split(),
    )
)
_VARIANTS = {"ϕ": "phi", "ϑ": "vartheta", "ϵ": "epsilon"}


def _command(word: str) -> str:
    """``alpha`` → ``\\alpha``; a Latin look-alike (``A``, ``o``) → ``\\mathrm{A}``."""
    return "\\" + word if len(word) > 1 else r"\mathrm{%s}" % word


#: Each Greek letter a name may contain, in LaTeX math mode: a command LaTeX defines.
LATEX_LETTERS: dict[str, str] = {
    **{ch: _command(w) for ch, w in _SMALL.items()},
    **{ch: _command(w) for ch, w in _CAPITAL.items()},
    **{ch: _command(w) for ch, w in _VARIANTS.items()},
}
# the small omicron is an italic o, like a Latin variable
LATEX_LETTERS["ο"] = "o"

#: The letter each look-alike is mistaken for (Unicode's confusables.txt, restricted to
#: the letters names may use).
_LOOKS_LIKE = {
    "Α": "A",
    "Β": "B",
    "Ε": "E",
    "Ζ": "Z",
    "Η": "H",
    "Ι": "l",
    "Κ": "K",
    "Μ": "M",
    "Ν": "N",
    "Ο": "O",
    "Ρ": "P",
    "Τ": "T",
    "Υ": "Y",
    "Χ": "X",
    "ο": "o",
    "ν": "v",
    "I": "l",
    "1": "l",
    "0": "O",
}


def normalize(name: str) -> str:
    """NFKC, as for Python identifiers: ϕ → φ, ϑ → θ, ϵ → ε."""
    return unicodedata.normalize("NFKC", name)


def skeleton(name: str) -> str:
    """What ``name`` looks like: two names with the same skeleton cannot be told apart."""
    return "".join(_LOOKS_LIKE.get(ch, ch) for ch in normalize(name))


def confusable(names) -> tuple[str, str] | None:
    """The first pair of different names (in the order given) that look alike, or None."""
    seen: dict[str, str] = {}
    for name in names:
        key = skeleton(name)
        other = seen.setdefault(key, name)
        if other != name and normalize(other) != normalize(name):
            return other, name
    return None


def describe(name: str) -> str:
    """``fο`` → ``fο (with the Greek small letter omicron)``: what makes a name unusual."""
    foreign = [ch for ch in name if ord(ch) >= 128]
    if not foreign:
        return name
    what = ", ".join(
        "the " + unicodedata.name(ch, "U+%04X" % ord(ch)).lower().replace("greek", "Greek")
        for ch in dict.fromkeys(foreign)
    )
    return f"{name} (with {what})"


def latex_letter(ch: str) -> str:
    """One character of a name in LaTeX math mode."""
    if ord(ch) < 128:
        return ch
    ch = normalize(ch) if ch not in LATEX_LETTERS else ch
    return LATEX_LETTERS.get(ch, ch)


def latex_name(name: str) -> str:
    """A name in LaTeX math mode: Greek letters as commands LaTeX defines (φ → ``\\varphi``,
    Α → ``\\mathrm{A}``), names of several ASCII letters upright."""
    out = []
    for ch in name:
        tex = latex_letter(ch)
        out.append(tex + " " if tex[:1] == "\\" and tex[-1:] != "}" else tex)
    body = "".join(out).strip()
    plain = all(ord(ch) < 128 for ch in name)
    return body if len(name) == 1 or not plain else r"\operatorname{%s}" % body
