"""User theorem files: loading, checking, and `symconv prove FILE` as a CI gate."""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import symconv
from symconv.engine import sources
from symconv.engine.sources import TheoremFileError
from symconv.surfaces.cli import ExitCode, main

ROOT = Path(__file__).resolve().parent.parent

GOOD = """
from symconv import Obligation

OBLIGATIONS = [
    Obligation("mine.swap", "xcorr(g, f) == flip(xcorr(f, g))", expect="proved"),
    Obligation("mine.assoc", "(f*g)*h = f*(g*h)", expect="proved"),
]
"""

# The expectation is wrong: convolution is commutative, so this is proved, not refuted.
WRONG = """
from symconv import Obligation

OBLIGATIONS = [
    Obligation("mine.comm", "f*g = g*f", expect="refuted"),
    Obligation("mine.swap", "xcorr(g, f) == flip(xcorr(f, g))", expect="proved"),
]
"""

BUILT = """
import sympy
from symconv import Obligation, Statement, conv, flip, functions, xcorr

f, g = functions("f g")
OBLIGATIONS = [
    Obligation("built.eq", sympy.Eq(xcorr(f, g), conv(flip(f), g)), expect="proved"),
    Obligation("built.statement", Statement(conv(f, g), conv(g, f)), expect="proved"),
]
"""


def write(tmp_path, text, name="theorems_mine.py"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_load_a_theorem_file(tmp_path):
    obs = symconv.load_theorems(write(tmp_path, GOOD))
    assert [ob.id for ob in obs] == ["mine.swap", "mine.assoc"]
    assert obs[0].expect is symconv.Verdict.PROVED


def test_statements_built_with_the_api(tmp_path):
    run = symconv.run(str(write(tmp_path, BUILT)))
    assert [o.result.verdict.value for o in run] == ["proved", "proved"]
    assert run.as_expected


def test_cli_passes_a_good_file(tmp_path, capsys):
    assert main(["prove", str(write(tmp_path, GOOD))]) == ExitCode.OK
    out = capsys.readouterr().out
    assert "mine.swap" in out and "every verdict as expected" in out
    assert "conv.comm" not in out  # a file replaces the notes' obligations


def test_cli_fails_a_wrong_expectation_with_exit_1(tmp_path, capsys):
    path = write(tmp_path, WRONG)
    assert main(["prove", str(path)]) == ExitCode.FAILED
    out = capsys.readouterr().out
    assert "proved ✗ expected refuted" in out
    assert main(["prove", str(path), "mine.swap"]) == ExitCode.OK  # select by id


def test_cli_in_a_subprocess_exit_codes(tmp_path):
    path = write(tmp_path, WRONG)
    run = subprocess.run(
        [sys.executable, "-m", "symconv", "prove", str(path), "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 1, run.stderr
    doc = json.loads(run.stdout)
    assert doc["summary"]["differ"] == ["mine.comm"]
    missing = subprocess.run(
        [sys.executable, "-m", "symconv", "prove", str(tmp_path / "nope.py")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert missing.returncode == 2
    assert missing.stderr.strip().count("\n") == 0  # one line
    assert "nope.py: no such file" in missing.stderr


@pytest.mark.parametrize(
    "text, message",
    [
        ("X = 1\n", "no OBLIGATIONS list"),
        ("OBLIGATIONS = 3\n", "OBLIGATIONS must be a list"),
        ("OBLIGATIONS = ['f*g = g*f']\n", "OBLIGATIONS[0] is a str, not an Obligation"),
        ("def broken(:\n", ":1: syntax error"),
        ("import symconv\nraise RuntimeError('boom')\n", ":2: RuntimeError: boom"),
        (
            "from symconv import Obligation\nOBLIGATIONS = [Obligation('a', 'f*g = ', 'proved')]\n",
            "obligation 'a': column",
        ),
        (
            "from symconv import Obligation\n"
            "OBLIGATIONS = [Obligation('a', 'f*g = g*f', 'proved'),"
            " Obligation('a', 'f = f', 'proved')]\n",
            "duplicate obligation id 'a'",
        ),
        (
            "from symconv import Obligation, functions, xcorr\n"
            "f, g = functions('f g')\n"
            "OBLIGATIONS = [Obligation('a', xcorr(f, g) == xcorr(g, f), 'refuted')]\n",
            "Python's == compares terms as trees",
        ),
        (
            "from symconv import Obligation\nOBLIGATIONS = [Obligation('a', 'f = 3', 'proved')]\n",
            "the left side is a function but the right side is a scalar",
        ),
    ],
)
def test_bad_theorem_files_are_one_line_usage_errors(tmp_path, capsys, text, message):
    path = write(tmp_path, text)
    with pytest.raises(TheoremFileError) as info:
        sources.load(path)
    assert message in str(info.value)
    assert "\n" not in str(info.value)
    assert main(["prove", str(path)]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_file_targets_and_id_patterns_are_told_apart():
    assert sources.is_file_target("mine.py")
    assert sources.is_file_target("dir/mine")
    assert not sources.is_file_target("conv.comm")
    assert not sources.is_file_target("xcorr.*")


def test_a_module_is_named_with_module(tmp_path, monkeypatch, capsys):
    pkg = tmp_path / "mypkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    write(pkg, GOOD, name="laws.py")
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    assert main(["prove", "--module", "mypkg.laws"]) == ExitCode.OK
    assert "mine.assoc" in capsys.readouterr().out
    # as a TARGET it is an id pattern; the error says how to name a module
    assert main(["prove", "mypkg.laws"]) == ExitCode.USAGE
    assert "use --module mypkg.laws" in capsys.readouterr().err
    assert main(["prove", "--module", "mypkg.nothing"]) == ExitCode.USAGE
    assert "no module named 'mypkg.nothing'" in capsys.readouterr().err


def test_two_files_with_the_same_id_are_an_error(tmp_path, capsys):
    a = write(tmp_path, GOOD, "theorems_a.py")
    b = write(tmp_path, GOOD, "theorems_b.py")
    assert main(["prove", str(a), str(b)]) == ExitCode.USAGE
    assert "duplicate obligation id 'mine.swap'" in capsys.readouterr().err


def test_list_shows_a_files_obligations(tmp_path, capsys):
    assert main(["list", str(write(tmp_path, GOOD))]) == ExitCode.OK
    out = capsys.readouterr().out
    assert "mine.swap" in out and "conv.comm" not in out


def test_the_builtin_theorems_are_a_source_like_any_other():
    from theorems import all_obligations

    assert sources.builtin().load() == all_obligations()
