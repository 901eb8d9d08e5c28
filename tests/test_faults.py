"""Faults (issue 12): every failure an honest ``unknown`` with its own exit code, budgets
that hold in every mode and leave the process healthy, no result ever lost on disk or in
a pipe, theorem files that misbehave reported as errors of the file.

Resource-bound cases run in subprocesses with a time limit (and memory or file-size
limits where that is the point), so that a regression fails instead of hanging.
"""

from __future__ import annotations

import json
import os
import resource
import stat
import subprocess
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import symconv
from symconv.engine import prove as engine_prove
from symconv.engine import runner
from symconv.results.result import Verdict
from symconv.routes.budget import Timeout, time_limit
from symconv.surfaces.cli import ExitCode, main

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def python(code: str, *, timeout=120, cwd=ROOT, limits=None):
    """Run Python code in a fresh interpreter (with resource limits, if given)."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        env=ENV,
        preexec_fn=limits,
    )


def symconv_cli(*args, cwd=ROOT, timeout=120, limits=None, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "symconv", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=ENV,
        timeout=timeout,
        preexec_fn=limits,
        **kwargs,
    )


def write(folder: Path, text: str, name: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- 3. errors


def test_item_3_the_statements_that_crashed_are_decided():
    # a square of a function in an integrand: the renderer took an 'exp' keyword
    assert symconv.prove("inner(f, f) = inner(f⁻, f⁻)").verdict is Verdict.PROVED
    assert symconv.prove("⟨f, f⟩ = (f⋆f)(0)").verdict is Verdict.PROVED
    # a scalar statement replayed on a piecewise witness: Fraction vs mpf
    from symconv.routes.concrete.functions import box
    from symconv.routes.refutation.replay import Candidate, replay

    witness = replay(symconv.parse("f(1/3) = f(2)"), Candidate({"f": box(0, 1)}))
    assert (witness.lhs, witness.rhs) == ("1", "0")


@pytest.fixture
def faulty_engine(monkeypatch):
    """The engine raises while deciding any statement that mentions h."""
    decide = engine_prove._decide_equality

    def faulty(eq, budget, *options):
        if "h" in eq.function_names():
            raise RuntimeError("boom")
        return decide(eq, budget, *options)

    monkeypatch.setattr(engine_prove, "_decide_equality", faulty)


def test_item_3_an_exception_is_an_unknown_and_nothing_else_is_lost(faulty_engine, capsys):
    code, out, err = run(capsys, "check", "f*g = g*f", "f*h = h*f", "f⋆g = g⋆f", "--format", "json")
    assert code == ExitCode.INTERNAL and code not in (ExitCode.FAILED, ExitCode.OK)
    first, second, third = json.loads(out)
    assert first["verdict"] == "proved" and third["verdict"] == "refuted"
    assert second["verdict"] == "unknown"
    assert second["reason"] == "internal error: RuntimeError: boom"
    assert second["error"]["type"] == "RuntimeError" and "boom" in second["error"]["traceback"]
    code, out, _ = run(capsys, "check", "f*h = h*f", "f*g = g*f")
    assert code == ExitCode.INTERNAL
    assert "internal error: RuntimeError: boom" in out and "proved" in out


def test_item_3_the_api_returns_the_unknown(faulty_engine):
    r = symconv.prove("f*h = h*f")
    assert r.verdict is Verdict.UNKNOWN and r.reason.startswith("internal error: ")
    assert r.error["type"] == "RuntimeError"
    r = symconv.prove("f*h != h*f")  # the ≠ form is no verdict either
    assert r.verdict is Verdict.UNKNOWN and r.negated


BROKEN = """
from symconv import Obligation


class Broken:
    def __str__(self):
        return "broken claim"

    def decide(self, budget):
        return {}["missing"]


