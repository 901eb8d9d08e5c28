"""The notes' definition of differentiability, with the classic maps checked exactly."""

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symconv.routes.calculus.differentiability import (
    METHOD_ONE_VARIABLE,
    METHOD_POLYNOMIAL,
    METHOD_SMOOTH,
    Finding,
    breach_witness,
    continuous,
    differentiable,
    exact_zero,
    is_smooth_at,
    partials_continuous,
    partials_exist,
    partials_match,
    smooth_conditions,
)
from symconv.routes.calculus.maps import Map, real_symbols
from symconv.routes.calculus.paths import K, T, limit_along, line, replay, sequence

x, y, z = real_symbols("x y z")

XY_RATIO = Map((x, y), (x * y / (x**2 + y**2),), overrides=(((0, 0), (0,)),))
X2_SIN = Map((x,), (x**2 * sp.sin(1 / x),), overrides=(((0,), (0,)),))
ABS = Map((x,), (sp.Abs(x),))
SIN_INV = Map((x,), (sp.sin(1 / x),), overrides=(((0,), (0,)),))
X_SIN_INV = Map((x,), (x * sp.sin(1 / x),), overrides=(((0,), (0,)),))
RADIUS = Map((x, y), (sp.sqrt(x**2 + y**2),))


# --------------------------------------------------------------------------- classics
def test_xy_ratio_partials_exist_but_not_differentiable():
    p = partials_exist(XY_RATIO, (0, 0))
    assert p.holds is True
    assert p.A == sp.Matrix([[0, 0]])
    d = differentiable(XY_RATIO, (0, 0))
    assert d.holds is False
    b = d.breach
    assert b.lhs == sp.oo and b.rhs == 0
    # along Δx = (t, t): f = 1/2, so α = (1/2)/(√2 t)
    assert b.approach.displacement == (T, T)
    samples = b.replays["lhs"]["samples"]
    assert sp.sympify(samples[0]["exact"]).equals(sp.sqrt(2) / 4 * 1000)


def test_xy_ratio_is_not_continuous_at_the_origin():
    c = continuous(XY_RATIO, (0, 0))
    assert c.holds is False
    assert c.breach.lhs == sp.Rational(1, 2)
    assert c.breach.rhs == 0


def test_x2_sin_is_differentiable_with_a_discontinuous_derivative():
    d = differentiable(X2_SIN, (0,))
    assert d.holds is True and d.method == METHOD_ONE_VARIABLE
    assert d.A == sp.Matrix([[0]])
    assert continuous(X2_SIN, (0,)).holds is True
    pc = partials_continuous(X2_SIN, (0,))
    assert pc.holds is False
    # f'(x) = 2x sin(1/x) − cos(1/x) at x_k = 1/(2πk) is exactly −1, while f'(0) = 0
    assert (pc.breach.lhs, pc.breach.rhs) == (-1, 0)
    assert pc.breach.approach.displacement == (1 / (2 * sp.pi * K),)
    assert [s["exact"] for s in pc.breach.replays["lhs"]["samples"]] == ["-1", "-1", "-1"]


def test_abs_is_continuous_but_has_no_derivative_at_zero():
    assert continuous(ABS, (0,)).holds is True
    d = differentiable(ABS, (0,))
    assert d.holds is False
    assert (d.breach.lhs, d.breach.rhs) == (1, -1)
    assert d.breach.facts["missing"] is True


def test_abs_is_smooth_away_from_zero():
    d = differentiable(ABS, (sp.Rational(-3, 2),))
    assert d.holds is True and d.method == METHOD_SMOOTH
    assert d.A == sp.Matrix([[-1]])


def test_sin_of_inverse_is_not_continuous():
    """Agreeing sequences (x_k = 1/(2πk) gives 0) never prove continuity."""
    c = continuous(SIN_INV, (0,))
    assert c.holds is False
    assert c.breach.rhs == 0
    assert c.breach.lhs in (1, -1)
    assert c.breach.approach.is_sequence


def test_x_sin_inverse_is_continuous_not_differentiable():
    assert continuous(X_SIN_INV, (0,)).holds is True
    d = differentiable(X_SIN_INV, (0,))
    assert d.holds is False
    # the quotient sin(1/h) tends to 0 along 1/(2πk) and to 1 along 1/(2πk + π/2)
    assert {d.breach.lhs, d.breach.rhs} == {0, 1}


def test_a_path_other_than_a_line_is_needed():
    f = Map((x, y), (x * y**2 / (x**2 + y**4),), overrides=(((0, 0), (0,)),))
    c = continuous(f, (0, 0))
    assert c.holds is False
    assert c.breach.approach.displacement == (T**2, T)
    assert c.breach.lhs == sp.Rational(1, 2)
    assert differentiable(f, (0, 0)).holds is False


