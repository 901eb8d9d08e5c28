"""Section 2 of the notes: differentiation (and backpropagation, §2.1's composed model).

The theorems 2.1–2.3 are general statements about every map; symconv tries them on a
family of concrete maps and reports them ``checked`` (never ``proved``). The converses
the notes' wording invites are ``refuted`` by the classic counterexamples, found among a
few candidates and checked exactly. The chain rule 2.4 is ``proved`` symbolically for
arbitrary smooth maps of given dimensions and for a concrete composition.
"""

import sympy as sp

from symconv.engine.obligation import Obligation
from symconv.routes.calculus.backprop import Backprop, two_layer_model
from symconv.routes.calculus.claims import (
    ChainRuleAbstract,
    ChainRuleConcrete,
    DifferentiableAt,
    Implication,
)
from symconv.routes.calculus.maps import Map, real_symbols

x, y, z = real_symbols("x y z")
u, v, w = real_symbols("u v w")

# ----------------------------------------------------------------------------- the maps
POLYNOMIAL = Map((x, y), (x**2 * y, x + y**3))
SMOOTH = Map((x, y), (sp.sin(x) * sp.exp(y), x * y, sp.cos(x + y)))
SCALAR_CUBIC = Map((x, y, z), (x * y * z + z**2,))
RADIUS = Map((x, y), (sp.sqrt(x**2 + y**2),))
LOG_ATAN = Map((x, y), (sp.log(1 + x**2 + y**2), sp.atan(x - y)))
CURVE = Map((x,), (x**3, sp.exp(x)))
X_ABS_X = Map((x,), (x * sp.Abs(x),))
#: x² sin(1/x), 0 at 0: differentiable at 0, its derivative is not continuous there
X2_SIN = Map((x,), (x**2 * sp.sin(1 / x),), overrides=(((0,), (0,)),))
#: |x|: continuous at 0, not differentiable there
ABS = Map((x,), (sp.Abs(x),))
#: xy/(x²+y²), 0 at the origin: both partial derivatives exist at 0, not differentiable
XY_RATIO = Map((x, y), (x * y / (x**2 + y**2),), overrides=(((0, 0), (0,)),))

ORIGIN2 = (0, 0)

#: The family on which the theorems 2.1–2.3 are checked: (map, point).
FAMILY = (
    (POLYNOMIAL, (1, 2)),
    (SMOOTH, ORIGIN2),
    (SCALAR_CUBIC, (1, -1, 2)),
    (RADIUS, (3, 4)),
    (LOG_ATAN, (1, 1)),
    (CURVE, (1,)),
    (X_ABS_X, (0,)),
    (X2_SIN, (0,)),
    (ABS, (0,)),
    (XY_RATIO, ORIGIN2),
)
FAMILY_TEXT = (
    "10 maps ℝⁿ→ℝᵐ (n, m ≤ 3) at rational points: polynomial; smooth elementary "
    "(sin, cos, exp, log, atan, √); x|x| and x² sin(1/x) at 0; |x| and xy/(x²+y²) at 0 "
    "(where the premise fails, the instance is vacuous and not counted)"
)

SLIP_2_4 = (
    "Theorem 2.4 says 'z = g(f(x)) is differentiable in points a and z′ = g′·f′'; "
    "the derivatives are taken at different points: J_{g∘f}(a) = J_g(f(a))·J_f(a)."
)
SLIP_DEFINITION = (
    "Item 3 of the definition calls α an 'infinite dimensional function'; what is "
    "meant is that α(Δx) is infinitesimal (α(Δx) → 0), item 1."
)

