"""Beyond the notes: the Fourier transform and the larger language (pointwise products,
dilation, modulation, conjugation), with each convention's constants.

By default f̂(ω) = ∫ f(x) e^{−iωx} dx (``angular``); ``unitary`` puts 1/√(2π) in front,
``ordinary`` is ∫ f(x) e^{−2πixξ} dx (Mathlib's ``Real.fourierIntegral``). Functions are
real-valued unless declared ``complex``.
"""

from symconv.engine.obligation import Obligation

_LIT = "the Fourier transform (beyond the notes)"


def _ob(id, statement, expect, source, title):
    return Obligation(id, statement, expect, source=source, title=title)


OBLIGATIONS = [
    # the convolution theorem and its dual, in each convention
    _ob(
        "fourier.conv-theorem",
        "fourier(conv(f, g)) == mul(fourier(f), fourier(g))",
        "proved",
        f"{_LIT}; Mathlib: Real.fourier_bilin_convolution_eq",
        "the convolution theorem: 𝓕(f * g) = 𝓕f · 𝓕g",
    ),
    _ob(
        "fourier.conv-theorem.unitary",
        "convention unitary: fourier(conv(f, g)) == sqrt(2*pi)*mul(fourier(f), fourier(g))",
        "proved",
        _LIT,
        "the convolution theorem, unitary convention: a factor √(2π)",
    ),
    _ob(
        "fourier.conv-theorem.ordinary",
        "convention ordinary: fourier(conv(f, g)) == mul(fourier(f), fourier(g))",
        "proved",
        _LIT,
        "the convolution theorem, ordinary frequency: no constant",
    ),
    _ob(
        "fourier.product-theorem",
        "fourier(mul(f, g)) == conv(fourier(f), fourier(g))/(2*pi)",
        "proved",
        _LIT,
        "the dual: a product becomes a convolution, with 1/2π",
    ),
    _ob(
        "fourier.product-theorem.unitary",
        "convention unitary: fourier(mul(f, g)) == conv(fourier(f), fourier(g))/sqrt(2*pi)",
        "proved",
        _LIT,
        "the dual, unitary convention: 1/√(2π)",
    ),
    _ob(
        "fourier.product-theorem.ordinary",
        "convention ordinary: fourier(mul(f, g)) == conv(fourier(f), fourier(g))",
        "proved",
        _LIT,
        "the dual, ordinary frequency: no constant",
    ),
    # correlation, Wiener–Khinchin
    _ob(
        "fourier.correlation-theorem",
        "complex f, g: fourier(xcorr(f, g)) == mul(conj(fourier(f)), fourier(g))",
        "proved",
        _LIT,
        "the correlation theorem: 𝓕(f ⋆ g) = conj(𝓕f) · 𝓕g (f ⋆ g conjugates f)",
    ),
    _ob(
        "fourier.wiener-khinchin",
        "fourier(xcorr(f, f)) == mul(conj(fourier(f)), fourier(f))",
        "proved",
        _LIT,
        "Wiener–Khinchin: the transform of the autocorrelation is |𝓕f|²",
    ),
    # Parseval and Plancherel, each convention's constant
    _ob(
        "fourier.parseval",
        "complex f, g: inner(f, conj(g)) == inner(fourier(f), conj(fourier(g)))/(2*pi)",
        "proved",
        _LIT,
        "Parseval: ∫ f ḡ = (1/2π) ∫ 𝓕f · conj(𝓕g)",
    ),
    _ob(
        "fourier.plancherel",
        "complex f: inner(f, conj(f)) == inner(fourier(f), conj(fourier(f)))/(2*pi)",
        "proved",
        _LIT,
        "Plancherel: ∫ |f|² = (1/2π) ∫ |𝓕f|²",
    ),
    _ob(
        "fourier.plancherel.unitary",
        "convention unitary: complex f: inner(f, conj(f)) == inner(fourier(f), conj(fourier(f)))",
        "proved",
        _LIT,
        "Plancherel, unitary convention: the transform is an isometry",
    ),
    _ob(
        "fourier.plancherel.ordinary",
        "convention ordinary: complex f: inner(f, conj(f)) == inner(fourier(f), conj(fourier(f)))",
        "proved",
        _LIT,
        "Plancherel, ordinary frequency: the transform is an isometry",
    ),
    # inversion
    _ob(
        "fourier.twice",
        "fourier(fourier(f)) == 2*pi*flip(f)",
        "proved",
        f"{_LIT}; Mathlib: Continuous.fourier_inversion",
        "transforming twice flips and multiplies by 2π",
    ),
    _ob(
        "fourier.twice.unitary",
        "convention unitary: fourier(fourier(f)) == flip(f)",
        "proved",
        _LIT,
        "… and only flips in the unitary convention",
    ),
    _ob(
        "fourier.inversion",
        "ifourier(fourier(f)) == f",
        "proved",
        f"{_LIT}; Mathlib: Continuous.fourier_inversion",
        "the inverse transform undoes the transform",
    ),
    _ob(
        "fourier.inversion.ordinary",
        "convention ordinary: fourier(ifourier(f)) == f",
        "proved",
        _LIT,
        "… in the ordinary-frequency convention, both ways",
    ),
    # shift ↔ modulation, derivative ↔ multiplication, scaling
    _ob(
        "fourier.shift",
        "fourier(shift(f, b)) == modulate(fourier(f), -b)",
        "proved",
        _LIT,
        "a shift becomes a phase: 𝓕(τ(f, b))(ω) = e^{−iωb} 𝓕f(ω)",
    ),
    _ob(
        "fourier.modulation",
        "fourier(modulate(f, nu)) == shift(fourier(f), nu)",
        "proved",
        _LIT,
        "a modulation becomes a shift of the transform",
    ),
    _ob(
        "fourier.derivative",
        "fourier(diff(f)) == I*mul(id, fourier(f))",
        "proved",
        f"{_LIT}; Mathlib: Real.fourierIntegral_deriv",
        "a derivative becomes multiplication by iω",
    ),
    _ob(
        "fourier.derivative.k",
        "fourier(diff(conv(f, g), k)) == mul(fourier(diff(f, k)), fourier(g))",
        "proved",
        _LIT,
        "with a symbolic order k: 𝓕(dᵏ(f * g)/dxᵏ) = 𝓕(dᵏf/dxᵏ) · 𝓕g",
    ),
    _ob(
        "fourier.multiplication",
        "fourier(mul(id, f)) == I*diff(fourier(f))",
        "proved",
        _LIT,
        "multiplication by x becomes i d/dω",
    ),
    _ob(
        "fourier.scaling",
        "fourier(scale(f, a)) == scale(fourier(f), 1/a)/abs(a)",
        "proved",
        _LIT,
        "the scaling theorem: 𝓕(f(a·)) = |a|⁻¹ 𝓕f(·/a)",
    ),
    _ob(
        "scale.conv",
        "conv(scale(f, a), scale(g, a)) == scale(conv(f, g), a)/abs(a)",
        "proved",
        _LIT,
        "dilating both factors dilates the convolution, with |a|⁻¹",
    ),
    # products, integrals
    _ob(
        "mul.leibniz",
        "diff(mul(f, g)) == mul(diff(f), g) + mul(f, diff(g))",
        "proved",
        "the product rule; Mathlib: deriv_mul",
        "the derivative of a pointwise product",
    ),
    _ob(
        "integral.as-transform",
        "integral(f) == fourier(f)(0)",
        "proved",
        _LIT,
        "∫ f = 𝓕f(0)",
    ),
    _ob(
        "integral.conv",
        "integral(conv(f, g)) == integral(f)*integral(g)",
        "proved",
        "Mathlib: MeasureTheory.integral_convolution",
        "the integral of a convolution is the product of the integrals",
    ),
    _ob(
        "convpow.transform",
        "fourier(convpow(f, 3)) == mul(mul(fourier(f), fourier(f)), fourier(f))",
        "proved",
        _LIT,
        "an iterated convolution becomes a power of the transform",
    ),
    # the wrong variants, refuted with replayed counterexamples
    _ob(
        "fourier.plancherel.wrong-constant",
        "complex f: inner(f, conj(f)) == inner(fourier(f), conj(fourier(f)))",
        "refuted",
        _LIT,
        "Plancherel without its 1/2π (right in the unitary and ordinary conventions only)",
    ),
    _ob(
        "fourier.plancherel.unitary.wrong-constant",
        "convention unitary: complex f: inner(f, conj(f)) == inner(fourier(f), conj(fourier(f)))/(2*pi)",
        "refuted",
        _LIT,
        "… and with it in the unitary convention, where it does not belong",
    ),
    _ob(
        "fourier.product-theorem.wrong-constant",
        "fourier(mul(f, g)) == conv(fourier(f), fourier(g))",
        "refuted",
        _LIT,
        "the dual without its 1/2π",
    ),
    _ob(
        "fourier.product-is-not-product",
        "fourier(mul(f, g)) == mul(fourier(f), fourier(g))",
        "refuted",
        _LIT,
        "the transform of a product is not the product of the transforms",
    ),
    _ob(
        "mul.conv.not-associative",
        "mul(conv(f, g), h) == conv(f, mul(g, h))",
        "refuted",
        _LIT,
        "(f * g)·h ≠ f * (g·h): the two products do not associate",
    ),
    _ob(
        "mul.conv.not-associative.not-identity",
        "mul(conv(f, g), h) != conv(f, mul(g, h))",
        "proved",
        _LIT,
        "… stated as a non-identity, proved by the same counterexample",
    ),
    _ob(
        "scale.conv.missing-factor",
        "conv(scale(f, 2), scale(g, 2)) == scale(conv(f, g), 2)",
        "refuted",
        _LIT,
        "dilating a convolution without the |a|⁻¹",
    ),
    _ob(
        "fourier.twice.wrong",
        "fourier(fourier(f)) == 2*pi*f",
        "refuted",
        _LIT,
        "transforming twice flips: without the flip it fails for a function that is not even",
    ),
]
