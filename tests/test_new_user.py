"""What a new user meets in the first hour: each friction of the first trial, as a test.

The numbers in the test names follow the list of frictions found in that trial (options
in any order, pasted glyphs, one bad line, the echo, ...).
"""

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import sympy as sp

import symconv
from symconv import Obligation, ParseError, Verdict, parse, prove
from symconv.language import parser as parser_module
from symconv.language.terms import Fn, Product
from symconv.results.result import Result, Witness
from symconv.surfaces import cards, export
from symconv.surfaces.cli import ExitCode, build_parser, main
from stub_certificates import stub

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# --------------------------------------------------------------------------- 1. arguments


def test_1_options_after_targets(capsys):
    code, out, err = run(capsys, "prove", "conv.comm", "-v", "xcorr.comm")
    assert code == ExitCode.OK, err
    assert "conv.comm" in out and "xcorr.comm" in out and "witness:" in out  # -v took effect
    code, out, err = run(capsys, "check", "f*g = g*f", "--explain", "f⋆g = f⁻*g")
    assert code == ExitCode.OK, err
    assert out.startswith("f*g = g*f") and "\n\nf⋆g = f⁻*g\n" in out and "[1] =" in out
    code, out, _ = run(capsys, "list", "--format", "json", "xcorr.comm")
    assert [ob["id"] for ob in json.loads(out)] == ["xcorr.comm", "xcorr.comm.not-identity"]


def test_1_usage_errors_show_the_subcommand_usage(capsys):
    code, _, err = run(capsys, "prove", "conv", "--bogus")
    assert code == ExitCode.USAGE
    assert "usage: symconv prove" in err and "unrecognized arguments: --bogus" in err


def test_1_a_word_that_is_part_of_ids_is_named_in_the_error(capsys):
    code, _, err = run(capsys, "prove", "comm")
    assert code == ExitCode.USAGE and "conv.comm" in err and "xcorr.comm" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "-h*g = -g*h"],
        ["check", "-h*g=-g*h"],
        ["check", "--", "-h*g = -g*h"],
        ["check", "--format", "text", "--", "-h*g = -g*h"],
    ],
)
def test_1_a_statement_that_starts_with_a_minus_is_a_statement(capsys, argv):
    code, out, err = run(capsys, *argv)
    assert code == ExitCode.OK, err
    assert out.startswith("-h*g") and "proved" in out


def test_1_the_readme_says_how_to_pass_a_leading_minus():
    assert 'check -- "-h*g = -g*h"' in README


# --------------------------------------------------------------------------- 2. glyphs


def test_2_the_asterisk_operator_pdfs_paste_is_convolution():
    assert parse("f ∗ g = g ∗ f") == parse("f*g = g*f")
    assert prove("f∗g = g∗f").verdict is Verdict.PROVED


def test_2_the_cross_is_refused_with_a_hint():
    with pytest.raises(ParseError) as info:
        parse("f × g = g*f")
    assert info.value.column == 3
    assert "ambiguous" in str(info.value) and "write '*'" in str(info.value)


@pytest.mark.parametrize("text", ["f·g = g·f", "f ⋅ g = g ∙ f", "mul(f, g) = g·f"])
def test_2_the_dot_is_the_pointwise_product(text):
    st = parse(text)
    assert st.lhs == Product(Fn("f"), Fn("g")) and st.rhs == Product(Fn("g"), Fn("f"))


def test_2_a_number_dot_a_function_scales_it():
    assert parse("2·f = f").lhs == 2 * Fn("f")


def test_2_every_glyph_is_documented():
    glyphs = {c for c in parser_module._SINGLE if not c.isascii()}
    glyphs |= set(parser_module._REFUSED_GLYPHS)
    section = README.split("## Statement syntax", 1)[1].split("\n## ", 1)[0]
    missing = sorted(g for g in glyphs if g not in section)
    assert not missing, f"glyphs the README's statement syntax does not name: {missing}"


# --------------------------------------------------------------------------- 3. one bad line