# ----------------------------------------------------------------------------- claims
OBLIGATIONS = [
    Obligation(
        "diff.def.polynomial",
        DifferentiableAt(POLYNOMIAL, (1, 2)),
        "proved",
        source="§2.2, the definition",
        title="a polynomial map is differentiable; A is its Jacobian",
        errata=(SLIP_DEFINITION,),
    ),
    Obligation(
        "diff.def.smooth",
        DifferentiableAt(SMOOTH, ORIGIN2),
        "proved",
        source="§2.2, the definition",
        title="a smooth elementary map is differentiable",
    ),
    Obligation(
        "diff.def.x2sin",
        DifferentiableAt(X2_SIN, (0,)),
        "proved",
        source="§2.2, the definition",
        title="x² sin(1/x) (0 at 0) is differentiable at 0",
    ),
    Obligation(
        "diff.def.xy-ratio",
        DifferentiableAt(XY_RATIO, ORIGIN2),
        "refuted",
        source="§2.2, the definition",
        title="xy/(x²+y²) is not differentiable at 0: α(t, t) → ∞",
    ),
    Obligation(
        "diff.thm2.1",
        Implication(
            "differentiable",
            "partial derivatives are the entries of A",
            FAMILY,
            FAMILY_TEXT,
            label="Theorem 2.1",
        ),
        "checked",
        source="§2.3 Theorem 2.1",
        title="differentiable ⇒ the partial derivatives exist and are the entries of A",
    ),
    Obligation(
        "diff.thm2.2",
        Implication("differentiable", "continuous", FAMILY, FAMILY_TEXT, label="Theorem 2.2"),
        "checked",
        source="§2.3 Theorem 2.2",
        title="differentiable ⇒ continuous",
    ),
    Obligation(
        "diff.thm2.3",
        Implication(
            "partial derivatives are continuous",
            "differentiable",
            FAMILY,
            FAMILY_TEXT,
            label="Theorem 2.3",
        ),
        "checked",
        source="§2.3 Theorem 2.3",
        title="continuous partial derivatives ⇒ differentiable",
    ),
    Obligation(
        "diff.thm2.4.abstract",
        ChainRuleAbstract(((1, 1, 1), (2, 3, 2), (3, 2, 2))),
        "checked",
        source="§2.3 Theorem 2.4",
        title=(
            "the chain rule for arbitrary smooth maps of given dimensions (checked: SymPy "
            "differentiates the composition with its own chain rule)"
        ),
        errata=(SLIP_2_4,),
    ),
    Obligation(
        "diff.thm2.4.concrete",
        ChainRuleConcrete(
            Map((u, v, w), (u + v * w, u**2), name="g"),
            Map((x, y), (x * y, sp.sin(x), sp.exp(y)), name="f"),
            (1, 2),
        ),
        "proved",
        source="§2.3 Theorem 2.4",
        title="the chain rule for a concrete composition, and at (1, 2) exactly",
    ),
    Obligation(
        "diff.converse.partials",
        Implication(
            "partial derivatives exist",
            "differentiable",
            ((POLYNOMIAL, (1, 2)), (ABS, (0,)), (XY_RATIO, ORIGIN2)),
            "candidates: a polynomial map, |x| at 0, xy/(x²+y²) at 0",
            label="converse of 2.1",
        ),
        "refuted",
        source="§2.3 Theorem 2.1, read backwards",
        title="partial derivatives may exist without differentiability (xy/(x²+y²))",
    ),
    Obligation(
        "diff.converse.2.3",
        Implication(
            "differentiable",
            "partial derivatives are continuous",
            ((POLYNOMIAL, (1, 2)), (X_ABS_X, (0,)), (X2_SIN, (0,))),
            "candidates: a polynomial map, x|x| at 0, x² sin(1/x) at 0",
            label="converse of 2.3",
        ),
        "refuted",
        source="§2.3 Theorem 2.3, read backwards",
        title="differentiable with a discontinuous derivative (x² sin(1/x))",
    ),
    Obligation(
        "diff.converse.2.2",
        Implication(
            "continuous",
            "differentiable",
            ((POLYNOMIAL, (1, 2)), (X2_SIN, (0,)), (ABS, (0,))),
            "candidates: a polynomial map, x² sin(1/x) at 0, |x| at 0",
            label="converse of 2.2",
        ),
        "refuted",
        source="§2.3 Theorem 2.2, read backwards",
        title="continuous but not differentiable (|x| at 0)",
    ),
    Obligation(
        "diff.backprop.tanh",
        Backprop(two_layer_model(2, 2, "tanh")),
        "proved",
        source="§2.1, F(x; θ) as a composition",
        title="backpropagation (reverse mode) is the chain rule: tanh network, squared loss",
    ),
    Obligation(
        "diff.backprop.sigmoid",
        Backprop(two_layer_model(3, 2, "sigmoid")),
        "proved",
        source="§2.1, F(x; θ) as a composition",
        title="backpropagation is the chain rule: sigmoid network, 3 inputs",
    ),
]
