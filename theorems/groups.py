"""Beyond the notes: the same algebra on other groups — sequences (ℤ), images (ℤ², ℝ²) and
circular signals (ℤ/N) — decided for every function, not on instances.

* the discrete and circular forms of the notes' (2)–(7), (10)–(12) (a derivative has no
  meaning on ℤ; its discrete form is the difference Δf = τ(f, 1) − f);
* the laws of LeanAPAP's discrete convolution (``Analysis.Discrete``: ``conv_conjneg``,
  ``dconv_right_comm``, ``conv_dconv_assoc``), where the difference convolution is
  f ○ g = f * conjneg g, i.e. (f ○ g)(a) = Σ_t f(a + t) conj(g(t)) = (g ⋆ f)(a) here;
* the circular convolution theorem through the DFT, and the DFT's inversion and Parseval;
* separable kernels: the 2-D Gaussian and the 3×3 box as a row kernel convolved with a
  column kernel, so that an image is convolved with them row by row, then column by column;
* the layers of a convolutional network on ℤ² with stride, dilation, padding and channels:
  the layer as a cross-correlation, its gradients as a (transposed) convolution and a
  cross-correlation, and what each needs;

each with wrong variants that are refuted by replayed counterexamples. ``N`` in ``Z/N`` is
a name: a proof holds for every N, and one N refutes.
"""

from symconv.engine.obligation import Obligation
from symconv.routes.discrete.dft import CircularConvolutionTheorem
from symconv.routes.discrete.separable import SeparableKernel
from symconv.routes.discrete.strided import LayerAgainstFrameworks

_NOTES = "the notes' {} on {}"
_APAP = "LeanAPAP (YaelDillies/LeanAPAP), Analysis.Discrete.{}"


def _ob(id, statement, expect, source, title):
    return Obligation(id, statement, expect, source=source, title=title)


def _notes_laws(tag: str, group: str) -> list:
    """(2)–(7), (10)–(12) and wrong variants on one group."""
    over = f"over {group}: "
    src = lambda eq: _NOTES.format(eq, group)  # noqa: E731
    return [
        _ob(f"groups.{tag}.conv.comm", over + "f*g = g*f", "proved", src("(2), (4)"), "convolution is commutative"),
        _ob(f"groups.{tag}.conv.shift", over + "τ(f*g, b) = f*τ(g, b)", "proved", src("(3)"), "time invariance"),
        _ob(
            f"groups.{tag}.conv.shift.both",
            over + "τ(f*g, b) = τ(f, b)*τ(g, b)",
            "refuted",
            src("(3), a wrong variant"),
            "shifting both factors shifts the convolution twice",
        ),
        _ob(f"groups.{tag}.conv.assoc", over + "(f*g)*h = f*(g*h)", "proved", src("(5)"), "convolution is associative"),
        _ob(f"groups.{tag}.conv.distrib", over + "f*(g + h) = f*g + f*h", "proved", src("(6)"), "convolution distributes over +"),
        _ob(
            f"groups.{tag}.conv.difference",
            over + "τ(f*g, 1) - f*g = f*(τ(g, 1) - g)",
            "proved",
            src("(7), the difference Δ = τ(·, 1) − id for d/dx"),
            "the difference of a convolution falls on one factor",
        ),
        _ob(
            f"groups.{tag}.conv.difference.both",
            over + "τ(f*g, 1) - f*g = (τ(f, 1) - f)*(τ(g, 1) - g)",
            "refuted",
            src("(7), a wrong variant"),
            "the difference does not fall on both factors",
        ),
        _ob(f"groups.{tag}.conv.delta", over + "f*δ(a) = τ(f, a)", "proved", src("(8)"), "convolving with δ(a) shifts by a"),
        _ob(f"groups.{tag}.xcorr.as-conv", over + "f⋆g = f⁻*g", "proved", src("(10)"), "cross-correlation is convolution with the flip"),
        _ob(f"groups.{tag}.xcorr.chain.2", over + "f⁻*g = g*f⁻", "proved", src("(11), second link"), "(11): f⁻*g = g*f⁻"),
        _ob(f"groups.{tag}.xcorr.chain.3", over + "g*f⁻ = g⁻*f", "refuted", src("(11), third link"), "(11): g*f⁻ = g⁻*f fails"),
        _ob(f"groups.{tag}.xcorr.comm", over + "f⋆g = g⋆f", "refuted", src("(11)"), "cross-correlation is not commutative"),
        _ob(f"groups.{tag}.xcorr.swap", over + "g⋆f = (f⋆g)⁻", "proved", src("(11), what holds"), "swapping the factors flips"),
        _ob(f"groups.{tag}.xcorr.assoc", over + "(f⋆g)⋆h = f⋆(g⋆h)", "refuted", src("(12)"), "cross-correlation is not associative"),
    ]