OBLIGATIONS = [
    Obligation("fine", "f*g = g*f", expect="proved"),
    Obligation("broken", Broken(), expect="proved"),
    Obligation("wrong", "f*g = g*f", expect="refuted"),
]
"""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_item_3_junit_reports_an_internal_error_as_an_error(tmp_path, capsys, jobs):
    path = write(tmp_path, BROKEN, "theorems_broken.py")
    code, out, _ = run(capsys, "prove", str(path), "--format", "junit", "--jobs", jobs)
    assert code == ExitCode.INTERNAL
    suite = ET.fromstring(out).find("testsuite")
    assert (suite.get("errors"), suite.get("failures")) == ("1", "1")
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    error = cases["broken"].find("error")
    assert cases["broken"].find("failure") is None and error.get("type") == "KeyError"
    assert error.get("message").startswith("internal error: KeyError")
    assert cases["wrong"].find("failure") is not None and cases["fine"].find("error") is None


def test_item_3_the_exit_codes_are_documented():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "| 4 |" in readme and "| 5 |" in readme
    assert "internal error" in symconv_cli("check", "--help").stdout


# --------------------------------------------------------------------------- 4. budgets


def test_item_4_a_timeout_is_no_exception_an_ordinary_handler_catches():
    assert not issubclass(Timeout, Exception)
    with pytest.raises(Timeout):
        with time_limit(0.05):
            while True:
                try:
                    sum(range(1000))
                except Exception:  # what a claim or a library may write
                    pass


def test_item_4_an_import_is_never_interrupted(tmp_path, monkeypatch):
    (tmp_path / "slow_import_issue12.py").write_text(
        "import time\nend = time.monotonic() + 0.4\nwhile time.monotonic() < end:\n"
        "    pass\nCOMPLETE = True\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(Timeout):
        with time_limit(0.05):
            import slow_import_issue12  # noqa: F401  (0.4 s of module code)

            while True:  # the alarm waited for the import, then ends the block here
                pass
    assert sys.modules["slow_import_issue12"].COMPLETE


def test_item_4_after_timeouts_the_process_stays_healthy():
    run = python(
        """
        import symconv
        for t in (0.001, 0.005, 0.02, 0.05, 0.09, 0.15, 0.21):
            for s in ("f⋆g = g⋆f", "(f⋆g)⋆h = f⋆(g⋆h)", "⟨f*g, h⟩ = ⟨g, f*h⟩"):
                symconv.prove(s, timeout=t)
        import numpy, json, decimal, xml.dom.minidom  # imports work
        assert symconv.prove("f⋆g = g⋆f").verdict.value == "refuted"
        assert symconv.prove("f*g = g*f").verdict.value == "proved"
        print("healthy")
        """,
        timeout=300,
    )
    assert run.returncode == 0 and run.stdout.strip() == "healthy", run.stderr


def test_item_4_a_swallowed_timeout_is_raised_again():
    run = python(
        """
        from symconv.routes.budget import Timeout, time_limit
        try:
            with time_limit(0.05):
                try:
                    while True:
                        pass
                except Timeout:
                    pass  # swallowed ...
                while True:  # ... and raised again
                    pass
        except Timeout:
            print("ended")
        """,
        timeout=60,
    )
    assert run.stdout.strip() == "ended", run.stderr


# --------------------------------------------------------------------------- 5. C code

STUCK = """
from symconv import Obligation, Result, Verdict


class StuckInC:
    def __str__(self):
        return "stuck in C"

    def decide(self, budget):
        sum(range(10**11))  # one call into C: no alarm can interrupt it
        return Result(str(self), Verdict.PROVED, method="never reached")


OBLIGATIONS = [
    Obligation("stuck", StuckInC(), expect="proved"),
    Obligation("fast", "f*g = g*f", expect="proved"),
]
"""


@pytest.mark.parametrize("jobs", [[], ["--jobs", "1"], ["--jobs", "2"]])
def test_item_5_a_claim_stuck_in_c_is_ended_in_every_mode(tmp_path, jobs):
    path = write(tmp_path, STUCK, "theorems_stuck.py")
    done = symconv_cli("prove", str(path), "--timeout", "1", "--format", "json", *jobs, timeout=60)
    assert done.returncode == ExitCode.FAILED, done.stderr
    by_id = {o["id"]: o for o in json.loads(done.stdout)["obligations"]}
    assert by_id["stuck"]["verdict"] == "unknown"
    assert by_id["stuck"]["reason"].startswith("timeout after 1 s")
    assert by_id["fast"]["verdict"] == "proved"


def test_item_5_the_api_ends_a_claim_stuck_in_c(tmp_path):
    write(tmp_path, STUCK, "theorems_stuck.py")
    done = python(
        """
        import theorems_stuck, symconv
        r = symconv.prove(theorems_stuck.StuckInC(), timeout=1)
        print(r.verdict.value, r.reason)
        print(symconv.prove("f*g = g*f").verdict.value)
        """,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.stdout.splitlines()[0].startswith("unknown timeout after 1 s"), done.stderr
    assert done.stdout.splitlines()[1] == "proved"


# --------------------------------------------------------------------------- 6. jobs

CHEAP = """
from symconv import Obligation

