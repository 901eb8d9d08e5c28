"""Claims of section 2 (differentiation), as objects the engine decides.

Each claim has ``decide(budget) -> Result`` and a ``__str__`` that is its statement, so
``symconv.prove(claim)`` runs it under the time limit like any other statement.

* :class:`DifferentiableAt` — a concrete map is differentiable at a point (proved with
  the matrix A, or refuted with a path or a missing partial derivative);
* :class:`Implication` — “for every map and point, P ⇒ Q” for local properties P, Q
  (:data:`symconv.routes.calculus.differentiability.PROPERTIES`), tried on a family of instances: one
  instance where P holds and Q provably fails refutes it (the converses the notes
  warn about); when none does it is ``checked`` on the instances where P held (the
  theorems 2.1–2.3 — never ``proved``, since instances are not a proof);
* :class:`ChainRuleAbstract` — J_{g∘f} = (J_g∘f)·J_f for arbitrary smooth maps of given
  dimensions, entry by entry, on undefined SymPy functions: ``checked``, not ``proved`` —
  SymPy differentiates g(f(x)) by applying the chain rule itself, so agreement shows that
  its chain rule and the matrix form agree on these dimensions, not the theorem;
* :class:`ChainRuleConcrete` — the same for two concrete maps (proved, as an identity
  of expressions in x, with an exact evaluation at a point as a cross-check).

Every verdict other than ``unknown`` is issued by :func:`symconv.routes.verdicts.issue` with
a record certificate: the entries (computations and numeric checks) of the findings it
rests on, which the independent checker redoes.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from symconv.results.conditions import SideCondition
from symconv.results.result import Result, Verdict
from symconv.routes.budget import Budget
from symconv.routes.calculus.findings import map_data, subject
from symconv.routes.calculus.differentiability import (
    PROPERTIES,
    breach_witness,
    exact_zero,
)
from symconv.routes.calculus.maps import (
    Map,
    MapError,
    abstract_map,
    as_point,
    compose,
    point_text,
)
from symconv.routes.verdicts import data, entry, issue, record

__all__ = [
    "DifferentiableAt",
    "Implication",
    "ChainRuleAbstract",
    "ChainRuleConcrete",
    "CHAIN_RULE",
    "jacobian_difference",
]

CHAIN_RULE = SideCondition(
    rule="chain_rule",
    identity="J_{g∘f}(a) = J_g(f(a)) · J_f(a)",
    lemma="HasFDerivAt.comp",
    condition="f is differentiable at a and g is differentiable at f(a) (Theorem 2.4)",
    where=(),
)


def _matrix_text(A: sp.Matrix) -> list[list[str]]:
    return [[str(A[i, j]) for j in range(A.cols)] for i in range(A.rows)]


# --------------------------------------------------------------------------- one map
@dataclass(frozen=True)
class DifferentiableAt:
    """“f is differentiable at a”, in the sense of the notes' definition."""

    f: Map
    point: tuple

    def __post_init__(self):
        object.__setattr__(self, "point", as_point(self.point))

    def __str__(self) -> str:
        return f"{self.f} is differentiable at {point_text(self.point)}"

    def decide(self, budget: Budget) -> Result:
        finding = PROPERTIES["differentiable"](self.f, self.point, budget)
        text = str(self)
        if finding.holds is True:
            argument = (
                f"{self.f.name} is differentiable at {point_text(self.point)} by {finding.method}, "
                "with A the matrix the entries compute"
            )
            return issue(
                record(text, Verdict.PROVED, argument, list(finding.entries), [subject(self.f, self.point)]),
                method=finding.method,
                details={"A": _matrix_text(finding.A), **finding.facts},
            )
        if finding.holds is False:
            argument = f"{finding.breach.describe()}; so no matrix A satisfies the definition"
            return issue(
                record(text, Verdict.REFUTED, argument, list(finding.entries), [subject(self.f, self.point)]),
                method="counterexample path" if finding.breach.approach else "counterexample",
                witness=breach_witness(self.f, self.point, finding.breach),
            )
        return Result(text, Verdict.UNKNOWN, reason=finding.reason)


