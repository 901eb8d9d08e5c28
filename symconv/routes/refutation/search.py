"""Witness search guided by the Fourier normal form, shrinking, and the spot check.

The normal form names the monomials that break an identity. A function whose atom
appears both as F_f(ω) and F_f(−ω) there is broken by its lack of symmetry (for
(f⋆g)⋆h vs f⋆(g⋆h) the difference is F_g(−ω)F_h(ω)(F_f(ω) − F_f(−ω))), so the
search first gives such functions non-even witnesses; functions outside the
difference get the simplest one. Parameters get distinct non-zero values (a shift or a
point of 0 is the usual degenerate choice), derivative orders 1 and 2 (the difference
may depend on the parity of k).

A function the statement declares complex may get a complex witness (a modulated
Gaussian e^{−x² + ix}, a complex polynomial factor): the search tries the real ones
first, since they are simpler, and a function declared real only ever gets a real one
(the replay refuses anything else). The decision is read only through
``Decision.identity`` and the ``atoms`` (name, ±1) of the monomials of its difference.

"Simpler" is defined once, by :func:`simplicity`; a found witness is shrunk component
by component until no simpler candidate still fails (the way Hypothesis shrinks), and
only then replayed (:func:`symconv.routes.refutation.replay.replay`), which is the sole judge.

**One search, every group.** What depends on the group — the witness functions, the
values of parameters (integers on ℤⁿ and ℤ/N, vectors for points of ℝⁿ and ℤⁿ), how a
candidate is evaluated and where the sides are compared — is a *world*
(:mod:`symconv.routes.refutation.worlds`); the real line's world is :class:`LineWorld`
here (Gaussians, then piecewise functions). The ordering, the guidance by the normal
form, the shrinking and the replay are the same for all. On ℤ/N with N a name the search
visits one world per modulus (a statement about every N is refuted by one).
"""

from __future__ import annotations

import heapq
import itertools
import random
from fractions import Fraction
from functools import lru_cache
from typing import Iterator

import sympy as sp

from symconv.language.groups import R
from symconv.language.terms import FUNCTION, Fn, Statement
from symconv.results.result import Witness
from symconv.routes.budget import Budget
from symconv.routes.concrete.evaluate import Evaluator, inner
from symconv.routes.concrete.functions import (
    Distribution,
    box,
    gaussian,
    one_sided_exp,
    triangle,
)
from symconv.routes.concrete.numbers import I_UNIT, ConcreteError, Num, size
from symconv.routes.fourier import Decision
from symconv.routes.refutation.replay import (
    DIGITS,
    Candidate,
    ReplayFailed,
    replay,
    satisfies,
)
from symconv.routes.refutation.worlds import (
    MAX_PROBES,
    Inconclusive,
    World,
    spot_worlds,
    value_size,
    worlds_for,
)

__all__ = [
    "GAUSSIAN_POOL",
    "COMPLEX_POOL",
    "PIECEWISE_POOL",
    "VALUES",
    "simplicity",
    "search",
    "refute",
    "spot_check",
    "Inconclusive",
]

GAUSSIAN_POOL = (
    gaussian(),
    gaussian(1, 1),
    gaussian(1, -1),
    gaussian(1, 0, (0, 1)),
    gaussian(2, 0),
    gaussian(1, 0, (1, 1)),
    gaussian(1, Fraction(1, 2)),
    gaussian(2, 1),
    gaussian(1, 2),
)
#: Complex witnesses, for functions a statement declares complex (after the real ones).
COMPLEX_POOL = (
    gaussian(1, 0, nu=1),
    gaussian(1, 0, nu=-1),
    gaussian(1, 0, (1, I_UNIT)),
    gaussian(1, 1, nu=1),
    gaussian(2, 0, nu=1),
    gaussian(1, 0, (I_UNIT,), nu=2),
)
PIECEWISE_POOL = (
    box(0, 1),
    one_sided_exp(),
    triangle(),
    box(Fraction(-1, 2), Fraction(1, 2)),
    box(0, 2),
    triangle(1),
)
#: Non-zero rationals, simplest first: parameter values and points (0 is a point too).
VALUES = tuple(
    sorted(
        {Fraction(p, q) * s for p in range(1, 5) for q in range(1, 4) for s in (1, -1)},
        key=lambda v: (size(v), v < 0, abs(v)),
    )
)
POINTS = (Fraction(0),) + VALUES
ORDERS = (1, 2, 3, 4)
#: How many function assignments the search tries per family at most.
MAX_ASSIGNMENTS = 120


