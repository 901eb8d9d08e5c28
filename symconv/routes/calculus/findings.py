"""What a local property of a map comes to: a :class:`Finding` (holds, fails with a
:class:`Breach`, or undecided with the reason), and the witness of a breach."""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from symconv.results.result import Witness
from symconv.routes.calculus.maps import Map, as_point, point_text
from symconv.routes.calculus.paths import DIGITS, Approach, numeric_text

__all__ = ["Breach", "BreachData", "Finding", "undecided", "breach_witness"]


@dataclass(frozen=True)
class Breach:
    """An exact failure: along ``approach``, ``quantity`` tends to ``lhs`` instead of ``rhs``.

    ``replays`` holds the exact and numeric values at the last samples of the approach
    (for each compared side that depends on the approach).
    """

    quantity: str
    approach: Approach | None
    lhs: sp.Expr
    rhs: sp.Expr
    lhs_label: str
    rhs_label: str
    replays: dict = field(default_factory=dict)
    facts: dict = field(default_factory=dict)

    def describe(self) -> str:
        where = f" along {self.approach.text()}" if self.approach else ""
        return (
            f"{self.quantity}{where}: {self.lhs_label} = {self.lhs}, {self.rhs_label} = {self.rhs}"
        )


@dataclass(frozen=True)
class Finding:
    """Whether a local property holds: True with a method, False with a breach, None with a reason."""

    holds: bool | None
    method: str = ""
    breach: Breach | None = None
    reason: str | None = None
    A: sp.Matrix | None = None
    facts: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.holds is True and not self.method:
            raise ValueError("a finding that holds needs its method")
        if self.holds is False and self.breach is None:
            raise ValueError("a finding that fails needs its breach")
        if self.holds is None and not self.reason:
            raise ValueError("an undecided finding needs a reason")


def undecided(reason: str, **facts) -> Finding:
    return Finding(None, reason=reason, facts=facts)




def _signature(f: Map) -> str:
    return f"{f.name}({', '.join(map(str, f.variables))})"


def _definition(f: Map) -> str:
    """The map as a formula, with the points where it takes given values."""
    comps = [str(c) for c in f.components]
    out = comps[0] if len(comps) == 1 else "(" + ", ".join(comps) + ")"
    for p, vals in f.overrides:
        v = str(vals[0]) if len(vals) == 1 else "(" + ", ".join(map(str, vals)) + ")"
        args = point_text(f.variables)
        out += f" for {args} ≠ {point_text(p)}, {v} at {point_text(p)}"
    return out


def breach_witness(f: Map, point, breach: Breach, extra: dict | None = None) -> Witness:
    """The witness of a failed property: the map, the point, both compared values."""
    point = as_point(point)
    more = {
        "map": f.to_dict(),
        "compared": breach.quantity,
        "lhs_is": breach.lhs_label,
        "rhs_is": breach.rhs_label,
        "path": breach.approach.text() if breach.approach else None,
        "path_data": breach.approach.to_dict() if breach.approach else None,
        "replay": breach.replays,
        **breach.facts,
    }
    more.update(extra or {})
    return Witness(
        functions={_signature(f): _definition(f)},
        parameters={},
        variable=point_text(f.variables),
        at=point_text(point),
        test_function=None,
        lhs=str(breach.lhs),
        rhs=str(breach.rhs),
        lhs_numeric=numeric_text(breach.lhs, DIGITS[0]),
        rhs_numeric=numeric_text(breach.rhs, DIGITS[0]),
        digits=DIGITS[0],
        extra=more,
        data=BreachData(f, point, breach),
    )


@dataclass(frozen=True)
class BreachData:
    """What a picture of a breach needs (the witness's ``data``; never serialised)."""

    map: Map
    point: tuple
    breach: Breach
