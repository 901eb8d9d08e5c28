"""Report formats, each parsed back: JSON, JUnit XML, Markdown, LaTeX; --output."""

import json
import re
import textwrap
import xml.etree.ElementTree as ET

import pytest
from latex_check import check_latex

from symconv.engine.obligation import Obligation, Outcome
from symconv.results.result import Result, Verdict, Witness
from symconv.surfaces import export
from symconv.surfaces.cli import ExitCode, main
from stub_certificates import stub

THEOREMS = """
from symconv import Obligation

OBLIGATIONS = [
    Obligation("t.comm", "f*g = g*f", expect="proved", source="§3.2", title="commutative"),
    Obligation("t.wrong", "f*g = g*f", expect="refuted", title="a wrong expectation"),
    Obligation("t.xcomm", "f⋆g = g⋆f", expect="refuted", source="§4.3 & (11)"),
    Obligation("t.under_score", "f⋆g = f⁻*g", expect="proved", title="50% {braces} #$~^"),
]
"""


@pytest.fixture
def theorem_file(tmp_path):
    path = tmp_path / "theorems_t.py"
    path.write_text(textwrap.dedent(THEOREMS), encoding="utf-8")
    return path


def report(capsys, path, fmt, *extra):
    code = main(["prove", str(path), "--format", fmt, *extra])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_report(theorem_file, capsys):
    code, out, _ = report(capsys, theorem_file, "json")
    assert code == ExitCode.FAILED
    doc = json.loads(out)
    assert [o["id"] for o in doc["obligations"]] == [
        "t.comm",
        "t.wrong",
        "t.xcomm",
        "t.under_score",
    ]
    assert "t.wrong" in doc["summary"]["differ"]


def test_junit_report_parses_and_fails_exactly_the_differing_obligations(theorem_file, capsys):
    code, out, _ = report(capsys, theorem_file, "junit")
    assert code == ExitCode.FAILED
    root = ET.fromstring(out)
    assert root.tag == "testsuites"
    suite = root.find("testsuite")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == ["t.comm", "t.wrong", "t.xcomm", "t.under_score"]
    failed = {c.get("name"): c.find("failure") for c in cases if c.find("failure") is not None}
    # t.xcomm ends refuted once a counterexample is replayed, unknown before that
    xcomm_refuted = "t.xcomm" not in failed
    assert set(failed) == ({"t.wrong"} if xcomm_refuted else {"t.wrong", "t.xcomm"})
    assert int(suite.get("tests")) == 4 and int(suite.get("failures")) == len(failed)
    message = failed["t.wrong"].get("message")
    assert message.startswith("expected refuted, got proved (Fourier normal form")
    assert "verdict:   proved (expected refuted)" in failed["t.wrong"].text
    if not xcomm_refuted:
        assert "normal forms differ" in failed["t.xcomm"].get("message")  # the reason
    for case in cases:
        assert float(case.get("time")) >= 0
        assert "statement:" in case.find("system-out").text


def test_junit_failure_message_carries_the_witness():
    w = Witness({"f": "exp(-x**2)*x"}, {}, "1", None, "1", "2", "1.0", "2.0", 30)
    o = Outcome(
        Obligation("w.1", "f⋆g = g⋆f", "proved"),
        Result("f ⋆ g = g ⋆ f", Verdict.REFUTED, method="counterexample", witness=w,
               certificate=stub("refuted")),
    )
    case = ET.fromstring(export.junit([o], 0.1)).find("testsuite/testcase")
    message = case.find("failure").get("message")
    assert "counterexample f(x) = exp(-x**2)*x at x = 1" in message
    assert "left side 1.0, right side 2.0" in message


def test_junit_strips_characters_xml_cannot_hold():
    o = Outcome(
        Obligation("w.2", "f*g = g*f", "refuted"),
        Result("f * g = g * f", Verdict.UNKNOWN, reason="bad \x01 byte"),
    )
    ET.fromstring(export.junit([o], 0.0))  # parses


def parse_markdown_table(text):
    rows = []
    for line in text.splitlines():
        if line.startswith("|---"):
            continue
        if line.startswith("|"):
            cells = re.split(r"(?<!\\)\|", line.strip())[1:-1]
            rows.append([c.strip().replace("\\|", "|") for c in cells])
        elif rows:
            break
    return rows[0], rows[1:]


