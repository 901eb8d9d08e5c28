"""Section 4 of the notes: cross-correlation."""

from symconv.engine.obligation import Obligation
from symconv.routes.concrete.definition import DefinitionClaim
from symconv.routes.concrete.functions import box, gaussian

BOX = box(0, 1)
GAUSS = gaussian()
GAUSS_1 = gaussian(1, 1)

OBLIGATIONS = [
    Obligation(
        "xcorr.def.box-box",
        DefinitionClaim("xcorr", "box", BOX, "box", BOX, "(9)"),
        "proved",
        source="§4.1 eq. (9), on a concrete pair",
        title="the definition on two unit boxes gives the triangle centred at 0",
        functions={"box": str(BOX.expr())},
    ),
    Obligation(
        "xcorr.def.gauss-shifted",
        DefinitionClaim("xcorr", "exp(-x**2)", GAUSS, "exp(-(x-1)**2)", GAUSS_1, "(9)"),
        "proved",
        source="§4.1 eq. (9), on a concrete pair",
        title="a Gaussian ⋆ a shifted Gaussian",
    ),
    Obligation(
        "xcorr.as-conv",
        "f⋆g = f⁻*g",
        "proved",
        source="§4.2 eq. (10)",
        title="cross-correlation is convolution with the flipped first factor",
    ),
    Obligation(
        "xcorr.chain.1",
        "f⋆g = f⁻*g",
        "proved",
        source="§4.3 eq. (11), first link",
        title="(11): f⋆g = f⁻*g",
    ),
    Obligation(
        "xcorr.chain.2",
        "f⁻*g = g*f⁻",
        "proved",
        source="§4.3 eq. (11), second link",
        title="(11): f⁻*g = g*f⁻ (commutativity of *)",
    ),
    Obligation(
        "xcorr.chain.3",
        "g*f⁻ = g⁻*f",
        "refuted",
        source="§4.3 eq. (11), third link (the notes' ≠)",
        title="(11): g*f⁻ = g⁻*f fails in general",
    ),
    Obligation(
        "xcorr.chain.4",
        "g⁻*f = g⋆f",
        "proved",
        source="§4.3 eq. (11), fourth link",
        title="(11): g⁻*f = g⋆f",
    ),
    Obligation(
        "xcorr.comm",
        "f⋆g = g⋆f",
        "refuted",
        source="§4.3 eq. (11), the two ends",
        title="cross-correlation is not commutative",
    ),
    Obligation(
        "xcorr.comm.not-identity",
        "f⋆g != g⋆f",
        "proved",
        source="§4.3 eq. (11), as the notes state it",
        title="(11) as stated: f⋆g = g⋆f is not an identity",
    ),
    Obligation(
        "xcorr.swap",
        "g⋆f = (f⋆g)⁻",
        "proved",
        source="§4.3, what holds instead of (11)",
        title="swapping the factors of ⋆ flips the result",
    ),
    Obligation(
        "xcorr.assoc",
        "(f⋆g)⋆h = f⋆(g⋆h)",
        "refuted",
        source="§4.3 eq. (12)",
        title="cross-correlation is not associative",
    ),
    Obligation(
        "xcorr.assoc.not-identity",
        "(f⋆g)⋆h != f⋆(g⋆h)",
        "proved",
        source="§4.3 eq. (12), as the notes state it",
        title="(12) as stated: associativity of ⋆ is not an identity",
    ),
]