def test_3_a_bad_statement_is_reported_in_place_and_the_others_decided(capsys):
    code, out, err = run(capsys, "check", "f*g = g*f", "garbage!!", "f⋆g = g⋆f")
    assert code == ExitCode.USAGE
    blocks = out.split("\n\n")
    assert blocks[0].startswith("f*g = g*f") and "proved" in blocks[0]
    assert blocks[1] == "garbage!!\n  input error: column 8: unexpected character '!'"
    assert "refuted" in out  # the third was decided too
    assert err.count("\n") == 1 and "garbage!!" in err


def test_3_json_too(capsys):
    code, out, _ = run(capsys, "check", "f*g = g*f", "garbage!!", "--format", "json")
    assert code == ExitCode.USAGE
    good, bad = json.loads(out)
    assert good["verdict"] == "proved"
    assert bad == {
        "input": "garbage!!",
        "verdict": None,
        "error": {"kind": "input", "message": "column 8: unexpected character '!'", "column": 8},
    }


# --------------------------------------------------------------------------- 4. the echo


@pytest.mark.parametrize(
    "text, normal", [("p*q = q*p", "p*q = p*q"), ("α*f = f*α", "α*f = α*f"), ("f*0 = 0", "0 = 0")]
)
def test_4_the_echo_is_what_the_user_typed(capsys, text, normal):
    result = prove(text)
    assert result.input == text and result.statement == normal  # .statement: as read
    code, out, _ = run(capsys, "check", text)
    first, second = out.splitlines()[:2]
    assert first == text and second == f"  read as: {normal}"
    code, out, _ = run(capsys, "check", text, "--format", "json")
    (doc,) = json.loads(out)
    assert doc["input"] == text and doc["statement"] == normal
    assert cards.markdown_card(result).startswith(f"**proved** `{text}`")


def test_4_no_read_as_line_when_only_spacing_differs(capsys):
    code, out, _ = run(capsys, "check", "f⋆g = f⁻*g")
    assert out.splitlines()[0] == "f⋆g = f⁻*g" and "read as" not in out


def test_4_statements_built_in_python_have_no_input():
    f, g = symconv.functions("f g")
    result = prove(sp.Eq(symconv.conv(f, g), symconv.conv(g, f)))
    assert result.input is None and result.shown == result.statement == "f * g = g * f"


# --------------------------------------------------------------------------- 5. x renamed apart


def test_5_a_parameter_named_x_does_not_clash_with_the_witness_variable(capsys):
    result = prove("shift(f, x) = f")
    w = result.witness
    assert result.verdict is Verdict.REFUTED and w.variable != "x"
    assert "x" in w.parameters
    assert not re.search(r"\bx\b", w.functions["f"])
    code, out, _ = run(capsys, "check", "shift(f, x) = f")
    v = w.variable
    assert f"witness: f({v}) = " in out and f"; x = {w.parameters['x']}" in out
    assert f"at {v} = {w.at}:" in out and "at x =" not in out
    code, out, _ = run(capsys, "check", "shift(f, x) = f", "--format", "json")
    assert json.loads(out)[0]["witness"]["variable"] == v


def test_5_the_variable_avoids_every_name_of_the_statement():
    w = prove("τ(f, x) = τ(f, t)").witness
    assert w.variable not in ("x", "t") and set(w.parameters) == {"x", "t"}


def test_5_a_sequence_witness_is_at_an_index(capsys):
    code, out, _ = run(capsys, "prove", "dl.layer.not-conv", "-v")
    assert "at i = -1:" in out and "at x =" not in out


def test_5_a_map_witness_is_at_a_point_of_its_variables(capsys):
    code, out, _ = run(capsys, "prove", "diff.def.xy-ratio", "-v")
    assert "at (x, y) = (0, 0):" in out


def test_5_plots_use_the_renamed_variable():
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    from symconv.surfaces import plot

    result = prove("shift(f, x) = f")
    fig = Figure()
    plot._terms(fig, result)
    ax = fig.axes[0]
    v = result.witness.variable
    assert ax.get_xlabel() == v
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert f"f({v}) = {result.witness.functions['f']}" in labels and "x = 1" in labels


# --------------------------------------------------------------------------- 6. nearest name


