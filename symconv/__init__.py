"""symconv: proof obligations for convolution and cross-correlation identities.

>>> import symconv
>>> symconv.prove("f⋆g = f⁻*g").verdict
<Verdict.PROVED: 'proved'>
"""

from .backprop import Backprop, two_layer_model
from .calculus import ChainRuleAbstract, ChainRuleConcrete, DifferentiableAt, Implication
from .engine import DEFAULT_TIMEOUT, as_statement, prove
from .fourier import Decision, Monomial, decide, normal_form
from .hypotheses import Hypothesis
from .maps import Map, MapError, abstract_map, compose, real_symbols
from .obligation import DuplicateObligation, Obligation, Outcome
from .parser import ParseError, parse, parse_term
from .result import EvidenceError, Result, Verdict, Witness
from .terms import (
    At,
    Conv,
    Delta,
    Diff,
    Flip,
    Fn,
    Inner,
    Shift,
    Statement,
    TermError,
    Xcorr,
    functions,
    order_symbol,
    param_symbol,
)
from .unfold import unfold, unfold_statement

# lower-case operator names, as in the statement syntax
conv, xcorr, flip, shift, diff, delta, inner, at = Conv, Xcorr, Flip, Shift, Diff, Delta, Inner, At

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_TIMEOUT",
    "At",
    "Backprop",
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
    "Inner",
    "Monomial",
    "Obligation",
    "Outcome",
    "ParseError",
    "Result",
    "Shift",
    "Statement",
    "TermError",
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
    "normal_form",
    "order_symbol",
    "param_symbol",
    "parse",
    "parse_term",
    "prove",
    "shift",
    "unfold",
    "unfold_statement",
    "xcorr",
]
