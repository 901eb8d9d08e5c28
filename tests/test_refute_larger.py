"""Counterexamples in the larger language: the replay rejects a wrong closed form of every
new operator, the witness search refutes the wrong variants (a Decision-like object
stands in for the Fourier normal form), every witness is replayed again here by the tests'
own quadrature of the definitions (tests/definitions_numeric.py), real functions only get
real witnesses, the spot check covers the new operators, repairs try the conventions'
constants, and end to end through the Fourier normal form."""

from fractions import Fraction
from types import SimpleNamespace

import pytest
from definitions_numeric import replay_independently

import symconv.routes.concrete.evaluate as evaluate
from symconv import Verdict, parse, prove
from symconv.routes.budget import Budget
from symconv.routes.concrete.functions import Distribution, PolynomialFn, gaussian
from symconv.routes.concrete.numbers import Num
from symconv.routes.refutation.repair import candidates
from symconv.routes.refutation.replay import Candidate, ReplayFailed, replay
from symconv.routes.refutation.search import search, spot_check

G0, G1 = gaussian(), gaussian(1, 1)
G2 = gaussian(1, Fraction(1, 2), (1, 1))


def _decision(statement, identity=False):
    """What the search reads of a Decision: ``identity`` and the atoms of the difference."""
    atoms = tuple((name, 1) for name in statement.function_names())
    difference = () if identity else (SimpleNamespace(atoms=atoms),)
    return SimpleNamespace(identity=identity, difference=difference)


def _complex(text: str) -> complex:
    return complex(text.replace("*I", "j").replace(" ", ""))


def _check_witness(witness):
    """The witness again, by the tests' own quadrature of the definitions."""
    data = witness.data
    lhs, rhs = (complex(v) for v in replay_independently(data.statement, data, window=(-12, 12), nodes=16))
    scale = 1 + abs(lhs) + abs(rhs)
    assert abs(lhs - _complex(witness.lhs_numeric)) < 1e-7 * scale
    assert abs(rhs - _complex(witness.rhs_numeric)) < 1e-7 * scale
    assert abs(lhs - rhs) > 1e-6 * scale


# --------------------------------------------------------------------------- wrong closed forms


def _wrong(name, how):
    right = getattr(evaluate, name)
    return name, lambda *args: how(right, *args)


# (statement true for every witness, candidate, the wrong closed form of one operator)
WRONG = [
    ("integral(mul(f, g)) = inner(f, g)", {"f": G1, "g": G2}, None,
     _wrong("product", lambda right, a, b: right(a, b.shift(Fraction(1))))),
    ("scale(f, 1) = f", {"f": G2}, Fraction(1),
     _wrong("dilate", lambda right, a, s: right(a, 2 * s))),
    ("modulate(f, 0) = f", {"f": G2}, Fraction(1),
     _wrong("modulate", lambda right, a, nu: right(a, nu + 1))),
    ("conj(f) = f", {"f": G2}, Fraction(1),
     _wrong("conjugate", lambda right, a: right(a).flip())),
    ("(id·f)(1) = f(1)", {"f": G2}, None,
     ("identity", lambda: PolynomialFn.make((1, 1)))),
    ("fourier(f)(0) = integral(f)", {"f": G2}, None,
     _wrong("transform", lambda right, a, scale, rate, sign: right(a, scale * 2, rate, sign))),
    ("fourier(f, ordinary) = scale(fourier(f), 2*pi)", {"f": G2}, Fraction(1),
     _wrong("transform", lambda right, a, scale, rate, sign: right(a, scale, 1, sign))),
    ("ifourier(fourier(f)) = f", {"f": G2}, Fraction(1),
     _wrong("transform", lambda right, a, scale, rate, sign: right(a, scale * (2 if sign > 0 else 1), rate, sign))),
    ("integral(f) = fourier(f)(0)", {"f": G2}, None,
     _wrong("integral", lambda right, a: right(a) * 2)),
    ("convpow(f, 2) = conv(f, f)", {"f": G2}, Fraction(1, 2),
     _wrong("conv_power", lambda right, a, n: right(a, n).shift(Fraction(1, 2)))),
    ("convpow(f, 3) = conv(f, conv(f, f))", {"f": G2}, Fraction(1, 2),
     _wrong("conv_power", lambda right, a, n: right(a, n).scale(Fraction(11, 10)))),
]


