"""The notebook surface: symconv.prove(...) renders as a verdict card."""

import html
import json
import re

import sympy as sp

import symconv
from symconv.engine.obligation import Obligation, Outcome
from symconv.results.conditions import Hypothesis
from symconv.results.result import Result, Verdict, Witness
from symconv.surfaces import cards
from stub_certificates import stub


def _witness():
    return Witness(
        functions={"f": "exp(-x**2)*(x + 1)", "g": "exp(-(x - 1)**2)"},
        parameters={"b": "1/2"},
        at="1/3",
        test_function=None,
        lhs="sqrt(2)*sqrt(pi)*exp(-1/9)/3",
        rhs="sqrt(2)*sqrt(pi)*exp(-4/9)/5",
        lhs_numeric="0.7480",
        rhs_numeric="0.3217",
        digits=30,
    )


def test_prove_text_gives_a_card_with_verdict_method_and_side_conditions():
    r = symconv.prove("f*g = g*f")
    assert r.verdict is Verdict.PROVED
    page = r._repr_html_()
    assert "symconv-card" in page and ">proved<" in page
    assert "Fourier normal form" in page
    assert "MeasureTheory.convolution_flip" in page  # the side condition's lemma
    md = r._repr_markdown_()
    assert md.startswith("**proved** `f*g = g*f`")  # the text as typed
    assert "| rule | lemma | condition | used at |" in md
    assert json.loads(r.to_json())["verdict"] == "proved"


def test_terms_and_statements_render_as_latex():
    f, g = symconv.functions("f g")
    assert symconv.xcorr(f, g)._repr_latex_() == r"$\displaystyle f \star g$"
    st = symconv.as_statement(sp.Eq(symconv.xcorr(f, g), symconv.conv(symconv.flip(f), g)))
    assert st._repr_latex_().startswith("$f \\star g =")


def test_a_statement_built_with_eq_is_decided_like_its_text():
    f, g = symconv.functions("f g")
    built = symconv.prove(sp.Eq(symconv.xcorr(f, g), symconv.conv(symconv.flip(f), g)))
    assert built.verdict is symconv.prove("f⋆g = f⁻*g").verdict is Verdict.PROVED


def test_python_eq_on_terms_is_refused_with_a_hint():
    f, g = symconv.functions("f g")
    try:
        symconv.prove(symconv.xcorr(f, g) == symconv.conv(symconv.flip(f), g))
    except TypeError as exc:
        assert "Eq(lhs, rhs)" in str(exc)
    else:
        raise AssertionError("a bool was accepted as a statement")


def test_unknown_card_shows_the_reason():
    r = Result("f ⋆ g = g ⋆ f", Verdict.UNKNOWN, reason="timeout after 1 s")
    assert "<b>Reason:</b> timeout after 1 s" in r._repr_html_()
    assert "**Reason:** timeout after 1 s" in r._repr_markdown_()


def test_witness_table_in_every_format():
    r = Result("f ⋆ g = g ⋆ f", Verdict.REFUTED, method="counterexample", witness=_witness(),
               certificate=stub("refuted"))
    page = r._repr_html_()
    for _, value in cards.witness_rows(r):
        assert html.escape(value) in page
    assert "f(x)" in page and "at x =" in page
    md = r._repr_markdown_()
    assert "| f(x) | `exp(-x**2)*(x + 1)` |" in md
    assert "| at x = | `1/3` |" in md
    text = cards.text_card(r)
    assert re.search(r"left ≈ \(30 digits\) +0\.7480", text)


def test_everything_from_the_statement_is_escaped():
    evil = "<script>alert('x')</script> | `tick`"
    r = Result(evil, Verdict.UNKNOWN, reason="a <b>bold</b> | reason")
    page = r._repr_html_()
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<b>bold</b>" not in page
    md = r._repr_markdown_()
    first = md.splitlines()[0]
    assert "``" in first  # the statement's backtick is fenced by a longer fence
    assert "a \\<b\\>bold\\</b\\> \\| reason" in md