def _apap_laws(tag: str, group: str) -> list:
    over = f"over {group}: complex f, g, h: "
    return [
        _ob(
            f"groups.{tag}.apap.conv_conjneg",
            over + "conv(f, conj(flip(g))) = xcorr(g, f)",
            "proved",
            _APAP.format("conv_conjneg"),
            "f ∗ conjneg g = f ○ g",
        ),
        _ob(
            f"groups.{tag}.apap.conv_conjneg.no-conj",
            over + "conv(f, flip(g)) = xcorr(g, f)",
            "refuted",
            _APAP.format("conv_conjneg") + ", without the conjugate",
            "f ∗ g⁻ = f ○ g fails for complex g",
        ),
        _ob(
            f"groups.{tag}.apap.dconv_right_comm",
            over + "xcorr(h, xcorr(g, f)) = xcorr(g, xcorr(h, f))",
            "proved",
            _APAP.format("dconv_right_comm"),
            "f ○ g ○ h = f ○ h ○ g",
        ),
        _ob(
            f"groups.{tag}.apap.dconv_left_comm.false",
            over + "xcorr(xcorr(h, g), f) = xcorr(xcorr(h, f), g)",
            "refuted",
            _APAP.format("dconv_right_comm") + ", the left-hand analogue",
            "f ○ (g ○ h) = g ○ (f ○ h) fails",
        ),
        _ob(
            f"groups.{tag}.apap.conv_dconv_assoc",
            over + "xcorr(h, conv(f, g)) = conv(f, xcorr(h, g))",
            "proved",
            _APAP.format("conv_dconv_assoc"),
            "f ∗ g ○ h = f ∗ (g ○ h)",
        ),
    ]


_DFT = "the DFT on ℤ/N (beyond the notes)"
_LAYER = "the closing remark of section 4.1, for every finite image (ℤ²)"