@pytest.mark.parametrize("text, functions, at, wrong", WRONG, ids=[w[0] for w in WRONG])
def test_replay_rejects_a_wrong_closed_form_of_each_new_operator(monkeypatch, text, functions, at, wrong):
    st = parse(text)
    cand = Candidate(functions, at=at)
    with pytest.raises(ReplayFailed, match="encloses 0"):  # a true identity: the sides agree
        replay(st, cand)
    monkeypatch.setattr(evaluate, *wrong)
    with pytest.raises(ReplayFailed, match="disagrees"):  # the quadrature catches the slip
        replay(st, cand)


# --------------------------------------------------------------------------- refutations

REFUTED = [
    # (f*g)·h ≠ f*(g·h)
    "mul(conv(f, g), h) = conv(f, mul(g, h))",
    # Plancherel with a wrong constant (inner has no conjugate: ∫ f̂ f̂ = 2π ∫ f f⁻)
    "inner(f, f) = inner(fourier(f), fourier(f))",
    "2*pi*inner(f, conj(f)) = 2*inner(fourier(f), conj(fourier(f)))",
    "convention ordinary: inner(f, conj(f)) = 2*pi*inner(fourier(f), conj(fourier(f)))",
    "convention unitary: 2*pi*inner(f, conj(f)) = inner(fourier(f), conj(fourier(f)))",
    # the product rule without its 1/(2π)
    "fourier(mul(f, g)) = conv(fourier(f), fourier(g))",
    "fourier(mul(f, g)) = mul(fourier(f), fourier(g))",
    # |a| missing from the scaling of a convolution
    "scale(conv(f, g), 2) = conv(scale(f, 2), scale(g, 2))",
    "scale(conv(f, g), -2) = -2*conv(scale(f, -2), scale(g, -2))",  # a for |a|
    # inversion without the 2π, and a unitary double transform that is not the identity
    "fourier(fourier(f)) = flip(f)",
    "convention unitary: fourier(fourier(f)) = f",
    # shift ↔ modulation with the wrong sign; derivative ↔ multiplication by iω
    "fourier(shift(f, b)) = modulate(fourier(f), b)",
    "fourier(diff(f)) = mul(id, fourier(f))",
    "complex f: conj(f) = f",
    "complex f: fourier(conj(f)) = conj(fourier(f))",
    "fourier(convpow(f, n)) = mul(fourier(f), fourier(f))",
    "integral(mul(id, f)) = 0",
    "scale(f, a) = scale(f, -a)",
]


@pytest.mark.parametrize("text", REFUTED)
def test_wrong_variants_are_refuted_with_replayed_witnesses(text):
    st = parse(text)
    witness = search(st.equation(), _decision(st), Budget(60))
    assert witness is not None
    _check_witness(witness)
    confirmation = witness.extra["confirmation"]
    assert confirmation["quadrature_nodes"] >= 1 and confirmation["interval_digits"] == [30, 60]


def test_true_identities_have_no_witness():
    for text in ("fourier(conv(f, g)) = mul(fourier(f), fourier(g))",
                 "2*pi*fourier(mul(f, g)) = conv(fourier(f), fourier(g))",
                 "convention ordinary: fourier(conv(f, g)) = mul(fourier(f), fourier(g))",
                 "conj(f) = f",
                 "scale(conv(f, g), -2) = 2*conv(scale(f, -2), scale(g, -2))"):
        st = parse(text)
        assert search(st.equation(), _decision(st), Budget(60)) is None, text


def test_real_functions_get_real_witnesses():
    st = parse("conj(f) = f")  # true for a real f, false for a complex one
    with pytest.raises(ReplayFailed, match="real function"):
        replay(st, Candidate({"f": gaussian(1, 0, nu=1)}, at=Fraction(1)))
    w = search(parse("fourier(conj(f)) = conj(fourier(f))").equation(),
               _decision(parse("fourier(conj(f)) = conj(fourier(f))")), Budget(60))
    assert w is not None and "I" not in w.functions["f"]


def test_complex_witnesses_print_both_parts():
    st = parse("complex f: conj(f) = f")
    w = search(st.equation(), _decision(st), Budget(60))
    assert "I" in w.functions["f"]
    assert w.lhs_numeric.endswith("*I") and _complex(w.lhs_numeric) == _complex(w.rhs_numeric).conjugate()


def test_the_scaling_counterexample_is_the_simplest():
    w = search(parse("scale(conv(f, g), 2) = conv(scale(f, 2), scale(g, 2))").equation(),
               _decision(parse("scale(conv(f, g), 2) = conv(scale(f, 2), scale(g, 2))")), Budget(60))
    assert w.functions == {"f": "exp(-x**2)", "g": "exp(-x**2)"} and w.at == "0"


# --------------------------------------------------------------------------- spot check


