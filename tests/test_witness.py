"""Refutations: every witness is replayed here by an independent numeric integration of
the definitions (tests/definitions_numeric.py), never by symconv's own evaluator."""


import pytest
from definitions_numeric import replay_independently

from symconv import Statement, Verdict, prove
from symconv.results.result import EvidenceError, Result
from theorems import all_obligations
from stub_certificates import stub

REFUTED = [
    "g*f⁻ = g⁻*f",
    "f⋆g = g⋆f",
    "(f⋆g)⋆h = f⋆(g⋆h)",
    "xcorr(delta(a), delta(b)) == delta(a + b)",
    "diff(f*g, k) = diff(f, k)*flip(g)",
    "inner(f, g) = inner(g⁻, f)",
    "(f*g)(a) = f(a)",
    "τ(f, b) = f",
    "f*δ(a) = τ(f, -a)",
    "diff(δ(a)) * f = -τ(diff(f), a)",
    "xcorr(diff(δ(a)), f) = τ(diff(f), -a)",
    "inner(diff(f), g) = inner(f, diff(g))",
    "2*f - g = f",
    "diff(δ(a), 2) = diff(δ(-a), 2)",
    "f*g = g*f + δ",
    "f(a) = f(-a)",
    "τ(f*g, b) = f*τ(g, -b)",
]


def _decimal(text: str) -> complex:
    """A witness's decimal value: ``a`` or ``a + b*I``."""
    return complex(text.replace("*I", "j").replace(" ", ""))


def _check_witness(result):
    assert result.witness is not None, result.reason
    data = result.witness.data
    st = data.statement
    lhs, rhs = replay_independently(st, data)
    scale = 1 + abs(lhs) + abs(rhs)
    assert abs(lhs - _decimal(result.witness.lhs_numeric)) < 1e-8 * scale
    assert abs(rhs - _decimal(result.witness.rhs_numeric)) < 1e-8 * scale
    assert abs(lhs - rhs) > 1e-6 * scale


@pytest.mark.parametrize("text", REFUTED)
def test_refuted_statement_has_independently_replayed_witness(text):
    result = prove(text)
    assert result.verdict is Verdict.REFUTED, result.reason
    _check_witness(result)


def test_refuted_obligations_of_the_notes_are_replayed_independently():
    # statements of the term language; the claim objects of section 2 and of the NN
    # layers replay their own witnesses (tests/test_differentiability.py, test_nnconv.py)
    refuted = [
        ob
        for ob in all_obligations()
        if ob.expect is Verdict.REFUTED and isinstance(ob.statement, (str, Statement))
    ]
    assert {ob.id for ob in refuted} >= {"xcorr.chain.3", "xcorr.comm", "xcorr.assoc"}
    for ob in refuted:
        result = prove(ob.statement)
        assert result.verdict is Verdict.REFUTED
        _check_witness(result)


def test_not_identity_statements_carry_the_witness():
    for text in ("f⋆g != g⋆f", "(f⋆g)⋆h != f⋆(g⋆h)"):
        result = prove(text)
        assert result.verdict is Verdict.PROVED and result.negated
        _check_witness(result)


def test_witness_json_has_the_promised_fields():
    w = prove("f⋆g = g⋆f").witness.to_dict()
    for key in ("functions", "parameters", "at", "test_function", "lhs", "rhs",
                "lhs_numeric", "rhs_numeric", "digits"):
        assert key in w
    assert set(w["functions"]) == {"f", "g"}
    assert w["at"] is not None and w["test_function"] is None
    assert w["digits"] >= 30


def test_distribution_statement_uses_a_test_function():
    w = prove("xcorr(delta(a), delta(b)) == delta(a + b)").witness
    assert w.at is None and w.test_function is not None
    assert set(w.parameters) == {"a", "b"}


def test_scalar_statement_needs_no_point():
    w = prove("inner(f, g) = inner(g⁻, f)").witness
    assert w.at is None and w.test_function is None


def test_symbolic_order_gets_a_value():
    w = prove("diff(f*g, k) = diff(f, k)*flip(g)").witness
    assert w.parameters["k"] in {"1", "2", "3", "4"}


def test_parity_dependent_difference_is_broken():
    # holds for even k only: a witness must pick an odd order
    result = prove("diff(f, k) = flip(diff(flip(f), k))")
    assert result.verdict is Verdict.REFUTED
    assert int(result.witness.parameters["k"]) % 2 == 1
    _check_witness(result)


def test_witnesses_are_the_simplest():
    # commutativity of ⋆: one shifted Gaussian and one centred one, at a simple point
    w = prove("f⋆g = g⋆f").witness
    assert sorted(w.functions.values()) == ["exp(-(x - 1)**2)", "exp(-x**2)"]
    # associativity of ⋆ is broken by a non-even f alone
    w = prove("(f⋆g)⋆h = f⋆(g⋆h)").witness
    assert w.functions["g"] == w.functions["h"] == "exp(-x**2)"
    assert w.functions["f"] == "exp(-(x - 1)**2)"


def test_identities_are_never_refuted():
    for text in ("f*g = g*f", "f⋆g = f⁻*g", "g⋆f = (f⋆g)⁻", "inner(diff(f), g) = -inner(f, diff(g))",
                 "xcorr(f, diff(δ(a))) = -flip(τ(diff(f), -a))"):
        assert prove(text).verdict is Verdict.PROVED


def test_refutation_needs_a_witness():
    with pytest.raises(EvidenceError):
        Result("f = g", Verdict.REFUTED, method="counterexample", certificate=stub("refuted"))


def test_the_notes_false_claims_are_refuted_within_a_small_budget():
    # speed is measured in benchmarks/bench_witness.py; here only that a modest budget
    # suffices (a pathological slowdown would end unknown with a timeout)
    for text in ("g*f⁻ = g⁻*f", "f⋆g = g⋆f", "(f⋆g)⋆h = f⋆(g⋆h)"):
        assert prove(text, timeout=10).verdict is Verdict.REFUTED