def _rank(f) -> int:
    return 0 if f.family == "gaussian" else 1


@lru_cache(maxsize=2048)
def _function_key(f) -> tuple:
    """The order of witness functions, simplest first (cached: printing costs)."""
    negative = sum(1 for c in f.centers() if c < 0)
    return (_rank(f), f.complexity(), negative, sp.sstr(f.expr()))


def simplicity(cand: Candidate) -> tuple:
    """The one definition of "simpler" (smaller is simpler): Gaussians before piecewise
    functions, then fewer and smaller-degree terms and pieces with small rationals, then
    small parameter values, then a point near 0 (or a simple test function)."""
    funcs = list(cand.functions.values())
    family = max((_rank(f) for f in funcs), default=0)
    return (
        family,
        sum(f.complexity() for f in funcs),
        sum(value_size(v) for v in cand.parameters.values()),
        0 if cand.at is None else value_size(cand.at),
        0 if cand.test_function is None else cand.test_function.complexity(),
        tuple(sp.sstr(cand.functions[k].expr()) for k in sorted(cand.functions)),
        tuple(str(cand.parameters[s]) for s in sorted(cand.parameters, key=str)),
    )


# --------------------------------------------------------------------------- probing


def _certainly_nonzero(value: Num) -> bool:
    """The real or the imaginary part of ``value`` is certainly nonzero (by intervals)."""
    return value.certainly_nonzero(DIGITS)


def _probe(eq: Statement, functions: dict, params: dict, strict: bool = False) -> Candidate | None:
    """The simplest point (or test function) where these functions break ``eq``.

    With ``strict``, sides that cannot be evaluated raise :class:`Inconclusive` instead of
    counting as "no counterexample here".
    """
    ev = Evaluator(Candidate(functions, params).env())
    try:
        if eq.kind != FUNCTION:
            diff = ev.scalar(eq.lhs) - ev.scalar(eq.rhs)
            return Candidate(functions, params) if _certainly_nonzero(diff) else None
        lhs, rhs = ev.function(eq.lhs), ev.function(eq.rhs)
        diff = lhs - rhs
    except ConcreteError:
        return None
    if diff.is_zero():
        return None
    if diff.deltas or diff.smooth is None:
        for phi in GAUSSIAN_POOL:
            test = Distribution.make(phi)
            try:
                value = inner(lhs, test) - inner(rhs, test)
            except ConcreteError:
                return None
            if _certainly_nonzero(value):
                return Candidate(functions, params, test_function=phi)
        return None
    singular = set(lhs.singular_points()) | set(rhs.singular_points())
    for x0 in POINTS:
        if x0 in singular:
            continue
        try:
            value = diff.value(x0)
        except ConcreteError:
            continue
        if _certainly_nonzero(value):
            return Candidate(functions, params, at=x0)
    return None


# --------------------------------------------------------------------------- search


def _atoms(decision: Decision) -> list:
    return [atom for m in decision.difference for atom in m.atoms]


def _both_signs(decision: Decision) -> set:
    signs: dict = {}
    for name, s in _atoms(decision):
        signs.setdefault(name, set()).add(s)
    return {name for name, s in signs.items() if len(s) == 2}


def _broken(decision: Decision) -> set:
    """The functions named in the monomials that break the identity."""
    return {name for name, _ in _atoms(decision)}


@lru_cache(maxsize=2048)  # witness functions are immutable, and pools are reused
def _is_even(f) -> bool:
    return f.flip() == f


def complex_names(eq: Statement) -> set:
    """The functions ``eq`` declares complex-valued."""
    return {
        node.name
        for side in (eq.lhs, eq.rhs)
        for node in sp.preorder_traversal(side)
        if isinstance(node, Fn) and node.is_complex_valued
    }


def _pool_of(name: str, complex_valued: set, pool: tuple, world: World) -> tuple:
    if name in complex_valued and pool is world.pools()[0]:
        return pool + world.complex_extras()
    return pool


