"""The audit of a document as data: items (displays and inline equations), their steps, and
the decisions on them. Every class serialises to plain JSON types (``to_dict``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from symconv.results.result import Result, Verdict

__all__ = ["Decision", "Step", "Item", "AuditReport", "HOLDS", "FAILS", "UNDECIDED", "NOT_READ"]

HOLDS, FAILS, UNDECIDED, NOT_READ, INFO = "holds", "fails", "undecided", "not read", "info"


@dataclass
class Decision:
    """symconv's verdict on one statement (``A ≠ B`` included), as data."""

    statement: str
    verdict: str
    method: str | None = None
    reason: str | None = None
    witness: dict | None = None
    repairs: list = field(default_factory=list)
    hypotheses: list = field(default_factory=list)
    seconds: float = 0.0
    cached: bool = False
    #: the certificate of the verdict (its JSON data), for every verdict but unknown
    certificate: dict | None = None
    #: the engine's Result when decided in this run (for plots); never serialised
    result: Any = field(default=None, compare=False, repr=False)

    @classmethod
    def from_result(cls, result: Result) -> "Decision":
        data = result.to_dict()
        return cls(
            statement=result.statement,
            verdict=result.verdict.value,
            method=data["method"],
            reason=data["reason"],
            witness=data["witness"],
            repairs=list(data["repairs"]),
            hypotheses=list(data["hypotheses"]),
            seconds=result.seconds,
            certificate=data["certificate"],
            result=result,
        )

    @classmethod
    def from_dict(cls, data: dict) -> "Decision":
        keys = ("statement", "verdict", "method", "reason", "witness", "repairs", "hypotheses",
                "seconds", "certificate")
        return cls(**{k: data[k] for k in keys})

    def to_dict(self) -> dict:
        return {
            "statement": self.statement,
            "verdict": self.verdict,
            "method": self.method,
            "reason": self.reason,
            "witness": self.witness,
            "repairs": list(self.repairs),
            "hypotheses": list(self.hypotheses),
            "seconds": round(self.seconds, 6),
            "cached": self.cached,
            "certificate": self.certificate,
        }

    @property
    def status(self) -> str:
        if self.verdict == Verdict.PROVED.value:
            return HOLDS
        if self.verdict == Verdict.REFUTED.value:
            return FAILS
        return UNDECIDED


@dataclass
class Step:
    """One link ``left relation right`` of a chain (or the claim between its ends)."""

    relation: str
    left: str
    right: str
    line: int
    statement: str | None = None
    latex: str | None = None
    decision: Decision | None = None
    not_read: str | None = None
    justification: dict | None = None
    notes: list = field(default_factory=list)
    alternatives: list = field(default_factory=list)  # readings of the same text that hold
    kind: str = "link"  # link | ends | definition | claim | conclusion

    @property
    def status(self) -> str:
        if self.not_read:
            return NOT_READ
        if self.justification and self.justification.get("status") == "refused":
            return FAILS
        if self.kind == "definition":  # a document's own definition: reported, not a failure
            return HOLDS if self.decision and self.decision.status == HOLDS else INFO
        return self.decision.status if self.decision else UNDECIDED

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "relation": self.relation,
            "left": self.left,
            "right": self.right,
            "line": self.line,
            "statement": self.statement,
            "latex": self.latex,
            "status": self.status,
            "decision": self.decision.to_dict() if self.decision else None,
            "not_read": self.not_read,
            "justification": self.justification,
            "notes": list(self.notes),
            "alternatives": list(self.alternatives),
        }


@dataclass
class Item:
    """A display or an inline equation of the document, and what the audit made of it."""

    kind: str  # display | inline
    line: int
    end_line: int
    source: str
    offset: int = 0  # character offset of the math in the document
    length: int = 0
    label: str | None = None
    section: str = ""
    role: str = "equation"  # derivation | equation | definition | claim | conclusion | hypothesis
    steps: list = field(default_factory=list)
    claim: Step | None = None
    definition: dict | None = None
    conclusion: dict | None = None
    readings: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    not_read: str | None = None
    mapped: list = field(default_factory=list)
    #: the Statement the item derives (first member vs last), for conclusions; not serialised
    derived: Any = field(default=None, repr=False, compare=False)

    @property
    def name(self) -> str:
        return f"({self.label})" if self.label else f"line {self.line}"

    @property
    def read(self) -> bool:
        return self.not_read is None

    @property
    def status(self) -> str:
        if self.not_read:
            return NOT_READ
        statuses = [s.status for s in self.all_steps()]
        if self.conclusion and not self.conclusion["matches"]:
            statuses.append(FAILS)
        if FAILS in statuses:
            return FAILS
        if UNDECIDED in statuses or NOT_READ in statuses:
            return UNDECIDED
        return HOLDS if HOLDS in statuses else INFO

    def all_steps(self) -> list[Step]:
        return [*self.steps, *([self.claim] if self.claim else [])]

    def to_dict(self) -> dict:
        return {
            "kind": self.kind,
            "line": self.line,
            "end_line": self.end_line,
            "label": self.label,
            "section": self.section,
            "role": self.role,
            "source": self.source,
            "status": self.status,
            "steps": [s.to_dict() for s in self.steps],
            "claim": self.claim.to_dict() if self.claim else None,
            "definition": self.definition,
            "conclusion": self.conclusion,
            "readings": self.readings,
            "warnings": list(self.warnings),
            "notes": list(self.notes),
            "not_read": self.not_read,
            "mapped": list(self.mapped),
        }


@dataclass
class AuditReport:
    path: str
    format: str
    items: list
    problems: list = field(default_factory=list)
    seconds: float = 0.0
    cache: dict = field(default_factory=dict)
    text: str = field(default="", repr=False)  # the document itself (annotated reports)

    def summary(self) -> dict:
        counts = {HOLDS: 0, FAILS: 0, UNDECIDED: 0, NOT_READ: 0, INFO: 0}
        for item in self.items:
            counts[item.status] += 1
        steps = [s for item in self.items for s in item.all_steps()]
        return {
            "items": len(self.items),
            "read": sum(item.read for item in self.items),
            "displays": sum(item.kind == "display" for item in self.items),
            "inline": sum(item.kind == "inline" for item in self.items),
            "statuses": counts,
            "steps": len(steps),
            "steps_hold": sum(s.status == HOLDS for s in steps),
            "steps_fail": sum(s.status == FAILS for s in steps),
            "steps_undecided": sum(s.status in (UNDECIDED, NOT_READ) for s in steps),
            "warnings": sum(len(item.warnings) for item in self.items),
            "problems": len(self.problems),
        }

    def to_dict(self) -> dict:
        return {
            "path": self.path,
            "format": self.format,
            "summary": self.summary(),
            "problems": list(self.problems),
            "items": [item.to_dict() for item in self.items],
            "seconds": round(self.seconds, 6),
            "cache": dict(self.cache),
        }