@pytest.mark.parametrize(
    "text, name, guess",
    [
        ("xcor(f, g) = xcorr(g, f)", "xcor", "xcorr"),
        ("flp(f) = f⁻", "flp", "flip"),
        ("Conv(f, g) = g*f", "Conv", "conv"),
        ("convolve(f, g) = g*f", "convolve", "conv"),
    ],
)
def test_6_an_unknown_operation_suggests_the_nearest_known_name(text, name, guess):
    with pytest.raises(ParseError) as info:
        parse(text)
    assert str(info.value) == f"column 1: unknown operation {name} — did you mean {guess}?"


def test_6_values_of_functions_are_still_values():
    assert str(parse("fi(a) = g(a)")) == "fi(a) = g(a)"


# --------------------------------------------------------------------------- 7. timeout 0


@pytest.mark.parametrize("value", ["0", "-1", "1e9"])
def test_7_the_timeout_range_is_stated_right(capsys, value):
    code, _, err = run(capsys, "prove", "--timeout", value)
    assert code == ExitCode.USAGE
    assert "greater than 0 and at most 86400 seconds" in err


# --------------------------------------------------------------------------- 8. 1e3


def test_8_scientific_notation_is_an_exact_decimal():
    assert parse("shift(f, 1e3) = f") == parse("shift(f, 1000) = f")
    assert parse("shift(f, 2.5E-3) = f") == parse("shift(f, 1/400) = f")
    assert parse("f(1e+2) = f(100)") == parse("f(100) = f(100)")


def test_8_exponents_are_bounded():
    with pytest.raises(ParseError, match="decimal exponent above 40"):
        parse("shift(f, 1e99) = f")
    with pytest.raises(ParseError, match="decimal exponent"):
        parse("shift(f, 1e" + "9" * 5000 + ") = f")


# --------------------------------------------------------------------------- 9. parameters


def test_9_a_plain_sympy_symbol_is_a_real_parameter():
    f, g = symconv.functions("f g")
    b = sp.Symbol("b")
    result = prove(sp.Eq(symconv.shift(symconv.conv(f, g), b), symconv.conv(f, symconv.shift(g, b))))
    assert result.verdict is Verdict.PROVED
    st = symconv.Statement(b * symconv.shift(f, b), f)
    assert st.parameters() == [symconv.param_symbol("b")]  # one b, declared real


def test_9_a_symbol_that_cannot_be_real_says_how_to_make_one():
    f = symconv.Fn("f")
    with pytest.raises(symconv.TermError, match=r"symconv\.param_symbol\('c'\)"):
        symconv.shift(f, sp.Symbol("c", complex=True))
    with pytest.raises(symconv.TermError, match=r"symconv\.order_symbol\('k'\)"):
        symconv.diff(f, sp.Symbol("k"))


def test_9_the_readme_documents_param_symbol():
    assert "symconv.param_symbol(" in README and "symconv.order_symbol(" in README


# --------------------------------------------------------------------------- 10. the plugin


