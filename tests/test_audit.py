"""``symconv audit``: the notes end to end, a document with deliberate slips, LaTeX, the
grammar, the cache, and malformed documents (a clear message, never a traceback)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

pytest.importorskip("markdown_it", reason="the optional extra 'audit' is not installed")
pytest.importorskip("pylatexenc", reason="the optional extra 'audit' is not installed")

import symconv  # noqa: E402
from symconv import Statement, parse  # noqa: E402
from symconv.documents import markdown as markdown_reader  # noqa: E402
from symconv.documents.audit import AuditOptions, audit  # noqa: E402
from symconv.engine.cache import VerdictCache, Verification  # noqa: E402
from symconv.documents.grammar import parse_display  # noqa: E402
from symconv.documents.source import ReaderMissing  # noqa: E402
from symconv.documents.tokens import MathError  # noqa: E402
from symconv.surfaces import audit_report  # noqa: E402
from symconv.surfaces.cli import ExitCode, main  # noqa: E402
from theorems import all_obligations  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
NOTES = ROOT / "docs" / "notes" / "math-for-dl-notes.md"  # the notes, as the project keeps them
DATA = Path(__file__).resolve().parent / "data" / "audit"


@pytest.fixture(scope="module")
def notes():
    if not NOTES.exists():
        pytest.fail(f"the notes are missing at {NOTES}")
    return audit(NOTES, AuditOptions(obligations="theorems"))


def _by_label(report):
    return {item.label: item for item in report.items if item.label}


def _steps(item):
    return item.all_steps()


# ----------------------------------------------------------------------------- the notes


def test_every_display_of_the_notes_is_read_except_section_2(notes):
    displays = [i for i in notes.items if i.kind == "display"]
    assert len(displays) == 13
    unread = [i for i in notes.items if not i.read]
    assert unread, "section 2 is prose the language does not cover"
    assert all(i.section.startswith("2") for i in unread), [(i.line, i.not_read) for i in unread]
    assert all(i.mapped and all(m.startswith("diff.") for m in i.mapped) for i in unread)
    labels = _by_label(notes)
    assert sorted(labels, key=int) == [str(n) for n in range(1, 13)]


def test_definitions_1_and_9_agree_with_symconv(notes):
    labels = _by_label(notes)
    for label, name in (("1", "convolution"), ("9", "cross-correlation")):
        item = labels[label]
        assert item.role == "definition"
        assert item.definition["agrees"] is True
        assert name in item.definition["symconv"]
        assert item.steps[0].decision.verdict == "proved"


def _expected_by_label():
    """(label, statement text, expected verdict) from the theorems package's eq. (n) sources."""
    out = []
    for ob in all_obligations():
        if not isinstance(ob.statement, str):
            continue
        for label in re.findall(r"eq\. \((\d+)\)", ob.source or ""):
            out.append((label, ob.id, ob.statement, str(ob.expect)))
    return out


def test_every_link_is_decided_as_the_theorems_expect(notes):
    labels = _by_label(notes)
    checked = 0
    for label, ob_id, text, expect in _expected_by_label():
        if label == "8":
            continue  # (8) as written is refuted; the obligations hold its two readings
        st = parse(text)
        negation = Statement(st.lhs, st.rhs, not st.negated)
        found = []
        for step in _steps(labels[label]):
            if step.statement == str(st):
                found.append(step.decision.verdict)
            elif step.statement == str(negation):  # the notes wrote ≠: the verdict inverts
                found.append({"proved": "refuted", "refuted": "proved"}[step.decision.verdict])
        assert found, f"({label}) has no step {text} ({ob_id})"
        assert set(found) == {expect}, (label, ob_id, found)
        checked += 1
    assert checked >= 14
    for label in ("2", "3", "4", "5", "6", "7", "10", "11", "12"):
        assert all(s.status == "holds" for s in _steps(labels[label])), label


def test_8_is_refuted_as_written_with_the_nearest_true_statement(notes):
    item = _by_label(notes)["8"]
    (step,) = item.steps
    assert step.decision.verdict == "refuted"
    assert step.decision.witness["functions"]
    assert any("read as" in n for n in step.notes)
    expected = {str(parse(ob.statement)) for ob in all_obligations() if ob.id.startswith("conv.delta.")}
    assert {a["statement"] for a in step.alternatives} & expected


