"""Parallel runs: worker processes, time budgets enforced by the parent, stable order."""

import json
import os
import pickle
import pty
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from stub_certificates import stub

import symconv
from symconv.engine import runner, sources
from symconv.engine.pool import batch_size
from symconv.results.conditions import Hypothesis
from symconv.results.result import Result, Verdict, Witness
from symconv.surfaces.cli import ExitCode, main

ROOT = Path(__file__).resolve().parent.parent

# Claims outside the term language, defined in the theorem file itself: workers load
# the file again by its path rather than receiving these objects.
CLAIMS = """
import os
import time

import sympy as sp

from symconv import Obligation, Result, Verdict
from symconv.routes.budget import Timeout
from symconv.routes.verdicts import entry, record


def stub(verdict):
    # a valid record certificate (1 = 1) for the verdict these claims state
    one = sp.Integer(1)
    return record("claim", verdict, "a test fixture", [entry("equal", what="1 = 1", a=one, b=one)])


class Sleep:
    '''Holds after sleeping: the worker's own alarm ends it when the budget is short.'''

    def __init__(self, seconds):
        self.seconds = seconds

    def __str__(self):
        return f"sleep {self.seconds}"

    def decide(self, budget):
        time.sleep(self.seconds)
        return Result(str(self), Verdict.PROVED, method="waiting", certificate=stub("proved"))


class Stubborn:
    '''Ignores its time budget: only the parent can end it.'''

    def __str__(self):
        return "stubborn"

    def decide(self, budget):
        end = time.monotonic() + 60
        while time.monotonic() < end:
            try:
                time.sleep(0.02)
            except Timeout:
                continue
        return Result(str(self), Verdict.PROVED, method="never reached", certificate=stub("proved"))


class Crash:
    def __str__(self):
        return "crash"

    def decide(self, budget):
        os._exit(7)


class Broken:
    def __str__(self):
        return "broken"

    def decide(self, budget):
        return 1 / 0


class Unpicklable:
    def __str__(self):
        return "unpicklable"

    def decide(self, budget):
        return Result(str(self), Verdict.PROVED, method="m", details={"f": lambda: 0},
                      certificate=stub("proved"))


OBLIGATIONS = [Obligation(f"fast.{i}", "f*g = g*f", "proved") for i in range(3)] + [
    Obligation("sleep.short", Sleep(0.05), "proved"),
    Obligation("sleep.long", Sleep(30), "proved"),
    Obligation("stubborn", Stubborn(), "proved"),
    Obligation("crash", Crash(), "proved"),
    Obligation("broken", Broken(), "proved"),
    Obligation("unpicklable", Unpicklable(), "proved"),
    Obligation("refuted.expected", "f⋆g = f⁻*g", "proved"),
]
"""


@pytest.fixture
def claims_file(tmp_path):
    path = tmp_path / "theorems_claims.py"
    path.write_text(textwrap.dedent(CLAIMS), encoding="utf-8")
    return path


def select(path, *ids):
    source = sources.from_file(path)
    obs = [ob for ob in source.load() if ob.id in ids] if ids else list(source.load())
    return source, obs


def test_results_cross_process_boundaries():
    h = Hypothesis("convolution_assoc", "(A * B) * C = A * (B * C)", "L", "Fubini", ("f * g",))
    w = Witness({"f": "exp(-x**2)"}, {"b": "1"}, "0", None, "1", "2", "1.0", "2.0", 30, {"n": 1})
    for r in (
        symconv.prove("(f*g)*h = f*(g*h)"),
        Result("s", Verdict.REFUTED, method="counterexample", witness=w, hypotheses=(h,),
               certificate=stub("refuted")),
        Result("s", Verdict.CHECKED, method="m", details={"instances": 3, "family": "x"},
               certificate=stub("checked")),
    ):
        assert pickle.loads(pickle.dumps(r)) == r


