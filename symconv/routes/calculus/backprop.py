"""Backpropagation is the chain rule (section 2.1: a model F(x; θ) built as a composition).

A :class:`Model` is a chain of layers, each a :class:`~symconv.routes.calculus.maps.Map` from one state
vector to the next, the first taking the inputs, the target and the parameters, the last
giving the scalar loss. Parameters a later layer needs are passed through the earlier
layers unchanged, so every layer is an honest map ℝⁿ → ℝᵐ with a Jacobian.

Reverse mode computes the gradient as the row vector
``1 · J_L(s_{L−1}) · … · J_2(s_1) · J_1(s_0)``, multiplied from the left (vector–Jacobian
products, what backpropagation does), with each Jacobian evaluated at the forward
state. :class:`Backprop` checks that it equals the gradient of the composed expression
F(x; θ), exactly and symbolically, for all inputs and parameters.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from symconv.results.result import Result, Verdict
from symconv.routes.budget import Budget
from symconv.routes.calculus.claims import CHAIN_RULE
from symconv.routes.calculus.differentiability import exact_zero
from symconv.routes.calculus.findings import map_data
from symconv.routes.calculus.maps import Map, MapError, compose, real_symbols
from symconv.routes.verdicts import data, entry, issue, record

__all__ = [
    "Model",
    "ACTIVATIONS",
    "two_layer_model",
    "forward_states",
    "reverse_mode_gradient",
    "composed_gradient",
    "Backprop",
]


def _sigmoid(z):
    return 1 / (1 + sp.exp(-z))


#: Smooth activations by name.
ACTIVATIONS = {"tanh": sp.tanh, "sigmoid": _sigmoid}


@dataclass(frozen=True)
class Model:
    """Layers s_0 → s_1 → … → loss; ``layers[0].variables`` are the model's inputs."""

    layers: tuple[Map, ...]
    description: str = ""

    def __post_init__(self):
        layers = tuple(self.layers)
        if not layers:
            raise MapError("a model needs at least one layer")
        for a, b in zip(layers, layers[1:]):
            if b.n != a.m:
                raise MapError(f"layer {b.name} takes ℝ^{b.n} but {a.name} gives ℝ^{a.m}")
        if layers[-1].m != 1:
            raise MapError("the last layer must give a scalar loss")
        object.__setattr__(self, "layers", layers)

    @property
    def inputs(self) -> tuple[sp.Symbol, ...]:
        return self.layers[0].variables


def two_layer_model(n_in: int = 2, n_hidden: int = 2, activation: str = "tanh") -> Model:
    """L = ½(W₂ σ(W₁x + b₁) + b₂ − y)²: two affine layers, a smooth activation, a loss."""
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}; known: {', '.join(ACTIVATIONS)}")
    if not (1 <= n_in <= 4 and 1 <= n_hidden <= 4):
        raise ValueError("sizes between 1 and 4")
    sigma = ACTIVATIONS[activation]
    x = real_symbols([f"x{i}" for i in range(1, n_in + 1)])
    (y,) = real_symbols("y")
    W1 = sp.Matrix(
        n_hidden,
        n_in,
        real_symbols([f"W1_{i}{j}" for i in range(1, n_hidden + 1) for j in range(1, n_in + 1)]),
    )
    b1 = real_symbols([f"b1_{i}" for i in range(1, n_hidden + 1)])
    W2 = real_symbols([f"W2_{j}" for j in range(1, n_hidden + 1)])
    (b2,) = real_symbols("b2")
    z = real_symbols([f"z{i}" for i in range(1, n_hidden + 1)])
    h = real_symbols([f"h{i}" for i in range(1, n_hidden + 1)])
    (o,) = real_symbols("o")
    carried = (y, *W2, b2)

    affine1 = Map(
        (*x, y, *W1, *b1, *W2, b2),
        (*(W1 * sp.Matrix(x) + sp.Matrix(b1)), *carried),
        name="affine1",
    )
    act = Map((*z, *carried), (*(sigma(zi) for zi in z), *carried), name=activation)
    affine2 = Map((*h, *carried), (sum(w * hi for w, hi in zip(W2, h)) + b2, y), name="affine2")
    loss = Map((o, y), (sp.Rational(1, 2) * (o - y) ** 2,), name="loss")
    return Model(
        (affine1, act, affine2, loss),
        description=(
            f"L = ½(W₂ {activation}(W₁x + b₁) + b₂ − y)², x ∈ ℝ^{n_in}, " f"{n_hidden} hidden units"
        ),
    )


def forward_states(model: Model) -> list[tuple[sp.Expr, ...]]:
    """s_0, s_1, …: each state as expressions in the model's inputs."""
    states = [tuple(model.inputs)]
    for layer in model.layers:
        subs = dict(zip(layer.variables, states[-1]))
        states.append(tuple(c.xreplace(subs) for c in layer.components))
    return states


def reverse_mode_gradient(model: Model, budget: Budget | None = None) -> sp.Matrix:
    """1 · J_L(s_{L−1}) · … · J_1(s_0), accumulated from the left (vector–Jacobian products)."""
    states = forward_states(model)
    v = sp.Matrix([[1]])
    for layer, state in zip(reversed(model.layers), reversed(states[:-1])):
        if budget:
            budget.check()
        J = layer.jacobian().xreplace(dict(zip(layer.variables, state)))
        v = v * J
    return v


def composed_gradient(model: Model) -> sp.Matrix:
    """The gradient of the composed expression F(x; θ), differentiated directly."""
    F = model.layers[0]
    for layer in model.layers[1:]:
        F = compose(layer, F)
    return F.jacobian()


@dataclass(frozen=True)
class Backprop:
    """“Reverse mode (a product of Jacobians) gives the gradient of the composed model.”"""

    model: Model

    def __str__(self) -> str:
        return f"backprop = ∇ of the composed model: {self.model.description}"

    def decide(self, budget: Budget) -> Result:
        rev = reverse_mode_gradient(self.model, budget)
        budget.check()
        direct = composed_gradient(self.model)
        names = [str(v) for v in self.model.inputs]
        for j, name in enumerate(names):
            budget.check()
            if exact_zero(rev[0, j] - direct[0, j]) is not True:
                return Result(
                    str(self),
                    Verdict.UNKNOWN,
                    reason=f"alarm: the ∂L/∂{name} entries did not reduce to the same expression",
                )
        certificate = record(
            str(self),
            Verdict.PROVED,
            "reverse mode (1·J_L(s_{L−1})⋯J_1(s_0)) equals the gradient of the composed "
            "expression, entry by entry, for all inputs and parameters",
            [entry("backprop", what=self.model.description, layers=[map_data(m) for m in self.model.layers])],
            [data(layers=[map_data(m) for m in self.model.layers])],
        )
        return issue(
            certificate,
            method="reverse mode = ∇ of the composition (exact)",
            hypotheses=(CHAIN_RULE,),
            details={
                "layers": [
                    f"{layer.name}: ℝ^{layer.n} → ℝ^{layer.m}" for layer in self.model.layers
                ],
                "gradient_entries": len(names),
                "with_respect_to": names,
            },
        )