def test_the_conclusion_after_3_is_not_what_3_derives(notes):
    conclusions = [i for i in notes.items if i.role == "conclusion"]
    after = {c.conclusion["of"]: c for c in conclusions}
    assert after["(2)"].conclusion["matches"] is True
    assert after["(10)"].conclusion["matches"] is True
    slip = after["(3)"]
    assert slip.conclusion["matches"] is False
    assert slip.conclusion["derived"] == "τ(f * g, b) = f * τ(g, b)"
    assert slip.steps[0].decision.verdict == "proved"  # the conclusion is true, yet not derived
    assert slip.status == "fails"


def test_the_guess_in_10_is_a_warning_and_its_substitution_is_checked(notes):
    item = _by_label(notes)["10"]
    assert any("f⁻ has no argument: read as f⁻(z)" in w for w in item.warnings)
    justified = [s for s in item.steps if s.justification]
    assert len(justified) == 1 and justified[0].justification["status"] == "checked"
    assert item.claim.statement == "f ⋆ g = f⁻ * g"


def test_chain_11_gives_one_obligation_per_link_and_the_ends(notes):
    item = _by_label(notes)["11"]
    assert [s.relation for s in item.steps] == ["=", "=", "≠", "="]
    assert item.claim.statement == "f ⋆ g ≠ g ⋆ f"
    assert item.claim.decision.verdict == "proved"


def test_the_text_report_names_lines_labels_and_witnesses(notes):
    out = audit_report.text(notes)
    assert out.startswith(f"symconv audit {NOTES}: read 17 of 23")
    assert "line 103 (8) equation — fails" in out
    assert "witness: f(x) = " in out
    assert "holds in another reading" in out
    data = json.loads(audit_report.json_report(notes))
    assert data["summary"]["read"] == 17 and data["summary"]["items"] == 23
    assert {i["label"] for i in data["items"] if i["label"]} >= {"1", "8", "12"}


def test_the_annotated_markdown_keeps_the_document_and_adds_verdicts(notes):
    out = audit_report.markdown(notes)
    original = NOTES.read_text(encoding="utf-8")
    kept = [line for line in out.split("\n") if not line.startswith("> ") and line.strip()]
    assert kept == [line for line in original.split("\n") if line.strip()]
    blocks = [line for line in out.split("\n") if line.startswith("> **symconv**")]
    assert len(blocks) == len(notes.items)
    assert any("(8): ✘ fails" in b for b in blocks)


# ----------------------------------------------------------------------------- slips


@pytest.fixture(scope="module")
def slips():
    return audit(DATA / "slips.md")


def test_a_wrong_sign_in_a_step_is_refuted_at_that_step(slips):
    item = _by_label(slips)["2"]
    statuses = [s.status for s in item.steps]
    assert statuses == ["holds", "fails", "holds"]
    wrong = item.steps[1]
    assert wrong.line == 19
    assert "τ(f * g, b) = f * τ(g, b)" in wrong.decision.repairs


def test_a_conclusion_that_does_not_follow_is_reported(slips):
    (c,) = [i for i in slips.items if i.role == "conclusion"]
    assert c.conclusion["matches"] is False and c.status == "fails"


def test_a_wrong_bound_fails_the_substitution_and_the_step(slips):
    item = _by_label(slips)["3"]
    step = item.steps[1]
    assert step.justification["status"] == "refused"
    assert "limits" in step.justification["reason"]
    assert step.decision.verdict == "refuted"


def test_an_undefined_symbol_is_not_read_with_the_reason(slips):
    item = _by_label(slips)["4"]
    assert not item.read and "unknown command \\oslash" in item.not_read


def test_declared_notation_and_a_documents_own_definition(slips):
    labels = _by_label(slips)
    assert labels["5"].steps[0].statement == "f ⋆ g = f⁻ * g"  # \otimes declared as xcorr
    assert labels["6"].definition["agrees"] is False
    assert "used for the rest of the document" in labels["6"].definition["text"]
    assert labels["7"].steps[0].statement == "f ⋆ g = f⁻ * g"  # the document's ⊛ from then on
    assert labels["7"].status == "holds"


def test_the_cli_exit_codes_follow_check(tmp_path, capsys):
    good = tmp_path / "good.md"
    good.write_text("$$ f * g = g * f $$\n\nSee $f \\star g = f^- * g$.\n", encoding="utf-8")
    assert main(["audit", str(good), "--no-cache"]) == ExitCode.OK
    assert main(["audit", str(DATA / "slips.md"), "--no-cache"]) == ExitCode.FAILED
    unread = tmp_path / "unread.md"
    unread.write_text("$$ f * g = g * f $$\n\n$$ a \\le b $$\n", encoding="utf-8")
    assert main(["audit", str(unread), "--no-cache"]) == ExitCode.OK
    assert main(["audit", str(unread), "--no-cache", "--strict"]) == ExitCode.FAILED
    capsys.readouterr()


