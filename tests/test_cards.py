"""The notebook surface: symconv.prove(...) renders as a verdict card."""

import html
import json
import re

import sympy as sp

import symconv
from symconv import cards
from symconv.hypotheses import Hypothesis
from symconv.obligation import Obligation, Outcome
from symconv.result import Result, Verdict, Witness


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
    assert md.startswith("**proved** `f * g = g * f`")
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
    r = Result("f ⋆ g = g ⋆ f", Verdict.REFUTED, method="counterexample", witness=_witness())
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


def test_derivation_and_repairs_in_details_are_shown():
    steps = [
        {"expr": "(f ⋆ g)(x) = ∫ f(y) g(x + y) dy", "rule": "unfold"},
        {"expr": "= ∫ f(−z) g(x − z) dz", "rule": "substitute y = −z", "condition": "none"},
        "= (f⁻ * g)(x)",
    ]
    repairs = [
        Result("g ⋆ f = (f ⋆ g)⁻", Verdict.PROVED, method="Fourier normal form"),
        {"statement": "f⁻ ⋆ g⁻ = g ⋆ f", "verdict": "proved"},
    ]
    r = Result(
        "f ⋆ g = f⁻ * g",
        Verdict.PROVED,
        method="Fourier normal form",
        details={"derivation": steps, "repairs": repairs},
    )
    lines = cards.derivation_lines(steps)
    assert lines[1] == "2. = ∫ f(−z) g(x − z) dz   [substitute y = −z; none]"
    assert lines[2] == "3. = (f⁻ * g)(x)"
    page = r._repr_html_()
    assert "<b>Derivation</b>" in page and "substitute y = −z" in page
    assert "g ⋆ f = (f ⋆ g)⁻" in page and "What holds instead" in page
    md = r._repr_markdown_()
    assert "```text\n1. (f ⋆ g)(x) = ∫ f(y) g(x + y) dy   [unfold]" in md
    assert "| `f⁻ ⋆ g⁻ = g ⋆ f` | proved |" in md
    text = cards.text_card(r)
    assert "derivation:" in text and "what holds instead:" in text


def test_derivation_objects_with_their_own_text():
    class Derivation:
        def to_text(self):
            return "1. first\n2. second\n"

    assert cards.derivation_lines(Derivation()) == ("1. first", "2. second")
    assert cards.derivation_lines("a\n\nb") == ("a", "b")
    assert cards.derivation_lines(None) == ()


def test_checked_card_says_how_many_instances():
    r = Result(
        "chain rule",
        Verdict.CHECKED,
        method="instances",
        details={"instances": 25, "family": "polynomial maps"},
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
    r = Result("s", Verdict.PROVED, method="m", hypotheses=(h,))
    assert cards.card(r).side_conditions == (("(A * B) * C = A * (B * C)", "L", "Fubini", "f * g"),)


# The shape the derivation route records in details["derivation"].
RECORD = {
    "found": True,
    "statement": "f ⋆ g = f⁻ * g",
    "start": {"text": "(f ⋆ g)(x)", "latex": r"(f \star g)(x)"},
    "steps": [
        {
            "n": 1,
            "rule": "unfold",
            "title": "definition (9)",
            "text": "∫ f(y) g(x + y) dy",
            "latex": r"\int f(y) g(x + y)\,dy",
            "condition": "",
        },
        {
            "n": 2,
            "rule": "substitute",
            "title": "y = −z, dy = −dz",
            "text": "∫ f(−z) g(x − z) dz",
            "latex": r"\int f(-z) g(x - z)\,dz",
            "condition": "f, g measurable",
        },
    ],
    "complete": True,
}


def test_a_derivation_record_renders_as_numbered_steps():
    assert cards.derivation_lines(RECORD) == (
        "(f ⋆ g)(x)",
        "[1] = ∫ f(y) g(x + y) dy   definition (9)",
        "[2] = ∫ f(−z) g(x − z) dz   y = −z, dy = −dz — needs: f, g measurable",
    )
    assert cards.derivation_lines({"found": False, "reason": "budget"}) == (
        "no time-domain derivation found: budget",
    )
    r = Result("f ⋆ g = f⁻ * g", Verdict.PROVED, method="m", details={"derivation": RECORD})
    assert "[2] = ∫ f(−z) g(x − z) dz" in r._repr_html_()
    assert "[1] = ∫ f(y) g(x + y) dy   definition (9)" in r._repr_markdown_()


def test_a_derivation_record_in_the_latex_report():
    from symconv import export
    from latex_check import check_latex

    o = Outcome(
        Obligation("d.1", "f⋆g = f⁻*g", "proved"),
        Result("f ⋆ g = f⁻ * g", Verdict.PROVED, method="m", details={"derivation": RECORD}),
    )
    text = export.latex([o], 0.0)
    check_latex(text)
    assert r"(f \star g)(x) &= \int f(y) g(x + y)\,dy && \text{[1]} \\" in text
    assert r" &= \int f(-z) g(x - z)\,dz && \text{[2]}" in text
    assert r"\item y = -z, dy = -dz --- needs: f, g measurable" in text
    assert "#### `d.1`" in export.markdown([o], 0.0)  # shown with its details