def _assignments(
    names: list, decision: Decision, pool: tuple, complex_valued: set = frozenset(), world: World | None = None
) -> Iterator[dict]:
    world = world or LINE
    broken = [n for n in names if n in _broken(decision)] or list(names)
    fixed = {n: pool[0] for n in names if n not in broken}
    asym = _both_signs(decision)
    pools = [sorted(_pool_of(n, complex_valued, pool, world), key=_function_key) for n in broken]
    cost = [[f.complexity() for f in ordered] for ordered in pools]
    odd = [[not _is_even(f) for f in ordered] for ordered in pools]

    def guided(combo) -> bool:
        return not asym or any(n in asym and odd[k][i] for k, (n, i) in enumerate(zip(broken, combo)))

    # the cheapest combinations, guided ones (a non-even witness for a function the
    # difference needs asymmetric) first, each kind in order of total complexity
    first, rest = [], []
    for combo in _cheapest(cost):
        (first if guided(combo) else rest).append(combo)
        if len(first) >= MAX_ASSIGNMENTS:
            break
    for combo in (first + rest)[:MAX_ASSIGNMENTS]:
        yield {**fixed, **{n: pools[k][i] for k, (n, i) in enumerate(zip(broken, combo))}}


def _cheapest(cost: list, limit: int = 20_000) -> Iterator[tuple]:
    """Index vectors (one index per list of costs, each list nondecreasing) in increasing
    order of (total cost, vector), best first; at most ``limit`` of them."""
    start = tuple(0 for _ in cost)
    if any(not c for c in cost):
        return
    heap = [(sum(c[0] for c in cost), start)]
    seen = {start}
    for _ in range(limit):
        if not heap:
            return
        total, combo = heapq.heappop(heap)
        yield combo
        for k, i in enumerate(combo):
            if i + 1 < len(cost[k]):
                nxt = combo[:k] + (i + 1,) + combo[k + 1 :]
                if nxt not in seen:
                    seen.add(nxt)
                    heapq.heappush(heap, (total - cost[k][i] + cost[k][i + 1], nxt))


def allowed_values(p: sp.Symbol, candidates) -> list:
    """The candidates that satisfy every assumption ``p`` carries (even, positive, zero…)."""
    return [v for v in candidates if satisfies(p, v)]


def _pools(params) -> dict:
    """Each parameter's values, simplest first, restricted to those its assumptions allow:
    non-zero rationals (0 only when nothing else is allowed), orders 1 to 8."""
    pools = {}
    for p in params:
        if p.is_integer:
            pools[p] = allowed_values(p, [Fraction(k) for k in ORDERS + (5, 6, 7, 8)])
        else:
            pools[p] = allowed_values(p, VALUES) or allowed_values(p, [Fraction(0)])
    return pools


def _param_assignments(eq: Statement, world: World | None = None) -> Iterator[dict]:
    world = world or LINE
    pools = world.parameter_pools(eq)
    if pools is None or any(not pool for pool in pools.values()):
        return  # no value of ours satisfies some parameter's assumptions
    params = [p for p in eq.parameters() if p in pools]
    reals = [p for p in params if not p.is_integer]
    orders = [p for p in params if p.is_integer]
    distinct = {p: pools[p][i % len(pools[p])] for i, p in enumerate(reals)}
    seen = []
    for j in range(3):
        # rotate through 1, -1, 2, -2, … so that a statement true only at ±1 is still broken
        for shift in range(4):
            values = (
                {p: pools[p][(i + shift) % len(pools[p])] for i, p in enumerate(reals)}
                if shift else distinct
            )
            out = {**values, **{o: pools[o][j % len(pools[o])] for o in orders}}
            if out not in seen:
                seen.append(out)
                yield out
    for mixed in itertools.product((0, 1), repeat=len(orders)):
        out = {**distinct, **{o: pools[o][k % len(pools[o])] for o, k in zip(orders, mixed)}}
        if out not in seen:
            seen.append(out)
            yield out


def _simpler_options(cand: Candidate, complex_valued: set = frozenset(), world: World | None = None) -> Iterator[Candidate]:
    """Each candidate that differs from ``cand`` in one component made simpler (a real
    function's witness stays real)."""
    world = world or LINE
    fixed = world.fixed
    for name, f in sorted(cand.functions.items()):
        for g in sorted(world.shrink_pool(f, name in complex_valued), key=_function_key):
            if _function_key(g) < _function_key(f):
                yield Candidate({**cand.functions, name: g}, _free(cand.parameters, fixed))
    pools = world.shrink_values(cand)
    for p, v in sorted(cand.parameters.items(), key=lambda kv: kv[0].name):
        if p in fixed:
            continue
        for w in allowed_values(p, pools.get(p, ())):
            if _value_key(w) < _value_key(v):
                yield Candidate(cand.functions, _free({**cand.parameters, p: w}, fixed))