def test_radius_not_differentiable_at_origin_but_smooth_elsewhere():
    d0 = differentiable(RADIUS, (0, 0))
    assert d0.holds is False
    assert (d0.breach.lhs, d0.breach.rhs) == (1, -1)
    d = differentiable(RADIUS, (3, 4))
    assert d.holds is True and d.method == METHOD_SMOOTH
    assert d.A == sp.Matrix([[sp.Rational(3, 5), sp.Rational(4, 5)]])


def test_polynomial_certificate_and_jacobian():
    f = Map((x, y), (x**2 * y, x + y**3))
    d = differentiable(f, (1, 2))
    assert d.holds is True and d.method == METHOD_POLYNOMIAL
    assert d.A == sp.Matrix([[4, 1], [1, 12]])
    m = partials_match(f, (1, 2), given=d)
    assert m.holds is True


def test_partials_match_detects_a_wrong_matrix():
    f = Map((x, y), (x**2 * y,))
    wrong = Finding(True, method="given", A=sp.Matrix([[4, 2]]), entries=({"check": "given"},))
    m = partials_match(f, (1, 2), given=wrong)
    assert m.holds is False
    assert (m.breach.lhs, m.breach.rhs) == (1, 2)


def test_override_that_disagrees_with_the_formula_is_seen():
    f = Map((x,), (x**2,), overrides=(((0,), (1,)),))
    assert is_smooth_at(f, (0,))[0] is False
    c = continuous(f, (0,))
    assert c.holds is False and (c.breach.lhs, c.breach.rhs) == (0, 1)
    assert differentiable(f, (0,)).holds is False
    same = Map((x,), (x**2,), overrides=(((0,), (0,)),))
    assert differentiable(same, (0,)).method == METHOD_POLYNOMIAL


def test_undefined_point_is_undecided():
    f = Map((x,), (1 / x,))
    d = differentiable(f, (0,))
    assert d.holds is None and "not defined" in d.reason


def test_witness_carries_map_point_and_exact_values():
    d = differentiable(XY_RATIO, (0, 0))
    wit = breach_witness(XY_RATIO, (0, 0), d.breach)
    assert wit.functions == {"f(x, y)": "x*y/(x**2 + y**2) for (x, y) ≠ (0, 0), 0 at (0, 0)"}
    assert wit.at == "(0, 0)"
    assert (wit.lhs, wit.rhs, wit.lhs_numeric) == ("oo", "0", "+inf")
    assert wit.extra["path"] == "Δx = (t, t), t → 0+"


# --------------------------------------------------------------------------- helpers
def test_smooth_conditions():
    assert smooth_conditions(sp.exp(x) * sp.sin(y), (x, y)) == []
    assert smooth_conditions(sp.log(x), (x,)) == [("positive", x)]
    assert smooth_conditions(1 / (x - 1), (x,)) == [("nonzero", x - 1)]
    assert smooth_conditions(sp.sign(x), (x,)) is None
    assert smooth_conditions(sp.Function("f")(x), (x,)) is None
    assert smooth_conditions(sp.Heaviside(x), (x,)) is None


def test_limit_along_and_replay():
    assert limit_along(sp.sin(T) / T, line((1,))) == 1
    assert limit_along(sp.sin(1 / T), line((1,))) is None  # oscillates: no evidence
    assert limit_along(sp.cos(2 * sp.pi * K), sequence((1 / K,))) == 1
    good = replay(1 / T, line((1,)), sp.oo, 0)
    assert good.consistent
    # a wrong limit is not confirmed by the replay
    assert not replay(T, line((1,)), sp.Integer(1), 0).consistent
    assert not replay(1 + T, line((1,)), sp.Integer(0), 1).consistent


def test_exact_zero():
    assert exact_zero(sp.sin(x) ** 2 + sp.cos(x) ** 2 - 1) is True
    assert exact_zero(sp.sqrt(2) - 1) is False
    assert exact_zero(sp.Integer(0)) is True


small = st.integers(-3, 3)


@settings(max_examples=20, deadline=None)
@given(st.lists(small, min_size=5, max_size=5), small, small)
def test_random_polynomials_are_differentiable_with_their_jacobian(c, a, b):
    f = Map((x, y), (c[0] * x**3 + c[1] * x * y + c[2] * y**2 + c[3] * x + c[4],))
    d = differentiable(f, (a, b))
    assert d.holds is True and d.method == METHOD_POLYNOMIAL
    expected = sp.Matrix([[3 * c[0] * a**2 + c[1] * b + c[3], c[1] * a + 2 * c[2] * b]])
    assert d.A == expected
    assert partials_exist(f, (a, b)).A == expected


@pytest.mark.parametrize("point", [(0, 0), (1, -1)])
def test_partials_of_smooth_map_from_restrictions(point):
    f = Map((x, y), (sp.sin(x) * sp.exp(y), x * y))
    p = partials_exist(f, point)
    assert p.A == f.jacobian(point)
