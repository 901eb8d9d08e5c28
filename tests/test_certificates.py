"""Certificates: the codec reads trees, never text; every verdict carries a certificate that
the independent checker accepts from its JSON; every tampered certificate is rejected; and
the defects the review and the fuzzing campaign found stay fixed."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
import sympy as sp
from tamper import KINDS, mutants

import symconv
from symconv import Statement, Verdict, functions, param_symbol, prove
from symconv.language.parser import parse
from symconv.results.certificate import (
    MAX_BYTES,
    Certificate,
    CertificateError,
    CounterexampleCertificate,
    FourierCertificate,
)
from symconv.results.result import EvidenceError, Result
from symconv.routes.concrete.functions import box
from symconv.routes.refutation import replay as replay_module
from symconv.routes.refutation.replay import Candidate, ReplayFailed, replay
from symconv.trusted import codec
from symconv.trusted.checker import check
from symconv.trusted.codec import CodecError, Decoder, Encoder, decode

f, g, h = functions("f g h")
a, b = param_symbol("a"), param_symbol("b")

#: Statements of every kind of certificate besides the notes' obligations: δ parts, values,
#: pairings with a test function, negations, parameters, orders.
STATEMENTS = [
    "f*g = g*f",
    "f*g != g*f",
    "f⋆g != g⋆f",
    "τ(f, b) = f",
    "diff(f, 2) = f",
    "(f*g)(a) = f(a)",
    "inner(f, g) = f(0)",
    "delta(1) = delta(2)",
    "diff(delta(1)) = delta(1)",
    "f*delta(1) = f",
    "(f + conv(delta(), delta(1)) - delta(1))(b) = f(b)",
    "inner(delta(a), g + conv(delta(b), delta()) - delta(b)) = g(a)",
    "diff(f*g, k) = f*diff(g, k)",
    "inner(f⋆g, h) = inner(g, f*h)",
    # other groups: sampling, vectors, a concrete modulus, the plane
    "over Z: downsample(upsample(f, s), s) = f",
    "over Z: downsample(τ(f, 2*b), 2) = τ(downsample(f, 2), b)",
    "over Z: upsample(downsample(f, 2), 2) = f",
    "over Z^2: τ(f, b) = f",
    "over Z/8: g*f⁻ = g⁻*f",
    "over Z/N: τ(f, 2) = f",
    "over R^2: τ(f, b) = f",
    "over R^2: (f*g)*h = f*(g*h)",
    "complex f, g: xcorr(f, g) = conv(flip(f), g)",
]


@pytest.fixture(scope="module")
def certificates():
    """Every certificate the notes' obligations and the statements above produce."""
    out = []
    for outcome in symconv.run("theorems"):
        assert outcome.result.certificate is not None, outcome.obligation.id
        out.append((outcome.obligation.id, outcome.result.certificate))
    for text in STATEMENTS:
        r = prove(text)
        assert r.certificate is not None, (text, r.reason)
        out.append((text, r.certificate))
    return out


# ----------------------------------------------------------------------------- the codec


@pytest.mark.parametrize("text", ["(f⋆g)⋆h = f⋆(g⋆h)", "diff(τ(f, b), k) = τ(diff(f, k), b) + δ(1/2)",
                                  "inner(f, g)*2 = f(a) + inner(δ(a), f)"])
def test_statements_round_trip_through_trees(text):
    st = parse(text)
    data = json.loads(json.dumps(Encoder().statement(st)))
    assert Decoder().statement(data) == st


def test_bound_variables_keep_their_identity_in_one_certificate():
    y = sp.Dummy("y", real=True)
    e = sp.Integral(sp.Function("f", real=True)(y) * sp.Function("g")(param_symbol("x") - y), (y, -sp.oo, sp.oo))
    enc = Encoder()
    tree, again = enc(e), enc(y)
    dec = Decoder()
    back = dec(tree)
    assert back.limits[0][0] is dec(again)
    assert back.xreplace({dec(again): y}) == e


