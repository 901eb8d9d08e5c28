"""The pytest plugin, in pytest runs of their own (subprocesses)."""

import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import tomllib

import pytest

ROOT = Path(__file__).resolve().parent.parent

THEOREMS = """
from symconv import Obligation

OBLIGATIONS = [
    Obligation("mine.comm", "f*g = g*f", expect="proved"),
    Obligation("mine.wrong", "f*g = g*f", expect="refuted"),
    Obligation("mine.swap", "xcorr(g, f) == flip(xcorr(f, g))", expect="proved"),
]
"""


def pytest_run(folder, *args):
    env_path = str(ROOT)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "_symconv_pytest",
            "-p",
            "no:cacheprovider",
            "-o",
            "addopts=",
            *args,
        ],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
        env={**__import__("os").environ, "PYTHONPATH": env_path},
    )


def test_obligations_are_test_items_and_a_wrong_one_fails(tmp_path):
    (tmp_path / "theorems_mine.py").write_text(textwrap.dedent(THEOREMS))
    (tmp_path / "test_plain.py").write_text("def test_ok():\n    assert True\n")
    junit = tmp_path / "junit.xml"
    run = pytest_run(tmp_path, "--symconv", "-v", f"--junitxml={junit}")
    assert run.returncode == 1, run.stdout + run.stderr
    out = run.stdout
    assert "theorems_mine.py::mine.comm PASSED" in out
    assert "theorems_mine.py::mine.swap PASSED" in out
    assert "theorems_mine.py::mine.wrong FAILED" in out
    assert "test_plain.py::test_ok PASSED" in out
    # the failure shows the verdict, the expectation, and the evidence
    assert "mine.wrong: expected refuted, got proved" in out
    assert "verdict:   proved (expected refuted)" in out
    assert "MeasureTheory.convolution_flip" in out
    assert "1 failed, 3 passed" in out
    cases = {c.get("name"): c for c in ET.parse(junit).getroot().iter("testcase")}
    props = {p.get("name"): p.get("value") for p in cases["mine.wrong"].iter("property")}
    assert props == {"verdict": "proved", "expected": "refuted"}


def test_collection_is_opt_in(tmp_path):
    (tmp_path / "theorems_mine.py").write_text(textwrap.dedent(THEOREMS))
    run = pytest_run(tmp_path)
    assert run.returncode == 5, run.stdout  # nothing collected without --symconv
    # an ini setting turns it on, with its own file patterns; -k selects by id
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\nsymconv = true\nsymconv_files =\n    laws/*.py\n"
    )
    (tmp_path / "laws").mkdir()
    (tmp_path / "laws" / "algebra.py").write_text(textwrap.dedent(THEOREMS))
    run = pytest_run(tmp_path, "-k", "comm or swap", "-v")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "laws/algebra.py::mine.comm PASSED" in run.stdout
    assert "theorems_mine.py" not in run.stdout  # not matched by the configured patterns


def test_a_broken_theorem_file_is_a_collection_error(tmp_path):
    (tmp_path / "theorems_bad.py").write_text("X = 1\n")
    run = pytest_run(tmp_path, "--symconv")
    assert run.returncode == 2, run.stdout
    assert "theorems_bad.py: no OBLIGATIONS list" in run.stdout


def test_the_entry_point_names_the_plugin_module():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    points = meta["project"]["entry-points"]["pytest11"]
    # registered under its module name, so -p _symconv_pytest (or this project's
    # conftest) and the installed entry point are one plugin, never registered twice
    assert points == {"_symconv_pytest": "_symconv_pytest"}
    assert "_symconv_pytest" in meta["tool"]["setuptools"]["py-modules"]


def test_the_plugin_imports_nothing_heavy_until_asked(tmp_path):
    """Other projects' pytest runs load the plugin too: it must not import SymPy."""
    code = (
        "import sys, _symconv_pytest; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sympy', 'symconv')))"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "PYTHONPATH": str(ROOT)},
        timeout=60,
    )
    assert run.stdout.strip() == "[]", run.stderr


def _junit_cases(path):
    """Each test case of a JUnit report: (file, id) -> (outcome, properties), in any order."""
    out = {}
    for case in ET.parse(path).getroot().iter("testcase"):
        outcome = "failed" if case.find("failure") is not None else (
            "error" if case.find("error") is not None else "passed")
        props = tuple(sorted((p.get("name"), p.get("value")) for p in case.iter("property")))
        out[(case.get("classname"), case.get("name"))] = (outcome, props)
    return out


def test_pytest_xdist_spreads_the_obligations_with_the_same_verdicts_and_report(tmp_path):
    pytest.importorskip("xdist")
    (tmp_path / "theorems_mine.py").write_text(textwrap.dedent(THEOREMS))
    (tmp_path / "theorems_more.py").write_text(textwrap.dedent("""
        from symconv import Obligation

        OBLIGATIONS = [
            Obligation("more.xcomm", "f⋆g = g⋆f", expect="refuted"),
            Obligation("more.shift", "τ(f*g, b) = f*τ(g, b)", expect="proved"),
            Obligation("more.assoc", "(f⋆g)⋆h = f⋆(g⋆h)", expect="refuted"),
        ]
    """))
    serial, spread = tmp_path / "serial.xml", tmp_path / "spread.xml"
    one = pytest_run(tmp_path, "--symconv", "-p", "no:xdist", f"--junitxml={serial}")
    two = pytest_run(tmp_path, "--symconv", "-n", "2", "-v", f"--junitxml={spread}")
    assert one.returncode == two.returncode == 1, two.stdout + two.stderr
    assert "[gw0]" in two.stdout and "[gw1]" in two.stdout  # both workers decided some
    assert _junit_cases(spread) == _junit_cases(serial)
    assert len(_junit_cases(serial)) == 6
    assert _junit_cases(serial)[("theorems_mine", "mine.wrong")][0] == "failed"
