"""The exact evaluator against numeric integration of the definitions (mpmath), and the
definition claims (1) and (9)."""

from fractions import Fraction

import mpmath
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symconv.results.result import Verdict
from symconv.routes.budget import Budget
from symconv.routes.concrete.definition import DefinitionClaim
from symconv.routes.concrete.evaluate import conv, inner, xcorr
from symconv.routes.concrete.functions import (
    ConcreteError,
    Distribution,
    Num,
    X,
    box,
    gaussian,
    one_sided_exp,
    triangle,
)

small = st.fractions(min_value=-2, max_value=2, max_denominator=4)
width = st.sampled_from([Fraction(1, 2), Fraction(1), Fraction(2), Fraction(3, 2)])
coeff = st.integers(min_value=-3, max_value=3)


@st.composite
def gaussians(draw):
    poly = draw(st.lists(coeff, min_size=1, max_size=3))
    if not any(poly):
        poly[0] = 1
    return gaussian(draw(width), draw(small), tuple(poly))


@st.composite
def piecewise(draw):
    kind = draw(st.sampled_from(["box", "exp", "triangle"]))
    c = draw(small)
    if kind == "box":
        return box(c, c + draw(width), draw(st.integers(1, 3)))
    if kind == "exp":
        return one_sided_exp(draw(width), c)
    return triangle(c, draw(width))


def _mp(q):
    return mpmath.mpf(q.numerator) / q.denominator


def _numeric(f):
    return sp.lambdify(X, f.expr(), "mpmath")


def _definition(f, g, x, sigma):
    """∫ f(y) g(x + σy) dy by mpmath.quad, cut at every break point (sorted)."""
    fn, gn = _numeric(f), _numeric(g)
    pts = {float(p) for p in f.breakpoints()} | {float(sigma * (p - x)) for p in g.breakpoints()}
    pts |= {float(c) for c in f.centers()} | {float(sigma * (c - x)) for c in g.centers()}
    cuts = [-mpmath.inf] + sorted(pts) + [mpmath.inf]
    return mpmath.quad(lambda y: fn(y) * gn(_mp(x) + sigma * y), cuts)


def _close(a, b, tol=1e-9):
    return abs(a - b) <= tol * (1 + abs(a) + abs(b))


@settings(max_examples=15, deadline=None)
@given(gaussians(), gaussians(), small)
def test_gaussian_conv_and_xcorr_match_the_definitions(f, g, x):
    with mpmath.workdps(25):
        for op, sigma in ((conv, -1), (xcorr, 1)):
            closed = op(Distribution.make(f), Distribution.make(g))
            assert not closed.deltas
            assert _close(closed.value(x).mpf(mpmath.mp), _definition(f, g, x, sigma))


@settings(max_examples=25, deadline=None)
@given(piecewise(), piecewise(), small)
def test_piecewise_conv_and_xcorr_match_the_definitions(f, g, x):
    with mpmath.workdps(25):
        for op, sigma in ((conv, -1), (xcorr, 1)):
            closed = op(Distribution.make(f), Distribution.make(g)).smooth
            assert _close(closed.value(x).mpf(mpmath.mp), _definition(f, g, x, sigma))


@settings(max_examples=15, deadline=None)
@given(gaussians(), small, small)
def test_shift_flip_derivative_of_gaussians(f, b, x):
    d = Distribution.make(f)
    fn = _numeric(f)
    with mpmath.workdps(25):
        assert _close(d.shift(b).value(x).mpf(mpmath.mp), fn(_mp(x - b)))
        assert _close(d.flip().value(x).mpf(mpmath.mp), fn(-_mp(x)))
        assert _close(d.derivative(2).value(x).mpf(mpmath.mp), mpmath.diff(fn, _mp(x), 2))


def test_box_convolutions_are_triangles():
    b = Distribution.make(box(0, 1))
    assert conv(b, b).smooth == triangle(1, 1)
    assert xcorr(b, b).smooth == triangle(0, 1)


def test_derivative_of_a_box_is_two_deltas():
    d = Distribution.make(box(0, 1)).derivative()
    assert d.smooth is None
    assert dict(d.deltas) == {(Fraction(0), 0): Num.of(1), (Fraction(1), 0): Num.of(-1)}


def _narrow(center, k, eps=mpmath.mpf("0.01")):
    """δ⁽ᵏ⁾(x − center) approximated by derivatives of a narrow Gaussian."""
    g = lambda t: mpmath.exp(-((t - center) / eps) ** 2) / (eps * mpmath.sqrt(mpmath.pi))
    return (lambda t: mpmath.diff(g, t, k)) if k else g