@pytest.mark.parametrize(
    "tree, message",
    [
        (["eval", ["int", "1"]], "unknown node kind"),
        (["apply", "__import__", [], ["int", "1"]], "reserved"),
        (["sym", "x; import os"], "must be a name"),
        (["sym", "b", "complex"], "assumptions must be among"),
        (["int", "1" * 300], "at most 200 digits"),
        (["int", "1e5"], "decimal integer"),
        (["pow", ["int", "2"], ["int", "1000000"]], "exponent"),
        (["pow", ["pow", ["int", "10"], ["int", "64"]], ["int", "64"]], "more than 200 digits"),
        (["op", "conv", ["int", "1"], ["op", "fn", "f"]], "must be a function"),
        (["op", "system", ["int", "1"]], "no operator called"),
        ("f*g", "a node is a list"),
        (["rat", "1", "0"], "denominator must be positive"),
        (["delta", ["int", "0"], ["int", "1000"]], "order of a δ derivative"),
    ],
)
def test_the_codec_refuses_what_is_not_a_whitelisted_tree(tree, message):
    with pytest.raises(CodecError, match=message):
        decode(tree)


def test_the_codec_bounds_depth_and_size():
    deep = ["int", "1"]
    for _ in range(codec.MAX_DEPTH + 5):
        deep = ["add", deep, ["int", "1"]]
    with pytest.raises(CodecError, match="nested more than"):
        decode(deep)
    wide = ["add"] + [["sym", "x"]] * (codec.MAX_NODES + 1)
    with pytest.raises(CodecError, match="more than 200000 nodes"):
        decode(wide)


def test_checking_certificates_never_parses_text(monkeypatch, certificates):
    """Every certificate is read back and checked with SymPy's parser (what sympify uses on
    text), eval and exec made to fail."""
    import builtins

    import sympy.parsing.sympy_parser as parser

    def refuse(*args, **kwargs):
        raise AssertionError("text parsed or evaluated while checking a certificate")

    monkeypatch.setattr(parser, "parse_expr", refuse)
    monkeypatch.setattr(builtins, "eval", refuse)
    monkeypatch.setattr(builtins, "exec", refuse)
    for name, cert in certificates:
        again = Certificate.from_json(cert.to_json())
        assert again == cert, name
        assert check(again.to_dict()).valid, name


# ----------------------------------------------------------------------------- the schema


def test_every_verdict_carries_a_certificate_the_checker_accepts(certificates):
    kinds = set()
    for name, cert in certificates:
        report = check(json.loads(cert.to_json()))
        assert report.valid, (name, report.reason)
        kinds.add(cert.kind)
    assert kinds == {"fourier", "counterexample", "definition", "record"}


def test_a_certificate_reads_back_from_its_json(certificates):
    for _, cert in certificates:
        assert Certificate.from_json(cert.to_json().encode("utf-8")) == cert


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d.update(format="other"), "not a symconv certificate"),
        (lambda d: d.update(version=2), "version 2"),
        (lambda d: d.update(kind="magic"), "unknown certificate kind"),
        (lambda d: d.pop("claim"), "missing claim"),
        (lambda d: d.update(extra=1), "unknown extra"),
        (lambda d: d.update(verdict="checked"), "supports proved or refuted"),
        (lambda d: d.update(convention=1), "convention must be str"),
    ],
)
def test_a_malformed_certificate_is_refused_with_the_reason(change, message):
    data = prove("f*g = g*f").certificate.to_dict()
    change(data)
    with pytest.raises(CertificateError, match=message):
        Certificate.from_dict(data)


def test_certificate_text_is_refused_when_it_is_not_json_data():
    with pytest.raises(CertificateError, match="float"):
        Certificate.from_json('{"format": "symconv-certificate", "version": 1.0}')
    with pytest.raises(CertificateError, match="not JSON"):
        Certificate.from_json("{")
    with pytest.raises(CertificateError, match="bytes"):
        Certificate.from_json(b" " * (MAX_BYTES + 1))


