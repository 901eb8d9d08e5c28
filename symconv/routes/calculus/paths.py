"""Limits along paths and sequences, computed exactly and replayed numerically.

A local property of a map at a point (continuity, a partial derivative, the remainder
α(Δx) of the notes' definition) fails as soon as one way of tending to the point gives
the wrong limit. An :class:`Approach` is such a way: a displacement Δx(t) with t → 0⁺,
or Δx(k) with the integer k → ∞ (a sequence, for oscillating maps such as sin(1/x)).

:func:`limit_along` computes the limit of a one-parameter expression with
``sympy.limit`` (exact; ``None`` when SymPy finds no limit or gives up) and
:func:`replay` evaluates the same expression exactly at a few parameter values close
to the end, then numerically (mpmath through SymPy's ``evalf``) at two precisions,
and checks that those values sit near the claimed limit and away from the value it is
compared with. A breach is only reported when both agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import sympy as sp
from sympy.core.function import PoleError

__all__ = [
    "T",
    "K",
    "Approach",
    "Replay",
    "line",
    "curve",
    "sequence",
    "limit_along",
    "replay",
    "settles",
    "numeric_text",
    "DIGITS",
]

#: The path parameter (t → 0⁺) and the sequence index (k → ∞).
T = sp.Symbol("t", positive=True)
K = sp.Symbol("k", positive=True, integer=True)

#: Precisions (significant digits) of the numeric replay.
DIGITS = (30, 50)

_T_SAMPLES = (sp.Rational(1, 10**3), sp.Rational(1, 10**6), sp.Rational(1, 10**9))
_K_SAMPLES = (sp.Integer(10), sp.Integer(10**3), sp.Integer(10**5))


@dataclass(frozen=True)
class Approach:
    """Δx = ``displacement`` with ``param`` → 0⁺ (T) or → ∞ (K)."""

    displacement: tuple[sp.Expr, ...]
    param: sp.Symbol = T

    def __post_init__(self):
        object.__setattr__(self, "displacement", tuple(sp.sympify(d, strict=True) for d in self.displacement))
        if self.param not in (T, K):
            raise ValueError("an approach is parametrised by T (t → 0+) or K (k → oo)")
        if any(d.free_symbols - {self.param} for d in self.displacement):
            raise ValueError("a displacement may only depend on its parameter")

    @property
    def is_sequence(self) -> bool:
        return self.param == K

    @property
    def samples(self) -> tuple[sp.Expr, ...]:
        return _K_SAMPLES if self.is_sequence else _T_SAMPLES

    def norm(self) -> sp.Expr:
        """|Δx|, simplified (the parameter is positive)."""
        return sp.sqrt(sp.expand(sum(d**2 for d in self.displacement)))

    def text(self) -> str:
        d = self.displacement
        shown = str(d[0]) if len(d) == 1 else "(" + ", ".join(map(str, d)) + ")"
        tail = "k → ∞ (integer k)" if self.is_sequence else "t → 0+"
        return f"Δx = {shown}, {tail}"

    def to_dict(self) -> dict:
        return {
            "displacement": [str(d) for d in self.displacement],
            "parameter": str(self.param),
            "tends_to": "oo" if self.is_sequence else "0+",
        }


def line(direction: Sequence) -> Approach:
    """Δx = t·v, t → 0⁺."""
    return Approach(tuple(sp.sympify(v, strict=True) * T for v in direction))


def curve(components: Sequence) -> Approach:
    """Δx = (c₁(t), …), t → 0⁺, components given as expressions in :data:`T`."""
    return Approach(tuple(components))


def sequence(components: Sequence) -> Approach:
    """Δx_k = (c₁(k), …), k → ∞, components given as expressions in :data:`K`."""
    return Approach(tuple(components), K)


def limit_along(expr: sp.Expr, approach: Approach) -> sp.Expr | None:
    """The exact limit of ``expr`` (an expression in the approach's parameter), or None.

    None means SymPy returned no definite value (an AccumBounds for an oscillation, an
    unevaluated Limit, NaN) or could not compute one.
    """
    param = approach.param
    target = sp.oo if approach.is_sequence else sp.S.Zero
    expr = sp.sympify(expr, strict=True)
    if not expr.has(param):
        value = expr
    elif not approach.is_sequence and (fast := _rational_limit(expr, param)) is not None:
        value = fast
    else:
        try:
            if approach.is_sequence:
                value = sp.limit(expr, param, target)
            else:
                value = sp.limit(expr, param, target, "+")
        except (NotImplementedError, ValueError, TypeError, RecursionError, PoleError):
            # SymPy could not compute this limit: no evidence either way
            return None
    if _is_definite(value):
        return value
    return None


def _rational_limit(expr: sp.Expr, param: sp.Symbol) -> sp.Expr | None:
    """Exact limit at 0 of a rational function of ``param`` whose cancelled form has a
    denominator nonzero at 0 (then the cancelled form is continuous there); else None."""
    if not expr.is_rational_function(param):
        return None
    num, den = (sp.sympify(e, strict=True) for e in sp.fraction(sp.cancel(sp.together(expr))))
    d0 = den.xreplace({param: sp.S.Zero})
    if d0.is_zero is not False:
        return None
    return sp.simplify(num.xreplace({param: sp.S.Zero}) / d0)


def _is_definite(value: sp.Expr) -> bool:
    if value in (sp.oo, -sp.oo):
        return True
    if not isinstance(value, sp.Expr) or value.free_symbols:
        return False
    if value.has(sp.AccumBounds, sp.Limit, sp.nan, sp.zoo) or value.has(sp.I):
        return False
    return value.is_extended_real is True


def numeric_text(value: sp.Expr, digits: int = DIGITS[0]) -> str:
    """Decimal text of an exact real value (or ±inf)."""
    if value == sp.oo:
        return "+inf"
    if value == -sp.oo:
        return "-inf"
    return str(sp.N(value, digits))


@dataclass(frozen=True)
class Replay:
    """Exact and numeric values of a quantity at the last samples of an approach."""

    samples: tuple[dict, ...]
    consistent: bool
    note: str

    def to_list(self) -> list[dict]:
        return [dict(s) for s in self.samples]


def _numeric(value: sp.Expr, digits: int) -> sp.Expr | None:
    v = sp.N(value, digits)
    re, im = v.as_real_imag()
    if im != 0 and abs(im) > sp.Float(10) ** (-(digits - 5)) * (1 + abs(re)):
        return None
    if not re.is_Number:
        return None
    return re


def settles(
    expr: sp.Expr, approach: Approach, limit: sp.Expr, tolerance=sp.Rational(1, 1000)
) -> bool:
    """Numeric sanity check of a finite limit used in a proof: at the last sample the
    value is within ``tolerance``·(1 + |limit|) of it, at both precisions."""
    if limit in (sp.oo, -sp.oo):
        return False
    exact = sp.sympify(expr, strict=True).xreplace({approach.param: approach.samples[-1]})
    target = sp.N(limit, DIGITS[1])
    for d in DIGITS:
        v = _numeric(exact, d)
        if v is None or abs(v - target) > tolerance * (1 + abs(target)):
            return False
    return True


def replay(
    expr, approach: Approach, limit: sp.Expr, against: sp.Expr, text_limit: int = 160
) -> Replay:
    """Evaluate ``expr`` at the approach's samples and check they favour ``limit``.

    ``expr`` is an expression in the approach's parameter, or better a callable that
    takes a concrete displacement (a tuple of exact numbers) and returns the exact value
    there: then each sample is computed from the map at that point, independently of any
    simplification SymPy did on the symbolic path.

    Consistent means: at every sample both precisions give real values that agree; at the
    last sample the value is nearer to ``limit`` than to ``against`` by a clear margin
    (a quarter of their distance), or, for an infinite limit, has its sign and a size
    above 4·(1 + |against|) and does not decrease over the samples.
    """
    rows, lasts = [], []
    for s in approach.samples:
        if callable(expr):
            exact = expr(tuple(d.xreplace({approach.param: s}) for d in approach.displacement))
        else:
            exact = sp.sympify(expr, strict=True).xreplace({approach.param: s})
        values = [_numeric(exact, d) for d in DIGITS]
        if any(v is None for v in values):
            return Replay(tuple(rows), False, f"not a real number at {approach.param} = {s}")
        low, high = values
        if abs(low - high) > sp.Float(10) ** (-(DIGITS[0] - 8)) * (1 + abs(high)):
            return Replay(tuple(rows), False, f"precisions disagree at {approach.param} = {s}")
        exact_text = str(exact)
        if len(exact_text) > text_limit:
            exact_text = exact_text[: text_limit - 1] + "…"
        rows.append(
            {str(approach.param): str(s), "exact": exact_text, "numeric": str(sp.N(high, 20))}
        )
        lasts.append(high)
    last = lasts[-1]
    if limit in (sp.oo, -sp.oo):
        sign = 1 if limit == sp.oo else -1
        ref = 0 if against in (sp.oo, -sp.oo) else abs(sp.N(against, DIGITS[1]))
        big = 4 * (1 + ref)
        grows = all(sign * b >= sign * a for a, b in zip(lasts, lasts[1:]))
        ok = sign * last > big and grows
        note = "values grow without bound" if ok else "values do not grow as the limit says"
        return Replay(tuple(rows), ok, note)
    if against in (sp.oo, -sp.oo):
        ok = abs(last - sp.N(limit, DIGITS[1])) < 1
        return Replay(
            tuple(rows), ok, "values stay near the finite limit" if ok else "values drift"
        )
    gap = abs(sp.N(limit - against, DIGITS[1]))
    ok = gap > 0 and abs(last - sp.N(limit, DIGITS[1])) < gap / 4
    note = "values approach the limit" if ok else "values are not clearly near the limit"
    return Replay(tuple(rows), ok, note)
