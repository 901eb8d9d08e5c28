"""``audit(path)``: read a notes document and decide every equation and every step in it.

file → blocks (:mod:`~symconv.documents.source`) → items with their statements
(:mod:`~symconv.documents.semantics`) → decisions by :func:`symconv.prove`, each statement
once per run and, with a :class:`~symconv.engine.cache.VerdictCache` (the one cache of
``prove``, ``check`` and ``audit``), once across runs
→ an :class:`~symconv.documents.model.AuditReport` (data; the surfaces render it).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import sympy as sp

from symconv.documents.elaborate import OPERATIONS, Notation
from symconv.documents.model import AuditReport, Decision
from symconv.engine.cache import VerdictCache
from symconv.documents.read import read_document
from symconv.documents.semantics import read_items
from symconv.documents.source import MAX_BYTES, DocumentError
from symconv.language.terms import Statement
from symconv.results.result import Result, Verdict

__all__ = ["AuditOptions", "audit", "obligation_sections", "DEFAULT_AUDIT_TIMEOUT",
           "MAX_STATEMENTS", "DocumentError"]

DEFAULT_AUDIT_TIMEOUT = 10.0
#: the most distinct statements one audit decides; the rest end unknown, with the reason
MAX_STATEMENTS = 2_000


@dataclass
class AuditOptions:
    timeout: float = DEFAULT_AUDIT_TIMEOUT
    format: str | None = None  # markdown | latex | None (by the file's suffix)
    notation: dict = field(default_factory=dict)  # symbol -> operation (overrides the document)
    obligations: str | None = None  # a theorem module or file whose §-sources map sections
    max_bytes: int = MAX_BYTES


class _Decider:
    """Decides each distinct statement once: memo in this run, then the cache, then prove."""

    def __init__(self, timeout: float, cache: VerdictCache | None):
        self.timeout = timeout
        self.cache = cache
        self.memo: dict = {}
        self.decided = 0

    def __call__(self, statement: Statement) -> Decision:
        key = (sp.srepr(statement.lhs), sp.srepr(statement.rhs), statement.negated)
        if key in self.memo:
            return self.memo[key]
        cached = self.cache.get(statement) if self.cache is not None else None
        if cached is not None:
            decision = Decision.from_result(cached)
            decision.cached = True
        else:
            result = self._prove(statement)
            if self.cache is not None:
                self.cache.put(statement, result)
            decision = Decision.from_result(result)
        self.memo[key] = decision
        return decision

    def _prove(self, statement: Statement) -> Result:
        from symconv.engine.prove import prove

        if self.decided >= MAX_STATEMENTS:
            return Result(
                str(statement), Verdict.UNKNOWN,
                reason=f"not decided: the audit decides at most {MAX_STATEMENTS} statements per run",
                negated=statement.negated)
        self.decided += 1
        return prove(statement, timeout=self.timeout)


def obligation_sections(target: str) -> dict:
    """{"2.2": [ids…]} from the ``§2.2`` at the start of each obligation's source."""
    from symconv.engine.sources import load

    out: dict = {}
    for ob in load(target):
        m = re.match(r"\s*§\s*(\d+(?:\.\d+)*)", ob.source or "")
        if m:
            out.setdefault(m.group(1), []).append(ob.id)
    return out


def audit(path: str | Path, options: AuditOptions | None = None,
          cache: VerdictCache | None = None) -> AuditReport:
    """The audit of one document. Raises :class:`DocumentError` when it cannot be read."""
    options = options or AuditOptions()
    start = time.perf_counter()
    document = read_document(path, format=options.format, max_bytes=options.max_bytes)
    notation = Notation()
    for symbol, operation in {**document.notation, **options.notation}.items():
        notation.declare(symbol, operation)
    sections = obligation_sections(options.obligations) if options.obligations else {}
    decider = _Decider(options.timeout, cache)
    items = read_items(document, decider, notation, sections)
    problems = [{"line": line, "message": message} for line, message in document.problems]
    if cache is not None:
        problems.extend({"line": None, "message": e} for e in cache.errors)
    return AuditReport(
        path=str(path),
        format=document.format,
        items=items,
        problems=problems,
        seconds=time.perf_counter() - start,
        cache=cache.stats() if cache is not None else {"disabled": True},
        text=document.text,
    )


def operations() -> list[str]:
    return sorted(OPERATIONS)