def test_a_result_rests_on_a_certificate_for_its_own_verdict():
    cert = prove("f*g = g*f").certificate
    assert isinstance(cert, FourierCertificate)
    with pytest.raises(EvidenceError, match="needs the certificate"):
        Result("s", Verdict.PROVED, method="m")
    with pytest.raises(EvidenceError, match="cannot rest on a certificate for 'proved'"):
        Result("s", Verdict.REFUTED, method="m", witness=None, negated=True, certificate=cert)


def test_json_output_carries_the_certificate():
    doc = json.loads(prove("f⋆g = g⋆f").to_json())
    assert doc["certificate"]["kind"] == "counterexample"
    assert check(doc["certificate"]).valid


# ----------------------------------------------------------------------------- tampering


def test_every_tampered_certificate_is_rejected(certificates):
    """One coefficient, one function, one point, one rule, one side condition of every
    certificate changed: the checker rejects every mutant."""
    tried = {k: 0 for k in KINDS}
    accepted, few = [], []
    for name, cert in certificates:
        data = json.loads(cert.to_json())
        made = list(mutants(data))
        if len(made) < 3:
            few.append(name)
        for kind, mutant in made:
            tried[kind] += 1
            if check(mutant).valid:
                accepted.append((name, kind))
    assert accepted == []
    # every kind of change was tried, and every certificate got three kinds at least
    assert all(n >= 10 for n in tried.values()), tried
    assert few == []


def test_the_statement_shown_is_bound_to_the_claim():
    data = prove("f*g = g*f").certificate.to_dict()
    data["statement"] = "f * g = g * h"
    assert "statement shown is not the claim" in check(data).reason


def test_side_conditions_are_the_kernels_assumptions():
    r = prove("(f*g)*h = f*(g*h)")
    cert = r.certificate.to_dict()
    assert [s["rule"] for s in cert["side_conditions"]] == ["fubini"]
    assert [step["rule"] for step in cert["derivation"]["steps"]].count("fubini") == 1
    assert any(h.rule == "fubini" and h.where for h in r.hypotheses)
    cert["side_conditions"] = []
    assert "not the assumptions of the derivation" in check(cert).reason


# ----------------------------------------------------------------------------- one maker


def test_a_certificate_the_checker_refuses_makes_no_verdict(monkeypatch):
    """The engine issues a verdict only after the checker accepts its certificate."""
    import symconv.routes.verdicts as verdicts

    monkeypatch.setattr(verdicts, "check", lambda data: type(check({}))(False, "fourier", "proved", "forged"))
    r = prove("f*g = g*f")
    assert r.verdict is Verdict.UNKNOWN and r.certificate is None
    assert r.reason.startswith("alarm: the certificate did not pass the independent checker")


def test_refutations_of_section_2_and_the_layers_are_records():
    from symconv.routes.discrete.layers import LayerIsConv

    r = prove(LayerIsConv())
    assert r.verdict is Verdict.REFUTED and r.certificate.kind == "record"
    checks = [e["check"] for e in r.certificate.entries]
    assert checks[0] == "values_differ" and {e["role"] for e in r.certificate.entries} == {"computation", "numeric"}


# ----------------------------------------------------------------------------- regressions


def test_a_coefficient_zero_by_trigonometry_is_proved():
    """(sin²a + cos²a)·f = f: the coefficient is 0, though not as a polynomial."""
    r = prove(Statement((sp.sin(a) ** 2 + sp.cos(a) ** 2) * f, f))
    assert r.verdict is Verdict.PROVED and check(r.certificate.to_dict()).valid


