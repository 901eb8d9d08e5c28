"""Discrete convolution and cross-correlation: exact sums with the notes' meaning."""

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from symconv.routes.discrete.sequences import (
    Signal,
    SignalError,
    conv,
    flip,
    inner,
    shift,
    valid_xcorr,
    xcorr,
)

S = Signal.from_list


def test_convolution_exact_values():
    # (f*g)(x) = Σ_y f(y) g(x − y)
    c = conv(S([1, 2]), S([1, 1, 1]))
    assert c.to_list(0, 3) == [1, 3, 3, 2]
    assert c.bounds() == ((0, 3),)


def test_cross_correlation_exact_values():
    # (f⋆g)(x) = Σ_y f(y) g(x + y): f = [1, 2], g = [3, 4, 5]
    c = xcorr(S([1, 2]), S([3, 4, 5]))
    assert c.to_list(-1, 2) == [6, 11, 14, 5]
    assert c(-1) == 1 * 0 + 2 * 3
    assert c(2) == 1 * 5


def test_flip_shift_inner():
    f = S([1, 2, 3], start=-1)
    assert flip(f).to_list(-1, 1) == [3, 2, 1]
    assert shift(f, 2).to_list(1, 3) == [1, 2, 3]
    assert inner(f, S([0, 10], start=0)) == 3 * 10  # f(1) g(1)


def test_the_notes_relation_10_discretely():
    f, g = S([1, -2, 4]), S([3, 0, 5, 1], start=2)
    assert xcorr(f, g) == conv(flip(f), g)
    assert xcorr(f, g) != conv(f, g)


def test_cross_correlation_is_not_commutative_but_swaps_to_a_flip():
    f, g = S([1, 2]), S([5])
    assert xcorr(f, g) != xcorr(g, f)
    assert xcorr(g, f) == flip(xcorr(f, g))


def test_two_dimensional_cross_correlation():
    w = Signal.from_rows([[1, 2], [3, 4]])
    x = Signal.from_rows([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    out = valid_xcorr(w, x, (2, 2), (3, 3))
    # Σ_{a,b} w(a,b) x(i+a, j+b) on the valid 2×2 box
    # out(0, 1) = w(1, 0) x(1, 1) = 3; out(1, 0) = w(0, 1) x(1, 1) = 2
    assert out.window((0, 0), (1, 1)) == [[5, 3], [2, 5]]
    assert xcorr(w, x) == conv(flip(w), x)


def test_valid_xcorr_keeps_only_positions_where_the_kernel_fits():
    w, x = S([1, 0]), S([1, 2, 3])
    v = valid_xcorr(w, x, (2,), (3,))
    assert v.to_list(-1, 2) == [0, 1, 2, 0]
    with pytest.raises(SignalError):
        valid_xcorr(S([1, 2, 3]), x, (2,), (3,))  # kernel larger than its stated shape


def test_symbolic_entries():
    a, b, c = sp.symbols("a b c")
    out = xcorr(S([a, b]), S([c]))
    assert out(0) == a * c and out(-1) == b * c


def test_dimension_mismatch_refused():
    with pytest.raises(SignalError):
        conv(S([1]), Signal.from_rows([[1]]))


def test_numpy_agrees():
    x, w = [3, -1, 4, 1, -5], [2, 7, -1]
    assert np.correlate(x, w, "full").tolist() == xcorr(S(w), S(x)).to_list(-2, 4)
    assert np.convolve(w, x).tolist() == conv(S(w), S(x)).to_list(0, 6)


ints = st.lists(st.integers(-5, 5), min_size=1, max_size=6)


@settings(max_examples=40, deadline=None)
@given(ints, ints, ints, st.integers(-3, 3))
def test_identities_on_random_sequences(f, g, h, start):
    F, G, H = S(f, start), S(g), S(h, -start)
    assert xcorr(F, G) == conv(flip(F), G)
    assert conv(F, G) == conv(G, F)
    assert conv(conv(F, G), H) == conv(F, conv(G, H))
    # the adjoint: ⟨f ⋆ g, h⟩ = ⟨g, f * h⟩
    assert inner(xcorr(F, G), H) == inner(G, conv(F, H))
    assert shift(conv(F, G), 2) == conv(F, shift(G, 2))