def test_parallel_and_serial_agree_in_order_and_verdicts(claims_file):
    source, obs = select(
        claims_file, "fast.0", "fast.1", "fast.2", "sleep.short", "refuted.expected"
    )
    serial = runner.run(obs, sources=[source], jobs=1, timeout=10)
    parallel = runner.run(obs, sources=[source], jobs=2, timeout=10)
    assert serial.jobs == 1 and parallel.jobs == 2
    assert [o.obligation.id for o in parallel] == [ob.id for ob in obs]
    assert [o.result.verdict for o in parallel] == [o.result.verdict for o in serial]
    assert [o.result.statement for o in parallel] == [o.result.statement for o in serial]
    assert parallel["fast.1"].result.hypotheses == serial["fast.1"].result.hypotheses


def test_a_timeout_ends_only_the_slow_obligation(claims_file):
    source, obs = select(claims_file, "fast.0", "sleep.long", "stubborn", "sleep.short", "fast.2")
    done = runner.run(obs, sources=[source], jobs=2, timeout=0.5)
    by_id = {o.obligation.id: o.result for o in done}
    # the worker's own alarm ends the sleeping claim ...
    assert by_id["sleep.long"].verdict is Verdict.UNKNOWN
    assert by_id["sleep.long"].reason.startswith("timeout after 0.5 s")
    # ... and the parent ends the one that ignores it
    assert by_id["stubborn"].verdict is Verdict.UNKNOWN
    assert "timeout after 0.5 s" in by_id["stubborn"].reason
    assert "was ended" in by_id["stubborn"].reason
    # nothing else is lost, and the order is the input's
    assert [o.obligation.id for o in done] == [ob.id for ob in obs]
    for ident in ("fast.0", "sleep.short", "fast.2"):
        assert by_id[ident].verdict is Verdict.PROVED


def test_a_crashing_or_broken_claim_is_unknown_with_the_reason(claims_file):
    source, obs = select(claims_file, "crash", "fast.0", "broken", "unpicklable", "fast.1")
    done = runner.run(obs, sources=[source], jobs=2, timeout=5)
    by_id = {o.obligation.id: o.result for o in done}
    assert by_id["crash"].verdict is Verdict.UNKNOWN
    assert "died (exit code 7)" in by_id["crash"].reason
    assert by_id["broken"].reason.startswith("internal error: ZeroDivisionError")
    assert "could not be sent back" in by_id["unpicklable"].reason
    assert by_id["fast.0"].verdict is by_id["fast.1"].verdict is Verdict.PROVED
    # in this process, the same error is a result too
    serial = runner.run([ob for ob in obs if ob.id == "broken"], jobs=1, timeout=5)
    assert serial[0].result.reason == by_id["broken"].reason


def test_progress_is_reported_for_every_obligation(claims_file):
    source, obs = select(claims_file, "fast.0", "fast.1", "fast.2", "sleep.short")
    seen = []
    runner.run(
        obs, sources=[source], jobs=2, timeout=5, on_outcome=lambda d, t, o: seen.append((d, t))
    )
    assert sorted(seen) == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_default_runs_cheap_obligations_in_this_process():
    cheap = [
        # reflexive statements: a millisecond each even on a slow, loaded machine
        symconv.Obligation(f"c.{i}", f"shift(f, a{i}) * g = shift(f, a{i}) * g", "proved")
        for i in range(12)
    ]
    done = runner.run(cheap, jobs=None)
    assert done.jobs == 1  # milliseconds each: no worker is started
    assert all(o.as_expected for o in done)


def test_default_hands_slow_obligations_to_workers(tmp_path):
    path = tmp_path / "theorems_slow.py"
    path.write_text(
        textwrap.dedent(CLAIMS)
        + "\nOBLIGATIONS = [Obligation(f's.{i}', Sleep(0.15), 'proved') for i in range(24)]\n",
        encoding="utf-8",
    )
    done = runner.run(str(path), jobs=None)
    assert all(o.result.verdict is Verdict.PROVED for o in done)
    # some ran here first (0.25 s worth); over 3 s of work left: the rest in one worker per core
    assert done.jobs == (1 if runner.default_jobs() == 1 else min(runner.default_jobs(), 4))