def test_notation_from_the_command_line(tmp_path, capsys):
    doc = tmp_path / "o.md"
    doc.write_text("$$ f \\otimes g = f^- * g $$\n", encoding="utf-8")
    assert main(["audit", str(doc), "--no-cache", "--strict"]) == ExitCode.FAILED  # not read
    out = capsys.readouterr().out
    assert "\\otimes has no meaning here" in out
    assert main(["audit", str(doc), "--no-cache", "--notation", "\\otimes=xcorr"]) == ExitCode.OK


def test_latex_documents(capsys):
    report = audit(DATA / "notes.tex")
    assert report.format == "latex"
    roles = [i.role for i in report.items]
    assert roles == ["definition", "derivation", "conclusion", "equation", "claim", "equation"]
    assert report.items[2].conclusion["matches"] is True
    assert report.items[3].steps[0].statement == "Ṽ * δ = Ṽ"
    assert report.items[-1].status == "fails"


# ----------------------------------------------------------------------------- the grammar


@pytest.mark.parametrize(
    "math, statement",
    [
        (r"f \ast g = g \ast f", "f * g = g * f"),
        (r"(f * g)(x) = [g * f](x)", "f * g = g * f"),
        (r"f^{-} \star g = \tau(f, b) * \tau(g, -b)", "f⁻ ⋆ g = τ(f, b) * τ(g, -b)"),
        (r"\frac{d}{dx}(f * g) = f' * g", "diff(f * g) = diff(f) * g"),
        (r"\langle f, g \rangle = \langle g, f \rangle", "inner(f, g) = inner(g, f)"),
        (r"2 f * g - \frac{1}{2} h = 2 (g * f) - \frac{h}{2}",
         "-h/2 + (2*f) * g = 2*(g * f) - h/2"),
        (r"3 * f = f * 3", "3*f = 3*f"),
        (r"\left( f * g \right)(t) = \int_{\mathbb{R}^d} f(s) g(t - s) \,\mathrm{d}s",
         "f * g = f * g"),
        (r"f * \delta = f", "f * δ = f"),
        (r"\int_{-\infty}^{+\infty} f(y) g(y - x) dy = (g \star f)(x)", "(f ⋆ g)⁻ = g ⋆ f"),
    ],
)
def test_the_grammar_reads_common_variants(tmp_path, math, statement):
    doc = tmp_path / "v.md"
    doc.write_text(f"$$ {math} $$\n", encoding="utf-8")
    (item,) = audit(doc).items
    assert item.read, item.not_read
    assert item.steps[0].statement == statement
    assert item.steps[0].decision.verdict == "proved"


@pytest.mark.parametrize(
    "math, reason",
    [
        (r"\int_0^1 f(y) g(x - y) dy = f * g(x)", "bounded interval"),
        (r"\int f(y) g(x - 2y) dy = f * g(x)", "scale differently"),
        (r"\int f(y) g(x - y) h(y) dy = f * g(x)", "product of 3"),
        (r"\sum_a f(a) g(i - a) = f * g(i)", "groups issue"),
        (r"h[i, j] = V[a, b]", "groups issue"),
        (r"f(g(x)) = g(f(x))", "depend on functions"),
        (r"\int f(y) g(x - y) = f * g(x)", "differential"),
    ],
)
def test_what_is_not_read_says_why(tmp_path, math, reason):
    doc = tmp_path / "n.md"
    doc.write_text(f"$$ {math} $$\n", encoding="utf-8")
    (item,) = audit(doc).items
    assert not item.read and reason in item.not_read, item.not_read


def test_the_grammar_bounds_nesting():
    deep = "(" * 200 + "f" + ")" * 200 + " = f"
    with pytest.raises(MathError, match="nesting deeper"):
        parse_display(deep)


# ----------------------------------------------------------------------------- the cache


def _accept(certificate):
    """Stands in for the independent certificate checker: accepts every entry, so that
    these tests see the cache's own mechanics (keys, reuse, refusal)."""
    return Verification(True, "accepted by the stand-in checker")


