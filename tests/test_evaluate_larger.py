"""Exact evaluation of the larger language (Fourier transforms in three conventions, the
pointwise product, dilation, modulation, conjugation, x·f, iterated convolution, the
integral) against mpmath quadrature of each operator's *declared* definition
(``Operation.definition`` in symconv.language.terms), on random members of the families."""

import cmath
import math
from fractions import Fraction

import mpmath
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symconv.language.terms import (
    Conj,
    Conv,
    ConvPower,
    Flip,
    Fn,
    Fourier,
    Ident,
    InverseFourier,
    Modulate,
    Product,
    Scale,
    TotalIntegral,
    Xcorr,
    functions,
)
from symconv.routes.concrete.evaluate import MAX_CONV_POWER, Env, evaluate
from symconv.routes.concrete.functions import (
    ConcreteError,
    GaussianSum,
    box,
    gaussian,
    one_sided_exp,
    triangle,
)
from symconv.routes.concrete.laurent import Laurent
from symconv.routes.concrete.numbers import I_UNIT, Num, X

F, G = functions("f g", complex=True)
CONVENTIONS = ("angular", "unitary", "ordinary")

small = st.fractions(min_value=-1, max_value=1, max_denominator=2)
width = st.sampled_from([Fraction(1, 2), Fraction(1), Fraction(2)])
coefficient = st.tuples(st.integers(-2, 2), st.integers(-2, 2)).map(lambda p: Num.of(p[0]) + I_UNIT * p[1])


@st.composite
def complex_gaussians(draw):
    poly = draw(st.lists(coefficient, min_size=1, max_size=2))
    if all(c.is_zero() for c in poly):
        poly[0] = Num.of(1)
    return gaussian(draw(width), draw(small), tuple(poly), nu=draw(small))


# --------------------------------------------------------------------------- the declared definitions


def _declared(term, leaves: dict, x):
    """The value of ``term`` at x as SymPy text of its declared definitions, the leaves
    replaced by the witnesses' closed forms (as expressions), integrals left unevaluated."""
    counter = iter(range(10_000))

    def fresh():
        return sp.Symbol(f"t{next(counter)}", real=True)

    def value(node, point):
        if isinstance(node, Fn):
            return leaves[node.name].expr(X).xreplace({X: point})
        return type(node).definition(value, point, fresh, *node.args)

    return value(term, x)


#: Every witness here is centred within 1 of 0 with a width ≥ 1/2: nothing beyond |t| = 12
#: contributes at double precision.
_CUTS = [-12, -4, -1, 0, 1, 4, 12]


def _fp_quad(fun, *limits):
    """Tanh–sinh quadrature (mpmath.fp) over the window, in as many variables as limits."""
    return mpmath.fp.quad(fun, *[_CUTS] * len(limits))


#: lambdify turns each Integral of a definition into ``quad(lambda t…: …, limits…)``;
#: here quad is the double-precision one above and the elementary functions are cmath's.
_NAMESPACE = {"quad": _fp_quad, "exp": cmath.exp, "sqrt": cmath.sqrt, "mpf": float,
              "conjugate": lambda z: complex(z).conjugate(), "pi": math.pi}


def _quadrature(term, leaves: dict, x: Fraction | None):
    """Quadrature of the declared definition at x (of a scalar term when x is None)."""
    expr = _declared(term, leaves, X)
    fn = sp.lambdify([] if x is None else [X], expr, modules=[_NAMESPACE, "mpmath"])
    return complex(fn() if x is None else fn(float(x)))


def _exact(term, leaves: dict, x: Fraction | None):
    value = evaluate(term, Env(leaves))
    with mpmath.workdps(20):
        if x is None:
            return complex(value.mpc(mpmath.mp))
        return complex(value.value(x).mpc(mpmath.mp))


def _close(a: complex, b: complex, tol=1e-9) -> bool:
    return abs(a - b) <= tol * (1 + abs(a) + abs(b))


OPERATIONS = [
    ("product", Product(F, G)),
    ("x·f", Product(Ident(), F)),
    ("scale 2", Scale(F, 2)),
    ("scale -3/2", Scale(F, Fraction(-3, 2))),
    ("scale pi", Scale(F, sp.pi)),
    ("modulate", Modulate(F, Fraction(3, 2))),
    ("conj", Conj(F)),
    ("conv", Conv(F, G)),
    ("xcorr", Xcorr(F, G)),
    ("convpow 2", ConvPower(F, 2)),
] + [(f"fourier {c}", Fourier(F, c)) for c in CONVENTIONS] + [
    (f"ifourier {c}", InverseFourier(F, c)) for c in CONVENTIONS
]


@pytest.mark.parametrize("name, term", OPERATIONS, ids=[n for n, _ in OPERATIONS])
@settings(max_examples=6, deadline=None)
@given(f=complex_gaussians(), g=complex_gaussians(), x=small)
def test_closed_forms_match_quadrature_of_the_declared_definition(name, term, f, g, x):
    leaves = {"f": f, "g": g}
    assert _close(_exact(term, leaves, x), _quadrature(term, leaves, x))


