"""Maps ℝⁿ → ℝᵐ: construction, evaluation (with overrides), Jacobians, composition."""

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symconv.routes.calculus.maps import (
    Map,
    MapError,
    UndefinedAt,
    abstract_map,
    compose,
    real_symbols,
)

x, y, z = real_symbols("x y z")
u, v, w = real_symbols("u v w")

XY_RATIO = Map((x, y), (x * y / (x**2 + y**2),), overrides=(((0, 0), (0,)),))


def test_evaluation_uses_the_override_only_at_its_point():
    assert XY_RATIO.at((0, 0)) == (0,)
    assert XY_RATIO.at((1, 1)) == (sp.Rational(1, 2),)
    assert XY_RATIO(2, 1) == (sp.Rational(2, 5),)
    with pytest.raises(UndefinedAt):
        XY_RATIO.formula_at((0, 0))


def test_formula_singular_without_override_is_undefined():
    f = Map((x,), (1 / x,))
    with pytest.raises(UndefinedAt):
        f.at((0,))
    assert f.at((2,)) == (sp.Rational(1, 2),)


def test_jacobian_exact_values():
    f = Map((x, y), (x**2 * y, x + y**3))
    assert f.jacobian((1, 2)) == sp.Matrix([[4, 1], [1, 12]])
    assert f.jacobian() == sp.Matrix([[2 * x * y, x**2], [1, 3 * y**2]])
    assert (f.n, f.m) == (2, 2)


def test_along_substitutes_point_plus_displacement():
    f = Map((x, y), (x * y,))
    t = sp.Symbol("t", positive=True)
    assert sp.expand(f.along((1, 2), (t, -t))[0]) == sp.expand((1 + t) * (2 - t))


@pytest.mark.parametrize(
    "build",
    [
        lambda: Map((x,), (x + y,)),  # y is not a variable
        lambda: Map((sp.Symbol("p"),), (1,)),  # not real
        lambda: Map((x, x), (x,)),  # repeated
        lambda: Map((x,), ()),  # no component
        lambda: Map((x,), (x,), overrides=(((0, 0), (1,)),)),  # wrong point size
        lambda: Map((x,), (x,), overrides=(((0,), (1,)), ((0,), (2,)))),  # same point twice
    ],
)
def test_bad_maps_are_refused(build):
    with pytest.raises(MapError):
        build()


def test_points_must_be_exact():
    f = Map((x,), (x**2,))
    with pytest.raises(MapError):
        f.at((0.5,))
    with pytest.raises(MapError):
        f.at((1, 2))
    assert f.at((sp.Rational(1, 2),)) == (sp.Rational(1, 4),)


def test_compose_and_its_errors():
    f = Map((x, y), (x * y, sp.sin(x), sp.exp(y)), name="f")
    g = Map((u, v, w), (u + v * w, u**2), name="g")
    h = compose(g, f)
    assert h.variables == (x, y)
    assert h.components == (x * y + sp.sin(x) * sp.exp(y), x**2 * y**2)
    assert h.name == "g∘f"
    assert compose(f, g).n == 3  # f∘g: ℝ³ → ℝ² → ℝ³ also composes
    with pytest.raises(MapError):
        compose(Map((x, y), (x,)), XY_RATIO)  # overrides refused


def test_compose_dimension_mismatch():
    f = Map((x,), (x, x**2, x**3))
    g = Map((u, v), (u * v,))
    with pytest.raises(MapError):
        compose(g, f)


def test_abstract_map_components_are_undefined_functions():
    f = abstract_map("f", 2, 3)
    assert (f.n, f.m) == (2, 3)
    assert all(isinstance(c, sp.core.function.AppliedUndef) for c in f.components)
    assert str(f.components[0].func) == "f1"
    g = abstract_map("g", 3, 1)
    h = compose(g, f)
    assert h.components[0] == g.components[0].func(*f.components)


def test_text_shows_formula_and_overrides():
    assert str(XY_RATIO) == "f(x, y) = x*y/(x**2 + y**2) (and 0 at (0, 0))"
    d = XY_RATIO.to_dict()
    assert d["overrides"] == [{"at": ["0", "0"], "value": ["0"]}]


coeff = st.integers(-3, 3)


@settings(max_examples=25, deadline=None)
@given(st.lists(coeff, min_size=6, max_size=6), st.lists(coeff, min_size=4, max_size=4))
def test_chain_rule_for_random_polynomial_maps(a, b):
    """J_(g∘f) = J_g(f)·J_f exactly, for random polynomial f: ℝ² → ℝ², g: ℝ² → ℝ."""
    f = Map((x, y), (a[0] * x**2 + a[1] * y + a[2], a[3] * x * y + a[4] * y**2 + a[5] * x))
    g = Map((u, v), (b[0] * u * v + b[1] * u**2 + b[2] * v + b[3],), name="g")
    lhs = compose(g, f).jacobian()
    rhs = g.jacobian().xreplace(dict(zip(g.variables, f.components))) * f.jacobian()
    assert (lhs - rhs).applyfunc(sp.expand) == sp.zeros(1, 2)


def test_text_is_never_parsed_into_a_map():
    import pytest
    import sympy as sp

    from symconv.routes.calculus.maps import Map, MapError

    x = sp.Symbol("x", real=True)
    with pytest.raises(MapError, match="must be a SymPy expression"):
        Map((x,), ("__import__('os').getcwd()",))