def test_a_coefficient_whose_vanishing_is_not_decided_says_so():
    """√(a² + 2a + 1) = |a + 1| for real a, but not as an exponential polynomial: the
    reason says that, not that the statement is false."""
    r = prove(Statement(sp.sqrt(a**2 + 2 * a + 1) * f, sp.Abs(a + 1) * f))
    assert r.verdict is Verdict.UNKNOWN
    assert "is not decided" in r.reason and "not an identity" not in r.reason


@pytest.mark.parametrize(
    "text, verdict",
    [
        ("(f + conv(delta(), delta(1)) - delta(1))(b) == f(b)", Verdict.PROVED),
        ("(f + shift(delta(), 1) - delta(1))(b) == f(b)", Verdict.PROVED),
        ("(conv(delta(), delta(1)) - delta(1))(b) == 1/2", Verdict.REFUTED),
        ("inner(delta(a), g + conv(delta(b), delta()) - delta(b)) == g(a)", Verdict.PROVED),
    ],
)
def test_delta_parts_that_cancel_after_normalisation_leave_a_value(text, verdict):
    r = prove(text)
    assert r.verdict is verdict, r.reason
    assert check(r.certificate.to_dict()).valid


def test_the_spot_check_never_calls_a_failed_evaluation_agreement():
    r = prove("diff(f*g, 13) = f*diff(g, 13)")  # the exact evaluator stops at order 12
    assert r.verdict is Verdict.PROVED
    assert r.details["spot_check"].startswith("inconclusive")


BOX_CASE = ("τ(f⁻, 2) + g = 2*g", {"f": box(Fraction(5, 7), 1), "g": box(-2, 0)}, Fraction(-1))


def test_a_replay_checks_a_subterm_that_has_no_value_at_the_witness_point_elsewhere():
    """f⁻ jumps at the point −1 and at −1 + 2/7: the replay checks it at a spare point."""
    text, fns, at = BOX_CASE
    st = parse(text)
    w = replay(st, Candidate(fns, at=at))
    assert w.extra["confirmation"]["quadrature_nodes"] >= 2
    assert check(w.certificate.to_dict()).valid


def test_a_subterm_checked_nowhere_fails_the_replay(monkeypatch):
    text, fns, at = BOX_CASE
    monkeypatch.setattr(replay_module, "SPARE_POINTS", ())
    with pytest.raises(ReplayFailed, match="could not be checked"):
        replay(parse(text), Candidate(fns, at=at))


def test_a_counterexample_certificate_records_every_compound_subterm():
    cert = prove("(f⋆g)⋆h = f⋆(g⋆h)").certificate
    assert isinstance(cert, CounterexampleCertificate)
    assert len(cert.closed_forms) == 4
    data = cert.to_dict()
    data["closed_forms"].pop()
    assert "a closed form for each compound subterm" in check(data).reason


@pytest.mark.parametrize(
    "text",
    [
        "fourier(conv(f, g)) == mul(fourier(f), fourier(g))",
        "complex f, g: inner(f, conj(g)) == inner(fourier(f), conj(fourier(g)))/(2*pi)",
        "diff(mul(f, g)) == mul(diff(f), g) + mul(f, diff(g))",
    ],
)
def test_derivations_of_the_larger_language_are_replayed_and_tampering_is_seen(text):
    """With an explanation the certificate carries the kernel's derivation (the product
    rule, Fourier inversion, conjugation…), which the checker replays."""
    cert = prove(text, explain=True).certificate
    data = cert.to_dict()
    assert data["derivation"] and data["side_conditions"]
    assert check(data).valid
    for kind, mutant in mutants(data):
        assert not check(mutant).valid, kind


# ----------------------------------------------------------------------------- other groups


@pytest.mark.parametrize("text", ["ℝ", "ℝ²", "ℤ", "ℤ³", "ℤ/8", "ℤ/N"])
def test_groups_read_back_from_their_names(text):
    from symconv.language.groups import Group

    g = codec.group(text)
    assert isinstance(g, Group) and str(g) == text


