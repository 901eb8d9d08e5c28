"""The normal form of the larger language against exact evaluation.

Soundness: whenever the normal form calls two random terms equal, the exact evaluator
(closed forms on complex Gaussian witnesses, an independent implementation) agrees at
random points. Completeness on the laws: the laws of the language, stated on random
terms, are all decided as identities.
"""

import os
from fractions import Fraction

import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symconv.language.groups import Group
from symconv.language.terms import (
    Conj,
    Conv,
    Diff,
    Flip,
    Fourier,
    InverseFourier,
    Modulate,
    Product,
    Scale,
    Shift,
    Statement,
    Xcorr,
    functions,
)
from symconv.routes.concrete.evaluate import Env, evaluate
from symconv.routes.concrete.functions import ConcreteError, gaussian
from symconv.routes.concrete.numbers import I_UNIT, Num
from symconv.routes.fourier import decide

F, G, H = functions("f g h", complex=True)
CONVENTIONS = ("angular", "unitary", "ordinary")
HALF = sp.Rational(1, 2)

leaves = st.sampled_from([F, G, H])
#: Examples per property: a small fixed number in the suite, more for a campaign
#: (SYMCONV_PROPERTY_EXAMPLES=500 python -m pytest tests/test_fourier_larger.py).
EXAMPLES = int(os.environ.get("SYMCONV_PROPERTY_EXAMPLES", "30"))


@st.composite
def terms(draw, budget=3):
    """Random function-valued terms of the larger language with at most ``budget`` binary
    operations."""
    choice = draw(st.integers(0, 11 if budget else 8))
    if choice <= 1:
        return draw(leaves)
    if choice == 2:
        return Flip(draw(terms(budget=budget)))
    if choice == 3:
        return Shift(draw(terms(budget=budget)), draw(st.sampled_from([HALF, -1, 2])))
    if choice == 4:
        return Scale(draw(terms(budget=budget)), draw(st.sampled_from([2, -HALF, 3])))
    if choice == 5:
        return Modulate(draw(terms(budget=budget)), draw(st.sampled_from([HALF, -1])))
    if choice == 6:
        return Conj(draw(terms(budget=budget)))
    if choice == 7:
        return Fourier(draw(terms(budget=budget)), draw(st.sampled_from(CONVENTIONS)))
    if choice == 8:
        return Diff(draw(terms(budget=budget)), 1)
    left, right = draw(terms(budget=budget - 1)), draw(terms(budget=0))
    op = draw(st.sampled_from([Conv, Xcorr, Product, "sum"]))
    if op == "sum":
        return left + draw(st.sampled_from([2, -1, sp.I])) * right
    return op(left, right)


def laws(t):
    """(name, a term equal to t for every Schwartz function)."""
    out = [
        ("flip twice", Flip(Flip(t))),
        ("conj twice", Conj(Conj(t))),
        ("inverse", InverseFourier(Fourier(t, "unitary"), "unitary")),
        ("twice", Flip(Fourier(Fourier(t))) / (2 * sp.pi)),
        ("scale", Scale(Scale(t, 2), HALF)),
        ("shift", InverseFourier(Modulate(Fourier(Shift(t, HALF)), HALF))),
    ]
    if isinstance(t, (Conv, Product)):
        a, b = t.args
        out.append(("commutative", type(t)(b, a)))
        out.append(("conj", Conj(type(t)(Conj(a), Conj(b)))))
        out.append(("modulated", Modulate(type(t)(Modulate(a, -HALF), Modulate(b, -HALF if type(t) is Conv else 0)), HALF)))
    if isinstance(t, Conv):
        a, b = t.args
        out.append(("convolution theorem", InverseFourier(Product(Fourier(a), Fourier(b)))))
        out.append(("dilation", HALF * Scale(Conv(Scale(a, HALF), Scale(b, HALF)), 2)))
    if isinstance(t, Product):
        a, b = t.args
        out.append(("dual", InverseFourier(Conv(Fourier(a), Fourier(b))) / (2 * sp.pi)))
        out.append(("leibniz", Diff(t, 1) - Product(Diff(a, 1), b) - Product(a, Diff(b, 1)) + t))
    return out


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(terms())
def test_the_laws_are_identities(t):
    for name, other in laws(t):
        assert decide(Statement(t, other)).identity, name


WITNESSES = {
    "f": gaussian(1, Fraction(1, 2), (Num.of(1) + I_UNIT,), nu=Fraction(1, 2)),
    "g": gaussian(2, -1, (Num.of(2), Num.of(-1)), nu=Fraction(-1)),
    "h": gaussian(Fraction(1, 2), 0, (I_UNIT,), nu=Fraction(0)),
}
POINTS = [Fraction(0), Fraction(3, 4), Fraction(-2)]


def _values(t):
    out = []
    for x in POINTS:
        try:
            out.append(evaluate(t, Env(WITNESSES)).value(x))
        except ConcreteError:
            return None
    return out


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(terms(budget=2), terms(budget=2))
def test_equal_normal_forms_evaluate_equal(s, t):
    """Soundness, against an independent implementation: terms the normal form calls equal
    have equal exact values (a law applied to s gives pairs the form calls equal)."""
    pairs = [(s, t)] + [(s, other) for _, other in laws(s)]
    for a, b in pairs:
        if not decide(Statement(a, b)).identity:
            continue
        va, vb = _values(a), _values(b)
        if va is None or vb is None:
            continue  # outside what the witness families evaluate
        for x, p, q in zip(POINTS, va, vb):
            assert (p - q).is_zero(), (str(a), str(b), x)


def test_groups_change_the_constants():
    zn = Group("ZN", 1, sp.Symbol("N", integer=True, positive=True))
    n = zn.modulus
    f, g = functions("f g")
    assert decide(Statement(Fourier(Fourier(f)), n * Flip(f), group=zn)).identity
    assert not decide(Statement(Fourier(Fourier(f)), 2 * sp.pi * Flip(f), group=zn)).identity
    plane = Group("R", 2)
    assert decide(Statement(Fourier(Product(f, g)), Conv(Fourier(f), Fourier(g)) / (2 * sp.pi) ** 2, group=plane)).identity
    assert decide(Statement(Conv(Scale(f, 3), Scale(g, 3)), Scale(Conv(f, g), 3) / 9, group=plane)).identity