def test_an_unchanged_rerun_decides_nothing_and_an_edit_only_the_change(tmp_path):
    doc = tmp_path / "c.md"
    doc.write_text("$$ f * g = g * f $$\n\n$$ f \\star g = g \\star f $$\n", encoding="utf-8")
    options = {"timeout": 10.0}

    def cache(version="t"):
        return VerdictCache(tmp_path / "cache", options=options, version=version, verify=_accept)

    first = audit(doc, cache=cache())
    assert first.cache["misses"] == 2 and first.cache["hits"] == 0
    again = audit(doc, cache=cache())
    assert again.cache == {**again.cache, "hits": 2, "misses": 0}
    assert [s.decision.cached for i in again.items for s in i.steps] == [True, True]
    assert [i.status for i in again.items] == [i.status for i in first.items]
    doc.write_text("$$ f * g = g * f $$\n\n$$ f \\star g = g^- \\star f^- $$\n", encoding="utf-8")
    edited = audit(doc, cache=cache())
    assert edited.cache["hits"] == 1 and edited.cache["misses"] == 1
    other = audit(doc, cache=cache("u"))
    assert other.cache["hits"] == 0  # another symconv version decides again


def test_the_verification_hook_decides_whether_an_entry_is_reused(tmp_path):
    doc = tmp_path / "c.md"
    doc.write_text("$$ f * g = g * f $$\n", encoding="utf-8")
    folder = tmp_path / "cache"
    audit(doc, cache=VerdictCache(folder, options={}, version="t"))
    seen = []

    def refuse(certificate):
        seen.append(certificate)
        return Verification(False, "refused by this test")

    rejected = audit(doc, cache=VerdictCache(folder, options={}, version="t", verify=refuse))
    assert len(seen) == 1
    assert rejected.cache["rejected"] == 1 and rejected.cache["hits"] == 0
    assert rejected.cache["refused"] == {"refused by this test": 1}
    assert rejected.items[0].steps[0].decision.cached is False
    # a tampered entry (proved without a method) is refused even by a hook that accepts
    (entry_path,) = (folder / "verdicts").rglob("*.json")
    entry = json.loads(entry_path.read_text())
    entry["result"]["method"] = ""
    entry_path.write_text(json.dumps(entry))
    tampered = audit(doc, cache=VerdictCache(folder, options={}, version="t", verify=_accept))
    assert tampered.cache["hits"] == 0 and tampered.cache["rejected"] == 1
    assert tampered.items[0].steps[0].decision.cached is False


def test_a_cached_verdict_is_reused_only_when_the_checker_accepts_its_certificate(tmp_path):
    doc = tmp_path / "c.md"
    doc.write_text("$$ f \\star g = g \\star f $$\n", encoding="utf-8")
    folder = tmp_path / "cache"
    audit(doc, cache=VerdictCache(folder, options={}, version="t"))
    (entry_path,) = (folder / "verdicts").rglob("*.json")
    entry = json.loads(entry_path.read_text())
    assert entry["certificate"]["kind"] == "counterexample"
    reused = audit(doc, cache=VerdictCache(folder, options={}, version="t"))
    assert reused.cache["hits"] == 1 and reused.cache["rejected"] == 0
    # a tampered certificate (the point moved) is refused by the checker and decided again
    entry["certificate"]["witness"]["at"] = ["int", "7"]
    entry_path.write_text(json.dumps(entry))
    again = audit(doc, cache=VerdictCache(folder, options={}, version="t"))
    assert again.cache["rejected"] == 1 and again.cache["hits"] == 0
    assert again.items[0].steps[0].decision.cached is False


def test_a_certificate_moved_to_another_statements_entry_is_refused(tmp_path):
    """The cache binds a certificate to the statement it is read for, not only to its key."""
    folder = tmp_path / "cache"
    first, second = parse("f⋆g = g⋆f"), parse("f⋆h = h⋆f")
    cache = VerdictCache(folder, options={}, version="t")
    cache.put(first, symconv.prove(first))
    cache.put(second, symconv.prove(second))
    assert VerdictCache(folder, options={}, version="t").get(second) is not None
    paths = {json.loads(p.read_text())["statement"]: p for p in (folder / "verdicts").rglob("*.json")}
    moved = json.loads(paths[str(first)].read_text())
    target = json.loads(paths[str(second)].read_text())
    target["certificate"] = moved["certificate"]
    target["result"]["statement"] = moved["certificate"]["statement"]
    paths[str(second)].write_text(json.dumps(target))
    later = VerdictCache(folder, options={}, version="t")
    assert later.get(second) is None
    assert later.refusals == {"the certificate is for another verdict or statement": 1}


