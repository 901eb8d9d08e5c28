"""Exact complex numbers: Num (Σ r·iʲ·π^{n/2}·√s·e^{E}) and Laurent parameters (Σ z_k π^k),
against mpmath at high precision; enclosures contain the values; zero is exact; sizes
are bounded."""

from fractions import Fraction

import mpmath
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from mpmath.ctx_iv import MPIntervalContext

from symconv.routes.concrete.laurent import ConcreteError, Laurent, divide, power
from symconv.routes.concrete.numbers import I_UNIT, ONE, PI, Num

small = st.fractions(min_value=-3, max_value=3, max_denominator=5)


@st.composite
def exponents(draw):
    """q + it, sometimes with π in it (the ordinary convention's e^{−π²ξ²/a})."""
    parts = [(0, draw(small), draw(small))]
    if draw(st.booleans()):
        parts.append((draw(st.sampled_from([-1, 1, 2])), draw(small) / 4, draw(small) / 4))
    return Laurent.build(parts)


@st.composite
def nums(draw):
    total = Num()
    for _ in range(draw(st.integers(1, 3))):
        term = Num.of(draw(small)) + I_UNIT * draw(small)
        if draw(st.booleans()):
            term = term * Num.exp(draw(exponents()))
        if draw(st.booleans()):
            term = term * Num.sqrt_pi_over(draw(st.sampled_from([Fraction(1, 2), Fraction(2), Fraction(3)])))
        total = total + term
    return total


def _value(n: Num):
    with mpmath.workdps(40):
        return mpmath.mpmathify(complex(0)) + mpmath.mpc(str(sp.re(sp.N(n.sympy(), 40))), str(sp.im(sp.N(n.sympy(), 40))))


def _close(a, b):
    return abs(a - b) <= mpmath.mpf(10) ** -25 * (1 + abs(a) + abs(b))


@settings(max_examples=30, deadline=None)
@given(nums(), nums(), nums())
def test_arithmetic_matches_the_values(a, b, c):
    with mpmath.workdps(40):
        va, vb, vc = _value(a), _value(b), _value(c)
        assert _close(_value(a + b), va + vb)
        assert _close(_value(a * b), va * vb)
        assert _close(_value(a * (b + c)), va * vb + va * vc)
        assert _close(_value(a.conjugate()), mpmath.conj(va))
        assert _close(_value(a.real()), mpmath.re(va)) and _close(_value(a.imag()), mpmath.im(va))
    assert a * (b + c) == a * b + a * c
    assert (a - a).is_zero()
    assert a.conjugate().conjugate() == a


@settings(max_examples=30, deadline=None)
@given(nums())
def test_enclosures_contain_the_value(n):
    ctx = MPIntervalContext()
    ctx.dps = 30
    re, im = n.enclosure(ctx)
    with mpmath.workdps(45):
        v = _value(n)
        for part, exact in ((re, mpmath.re(v)), (im, mpmath.im(v))):
            lo, hi = mpmath.mpf(part.a._mpi_[0]), mpmath.mpf(part.b._mpi_[1])
            assert lo <= exact <= hi and hi - lo < mpmath.mpf(10) ** -25 * (1 + abs(v))


def test_the_imaginary_unit_and_exponentials():
    assert I_UNIT * I_UNIT == -ONE
    t = Laurent.imaginary(Fraction(1, 3))
    assert Num.exp(t) * Num.exp(-t) == ONE
    assert Num.exp(t).conjugate() == Num.exp(-t)
    assert not Num.exp(t).is_real() and (Num.exp(t) + Num.exp(-t)).is_real()
    assert (Num.exp(t) - Num.exp(Laurent.imaginary(Fraction(2, 3)))).is_zero() is False
    assert Num.of(Fraction(2)).as_rational() == 2 and (I_UNIT * 2).as_rational() is None
    assert (PI * PI.inverse()) == ONE
    z = (Num.of(3) + I_UNIT * 4) * Num.exp(Laurent.build([(0, Fraction(1, 2), Fraction(1))]))
    assert z * z.inverse() == ONE


def test_is_zero_only_for_zero():
    # a value that happens to be zero through e^{iπ} = −1 is written two ways: is_zero is
    # exact in the direction that matters ("= 0" only for 0), and enclosures settle the rest
    w = Num.exp(Laurent.build([(1, Fraction(0), Fraction(1))])) + ONE  # e^{iπ} + 1
    assert not w.is_zero()
    ctx = MPIntervalContext()
    ctx.dps = 30
    assert all(part.a <= 0 <= part.b for part in w.enclosure(ctx))
    assert (Num.sqrt_pi_over(2) * Num.sqrt_pi_over(2) - PI * Fraction(1, 2)).is_zero()


def test_sympy_view_is_exact():
    z = Num.sqrt_pi_over(Laurent.pi(2) * 3) * Num.exp(Laurent.build([(2, Fraction(-1), Fraction(0))])) * I_UNIT
    expected = sp.I * sp.sqrt(sp.pi / (3 * sp.pi**2)) * sp.exp(-sp.pi**2)
    assert sp.simplify(z.sympy() - expected) == 0


def test_real_views_refuse_complex_numbers():
    ctx = MPIntervalContext()
    ctx.dps = 20
    with pytest.raises(ConcreteError, match="not real"):
        I_UNIT.interval(ctx)
    with pytest.raises(ConcreteError, match="not real"):
        (ONE + I_UNIT).mpf(mpmath.mp)
    assert complex((ONE + I_UNIT).mpc(mpmath.mp)) == 1 + 1j


def test_laurent_values_are_canonical():
    p = Laurent.pi()
    assert p - p == 0 and isinstance(p - p, Fraction)
    assert (p + 1) * (p - 1) == p * p - 1
    assert divide(p * p * 6, p * 3) == 2 * p
    assert power(p * 2, -2) == divide(Fraction(1, 4), p * p)
    assert Laurent.imaginary(1) * Laurent.imaginary(1) == -1
    with pytest.raises(ConcreteError, match="sum of powers of π"):
        divide(Fraction(1), p + 1)


def test_sizes_are_bounded():
    with pytest.raises(ConcreteError, match="too large"):
        Num.of(Fraction(2) ** 5000)
    with pytest.raises(ConcreteError, match="too large"):
        Laurent.build([(0, Fraction(3) ** 2000, Fraction(0)), (1, Fraction(1), Fraction(0))])
    with pytest.raises(ConcreteError, match="too large"):
        Laurent.build([(100, Fraction(1), Fraction(0))])
    big = Num()
    with pytest.raises(ConcreteError, match="too large"):
        for k in range(500):
            big = big + Num.exp(k)