@settings(max_examples=6, deadline=None)
@given(f=complex_gaussians())
def test_the_integral_matches_its_declared_definition(f):
    term = TotalIntegral(F)
    assert _close(_exact(term, {"f": f}, None), _quadrature(term, {"f": f}, None))


def test_three_factor_convolution_power_matches_its_declared_definition():
    f = gaussian(1, Fraction(1, 2), (Num.of(1), I_UNIT), nu=Fraction(1, 2))
    x = Fraction(1, 3)
    assert _close(_exact(ConvPower(F, 3), {"f": f}, x), _quadrature(ConvPower(F, 3), {"f": f}, x), 1e-8)


# --------------------------------------------------------------------------- textbook closed forms


@pytest.mark.parametrize("a", [Fraction(1), Fraction(1, 2), Fraction(3)])
def test_fourier_transform_of_a_gaussian_in_every_convention(a):
    """e^{−ax²} ↦ √(π/a) e^{−ω²/(4a)}; unitary: (1/√(2a)) e^{−ω²/(4a)};
    ordinary: √(π/a) e^{−π²ξ²/a}."""
    env = Env({"f": gaussian(a)})
    f = Fn("f")
    root = Num.sqrt_pi_over(a)
    expected = {
        "angular": GaussianSum.make([((1 / (4 * a), 0, 0), (root,))]),
        "unitary": GaussianSum.make([((1 / (4 * a), 0, 0), (Num.sqrt(1 / (2 * a)),))]),
        "ordinary": GaussianSum.make([((Laurent.pi(2) / a, 0, 0), (root,))]),
    }
    w = sp.Symbol("w", real=True)
    textbook = {
        "angular": sp.sqrt(sp.pi / a) * sp.exp(-(w**2) / (4 * a)),
        "unitary": 1 / sp.sqrt(2 * a) * sp.exp(-(w**2) / (4 * a)),
        "ordinary": sp.sqrt(sp.pi / a) * sp.exp(-(sp.pi**2) * w**2 / a),
    }
    for convention in CONVENTIONS:
        closed = evaluate(Fourier(f, convention), env).smooth
        assert closed == expected[convention]
        assert sp.simplify(closed.expr(w) - textbook[convention]) == 0


@settings(max_examples=10, deadline=None)
@given(f=complex_gaussians(), b=small)
def test_double_transforms_are_exact_on_witnesses(f, b):
    """𝓕𝓕f = 2π f⁻ (angular), f⁻ (unitary, ordinary); 𝓕⁻¹𝓕f = f; shift ↦ modulation."""
    env = Env({"f": f})
    assert evaluate(Fourier(Fourier(F)) - 2 * sp.pi * Flip(F), env).is_zero()
    for convention in ("unitary", "ordinary"):
        assert evaluate(Fourier(Fourier(F, convention), convention) - Flip(F), env).is_zero()
    for convention in CONVENTIONS:
        assert evaluate(InverseFourier(Fourier(F, convention), convention) - F, env).is_zero()
        assert evaluate(Fourier(InverseFourier(F, convention), convention) - F, env).is_zero()
    from symconv.language.terms import Shift

    # 𝓕(τ(f, b))(ω) = e^{−iBbω} 𝓕f(ω): B = 1 (angular), 2π (ordinary)
    assert evaluate(Fourier(Shift(F, b)) - Modulate(Fourier(F), -b), env).is_zero()
    assert evaluate(Fourier(Shift(F, b), "ordinary") - Modulate(Fourier(F, "ordinary"), -2 * sp.pi * b), env).is_zero()


@settings(max_examples=10, deadline=None)
@given(f=complex_gaussians(), g=complex_gaussians())
def test_convolution_theorem_and_its_dual_are_exact_on_witnesses(f, g):
    env = Env({"f": f, "g": g})
    assert evaluate(Fourier(Conv(F, G)) - Product(Fourier(F), Fourier(G)), env).is_zero()
    dual = Fourier(Product(F, G)) - Conv(Fourier(F), Fourier(G)) / (2 * sp.pi)
    assert evaluate(dual, env).is_zero()
    ordinary = Fourier(Conv(F, G), "ordinary") - Product(Fourier(F, "ordinary"), Fourier(G, "ordinary"))
    assert evaluate(ordinary, env).is_zero()


# --------------------------------------------------------------------------- the piecewise family


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


def _fn(f):
    return sp.lambdify(X, f.expr(), "mpmath")


