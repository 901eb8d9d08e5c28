"""Where the witnesses of the other groups live: one *world* per concrete group.

The witness search (:mod:`symconv.routes.refutation.search`) is one search, parameterized
by a world, which says:

* the witness functions, simplest first (:meth:`World.pools`), and the complex ones tried
  for functions a statement declares complex (:meth:`World.complex_extras`);
* the values of the parameters (:meth:`World.parameter_pools`): integers on ℤⁿ and ℤ/n,
  rationals on ℝⁿ, vectors for the parameters that stand for points of ℝⁿ or ℤⁿ (a shift,
  a point, a δ's point, a frequency), and the modulus of ℤ/N fixed by the world;
* how a candidate is evaluated and probed (:meth:`World.probe`): the exact evaluator of the
  group (:mod:`symconv.routes.concrete.group_evaluate`), and the simplest point where the
  two sides certainly differ.

The worlds: ℤⁿ (:class:`LatticeWorld`, n ≤ 3), ℤ/n (:class:`CyclicWorld`; for ℤ/N with N a
name, one world per modulus tried — a statement about every N is refuted by one), ℝ²
(:class:`TensorWorld`). ℝ³ has none: its counterexamples could not be replayed by an
independent quadrature, so nothing is refuted there (:func:`worlds_for` says why).
The real line's world is the original search itself (in :mod:`~symconv.routes.refutation.search`).
"""

from __future__ import annotations

import itertools
import random
from fractions import Fraction
from functools import lru_cache

import sympy as sp

from symconv.language.groups import Group
from symconv.language.terms import FUNCTION, REAL, Operation, Statement
from symconv.routes.concrete.cyclic import CyclicFn
from symconv.routes.concrete.cyclotomic import MAX_MODULUS
from symconv.routes.concrete.evaluate import Env
from symconv.routes.concrete.functions import gaussian
from symconv.routes.concrete.group_evaluate import evaluator_for
from symconv.routes.concrete.lattice import LatticeFn, lattice
from symconv.routes.concrete.numbers import ConcreteError, size
from symconv.routes.concrete.tensor import tensor
from symconv.routes.refutation.replay import Candidate, satisfies

__all__ = [
    "World",
    "LatticeWorld",
    "CyclicWorld",
    "TensorWorld",
    "Inconclusive",
    "worlds_for",
    "spot_worlds",
    "vector_parameters",
    "MODULI",
    "value_size",
]

#: The moduli tried for ℤ/N when N is a name, in order (on ℤ/1 and ℤ/2 every function is
#: even, so 3 and 4 come first; shrinking prefers the smallest that still fails).
MODULI = (3, 4, 2, 5, 1, 6, 8)
#: At most this many probes per world (a difference that is only a lead must not make an
#: unknown slow).
MAX_PROBES = 400

_INTS = tuple(Fraction(v) for v in (1, -1, 2, -2, 3, -3))
_ORDERS = tuple(Fraction(k) for k in range(1, 9))
_STRIDES = _ORDERS[1:] + _ORDERS[:1]  # 2, 3, …, 8, then 1 (a stride of 1 changes nothing)
_RATIONALS = tuple(
    sorted(
        {Fraction(p, q) * s for p in range(1, 4) for q in (1, 2) for s in (1, -1)},
        key=lambda v: (size(v), v < 0, abs(v)),
    )
)


class Inconclusive(Exception):
    """A cross-check could not be carried out (the message says why)."""


def value_size(v) -> int:
    """How complicated a parameter value or a point looks (a vector: the sum over its
    coordinates)."""
    if isinstance(v, tuple):
        return sum(value_size(c) for c in v)
    if isinstance(v, int):
        return abs(v)
    return size(Fraction(v))


# --------------------------------------------------------------------------- parameters


@lru_cache(maxsize=256)
def strides(eq: Statement) -> frozenset:
    """The parameters that are the factor of a downsampling or an upsampling (for which 1,
    the identity, is the last value worth trying)."""
    return frozenset(
        s
        for side in (eq.lhs, eq.rhs)
        for node in sp.preorder_traversal(side)
        if isinstance(node, Operation) and node.operator in ("downsample", "upsample")
        for s in node.args[1].free_symbols
    )