# --------------------------------------------------------------------------- implications
@dataclass(frozen=True)
class Implication:
    """“For every map f and point a: P(f, a) ⇒ Q(f, a)”, tried on ``instances``.

    ``instances`` are ``(map, point)`` pairs; ``family`` says in words what they are
    (it becomes the family of a ``checked`` verdict).
    """

    #: A check on examples never proves: what its record certificates may support (the cache
    #: reuses no other verdict for it; :mod:`symconv.engine.cache`).
    RECORD_VERDICTS = ("checked", "refuted")

    premise: str
    conclusion: str
    instances: tuple
    family: str
    label: str = ""

    def __post_init__(self):
        for name in (self.premise, self.conclusion):
            if name not in PROPERTIES:
                raise ValueError(f"unknown property {name!r}; known: {', '.join(PROPERTIES)}")
        object.__setattr__(self, "instances", tuple((f, as_point(a)) for f, a in self.instances))
        if not self.instances:
            raise ValueError("an implication needs at least one instance")

    def __str__(self) -> str:
        prefix = f"{self.label}: " if self.label else ""
        return f"{prefix}{self.premise} ⇒ {self.conclusion}"

    def decide(self, budget: Budget) -> Result:
        text = str(self)
        held, vacuous, undecided, entries = [], [], [], []
        for f, a in self.instances:
            budget.check()
            where = f"{f} at {point_text(a)}"
            p = PROPERTIES[self.premise](f, a, budget)
            if p.holds is not True:
                (vacuous if p.holds is False else undecided).append(
                    {"instance": where, "premise": p.reason or "fails"}
                )
                continue
            q = PROPERTIES[self.conclusion](f, a, budget, p)
            if q.holds is False:
                premise = {
                    "premise": f"{self.premise}: holds ({p.method})",
                    "premise_facts": p.facts,
                    "conclusion": f"{self.conclusion}: fails",
                    "fails_because": q.breach.describe(),
                }
                argument = (
                    f"for {where}: {self.premise} holds ({p.method}) but {self.conclusion} fails: "
                    f"{q.breach.describe()}"
                )
                return issue(
                    record(text, Verdict.REFUTED, argument, _tagged(where, p.entries + q.entries), [subject(f, a)]),
                    method="counterexample",
                    witness=breach_witness(f, a, q.breach, extra=premise),
                )
            if q.holds is True:
                held.append({"instance": where, "premise": p.method, "conclusion": q.method})
                entries.extend(_tagged(where, p.entries + q.entries))
            else:
                undecided.append({"instance": where, "conclusion": q.reason})
        details = {"held": held, "vacuous": vacuous, "undecided": undecided}
        if not held:
            return Result(
                text,
                Verdict.UNKNOWN,
                reason=(
                    f"no instance with the premise proved and the conclusion decided "
                    f"({len(vacuous)} vacuous, {len(undecided)} undecided)"
                ),
                details=details,
            )
        argument = (
            f"on each of {len(held)} instances of {self.family}, {self.premise} holds and "
            f"{self.conclusion} holds (instances, not a proof)"
        )
        return issue(
            record(text, Verdict.CHECKED, argument, entries, [subject(f, a) for f, a in self.instances]),
            method=(
                f"{len(held)} of {len(self.instances)} instances (rest vacuous)"
                if not undecided
                else f"{len(held)} of {len(self.instances)} instances"
            ),
            details={"instances": len(held), "family": self.family, **details},
        )


def _tagged(where: str, entries) -> list[dict]:
    """Entries of one instance, their descriptions prefixed by the instance."""
    out = []
    for e in entries:
        e = {**e, "what": f"{where}: {e.get('what', '')}"}
        if e not in out:
            out.append(e)
    return out


# --------------------------------------------------------------------------- chain rule
def jacobian_difference(g: Map, f: Map) -> sp.Matrix:
    """J_{g∘f}(x) − J_g(f(x))·J_f(x), each entry expanded after ``doit``."""
    h = compose(g, f)
    JH = h.jacobian()
    JG = g.jacobian().subs(dict(zip(g.variables, f.components)), simultaneous=True)
    JF = f.jacobian()
    return (JH - JG * JF).applyfunc(_expanded)


def _expanded(e: sp.Expr) -> sp.Expr:
    """``expand(e.doit())``, cheaper where it can be: evaluating only the substitutions
    (``Subs``: derivatives of g taken at f(x)) already gives 0 when the entry is 0, at
    half the cost of evaluating every derivative again; otherwise the full ``doit``."""
    quick = sp.expand(e.replace(lambda t: isinstance(t, sp.Subs), lambda t: t.doit()))
    return quick if quick == 0 else sp.expand(e.doit())


def _first_nonzero(D: sp.Matrix):
    for i in range(D.rows):
        for j in range(D.cols):
            z = exact_zero(D[i, j])
            if z is not True:
                return (i, j), z
    return None, True


