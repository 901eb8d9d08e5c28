"""The kernel of soundness: replay accepts only real counterexamples, and a wrong
evaluator can make neither a false refutation nor a silent proof."""

from fractions import Fraction

import pytest

import symconv.routes.concrete.evaluate as evaluate
from symconv import Verdict, parse, prove
from symconv.language.terms import param_symbol
from symconv.routes.concrete.functions import gaussian
from symconv.routes.refutation.replay import Candidate, ReplayFailed, replay
from symconv.routes.refutation.search import spot_check

G0, G1 = gaussian(), gaussian(1, 1)


def test_replay_rejects_a_candidate_whose_sides_are_equal():
    st = parse("f*g = g*f")
    with pytest.raises(ReplayFailed):
        replay(st, Candidate({"f": G0, "g": G1}, at=Fraction(1)))


def test_replay_rejects_a_point_where_a_false_identity_happens_to_hold():
    # f⋆g and g⋆f are mirror images: they agree at x = 0
    st = parse("f⋆g = g⋆f")
    with pytest.raises(ReplayFailed):
        replay(st, Candidate({"f": G0, "g": G1}, at=Fraction(0)))
    assert replay(st, Candidate({"f": G0, "g": G1}, at=Fraction(1))) is not None


def test_replay_rejects_a_candidate_without_values():
    st = parse("f*δ(a) = τ(f, -a)")
    with pytest.raises(ReplayFailed):  # the point is missing
        replay(st, Candidate({"f": G0}, {param_symbol("a"): Fraction(1)}))


def _wrong_xcorr(a, b):
    return evaluate.conv(a, b)  # the classic slip: forgets the flip


def test_a_wrong_evaluator_cannot_refute_a_true_identity(monkeypatch):
    monkeypatch.setattr(evaluate, "xcorr", _wrong_xcorr)
    st = parse("f⋆g = f⁻*g")  # true; the wrong evaluator makes the sides differ
    with pytest.raises(ReplayFailed, match="disagrees"):
        replay(st, Candidate({"f": G1, "g": G0}, at=Fraction(1)))


def test_a_wrong_evaluator_raises_the_alarm_on_a_proof(monkeypatch):
    monkeypatch.setattr(evaluate, "xcorr", _wrong_xcorr)
    result = prove("f⋆g = f⁻*g")
    assert result.verdict is Verdict.UNKNOWN
    assert "alarm" in result.reason


def test_a_wrong_evaluator_cannot_refute_through_the_engine(monkeypatch):
    monkeypatch.setattr(evaluate, "xcorr", _wrong_xcorr)
    # with ⋆ read as *, both sides agree on every candidate: no witness, no verdict
    result = prove("f⋆g = g⋆f")
    assert result.verdict is Verdict.UNKNOWN


def test_spot_check_agrees_with_proofs():
    for text in ("f*g = g*f", "(f*g)*h = f*(g*h)", "diff(f*g, k) = f*diff(g, k)",
                 "f*δ(a) = τ(f, a)", "(f*δ)(a) = f(a)", "xcorr(delta(a), delta(b)) == delta(b - a)",
                 "inner(f, g) = inner(g⁻, f⁻)"):
        st = parse(text)
        from symconv.routes.budget import Budget
        from symconv.routes.fourier import decide

        assert spot_check(st, decide(st), Budget(10)) is None, text


def test_spot_check_sees_a_false_statement():
    from symconv.routes.budget import Budget
    from symconv.routes.fourier import decide

    st = parse("f⋆g = g⋆f")
    assert "differ" in spot_check(st, decide(st), Budget(10))