@lru_cache(maxsize=256)
def vector_parameters(eq: Statement) -> tuple[frozenset, frozenset]:
    """(the parameters that stand for points — in a shift, a point, a δ's point, a
    frequency —, the parameters that stand for numbers — a coefficient, a dilation
    factor). On ℝⁿ and ℤⁿ, n ≥ 2, a parameter in both has no consistent meaning."""
    vectors, numbers = set(), set()

    def walk(expr):
        if isinstance(expr, Operation):
            for (sort, _), arg in zip(expr.signature, expr.args):
                if sort == REAL:
                    vectors.update(s for s in arg.free_symbols if not s.is_integer)
                elif sort == FUNCTION:
                    walk(arg)
                elif isinstance(arg, sp.Expr):
                    numbers.update(arg.free_symbols)
            return
        if isinstance(expr, sp.Symbol):
            numbers.add(expr)
            return
        for a in expr.args:
            walk(a)

    walk(eq.lhs)
    walk(eq.rhs)
    return frozenset(vectors), frozenset(numbers)


def _vectors(dim: int, components) -> tuple:
    """Vectors with small coordinates, simplest first (the unit vectors, then the rest)."""
    pool = {v for v in itertools.product((Fraction(0),) + tuple(components[:4]), repeat=dim) if any(v)}
    return tuple(sorted(pool, key=lambda v: (value_size(v), sum(1 for c in v if c < 0), v)))


# --------------------------------------------------------------------------- worlds


class World:
    """A concrete group and its witnesses (see the module doc)."""

    group: Group
    #: Parameter values the world fixes (the modulus of ℤ/N).
    fixed: dict = {}
    #: The values of a real parameter and of a coordinate of a vector one.
    scalars: tuple = _INTS

    def pools(self) -> tuple:
        raise NotImplementedError

    def complex_extras(self) -> tuple:
        return ()

    def shrink_pool(self, f, complex_valued: bool = False) -> tuple:
        """The functions a witness ``f`` may be made simpler to."""
        pool = tuple(g for p in self.pools() for g in p)
        return pool + self.complex_extras() if complex_valued else pool

    def shrink_values(self, cand: Candidate) -> dict:
        """The values each parameter of ``cand`` may be made simpler to."""
        out = {}
        for p, v in cand.parameters.items():
            if isinstance(v, tuple):
                out[p] = _vectors(len(v), self.scalars)
            else:
                out[p] = _ORDERS if p.is_integer else self.scalars
        return out

    def evaluator(self, cand: Candidate):
        return evaluator_for(self.group, Env(dict(cand.functions), dict(cand.parameters)))

    def parameter_pools(self, eq: Statement) -> dict | None:
        """Each free parameter's values, simplest first, restricted to what its assumptions
        allow; None when some parameter can have no value here."""
        vectors, numbers = vector_parameters(eq) if self.group.dim > 1 else (set(), set())
        if vectors & numbers:
            return None
        pools = {}
        for p in eq.parameters():
            if p in self.fixed:
                continue
            if p.is_integer:
                options = _STRIDES if p in strides(eq) else _ORDERS
            elif p in vectors:
                options = _vectors(self.group.dim, self.scalars)
            else:
                options = self.scalars
            allowed = [v for v in options if satisfies(p, v)]
            if not allowed:
                return None
            pools[p] = allowed
        return pools

    def candidate(self, functions: dict, params: dict, **where) -> Candidate:
        return Candidate(functions, {**params, **self.fixed}, group=self.group, **where)

    def points(self, lhs, rhs) -> list:
        raise NotImplementedError

    def probe(self, eq: Statement, functions: dict, params: dict, strict: bool = False) -> Candidate | None:
        """The simplest point where these functions break ``eq`` (a scalar statement needs
        none), or None. With ``strict``, sides that cannot be evaluated raise
        :class:`Inconclusive`."""
        base = self.candidate(functions, params)
        ev = self.evaluator(base)
        try:
            if eq.kind != FUNCTION:
                diff = ev.scalar(eq.lhs) - ev.scalar(eq.rhs)
                return base if diff.certainly_nonzero() else None
            lhs, rhs = ev.function(eq.lhs), ev.function(eq.rhs)
            return self._differ(lhs, rhs, functions, params)
        except ConcreteError as exc:
            if strict:
                raise Inconclusive(f"the sides cannot be evaluated on the spot witnesses: {exc}") from exc
            return None

    def _differ(self, lhs, rhs, functions, params) -> Candidate | None:
        for point in self.points(lhs, rhs):
            try:
                value = lhs.value(point) - rhs.value(point)
            except ConcreteError:
                continue
            if value.certainly_nonzero():
                return self.candidate(functions, params, at=point)
        return None

    # the spot check
    def random_function(self, rng: random.Random, complex_valued: bool):
        """A generic witness for the spot check (seeded by the caller)."""
        raise NotImplementedError

    def spot_parameters(self, rng: random.Random, eq: Statement) -> dict | None:
        pools = self.parameter_pools(eq)
        if pools is None:
            return None
        return {p: rng.choice(values[:6]) for p, values in pools.items()}