@dataclass(frozen=True)
class ChainRuleAbstract:
    """Theorem 2.4 for arbitrary smooth f: ℝⁿ → ℝᵐ, g: ℝᵐ → ℝᵖ, for each (n, m, p): checked,
    since SymPy's derivative of g(f(x)) is itself the chain rule (see the module doc)."""

    #: A check on examples never proves: what its record certificates may support (the cache
    #: reuses no other verdict for it; :mod:`symconv.engine.cache`).
    RECORD_VERDICTS = ("checked", "refuted")

    dims: tuple

    def __post_init__(self):
        dims = tuple(tuple(int(v) for v in d) for d in self.dims)
        if not dims or any(len(d) != 3 or min(d) < 1 or max(d) > 4 for d in dims):
            raise ValueError("dimensions are triples (n, m, p) between 1 and 4")
        object.__setattr__(self, "dims", dims)

    def __str__(self) -> str:
        shapes = ", ".join(f"({n},{m},{p})" for n, m, p in self.dims)
        return f"J_(g∘f) = J_g(f)·J_f, smooth f: ℝⁿ→ℝᵐ, g: ℝᵐ→ℝᵖ, (n,m,p) ∈ {{{shapes}}}"

    def decide(self, budget: Budget) -> Result:
        checked = []
        for n, m, p in self.dims:
            budget.check()
            f = abstract_map("f", n, m)
            g = abstract_map("g", m, p)
            where, zero = _first_nonzero(jacobian_difference(g, f))
            if zero is not True:
                return Result(
                    str(self),
                    Verdict.UNKNOWN,
                    reason=(
                        f"alarm: for (n, m, p) = ({n}, {m}, {p}) entry {where} of "
                        "J_(g∘f) − J_g(f)·J_f did not reduce to 0"
                    ),
                )
            checked.append({"n": n, "m": m, "p": p, "entries": n * p})
        family = (
            "undefined smooth maps of dimensions "
            + ", ".join(f"({n},{m},{p})" for n, m, p in self.dims)
            + ": SymPy's derivative of g(f(x)) (its own chain rule) against J_g(f(x))·J_f(x), "
            "entry by entry"
        )
        argument = (
            "for each shape, J_(g∘f) − J_g(f)·J_f reduces to 0 entry by entry; SymPy differentiates "
            "the composition with its own chain rule, so this checks agreement, it proves nothing"
        )
        entries = [entry("chain_rule_abstract", what=f"(n, m, p) = ({n}, {m}, {p})", dims=[n, m, p])
                   for n, m, p in self.dims]
        return issue(
            record(str(self), Verdict.CHECKED, argument, entries, [data(dims=list(d)) for d in self.dims]),
            method="SymPy's chain rule against the matrix product, on undefined smooth functions",
            hypotheses=(CHAIN_RULE,),
            details={"dimensions": checked, "instances": len(self.dims), "family": family},
        )


@dataclass(frozen=True)
class ChainRuleConcrete:
    """J_{g∘f}(x) = J_g(f(x))·J_f(x) for two concrete maps, and at ``point`` exactly."""

    g: Map
    f: Map
    point: tuple | None = None

    def __post_init__(self):
        if self.g.n != self.f.m:
            raise MapError("the maps do not compose")
        if self.point is not None:
            object.__setattr__(self, "point", as_point(self.point))

    def __str__(self) -> str:
        at = f" at {point_text(self.point)}" if self.point is not None else ""
        return f"chain rule for {self.g.name}∘{self.f.name}{at}: {self.f}; {self.g}"

    def decide(self, budget: Budget) -> Result:
        D = jacobian_difference(self.g, self.f)
        budget.check()
        where, zero = _first_nonzero(D)
        if zero is not True:
            return Result(
                str(self),
                Verdict.UNKNOWN,
                reason=f"alarm: entry {where} of J_(g∘f) − J_g(f)·J_f did not reduce to 0",
            )
        details = {"identity": "J_(g∘f)(x) = J_g(f(x))·J_f(x) as expressions in x"}
        if self.point is not None:
            a = self.point
            fa = self.f.at(a)
            lhs = compose(self.g, self.f).jacobian(a)
            rhs = self.g.jacobian(fa) * self.f.jacobian(a)
            for i in range(lhs.rows):
                for j in range(lhs.cols):
                    if exact_zero(lhs[i, j] - rhs[i, j]) is not True:
                        return Result(
                            str(self),
                            Verdict.UNKNOWN,
                            reason=f"alarm: at {point_text(a)} entry ({i + 1}, {j + 1}) differs",
                        )
            details.update(
                {
                    "f(a)": [str(v) for v in fa],
                    "J_(g∘f)(a)": _matrix_text(lhs),
                    "J_g(f(a))": _matrix_text(self.g.jacobian(fa)),
                    "J_f(a)": _matrix_text(self.f.jacobian(a)),
                }
            )
        entries = [entry("chain_rule", what="J_(g∘f) = J_g(f)·J_f as expressions in x",
                         f=map_data(self.f), g=map_data(self.g))]
        argument = "J_(g∘f)(x) − J_g(f(x))·J_f(x) is 0 entry by entry, as expressions in x"
        return issue(
            record(str(self), Verdict.PROVED, argument, entries, [data(f=map_data(self.f), g=map_data(self.g))]),
            method="exact symbolic Jacobians, entry by entry",
            hypotheses=(CHAIN_RULE,),
            details=details,
        )
