"""The statement parser: both notations, and a one-line error for every bad input."""

import pytest
import sympy as sp

from symconv.language.parser import LIMITS, ParseError, parse, parse_term
from symconv.language.terms import (
    At,
    Conv,
    Delta,
    Diff,
    Flip,
    Fn,
    Inner,
    Shift,
    Statement,
    Xcorr,
    functions,
    order_symbol,
    param_symbol,
)

f, g, h = functions("f g h")
a, b = param_symbol("a"), param_symbol("b")
k = order_symbol("k")


@pytest.mark.parametrize(
    "source, expected",
    [
        ("f*g = g*f", Statement(Conv(f, g), Conv(g, f))),
        ("conv(f, g) == conv(g, f)", Statement(Conv(f, g), Conv(g, f))),
        ("f⋆g = f⁻*g", Statement(Xcorr(f, g), Conv(Flip(f), g))),
        ("xcorr(f, g) == conv(flip(f), g)", Statement(Xcorr(f, g), Conv(Flip(f), g))),
        ("τ(f*g, b) = f*τ(g, b)", Statement(Shift(Conv(f, g), b), Conv(f, Shift(g, b)))),
        ("shift(f, b) = tau(f, b)", Statement(Shift(f, b), Shift(f, b))),
        ("diff(conv(f, g), k) = conv(f, diff(g, k))",
         Statement(Diff(Conv(f, g), k), Conv(f, Diff(g, k)))),
        ("(f*δ)(a) = f(a)", Statement(At(Conv(f, Delta(0)), a), At(f, a))),
        ("f*δ(a) = τ(f, a)", Statement(Conv(f, Delta(a)), Shift(f, a))),
        ("inner(f, delta(a)) == f(a)", Statement(Inner(f, Delta(a)), At(f, a))),
        ("⟨f, g⟩ = ⟨g, f⟩", Statement(Inner(f, g), Inner(g, f))),
        ("f*g != g*f", Statement(Conv(f, g), Conv(g, f), negated=True)),
        ("f⋆g ≠ g⋆f", Statement(Xcorr(f, g), Xcorr(g, f), negated=True)),
        ("2*f - g = f + f − g", Statement(2 * f - g, 2 * f - g)),
        ("f' = diff(f)", Statement(Diff(f), Diff(f))),
        ("f/2 = 0.5*f", Statement(f / 2, f / 2)),
        ("conv(p, q) = conv(q, p)", Statement(Conv(*functions("p q")), Conv(*reversed(functions("p q"))))),
    ],
)
def test_parses(source, expected):
    assert parse(source) == expected


def test_orders_are_positive_integers_and_parameters_are_real():
    st = parse("diff(g, k) = τ(g, b)")
    order = st.lhs.order
    assert order.is_integer and order.is_positive
    assert st.rhs.amount.is_real


def test_printed_statement_parses_back():
    for source in ["(f*g)*h = f*(g*h)", "g⋆f = (f⋆g)⁻", "diff(f*g, k) = f*diff(g, k)",
                   "(f*δ)(a) = f(a)", "2*(f*g) = (2*f)*g", "τ(f, -b)⁻ = τ(f⁻, b)"]:
        st = parse(source)
        assert parse(str(st)) == st


def test_parse_term():
    assert parse_term("conv(f, g)") == Conv(f, g)
    with pytest.raises(ParseError):
        parse_term("f = g")


@pytest.mark.parametrize(
    "source, message",
    [
        ("f*δ(a) = f(a)", "left side is a function but the right side is a scalar"),
        ("f*g", "needs '='"),
        ("conv(f) = g", "conv takes 2 arguments, got 1"),
        ("shift(f, g) = f", "argument 2 of shift must be a scalar"),
        ("f.__class__ = g", "attribute access"),
        ("__import__('os') = f", "names starting with '__'"),
        ("f + 1 = f", "cannot add"),
        ("f*g(x) = g", "not linear"),
        ("f = ", "ends too early"),
        ("f = g = h", "only one"),
        ("f @ g = g", "unexpected character '@'"),
        ("f; g = g", "unexpected character ';'"),
        ('f = "g"', "unexpected character"),
        ("1/g*f = f", "division is only by a nonzero number"),
        ("f/0 = f", "division by zero"),
        ("diff(g, 0) = g", "positive integer"),
        ("f^2 = f", "raised to a power"),
        ("f(a, b) = 1", "one argument"),
        ("conv = f", "needs arguments"),
        ("inner(f) = 1", "inner takes 2 arguments"),
        ("eval(f) = f", "cannot be a point"),
        ("diff(f, 1000) = f", "derivative order above"),
    ],
)
def test_bad_input_gets_a_one_line_error_with_a_column(source, message):
    with pytest.raises(ParseError) as info:
        parse(source)
    text = str(info.value)
    assert message in text
    assert "\n" not in text
    assert info.value.column is not None and 1 <= info.value.column <= len(source) + 1


def test_limits_bound_the_input():
    with pytest.raises(ParseError, match="limit"):
        parse("f = " + "f + " * 5000 + "f")
    with pytest.raises(ParseError, match="digits"):
        parse("9" * (LIMITS.digits + 1) + "*f = f")
    with pytest.raises(ParseError, match="nesting"):
        parse("(" * 70 + "f" + ")" * 70 + " = f")
    deep = "f" + "*f" * (LIMITS.term_depth + 5)
    with pytest.raises(ParseError, match="nests deeper"):
        parse(f"{deep} = f")


def test_long_but_shallow_input_is_fine():
    names = " + ".join(f"f{i}" for i in range(100))
    st = parse(f"{names} = {names}")
    assert len(st.lhs.args) == 100


def test_a_long_sum_is_flat_not_deep():
    names = " + ".join(f"f{i}" for i in range(600))
    st = parse(f"{names} = f0")
    assert len(st.lhs.args) == 600


@pytest.mark.parametrize(
    "source, message",
    [
        ("shift(f, E) = f", "E is reserved"),
        ("f*oo = f", "oo is reserved"),
        ("shift(f, I) = f", "a shift must be a finite real number"),
        ("f(ａ) = f(a)", "unexpected character 'ａ'"),  # a full-width look-alike
        ("ƒ*g = g*ƒ", "unexpected character 'ƒ'"),  # a Latin f with hook
    ],
)
def test_constants_and_look_alike_letters_are_refused(source, message):
    with pytest.raises(ParseError, match=message):
        parse(source)


def test_pi_and_the_imaginary_unit_are_constants_not_parameters():
    st = parse("shift(f, pi) = I*f")
    assert st.lhs.args[1] == sp.pi and st.parameters() == []
    assert st.rhs == sp.I * Fn("f")
    assert parse("shift(f, π) = f").lhs == parse("shift(f, pi) = f").lhs


def test_greek_names_are_names():
    st = parse("φ*ψ = ψ*φ")
    assert st.function_names() == ["φ", "ψ"]


def test_no_python_evaluation_of_names():
    # names that would do something if evaluated are just names here
    st = parse("exit(a) = open(b)")
    assert isinstance(st.lhs, At) and isinstance(st.rhs, At)
    assert str(st) == "exit(a) = open(b)"


def test_non_text_is_refused():
    with pytest.raises(ParseError):
        parse(42)
