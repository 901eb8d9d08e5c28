"""The verdict cache of prove, check and audit: keys, reuse only through the verification
hook, bounds, atomic writes, and the command-line options."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from dask_claims import Stubborn

from symconv import Obligation, parse, prove, run
from symconv.engine import cache as cache_module
from symconv.engine.cache import (
    VerdictCache,
    Verification,
    normalized,
    result_data,
    result_from_data,
    verify_certificate,
)
from symconv.results.result import EvidenceError, Verdict
from symconv.surfaces.cli import ExitCode, main


def _accept(certificate):
    """Stands in for the independent certificate checker: accepts every entry, so that
    these tests see the cache's own mechanics."""
    return Verification(True, "accepted by the stand-in checker")


def _cache(tmp_path, verify=_accept, **kw):
    kw.setdefault("options", {"timeout": 30.0})
    kw.setdefault("version", "test")
    return VerdictCache(tmp_path / "cache", verify=verify, **kw)


def _entries(tmp_path):
    return sorted((tmp_path / "cache" / "verdicts").rglob("*.json"))


def test_the_default_hook_is_the_independent_checker():
    assert verify_certificate(None) == Verification(False, "the entry carries no certificate")
    refused = verify_certificate({"format": "symconv-certificate", "verdict": "proved"})
    assert refused.ok is False and refused.why.startswith("the checker refused the certificate")
    certificate = prove("f*g = g*f").certificate.to_dict()
    assert verify_certificate(certificate) == Verification(True, "fourier certificate re-verified")
    tampered = {**certificate, "verdict": "refuted"}
    assert verify_certificate(tampered).ok is False


def test_with_the_default_hook_a_rerun_reuses_the_checked_verdicts(tmp_path):
    cache = VerdictCache(tmp_path / "cache", options={"timeout": 30.0}, version="test")
    first = prove("f*g = g*f", cache=cache)
    refuted = prove("f⋆g = g⋆f", cache=cache)
    again = prove("f*g = g*f", cache=cache)
    refuted_again = prove("f⋆g = g⋆f", cache=cache)
    assert first.verdict is again.verdict is Verdict.PROVED
    assert refuted.verdict is refuted_again.verdict is Verdict.REFUTED
    assert "re-verified" in again.details["cache"] and "re-verified" in refuted_again.details["cache"]
    assert again.certificate == first.certificate and refuted_again.witness == refuted.witness
    assert cache.hits == 2 and cache.rejected == 0 and cache.written == 2


def test_a_verified_entry_is_reused_with_the_same_result(tmp_path):
    for text in ("f*g = g*f", "f⋆g = g⋆f", "f⋆g != g⋆f", "f*g = f*g"):
        cache = _cache(tmp_path)
        decided = prove(text, cache=cache)
        reused = prove(text, cache=cache)
        assert cache.hits == 1, text
        assert reused.details["cache"].startswith("reused from the cache")
        same = ("statement", "verdict", "method", "hypotheses", "witness", "reason", "negated",
                "input")
        assert {k: getattr(reused, k) for k in same} == {k: getattr(decided, k) for k in same}
        assert reused.to_dict()["repairs"] == decided.to_dict()["repairs"]
        assert reused.to_dict()["derivation"] == decided.to_dict()["derivation"]


def test_the_key_is_the_statement_as_read_the_options_and_the_version(tmp_path):
    assert normalized(parse("f⋆g = g⋆f")) == normalized(parse("xcorr(f, g) == xcorr(g,f)"))
    assert normalized(parse("f⋆g = g⋆f")) != normalized(parse("f⋆g != g⋆f"))
    assert normalized(parse("f*g = g*f")) != normalized(parse("f*h = h*f"))
    cache = _cache(tmp_path)
    prove("f⋆g = g⋆f", cache=cache)
    assert prove("xcorr(f, g) == xcorr(g, f)", cache=cache).input == "xcorr(f, g) == xcorr(g, f)"
    assert cache.hits == 1
    other_timeout = _cache(tmp_path, options={"timeout": 5.0})
    other_version = _cache(tmp_path, version="another")
    for other in (other_timeout, other_version):
        prove("f⋆g = g⋆f", cache=other)
        assert other.hits == 0 and other.misses == 1


