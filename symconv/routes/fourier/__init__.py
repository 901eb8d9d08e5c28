"""The Fourier normal form: a decision procedure for identities of the language.

With 𝓕[A](ω) = ∫ A(x) e^{−iωx} dx the notes' operators become algebra — convolution a
product, the flip ω ↦ −ω, a shift a phase e^{−iωb}, a derivative a power of iω — and the
larger language maps the same way: a pointwise product becomes a convolution of the
transforms (with 1/2π), a dilation A(a·) becomes |a|⁻¹𝓕A(ω/a), a modulation a shift of
the transform, the conjugate conj(𝓕A(−ω)), and the transform itself 𝓕𝓕A = 2π A⁻.

A term's *form* (:mod:`~symconv.routes.fourier.forms`) is a sum of monomials of two dual
kinds — convolution products and pointwise products — each canonical modulo
associativity, commutativity and bilinearity of both products, with shifts, dilations,
modulations and derivatives pushed to where they commute; the Fourier transform maps one
kind onto the other (:mod:`~symconv.routes.fourier.operations`). Scalars — values at
points, ∫, inner products — are polynomials in values of the leaves and in ∫ of canonical
pointwise products (:mod:`~symconv.routes.fourier.scalars`).

**Sound everywhere**: every rewrite is an identity for Schwartz functions (δ a tempered
distribution), so equal forms mean an identity. **Complete on the notes' fragment**: for
linear combinations of convolutions (and cross-correlations) of flipped, shifted,
differentiated functions and δs, the forms are the Fourier images Σ c(ω) Π F_f(±ω), and
at a fixed ω ≠ 0 the values F_f(±ω), F_g(±ω)… of Schwartz functions can be chosen
independently, so two terms are equal iff their forms agree (for generic parameters).
Outside that fragment — pointwise products, dilations, modulations, transforms, scalars —
a difference of forms is only a lead: the decision says so (``complete=False``), and the
engine calls the statement false only with a replayed counterexample.

Everything here is exact SymPy arithmetic on small pieces: no ``simplify``, no
``integrate``.
"""

from symconv.routes.fourier.decide import (
    OMEGA,
    Decision,
    Monomial,
    decide,
    form_expr,
    normal_form,
    show,
)
from symconv.routes.fourier.forms import MAX_KEYS, FormTooLarge

__all__ = [
    "OMEGA",
    "MAX_KEYS",
    "FormTooLarge",
    "Decision",
    "Monomial",
    "decide",
    "form_expr",
    "normal_form",
    "show",
]