# ----------------------------------------------------------------------- ℤⁿ


@lru_cache(maxsize=8)
def _lattice_pool(dim: int, complex_valued: bool) -> tuple:
    """Sequences with at most two nonzero values (1, −1, 2; i and 1 + i for complex ones)
    near the origin, simplest first."""
    if dim == 1:
        places = [(0,), (1,), (-1,), (2,)]
    else:  # the corner of a unit box (flips and shifts of the statement reach the rest)
        places = [tuple(p) for p in itertools.product((0, 1), repeat=dim)]
    values = [(0, 1), (1, 1), (1, 0)] if complex_valued else [1, -1, 2]
    out = set()
    for k in (1, 2):
        for where in itertools.combinations(places, k):
            for vals in itertools.product(values, repeat=k):
                if complex_valued and not any(isinstance(v, tuple) for v in vals):
                    continue
                out.add(lattice(dict(zip(where, vals))))
    ordered = sorted(out, key=lambda f: (f.complexity(), f.text()))
    return tuple(ordered[: 16 if not complex_valued else 8])


def _random_value(rng: random.Random, complex_valued: bool):
    re = rng.choice((-3, -2, -1, 1, 2, 3))
    return (re, rng.choice((-2, -1, 1, 2))) if complex_valued else re


class LatticeWorld(World):
    """ℤⁿ: finitely supported integer (Gaussian-integer) sequences and arrays."""

    def __init__(self, group: Group):
        self.group = group
        self.fixed = {}

    def random_function(self, rng: random.Random, complex_valued: bool):
        dim = self.group.dim
        points = {tuple(rng.randint(-2, 2) for _ in range(dim)) for _ in range(3)}
        return lattice({p: _random_value(rng, complex_valued) for p in sorted(points)})

    def pools(self) -> tuple:
        return (_lattice_pool(self.group.dim, False),)

    def complex_extras(self) -> tuple:
        return _lattice_pool(self.group.dim, True)

    def points(self, lhs, rhs) -> list:
        if isinstance(lhs, LatticeFn) and isinstance(rhs, LatticeFn):
            found = set(lhs.support()) | set(rhs.support())
        else:  # x ↦ x is everywhere
            found = set(itertools.product(range(-2, 3), repeat=self.group.dim))
        return sorted(found, key=lambda i: (sum(abs(k) for k in i), sum(1 for k in i if k < 0), i))


# ----------------------------------------------------------------------- ℤ/n


@lru_cache(maxsize=32)
def _cyclic_pool(n: int, complex_valued: bool) -> tuple:
    places = list(range(min(n, 3)))
    values = [(0, 1), (1, 1), (1, 0)] if complex_valued else [1, -1, 2]
    out = set()
    for k in (1, 2):
        for where in itertools.combinations(places, k):
            for vals in itertools.product(values, repeat=k):
                if complex_valued and not any(isinstance(v, tuple) for v in vals):
                    continue
                entries = [0] * n
                for x, v in zip(where, vals):
                    entries[x] = v
                out.add(CyclicFn.make(n, [v if isinstance(v, tuple) else Fraction(v) for v in entries]))
    ordered = sorted(out, key=lambda f: (f.complexity(), f.text()))
    return tuple(ordered[: 14 if not complex_valued else 8])


class CyclicWorld(World):
    """ℤ/n for one n: integer (Gaussian-integer) arrays, values in ℚ(ζ_M)."""

    def __init__(self, group: Group, n: int, modulus_symbol: sp.Symbol | None = None):
        self.group = Group("ZN", 1, sp.Integer(n))
        self.n = n
        self.fixed = {modulus_symbol: Fraction(n)} if modulus_symbol is not None else {}

    def pools(self) -> tuple:
        return (_cyclic_pool(self.n, False),)

    def random_function(self, rng: random.Random, complex_valued: bool):
        values = [_random_value(rng, complex_valued) if rng.random() < 0.7 else 0 for _ in range(self.n)]
        return CyclicFn.make(self.n, [v if isinstance(v, tuple) else Fraction(v) for v in values])

    def complex_extras(self) -> tuple:
        return _cyclic_pool(self.n, True)

    def points(self, lhs, rhs) -> list:
        return list(range(self.n))