def _free(params: dict, fixed: dict) -> dict:
    return {p: v for p, v in params.items() if p not in fixed}


def _value_key(v) -> tuple:
    if isinstance(v, tuple):
        return (value_size(v), sum(1 for c in v if c < 0), v)
    return (size(v), v < 0, abs(v))


def _shrink(eq: Statement, cand: Candidate, budget: Budget, limit: int = 200, world: World | None = None) -> Candidate:
    world = world or LINE
    steps = 0
    improved = True
    complex_valued = complex_names(eq)
    while improved and steps < limit:
        improved = False
        for option in _simpler_options(cand, complex_valued, world):
            budget.check()
            steps += 1
            found = world.probe(eq, dict(option.functions), dict(option.parameters))
            if found is not None and simplicity(found) < simplicity(cand):
                cand, improved = found, True
                break
    return cand


def worlds_of(eq: Statement) -> tuple[list, str | None]:
    """The worlds where counterexamples to ``eq`` are sought (the real line's, or those of
    its group), or ([], why none)."""
    if eq.group == R:
        return [LINE], None
    return worlds_for(eq.group)


def search(eq: Statement, decision: Decision, budget: Budget) -> Witness | None:
    """A replayed counterexample to the equality ``eq`` (shrunk), or None."""
    worlds, _ = worlds_of(eq)
    names = eq.function_names()
    complex_valued = complex_names(eq)
    reasons = []
    for world in worlds:
        probes = 0
        parameters = list(_param_assignments(eq, world))  # the same for every assignment of functions
        for pool in world.pools():
            for functions in _assignments(names, decision, pool, complex_valued, world) if names else [{}]:
                for params in parameters:
                    budget.check()
                    probes += 1
                    if world is not LINE and probes > MAX_PROBES:
                        break
                    found = world.probe(eq, functions, params)
                    if found is None:
                        continue
                    for cand in (_shrink(eq, found, budget, world=world), found):
                        try:
                            return replay(eq, cand)
                        except ReplayFailed as exc:
                            reasons.append(str(exc))
                    if len(reasons) > 6:
                        return None
                if world is not LINE and probes > MAX_PROBES:
                    break  # this world has had its share: on to the next modulus
    return None


def refute(eq: Statement, decision: Decision, budget: Budget) -> Witness | None:
    """The engine's refuter: a replayed, shrunk counterexample or None."""
    return search(eq, decision, budget)


class LineWorld(World):
    """The real line: Gaussian–polynomials first, then piecewise functions (boxes,
    e^{−x}H(x), triangles); rational parameters; points near 0, or a Gaussian test
    function for sides made of δs."""

    group = R
    fixed: dict = {}

    def pools(self) -> tuple:
        return (GAUSSIAN_POOL, PIECEWISE_POOL)

    def complex_extras(self) -> tuple:
        return COMPLEX_POOL

    def shrink_pool(self, f, complex_valued: bool = False) -> tuple:
        pool = GAUSSIAN_POOL if f.family == "gaussian" else PIECEWISE_POOL + GAUSSIAN_POOL
        if complex_valued and f.family == "gaussian":
            pool = pool + COMPLEX_POOL
        return pool

    def shrink_values(self, cand: Candidate) -> dict:
        return {
            p: [Fraction(k) for k in ORDERS] if p.is_integer else list(VALUES) for p in cand.parameters
        }

    def parameter_pools(self, eq: Statement) -> dict | None:
        return _pools(eq.parameters())

    def probe(self, eq: Statement, functions: dict, params: dict, strict: bool = False) -> Candidate | None:
        return _probe(eq, functions, params, strict)


LINE = LineWorld()


# --------------------------------------------------------------------------- spot check

_SPOT_SEED = 20240607
_SPOT_VALUES = tuple(Fraction(p, q) for p in (-3, -2, -1, 1, 2, 3) for q in (1, 2, 3))


def _random_gaussian(rng: random.Random, complex_valued: bool = False):
    a = rng.choice((Fraction(1), Fraction(2), Fraction(1, 2)))
    c = rng.choice((Fraction(-1), Fraction(-1, 2), Fraction(0), Fraction(1, 2), Fraction(1)))
    poly = (rng.choice((-2, -1, 1, 2, 3)), rng.choice((0, 1, -1, 2)))
    if not complex_valued:
        return gaussian(a, c, poly)
    nu = rng.choice((Fraction(-1), Fraction(1, 2), Fraction(1), Fraction(3, 2)))
    poly = (poly[0], poly[1] + rng.choice((-1, 1, 2)) * I_UNIT)
    return gaussian(a, c, poly, nu=nu)


