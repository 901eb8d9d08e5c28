"""Section 3 of the notes: convolution."""

from symconv.engine.obligation import Obligation
from symconv.routes.concrete.definition import DefinitionClaim
from symconv.routes.concrete.functions import box, gaussian, one_sided_exp

BOX = box(0, 1)
GAUSS = gaussian()
GAUSS_1 = gaussian(1, 1)
DECAY = one_sided_exp()

SLIP_AFTER_3 = (
    "After the derivation (3) the notes conclude 'So we have proved that f*g = g*f'; "
    "that sentence is copied from (2). What (3) proves is time invariance, "
    "τ(f*g, b) = f*τ(g, b)."
)
SLIP_IN_8 = (
    "(8) is written 'f*δ(a) = f(a)', which compares a function (left) with a number "
    "(right) and is not well formed. Its two readings are the value (f*δ)(a) = f(a) and "
    "the function identity f*δ(a) = τ(f, a) (δ(a) the delta at a); both hold."
)

OBLIGATIONS = [
    Obligation(
        "conv.comm",
        "f*g = g*f",
        "proved",
        source="§3.2 eq. (2); §3.4 eq. (4)",
        title="convolution is commutative",
    ),
    Obligation(
        "conv.shift",
        "τ(f*g, b) = f*τ(g, b)",
        "proved",
        source="§3.3 eq. (3)",
        title="time invariance: shifting a convolution shifts one factor",
        errata=(SLIP_AFTER_3,),
    ),
    Obligation(
        "conv.shift.left",
        "τ(f*g, b) = τ(f, b)*g",
        "proved",
        source="§3.3, with (2)",
        title="time invariance, shifting the other factor",
    ),
    Obligation(
        "conv.assoc",
        "(f*g)*h = f*(g*h)",
        "proved",
        source="§3.4 eq. (5)",
        title="convolution is associative",
    ),
    Obligation(
        "conv.distrib",
        "f*(g + h) = f*g + f*h",
        "proved",
        source="§3.4 eq. (6)",
        title="convolution distributes over addition",
    ),
    Obligation(
        "conv.deriv",
        "diff(f*g, k) = f*diff(g, k)",
        "proved",
        source="§3.4 eq. (7)",
        title="the k-th derivative of a convolution falls on one factor (k symbolic)",
    ),
    Obligation(
        "conv.delta.value",
        "(f*δ)(a) = f(a)",
        "proved",
        source="§3.4 eq. (8), read as a value",
        title="sifting: (f*δ)(a) = f(a)",
        errata=(SLIP_IN_8,),
    ),
    Obligation(
        "conv.delta.shift",
        "f*δ(a) = τ(f, a)",
        "proved",
        source="§3.4 eq. (8), read as functions",
        title="convolving with δ(a) shifts by a",
        errata=(SLIP_IN_8,),
    ),
    Obligation(
        "conv.def.box-box",
        DefinitionClaim("conv", "box", BOX, "box", BOX, "(1)"),
        "proved",
        source="§3.1 eq. (1), on a concrete pair",
        title="the definition on two unit boxes gives the triangle",
        functions={"box": str(BOX.expr())},
    ),
    Obligation(
        "conv.def.gauss",
        DefinitionClaim("conv", "exp(-x**2)", GAUSS, "exp(-(x-1)**2)", GAUSS_1, "(1)"),
        "proved",
        source="§3.1 eq. (1), on a concrete pair",
        title="the definition on two Gaussians gives a wider Gaussian",
    ),
    Obligation(
        "conv.def.decay-box",
        DefinitionClaim("conv", "exp(-x)H(x)", DECAY, "box", BOX, "(1)"),
        "proved",
        source="§3.1 eq. (1), on a concrete pair",
        title="the definition on a one-sided exponential and a box",
        functions={"exp(-x)H(x)": str(DECAY.expr()), "box": str(BOX.expr())},
    ),
]