# ----------------------------------------------------------------------- ℝ²

_TENSOR_FACTORS = (
    gaussian(),
    gaussian(1, 1),
    gaussian(1, -1),
    gaussian(1, 0, (0, 1)),
    gaussian(2, 0),
    gaussian(1, Fraction(1, 2)),
)
_TENSOR_COMPLEX = (gaussian(1, 0, nu=1), gaussian(1, 0, nu=-1), gaussian(1, 1, nu=1))


@lru_cache(maxsize=4)
def _tensor_pool(dim: int, complex_valued: bool) -> tuple:
    """Products of one-dimensional Gaussian witnesses, simplest first."""
    factors = _TENSOR_FACTORS + (_TENSOR_COMPLEX if complex_valued else ())
    out = set()
    for combo in itertools.product(factors[:4] if dim > 2 else factors, repeat=dim):
        f = tensor(*combo)
        if complex_valued and f.is_real():
            continue
        out.add(f)
    ordered = sorted(out, key=lambda f: (f.complexity(), sp.sstr(f.expr())))
    return tuple(ordered[: 12 if not complex_valued else 6])


class TensorWorld(World):
    """ℝⁿ: products of one-dimensional Gaussian–polynomials (n = 2 only: the replay's
    quadrature is two-dimensional)."""

    scalars = _RATIONALS

    def __init__(self, group: Group):
        self.group = group
        self.fixed = {}

    def pools(self) -> tuple:
        return (_tensor_pool(self.group.dim, False),)

    def random_function(self, rng: random.Random, complex_valued: bool):
        factors = []
        for d in range(self.group.dim):
            a = rng.choice((Fraction(1), Fraction(2), Fraction(1, 2)))
            c = rng.choice((Fraction(-1), Fraction(-1, 2), Fraction(0), Fraction(1, 2), Fraction(1)))
            poly = (rng.choice((-2, -1, 1, 2, 3)), rng.choice((0, 1, -1, 2)))
            nu = rng.choice((Fraction(-1), Fraction(1, 2), Fraction(1))) if complex_valued and d == 0 else 0
            factors.append(gaussian(a, c, poly, nu=nu))
        return tensor(*factors)

    def complex_extras(self) -> tuple:
        return _tensor_pool(self.group.dim, True)

    def points(self, lhs, rhs) -> list:
        zero = (Fraction(0),) * self.group.dim
        return [zero] + list(_vectors(self.group.dim, _RATIONALS))[:12]

    def _differ(self, lhs, rhs, functions, params):
        if (lhs + rhs.scale(-1)).is_exactly_zero():
            return None
        if not (lhs.deltas or rhs.deltas):
            return super()._differ(lhs, rhs, functions, params)
        for phi in _tensor_pool(self.group.dim, False)[:6]:  # δ parts: pair with a test function
            try:
                value = lhs.inner(phi) - rhs.inner(phi)
            except ConcreteError:
                return None
            if value.certainly_nonzero():
                return self.candidate(functions, params, test_function=phi)
        return None


# ----------------------------------------------------------------------- which worlds


def worlds_for(group: Group) -> tuple[list, str | None]:
    """(the worlds where witnesses for ``group`` are sought, None) or ([], why not)."""
    if group.kind == "Z":
        return [LatticeWorld(group)], None
    if group.kind == "ZN":
        n = group.modulus
        if n.is_Integer:
            if n > MAX_MODULUS:
                return [], (f"no witness on {group}: sequences are evaluated exactly on ℤ/1 to "
                            f"ℤ/{MAX_MODULUS} only")
            return [CyclicWorld(group, int(n))], None
        return [CyclicWorld(group, k, n) for k in MODULI], None
    if group.dim == 2:
        return [TensorWorld(group)], None
    return [], f"no witness on {group}: its counterexamples could not be replayed by an independent quadrature (ℝ and ℝ² only)"


def spot_worlds(group: Group) -> tuple[list, str | None]:
    """The worlds of the spot check: for ℤ/N with N a name, two moduli (5 and 8), so that
    a proof that holds only for some N is caught."""
    if group.kind == "ZN" and not group.modulus.is_Integer:
        return [CyclicWorld(group, 5, group.modulus), CyclicWorld(group, 8, group.modulus)], None
    return worlds_for(group)