def test_the_key_names_the_group(tmp_path):
    cache = _cache(tmp_path)
    on_r, on_z4 = parse("shift(f, 4) = f"), parse("over Z/4: shift(f, 4) = f")
    assert cache.key(on_r) != cache.key(on_z4)
    cache.put(on_r, prove(on_r))
    assert cache.get(on_z4) is None and cache.misses == 1


def test_unknowns_are_never_kept(tmp_path):
    cache = _cache(tmp_path)
    result = prove("f*g = g*f", timeout=1e-6, cache=cache)
    assert result.verdict is Verdict.UNKNOWN
    assert _entries(tmp_path) == [] and cache.written == 0


def test_a_tampered_or_broken_entry_is_refused_and_decided_again(tmp_path):
    cache = _cache(tmp_path)
    prove("f⋆g = g⋆f", cache=cache)
    (path,) = _entries(tmp_path)
    entry = json.loads(path.read_text())
    for change, why in [
        (lambda e: e["result"].update(verdict="proved", method=""), "another verdict"),
        (lambda e: e["result"].update(witness=None), "does not make a result"),
        (lambda e: e.update(statement="f * g = g * f"), "another statement"),
        (lambda e: e["result"].update(verdict="unknown"), "no verdict to reuse"),
        (lambda e: e.update(key="0" * 64), "not an entry of this key"),
        (lambda e: e.update(certificate={"verdict": "proved", "statement": e["statement"]}),
         "another verdict"),
    ]:
        broken = json.loads(json.dumps(entry))
        change(broken)
        path.write_text(json.dumps(broken))
        fresh = _cache(tmp_path)
        assert prove("f⋆g = g⋆f", cache=fresh).verdict is Verdict.REFUTED
        assert fresh.hits == 0 and any(why in r for r in fresh.refusals), (why, fresh.refusals)
    path.write_text("{not json")
    fresh = _cache(tmp_path)
    assert prove("f⋆g = g⋆f", cache=fresh).verdict is Verdict.REFUTED
    assert fresh.rejected == 1 and fresh.written == 1  # decided again and written anew
    assert json.loads(path.read_text())["result"]["verdict"] == "refuted"


def test_a_hook_that_fails_refuses(tmp_path):
    def broken(certificate):
        raise RuntimeError("checker crashed")

    cache = _cache(tmp_path)
    prove("f*g = g*f", cache=cache)
    again = _cache(tmp_path, verify=broken)
    assert "cache" not in prove("f*g = g*f", cache=again).details
    assert list(again.refusals) == ["the verification failed: RuntimeError: checker crashed"]


def test_the_cache_is_bounded_and_writes_whole_files(tmp_path, monkeypatch):
    cache = _cache(tmp_path, max_entries=4)
    texts = [f"shift(f*g, {b}) = f*shift(g, {b})" for b in range(1, 8)]
    for text in texts:
        prove(text, cache=cache)
    kept = _entries(tmp_path)
    assert 1 <= len(kept) <= 4
    assert not list((tmp_path / "cache").rglob("*.tmp"))
    # the most recently used survive
    newest = {cache.key(parse(texts[-1]))}
    assert newest <= {p.stem for p in kept}
    # too large an entry is neither written nor read
    monkeypatch.setattr(cache_module, "MAX_ENTRY_BYTES", 10)
    small = _cache(tmp_path / "small")
    prove("f*g = g*f", cache=small)
    assert small.written == 0


def test_an_unwritable_cache_never_stops_a_run(tmp_path):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder should be")
    cache = _cache(tmp_path)
    assert prove("f*g = g*f", cache=cache).verdict is Verdict.PROVED
    assert cache.errors and "cannot write the cache" in cache.errors[0]


