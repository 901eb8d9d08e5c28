"""The engine: verdicts with their evidence, negation, budgets, claims."""

import time

import pytest

from symconv import Verdict, prove
from symconv.engine.prove import as_statement
from symconv.language.parser import ParseError
from symconv.language.terms import Conv, Statement, functions
from symconv.results.result import EvidenceError, Result, Witness
from symconv.routes.budget import Budget, Timeout, time_limit
from stub_certificates import stub

f, g, h = functions("f g h")


def test_proved_carries_method_and_side_conditions():
    r = prove("(f*g)*h = f*(g*h)")
    assert r.verdict is Verdict.PROVED
    assert r.method == "Fourier normal form + derivation"  # both routes prove it
    # the normal form's step (reassociating) and the kernel's assumption (Fubini at step 4 of
    # the derivation, which the certificate carries and the checker replays)
    assert [hy.lemma for hy in r.hypotheses] == [
        "MeasureTheory.convolution_assoc",
        "MeasureTheory.integral_integral_swap",
    ]
    assert r.hypotheses[1].where == ("step 4 of the derivation",)
    assert [a["rule"] for a in r.certificate.side_conditions] == ["fubini"]
    assert r.seconds > 0


def test_reflexivity_needs_no_side_conditions():
    r = prove("f*g = f*g")
    assert r.verdict is Verdict.PROVED and r.method == "reflexivity" and r.hypotheses == ()


def test_statements_from_python_objects():
    assert prove((Conv(f, g), Conv(g, f))).verdict is Verdict.PROVED
    assert prove(Statement(Conv(f, g), Conv(g, f))).verdict is Verdict.PROVED
    assert as_statement("f*g = g*f") == Statement(Conv(f, g), Conv(g, f))
    with pytest.raises(TypeError):
        as_statement(3)
    with pytest.raises(ParseError):
        prove("f*g")


def test_a_non_identity_is_never_refuted_without_a_witness():
    r = prove("f⋆g = g⋆f")
    assert r.verdict in (Verdict.REFUTED, Verdict.UNKNOWN)
    if r.verdict is Verdict.REFUTED:
        assert r.witness is not None
    else:
        assert "F_f(-ω)*F_g(ω)" in r.reason


def test_negated_statement_of_an_identity_is_refuted_by_its_proof():
    r = prove("f*g != g*f")
    assert r.verdict is Verdict.REFUTED
    assert r.negated and r.witness is None
    assert "proves f * g = g * f" in r.method
    assert r.hypotheses


def test_outside_the_language_is_unknown_with_reason():
    r = prove("δ(a)(b) = 0")
    assert r.verdict is Verdict.UNKNOWN
    assert r.reason.startswith("outside the language")


def test_timeout_ends_unknown():
    big = f + g  # 2^9 terms multiplied out: within the bounds, far beyond 50 ms
    for i in range(8):
        u, v = functions(f"u{i} v{i}")
        big = Conv(big, u + v)
    r = prove((big, Conv(big, f)), timeout=0.05)
    assert r.verdict is Verdict.UNKNOWN
    assert r.reason == "timeout after 0.05 s"


def test_time_limit_interrupts_a_loop():
    with pytest.raises(Timeout):
        with time_limit(0.05):
            while True:
                pass


def test_budget_check_is_cooperative():
    budget = Budget(0.01)
    time.sleep(0.02)
    with pytest.raises(Timeout):
        budget.check()
    with pytest.raises(ValueError):
        Budget(0)


class _Claim:
    def __init__(self, result):
        self.result = result

    def __str__(self):
        return "a claim"

    def decide(self, budget):
        return self.result


class _SlowClaim:
    def __str__(self):
        return "slow"

    def decide(self, budget):
        while True:
            pass


def test_claim_objects_are_decided_under_the_budget():
    ok = Result("a claim", Verdict.CHECKED, details={"instances": 3, "family": "x"},
                certificate=stub("checked"))
    assert prove(_Claim(ok)).verdict is Verdict.CHECKED
    r = prove(_SlowClaim(), timeout=0.05)
    assert r.verdict is Verdict.UNKNOWN and "timeout" in r.reason