OBLIGATIONS = (
    _notes_laws("z", "Z")
    + _notes_laws("zn", "Z/N")
    + [
        _ob("groups.z2.conv.comm", "over Z^2: f*g = g*f", "proved", _NOTES.format("(2)", "ℤ²"), "convolution of images is commutative"),
        _ob("groups.z2.xcorr.as-conv", "over Z^2: f⋆g = f⁻*g", "proved", _NOTES.format("(10)", "ℤ²"), "(10) for images"),
        _ob("groups.z2.xcorr.assoc", "over Z^2: (f⋆g)⋆h = f⋆(g⋆h)", "refuted", _NOTES.format("(12)", "ℤ²"), "(12) for images"),
        _ob("groups.r2.conv.assoc", "over R^2: (f*g)*h = f*(g*h)", "proved", _NOTES.format("(5)", "ℝ²"), "convolution on ℝ² is associative"),
        _ob("groups.r2.xcorr.comm", "over R^2: f⋆g = g⋆f", "refuted", _NOTES.format("(11)", "ℝ²"), "cross-correlation on ℝ² is not commutative"),
    ]
    + _apap_laws("z", "Z")
    + _apap_laws("zn", "Z/N")
    + [
        # the circular convolution theorem and the DFT
        _ob("groups.dft.conv-theorem", "over Z/N: fourier(conv(f, g)) = mul(fourier(f), fourier(g))", "proved", _DFT, "𝓕(f * g) = 𝓕f · 𝓕g on ℤ/N"),
        _ob("groups.dft.product-theorem", "over Z/N: fourier(mul(f, g)) = conv(fourier(f), fourier(g))/N", "proved", _DFT, "𝓕(f · g) = 𝓕f * 𝓕g / N"),
        _ob(
            "groups.dft.product-theorem.no-N",
            "over Z/N: fourier(mul(f, g)) = conv(fourier(f), fourier(g))",
            "refuted",
            _DFT + ", a wrong variant",
            "the product theorem needs 1/N",
        ),
        _ob("groups.dft.xcorr-theorem", "over Z/N: fourier(xcorr(f, g)) = mul(conj(fourier(f)), fourier(g))", "proved", _DFT, "𝓕(f ⋆ g) = conj(𝓕f) · 𝓕g for real f"),
        _ob("groups.dft.inversion", "over Z/N: ifourier(fourier(f)) = f", "proved", _DFT, "the inverse DFT undoes the DFT"),
        _ob("groups.dft.twice", "over Z/N: fourier(fourier(f)) = N*flip(f)", "proved", _DFT, "𝓕𝓕f = N f⁻"),
        _ob("groups.dft.twice.no-N", "over Z/N: fourier(fourier(f)) = flip(f)", "refuted", _DFT + ", a wrong variant", "𝓕𝓕f = f⁻ needs the factor N"),
        _ob("groups.dft.shift", "over Z/N: fourier(shift(f, b)) = modulate(fourier(f), -b)", "proved", _DFT, "a shift becomes a phase"),
        _ob("groups.dft.modulate", "over Z/N: fourier(modulate(f, k)) = shift(fourier(f), k)", "proved", _DFT, "a modulation becomes a shift"),
        _ob(
            "groups.dft.parseval",
            "over Z/N: complex f, g: N*inner(f, conj(g)) = inner(fourier(f), conj(fourier(g)))",
            "proved",
            _DFT,
            "Parseval on ℤ/N: N Σ f ḡ = Σ 𝓕f conj(𝓕g)",
        ),
        _ob(
            "groups.dft.parseval.no-N",
            "over Z/N: complex f, g: inner(f, conj(g)) = inner(fourier(f), conj(fourier(g)))",
            "refuted",
            _DFT + ", a wrong variant",
            "Parseval on ℤ/N needs the factor N",
        ),
        _ob("groups.dft.numpy", CircularConvolutionTheorem(), "checked", _DFT, "the exact DFT and the theorem against numpy.fft on random arrays"),
        # circular signals: a shift by the period is no shift
        _ob("groups.zn.shift-period", "over Z/N: shift(f, N) = f", "proved", "circular signals on ℤ/N", "τ(f, N) = f: the signal is periodic"),
        _ob("groups.zn.shift-mod", "over Z/8: shift(f*g, 11) = shift(f, 3)*g", "proved", "circular signals on ℤ/8", "shifts add modulo 8"),
        _ob("groups.zn.shift-half", "over Z/8: shift(f, 4) = f", "refuted", "circular signals on ℤ/8, a wrong variant", "half the period is a shift"),
        # separable kernels
        _ob("groups.separable.box", SeparableKernel("box"), "proved", "image processing on ℤ²", "the 3×3 box is a row box * a column box"),
        _ob("groups.separable.plus", SeparableKernel("plus"), "refuted", "image processing on ℤ², a wrong variant", "the 5-point cross is not its row * its column"),
        _ob("groups.separable.gaussian", SeparableKernel("gaussian"), "proved", "image processing on ℝ²", "the 2-D Gaussian is a row Gaussian * a column Gaussian"),
        _ob(
            "groups.separable.gaussian.wide",
            SeparableKernel("gaussian-wide"),
            "refuted",
            "image processing on ℝ², a wrong variant",
            "the 1-D factors of e^{−(x²+y²)} are e^{−x²} and e^{−y²}, not e^{−x²/2}, e^{−y²/2}",
        ),
        # the layers of a network on ℤ²
        _ob(
            "groups.layer.xcorr-as-conv",
            "over Z^2: xcorr(w, x) = conv(flip(w), x)",
            "proved",
            _LAYER,
            "what a layer computes, w ⋆ x, is the convolution w⁻ * x, for every image and kernel",
        ),
        _ob(
            "groups.layer.not-conv",
            "over Z^2: xcorr(w, x) != conv(w, x)",
            "proved",
            _LAYER,
            "… and not the notes' convolution w * x: a replayed pair of images where they differ",
        ),
        _ob(
            "groups.layer.grad-input",
            "over Z^2: inner(xcorr(w, x), h) = inner(x, conv(w, h))",
            "proved",
            _LAYER + ", stride 1",
            "∇ₓ⟨w ⋆ x, h⟩ = w * h: the transposed convolution",
        ),
        _ob(
            "groups.layer.grad-input.xcorr",
            "over Z^2: inner(xcorr(w, x), h) = inner(x, xcorr(w, h))",
            "refuted",
            _LAYER + ", a wrong variant",
            "the input gradient is not w ⋆ h",
        ),
        _ob(
            "groups.layer.grad-weights",
            "over Z^2: inner(xcorr(w, x), h) = inner(w, xcorr(h, x))",
            "proved",
            _LAYER + ", stride 1",
            "∇_w⟨w ⋆ x, h⟩ = h ⋆ x: the layer applied to x with the output gradient as kernel",
        ),
        _ob(
            "groups.layer.grad-weights.swapped",
            "over Z^2: inner(xcorr(w, x), h) = inner(w, xcorr(x, h))",
            "refuted",
            _LAYER + ", a wrong variant",
            "the weight gradient is h ⋆ x, not x ⋆ h",
        ),
        _ob(
            "groups.layer.stride.grad-input",
            "over Z^2: inner(downsample(xcorr(w, x), s), h) = inner(x, conv(w, upsample(h, s)))",
            "proved",
            _LAYER + ", stride s",
            "with stride s: ∇ₓ = w * (h with s − 1 zeros between values)",
        ),
        _ob(
            "groups.layer.stride.plain-adjoint",
            "over Z^2: inner(downsample(xcorr(w, x), s), h) = inner(x, conv(w, h))",
            "refuted",
            _LAYER + ", a wrong variant",
            "the plain adjoint needs stride 1",
        ),
        _ob(
            "groups.layer.stride.grad-weights",
            "over Z^2: inner(downsample(xcorr(w, x), s), h) = inner(w, xcorr(upsample(h, s), x))",
            "proved",
            _LAYER + ", stride s",
            "with stride s: ∇_w = (upsampled h) ⋆ x",
        ),
        _ob(
            "groups.layer.dilation.grad-input",
            "over Z^2: inner(xcorr(upsample(w, d), x), h) = inner(x, conv(upsample(w, d), h))",
            "proved",
            _LAYER + ", dilation d",
            "a dilated kernel is the upsampled kernel; ∇ₓ = (upsampled w) * h",
        ),
        _ob(
            "groups.layer.dilation.grad-weights",
            "over Z^2: inner(xcorr(upsample(w, d), x), h) = inner(w, downsample(xcorr(h, x), d))",
            "proved",
            _LAYER + ", dilation d",
            "∇_w = every d-th value of h ⋆ x",
        ),
        _ob(
            "groups.layer.padding.grad-input",
            "over Z^2: inner(shift(xcorr(w, x), p), h) = inner(x, conv(w, shift(h, -p)))",
            "proved",
            _LAYER + ", padding p",
            "zero padding p shifts the output by p and the gradient back",
        ),
        _ob(
            "groups.layer.general.grad-input",
            "over Z^2: inner(downsample(shift(xcorr(upsample(w, d), x), p), s), h)"
            " = inner(x, conv(upsample(w, d), shift(upsample(h, s), -p)))",
            "proved",
            _LAYER + ", stride s, dilation d, padding p",
            "conv_transpose2d is the adjoint of conv2d",
        ),
        _ob(
            "groups.layer.general.grad-weights",
            "over Z^2: inner(downsample(shift(xcorr(upsample(w, d), x), p), s), h)"
            " = inner(w, downsample(xcorr(shift(upsample(h, s), -p), x), d))",
            "proved",
            _LAYER + ", stride s, dilation d, padding p",
            "the weight gradient of a general layer",
        ),
        _ob(
            "groups.layer.channels",
            "over Z^2: inner(xcorr(w11, x1) + xcorr(w12, x2), h1) + inner(xcorr(w21, x1) + xcorr(w22, x2), h2)"
            " = inner(x1, conv(w11, h1) + conv(w21, h2)) + inner(x2, conv(w12, h1) + conv(w22, h2))",
            "proved",
            _LAYER + ", two input and two output channels",
            "channels: ∇ for input channel c is Σ_o w_oc * h_o",
        ),
        _ob(
            "groups.layer.channels.transposed-wrong",
            "over Z^2: inner(xcorr(w11, x1) + xcorr(w12, x2), h1) + inner(xcorr(w21, x1) + xcorr(w22, x2), h2)"
            " = inner(x1, conv(w11, h1) + conv(w12, h2)) + inner(x2, conv(w21, h1) + conv(w22, h2))",
            "refuted",
            _LAYER + ", a wrong variant",
            "the channel indices of the kernel are transposed in the gradient",
        ),
        _ob(
            "groups.layer.frameworks",
            LayerAgainstFrameworks(),
            "checked",
            _LAYER,
            "the terms above against torch conv2d / conv_transpose2d and autograd (NumPy without PyTorch)",
        ),
    ]
)
