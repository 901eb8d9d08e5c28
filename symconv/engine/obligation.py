"""Proof obligations: declarative records of claims with their expected verdicts."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from symconv.results.display import Displayable
from symconv.results.result import Result, Verdict

__all__ = ["Obligation", "Outcome", "DuplicateObligation", "collect"]

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")


class DuplicateObligation(ValueError):
    """Two obligations share an id."""


@dataclass(frozen=True)
class Obligation:
    """A claim, the verdict mathematics gives it, and where it stands in the notes.

    ``statement`` is text in the statement syntax, a :class:`~symconv.language.terms.Statement`,
    or a claim object with ``decide(budget) -> Result``. ``errata`` records slips of the
    notes at this place. ``functions`` gives concrete definitions (SymPy expressions in
    x, as text) for function names the statement uses concretely.
    """

    id: str
    statement: Any
    expect: Verdict | str
    source: str = ""
    title: str = ""
    errata: tuple[str, ...] = ()
    functions: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self):
        if not isinstance(self.id, str) or not _ID.match(self.id):
            raise ValueError(f"bad obligation id {self.id!r}: letters, digits, . _ - only")
        try:
            expect = Verdict(self.expect)
        except ValueError as exc:
            raise ValueError(f"obligation {self.id}: expect={exc}") from None
        object.__setattr__(self, "expect", expect)
        object.__setattr__(self, "errata", tuple(self.errata))

    @property
    def statement_text(self) -> str:
        return str(self.statement)


@dataclass(frozen=True)
class Outcome(Displayable):
    """An obligation with the result the engine reached."""

    obligation: Obligation
    result: Result

    @property
    def as_expected(self) -> bool:
        return self.result.verdict is self.obligation.expect

    def to_dict(self) -> dict:
        r = self.result.to_dict()
        return {
            "id": self.obligation.id,
            "source": self.obligation.source,
            "title": self.obligation.title,
            "statement": r["statement"],
            "expected": self.obligation.expect.value,
            "verdict": r["verdict"],
            "as_expected": self.as_expected,
            "method": r["method"],
            "hypotheses": r["hypotheses"],
            "witness": r["witness"],
            "reason": r["reason"],
            "repairs": r["repairs"],
            "errata": list(self.obligation.errata),
            "seconds": r["seconds"],
            "derivation": r["derivation"],
            "certificate": r["certificate"],
            "error": r["error"],
            **({"checked": r["checked"]} if "checked" in r else {}),
        }


def collect(*groups: Iterable[Obligation]) -> tuple[Obligation, ...]:
    """Concatenate lists of obligations; a repeated id is an error."""
    seen: dict[str, Obligation] = {}
    out = []
    for group in groups:
        for ob in group:
            if not isinstance(ob, Obligation):
                raise TypeError(f"not an Obligation: {ob!r}")
            if ob.id in seen:
                raise DuplicateObligation(f"duplicate obligation id {ob.id!r}")
            seen[ob.id] = ob
            out.append(ob)
    return tuple(out)


def summary(outcomes: Sequence[Outcome], seconds: float) -> dict:
    """Counts of a run: verdicts, how many as expected, the ids that differ."""
    counts = Counter(o.result.verdict.value for o in outcomes)
    differ = [o.obligation.id for o in outcomes if not o.as_expected]
    return {
        "obligations": len(outcomes),
        "verdicts": {v.value: counts.get(v.value, 0) for v in Verdict},
        "as_expected": len(outcomes) - len(differ),
        "differ": differ,
        "seconds": round(seconds, 6),
    }