def test_results_round_trip_through_their_data():
    for text in ("f*g = g*f", "f⋆g = g⋆f", "f⋆g != g⋆f"):
        result = prove(text)
        data = json.loads(json.dumps(result_data(result)))
        again = result_from_data(data, json.loads(result.certificate.to_json()))
        assert again.echoing(text).to_dict() == result.to_dict()  # the input is the run's own
        assert again.certificate == result.certificate
        with pytest.raises(EvidenceError, match="needs the certificate"):
            result_from_data(data)


@dataclass(frozen=True)
class _UserClaim:
    """A claim of a user's class: never keyed (its fields mean what its code says)."""

    n: int

    def decide(self, budget):
        raise NotImplementedError


def test_claims_of_symconvs_classes_are_keyed_by_their_fields_and_others_never():
    from symconv.routes.calculus.claims import DifferentiableAt
    from theorems.differentiation import ABS, POLYNOMIAL

    a = normalized(DifferentiableAt(POLYNOMIAL, (0, 0)))
    assert a is not None
    assert a == normalized(DifferentiableAt(POLYNOMIAL, (0, 0)))
    assert a != normalized(DifferentiableAt(POLYNOMIAL, (1, 0)))
    assert normalized(DifferentiableAt(ABS, (0,))) != normalized(DifferentiableAt(ABS, (1,)))
    assert normalized(_UserClaim(1)) is None


OBLIGATIONS = [
    Obligation("c.comm", "f*g = g*f", expect="proved"),
    Obligation("c.xcomm", "f⋆g = g⋆f", expect="refuted"),
    Obligation("c.swap", "xcorr(g, f) == flip(xcorr(f, g))", expect="proved"),
]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_run_looks_every_obligation_up_first_and_decides_only_the_rest(tmp_path, jobs):
    cache = _cache(tmp_path)
    first = run(OBLIGATIONS, jobs=jobs, cache=cache)
    assert cache.written == 3 and cache.hits == 0
    again_cache = _cache(tmp_path)
    again = run(OBLIGATIONS, jobs=jobs, cache=again_cache)
    assert again_cache.hits == 3 and again_cache.written == 0
    assert [o.result.verdict for o in again] == [o.result.verdict for o in first]
    assert [o.result.shown for o in again] == [o.result.shown for o in first]  # as typed
    assert again.as_expected


def test_the_command_line_options(tmp_path, capsys):
    folder = tmp_path / "c"
    assert main(["check", "f*g = g*f", "--cache-dir", str(folder)]) == ExitCode.OK
    assert len(list((folder / "verdicts").rglob("*.json"))) == 1
    assert (folder / ".gitignore").read_text().splitlines()[-1] == "*"
    assert main(["prove", "conv.comm", "--cache-dir", str(folder), "--format", "json"]) == 0
    capsys.readouterr()
    assert main(["prove", "conv.comm", "--cache-dir", str(folder), "--format", "json",
                 "--cache-clear"]) == 0
    stats = json.loads(capsys.readouterr().out)["cache"]
    assert stats["rejected"] == 0 and stats["misses"] == 1 and stats["written"] == 1
    other = tmp_path / "none"
    assert main(["prove", "conv.comm", "--cache-dir", str(other), "--no-cache"]) == 0
    assert main(["check", "f*g = g*f", "--cache-dir", str(other), "--no-cache"]) == 0
    assert not other.exists()


def test_a_folder_of_the_users_own_is_never_marked(tmp_path):
    """`--cache-dir .` must not drop a `.gitignore` of `*` into a project."""
    (tmp_path / "notes.md").write_text("mine")
    assert main(["check", "f*g = g*f", "--cache-dir", str(tmp_path)]) == ExitCode.OK
    assert list((tmp_path / "verdicts").rglob("*.json"))
    assert not (tmp_path / ".gitignore").exists() and not (tmp_path / "CACHEDIR.TAG").exists()
    assert main(["check", "f*g = g*f", "--cache-dir", str(tmp_path), "--cache-clear"]) == 0
    assert (tmp_path / "notes.md").read_text() == "mine"  # --cache-clear forgets verdicts only