def test_markdown_report_table(theorem_file, capsys):
    code, out, _ = report(capsys, theorem_file, "markdown")
    assert code == ExitCode.FAILED
    assert out.startswith("### symconv: 4 obligations:")
    header, rows = parse_markdown_table(out)
    assert header == ["", "id", "statement", "verdict", "expected", "method", "time"]
    by_id = {r[1].strip("`"): r for r in rows}
    assert list(by_id) == ["t.comm", "t.wrong", "t.xcomm", "t.under_score"]
    assert by_id["t.comm"][0] == "✅" and by_id["t.wrong"][0] == "❌"
    assert by_id["t.wrong"][3:5] == ["proved", "refuted"]
    assert by_id["t.comm"][2] == "`f*g = g*f`"  # the statement as the file writes it
    assert "#### `t.wrong`" in out  # details of what differs


def test_markdown_cells_escape_pipes():
    o = Outcome(
        Obligation("p.1", "f*g = g*f", "proved"),
        Result("a | b", Verdict.UNKNOWN, reason="r"),
    )
    header, rows = parse_markdown_table(export.markdown([o], 0.0))
    assert len(rows[0]) == len(header) and rows[0][2] == "`a | b`"


def test_latex_report(theorem_file, capsys):
    code, out, _ = report(capsys, theorem_file, "latex")
    assert code == ExitCode.FAILED
    check_latex(out)
    items = re.findall(r"\\item\[\\texttt\{([^}]*)\}\]", out)
    assert items == ["t.comm", "t.wrong", "t.xcomm", "t.under\\_score"]
    assert r"\[ f * g = g * f \]" in out  # statements as mathematics
    assert re.search(
        r"\\textbf\{proved\} by Fourier normal form[^.\n]* \\textbf\{\(expected refuted\)\}\.", out
    )
    assert r"50\% \{braces\} \#\$\textasciitilde{}\^{}" in out
    assert r"\S{}4.3 \& (11)" in out


def test_latex_of_no_obligations_is_still_valid():
    check_latex(export.latex([], 0.0))


def test_output_file_and_summary_line(theorem_file, tmp_path, capsys):
    target = tmp_path / "report.xml"
    code, out, _ = report(capsys, theorem_file, "junit", "--output", str(target))
    assert code == ExitCode.FAILED
    assert out.startswith("4 obligations:") and str(target) in out
    assert out.count("\n") == 1
    ET.parse(target)
    code, _, err = report(
        capsys, theorem_file, "markdown", "--output", str(tmp_path / "no" / "x.md")
    )
    assert code == ExitCode.USAGE
    assert "cannot write" in err


def test_latex_escape_of_the_notes_symbols():
    assert export.latex_escape("α(Δx) → 0, ∇ₓL, θ₁, ℝᵐ, ½") == (
        r"\ensuremath{\alpha}(\ensuremath{\Delta}x) \ensuremath{\to} 0, "
        r"\ensuremath{\nabla}\ensuremath{_{x}}L, \ensuremath{\theta}\ensuremath{_{1}}, "
        r"\ensuremath{\mathbb{R}}\ensuremath{^{m}}, \ensuremath{\tfrac{1}{2}}"
    )
    assert export.latex_escape("a_b & 100% {x}") == r"a\_b \& 100\% \{x\}"


def test_a_report_written_in_pieces_is_whole_or_not_written(tmp_path):
    from symconv.surfaces.files import write_atomically

    path = tmp_path / "report.json"
    path.write_text("the previous report\n")

    def failing():
        yield '{"obligations": [\n'
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        write_atomically(str(path), failing())
    assert path.read_text() == "the previous report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temporary file left
    assert write_atomically(str(path), iter(["{", "}", "\n"])) == "file"
    assert path.read_text() == "{}\n"


def test_the_json_report_of_prove_is_made_one_obligation_at_a_time(tmp_path, monkeypatch):
    from symconv.surfaces import report

    made = []
    real = Outcome.to_dict

    def to_dict(self):
        made.append(self.obligation.id)
        return real(self)

    monkeypatch.setattr(Outcome, "to_dict", to_dict)
    pieces = report.prove_json_pieces(
        [Outcome(Obligation(f"o{i}", "f*g = g*f", "proved"), Result("f * g = g * f", Verdict.UNKNOWN, reason="r"))
         for i in range(3)], 1.0)
    assert next(pieces).startswith('{\n"obligations"') and made == []
    assert '"o0"' in next(pieces) and made == ["o0"]  # each row is made when it is written
    text = next(pieces) + next(pieces) + next(pieces)
    assert made == ["o0", "o1", "o2"] and text.rstrip().endswith("}")
    out = tmp_path / "r.json"
    assert main(["prove", "conv.comm", "--no-cache", "--format", "json", "-o", str(out)]) == ExitCode.OK
    data = json.loads(out.read_text())
    assert [o["id"] for o in data["obligations"]] == ["conv.comm"] and data["summary"]["obligations"] == 1
