"""symconv: proof obligations for convolution and cross-correlation identities.

>>> import symconv
>>> symconv.prove("f⋆g = f⁻*g").verdict
<Verdict.PROVED: 'proved'>
"""

from symconv.engine.obligation import DuplicateObligation, Obligation, Outcome
from symconv.engine.prove import DEFAULT_TIMEOUT, as_statement, prove
from symconv.engine.runner import Run, run
from symconv.engine.sources import TheoremFileError
from symconv.engine.sources import load as load_theorems
from symconv.language.groups import Group
from symconv.language.parser import ParseError, parse, parse_term
from symconv.language.terms import (
    At,
    Conj,
    Conv,
    ConvPower,
    Delta,
    Diff,
    Downsample,
    Flip,
    Fn,
    Fourier,
    Ident,
    Inner,
    InverseFourier,
    Modulate,
    Product,
    Scale,
    Shift,
    Statement,
    TermError,
    TotalIntegral,
    Upsample,
    Xcorr,
    Zero,
    functions,
    order_symbol,
    param_symbol,
)
from symconv.language.unfold import unfold, unfold_statement
from symconv.results.certificate import Certificate, CertificateError
from symconv.results.conditions import Hypothesis, SideCondition
from symconv.results.result import EvidenceError, Result, Verdict, Witness
from symconv.routes.calculus.backprop import Backprop, two_layer_model
from symconv.routes.calculus.claims import (
    ChainRuleAbstract,
    ChainRuleConcrete,
    DifferentiableAt,
    Implication,
)
from symconv.routes.calculus.maps import (
    Map,
    MapError,
    abstract_map,
    compose,
    real_symbols,
)
from symconv.routes.fourier import Decision, Monomial, decide, normal_form
from symconv.surfaces import cards as _cards  # noqa: F401  (registers the notebook cards)

# lower-case operator names, as in the statement syntax
conv, xcorr, flip, shift, diff, delta, inner, at = Conv, Xcorr, Flip, Shift, Diff, Delta, Inner, At
fourier, ifourier, mul, scale, modulate, conj = Fourier, InverseFourier, Product, Scale, Modulate, Conj
convpow, integral = ConvPower, TotalIntegral
downsample, upsample = Downsample, Upsample  # the sampling of strided layers, on ℤⁿ
#: the identity function x ↦ x and the zero function
identity, zero = Ident(), Zero()

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_TIMEOUT",
    "Conj",
    "ConvPower",
    "Fourier",
    "Group",
    "Ident",
    "InverseFourier",
    "Modulate",
    "Product",
    "Scale",
    "TotalIntegral",
    "Downsample",
    "Upsample",
    "downsample",
    "upsample",
    "Zero",
    "conj",
    "convpow",
    "fourier",
    "identity",
    "ifourier",
    "integral",
    "modulate",
    "mul",
    "scale",
    "zero",
    "At",
    "Backprop",
    "Certificate",
    "CertificateError",
    "ChainRuleAbstract",
    "ChainRuleConcrete",
    "DifferentiableAt",
    "Implication",
    "Map",
    "MapError",
    "abstract_map",
    "compose",
    "real_symbols",
    "two_layer_model",
    "Conv",
    "Decision",
    "Delta",
    "Diff",
    "DuplicateObligation",
    "EvidenceError",
    "Flip",
    "Fn",
    "Hypothesis",
    "SideCondition",
    "Inner",
    "Monomial",
    "Obligation",
    "Outcome",
    "ParseError",
    "Result",
    "Run",
    "Shift",
    "Statement",
    "TermError",
    "TheoremFileError",
    "Verdict",
    "Witness",
    "Xcorr",
    "as_statement",
    "at",
    "conv",
    "decide",
    "delta",
    "diff",
    "flip",
    "functions",
    "inner",
    "load_theorems",
    "normal_form",
    "order_symbol",
    "param_symbol",
    "parse",
    "parse_term",
    "prove",
    "run",
    "shift",
    "unfold",
    "unfold_statement",
    "xcorr",
]
