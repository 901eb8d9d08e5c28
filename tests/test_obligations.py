"""The notes' obligations reach their expected verdicts by computation."""

import importlib
import sys

import pytest

from symconv import Obligation, Verdict, prove
from symconv.engine.obligation import DuplicateObligation, collect
from theorems import SECTIONS, all_obligations

OBLIGATIONS = all_obligations()


@pytest.mark.parametrize("ob", OBLIGATIONS, ids=[ob.id for ob in OBLIGATIONS])
def test_obligation_reaches_its_expected_verdict(ob):
    result = prove(ob.statement, timeout=60)
    assert result.verdict is ob.expect, result.reason
    if result.verdict is Verdict.PROVED:
        assert result.method
    if result.verdict is Verdict.REFUTED and not result.negated:
        assert result.witness is not None


def test_ids_are_unique_and_sources_given():
    ids = [ob.id for ob in OBLIGATIONS]
    assert len(ids) == len(set(ids))
    assert all(ob.source for ob in OBLIGATIONS)


def test_duplicate_ids_are_an_error():
    a = Obligation("x.a", "f*g = g*f", "proved")
    with pytest.raises(DuplicateObligation):
        collect([a], [Obligation("x.a", "f = f", "proved")])


def test_bad_obligations_are_refused():
    with pytest.raises(ValueError):
        Obligation("has space", "f = f", "proved")
    with pytest.raises(ValueError):
        Obligation("x.b", "f = f", "true")


def test_importing_the_theorems_runs_nothing(monkeypatch):
    import symconv.engine.prove as engine

    calls = []
    monkeypatch.setattr(engine, "prove", lambda *a, **k: calls.append(a))
    for mod in SECTIONS:
        importlib.reload(mod)
    importlib.reload(sys.modules["theorems"])
    assert calls == []


def test_the_notes_errata_are_recorded():
    by_id = {ob.id: ob for ob in OBLIGATIONS}
    assert any("f*g = g*f" in e for e in by_id["conv.shift"].errata)
    assert any("not well formed" in e for e in by_id["conv.delta.value"].errata)


def test_literal_eq_8_is_not_well_formed():
    from symconv.language.parser import ParseError, parse

    with pytest.raises(ParseError, match="left side is a function but the right side is a scalar"):
        parse("f*δ(a) = f(a)")
