"""Backpropagation (reverse mode, a product of Jacobians) is the chain rule."""

import pytest
import sympy as sp

from symconv import Verdict, prove
from symconv.routes.calculus.backprop import (
    Backprop,
    Model,
    composed_gradient,
    forward_states,
    reverse_mode_gradient,
    two_layer_model,
)
from symconv.routes.calculus.differentiability import exact_zero
from symconv.routes.calculus.maps import Map, MapError, real_symbols


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_backprop_proved(activation):
    r = prove(Backprop(two_layer_model(2, 2, activation)))
    assert r.verdict is Verdict.PROVED
    assert r.details["gradient_entries"] == 2 + 1 + 4 + 2 + 2 + 1


def test_gradient_entries_exact():
    model = two_layer_model(1, 1, "tanh")
    x1, y, W1, b1, W2, b2 = model.inputs
    g = reverse_mode_gradient(model)
    out = W2 * sp.tanh(W1 * x1 + b1) + b2
    assert exact_zero(g[0, model.inputs.index(b2)] - (out - y)) is True
    assert exact_zero(g[0, model.inputs.index(W2)] - (out - y) * sp.tanh(W1 * x1 + b1)) is True
    dtanh = 1 - sp.tanh(W1 * x1 + b1) ** 2
    assert exact_zero(g[0, model.inputs.index(W1)] - (out - y) * W2 * dtanh * x1) is True
    # at a rational point both sides give the same exact number
    point = {x1: 1, y: 0, W1: sp.Rational(1, 2), b1: 0, W2: 2, b2: -1}
    direct = composed_gradient(model)
    assert exact_zero((g - direct).xreplace(point)[0, 3]) is True


def test_the_comparison_can_fail():
    """Forgetting σ′ (the activation's Jacobian replaced by the identity) is caught."""
    model = two_layer_model(1, 1, "sigmoid")
    states = forward_states(model)
    v = sp.Matrix([[1]])
    for layer, state in zip(reversed(model.layers), reversed(states[:-1])):
        J = layer.jacobian().xreplace(dict(zip(layer.variables, state)))
        if layer.name == "sigmoid":
            J = sp.eye(J.rows)
        v = v * J
    direct = composed_gradient(model)
    W1 = model.inputs.index(real_symbols("W1_11")[0])
    b2 = model.inputs.index(real_symbols("b2")[0])
    assert exact_zero(v[0, b2] - direct[0, b2]) is True  # the last layer is unaffected
    assert exact_zero(v[0, W1] - direct[0, W1]) is False


def test_models_are_checked_for_shape():
    (a,) = real_symbols("a")
    with pytest.raises(MapError):
        Model((Map((a,), (a, a)),))  # last layer not scalar
    with pytest.raises(ValueError):
        two_layer_model(activation="relu")