def test_workers_decide_the_obligations_the_parent_read(claims_file):
    """A theorem file is executed once, in the parent; forked workers inherit what it
    defined, so a change to the file during the run changes nothing (issue 12, item 14)."""
    source, obs = select(claims_file, "fast.0", "fast.1")
    claims_file.write_text(
        claims_file.read_text().replace('"f*g = g*f", "proved") for i', '"f = f", "proved") for i')
    )
    done = runner.run(obs, sources=[source], jobs=2, timeout=5)
    assert [o.result.statement for o in done] == ["f * g = g * f", "f * g = g * f"]


def test_cli_jobs_gives_the_same_report_as_jobs_1(claims_file, capsys):
    args = ["prove", str(claims_file), "fast.*", "sleep.short", "--format", "json"]
    assert main(args + ["--jobs", "1"]) == ExitCode.OK
    one = capsys.readouterr().out
    assert main(args + ["--jobs", "2"]) == ExitCode.OK
    two = capsys.readouterr().out
    def timeless(value):  # everything but the times
        if isinstance(value, dict):
            return {k: timeless(v) for k, v in value.items() if k != "seconds"}
        if isinstance(value, list):
            return [timeless(v) for v in value]
        return value

    def strip(text):
        return timeless(json.loads(text)["obligations"])

    assert strip(one) == strip(two)


def test_cli_timeout_with_jobs_exit_1(claims_file, capsys):
    code = main(
        ["prove", str(claims_file), "stubborn", "fast.0", "--jobs", "2", "--timeout", "0.3"]
    )
    assert code == ExitCode.FAILED
    out = capsys.readouterr().out
    assert "stubborn" in out and "unknown ✗ expected proved" in out


