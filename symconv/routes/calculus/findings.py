"""What a local property of a map comes to: a :class:`Finding` (holds, fails with a
:class:`Breach`, or undecided with the reason), and the witness of a breach.

Every finding that holds or fails carries ``entries``: the computations and numeric checks
it rests on, as entries of a record certificate (:func:`symconv.routes.verdicts.entry`). A
quantity (the value of a component, a difference quotient, the remainder α of the
definition, a partial derivative off the point) is named by a *recipe*
(:func:`quantity`), from which both the route here (:func:`build`) and the independent
checker rebuild it from the map."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import sympy as sp

from symconv.results.result import Witness
from symconv.routes.calculus.maps import Map, as_point, point_text
from symconv.routes.calculus.paths import DIGITS, Approach, numeric_text
from symconv.routes.verdicts import data, entry

__all__ = ["Breach", "BreachData", "Finding", "undecided", "breach_witness"]
__all__ += ["quantity", "build", "map_data", "limit_entry", "samples_entry", "value_entry", "subject"]


# --------------------------------------------------------------------------- quantities


def quantity(kind: str, i: int, j: int | None = None, A: sp.Matrix | None = None) -> dict:
    """A recipe: ``value`` f_i(a + Δx); ``quotient`` (f_i(a + Δx) − f_i(a))/Δx_j;
    ``remainder`` α_i = (f_i(a + Δx) − f_i(a) − (AΔx)_i)/|Δx|; ``partial`` ∂f_i/∂x_j at a + Δx
    (the formula's derivative)."""
    out: dict = {"kind": kind, "component": i}
    if j is not None:
        out["axis"] = j
    if A is not None:
        out["matrix"] = [[A[r, c] for c in range(A.cols)] for r in range(A.rows)]
    return out


def build(f: Map, point, recipe: dict) -> Callable[[tuple], sp.Expr]:
    """Δx ↦ the quantity of ``recipe`` at a + Δx."""
    kind, i, j = recipe["kind"], recipe["component"], recipe.get("axis")
    if kind == "partial":
        D = sp.diff(f.components[i], f.variables[j])
        return lambda disp: Map(f.variables, (D,)).along(point, disp)[0]
    here = f.at(point)[i]
    if kind == "value":
        return lambda disp: f.along(point, disp)[i]
    if kind == "quotient":
        return lambda disp: (f.along(point, disp)[i] - here) / disp[j]
    A = recipe["matrix"]

    def remainder(disp):
        linear = sum(A[i][c] * disp[c] for c in range(f.n))
        return (f.along(point, disp)[i] - here - linear) / sp.sqrt(sp.expand(sum(d**2 for d in disp)))

    return remainder


def map_data(f: Map) -> dict:
    return {
        "variables": list(f.variables),
        "components": list(f.components),
        "overrides": [[list(p), list(v)] for p, v in f.overrides],
    }


def _approach_data(approach: Approach) -> dict:
    return {
        "displacement": list(approach.displacement),
        "parameter": approach.param,
        "to": "oo" if approach.is_sequence else "0+",
    }


def limit_entry(f: Map, point, recipe: dict, approach: Approach, value, what: str) -> dict:
    """The computation “the quantity tends to ``value`` along the approach”."""
    return entry("limit", what=what, map=map_data(f), point=list(point), quantity=recipe,
                 approach=_approach_data(approach), value=sp.sympify(value))


def samples_entry(f: Map, point, recipe: dict, approach: Approach, what: str) -> dict:
    """The numeric check: the quantity at the approach's last samples, at 30 digits."""
    q = build(f, point, recipe)
    rows = []
    for s in approach.samples:
        exact = q(tuple(d.xreplace({approach.param: s}) for d in approach.displacement))
        rows.append([s, str(sp.N(exact, 30))])
    return entry("samples", role="numeric", what=what, map=map_data(f), point=list(point),
                 quantity=recipe, approach=_approach_data(approach), samples=rows)


def value_entry(f: Map, point, i: int, what: str = "", derivative: tuple | None = None) -> dict:
    """The computation “f_i (or ∂f_i/∂x_j of the formula, ``derivative`` = (i, j)) at the
    point is this value”."""
    if derivative is not None:
        d = sp.diff(f.components[derivative[0]], f.variables[derivative[1]])
        value = d.xreplace(dict(zip(f.variables, point)))
        return entry("value_at", what=what, map=map_data(f), point=list(point), component=0,
                     value=value, derivative=list(derivative))
    return entry("value_at", what=what or f"f_{i + 1} at the point", map=map_data(f),
                 point=list(point), component=i, value=f.at(point)[i])


def subject(f: Map, point) -> dict:
    """A map and a point, as an item of a record's subject."""
    return data(map=map_data(f), point=list(point))


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
    #: The record entries the breach rests on (see the module doc).
    entries: tuple = ()

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
    #: The record entries the finding rests on: a proof's, or its breach's.
    entries: tuple = ()

    def __post_init__(self):
        if self.holds is True and not self.method:
            raise ValueError("a finding that holds needs its method")
        if self.holds is False and self.breach is None:
            raise ValueError("a finding that fails needs its breach")
        if self.holds is None and not self.reason:
            raise ValueError("an undecided finding needs a reason")
        if self.holds is False and not self.entries:
            object.__setattr__(self, "entries", self.breach.entries)
        if self.holds is not None and not self.entries:
            raise ValueError("a finding that holds or fails needs the entries it rests on")


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