def test_a_cache_that_cannot_be_written_is_said_in_the_report_not_as_an_error(tmp_path, capsys):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder should be")
    assert main(["prove", "conv.comm", "--cache-dir", str(blocker)]) == ExitCode.OK
    out, err = capsys.readouterr()
    assert err == ""
    assert "every verdict as expected" in out and "cannot write the cache in" in out
    assert main(["prove", "conv.comm", "--cache-dir", str(blocker), "--format", "json"]) == 0
    stats = json.loads(capsys.readouterr().out)["cache"]
    assert stats["written"] == 0 and "cannot write the cache in" in stats["errors"][0]


def _accept_and_note_pid(certificate):
    """The stand-in checker, leaving the id of the process it ran in (see the test below)."""
    import os

    folder = os.environ["SYMCONV_TEST_PIDS"]
    with open(os.path.join(folder, f"{os.getpid()}.pid"), "w") as fh:
        fh.write("checked")
    return Verification(True, "accepted by the stand-in checker")


def test_in_parallel_kept_certificates_are_re_verified_in_the_workers(tmp_path, monkeypatch):
    import os

    pids = tmp_path / "pids"
    pids.mkdir()
    monkeypatch.setenv("SYMCONV_TEST_PIDS", str(pids))
    run(OBLIGATIONS, jobs=1, cache=_cache(tmp_path))
    cache = _cache(tmp_path, verify=_accept_and_note_pid)
    again = run(OBLIGATIONS, jobs=2, cache=cache)
    assert again.jobs == 2 and again.as_expected
    checked_in = {int(p.stem) for p in pids.iterdir()}
    assert checked_in and os.getpid() not in checked_in  # the workers re-verified…
    assert cache.hits == 3 and cache.misses == 0 and cache.written == 0  # …the parent counted
    assert all("re-verified" in o.result.details["cache"] for o in again)


def test_an_entry_a_worker_refuses_is_counted_here_decided_again_and_rewritten(tmp_path):
    run(OBLIGATIONS, jobs=1, cache=_cache(tmp_path))
    key = _cache(tmp_path).key(parse("f⋆g = g⋆f"))
    path = next(p for p in _entries(tmp_path) if p.stem == key)
    entry = json.loads(path.read_text())
    entry["result"].update(verdict="proved", method="")
    path.write_text(json.dumps(entry))
    cache = _cache(tmp_path)
    again = run(OBLIGATIONS, jobs=2, cache=cache)
    assert again.as_expected and again["c.xcomm"].result.verdict is Verdict.REFUTED
    assert (cache.hits, cache.rejected, cache.written) == (2, 1, 1)
    assert any("another verdict" in why for why in cache.refusals), cache.refusals
    assert json.loads(path.read_text())["result"]["verdict"] == "refuted"


def test_a_cache_that_cannot_reach_spawned_workers_is_looked_up_in_this_process(tmp_path):
    import multiprocessing

    from symconv.engine.pool import Pool
    from symconv.engine.sources import given

    spawn = multiprocessing.get_context("spawn")
    sources = (given(tuple(OBLIGATIONS)),)
    unpicklable = _cache(tmp_path, verify=lambda certificate: _accept(certificate))
    assert Pool(tuple(OBLIGATIONS), sources, 30.0, 2, context=spawn, cache=unpicklable).cache is None
    picklable = _cache(tmp_path)
    assert Pool(tuple(OBLIGATIONS), sources, 30.0, 2, context=spawn, cache=picklable).cache is picklable
    if "fork" in multiprocessing.get_all_start_methods():
        fork = multiprocessing.get_context("fork")
        assert Pool(tuple(OBLIGATIONS), sources, 30.0, 2, context=fork, cache=unpicklable).cache is unpicklable


