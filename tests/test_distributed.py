"""Obligations decided on a Dask cluster (``--scheduler``): the same verdicts as a local
run, each obligation under its budget, and a worker lost in the middle of a run loses
no obligation (its tasks are decided again, and the run says so)."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

pytest.importorskip("distributed")

import dask  # noqa: E402
from dask_claims import Gate, Stubborn  # noqa: E402
from distributed import Client, LocalCluster  # noqa: E402

from symconv import Obligation, run  # noqa: E402
from symconv.engine.distributed import EVENTS  # noqa: E402
from symconv.engine.runner import RunnerError  # noqa: E402
from symconv.results.result import Verdict  # noqa: E402
from symconv.surfaces.cli import ExitCode, main  # noqa: E402

STATEMENTS = [
    Obligation("d.comm", "f*g = g*f", "proved"),
    Obligation("d.xcomm", "f⋆g = g⋆f", "refuted"),
    Obligation("d.swap", "g⋆f = (f⋆g)⁻", "proved"),
    Obligation("d.xassoc", "(f⋆g)⋆h = f⋆(g⋆h)", "refuted"),
    Obligation("d.shift", "τ(f*g, b) = f*τ(g, b)", "proved"),
]


@pytest.fixture(scope="module")
def cluster():
    with dask.config.set({"distributed.worker.daemon": False}):
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                          dashboard_address=None) as c:
            yield c


def _verdicts(done):
    return {o.obligation.id: o.result.verdict for o in done.outcomes}


def test_a_dask_run_gives_the_verdicts_of_a_local_run(cluster, capsys):
    from theorems.differentiation import OBLIGATIONS as SECTION2

    obligations = STATEMENTS + [ob for ob in SECTION2 if ob.id.startswith("diff.def.")]
    local = run(obligations, jobs=1)
    remote = run(obligations, scheduler=cluster.scheduler_address)
    assert _verdicts(remote) == _verdicts(local)
    assert remote.as_expected and remote.notes == ()
    # the command line: prove and check
    assert main(["prove", "conv.comm", "xcorr.comm", "--no-cache",
                 "--scheduler", cluster.scheduler_address]) == ExitCode.OK
    # xcorr.comm selects xcorr.comm.not-identity too
    assert "3 obligations: 2 proved, 1 refuted; every verdict as expected" in capsys.readouterr().out
    code = main(["check", "f*g = g*f", "f⋆g = g⋆f", "--no-cache",
                 "--scheduler", cluster.scheduler_address])
    out = capsys.readouterr().out
    assert code == ExitCode.FAILED
    assert "proved" in out.split("f⋆g = g⋆f")[0] and "refuted" in out.split("f⋆g = g⋆f")[1]


def test_the_budget_of_each_obligation_holds_on_dask(cluster):
    obligations = [Obligation("d.stubborn", Stubborn(), "unknown"), *STATEMENTS[:2]]
    done = run(obligations, scheduler=cluster.scheduler_address, timeout=1.0)
    stubborn = done["d.stubborn"].result
    assert stubborn.verdict is Verdict.UNKNOWN
    assert stubborn.reason.startswith("timeout after 1 s")
    assert _verdicts(done) == {"d.stubborn": Verdict.UNKNOWN, "d.comm": Verdict.PROVED,
                               "d.xcomm": Verdict.REFUTED}


def test_a_worker_lost_in_the_middle_of_a_run_loses_no_obligation(cluster, tmp_path):
    gate = tmp_path / "open"
    obligations = [Obligation("d.gate", Gate(str(gate)), "unknown"), *STATEMENTS]
    local = run(STATEMENTS, jobs=1)
    done = []
    runner = threading.Thread(
        target=lambda: done.append(run(obligations, scheduler=cluster.scheduler_address,
                                       timeout=600)),
        daemon=True,
    )
    runner.start()
    with Client(cluster.scheduler_address, set_as_default=False) as client:
        started = None
        for _ in range(3000):  # the gate's task (the first) has started on some worker
            events = [e for _, e in client.get_events(EVENTS) if "d.gate" in e["ids"]]
            if events:
                started = events[-1]
                break
            time.sleep(0.05)
        assert started is not None, "the gate's task never started"
        os.kill(started["pid"], signal.SIGKILL)  # that worker dies with the task running
        for _ in range(3000):  # Dask noticed, and gave the task to a worker again
            if [e for _, e in client.get_events(EVENTS) if "d.gate" in e["ids"]][1:]:
                break
            time.sleep(0.05)
    gate.write_text("open")
    runner.join(600)
    assert done, "the run did not finish"
    (result,) = done
    assert result["d.gate"].result.reason == "the gate opened (a test claim)"
    assert {k: v for k, v in _verdicts(result).items() if k != "d.gate"} == _verdicts(local)
    assert len(result.notes) == 1
    assert "decided again after a Dask worker was lost: d.gate" in result.notes[0]


def test_a_daemonic_worker_is_refused_with_the_way_out():
    with dask.config.set({"distributed.worker.daemon": True}), LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None
    ) as daemonic:
        with pytest.raises(RunnerError, match="DASK_DISTRIBUTED__WORKER__DAEMON=False"):
            run(STATEMENTS[:1], scheduler=daemonic.scheduler_address)


def test_an_unreachable_scheduler_is_a_usage_error(capsys, monkeypatch):
    from symconv.engine import distributed

    monkeypatch.setattr(distributed, "CONNECT_SECONDS", 2.0)  # not the default 30 s
    code = main(["check", "f*g = g*f", "--no-cache", "--scheduler", "tcp://127.0.0.1:9"])
    assert code == ExitCode.USAGE
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in capsys.readouterr().err


def test_a_dask_run_reuses_kept_verdicts_here_and_keeps_what_the_cluster_decided(cluster, tmp_path):
    from symconv.engine.cache import VerdictCache

    def cache():
        return VerdictCache(tmp_path / "kept", options={"timeout": 30.0}, version="test")

    first = cache()
    run(STATEMENTS[:3], jobs=1, cache=first)
    assert first.written == 3
    again = cache()
    remote = run(STATEMENTS, scheduler=cluster.scheduler_address, cache=again)
    assert remote.as_expected
    # three re-verified in this process (the workers of a cluster have no cache folder),
    # two decided on the cluster and kept here, each counted once
    assert (again.hits, again.misses, again.rejected, again.written) == (3, 2, 0, 2)
    assert all("re-verified" in remote[ob.id].result.details.get("cache", "") for ob in STATEMENTS[:3])
