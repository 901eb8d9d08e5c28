"""The command line: exit codes, JSON, help, one-line errors."""

import json
import subprocess
import sys

import pytest

from symconv.surfaces.cli import ExitCode, main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_prove_selected_obligations(capsys):
    code, out, err = run(capsys, "prove", "conv.*")
    assert code == ExitCode.OK
    assert "conv.assoc" in out and "xcorr" not in out
    assert "every verdict as expected" in out


def test_prove_json_shape(capsys):
    code, out, _ = run(capsys, "prove", "conv", "--format", "json")
    doc = json.loads(out)
    keys = {"id", "source", "statement", "expected", "verdict", "method", "hypotheses",
            "witness", "reason", "seconds"}
    assert keys <= set(doc["obligations"][0])
    assert doc["summary"]["obligations"] == len(doc["obligations"])
    assert doc["summary"]["differ"] == []
    assert code == ExitCode.OK


def test_prove_verbose_shows_side_conditions_and_errata(capsys):
    code, out, _ = run(capsys, "prove", "conv.shift", "-v")
    assert "erratum in the notes" in out
    assert "translation invariant" in out


def test_unknown_target_is_a_usage_error(capsys):
    code, _, err = run(capsys, "prove", "no.such")
    assert code == ExitCode.USAGE and "no obligation matches" in err


def test_check_exit_codes(capsys):
    assert run(capsys, "check", "f*g = g*f")[0] == ExitCode.OK
    code, out, _ = run(capsys, "check", "f*g = g*f", "f⋆g = g⋆f")
    assert code in (ExitCode.FAILED, ExitCode.UNDECIDED)
    assert run(capsys, "check", "f*g != g*f")[0] == ExitCode.FAILED
    code, out, err = run(capsys, "check", "f*δ(a) = f(a)")
    assert code == ExitCode.USAGE
    assert err.count("\n") == 1 and "column" in err


def test_check_json(capsys):
    code, out, _ = run(capsys, "check", "f*g = g*f", "--format", "json")
    (doc,) = json.loads(out)
    assert doc["verdict"] == "proved"
    assert set(doc) == {"input", "statement", "verdict", "method", "hypotheses", "witness",
                        "reason", "repairs", "derivation", "seconds", "error", "certificate"}
    assert doc["input"] == "f*g = g*f" and doc["statement"] == "f * g = g * f"
    assert doc["certificate"]["kind"] == "fourier" and doc["certificate"]["verdict"] == "proved"


def test_list(capsys):
    code, out, _ = run(capsys, "list")
    assert code == ExitCode.OK and "xcorr.assoc" in out
    code, out, _ = run(capsys, "list", "--format", "json")
    assert any(ob["id"] == "conv.comm" for ob in json.loads(out))


@pytest.mark.parametrize("argv", [["--help"], ["prove", "--help"], ["check", "--help"], ["list", "--help"]])
def test_help(capsys, argv):
    code, out, _ = run(capsys, *argv)
    assert code == ExitCode.OK and "usage" in out


@pytest.mark.parametrize("argv", [[], ["frobnicate"], ["prove", "--timeout", "-1"], ["check"]])
def test_usage_errors(capsys, argv):
    code, _, err = run(capsys, *argv)
    assert code == ExitCode.USAGE and "error" in err


def test_module_entry_point_no_traceback():
    proc = subprocess.run(
        [sys.executable, "-m", "symconv", "check", "f.__class__ = g"],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "attribute access" in proc.stderr
    proc = subprocess.run(
        [sys.executable, "-m", "symconv", "prove", "conv"],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