def test_10_the_plugin_without_installing_works_from_any_folder(tmp_path):
    """The README's form, from outside the repository, with no installed entry point."""
    assert "PYTHONPATH=/path/to/symconv python -m pytest -p _symconv_pytest --symconv" in README
    (tmp_path / "theorems_mine.py").write_text(
        "from symconv import Obligation\n"
        'OBLIGATIONS = [Obligation("mine.comm", "f*g = g*f", expect="proved")]\n'
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "_symconv_pytest", "--symconv",
         "-p", "no:cacheprovider", "-q"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 passed" in proc.stdout


# --------------------------------------------------------------------------- 11. empty files


def test_11_a_theorem_file_without_obligations_fails_unless_allowed(tmp_path, capsys):
    path = tmp_path / "theorems_empty.py"
    path.write_text("OBLIGATIONS = []\n")
    code, out, err = run(capsys, "prove", str(path))
    assert code == ExitCode.USAGE
    assert "no obligation" in err and "--allow-empty" in err and "every verdict" not in out
    code, out, _ = run(capsys, "prove", str(path), "--allow-empty")
    assert code == ExitCode.OK and "0 obligations" in out


# --------------------------------------------------------------------------- 12. verdict names


def test_12_a_bad_expectation_lists_the_valid_verdicts():
    with pytest.raises(ValueError) as info:
        Obligation("mine.x", "f*g = g*f", expect="true")
    message = str(info.value)
    assert "mine.x" in message
    for v in ("proved", "refuted", "checked", "unknown"):
        assert repr(v) in message
    assert Obligation("mine.y", "f*g = g*f", expect="Proved").expect is Verdict.PROVED


# --------------------------------------------------------------------------- 13. plots


def test_13_one_picture_per_counterexample(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    target = tmp_path / "plots"
    code, out, err = run(capsys, "prove", "--plots", str(target), "--format", "json")
    assert code == ExitCode.OK
    with_witness = {o["id"] for o in json.loads(out)["obligations"] if o["witness"]}
    assert {"diff.def.xy-ratio", "diff.converse.2.2", "dl.layer.not-conv"} <= with_witness
    pngs = {p.name for p in target.iterdir()}
    assert pngs == {f"{i}.png" for i in with_witness}
    for p in target.iterdir():
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"wrote {len(with_witness)} plot(s)" in err and "no plot for" not in err


def test_13_a_witness_without_a_picture_is_named_with_the_reason(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    import symconv.surfaces.cli as cli

    w = Witness({"w[0:1]": "[1]"}, {}, "0", None, "1", "0", "1.0", "0.0", 15, variable="i")
    bare = Result("w = x", Verdict.REFUTED, method="counterexample", witness=w, certificate=stub("refuted"))

    class Args:
        plots = str(tmp_path)

    cli._write_plots(Args, [("mine.bare", bare)])
    err = capsys.readouterr().err
    assert "wrote 0 plot(s)" in err
    assert "no plot for 1: mine.bare (the witness carries no data to draw" in err


def test_13_coinciding_witness_functions_stay_visible():
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure

    from symconv.surfaces import plot

    result = prove("inner(f*g, h) = inner(g, f*h)")
    w = result.witness
    assert w.functions["f"] == w.functions["h"]  # the case of the trial
    fig = Figure()
    plot._terms(fig, result)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert f"f(x) = h(x) = {w.functions['f']}" in labels
    styles = [line.get_linestyle() for line in ax.get_lines() if len(line.get_xdata()) > 2]
    assert len(styles) == len(set(styles)) == 2  # one line per distinct function


def test_13_a_breach_and_a_sequence_get_pictures(tmp_path):
    pytest.importorskip("matplotlib")
    from symconv.surfaces import plot

    chosen = ("diff.converse.2.3", "dl.layer.not-conv")
    run_ = symconv.run([ob for ob in symconv.load_theorems("theorems") if ob.id in chosen])
    assert len(run_) == 2
    for outcome in run_:
        assert plot.why_not(outcome.result) is None
        path = plot.plot_result(outcome.result, tmp_path / f"{outcome.obligation.id}.png")
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# --------------------------------------------------------------------------- 14. LaTeX


def test_14_the_latex_header_names_amsmath_and_amssymb():
    header = export.latex([], 0.0)
    assert "amsmath" in header and "amssymb" in header


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="no LaTeX engine (pdflatex) installed")
def test_14_the_latex_report_compiles(tmp_path, capsys):
    theorems = tmp_path / "theorems_odd.py"
    theorems.write_text(textwrap.dedent('''
        from symconv import Obligation
        OBLIGATIONS = [
            Obligation("odd.title", "f⋆g = f⁻*g", expect="proved", title="50% {braces} #$~^ & _"),
            Obligation("odd.refuted", "f⋆g = g⋆f", expect="proved", source="§4.3 & (11)"),
        ]
    '''), encoding="utf-8")
    for name, argv in (("notes", []), ("odd", [str(theorems)])):
        code, _, _ = run(capsys, "prove", *argv, "--format", "latex", "-o", str(tmp_path / f"{name}.tex"))
        assert code in (ExitCode.OK, ExitCode.FAILED)
        document = tmp_path / f"doc-{name}.tex"
        document.write_text(
            "\\documentclass{article}\n\\usepackage{amsmath,amssymb}\n\\begin{document}\n"
            f"\\input{{{name}}}\n\\end{{document}}\n",
            encoding="utf-8",
        )
        proc = subprocess.run(
            ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape",
             document.name],
            cwd=tmp_path, capture_output=True, text=True, timeout=120,
        )
        log = proc.stdout[-3000:]
        assert proc.returncode == 0, log
        assert (tmp_path / f"doc-{name}.pdf").stat().st_size > 1000


# --------------------------------------------------------------------------- 15. design notes


def test_15_the_design_notes_are_in_the_repository():
    design = ROOT / "docs" / "design.md"
    assert design.is_file()
    assert "(docs/design.md)" in README and "DESIGN.md" not in README
    text = design.read_text(encoding="utf-8")
    for topic in ("Fourier normal form", "derivation", "kernel", "witness", "replay",
                  "symconv/language", "symconv/routes", "symconv/engine", "symconv/surfaces"):
        assert topic in text, topic


def test_15_every_path_the_readme_names_exists():
    layout = README.split("## Layout", 1)[1].split("```", 2)[1]
    paths = re.findall(r"`(symconv/[\w/]+\.py)`", README)
    paths += re.findall(r"^(symconv/[\w/]+\.py|docs/[\w.]+)\s", layout, re.MULTILINE)
    folders = re.findall(r"^(symconv/\w+/|theorems/)\s", layout, re.MULTILINE)
    # every folder of the package is in the layout, every file and folder named exists
    packages = [f"symconv/{d.name}/" for d in (ROOT / "symconv").iterdir() if (d / "__init__.py").is_file()]
    assert sorted(folders) == sorted(packages + ["theorems/"])
    assert len(paths) >= 8
    for path in paths:
        assert (ROOT / path).is_file(), path
    for folder in folders:
        assert (ROOT / folder).is_dir(), folder
    for module in re.findall(r"from (symconv(?:\.\w+)+) import", README):
        assert (ROOT / (module.replace(".", "/") + ".py")).is_file() or (
            ROOT / module.replace(".", "/") / "__init__.py"
        ).is_file(), module


# --------------------------------------------------------------------------- 16. help


def test_16_every_argument_has_help_and_says_what_its_command_does():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, command in sub.choices.items():
        for action in command._actions:
            assert action.help, f"{name} {action.dest} has no help text"
    listing = sub.choices["list"]
    module = next(a for a in listing._actions if a.dest == "module")
    assert "decide" not in module.help and "list" in module.help


# --------------------------------------------------------------------------- 17. small things


def test_17_witness_names_in_natural_order():
    w = Witness({"f10": "1", "f2": "1", "f1": "1"}, {"b10": "1", "b9": "1"}, "0", None,
                "1", "2", "1.0", "2.0", 30)
    assert list(w.functions) == ["f1", "f2", "f10"] and list(w.parameters) == ["b9", "b10"]
    names = [f"f{i}" for i in range(12)]
    witness = prove(" + ".join(names) + " = f0").witness
    assert list(witness.functions) == names


def test_17_cards_of_refutations_do_not_mention_a_missing_derivation():
    refuted = prove("f⋆g = g⋆f")
    assert refuted.details["derivation"]["found"] is False  # it is there, as data
    for page in (refuted._repr_html_(), refuted._repr_markdown_(), cards.text_card(refuted)):
        assert "derivation" not in page.lower()
    not_identity = prove("f⋆g != g⋆f")
    assert "derivation" not in not_identity._repr_markdown_().lower()


def test_17_printing_a_run_prints_its_table():
    done = symconv.run([Obligation("mine.comm", "f*g = g*f", expect="proved")])
    text = str(done)
    assert text.splitlines()[0].split() == ["id", "statement", "verdict", "method", "time"]
    assert "mine.comm" in text and "1 obligation: 1 proved; every verdict as expected" in text


def test_17_printing_a_result_prints_its_block():
    text = str(prove("f*g = g*f"))
    assert text.startswith("f*g = g*f\n  proved — ")