def test_cache_clear_and_no_cache(tmp_path, capsys):
    doc = tmp_path / "c.md"
    doc.write_text("$$ f * g = g * f $$\n", encoding="utf-8")
    cache = tmp_path / "cache"
    assert main(["audit", str(doc), "--cache-dir", str(cache)]) == ExitCode.OK
    assert list((cache / "verdicts").rglob("*.json"))
    assert main(["audit", str(doc), "--cache-dir", str(cache), "--cache-clear"]) == ExitCode.OK
    assert "1 miss" in capsys.readouterr().out
    assert main(["audit", str(doc), "--no-cache", "--format", "json"]) == ExitCode.OK
    assert json.loads(capsys.readouterr().out)["cache"] == {"disabled": True}


# ----------------------------------------------------------------------------- malformed


def _run(capsys, *argv):
    code = main(["audit", *map(str, argv), "--no-cache"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_unbalanced_braces_are_a_clear_reason(tmp_path, capsys):
    doc = tmp_path / "b.md"
    doc.write_text("$$ f * g(x) = \\int_{-\\infty^{+\\infty} f(y) g(x-y) dy $$\n", encoding="utf-8")
    code, out, _ = _run(capsys, doc)
    assert code == ExitCode.OK and "unbalanced braces" in out
    code, _, _ = _run(capsys, doc, "--strict")
    assert code == ExitCode.FAILED


def test_an_unclosed_display_is_a_problem_with_its_line(tmp_path, capsys):
    doc = tmp_path / "u.md"
    doc.write_text("Text.\n\n$$\nf * g = g * f\n\nmore text\n", encoding="utf-8")
    code, out, _ = _run(capsys, doc, "--strict")
    assert code == ExitCode.FAILED
    assert "problem: line 3: a '$$' that is never closed" in out
    tex = tmp_path / "u.tex"
    tex.write_text("\\section{A}\n$$ f * g = g * f\n", encoding="utf-8")
    code, out, _ = _run(capsys, tex)
    assert "never closed" in out


def test_binary_and_oversized_files_are_refused_in_one_line(tmp_path, capsys):
    binary = tmp_path / "b.md"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    code, out, err = _run(capsys, binary)
    assert code == ExitCode.USAGE and "not a text document" in err and err.count("\n") == 1
    latin = tmp_path / "l.md"
    latin.write_bytes("caf\xe9 $f*g = g*f$".encode("latin-1"))
    code, _, err = _run(capsys, latin)
    assert code == ExitCode.USAGE and "not UTF-8" in err
    big = tmp_path / "big.md"
    big.write_text(("$$ f * g = g * f $$\n\n" * 10) + "x" * (5 * 1024 * 1024), encoding="utf-8")
    code, _, err = _run(capsys, big)
    assert code == ExitCode.USAGE and "5.2 MB" in err and "--max-bytes" in err
    code, _, err = _run(capsys, tmp_path / "missing.md")
    assert code == ExitCode.USAGE and "cannot read" in err


def test_without_the_extra_the_audit_says_so_in_one_line(tmp_path, capsys, monkeypatch):
    def missing():
        raise ReaderMissing("reading Markdown needs markdown-it-py and mdit-py-plugins "
                            "(markdown_it is missing): pip install 'symconv[audit]'")

    monkeypatch.setattr(markdown_reader, "_parser", missing)
    doc = tmp_path / "d.md"
    doc.write_text("$$ f * g = g * f $$\n", encoding="utf-8")
    code, out, err = _run(capsys, doc)
    assert code == ExitCode.USAGE
    assert err == ("symconv: error: reading Markdown needs markdown-it-py and mdit-py-plugins "
                   "(markdown_it is missing): pip install 'symconv[audit]'\n")


# ----------------------------------------------------------------------------- the larger language


def test_a_pointwise_product_is_read_and_a_name_an_unread_line_defines_is_not(tmp_path):
    doc = tmp_path / "products.md"
    doc.write_text(
        "Products commute: $f \\cdot g = g \\cdot f$.\n\n"
        "If $z = g(f(x))$ then $z' = g' \\cdot f'$.\n",
        encoding="utf-8",
    )
    report = audit(doc)
    by_text = {item.source.strip(): item for item in report.items}
    product = by_text["f \\cdot g = g \\cdot f"]
    assert product.read and product.status == "holds"
    chain = by_text["z' = g' \\cdot f'"]
    assert not chain.read and "z is defined by an equation that was not read" in chain.not_read