def test_the_spot_check_covers_the_new_operators():
    proved = [
        "fourier(conv(f, g)) = mul(fourier(f), fourier(g))",
        "complex f, g: 2*pi*fourier(mul(f, g)) = conv(fourier(f), fourier(g))",
        "complex f: fourier(fourier(f)) = 2*pi*flip(f)",
        "complex f: convention unitary: ifourier(fourier(f)) = f",
        "complex f: convention ordinary: fourier(shift(f, b)) = modulate(fourier(f), -2*pi*b)",
        "complex f: integral(f) = fourier(f)(0)",
        "scale(conv(f, g), 2) = 2*conv(scale(f, 2), scale(g, 2))",
        "complex f: conj(modulate(f, a)) = modulate(conj(f), -a)",
        "fourier(diff(f)) = I*mul(id, fourier(f))",
        "convpow(f, 2) = conv(f, f)",
        "fourier(convpow(f, 2)) = mul(fourier(f), fourier(f))",
    ]
    for text in proved:
        st = parse(text)
        assert spot_check(st.equation(), _decision(st, identity=True), Budget(30)) is None, text
    false = parse("complex f: fourier(conj(f)) = conj(fourier(f))")
    alarm = spot_check(false.equation(), _decision(false, identity=True), Budget(30))
    assert alarm is not None and "differ" in alarm and "I" in alarm


# --------------------------------------------------------------------------- repairs


def test_repair_candidates_include_the_conventions_constants():
    texts = {str(c) for c in candidates(parse("inner(f, conj(f)) = inner(fourier(f), conj(fourier(f)))"))}
    assert "2*pi*inner(f, conj(f)) = inner(fourier(f), conj(fourier(f)))" in texts
    assert "inner(f, conj(f)) = inner(fourier(f), conj(fourier(f)))/(2*pi)" in texts
    plain = {str(c) for c in candidates(parse("f*g = g⋆f"))}
    assert not any("pi" in t for t in plain)  # only where a transform is


# --------------------------------------------------------------------------- end to end

PROVED = [
    "fourier(conv(f, g)) = mul(fourier(f), fourier(g))",
    "2*pi*fourier(mul(f, g)) = conv(fourier(f), fourier(g))",
    "convention ordinary: fourier(conv(f, g)) = mul(fourier(f), fourier(g))",
    "complex f: fourier(fourier(f)) = 2*pi*flip(f)",
    "complex f: convention ordinary: fourier(shift(f, b)) = modulate(fourier(f), -2*pi*b)",
    "scale(conv(f, g), -2) = 2*conv(scale(f, -2), scale(g, -2))",
    "complex f, g: xcorr(f, g) = conv(conj(flip(f)), g)",
    "complex f: fourier(xcorr(f, f)) = mul(conj(fourier(f)), fourier(f))",
    "convention unitary: inner(f, conj(f)) = inner(fourier(f), conj(fourier(f)))",
    "2*pi*inner(f, conj(f)) = inner(fourier(f), conj(fourier(f)))",
]


@pytest.mark.parametrize("text", REFUTED)
def test_prove_refutes_with_a_replayed_witness(text):
    result = prove(text)
    assert result.verdict is Verdict.REFUTED, result.reason
    _check_witness(result.witness)


@pytest.mark.parametrize("text", PROVED)
def test_prove_proves_the_right_variants_and_the_spot_check_agrees(text):
    result = prove(text)
    assert result.verdict is Verdict.PROVED, result.reason
    assert result.details["spot_check"] == "agreed"


def test_a_wrong_constant_plancherel_gets_the_right_constant_as_its_repair():
    result = prove("inner(f, conj(f)) = inner(fourier(f), conj(fourier(f)))")
    assert result.verdict is Verdict.REFUTED, result.reason
    assert "2*pi*inner(f, conj(f)) = inner(fourier(f), conj(fourier(f)))" in result.details["repairs"]
    result = prove("fourier(mul(f, g)) = conv(fourier(f), fourier(g))")
    assert "2*pi*fourier(f·g) = fourier(f) * fourier(g)" in result.details["repairs"]


def test_side_values_are_exact_complex_numbers():
    from symconv.routes.refutation.replay import side_values

    st = parse("complex f: fourier(f) = f")
    f = gaussian(1, 0, nu=1)
    lhs, rhs, lv, rv = side_values(st.equation(), Candidate({"f": f}, at=Fraction(1)))
    assert isinstance(lhs, Distribution) and isinstance(rv, Num) and not rv.is_real()
    assert lv.is_real()  # 𝓕(e^{−x² + ix}) = √π e^{−(ω − 1)²/4} is real