def spot_check(eq: Statement, decision: Decision, budget: Budget, trials: int = 2) -> str | None:
    """Evaluate a proved equality on seeded random Gaussian witnesses (complex ones, with
    a frequency and a complex coefficient, for the functions declared complex); return a
    message when the two sides differ on one (an alarm), None when they agree on all.

    Agreement means the exact difference of the closed forms is zero (the representations
    are canonical, so the test is exact); any nonzero difference is an alarm. Raises
    :class:`Inconclusive` when the sides cannot be evaluated there, so that a failed
    evaluation is never reported as agreement."""
    if eq.group != R:
        return _spot_check_on_group(eq, budget, trials)
    rng = random.Random(_SPOT_SEED)
    names = eq.function_names()
    complex_valued = complex_names(eq)
    pools = {}
    for p in eq.parameters():  # values that respect each parameter's assumptions
        pool = [Fraction(k) for k in (1, 2, 3)] if p.is_integer else list(_SPOT_VALUES)
        pools[p] = allowed_values(p, pool) or _pools([p])[p]
        if not pools[p]:
            raise Inconclusive(f"no value tried satisfies the assumptions of {p}")
    for _ in range(trials):
        budget.check()
        functions = {n: _random_gaussian(rng, n in complex_valued) for n in names}
        params = {}
        for p in eq.parameters():
            if p.is_integer and pools[p] == [1, 2, 3]:
                params[p] = Fraction(rng.randint(1, 3))
            else:
                params[p] = rng.choice(pools[p])
        ev = Evaluator(Candidate(functions, params).env())
        try:
            if eq.kind != FUNCTION:
                diff = ev.scalar(eq.lhs) - ev.scalar(eq.rhs)
            else:
                diff = ev.function(eq.lhs) - ev.function(eq.rhs)
        except ConcreteError as exc:
            raise Inconclusive(f"the sides cannot be evaluated on the spot witnesses: {exc}") from exc
        if not diff.is_zero():
            found = _probe(eq, functions, params)
            where = (
                "with an exact difference no point separates numerically" if found is None
                else f"at x = {found.at}" if found.at is not None
                else "paired with " + sp.sstr(found.test_function.expr()) if found.test_function is not None
                else "as numbers"
            )
            funcs = ", ".join(f"{k}(x) = {sp.sstr(f.expr())}" for k, f in sorted(functions.items()))
            vals = ", ".join(f"{s} = {v}" for s, v in sorted(params.items(), key=lambda kv: kv[0].name))
            return (
                "the two sides differ on the concrete witness "
                f"{funcs}{'; ' + vals if vals else ''} {where} (exact evaluation)"
            )
    return None


def _spot_check_on_group(eq: Statement, budget: Budget, trials: int) -> str | None:
    """The spot check on the witnesses of another group: seeded random integer sequences,
    arrays on ℤ/n (for ℤ/N with N a name, on two moduli) or products of Gaussians on ℝ²."""
    worlds, why = spot_worlds(eq.group)
    if not worlds:
        raise Inconclusive(why)
    rng = random.Random(_SPOT_SEED)
    names = eq.function_names()
    complex_valued = complex_names(eq)
    for world in worlds:
        for _ in range(max(1, trials // len(worlds))):
            budget.check()
            functions = {n: world.random_function(rng, n in complex_valued) for n in names}
            params = world.spot_parameters(rng, eq)
            if params is None:
                raise Inconclusive(f"no value tried satisfies the parameters of {eq} on {world.group}")
            found = world.probe(eq, functions, params, strict=True)
            if found is not None:
                funcs = ", ".join(f"{k} = {f.text() if hasattr(f, 'text') else sp.sstr(f.expr())}" for k, f in sorted(functions.items()))
                vals = ", ".join(f"{s} = {_shown(v)}" for s, v in sorted(found.parameters.items(), key=lambda kv: kv[0].name))
                where = "as numbers" if found.at is None else f"at {_shown(found.at)}"
                return (
                    f"the two sides differ on the concrete witness on {world.group}: "
                    f"{funcs}{'; ' + vals if vals else ''} {where} (exact evaluation)"
                )
    return None


def _shown(v) -> str:
    if isinstance(v, tuple):
        return "(" + ", ".join(str(c) for c in v) + ")"
    return str(v)
