"""Results as data: the verdict and the evidence it promises.

A :class:`Result` cannot be built without the evidence its verdict requires (see the
table in the README): ``proved`` needs a method, ``refuted`` a witness (or, for a
``≠`` statement, the proof of the equality), ``checked`` the number of instances and
their family, ``unknown`` a reason; and every verdict but ``unknown`` needs the
:class:`~symconv.results.certificate.Certificate` it rests on, for that same verdict.
Results with a certificate are made in one place, :mod:`symconv.routes.verdicts`, after the
independent checker has accepted it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Mapping

from symconv.results.certificate import Certificate
from symconv.results.conditions import SideCondition
from symconv.results.display import Displayable

__all__ = [
    "Verdict",
    "Witness",
    "Result",
    "EvidenceError",
    "natural_key",
    "internal_error",
    "INTERNAL_ERROR",
]

#: How the reason of a result that an exception ended begins.
INTERNAL_ERROR = "internal error"


class Verdict(str, Enum):
    PROVED = "proved"
    REFUTED = "refuted"
    CHECKED = "checked"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return self.value

    @classmethod
    def _missing_(cls, value):
        if isinstance(value, str):
            for member in cls:
                if member.value == value.strip().lower():
                    return member
        choices = ", ".join(repr(m.value) for m in cls)
        raise ValueError(f"{value!r} is not a verdict: use one of {choices}")


def natural_key(name: str) -> tuple:
    """Sort key that puts ``f2`` before ``f10`` (digit runs compare as numbers)."""
    return tuple(
        (0, int(part), part) if part.isdigit() else (1, 0, part)
        for part in re.split(r"(\d+)", str(name))
        if part
    )


class EvidenceError(ValueError):
    """A result was about to be made without the evidence its verdict promises."""


@dataclass(frozen=True)
class Witness:
    """A replayed counterexample: enough for anyone to check it with their own tools.

    ``functions`` maps each function name to a SymPy expression in x (as text),
    ``parameters`` each parameter to a rational, ``at`` is the point where both sides
    were evaluated (None for a scalar statement, or when a test function pairs both
    sides), ``lhs``/``rhs`` are the exact values and ``lhs_numeric``/``rhs_numeric``
    their decimal values at ``digits`` significant digits. ``variable`` names the variable
    of the functions and of ``at``: ``x``, unless the statement has a parameter called x
    (then another letter), ``i`` for an index of a sequence, ``(x, y)`` for a point of a map.
    Functions and parameters are kept in natural order (f2 before f10).
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
    variable: str = "x"
    #: The certificate of the replay that made this witness (the Result carries it; never
    #: serialised with the witness).
    certificate: Any = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        for name in ("functions", "parameters"):
            mapping = getattr(self, name)
            ordered = {k: mapping[k] for k in sorted(mapping, key=natural_key)}
            object.__setattr__(self, name, ordered)

    def applied(self, name: str) -> str:
        """How a witness function is named in reports: f(x), f(x, y) for a point (x, y); a
        sequence or an array given by its values (``{0: 1, 1: -2}``, ``[1, 0, 2]``) and a key
        that is not a name (``w[0:3]``) by the name alone."""
        value = str(self.functions.get(name, ""))
        if not name.isidentifier() or value.startswith(("{", "[")):
            return name
        v = self.variable
        return f"{name}{v}" if v.startswith("(") else f"{name}({v})"

    def to_dict(self) -> dict:
        out = {
            "functions": dict(self.functions),
            "parameters": dict(self.parameters),
            "variable": self.variable,
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
class Result(Displayable):
    """What the engine concluded about one statement.

    ``statement`` is the statement as symconv read it (its normal printing, e.g.
    ``f ⋆ g = f⁻ * g``); ``input`` is the text as the user typed it, when the statement
    came as text (surfaces echo it), else None.
    """

    statement: str
    verdict: Verdict
    method: str = ""
    hypotheses: tuple[SideCondition, ...] = ()
    witness: Witness | None = None
    reason: str | None = None
    seconds: float = 0.0
    negated: bool = False
    details: Mapping[str, Any] = field(default_factory=dict)
    input: str | None = None
    certificate: Certificate | None = field(default=None, compare=False, repr=False)

    def __post_init__(self):
        object.__setattr__(self, "verdict", Verdict(self.verdict))
        v = self.verdict
        if v is not Verdict.UNKNOWN:
            cert = self.certificate
            if not isinstance(cert, Certificate):
                raise EvidenceError(f"a {v.value} result needs the certificate it rests on")
            if cert.verdict != v.value:
                raise EvidenceError(f"a {v.value} result cannot rest on a certificate for {cert.verdict!r}")
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

    def echoing(self, source) -> "Result":
        """This result with ``input`` set to ``source`` when that is the user's text."""
        return _replace(self, input=source) if isinstance(source, str) else self

    @property
    def shown(self) -> str:
        """What surfaces show as the statement: the user's own text when there is one."""
        return self.input if self.input is not None else self.statement

    def to_dict(self) -> dict:
        out = {
            "input": self.input,
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
            "certificate": self.certificate.to_dict() if self.certificate is not None else None,
        }
        if self.verdict is Verdict.CHECKED:
            out["checked"] = {
                "instances": self.details["instances"],
                "family": self.details["family"],
            }
        return out

    def to_json(self, **kwargs) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)


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
        details={
            "error": {"kind": "internal", "type": kind, "message": message, "traceback": trace}
        },
    )


def _replace(result: Result, **changes) -> Result:
    from dataclasses import replace

    return replace(result, **changes)
