"""Results as data: the verdict and the evidence it promises.

A :class:`Result` cannot be built without the evidence its verdict requires (see the
table in the README): ``proved`` needs a method, ``refuted`` a witness (or, for a
``≠`` statement, the proof of the equality), ``checked`` the number of instances and
their family, ``unknown`` a reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Mapping

from symconv.results.conditions import Hypothesis

__all__ = ["Verdict", "Witness", "Result", "EvidenceError", "internal_error", "INTERNAL_ERROR"]

#: How the reason of a result that an exception ended begins.
INTERNAL_ERROR = "internal error"


class Verdict(str, Enum):
    PROVED = "proved"
    REFUTED = "refuted"
    CHECKED = "checked"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return self.value


class EvidenceError(ValueError):
    """A result was about to be made without the evidence its verdict promises."""


@dataclass(frozen=True)
class Witness:
    """A replayed counterexample: enough for anyone to check it with their own tools.

    ``functions`` maps each function name to a SymPy expression in x (as text),
    ``parameters`` each parameter to a rational, ``at`` is the point where both sides
    were evaluated (None for a scalar statement, or when a test function pairs both
    sides), ``lhs``/``rhs`` are the exact values and ``lhs_numeric``/``rhs_numeric``
    their decimal values at ``digits`` significant digits.
    """

    functions: Mapping[str, str]
    parameters: Mapping[str, str]
    at: str | None
    test_function: str | None
    lhs: str
    rhs: str
    lhs_numeric: str
    rhs_numeric: str
    digits: int
    extra: Mapping[str, Any] = field(default_factory=dict)
    #: The replayed data (closed forms of both sides) for plots; never serialised.
    data: Any = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict:
        out = {
            "functions": dict(self.functions),
            "parameters": dict(self.parameters),
            "at": self.at,
            "test_function": self.test_function,
            "lhs": self.lhs,
            "rhs": self.rhs,
            "lhs_numeric": self.lhs_numeric,
            "rhs_numeric": self.rhs_numeric,
            "digits": self.digits,
        }
        out.update(self.extra)
        return out


@dataclass(frozen=True)
class Result:
    """What the engine concluded about one statement."""

    statement: str
    verdict: Verdict
    method: str = ""
    hypotheses: tuple[Hypothesis, ...] = ()
    witness: Witness | None = None
    reason: str | None = None
    seconds: float = 0.0
    negated: bool = False
    details: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self):
        object.__setattr__(self, "verdict", Verdict(self.verdict))
        v = self.verdict
        if v is Verdict.PROVED and not self.method:
            raise EvidenceError("a proved result needs the method of its proof")
        if v is Verdict.REFUTED:
            if self.witness is None and not (self.negated and self.method):
                raise EvidenceError("a refuted result needs a replayed witness")
        if v is Verdict.CHECKED:
            n = self.details.get("instances")
            if not (isinstance(n, int) and n > 0 and self.details.get("family")):
                raise EvidenceError("a checked result needs its instance count and family")
        if v is Verdict.UNKNOWN and not self.reason:
            raise EvidenceError("an unknown result needs a reason")

    def with_seconds(self, seconds: float) -> "Result":
        return _replace(self, seconds=seconds)

    @property
    def error(self) -> Mapping[str, str] | None:
        """For a result that an exception ended (an ``unknown`` whose reason starts with
        "internal error"): the exception's type, message and traceback; else None."""
        error = self.details.get("error")
        return error if isinstance(error, Mapping) else None

    def to_dict(self) -> dict:
        out = {
            "statement": self.statement,
            "verdict": self.verdict.value,
            "method": self.method or None,
            "hypotheses": [h.to_dict() for h in self.hypotheses],
            "witness": self.witness.to_dict() if self.witness else None,
            "reason": self.reason,
            "repairs": list(self.details.get("repairs") or []),
            "derivation": self.details.get("derivation"),
            "seconds": round(self.seconds, 6),
            "error": dict(self.error) if self.error else None,
        }
        if self.verdict is Verdict.CHECKED:
            out["checked"] = {
                "instances": self.details["instances"],
                "family": self.details["family"],
            }
        return out

    def to_json(self, **kwargs) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)

    def _repr_html_(self) -> str:  # a verdict card in Jupyter (symconv.cards)
        from symconv.surfaces.cards import html_card

        return html_card(self)

    def _repr_markdown_(self) -> str:
        from symconv.surfaces.cards import markdown_card

        return markdown_card(self)


def internal_error(
    statement: str,
    exc: BaseException | None = None,
    what: str | None = None,
    *,
    negated: bool = False,
    seconds: float = 0.0,
) -> Result:
    """An ``unknown`` for a statement whose decision an exception (or a dead process)
    ended: never a verdict. ``what`` says what failed when there is no exception."""
    import traceback

    if exc is not None:
        kind, message = type(exc).__name__, " ".join(str(exc).split())
        trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        what = f"{kind}: {message}" if message else kind
    else:
        kind, message, trace = "Error", what or "unknown error", ""
    return Result(
        statement,
        Verdict.UNKNOWN,
        reason=f"{INTERNAL_ERROR}: {what}",
        negated=negated,
        seconds=seconds,
        details={"error": {"type": kind, "message": message, "traceback": trace}},
    )


def _replace(result: Result, **changes) -> Result:
    from dataclasses import replace

    return replace(result, **changes)
