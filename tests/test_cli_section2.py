"""The CLI shows the section-2 and deep-learning obligations alongside the others."""

import json

from symconv.surfaces.cli import ExitCode, main
from theorems import SECTIONS, all_obligations, deep_learning, differentiation


def test_section_2_comes_first_and_deep_learning_last():
    assert SECTIONS[0] is differentiation and SECTIONS[-1] is deep_learning
    ids = [ob.id for ob in all_obligations()]
    assert ids[0] == "diff.def.polynomial"
    assert ids.index("diff.backprop.sigmoid") < ids.index("conv.comm") < ids.index("dl.layer.xcorr")


def test_prove_section_2_and_deep_learning(capsys):
    assert main(["prove", "diff", "dl"]) == ExitCode.OK
    out = capsys.readouterr().out
    for word in ("diff.thm2.1", "checked", "diff.converse.2.2", "refuted", "dl.layer.xcorr"):
        assert word in out
    assert "every verdict as expected" in out


def test_verbose_shows_witness_and_family(capsys):
    assert main(["prove", "-v", "diff.converse.*", "diff.thm2.2"]) == ExitCode.OK
    out = capsys.readouterr().out
    assert "witness: f(x, y) = x*y/(x**2 + y**2) for (x, y) ≠ (0, 0), 0 at (0, 0)" in out
    assert "witness: f(x) = Abs(x)" in out
    assert "along Δx = 1/(2*pi*k), k → ∞ (integer k)" in out
    assert "checked on 8 instances: 10 maps" in out


def test_json_carries_checked_and_witness(capsys):
    assert main(["prove", "--format", "json", "diff.thm2.3", "diff.def.xy-ratio"]) == ExitCode.OK
    doc = json.loads(capsys.readouterr().out)
    by_id = {o["id"]: o for o in doc["obligations"]}
    assert by_id["diff.thm2.3"]["checked"]["instances"] == 7
    w = by_id["diff.def.xy-ratio"]["witness"]
    assert (w["lhs"], w["rhs"], w["at"]) == ("oo", "0", "(0, 0)")
    assert w["path_data"]["displacement"] == ["t", "t"]


def test_list_shows_the_claims(capsys):
    assert main(["list", "diff.thm2.4.*"]) == ExitCode.OK
    out = capsys.readouterr().out
    rows = {line.split()[0]: line for line in out.splitlines() if line.startswith("diff.")}
    assert rows["diff.thm2.4.abstract"].split()[1] == "checked"
    assert rows["diff.thm2.4.concrete"].split()[1] == "proved"