@pytest.mark.parametrize(
    "kwargs",
    [
        {"verdict": "proved", "certificate": stub("proved")},
        {"verdict": "refuted", "method": "m", "certificate": stub("refuted")},
        {"verdict": "checked", "details": {"instances": 0, "family": "x"}, "certificate": stub("checked")},
        {"verdict": "checked", "details": {"instances": 3}, "certificate": stub("checked")},
        {"verdict": "unknown"},
        # every verdict but unknown needs its certificate, for that verdict
        {"verdict": "proved", "method": "m"},
        {"verdict": "checked", "details": {"instances": 3, "family": "x"}},
        {"verdict": "proved", "method": "m", "certificate": stub("refuted")},
    ],
)
def test_a_result_refuses_a_verdict_without_its_evidence(kwargs):
    with pytest.raises(EvidenceError):
        Result("s", **kwargs)


def test_result_serialises():
    w = Witness({"f": "exp(-x**2)"}, {"b": "1"}, "0", None, "1", "2", "1.0", "2.0", 30)
    r = Result("s", Verdict.REFUTED, method="counterexample", witness=w, certificate=stub("refuted"))
    d = r.to_dict()
    assert d["verdict"] == "refuted" and d["witness"]["functions"] == {"f": "exp(-x**2)"}
    assert set(d) == {"input", "statement", "verdict", "method", "hypotheses", "witness",
                      "reason", "repairs", "derivation", "seconds", "error", "certificate"}
    assert d["certificate"]["kind"] == "record" and d["certificate"]["verdict"] == "refuted"


def test_very_deep_terms_end_unknown_instead_of_overflowing():
    fs = functions(" ".join(f"f{i}" for i in range(400)))
    left = fs[0]
    for x in fs[1:]:
        left = Conv(left, x)
    right = fs[-1]
    for x in reversed(fs[:-1]):
        right = Conv(x, right)
    r = prove((left, right))
    assert r.verdict is Verdict.UNKNOWN and "deep" in r.reason


def test_large_identities_rest_on_the_normal_form_and_say_so():
    fs = functions(" ".join(f"f{i}" for i in range(100)))
    left = fs[0]
    for x in fs[1:]:
        left = Conv(left, x)
    right = fs[-1]
    for x in reversed(fs[:-1]):
        right = Conv(x, right)
    r = prove((left, right))
    assert r.verdict is Verdict.PROVED
    assert r.details["spot_check"].startswith("skipped: 198 operators")
    assert r.details["derivation"]["reason"].startswith("not attempted")
    small = prove("f*g = g*f")
    assert small.details["spot_check"] == "agreed" and small.details["derivation"]["found"]


@pytest.mark.parametrize(
    "source",
    [
        "diff(f, 14) = -omega^14*f",  # a parameter named like the frequency variable
        "diff(f, 2) = -ω^2*f",
        "(omega+2)*(3*omega+2)*diff(f, 2) = -(omega+2)*(3*omega+2)*omega^2*f",
        "inner(diff(f, 14), g) = -omega^14*inner(f, g)",
    ],
)
def test_a_parameter_called_omega_is_not_the_frequency(source):
    r = prove(source)
    assert r.verdict is not Verdict.PROVED
    negated = prove(source.replace(" = ", " != ", 1))
    assert negated.verdict is not Verdict.REFUTED


def test_reflexivity_does_not_prove_what_has_no_meaning():
    r = prove("inner(δ, δ) = inner(δ, δ)")
    assert r.verdict is Verdict.UNKNOWN and "not a number" in r.reason
    assert prove("inner(δ, δ) != inner(δ, δ)").verdict is Verdict.UNKNOWN


def test_a_spot_check_that_cannot_run_says_so():
    r = prove("diff(f, 20) = diff(diff(f, 10), 10)")
    assert r.verdict is Verdict.PROVED
    assert r.details["spot_check"].startswith("inconclusive")