def run_in_terminal(args, env):
    """Run the CLI with its stderr on a pseudo-terminal; return (stdout, terminal text)."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "symconv", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=slave,
        env=env,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # the terminal closed: the program ended
            break
        if not data:
            break
        chunks.append(data)
    out = proc.stdout.read().decode()
    proc.wait(60)
    os.close(master)
    return out, b"".join(chunks).decode(errors="replace")


def test_progress_line_on_a_terminal_only(claims_file):
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["TERM"] = "xterm"
    args = ["prove", str(claims_file), "fast.*", "--jobs", "1"]
    out, tty = run_in_terminal(args, env)
    assert "[3/3] fast.2 proved" in tty and "\r\x1b[K" in tty
    assert "[1/3]" not in out  # never in the report itself
    _, tty = run_in_terminal(args + ["--format", "json"], env)
    assert "[1/3]" not in tty
    _, tty = run_in_terminal(args, {**env, "CI": "true"})
    assert "[1/3]" not in tty


def test_run_checks_given_obligations_like_a_theorem_file():
    bad = [symconv.Obligation("bad", "f*g = ", "proved")]
    with pytest.raises(symconv.TheoremFileError, match="obligation 'bad': column"):
        runner.run(bad)


def test_spawned_workers_load_the_file_themselves(claims_file, monkeypatch):
    """Where fork is not safe (a process with threads, e.g. a Jupyter kernel) workers are
    spawned: fresh interpreters that import symconv and load the theorem file by path."""
    import multiprocessing

    from symconv.engine import pool  # the worker processes of the runner

    monkeypatch.setattr(pool, "_context", lambda: multiprocessing.get_context("spawn"))
    source, obs = select(claims_file, "fast.0", "sleep.short", "refuted.expected", "broken")
    done = runner.run(obs, sources=[source], jobs=2, timeout=30)
    by_id = {o.obligation.id: o.result for o in done}
    assert by_id["fast.0"].verdict is by_id["sleep.short"].verdict is Verdict.PROVED
    assert by_id["refuted.expected"].verdict is Verdict.PROVED
    assert by_id["broken"].reason.startswith("internal error: ZeroDivisionError")


def test_the_notes_in_parallel_carry_the_same_evidence():
    serial = runner.run("theorems", jobs=1)
    parallel = runner.run("theorems", jobs=2)
    assert parallel.jobs == 2
    for a, b in zip(serial, parallel, strict=True):
        assert a.obligation.id == b.obligation.id
        assert a.result.verdict is b.result.verdict
        assert a.result.hypotheses == b.result.hypotheses
        if a.result.witness is not None:  # replayed counterexamples cross back whole
            assert b.result.witness.to_dict() == a.result.witness.to_dict()
            assert (b.result.witness.data is None) is (a.result.witness.data is None)


def test_workers_take_batches_and_a_stuck_or_dead_one_loses_only_its_obligation(claims_file):
    """Workers are sent several obligations at a time; when one overruns or kills its
    worker, the rest of its batch goes to another worker, and nothing else is lost."""
    source, obs = select(claims_file, "fast.0", "stubborn", "crash", "refuted.expected")
    fast = [symconv.Obligation(f"many.{i}", f"shift(f*g, b{i}) = f*shift(g, b{i})", "proved")
            for i in range(36)]
    order = fast[:12] + [obs[1]] + fast[12:24] + [obs[2]] + fast[24:] + [obs[0], obs[3]]
    assert batch_size(len(order), 2) > 1  # batches, not single obligations
    done = runner.run(order, sources=[source, sources.given(fast)], jobs=2, timeout=0.5)
    by_id = {o.obligation.id: o.result for o in done}
    assert [o.obligation.id for o in done] == [ob.id for ob in order]
    assert "was ended" in by_id["stubborn"].reason
    assert "died (exit code 7)" in by_id["crash"].reason
    assert all(by_id[ob.id].verdict is Verdict.PROVED for ob in fast + [obs[0], obs[3]])


def test_a_run_decides_each_equality_once(monkeypatch):
    """`A ≠ B` after `A = B` (the notes state claims both ways) reuses the run's decision
    of A = B; separate calls of prove() decide every time."""
    from symconv.engine import prove as engine

    calls = []
    original = engine._decide_equality

    def counting(eq, budget, *rest):
        calls.append(str(eq))
        return original(eq, budget, *rest)

    monkeypatch.setattr(engine, "_decide_equality", counting)
    obs = [
        symconv.Obligation("a", "f⋆g = g⋆f", "refuted"),
        symconv.Obligation("b", "f⋆g != g⋆f", "proved"),
        symconv.Obligation("c", "xcorr(f, g) == xcorr(g, f)", "refuted"),
        symconv.Obligation("d", "f*g = g*f", "proved"),
    ]
    done = runner.run(obs, jobs=1)
    assert done.as_expected
    assert calls == ["f ⋆ g = g ⋆ f", "f * g = g * f"]
    assert done["b"].result.witness == done["a"].result.witness
    calls.clear()
    symconv.prove("f⋆g = g⋆f")
    symconv.prove("f⋆g = g⋆f")
    assert len(calls) == 2  # outside a run, nothing is remembered


def test_a_run_never_reuses_a_decision_on_another_group():
    """τ(f, 4) = f is false on ℝ and true on ℤ/4: the run's memo and the cache know the
    statement by its group as well as its terms."""
    obs = [
        symconv.Obligation("r", "shift(f, 4) = f", "refuted"),
        symconv.Obligation("z", "over Z/4: shift(f, 4) = f", "refuted"),
    ]
    done = runner.run(obs, jobs=1)
    assert done["r"].result.verdict is Verdict.REFUTED
    assert done["z"].result.verdict is not Verdict.REFUTED
    assert done["z"].result.statement.startswith("over ")


class _Pid:
    """A claim that says which process decided it, and declares a library it imports."""

    optional_modules = ("a-library-that-takes-seconds-to-import",)

    def __init__(self, k):
        self.k = k

    def __str__(self):
        return f"pid {self.k}"

    def decide(self, budget):
        return Result(str(self), Verdict.UNKNOWN, reason=f"decided in {os.getpid()}")


def test_claims_that_import_the_same_library_go_to_one_worker():
    """PyTorch takes seconds to import: the claims that use it are one worker's."""
    plain = [symconv.Obligation(f"p.{i}", f"shift(f*g, b{i}) = f*shift(g, b{i})", "proved")
             for i in range(30)]
    heavy = [symconv.Obligation(f"h.{i}", _Pid(i), "unknown") for i in range(4)]
    order = plain[:5] + heavy[:1] + plain[5:20] + heavy[1:3] + plain[20:] + heavy[3:]
    done = runner.run(order, jobs=2, timeout=30)
    assert done.jobs == 2 and done.as_expected
    pids = {done[ob.id].result.reason for ob in heavy}
    assert len(pids) == 1 and str(os.getpid()) not in next(iter(pids))


