"""Derivations in the engine, the renderings, and ``--explain`` on the command line."""

import json

import pytest

import symconv.engine.prove as engine
from symconv import parse, prove
from symconv.results.result import Verdict
from symconv.routes.derivation.render import (
    as_latex,
    as_markdown,
    as_text,
    derivation_data,
    render,
)
from symconv.routes.derivation.search import find_derivation
from symconv.routes.fourier import decide
from symconv.surfaces.cli import ExitCode, main
from theorems import all_obligations

SECTIONS_3_4 = [ob for ob in all_obligations() if ob.id.split(".")[0] in ("conv", "xcorr")]


def data_of(text):
    return derivation_data(find_derivation(parse(text)).derivation)


# ----------------------------------------------------------------------------- engine


@pytest.mark.parametrize(
    "ob",
    [
        ob
        for ob in SECTIONS_3_4
        if ob.expect is Verdict.PROVED
        and isinstance(ob.statement, str)
        and not parse(ob.statement).negated
    ],
    ids=lambda ob: ob.id,
)
def test_each_proved_obligation_carries_both_routes(ob):
    r = prove(ob.statement)
    assert r.verdict is Verdict.PROVED
    assert r.method == "Fourier normal form + derivation"
    data = r.details["derivation"]
    assert data["found"] and data["complete"] and data["steps"]
    assert r.hypotheses  # the normal form's side conditions stay


def test_routes_that_disagree_raise_an_alarm(monkeypatch):
    real = engine.decide
    false = parse("f⋆g = g⋆f")
    # a normal form that (wrongly) calls commutativity of * false must not go unnoticed
    monkeypatch.setattr(engine, "decide", lambda eq, check: real(false, check))
    r = prove("f*g = g*f")
    assert r.verdict is Verdict.UNKNOWN
    assert "alarm" in r.reason and "derivation" in r.reason
    assert r.details["derivation"]["found"]


def test_no_derivation_leaves_a_proof_standing_on_the_normal_form():
    r = prove("δ(a)*δ(b) = δ(a + b)")
    assert r.verdict is Verdict.PROVED
    assert r.method == "Fourier normal form"
    assert r.details["derivation"]["found"] is False
    assert decide(parse("δ(a)*δ(b) = δ(a + b)"), lambda: None).identity


def test_json_of_a_result_contains_the_derivation():
    doc = json.loads(prove("f*g = g*f").to_json())
    assert doc["derivation"]["found"] is True
    assert [s["rule"] for s in doc["derivation"]["steps"]] == [
        "unfold",
        "substitute",
        "reverse_limits",
        "fold",
    ]


# ----------------------------------------------------------------------------- rendering


def test_text_of_2_reads_like_the_notes():
    text = as_text(data_of("f*g = g*f"))
    lines = [line.strip().split("   ")[0] for line in text.splitlines()]
    assert "(f * g)(x)" in lines[0]
    assert lines[1].endswith("= ∫ f(y) g(x - y) dy")
    assert lines[2].endswith("= ∫_{+∞}^{-∞} g(z) f(x - z) (-dz)")
    assert lines[3].endswith("= ∫ g(z) f(x - z) dz")
    assert lines[4].endswith("= (g * f)(x)")
    assert "substitute y = x - z, dy = -dz" in text


def test_text_of_3_and_10_read_like_the_notes():
    three = as_text(data_of("τ(f*g, b) = f*τ(g, b)"))
    for piece in [
        "(f * g)(x - b)",
        "∫ f(y) g(x - b - y) dy",
        "∫ f(y) τ(g, b)(x - y) dy",
        "(f * τ(g, b))(x)",
    ]:
        assert piece in three
    ten = as_text(data_of("f⋆g = f⁻*g"))
    for piece in [
        "∫ f(y) g(x + y) dy",
        "∫_{+∞}^{-∞} f(-z) g(x - z) (-dz)",
        "∫ f⁻(z) g(x - z) dz",
        "(f⁻ * g)(x)",
    ]:
        assert piece in ten


def test_side_conditions_are_shown_with_their_step():
    assoc = as_text(data_of("(f*g)*h = f*(g*h)"))
    assert "Fubini" in assoc and "< ∞" in assoc and "integral_integral_swap" in assoc
    deriv = as_text(data_of("diff(f*g, k) = f*diff(g, k)"))
    assert "g is Cᵏ with compact support and f is locally integrable" in deriv
    sift = as_text(data_of("(f*δ)(a) = f(a)"))
    assert "f is continuous at a" in sift


def test_markdown_and_latex():
    data = data_of("f*g = g*f")
    md = as_markdown(data)
    assert md.startswith("$$\n\\begin{aligned}") and "\\int_{+\\infty}^{-\\infty}" in md
    assert "(-dz)" in md and "1. definition of $*$ (1)" in md
    tex = as_latex(data)
    assert "\\begin{align*}" in tex and "\\begin{enumerate}" in tex and tex.count("\\item") == 4
    assert render(data, "text") == as_text(data)


# ----------------------------------------------------------------------------- command line


def test_prove_explain_shows_the_slip_after_3_next_to_the_derivation(capsys):
    assert main(["prove", "--explain", "conv.shift"]) is ExitCode.OK
    out = capsys.readouterr().out
    derivation = out.index("∫ f(y) τ(g, b)(x - y) dy")
    erratum = out.index("erratum in the notes")
    table = out.index("obligations:")
    assert derivation < erratum < table
    assert "What (3) proves is time invariance" in out


def test_check_explain_prints_a_derivation(capsys):
    assert main(["check", "--explain", "f⋆g = f⁻*g"]) is ExitCode.OK
    out = capsys.readouterr().out
    assert "[5]" in out and "(f⁻ * g)(x)" in out


def test_check_explain_says_when_no_derivation_was_found(capsys):
    assert main(["check", "--explain", "δ(a)*δ(b) = δ(a + b)"]) is ExitCode.OK
    out = capsys.readouterr().out
    assert "proved" in out
    assert "no time-domain derivation found; the verdict stands on the Fourier normal form" in out


@pytest.mark.parametrize("style, mark", [("markdown", "$$"), ("latex", "\\begin{align*}")])
def test_explain_formats(capsys, style, mark):
    assert main(["check", "--explain", "--explain-format", style, "f*g = g*f"]) is ExitCode.OK
    assert mark in capsys.readouterr().out


def test_prove_json_carries_derivations(capsys):
    main(["prove", "--format", "json", "conv.comm"])
    doc = json.loads(capsys.readouterr().out)
    assert doc["obligations"][0]["derivation"]["found"] is True


def test_explain_for_a_negated_statement_shows_the_equality(capsys):
    main(["check", "--explain", "f*g != g*f"])
    out = capsys.readouterr().out
    assert "the equality f * g = g * f holds" in out and "(g * f)(x)" in out
