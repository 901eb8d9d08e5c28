"""`symconv verify` and `--certificates`: certificates on disk, re-checked from disk."""

import json

import pytest

from symconv.surfaces.cli import ExitCode, main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """The certificates `prove` writes for a few obligations of every kind."""
    path = tmp_path_factory.mktemp("certs")
    code = main(["prove", "conv.comm", "xcorr.comm", "xcorr.comm.not-identity", "conv.def.gauss",
                 "diff.def.xy-ratio", "dl.layer.not-conv", "--jobs", "1", "--certificates", str(path)])
    assert code == ExitCode.OK
    return path


def test_prove_writes_one_certificate_per_obligation(folder, capsys):
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(f"{i}.json" for i in ("conv.comm", "xcorr.comm", "xcorr.comm.not-identity",
                                                 "conv.def.gauss", "diff.def.xy-ratio", "dl.layer.not-conv"))
    kinds = {json.loads(p.read_text())["kind"] for p in folder.iterdir()}
    assert kinds == {"fourier", "counterexample", "definition", "record"}


def test_verify_accepts_what_prove_wrote(folder, capsys):
    code, out, _ = run(capsys, "verify", str(folder))
    assert code == ExitCode.OK
    assert out.count("valid ") == 6 and "6 certificate file(s): 6 valid" in out


def test_verify_rejects_a_tampered_certificate_with_exit_1(folder, tmp_path, capsys):
    data = json.loads((folder / "xcorr.comm.json").read_text())
    data["witness"]["at"] = ["int", "5"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    code, out, _ = run(capsys, "verify", str(folder / "conv.comm.json"), str(bad))
    assert code == ExitCode.FAILED
    assert "invalid     " in out and "bad.json" in out


@pytest.mark.parametrize(
    "content, reason",
    [("{not json", "not JSON"), ('{"format": "other"}', "not a symconv certificate"), ("[1.5]", "float")],
)
def test_verify_says_unreadable_with_exit_2(tmp_path, capsys, content, reason):
    path = tmp_path / "x.json"
    path.write_text(content)
    code, out, _ = run(capsys, "verify", str(path))
    assert code == ExitCode.USAGE and "unreadable" in out and reason in out


def test_verify_a_missing_file_or_an_empty_folder_is_unreadable(tmp_path, capsys):
    code, out, _ = run(capsys, "verify", str(tmp_path / "nothing.json"), str(tmp_path))
    assert code == ExitCode.USAGE
    assert "no such file or folder" in out and "no .json file in this folder" in out


def test_verify_json_output(folder, capsys):
    code, out, _ = run(capsys, "verify", str(folder / "conv.def.gauss.json"), "--format", "json")
    (doc,) = json.loads(out)
    assert code == ExitCode.OK and doc["status"] == "valid" and doc["kind"] == "definition"


def test_check_writes_certificates_too(tmp_path, capsys):
    code, _, err = run(capsys, "check", "f*g = g*f", "f⋆g = g⋆f", "--certificates", str(tmp_path))
    assert code == ExitCode.FAILED
    assert sorted(p.name for p in tmp_path.iterdir()) == ["statement-1.json", "statement-2.json"]
    assert "wrote 2 certificate(s)" in err


def test_json_reports_carry_the_certificate(capsys):
    code, out, _ = run(capsys, "prove", "xcorr.swap", "--format", "json")
    (ob,) = json.loads(out)["obligations"]
    assert ob["certificate"]["kind"] == "fourier" and ob["certificate"]["verdict"] == "proved"


def test_verify_help_names_the_exit_codes(capsys):
    code, out, _ = run(capsys, "verify", "--help")
    assert code == ExitCode.OK
    assert "Exit 0 when every certificate is valid, 1 when any is invalid, 2 when" in " ".join(out.split())
