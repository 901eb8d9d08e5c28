"""Side conditions: what an identity needs beyond the Schwartz class.

The Fourier normal form decides identities for Schwartz functions (δ a tempered
distribution). Each algebraic step it takes corresponds to a time-domain rule with a
condition of its own for general functions; this module is the catalogue of those rules,
named after the Mathlib lemma where Mathlib has one. A proof lists the rules used on
either side, each with the subterms where it was used.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Rule", "RULES", "KERNEL_RULES", "SideCondition", "Hypothesis", "Trace"]


@dataclass(frozen=True)
class Rule:
    """A time-domain rule; its docstring-like ``identity`` is the law it encodes."""

    name: str
    identity: str
    lemma: str | None
    condition: str


RULES: dict[str, Rule] = {
    r.name: r
    for r in [
        Rule(
            "convolution_comm",
            "A * B = B * A",
            "MeasureTheory.convolution_flip",
            "none beyond existence: A * B exists at x exactly when B * A does "
            "(MeasureTheory.convolutionExistsAt_flip)",
        ),
        Rule(
            "convolution_assoc",
            "(A * B) * C = A * (B * C)",
            "MeasureTheory.convolution_assoc",
            "Fubini: A * B exists almost everywhere and |A| * (|B| * |C|) is finite at x "
            "(for instance: all factors integrable and one of them bounded)",
        ),
        Rule(
            "convolution_distrib",
            "A * (B + C) = A * B + A * C",
            "MeasureTheory.ConvolutionExists.distrib_add",
            "each convolution of the expanded sum exists (ConvolutionExists)",
        ),
        Rule(
            "convolution_shift",
            "A * τ(B, b) = τ(A * B, b)",
            "MeasureTheory.integral_sub_right_eq_self",
            "none beyond existence: Lebesgue measure is translation invariant",
        ),
        Rule(
            "convolution_deriv",
            "dᵏ(A * B)/dxᵏ = A * dᵏB/dxᵏ",
            "HasCompactSupport.hasDerivAt_convolution_right",
            "the differentiated factor is Cᵏ with compact support and the other factor is "
            "locally integrable (HasCompactSupport.contDiff_convolution_right for k > 1)",
        ),
        Rule(
            "flip_conv",
            "(A * B)⁻ = A⁻ * B⁻",
            "MeasureTheory.integral_neg_eq_self",
            "none beyond existence: Lebesgue measure is invariant under y ↦ −y",
        ),
        Rule(
            "flip_deriv",
            "dᵏ(A⁻)/dxᵏ = (−1)ᵏ (dᵏA/dxᵏ)⁻",
            "deriv_comp_neg",
            "A is k times differentiable (chain rule)",
        ),
        Rule(
            "xcorr_as_conv",
            "A ⋆ B = A⁻ * B  (the notes' (10))",
            "MeasureTheory.integral_neg_eq_self",
            "none beyond existence: the substitution y = −z",
        ),
        Rule(
            "delta_sift",
            "δ(a) * A = τ(A, a), and dᵏδ/dxᵏ * A = dᵏA/dxᵏ",
            "MeasureTheory.integral_dirac",
            "A is continuous (Cᵏ when a derivative of δ acts on it)",
        ),
        Rule(
            "delta_delta",
            "δ(a) * δ(b) = δ(a + b)",
            None,
            "holds for tempered distributions only (no pointwise meaning)",
        ),
        Rule(
            "inner_as_conv",
            "⟨A, B⟩ = (A * B⁻)(0)",
            None,
            "A·B is integrable",
        ),
        Rule(
            "product_rule",
            "d(A·B)/dx = (dA/dx)·B + A·(dB/dx)",
            "deriv_mul",
            "A and B are differentiable (k times for the k-th derivative)",
        ),
        Rule(
            "dilation",
            "∫ A(a x) dx = |a|⁻¹ ∫ A(x) dx, a ≠ 0; (A(a·) * B(a·)) = |a|⁻¹ (A * B)(a·)",
            "MeasureTheory.Measure.integral_comp_mul_left",
            "a ≠ 0 (the statement assumes it); the integrals exist",
        ),
        Rule(
            "fourier_conv",
            "𝓕(A * B) = 𝓕A · 𝓕B  (the convolution theorem)",
            "Real.fourier_bilin_convolution_eq",
            "A and B are integrable (L¹)",
        ),
        Rule(
            "fourier_mul",
            "𝓕(A · B) = (1/2π) 𝓕A * 𝓕B  (angular convention)",
            None,
            "A, B and their transforms are integrable (Schwartz functions are)",
        ),
        Rule(
            "fourier_shift_deriv",
            "𝓕(τ(A, b)) = e^{−iωb} 𝓕A, 𝓕(e^{iνx}A) = τ(𝓕A, ν), 𝓕(dA/dx) = iω 𝓕A, "
            "𝓕(x·A) = i d(𝓕A)/dω, 𝓕(A(a·)) = |a|⁻¹ 𝓕A(·/a)",
            "Real.fourierIntegral_deriv",
            "A integrable; for the derivative rules, A′ (resp. x·A) integrable too",
        ),
        Rule(
            "fourier_inversion",
            "𝓕𝓕A = 2π A⁻, 𝓕⁻¹𝓕A = A  (angular convention)",
            "Continuous.fourier_inversion",
            "A is continuous, and A and 𝓕A are integrable",
        ),
    ]
}

#: The rules of the derivation kernel that rest on a side condition (their assumptions are
#: the certified side conditions of a proof that has a kernel derivation).
KERNEL_RULES: dict[str, Rule] = {
    r.name: r
    for r in [
        Rule(
            "fubini",
            "∫∫ F dz dy = ∫∫ F dy dz",
            "MeasureTheory.integral_integral_swap",
            "the integrand is absolutely integrable over the two variables",
        ),
        Rule(
            "leibniz",
            "dᵏ/dxᵏ ∫ F dy = ∫ ∂ᵏF/∂xᵏ dy",
            "hasFDerivAt_integral_of_dominated_of_fderiv_le",
            "the x-derivatives of the integrand are dominated by an integrable function",
        ),
        Rule(
            "sift",
            "∫ H(y) δ(y − y₀) dy = H(y₀)",
            "MeasureTheory.integral_dirac",
            "H is continuous at y₀",
        ),
        Rule(
            "product_rule",
            "d(U·V)/dx = U′·V + U·V′",
            "HasDerivAt.mul",
            "U and V are differentiable",
        ),
        Rule(
            "by_parts",
            "∫ U′·V dt = −∫ U·V′ dt",
            "MeasureTheory.integral_mul_deriv_eq_deriv_mul_of_integrable",
            "U and V are differentiable and U·V′, U′·V and U·V are integrable",
        ),
        Rule(
            "inversion",
            "∫∫ H(s) e^{iy(αs + β)} ds dy = (2π/|α|)·H(−β/α)",
            "MeasureTheory.Integrable.fourier_inversion",
            "H and its Fourier transform are integrable, and H is continuous at −β/α",
        ),
    ]
}


@dataclass(frozen=True)
class SideCondition:
    """A side condition of a proof: rule used, what it needs, where it was used."""

    rule: str
    identity: str
    lemma: str | None
    condition: str
    where: tuple[str, ...]

    def to_dict(self) -> dict:
        return {
            "rule": self.rule,
            "identity": self.identity,
            "lemma": self.lemma,
            "condition": self.condition,
            "where": list(self.where),
        }

    def __str__(self) -> str:
        lemma = f" [{self.lemma}]" if self.lemma else ""
        where = f" at {'; '.join(self.where)}" if self.where else ""
        return f"{self.rule}{lemma}: {self.condition}{where}"


#: The name the public API has always used (``symconv.Hypothesis``).
Hypothesis = SideCondition


class Trace:
    """Collects the rules a normalisation used, with the subterms where they fired.

    Subterms are kept as SymPy objects and printed only when a proof is reported, so
    tracing costs nothing on large statements.
    """

    MAX_WHERE = 3

    def __init__(self):
        self._uses: dict[str, list] = {}

    def use(self, rule: str, subterm) -> None:
        if rule not in RULES:
            raise KeyError(rule)
        sites = self._uses.setdefault(rule, [])
        if len(sites) < self.MAX_WHERE and subterm not in sites:
            sites.append(subterm)

    def merge(self, other: "Trace") -> "Trace":
        out = Trace()
        for t in (self, other):
            for rule, sites in t._uses.items():
                for s in sites:
                    out.use(rule, s)
        return out

    @property
    def rules(self) -> list[str]:
        return [name for name in RULES if name in self._uses]

    def hypotheses(self) -> tuple[SideCondition, ...]:
        from symconv.language.terms import (
            text,  # printing only when a proof is reported
        )

        out = []
        for name in self.rules:
            r = RULES[name]
            where = tuple(text(s) for s in self._uses[name])
            out.append(SideCondition(r.name, r.identity, r.lemma, r.condition, where))
        return tuple(out)
