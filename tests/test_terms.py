"""Printing, unfolding and well-formedness of the term language."""

import pytest
import sympy as sp

from symconv.language.terms import (
    At,
    Conv,
    Delta,
    Diff,
    Flip,
    Fn,
    Fourier,
    Inner,
    Product,
    Shift,
    Statement,
    TermError,
    Xcorr,
    functions,
    kind_of,
    latex,
    order_symbol,
    param_symbol,
    text,
    unicode,
)
from symconv.language.unfold import X, unfold

f, g, h = functions("f g h")
a, b = param_symbol("a"), param_symbol("b")
k = order_symbol("k")


@pytest.mark.parametrize(
    "term, s, pretty, tex",
    [
        (Conv(f, g), "f * g", "f * g", "f * g"),
        (Xcorr(f, g), "f ⋆ g", "f ⋆ g", r"f \star g"),
        (Flip(f), "f⁻", "f⁻", "{f}^{-}"),
        (Flip(Conv(f, g)), "(f * g)⁻", "(f * g)⁻", r"{\left(f * g\right)}^{-}"),
        (Shift(g, b), "τ(g, b)", "τ(g, b)", r"\tau\left(g, b\right)"),
        (Diff(g, k), "diff(g, k)", "dᵏg/dxᵏ", r"\frac{d^{k}}{dx^{k}} g"),
        (Diff(g), "diff(g)", "dg/dx", r"\frac{d}{dx} g"),
        (Delta(a), "δ(a)", "δ(a)", r"\delta\left(a\right)"),
        (Delta(), "δ", "δ", r"\delta"),
        (At(Conv(f, Delta()), a), "(f * δ)(a)", "(f * δ)(a)", None),
        (Inner(f, g), "inner(f, g)", "⟨f, g⟩", r"\left\langle f, g \right\rangle"),
        (Conv(Conv(f, g), h), "(f * g) * h", "(f * g) * h", None),
        (Conv(f, Conv(g, h)), "f * (g * h)", "f * (g * h)", None),
        (Conv(f, g + h), "f * (g + h)", "f * (g + h)", None),
        (2 * Conv(f, g), "2*(f * g)", "2*(f * g)", r"2 \left(f * g\right)"),
    ],
)
def test_printing_in_the_notes_notation(term, s, pretty, tex):
    assert text(term) == s
    assert unicode(term) == pretty
    if tex is not None:
        assert latex(term) == tex


def test_python_star_between_functions_is_convolution():
    assert f * g == Conv(f, g)
    assert (2 * f) * g == Conv(2 * f, g)
    assert kind_of(3 * f) == "function"
    assert f(a) == At(f, a)


def test_pointwise_product_is_refused():
    with pytest.raises(TermError, match="pointwise product"):
        kind_of(sp.Mul(f, g))


@pytest.mark.parametrize(
    "build",
    [
        lambda: Conv(f, a),
        lambda: Shift(f, g),
        lambda: Diff(f, 0),
        lambda: Diff(f, sp.Rational(1, 2)),
        lambda: Diff(f, param_symbol("r")),
        lambda: Diff(f, k * order_symbol("m")),
        lambda: Delta(f),
        lambda: At(a, a),
        lambda: Shift(f, sp.I),
        lambda: Shift(f, At(f, a)),
        lambda: Conv(f, "g"),
        lambda: Fn("__x"),
        lambda: Statement(Conv(f, Delta(a)), At(f, a)),
    ],
)
def test_ill_formed_terms_are_refused(build):
    with pytest.raises(TermError):
        build()


def test_unfold_convolution_is_its_definition():
    integral = unfold(Conv(f, g))
    assert isinstance(integral, sp.Integral)
    (y, lo, hi), = integral.limits
    assert (lo, hi) == (-sp.oo, sp.oo)
    F, G = sp.Function("f", real=True), sp.Function("g", real=True)
    assert integral.function == F(y) * G(X - y)


def test_unfold_cross_correlation_flip_shift():
    F, G = sp.Function("f", real=True), sp.Function("g", real=True)
    xc = unfold(Xcorr(f, g))
    (y, _, _), = xc.limits
    assert xc.function == F(y) * G(X + y)
    assert unfold(Flip(f)) == F(-X)
    assert unfold(Shift(g, b)) == G(X - b)
    assert unfold(Delta(a)) == sp.DiracDelta(X - a)
    assert unfold(At(f, a)) == F(a)


def test_nested_convolutions_use_distinct_bound_variables():
    integral = unfold(Conv(Conv(f, g), h))
    outer = integral.limits[0][0]
    inner = integral.function.atoms(sp.Integral).pop().limits[0][0]
    assert outer != inner


def test_unfold_evaluates_on_concrete_functions():
    # box * box at 0 is 1: substitute concrete functions into the definition
    integral = unfold(Conv(f, g))
    box = sp.Lambda(X, sp.Piecewise((1, (X > -sp.Rational(1, 2)) & (X < sp.Rational(1, 2))), (0, True)))
    concrete = integral.replace(sp.Function("f", real=True), box).replace(sp.Function("g", real=True), box).subs(X, 0)
    assert sp.simplify(concrete.doit()) == 1


def test_statement_kinds_and_text():
    st = Statement(Xcorr(f, g), Conv(Flip(f), g))
    assert st.kind == "function"
    assert str(st) == "f ⋆ g = f⁻ * g"
    assert str(Statement(f, g, negated=True)) == "f ≠ g"
    assert st.function_names() == ["f", "g"]
    assert Statement(At(f, a), At(g, b)).parameters() == [a, b]


def test_the_larger_language_is_in_the_python_api():
    import symconv

    f, g = functions("f g")
    assert symconv.fourier(f) == Fourier(f) and symconv.mul(f, g) == Product(f, g)
    assert symconv.prove((symconv.fourier(f * g), symconv.mul(symconv.fourier(f), symconv.fourier(g)))).verdict.value == "proved"
    assert text(symconv.mul(symconv.identity, f)) == "id·f"
    assert f - f == 0 and Conv(f, f - f) == Conv(f, symconv.zero)  # 0 where a function goes is the zero function