@pytest.mark.parametrize("k", [0, 1, 2])
def test_delta_rules_against_narrow_gaussians(k):
    """A * δ⁽ᵏ⁾(·−a), δ⁽ᵏ⁾(·−a) ⋆ A and A ⋆ δ⁽ᵏ⁾(·−a) against ∫ with a narrow bump."""
    f = gaussian(1, Fraction(1, 2), (1, 1))
    a, x = Fraction(1, 3), Fraction(1, 5)
    fn, bump = _numeric(f), _narrow(_mp(a), k)
    delta = Distribution.delta(a, k)
    fd = Distribution.make(f)
    cases = [
        (conv(fd, delta), lambda y: fn(y) * bump(_mp(x) - y)),
        (xcorr(delta, fd), lambda y: bump(y) * fn(_mp(x) + y)),
        (xcorr(fd, delta), lambda y: fn(y) * bump(_mp(x) + y)),
    ]
    with mpmath.workdps(20):
        for closed, integrand in cases:
            value = closed.value(x).mpf(mpmath.mp)
            peaks = sorted({float(a - x), float(x - a), float(a)})
            approx = mpmath.quad(integrand, [-8] + peaks + [8])
            assert abs(value - approx) < 1e-3 * (1 + abs(value))


def test_inner_products_match_quadrature():
    f, g = gaussian(1, 1, (0, 1)), gaussian(2, 0)
    with mpmath.workdps(20):
        exact = inner(Distribution.make(f), Distribution.make(g)).mpf(mpmath.mp)
        fn, gn = _numeric(f), _numeric(g)
        assert _close(exact, mpmath.quad(lambda t: fn(t) * gn(t), [-mpmath.inf, 0, 1, mpmath.inf]))
    b, t = Distribution.make(box(0, 1)), Distribution.make(triangle())
    assert inner(b, t).as_rational() == Fraction(1, 2)


def test_values_where_none_exist_are_errors():
    with pytest.raises(ConcreteError):
        Distribution.make(box(0, 1)).value(Fraction(0))
    with pytest.raises(ConcreteError):
        Distribution.delta(0).value(Fraction(0))
    with pytest.raises(ConcreteError):
        conv(Distribution.make(box()), Distribution.make(gaussian()))
    with pytest.raises(ConcreteError):
        inner(Distribution.delta(0), Distribution.delta(0))


def test_numbers_are_exact_and_intervals_enclose_them():
    from mpmath.ctx_iv import MPIntervalContext

    n = Num.sqrt_pi_over(Fraction(8, 3)) * Num.exp(Fraction(-1, 2)) + Num.of(Fraction(1, 3))
    ctx = MPIntervalContext()
    ctx.dps = 30
    iv = n.interval(ctx)
    with mpmath.workdps(45):
        value = mpmath.mpf(str(sp.N(n.sympy(), 45)))
        lo, hi = mpmath.mpf(iv._mpi_[0]), mpmath.mpf(iv._mpi_[1])
        assert lo <= value <= hi and hi - lo < mpmath.mpf(10) ** -28
    assert (n - n).is_zero()
    assert Num.sqrt_pi_over(2) * Num.sqrt_pi_over(2) == Num({(2, 1, Fraction(0)): Fraction(1, 2)})


CLAIMS = [
    DefinitionClaim("conv", "box", box(), "box", box(), "(1)"),
    DefinitionClaim("xcorr", "box", box(), "box", box(), "(9)"),
    DefinitionClaim("conv", "g", gaussian(2, Fraction(1, 2), (1, 1)), "h", gaussian(1, -1, (0, 0, 1)), "(1)"),
    DefinitionClaim("xcorr", "g", gaussian(), "h", gaussian(1, 1), "(9)"),
    DefinitionClaim("conv", "e", one_sided_exp(), "t", triangle(), "(1)"),
]


@pytest.mark.parametrize("claim", CLAIMS, ids=str)
def test_definition_claims_are_proved(claim):
    result = claim.decide(Budget(30))
    assert result.verdict is Verdict.PROVED, result.reason


def test_a_wrong_closed_form_is_not_proved(monkeypatch):
    import symconv.routes.concrete.definition as definition
    from symconv.routes.concrete.evaluate import correlation_integral

    monkeypatch.setattr(definition, "correlation_integral", lambda f, g, s: correlation_integral(f, g, -s))  # conv ↔ xcorr
    claim = DefinitionClaim("conv", "e", one_sided_exp(), "b", box(), "(1)")
    result = claim.decide(Budget(30))
    assert result.verdict is Verdict.UNKNOWN
    assert "alarm" in result.reason