def test_repairs_in_details_are_shown():
    repairs = [
        Result("g ⋆ f = (f ⋆ g)⁻", Verdict.PROVED, method="Fourier normal form", certificate=stub("proved")),
        {"statement": "f⁻ ⋆ g⁻ = g ⋆ f", "verdict": "proved"},
    ]
    r = Result("f ⋆ g = g ⋆ f", Verdict.UNKNOWN, reason="r", details={"repairs": repairs})
    page = r._repr_html_()
    assert "g ⋆ f = (f ⋆ g)⁻" in page and "What holds instead" in page
    md = r._repr_markdown_()
    assert "| `f⁻ ⋆ g⁻ = g ⋆ f` | proved |" in md
    assert "what holds instead:" in cards.text_card(r)
    # repairs as plain statements (what the refutation route attaches) are a list
    plain = Result("f ⋆ g = g ⋆ f", Verdict.UNKNOWN, reason="r", details={"repairs": ["(f ⋆ g)⁻ = g ⋆ f"]})
    assert "- `(f ⋆ g)⁻ = g ⋆ f`" in plain._repr_markdown_()
    assert "<li><code>(f ⋆ g)⁻ = g ⋆ f</code></li>" in plain._repr_html_()


def test_a_proof_shows_its_derivation_in_the_notes_notation():
    r = symconv.prove("f⋆g = f⁻*g")
    record = r.details["derivation"]
    assert record["found"], record
    lines = cards.derivation_lines(record)
    assert lines[0].strip() == "(f ⋆ g)(x)"
    assert "(f⁻ * g)(x)" in lines[-2] or "(f⁻ * g)(x)" in lines[-1]
    page = r._repr_html_()
    assert "<b>Derivation</b>" in page
    for line in lines:
        assert html.escape(line.strip()) in page
    md = r._repr_markdown_()
    assert "**Derivation:**" in md and "$$" in md and "\\begin{aligned}" in md
    assert "derivation:" in cards.text_card(r)


def test_no_derivation_found_is_said():
    record = {"found": False, "reason": "budget", "statement": "s"}
    assert cards.derivation_lines(record) == ("no time-domain derivation found: budget",)
    assert not cards.derivation_found(record)
    assert cards.derivation_found({"found": True}) and not cards.derivation_found(None)


def test_checked_card_says_how_many_instances():
    r = Result(
        "chain rule",
        Verdict.CHECKED,
        method="instances",
        details={"instances": 25, "family": "polynomial maps"},
        certificate=stub("checked"),
    )
    assert "25 instances of polynomial maps" in r._repr_html_()


def test_outcome_card_marks_a_verdict_that_differs():
    ob = Obligation("mine.x", "f*g = g*f", "refuted", source="§0", title="a test")
    o = Outcome(ob, symconv.prove(ob.statement))
    page = o._repr_html_()
    assert "✗ expected refuted" in page and "mine.x" in page and "a test" in page
    assert "✗ expected refuted" in o._repr_markdown_()


def test_a_run_renders_as_a_table_in_the_order_of_the_obligations():
    run = symconv.run("theorems")
    ids = [o.obligation.id for o in run]
    page = run._repr_html_()
    positions = [page.index(f"<code>{i}</code>") for i in ids]
    assert positions == sorted(positions)
    md = run._repr_markdown_()
    rows = [line for line in md.splitlines() if line.startswith("| `")]
    assert [re.match(r"\| `([^`]+)`", row).group(1) for row in rows] == ids
    assert run["conv.comm"].result.verdict is Verdict.PROVED
    assert json.loads(run.to_json())["summary"]["obligations"] == len(ids)


def test_hypothesis_rows_come_from_the_result():
    h = Hypothesis("convolution_assoc", "(A * B) * C = A * (B * C)", "L", "Fubini", ("f * g",))
    r = Result("s", Verdict.PROVED, method="m", hypotheses=(h,), certificate=stub("proved"))
    assert cards.card(r).side_conditions == (("(A * B) * C = A * (B * C)", "L", "Fubini", "f * g"),)


def test_a_derivation_in_the_latex_report():
    from latex_check import check_latex

    from symconv.surfaces import export

    ob = Obligation("d.1", "f⋆g = f⁻*g", "proved")
    o = Outcome(ob, symconv.prove(ob.statement))
    text = export.latex([o], 0.0)
    check_latex(text)
    assert "\\begin{align*}" in text and "\\end{align*}" in text
    assert "#### `d.1`" in export.markdown([o], 0.0)  # shown with its details