OBLIGATIONS = [
    Obligation("c.refl", "τ(f, a) * g = τ(f, a) * g", expect="proved"),
    Obligation("c.comm", "f*g = g*f", expect="proved"),
    Obligation("c.xcomm", "f⋆g = g⋆f", expect="refuted"),
    Obligation("c.assoc", "(f⋆g)⋆h = f⋆(g⋆h)", expect="refuted"),
    Obligation("c.adjoint", "⟨f⋆g, h⟩ = ⟨g, f*h⟩", expect="proved"),
    Obligation("c.shift", "τ(f, a) = f", expect="refuted"),
]
"""


def test_item_6_verdicts_do_not_depend_on_the_number_of_jobs(tmp_path):
    path = write(tmp_path, CHEAP, "theorems_cheap.py")

    def verdicts(*jobs):
        done = symconv_cli("prove", str(path), "--timeout", "0.4", "--format", "json", *jobs)
        return [o["verdict"] for o in json.loads(done.stdout)["obligations"]]

    serial = verdicts("--jobs", "1")
    assert serial[:2] == ["proved", "proved"] and "refuted" in serial  # 0.4 s is plenty
    assert verdicts("--jobs", "2") == serial  # worker start-up is not in any budget


# --------------------------------------------------------------------------- 7. timeouts


@pytest.mark.parametrize("value", [float("inf"), 1e12, 0, -1, float("nan"), "5", True])
def test_item_7_a_bad_timeout_is_one_clear_error(value):
    from symconv.routes.budget import check_timeout

    for call in (
        lambda: symconv.prove("f*g = g*f", timeout=value),
        lambda: symconv.run([symconv.Obligation("a", "f = f", "proved")], timeout=value),
        lambda: check_timeout(value),
    ):
        with pytest.raises(ValueError) as info:
            call()
        assert "timeout must be" in str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize("value", ["inf", "1e12", "0", "-1", "nan"])
def test_item_7_the_cli_refuses_a_bad_timeout_in_one_line(capsys, value):
    code, _, err = run(capsys, "check", "f = f", "--timeout", value)
    assert code == ExitCode.USAGE
    assert "greater than 0 and at most 86400 seconds" in err and "Traceback" not in err


@pytest.mark.parametrize(
    "option", ["--symconv-timeout=0", "--symconv-timeout=inf", "-osymconv_timeout=1e12"]
)
def test_item_7_the_pytest_plugin_refuses_a_bad_timeout_once(tmp_path, option):
    write(tmp_path, CHEAP, "theorems_cheap.py")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "_symconv_pytest", "-p", "no:cacheprovider",
         "-o", "addopts=", "--symconv", option],
        cwd=tmp_path, capture_output=True, text=True, env=ENV, timeout=120,
    )
    assert done.returncode == 4  # pytest's usage error
    both = done.stdout + done.stderr
    assert both.count("greater than 0 and at most 86400 seconds") == 1
    assert "Traceback" not in both and "OverflowError" not in both


# --------------------------------------------------------------------------- 8-10. output


def _file_size_limit(size):
    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return limit


def test_item_8_a_report_that_cannot_be_written_keeps_the_old_one(tmp_path):
    previous = tmp_path / "prev.json"
    previous.write_text('{"previous": true}\n')
    done = symconv_cli(
        "prove", "--format", "json", "-o", str(previous), limits=_file_size_limit(8_000)
    )
    assert done.returncode == ExitCode.OUTPUT
    assert json.loads(previous.read_text()) == {"previous": True}  # whole, as it was
    doc = json.loads(done.stdout)  # the results went to stdout, whole
    assert len(doc["obligations"]) > 30 and doc["summary"]["differ"] == []
    (line,) = done.stderr.splitlines()
    assert "cannot write" in line and "left as it was" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prev.json"]  # no temporary left


def test_item_8_a_report_is_replaced_whole(tmp_path, capsys):
    previous = tmp_path / "report.json"
    previous.write_text("{}\n")
    previous.chmod(0o640)
    code, out, _ = run(capsys, "prove", "conv", "--format", "json", "-o", str(previous))
    assert code == ExitCode.OK and "(replaced the previous file)" in out
    assert json.loads(previous.read_text())["summary"]["obligations"] > 1
    assert stat.S_IMODE(previous.stat().st_mode) == 0o640  # its permissions are kept


def test_item_9_a_closed_pipe_does_not_turn_a_failure_into_success(tmp_path):
    wrong = write(tmp_path, "from symconv import Obligation\nOBLIGATIONS = [Obligation("
                  "'w', 'f*g = g*f', 'refuted')]\n", "theorems_wrong.py")
    for args, expected in [
        (["check", "f⋆g = g⋆f"], ExitCode.FAILED),
        (["prove", str(wrong)], ExitCode.FAILED),
        (["check", "f*g = g*f"], ExitCode.OK),
    ]:
        proc = subprocess.Popen(
            [sys.executable, "-m", "symconv", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=ENV, cwd=ROOT,
        )
        proc.stdout.close()  # the reader is gone before anything is written
        err = proc.stderr.read().decode()
        assert proc.wait(120) == expected, err
        assert "Traceback" not in err and "Exception ignored" not in err


def test_item_10_an_empty_output_path_is_refused(capsys):
    code, out, err = run(capsys, "prove", "conv", "-o", "")
    assert code == ExitCode.USAGE and out == ""
    assert err.count("\n") == 1 and "needs a file name" in err


def test_item_10_a_folder_is_refused_before_anything_is_decided(tmp_path, capsys):
    code, out, err = run(capsys, "prove", "conv", "-o", str(tmp_path))
    assert code == ExitCode.USAGE and out == "" and "is a folder" in err


def test_item_10_a_symbolic_link_is_replaced_not_followed(tmp_path, capsys):
    target = tmp_path / "elsewhere.txt"
    target.write_text("not yours\n")
    link = tmp_path / "report.xml"
    link.symlink_to(target)
    code, out, _ = run(capsys, "prove", "conv", "--format", "junit", "-o", str(link))
    assert code == ExitCode.OK and "(replaced the previous symbolic link)" in out
    assert target.read_text() == "not yours\n"
    assert not link.is_symlink() and ET.parse(link).getroot().tag == "testsuites"


# --------------------------------------------------------------------------- 14. files


@pytest.mark.parametrize(
    "text, message",
    [
        ("import sys\nsys.exit(0)\n", ":2: the file called sys.exit(0) while loading"),
        ("raise SystemExit\n", ":1: the file called sys.exit(None) while loading"),
    ],
)
def test_item_14_sys_exit_in_a_theorem_file_is_an_error_of_the_file(tmp_path, text, message):
    path = write(tmp_path, text, "theorems_exit.py")
    done = symconv_cli("prove", str(path))
    assert done.returncode == ExitCode.USAGE and done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert message in line


def test_item_14_a_binary_file_is_not_a_python_source_file(tmp_path, capsys):
    path = tmp_path / "theorems_bin.py"
    path.write_bytes(b"\x00\x01\x02\xff\xfebinary")
    code, _, err = run(capsys, "prove", str(path))
    assert code == ExitCode.USAGE
    assert "theorems_bin.py: not a Python source file" in err and "None" not in err


def test_item_14_a_theorem_file_is_executed_once_whatever_the_jobs(tmp_path):
    counter = tmp_path / "executions.txt"
    path = write(
        tmp_path,
        CHEAP + f"\nwith open({str(counter)!r}, 'a') as fh:\n    fh.write('x')\n",
        "theorems_counted.py",
    )
    done = symconv_cli("prove", str(path), "--jobs", "2")
    assert done.returncode == ExitCode.OK, done.stdout + done.stderr
    assert counter.read_text() == "x"
    counter.unlink()
    obligations = symconv.load_theorems(path)
    assert counter.read_text() == "x"
    runner.run(obligations, sources=[runner.from_file(path)], jobs=2)
    assert counter.read_text() == "x"  # the workers were sent the obligations