def test_a_worker_ended_on_its_deadline_loses_no_count_of_the_cache(tmp_path):
    obligations = [Obligation("c.comm", "f*g = g*f", expect="proved"),
                   Obligation("c.stuck", Stubborn(), expect="unknown")]
    run(obligations[:1], jobs=1, cache=_cache(tmp_path))
    cache = _cache(tmp_path)
    done = run(obligations, jobs=2, timeout=0.5, cache=cache)
    assert done["c.stuck"].result.verdict is Verdict.UNKNOWN
    assert done["c.stuck"].result.reason.startswith("timeout after 0.5 s")
    # the stuck claim was looked up (a claim of the test's own class is never kept: a miss)
    # before its worker was ended, and counted then
    assert (cache.hits, cache.misses, cache.rejected) == (1, 1, 0)


def _slow_accept(certificate):
    import time

    time.sleep(0.6)
    return Verification(True, "accepted by a slow stand-in checker")


def test_re_verifying_a_kept_certificate_is_not_part_of_the_obligations_budget(tmp_path):
    run(OBLIGATIONS, jobs=1, cache=_cache(tmp_path))
    for jobs in (1, 2):
        cache = _cache(tmp_path, verify=_slow_accept)
        again = run(OBLIGATIONS, jobs=jobs, timeout=0.05, cache=cache)
        assert again.as_expected, [o.result.reason for o in again]
        assert (cache.hits, cache.misses, cache.rejected) == (3, 0, 0), jobs


def test_warming_a_worker_up_is_not_part_of_the_first_obligations_budget(monkeypatch):
    import time

    from symconv.engine import pool

    def slow_warm_up(**kw):
        time.sleep(1.0)
        return True

    monkeypatch.setattr(pool, "needs_warm_up", lambda: True)
    monkeypatch.setattr(pool, "warm_up", slow_warm_up)
    done = run(OBLIGATIONS, jobs=2, timeout=0.5)
    assert done.as_expected, [o.result.reason for o in done]


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_entry_nested_too_deep_to_read_is_refused_and_replaced(tmp_path, jobs):
    run(OBLIGATIONS, jobs=1, cache=_cache(tmp_path))
    victim = _entries(tmp_path)[0]
    victim.write_text("[" * 200_000 + "]" * 200_000)
    cache = _cache(tmp_path)
    again = run(OBLIGATIONS, jobs=jobs, cache=cache)
    assert again.as_expected
    assert (cache.hits, cache.rejected, cache.written) == (2, 1, 1)
    assert cache.refusals == {"unreadable entry: RecursionError": 1}
    assert json.loads(victim.read_text())["schema"] == cache_module.SCHEMA


def test_a_kept_record_whose_verdict_was_changed_is_never_reused(tmp_path):
    """The checker tells 'refuted' from the rest by the record's entries (one must show a
    difference), refuses 'proved' for numeric checks, and the cache binds a claim that only
    checks examples to 'checked' or 'refuted'."""
    import theorems

    by_id = {ob.id: ob for ob in theorems.all_obligations()}
    for ob_id, forged in [("groups.separable.plus", "proved"),    # refuted → proved
                          ("groups.separable.box", "refuted"),    # proved → refuted
                          ("dl.layer.xcorr", "proved"),           # numeric checks → proved
                          ("diff.thm2.1", "proved")]:             # a theorem tried on examples
        folder = tmp_path / ob_id
        cache = VerdictCache(folder, options={"timeout": 30.0}, version="test")
        statement = by_id[ob_id].statement
        honest = prove(statement, cache=cache)
        (path,) = sorted((folder / "verdicts").rglob("*.json"))
        entry = json.loads(path.read_text())
        entry["result"]["verdict"] = entry["certificate"]["verdict"] = forged
        path.write_text(json.dumps(entry))
        fresh = VerdictCache(folder, options={"timeout": 30.0}, version="test")
        again = prove(statement, cache=fresh)
        assert again.verdict is honest.verdict, ob_id
        assert fresh.hits == 0 and fresh.rejected == 1, (ob_id, fresh.refusals)
        assert verify_certificate(entry["certificate"]).ok is (ob_id == "diff.thm2.1"), ob_id
