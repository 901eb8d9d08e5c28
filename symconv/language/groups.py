"""The group a statement is about: ℝ (the default), ℝⁿ, ℤ, ℤⁿ, ℤ/N.

Convolution, cross-correlation, flips, shifts, δ and inner products mean the same on every
locally compact abelian group — an integral for Lebesgue measure on ℝⁿ, a sum for counting
measure on ℤⁿ and ℤ/N — and the Fourier transform is the group's own: the n-dimensional
transform on ℝⁿ (the dual group is ℝⁿ again) and the DFT on ℤ/N (dual ℤ/N). On ℤ the dual
is the circle, a different group, so a transform of a sequence is not a term of the
language there. Each group says which operators have a meaning on it (:meth:`Group.refuses`)
and the constant its transform carries (:attr:`Group.measure`: 2π per dimension on ℝⁿ and
ℤⁿ, N on ℤ/N).
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

__all__ = ["Group", "R", "GroupError", "CONVENTIONS", "DEFAULT_CONVENTION"]

#: The conventions of the Fourier transform, as (A, B) in  f̂(ω) = A ∫ f(x) e^{−iBωx} dx.
#: ``angular`` is the default; ``unitary`` is the unitary angular one; ``ordinary`` is the
#: ordinary-frequency transform ∫ f(x) e^{−2πixξ} dx (Mathlib's ``Real.fourierIntegral``).
CONVENTIONS = {
    "angular": (sp.S.One, sp.S.One),
    "unitary": (1 / sp.sqrt(2 * sp.pi), sp.S.One),
    "ordinary": (sp.S.One, 2 * sp.pi),
}
DEFAULT_CONVENTION = "angular"


_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
#: The largest dimension of ℝⁿ and ℤⁿ.
MAX_DIM = 3


class GroupError(ValueError):
    """A group that symconv does not know, or an operator with no meaning on it."""


@dataclass(frozen=True)
class Group:
    """``kind`` is ``"R"``, ``"Z"`` or ``"ZN"``; ``dim`` the n of ℝⁿ, ℤⁿ; ``modulus`` the N
    of ℤ/N (a positive integer or a positive-integer symbol)."""

    kind: str = "R"
    dim: int = 1
    modulus: sp.Expr | None = None

    def __post_init__(self):
        if self.kind not in ("R", "Z", "ZN"):
            raise GroupError(f"unknown group kind {self.kind!r}")
        if not 1 <= self.dim <= MAX_DIM:
            raise GroupError(f"dimensions 1 to {MAX_DIM} are supported, not {self.dim}")
        if (self.kind == "ZN") != (self.modulus is not None):
            raise GroupError("ℤ/N needs its modulus N, and only ℤ/N has one")
        if self.kind == "ZN":
            n = self.modulus
            if not ((n.is_Integer and n >= 1) or (n.is_Symbol and n.is_integer and n.is_positive)):
                raise GroupError(f"the modulus of ℤ/N must be a positive integer, not {n}")
            if self.dim != 1:
                raise GroupError("(ℤ/N)ⁿ is not supported; use ℤ/N")

    @property
    def discrete(self) -> bool:
        return self.kind != "R"

    @property
    def self_dual(self) -> bool:
        """The transform maps functions on the group to functions on the group."""
        return self.kind in ("R", "ZN")

    @property
    def measure(self) -> sp.Expr:
        """The constant of the transform: 𝓕𝓕f = measure · f⁻, 𝓕(f·g) = 𝓕f * 𝓕g / measure."""
        if self.kind == "ZN":
            return self.modulus
        return (2 * sp.pi) ** self.dim

    @property
    def function_class(self) -> str:
        """The functions a proved identity holds for, in the vocabulary of the formal
        libraries (the side conditions of each rule say what a general function needs)."""
        if self.kind == "ZN":
            return f"every function on {self} (no condition: the sums are finite)"
        if self.kind == "Z":
            return f"every finitely supported function on {self} (ℓ¹ where the sums converge absolutely)"
        return f"every Schwartz function on {self} (δ a tempered distribution)"

    def transform_constants(self, convention: str) -> tuple[sp.Expr, sp.Expr]:
        """(A, B) of the group's transform in a convention: 𝓕f(ω) = A Σ/∫ f(x) e(−B ω x),
        with e the group's characters (e^{iωx} on ℝⁿ; e^{2πiωx/N} on ℤ/N, where the
        conventions differ only in A: 1, or 1/√N for ``unitary``)."""
        if self.kind == "ZN":
            return (1 / sp.sqrt(self.modulus) if convention == "unitary" else sp.S.One), sp.S.One
        a, b = CONVENTIONS[convention]
        return a**self.dim, b

    def refuses(self, operator: str) -> str | None:
        """Why ``operator`` has no meaning on this group, or None."""
        name = str(self)
        if self.kind == "Z" and operator in ("fourier", "ifourier"):
            return (
                f"the transform of a function on {name} is a function on the circle, another "
                "group: it is not a term of the language here"
            )
        if self.discrete and operator in ("diff", "scale"):
            what = "a derivative" if operator == "diff" else "a dilation"
            hint = " (a difference τ(f, 1) − f is)" if operator == "diff" else ""
            return f"{what} of a function on {name} is not defined{hint}"
        if operator in ("downsample", "upsample") and self.kind != "Z":
            why = "use scale(f, s)" if self.kind == "R" else "it would leave ℤ/N"
            return f"{operator} is the sampling of a strided layer, defined on ℤⁿ; on {name} {why}"
        if self.kind == "ZN" and operator == "id":
            return f"x ↦ x is not a function on {name} (it is not periodic)"
        if self.dim > 1 and operator in ("diff", "id"):
            what = "a derivative" if operator == "diff" else "x ↦ x"
            return f"{what} on {name} needs a direction; only the one-dimensional forms are in the language"
        return None

    def __str__(self) -> str:
        if self.kind == "ZN":
            return f"ℤ/{self.modulus}"
        base = "ℝ" if self.kind == "R" else "ℤ"
        return base if self.dim == 1 else base + str(self.dim).translate(_SUPERSCRIPTS)

    def text(self) -> str:
        """The group in the statement syntax: ``R``, ``R^2``, ``Z``, ``Z/8``, ``Z/N``."""
        if self.kind == "ZN":
            return f"Z/{self.modulus}"
        base = "R" if self.kind == "R" else "Z"
        return base if self.dim == 1 else f"{base}^{self.dim}"

    def latex(self) -> str:
        if self.kind == "ZN":
            return r"\mathbb{Z}/%s" % sp.latex(self.modulus)
        base = r"\mathbb{R}" if self.kind == "R" else r"\mathbb{Z}"
        return base if self.dim == 1 else base + "^{%d}" % self.dim


#: The real line, the group of the notes.
R = Group()