@pytest.mark.parametrize("text, message", [("ℤ/0", "positive integer"), ("ℝ⁴", "no group"), ("ℤ/-3", "must be a name"),
                                           ("ℤ/__x", "reserved"), (3, "no group")])
def test_a_group_that_is_not_one_is_refused(text, message):
    with pytest.raises(CodecError, match=message):
        codec.group(text)


def test_a_formal_identity_that_mixes_a_number_and_a_vector_is_not_certified():
    """On ℝ², 1 in a point stands for (1, 1): e^{iν·p} at ν = p = 1 is e^{2i}, not e^{i}. A
    reading with one symbol per vector would call this statement an identity; the checker
    refuses it."""
    from symconv.language.groups import Group
    from symconv.language.terms import At, Modulate
    from symconv.routes.verdicts import identity_certificate

    st = Statement(At(Modulate(f, 1), 1), sp.exp(sp.I) * At(f, 1), group=Group("R", 2))
    report = check(identity_certificate(st).to_dict())
    assert not report.valid and "linear form" in report.reason
    assert prove(st).verdict is Verdict.UNKNOWN  # the normal form calls it an identity: an alarm


def test_a_parameter_that_is_a_vector_and_a_number_is_refused_by_the_checker():
    from symconv.language.groups import Group
    from symconv.language.terms import Shift
    from symconv.routes.verdicts import identity_certificate

    st = Statement(b * Shift(f, b), b * Shift(f, b), group=Group("Z", 2))
    assert "stand for vectors and for numbers" in check(identity_certificate(st).to_dict()).reason


def test_a_complex_witness_for_a_real_function_is_refused_on_a_group():
    """f⋆g = f⁻*g holds for real f on ℤ; with f = i·δ the sides differ, but that is no
    counterexample to a statement about real functions."""
    cert = prove("over Z: complex f, g: conv(f, flip(g)) = xcorr(g, f)").certificate.to_dict()
    data = json.loads(json.dumps(cert))
    data["claim"] = json.loads(json.dumps(Encoder().statement(parse("over Z: complex f: conv(f, flip(g)) = xcorr(g, f)"))))
    data["statement"] = str(parse("over Z: complex f: conv(f, flip(g)) = xcorr(g, f)"))
    assert check(cert).valid
    assert "is real but its witness is not" in check(data).reason


def test_the_sums_of_a_group_counterexample_are_the_checkers_own(monkeypatch):
    """A recorded value that is not the sum of the definition is refused, and so is a
    counterexample whose sides the checker's sums do not tell apart."""
    cert = prove("over Z/N: (f⋆g)⋆h = f⋆(g⋆h)").certificate.to_dict()
    assert check(cert).valid
    forged = json.loads(json.dumps(cert))
    forged["values"]["lhs"] = forged["values"]["rhs"] = ["int", "1"]
    assert not check(forged).valid
    even = json.loads(json.dumps(cert))  # f = δ₀ is even: f⋆(g⋆h) = (f⋆g)⋆h then
    even["witness"]["functions"]["f"] = [[[0], ["int", "1"]]]
    assert "do not differ" in check(even).reason


def test_a_certificate_keeps_its_trees_as_text_and_hands_out_fresh_copies():
    import pickle

    from symconv.results.certificate import Certificate

    cert = prove("f⋆g = g⋆f").certificate
    witness = cert.witness
    witness["functions"] = {}
    assert cert.witness != witness and cert.witness["functions"]  # a reader cannot change it
    assert Certificate.from_dict(cert.to_dict()) == cert
    assert pickle.loads(pickle.dumps(cert)) == cert
    # held (and sent between processes) as JSON text, not as lists and dicts
    assert len(pickle.dumps(cert)) < len(pickle.dumps(cert.to_dict()))
    assert all(type(object.__getattribute__(cert, name)).__name__ == "_Packed"
               for name in ("claim", "witness", "values", "enclosure", "closed_forms"))
