"""Repairs of refuted identities, their rendering, and --plots."""

import json

import pytest

from symconv import Verdict, parse, prove
from symconv.routes.refutation.repair import candidates
from symconv.surfaces.cli import ExitCode, main


def test_repairs_of_commutativity_of_xcorr():
    result = prove("f⋆g = g⋆f")
    repairs = result.details["repairs"]
    assert "(f ⋆ g)⁻ = g ⋆ f" in repairs
    for text in repairs:  # every reported repair is proved by the engine
        assert prove(parse(text)).verdict is Verdict.PROVED


def test_repairs_of_associativity_of_xcorr_flip_one_function():
    repairs = prove("(f⋆g)⋆h = f⋆(g⋆h)").details["repairs"]
    assert "(f ⋆ g) ⋆ h = f⁻ ⋆ (g ⋆ h)" in repairs


def test_repair_candidates_are_one_edit_away_and_not_trivial():
    texts = [str(c) for c in candidates(parse("f⋆g = g⋆f"))]
    assert "g ⋆ f = g ⋆ f" not in texts
    assert "f ⋆ g = -(g ⋆ f)" in texts or "f ⋆ g = -g ⋆ f" in texts
    assert not any("⁻⁻" in t for t in texts)


def test_repairs_in_text_and_json(capsys):
    assert main(["check", "f⋆g = g⋆f"]) == ExitCode.FAILED
    out = capsys.readouterr().out
    assert "nearby statements that hold" in out and "(f ⋆ g)⁻ = g ⋆ f" in out
    assert main(["check", "f⋆g = g⋆f", "--format", "json"]) == ExitCode.FAILED
    doc = json.loads(capsys.readouterr().out)
    assert "(f ⋆ g)⁻ = g ⋆ f" in doc[0]["repairs"]
    assert doc[0]["witness"]["functions"]


def test_prove_exits_zero_with_every_expected_verdict(capsys):
    assert main(["prove"]) == ExitCode.OK
    out = capsys.readouterr().out
    assert "every verdict as expected" in out


def test_plots_without_matplotlib_say_how_to_install(monkeypatch, tmp_path, capsys):
    import symconv.surfaces.plot as plot

    monkeypatch.setattr(plot, "available", lambda: False)
    code = main(["check", "f⋆g = g⋆f", "--plots", str(tmp_path / "p")])
    assert code == ExitCode.USAGE
    assert "pip install" in capsys.readouterr().err
    assert not (tmp_path / "p").exists()


def test_plots_are_written(tmp_path, capsys):
    pytest.importorskip("matplotlib")
    target = tmp_path / "plots"
    assert main(["prove", "xcorr", "--plots", str(target)]) == ExitCode.OK
    pngs = sorted(p.name for p in target.iterdir())
    assert "xcorr.comm.png" in pngs and "xcorr.assoc.png" in pngs
    for p in target.iterdir():
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert main(["check", "xcorr(delta(a), delta(b)) == delta(a + b)", "inner(f, g) = inner(g⁻, f)",
                 "--plots", str(target)]) == ExitCode.FAILED
    assert (target / "statement-1.png").exists() and (target / "statement-2.png").exists()
