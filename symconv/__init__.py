"""symconv: proof obligations for convolution and cross-correlation identities.

>>> import symconv
>>> symconv.prove("f⋆g = f⁻*g").verdict
<Verdict.PROVED: 'proved'>

Importing symconv is cheap: each public name is imported from its module the first time
it is used (``symconv.prove``, ``from symconv import conv``), so that
``python -m symconv`` and the pytest plugin load only what a command needs.
"""

from importlib import import_module as _import_module

from symconv.results import display as _display

__version__ = "0.1.0"

#: Each public name: (its module, its name there).
_PUBLIC = {
    "DuplicateObligation": ("symconv.engine.obligation", "DuplicateObligation"),
    "Obligation": ("symconv.engine.obligation", "Obligation"),
    "Outcome": ("symconv.engine.obligation", "Outcome"),
    "DEFAULT_TIMEOUT": ("symconv.engine.prove", "DEFAULT_TIMEOUT"),
    "as_statement": ("symconv.engine.prove", "as_statement"),
    "prove": ("symconv.engine.prove", "prove"),
    "Run": ("symconv.engine.runner", "Run"),
    "run": ("symconv.engine.runner", "run"),
    "TheoremFileError": ("symconv.engine.sources", "TheoremFileError"),
    "load_theorems": ("symconv.engine.sources", "load"),
    "ParseError": ("symconv.language.parser", "ParseError"),
    "parse": ("symconv.language.parser", "parse"),
    "parse_term": ("symconv.language.parser", "parse_term"),
    "At": ("symconv.language.terms", "At"),
    "Conv": ("symconv.language.terms", "Conv"),
    "Delta": ("symconv.language.terms", "Delta"),
    "Diff": ("symconv.language.terms", "Diff"),
    "Flip": ("symconv.language.terms", "Flip"),
    "Fn": ("symconv.language.terms", "Fn"),
    "Inner": ("symconv.language.terms", "Inner"),
    "Shift": ("symconv.language.terms", "Shift"),
    "Statement": ("symconv.language.terms", "Statement"),
    "TermError": ("symconv.language.terms", "TermError"),
    "Xcorr": ("symconv.language.terms", "Xcorr"),
    "Conj": ("symconv.language.terms", "Conj"),
    "ConvPower": ("symconv.language.terms", "ConvPower"),
    "Fourier": ("symconv.language.terms", "Fourier"),
    "Ident": ("symconv.language.terms", "Ident"),
    "InverseFourier": ("symconv.language.terms", "InverseFourier"),
    "Modulate": ("symconv.language.terms", "Modulate"),
    "Product": ("symconv.language.terms", "Product"),
    "Scale": ("symconv.language.terms", "Scale"),
    "TotalIntegral": ("symconv.language.terms", "TotalIntegral"),
    "Zero": ("symconv.language.terms", "Zero"),
    "Downsample": ("symconv.language.terms", "Downsample"),
    "Upsample": ("symconv.language.terms", "Upsample"),
    "Group": ("symconv.language.groups", "Group"),
    "functions": ("symconv.language.terms", "functions"),
    "order_symbol": ("symconv.language.terms", "order_symbol"),
    "param_symbol": ("symconv.language.terms", "param_symbol"),
    "unfold": ("symconv.language.unfold", "unfold"),
    "unfold_statement": ("symconv.language.unfold", "unfold_statement"),
    "Hypothesis": ("symconv.results.conditions", "Hypothesis"),
    "SideCondition": ("symconv.results.conditions", "SideCondition"),
    "Certificate": ("symconv.results.certificate", "Certificate"),
    "CertificateError": ("symconv.results.certificate", "CertificateError"),
    "EvidenceError": ("symconv.results.result", "EvidenceError"),
    "Result": ("symconv.results.result", "Result"),
    "Verdict": ("symconv.results.result", "Verdict"),
    "Witness": ("symconv.results.result", "Witness"),
    "Backprop": ("symconv.routes.calculus.backprop", "Backprop"),
    "two_layer_model": ("symconv.routes.calculus.backprop", "two_layer_model"),
    "ChainRuleAbstract": ("symconv.routes.calculus.claims", "ChainRuleAbstract"),
    "ChainRuleConcrete": ("symconv.routes.calculus.claims", "ChainRuleConcrete"),
    "DifferentiableAt": ("symconv.routes.calculus.claims", "DifferentiableAt"),
    "Implication": ("symconv.routes.calculus.claims", "Implication"),
    "Map": ("symconv.routes.calculus.maps", "Map"),
    "MapError": ("symconv.routes.calculus.maps", "MapError"),
    "abstract_map": ("symconv.routes.calculus.maps", "abstract_map"),
    "compose": ("symconv.routes.calculus.maps", "compose"),
    "real_symbols": ("symconv.routes.calculus.maps", "real_symbols"),
    "Decision": ("symconv.routes.fourier", "Decision"),
    "Monomial": ("symconv.routes.fourier", "Monomial"),
    "decide": ("symconv.routes.fourier", "decide"),
    "normal_form": ("symconv.routes.fourier", "normal_form"),
    # lower-case operator names, as in the statement syntax
    "conv": ("symconv.language.terms", "Conv"),
    "xcorr": ("symconv.language.terms", "Xcorr"),
    "flip": ("symconv.language.terms", "Flip"),
    "shift": ("symconv.language.terms", "Shift"),
    "diff": ("symconv.language.terms", "Diff"),
    "delta": ("symconv.language.terms", "Delta"),
    "inner": ("symconv.language.terms", "Inner"),
    "at": ("symconv.language.terms", "At"),
    "fourier": ("symconv.language.terms", "Fourier"),
    "ifourier": ("symconv.language.terms", "InverseFourier"),
    "mul": ("symconv.language.terms", "Product"),
    "scale": ("symconv.language.terms", "Scale"),
    "modulate": ("symconv.language.terms", "Modulate"),
    "conj": ("symconv.language.terms", "Conj"),
    "convpow": ("symconv.language.terms", "ConvPower"),
    "integral": ("symconv.language.terms", "TotalIntegral"),
    # the sampling of strided layers, on ℤⁿ
    "downsample": ("symconv.language.terms", "Downsample"),
    "upsample": ("symconv.language.terms", "Upsample"),
}
#: Public names that are terms, made on first use: the identity function x ↦ x and the
#: zero function.
_INSTANCES = {
    "identity": ("symconv.language.terms", "Ident"),
    "zero": ("symconv.language.terms", "Zero"),
}

__all__ = sorted({*_PUBLIC, *_INSTANCES})


def __getattr__(name: str):
    """Import a public name on first use (PEP 562), then keep it here."""
    if name in _PUBLIC:
        module, attribute = _PUBLIC[name]
        value = getattr(_import_module(module), attribute)
    elif name in _INSTANCES:
        module, attribute = _INSTANCES[name]
        value = getattr(_import_module(module), attribute)()
    else:
        raise AttributeError(f"module 'symconv' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))


# results show as verdict cards (notebooks, print()) once anything is shown: the cards
# are registered on the first use, not at import
_display.register_loader(lambda: _import_module("symconv.surfaces.cards"))
