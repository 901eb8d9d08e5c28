"""Bounds on a statement, checked before any work on it starts.

:func:`estimate` bounds, without expanding anything, how large a term becomes once
multiplied out the way the Fourier normal form multiplies it out: the number of terms
(``(a+b+c)^8`` has 45, ``((S^8)^8)^8`` for a sum S of 8 parameters about 10^26) and
the digits of its coefficients (``((10^40)^64)^64`` has 163,841). The parser checks
the estimate of every number and power *before* building it, so that no text makes it
compute a huge number; :func:`check_statement` checks a whole statement (however it
was made: parsed, or built in Python) before it is decided:

- its size (:func:`estimate`) within :data:`LIMITS` (which the parser uses too);
- finite coefficients (no ``nan``, ``oo``, ``zoo``);
- names a reader can tell apart (:mod:`symconv.language.names`), and one meaning per
  name: two symbols called ``a`` with different assumptions, or a function and a
  parameter with one name, would collapse onto one name in a witness.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import sympy as sp

from symconv.language import names as _names
from symconv.language.terms import (
    Conj,
    Conv,
    ConvPower,
    Diff,
    Flip,
    Fn,
    Fourier,
    Inner,
    InverseFourier,
    Product,
    TermError,
    Xcorr,
)

__all__ = [
    "LIMITS",
    "Limits",
    "Size",
    "TooLarge",
    "check_size",
    "check_statement",
    "estimate",
    "number_digits",
]


@dataclass(frozen=True)
class Limits:
    """Bounds on user input, so that no text can make the parser or engine stall."""

    length: int = 10_000  # characters
    tokens: int = 4_000
    depth: int = 64  # nesting of parentheses, calls and signs
    term_depth: int = 120  # depth of the term tree (a chain f*g*h*… nests to the left)
    digits: int = 40  # digits in one number, as written or as computed (2^200, (10^40)^8)
    exponent: int = 64  # largest power of a parameter
    sum_exponent: int = 8  # largest power of a sum of parameters
    order: int = 64  # largest literal derivative order
    expansion: int = 2_000  # terms of the statement multiplied out (an estimate, see bounds)
    coefficient_digits: int = 300  # digits of its coefficients once multiplied out
    seconds: float = 5.0  # the most time reading one statement may take


LIMITS = Limits()


class TooLarge(TermError):
    """A term whose estimated size is beyond the limits (the message says which)."""


@dataclass(frozen=True)
class Size:
    """An upper bound on a term multiplied out: its number of terms, and log10 of its
    largest coefficient (numerator or denominator). Floats: they may be huge."""

    terms: float = 1.0
    magnitude: float = 0.0

    @property
    def digits(self) -> int:
        """Digits of the largest coefficient (an upper bound)."""
        return int(min(self.magnitude, 1e18)) + 1

    def __add__(self, other: "Size") -> "Size":  # a sum of the two
        return sum_of([self, other])

    def __mul__(self, other: "Size") -> "Size":  # their product, multiplied out
        smaller = max(1.0, min(self.terms, other.terms))
        return Size(self.terms * other.terms, self.magnitude + other.magnitude + math.log10(smaller))

    def power(self, n: int) -> "Size":
        """This term to the n-th power, multiplied out (n ≥ 0)."""
        if n == 0:
            return Size()
        t = max(self.terms, 1.0)
        # monomials of (t terms)^n: at most C(t + n - 1, n); coefficients at most t^n·c^n
        log_terms = math.lgamma(t + n) - math.lgamma(n + 1) - math.lgamma(t)
        if log_terms < 600:  # exactly, while it fits a float
            terms = float(math.comb(round(t) + n - 1, n))
        else:
            terms = math.exp(min(log_terms, 700.0))
        return Size(max(1.0, terms), n * (self.magnitude + math.log10(t)))


def sum_of(parts) -> Size:
    parts = list(parts)
    return Size(
        sum(p.terms for p in parts),
        max(p.magnitude for p in parts) + math.log10(max(1, len(parts))),
    )


def number_digits(q) -> int:
    """Digits of the larger of a rational's numerator and denominator, exactly, without
    converting a huge number to text (which Python refuses beyond 4300 digits)."""
    if isinstance(q, sp.Float):
        return int(q._prec * math.log10(2)) + 1
    return max(_int_digits(abs(int(q.p))), _int_digits(int(q.q)))


def _int_digits(n: int) -> int:
    if n.bit_length() < 10_000:
        return len(str(n))
    return int(n.bit_length() * math.log10(2)) + 1


def _magnitude(q) -> float:
    if isinstance(q, sp.Float):
        return abs(float(sp.log(abs(q), 10))) if q else 0.0
    num, den = abs(int(q.p)), int(q.q)
    return math.log10(max(num, den, 1))


def estimate(expr) -> Size:
    """An upper bound on the size of ``expr`` multiplied out (see :class:`Size`).

    Terms of the language count as the normal form treats them: a convolution multiplies
    the sizes of its arguments, a shift adds its amount, a sum adds; an abstract function
    is one term. Iterative, so any depth is fine.
    """
    sizes: dict = {}
    stack = [(expr, False)]
    while stack:
        node, ready = stack.pop()
        if node in sizes:
            continue
        args = [a for a in getattr(node, "args", ()) if isinstance(a, sp.Basic)]
        if not ready and args and not isinstance(node, Fn):
            stack.append((node, True))
            stack.extend((a, False) for a in args if a not in sizes)
            continue
        sizes[node] = _size_of(node, [sizes.get(a, Size()) for a in args])
    return sizes[expr]


def _size_of(node, parts: list[Size]) -> Size:
    if isinstance(node, (sp.Rational, sp.Float)):
        return Size(1.0, _magnitude(node))
    if isinstance(node, (sp.Symbol, Fn)) or not parts:
        return Size()
    if isinstance(node, sp.Add):
        return sum_of(parts)
    if isinstance(node, (sp.Mul, Conv, Xcorr, Product, Inner)):
        out = parts[0]
        for p in parts[1:]:
            out = out * p
        return out
    if isinstance(node, sp.Pow):
        base, exponent = node.args
        if exponent.is_Integer:
            return parts[0].power(abs(int(exponent)))
        return parts[0]
    if isinstance(node, ConvPower) and node.power.is_Integer:
        return parts[0].power(int(node.power))
    if isinstance(node, (Flip, Diff, Fourier, InverseFourier, Conj, ConvPower)):
        return parts[0]
    # a shift, a δ at a point, a value at a point (At, Shift, Delta), any other function
    # of its arguments: the arguments are multiplied out on their own, side by side
    return Size(sum(p.terms for p in parts), max(p.magnitude for p in parts))


_NOT_FINITE = tuple(type(c) for c in (sp.nan, sp.zoo, sp.oo, -sp.oo))


def check_statement(statement, limits=None) -> None:
    """Refuse a statement that is too large, has a non-finite coefficient,
    or uses names a reader cannot tell apart; raises TermError (TooLarge for size)."""
    limits = limits or LIMITS
    sides = (statement.lhs, statement.rhs)
    for side in sides:
        bad = side.atoms(*_NOT_FINITE)
        if bad:
            shown = ", ".join(sorted(map(str, bad)))
            raise TermError(
                f"a coefficient must be a finite number, not {shown}: nan, oo and zoo "
                "have no meaning as scalars of functions"
            )
    size = estimate(statement.lhs) + estimate(statement.rhs)
    check_size(size, limits, "the statement")
    # one meaning per name
    symbols: dict[str, set] = {}
    for side in sides:
        for s in side.free_symbols:
            symbols.setdefault(_names.normalize(s.name), set()).add(s)
    for name, group in sorted(symbols.items()):
        if len(group) > 1:
            facts = "; ".join(sorted(_assumption_text(s) for s in group))
            raise TermError(
                f"two different parameters are called {name} ({facts}); a witness could not "
                "tell them apart: give them different names"
            )
    functions = {
        _names.normalize(a.name)
        for side in sides
        for a in sp.preorder_traversal(side)
        if isinstance(a, Fn)
    }
    both = functions & set(symbols)
    if both:
        raise TermError(
            f"{sorted(both)[0]} names both a function and a parameter; give them different names"
        )
    pair = _names.confusable(sorted(functions) + sorted(symbols))
    if pair is not None:
        raise TermError(confusable_message(*pair))


def confusable_message(first: str, second: str) -> str:
    return (
        f"the names {_names.describe(first)} and {_names.describe(second)} look alike; "
        "use one name, or names a reader can tell apart"
    )


def check_size(size: Size, limits, what: str) -> None:
    """Raise TooLarge when ``size`` is beyond the limits."""
    if size.digits > limits.coefficient_digits:
        raise TooLarge(
            f"{what} multiplied out has numbers of up to {_round(size.digits)} digits; "
            f"the limit is {limits.coefficient_digits}"
        )
    if size.terms > limits.expansion:
        raise TooLarge(
            f"{what} multiplied out has up to {_round(size.terms)} terms; "
            f"the limit is {limits.expansion:,}"
        )


def count_text(x: float) -> str:
    """1,234 or 10^26: a count for a message."""
    return _round(x)


def _round(x: float) -> str:
    if x < 1e6:
        return f"{int(x):,}"
    return f"10^{int(math.log10(x))}"


def _assumption_text(s: sp.Symbol) -> str:
    facts = sorted(k for k, v in getattr(s, "_assumptions_orig", s.assumptions0).items() if v)
    return f"{s.name}: " + (", ".join(f"{k}=True" for k in facts) if facts else "no assumptions")