def test_a_process_that_has_decided_an_equality_is_warm_and_workers_forked_from_it_too(monkeypatch):
    from symconv.engine import prove as prove_module

    monkeypatch.setattr(prove_module, "_warm", False)
    assert prove_module.warm_up() is False  # imports only: never decides
    assert prove_module._warm is False
    runner.run([symconv.Obligation("w.comm", "f*g = g*f", "proved")], jobs=1)
    assert prove_module._warm is True
    assert prove_module.warm_up(decide=True) is False  # nothing left to warm
    monkeypatch.setattr(prove_module, "_warm", False)
    assert prove_module.warm_up(decide=True) is True and prove_module._warm is True


def test_forked_workers_go_parallel_sooner_than_spawned_ones(monkeypatch):
    from symconv.engine import runner as runner_module

    monkeypatch.setattr(runner_module, "can_fork", lambda: True)
    assert runner_module.parallel_seconds() == runner_module.FORKED_PARALLEL_SECONDS
    monkeypatch.setattr(runner_module, "can_fork", lambda: False)
    assert runner_module.parallel_seconds() == runner_module.PARALLEL_SECONDS
    assert runner_module.FORKED_PARALLEL_SECONDS < runner_module.PARALLEL_SECONDS


def test_a_result_that_exercised_pytorch_is_read_back_without_importing_it(tmp_path):
    """A worker's result is unpickled in the parent: a torch object inside it (such as
    ``torch.__version__``, a ``TorchVersion``) would make the parent import PyTorch (a
    second, and threads after which no worker can be forked)."""
    pytest.importorskip("torch")
    from symconv.routes.discrete.layers import LayerIsXcorr

    result = symconv.prove(LayerIsXcorr())
    assert result.verdict is Verdict.CHECKED and "PyTorch" in result.method
    blob = tmp_path / "result.pickle"
    blob.write_bytes(pickle.dumps(result))
    code = ("import pickle, sys; result = pickle.loads(open(sys.argv[1], 'rb').read()); "
            "print(result.verdict.value, 'torch' in sys.modules, 'numpy' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code, str(blob)], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["checked", "False", "False"]


def test_a_library_still_to_import_counts_in_the_work_left():
    from symconv.engine import runner as runner_module

    class Needs:
        optional_modules = ("json",)  # imported already: costs nothing more

    class NeedsAbsent:
        optional_modules = ("symconv_no_such_module",)  # not installed: nothing to import

    class NeedsInstalled:
        optional_modules = ("tabnanny",)  # installed (the standard library), not imported

    assert "tabnanny" not in sys.modules
    obligations = [symconv.Obligation("a", "f*g = g*f", "proved"),
                   symconv.Obligation("b", Needs(), "proved"),
                   symconv.Obligation("c", NeedsAbsent(), "proved"),
                   symconv.Obligation("d", NeedsInstalled(), "proved")]
    assert runner_module._imports_left(obligations, [0, 1, 2]) == 0
    assert runner_module._imports_left(obligations, [0, 1, 2, 3]) == 1
    assert runner_module._work_left([0.01, 0.03, 0.01], 4) == pytest.approx(0.04)
    assert runner_module._work_left([0.01, 0.03, 0.01], 4, 1) == pytest.approx(0.04 + runner_module.IMPORT_SECONDS)
    assert runner_module._work_left([], 4, 1) == 0.0  # nothing decided yet: no estimate