@settings(max_examples=15, deadline=None)
@given(f=piecewise(), g=piecewise(), x=small, s=st.sampled_from([Fraction(2), Fraction(-1, 2), Fraction(-3)]))
def test_piecewise_pointwise_operations_and_integral(f, g, x, s):
    env = Env({"f": f, "g": g})
    fa, ga = _fn(f), _fn(g)
    points = set(f.breakpoints()) | set(g.breakpoints())
    with mpmath.workdps(20):
        if x not in points:
            assert _close(_exact(Product(F, G), {"f": f, "g": g}, x), complex(fa(_mp(x)) * ga(_mp(x))))
            assert _close(_exact(Product(Ident(), F), {"f": f}, x), complex(_mp(x) * fa(_mp(x))))
            assert _close(_exact(Conj(F), {"f": f}, x), complex(fa(_mp(x))))
        if s * x not in set(f.breakpoints()):
            assert _close(_exact(Scale(F, s), {"f": f}, x), complex(fa(_mp(s * x))))
        cuts = [-mpmath.inf] + sorted(float(p) for p in f.breakpoints()) + [mpmath.inf]
        assert _close(complex(evaluate(TotalIntegral(F), env).mpc(mpmath.mp)), complex(mpmath.quad(fa, cuts)))


def test_what_leaves_the_families_is_refused_with_the_reason():
    env = Env({"f": box(0, 1), "g": gaussian(), "h": gaussian(1, 0, nu=1)})
    f, g = Fn("f"), Fn("g")
    cases = [
        (Fourier(f), "Fourier transform of a piecewise"),
        (Modulate(f, 1), "modulated piecewise"),
        (Scale(f, sp.pi), "must be rational"),
        (Product(f, g), "not mixed"),
        (Fourier(Ident()), "no Fourier transform"),
        (TotalIntegral(Ident()), "not integrable"),
        (Conv(Ident(), g), "not integrable"),
        (ConvPower(g, MAX_CONV_POWER + 1), "iterated convolution"),
        (Product(g, Fourier(g, "ordinary")), "not a rational multiple of one power of π"),
    ]
    for term, reason in cases:
        with pytest.raises(ConcreteError, match=reason):
            evaluate(term, env)
    from symconv.language.terms import Delta

    with pytest.raises(ConcreteError, match="Fourier transform of δ"):
        evaluate(Fourier(Delta(1)), env)
    with pytest.raises(ConcreteError, match="two δs"):
        evaluate(Product(Delta(0), Delta(1)), env)


def test_sizes_stay_bounded():
    env = Env({"g": gaussian()})
    term = Fn("g")
    for _ in range(45):  # x⁴⁵·g(x): past the degree bound
        term = Product(Ident(), term)
    with pytest.raises(ConcreteError, match="degree exceeds"):
        evaluate(term, env)


def test_products_and_dilations_of_deltas():
    """φ·δ⁽ᵏ⁾(x − a) by the Leibniz rule and δ⁽ᵏ⁾(s x − a) = |s|⁻¹ s⁻ᵏ δ⁽ᵏ⁾(x − a/s), paired
    with a test function against the definitions."""
    from symconv.language.terms import Delta, Diff

    g = gaussian(1, 1)
    phi = gaussian(1, Fraction(1, 3), (1, 1))
    env = Env({"g": g})
    gn, pn = _fn(g), _fn(phi)
    a = Fraction(1, 2)
    with mpmath.workdps(20):
        for k in (0, 1, 2):
            # ⟨g·δ⁽ᵏ⁾_a, φ⟩ = (−1)ᵏ (gφ)⁽ᵏ⁾(a)
            d = evaluate(Product(Fn("g"), Diff(Delta(a), k) if k else Delta(a)), env)
            paired = sum((float(c.mpf(mpmath.mp)) * (-1) ** j * float(mpmath.diff(pn, _mp(p), j))
                          for (p, j), c in d.deltas), 0.0)
            expected = (-1) ** k * mpmath.diff(lambda t: gn(t) * pn(t), _mp(a), k)
            assert _close(paired, complex(expected))
            # ⟨δ⁽ᵏ⁾(−2x − a), φ⟩ = (1/2) (−1)ᵏ (d/du)ᵏ φ(−u/2) at u = a
            s = Fraction(-2)
            d = evaluate(Scale(Diff(Delta(a), k) if k else Delta(a), s), env)
            paired = sum((float(c.mpf(mpmath.mp)) * (-1) ** j * float(mpmath.diff(pn, _mp(p), j))
                          for (p, j), c in d.deltas), 0.0)
            expected = (-1) ** k * mpmath.diff(lambda u: pn(u / s.numerator), _mp(a), k) / 2
            assert _close(paired, complex(expected))


def test_cross_correlation_follows_its_declaration_for_complex_functions():
    """(f ⋆ g)(x) = ∫ conj(f(y)) g(x + y) dy as declared, so for a complex f it differs from
    ∫ f(y) g(x + y) dy (which is conj(f) ⋆ g)."""
    f = gaussian(1, 0, (Num.of(1), I_UNIT), nu=1)
    g = gaussian(1, Fraction(1, 2), nu=Fraction(-1, 2))
    leaves = {"f": f, "g": g}
    x = Fraction(1, 3)
    declared = _quadrature(Xcorr(F, G), leaves, x)
    assert _close(_exact(Xcorr(F, G), leaves, x), declared)
    assert _close(_exact(Xcorr(F, G), leaves, x), _exact(Conv(Conj(Flip(F)), G), leaves, x))
    assert not _close(_exact(Xcorr(Conj(F), G), leaves, x), declared, 1e-3)
