"""Maps ℝⁿ → ℝᵐ (section 2 of the notes) as SymPy objects.

A :class:`Map` is a column of m SymPy expressions in n real variables. Maps met in the
notes' counterexamples are defined by a formula except at a few points
(``xy/(x²+y²)`` for (x, y) ≠ 0 and 0 at the origin), so a map also carries
``overrides``: isolated points where its value is given explicitly. Near any point the
map agrees with its formula except possibly at that point itself, which is all the
local analysis of :mod:`symconv.routes.calculus.differentiability` needs.

``abstract_map("f", n, m)`` builds a map whose components are undefined SymPy
functions ``f1(x1, …, xn)``, …: an arbitrary smooth map of the given dimensions, on
which the chain rule can be checked symbolically.

Maps are built from SymPy expressions in code, never from user text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

import sympy as sp

__all__ = [
    "MapError",
    "UndefinedAt",
    "Map",
    "abstract_map",
    "compose",
    "real_symbols",
    "as_point",
    "point_text",
]

#: Largest dimension accepted for a map; the analysis is symbolic and meant for small maps.
MAX_DIMENSION = 16


class MapError(ValueError):
    """A map was built or combined inconsistently (dimensions, variables)."""


class UndefinedAt(MapError):
    """The map has no value at the requested point (its formula is singular there)."""


def real_symbols(names: str | Sequence[str]) -> tuple[sp.Symbol, ...]:
    """Real SymPy symbols, e.g. ``real_symbols("x y")``."""
    if isinstance(names, str):
        names = names.split()
    return tuple(sp.Symbol(n, real=True) for n in names)


def as_point(values: Iterable) -> tuple[sp.Expr, ...]:
    """A point as a tuple of exact SymPy numbers (floats are refused: exact only)."""
    out = []
    for v in values:
        if isinstance(v, float):
            raise MapError(f"points must be exact (use a Rational), got the float {v!r}")
        e = sp.sympify(v, strict=True) if isinstance(v, (int, sp.Basic)) else None
        if e is None or e.free_symbols:
            raise MapError(f"not an exact number: {v!r}")
        out.append(e)
    return tuple(out)


def point_text(point: Sequence[sp.Expr]) -> str:
    if len(point) == 1:
        return str(point[0])
    return "(" + ", ".join(str(p) for p in point) + ")"


def _column_text(values: Sequence[sp.Expr]) -> str:
    if len(values) == 1:
        return str(values[0])
    return "(" + ", ".join(str(v) for v in values) + ")"


@dataclass(frozen=True)
class Map:
    """f: ℝⁿ → ℝᵐ, x ↦ (components), except at the ``overrides`` points.

    ``overrides`` is a tuple of ``(point, values)`` pairs: at ``point`` the map takes
    ``values`` instead of its formula.
    """

    variables: tuple[sp.Symbol, ...]
    components: tuple[sp.Expr, ...]
    name: str = "f"
    overrides: tuple[tuple[tuple[sp.Expr, ...], tuple[sp.Expr, ...]], ...] = ()

    def __post_init__(self):
        variables = tuple(self.variables)
        try:
            # strict: a string is refused, never parsed (maps are built in Python)
            components = tuple(sp.sympify(c, strict=True) for c in self.components)
        except sp.SympifyError as exc:
            raise MapError(f"a component must be a SymPy expression, not {exc.expr!r}") from None
        if not variables or not components:
            raise MapError("a map needs at least one variable and one component")
        if len(variables) > MAX_DIMENSION or len(components) > MAX_DIMENSION:
            raise MapError(f"maps are limited to {MAX_DIMENSION} variables and components")
        if len(set(variables)) != len(variables):
            raise MapError("repeated variable")
        for v in variables:
            if not (isinstance(v, sp.Symbol) and v.is_real):
                raise MapError(f"variables must be real SymPy symbols, got {v!r}")
        extra = set().union(*(c.free_symbols for c in components)) - set(variables)
        if extra:
            names = ", ".join(sorted(map(str, extra)))
            raise MapError(f"the components use symbols that are not variables: {names}")
        overrides = []
        for point, values in self.overrides:
            point, values = as_point(point), as_point(values)
            if len(point) != len(variables) or len(values) != len(components):
                raise MapError("an override needs a point of ℝⁿ and a value in ℝᵐ")
            overrides.append((point, values))
        if len({p for p, _ in overrides}) != len(overrides):
            raise MapError("two overrides at the same point")
        object.__setattr__(self, "variables", variables)
        object.__setattr__(self, "components", components)
        object.__setattr__(self, "overrides", tuple(overrides))

    # ------------------------------------------------------------------ shape
    @property
    def n(self) -> int:
        return len(self.variables)

    @property
    def m(self) -> int:
        return len(self.components)

    @property
    def matrix(self) -> sp.Matrix:
        """The formula as an m×1 column."""
        return sp.Matrix(self.components)

    # ------------------------------------------------------------------ values
    def override_at(self, point) -> tuple[sp.Expr, ...] | None:
        point = as_point(point)
        for p, values in self.overrides:
            if p == point:
                return values
        return None

    def formula_at(self, point) -> tuple[sp.Expr, ...]:
        """The formula evaluated exactly at ``point`` (UndefinedAt when singular)."""
        point = self._point(point)
        subs = dict(zip(self.variables, point))
        out = []
        for c in self.components:
            v = c.xreplace(subs)
            if v.has(sp.nan, sp.zoo, sp.oo, -sp.oo) or v.free_symbols:
                raise UndefinedAt(
                    f"the formula of {self.name} is not defined at {point_text(point)}"
                )
            out.append(v)
        return tuple(out)

    def at(self, point) -> tuple[sp.Expr, ...]:
        """f(point), exactly: an override if there is one, else the formula."""
        point = self._point(point)
        given = self.override_at(point)
        return given if given is not None else self.formula_at(point)

    def __call__(self, *point) -> tuple[sp.Expr, ...]:
        return self.at(point)

    def along(self, point, displacement: Sequence[sp.Expr]) -> tuple[sp.Expr, ...]:
        """The formula at ``point + displacement`` (displacement may hold a parameter).

        Only meaningful where ``point + displacement`` is not an override point; the
        analysis uses it for displacements that are nonzero and tend to zero.
        """
        point = self._point(point)
        if len(displacement) != self.n:
            raise MapError(f"a displacement of {self.name} needs {self.n} entries")
        subs = {v: p + sp.sympify(d, strict=True) for v, p, d in zip(self.variables, point, displacement)}
        return tuple(c.xreplace(subs) for c in self.components)

    # ------------------------------------------------------------------ calculus
    def jacobian(self, point=None) -> sp.Matrix:
        """J_f: the m×n matrix of ∂f_i/∂x_j of the formula, at ``point`` if given.

        This is the Jacobian of the formula; at an override point it says nothing about
        the map (see :mod:`symconv.routes.calculus.differentiability` for that).
        """
        J = self.matrix.jacobian(sp.Matrix(self.variables))
        if point is None:
            return J
        point = self._point(point)
        return J.xreplace(dict(zip(self.variables, point)))

    def is_polynomial(self) -> bool:
        return all(c.is_polynomial(*self.variables) for c in self.components)

    # ------------------------------------------------------------------ text
    def formula_text(self) -> str:
        args = ", ".join(map(str, self.variables))
        return f"{self.name}({args}) = {_column_text(self.components)}"

    def __str__(self) -> str:
        out = self.formula_text()
        if self.overrides:
            where = "; ".join(f"{_column_text(v)} at {point_text(p)}" for p, v in self.overrides)
            out += f" (and {where})"
        return out

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "variables": [str(v) for v in self.variables],
            "components": [str(c) for c in self.components],
            "overrides": [
                {"at": [str(p) for p in pt], "value": [str(v) for v in vals]}
                for pt, vals in self.overrides
            ],
        }

    def _point(self, point) -> tuple[sp.Expr, ...]:
        point = as_point(point)
        if len(point) != self.n:
            raise MapError(f"{self.name} takes points of ℝ^{self.n}, got {len(point)} coordinates")
        return point


def abstract_map(name: str, n: int, m: int, variables: Sequence[sp.Symbol] | None = None) -> Map:
    """An arbitrary smooth map ℝⁿ → ℝᵐ: components ``name1(x…)``, …, undefined functions."""
    if not (1 <= n <= MAX_DIMENSION and 1 <= m <= MAX_DIMENSION):
        raise MapError(f"dimensions must be between 1 and {MAX_DIMENSION}")
    if variables is None:
        variables = real_symbols([f"{name}_x{j}" for j in range(1, n + 1)])
    variables = tuple(variables)
    if len(variables) != n:
        raise MapError("wrong number of variables")
    comps = tuple(sp.Function(f"{name}{i}", real=True)(*variables) for i in range(1, m + 1))
    return Map(variables, comps, name=name)


def compose(g: Map, f: Map, name: str | None = None) -> Map:
    """g∘f: x ↦ g(f(x)), on f's variables. Maps with overrides are refused."""
    if g.n != f.m:
        raise MapError(f"cannot compose: {g.name} takes ℝ^{g.n} but {f.name} gives ℝ^{f.m}")
    if g.overrides or f.overrides:
        raise MapError("composition of maps with overrides is not supported")
    subs = dict(zip(g.variables, f.components))
    comps = tuple(c.xreplace(subs) for c in g.components)
    return Map(f.variables, comps, name=name or f"{g.name}∘{f.name}")
