"""Integrals as written, lifted into the operator language by a kernel-checked change of variables.

An integral over the whole line of a product of two values with affine arguments,

    ∫_{-∞}^{+∞} k·A(αy + β)·B(γy + δ) dy        (α, γ nonzero rationals, β, δ free of y)

is, with u = αy + β, (k/|α|)·∫ A(u) B(c·u + d) du where c = γ/α and d = δ − γβ/α: the
value (k/|α|)·(A * B)(d) when c = −1 and (k/|α|)·(A ⋆ B)(d) when c = 1. Reversed limits and
a written ``(-dz)`` are signs. A and B may themselves be compound (``τ(g, b)(x − y)``,
``f^-(z)``, an inner integral already lifted), and a value of δ is a factor like any other.

The lift is not trusted on its own: it is replayed as a derivation of the trusted kernel
(:mod:`symconv.trusted.kernel`) from the written integral to the lifted value — swap the
limits, substitute y = (u − β)/α, swap back, take the constant out (linearity), fold the
definition (1) or (9) — and an integral is read only when every step is admitted. Any
other shape is not read, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from symconv.documents.tokens import MathError
from symconv.language.terms import (
    At,
    Conv,
    Statement,
    TermError,
    Xcorr,
    depends_on_functions,
)
from symconv.trusted import kernel

__all__ = ["Lifted", "lift_integral", "line_of"]


@dataclass(frozen=True)
class Lifted:
    """The value the integral denotes, and the written integral as a kernel line."""

    value: sp.Expr
    line: sp.Expr
    rules: tuple[str, ...]


def line_of(value: sp.Expr) -> sp.Expr:
    """A value of the term language (products of ``At``) as a line of the kernel."""
    if isinstance(value, At):
        return kernel.at(value.arg, value.point)
    if isinstance(value, (sp.Add, sp.Mul)):
        return value.func(*[line_of(a) for a in value.args])
    return value


def _affine(point: sp.Expr, var: sp.Symbol):
    slope = sp.diff(point, var)
    if not (slope.is_Rational and slope != 0):
        return None
    rest = sp.expand(point - slope * var)
    return (slope, rest) if var not in rest.free_symbols else None


def lift_integral(factors, var: sp.Symbol, reversed_limits: bool, sign: int, show) -> Lifted:
    """Lift ``∫ Π factors d var`` (over ℝ, or ℝ backwards); ``show`` prints a factor for messages."""
    k = sp.Integer(sign)
    values = []
    for factor in sp.Mul.make_args(sp.Mul(*factors)):
        if var not in factor.free_symbols:
            if depends_on_functions(factor):
                raise MathError(f"the factor {show(factor)} does not depend on {var}: "
                                "only a product of two functions of the variable is read")
            k *= factor
        elif isinstance(factor, At):
            values.append(factor)
        else:
            raise MathError(f"the integrand has the factor {show(factor)}, which is not a value "
                            "of a function: only ∫ A(αy+β) B(γy+δ) dy is read")
    if len(values) != 2:
        raise MathError(f"an integral of a product of {len(values)} function(s) of {var}: "
                        "only products of two (a convolution or a cross-correlation) are read")
    (a, p1), (b, p2) = ((v.arg, v.point) for v in values)
    first, second = _affine(p1, var), _affine(p2, var)
    if first is None or second is None:
        bad = p1 if first is None else p2
        raise MathError(f"the argument {bad} is not affine in {var} with a rational slope")
    (alpha, beta), (gamma, delta) = first, second
    c = gamma / alpha
    d = sp.expand(delta - gamma * beta / alpha)
    if c not in (1, -1):
        raise MathError(f"the arguments {p1} and {p2} scale differently (slope ratio {c}): "
                        "a scaling is outside the language")
    op = Conv if c == -1 else Xcorr
    try:
        term = op(a, b)
        outer = -1 if reversed_limits else 1
        value = outer * k / abs(alpha) * At(term, d)
    except TermError as exc:
        raise MathError(f"the integral has no meaning in the language: {exc}") from None
    lo, hi = (sp.oo, -sp.oo) if reversed_limits else (-sp.oo, sp.oo)
    written = sp.Integral(k * kernel.at(a, p1) * kernel.at(b, p2), (var, lo, hi))
    rules = _replay(written, value, var, alpha, beta, reversed_limits, term, d)
    return Lifted(value, written, rules)


def _replay(written, value, var, alpha, beta, reversed_limits, term, d) -> tuple[str, ...]:
    """The lift as a kernel derivation; raises MathError with the kernel's reason if refused."""
    deriv = kernel.begin(Statement(written, line_of(value)))
    if isinstance(deriv, kernel.Refusal):
        raise MathError(f"the kernel cannot start from this integral: {deriv.reason}")
    rules = []

    def step(result):
        nonlocal deriv
        if isinstance(result, kernel.Refusal):
            raise MathError(f"the kernel refused the change of variables ({result.rule}): "
                            f"{result.reason}")
        deriv = result
        rules.append(result.steps[-1].rule)

    current = written
    if reversed_limits:
        flipped = sp.Integral(-current.function, (var, -sp.oo, sp.oo))
        step(kernel.reverse_limits(deriv, current, flipped))
        current = flipped
    u = sp.Dummy("u", real=True)
    phi = (u - beta) / alpha
    ends = (-sp.oo, sp.oo) if alpha > 0 else (sp.oo, -sp.oo)
    moved = sp.Integral(current.function.xreplace({var: phi}) / alpha, (u, *ends))
    step(kernel.substitute(deriv, current, moved, phi, u))
    current = moved
    if alpha < 0:
        flipped = sp.Integral(-current.function, (u, -sp.oo, sp.oo))
        step(kernel.reverse_limits(deriv, current, flipped))
        current = flipped
    target = kernel.at(term, d)
    constant, body = current.function.as_independent(u, as_Add=False)
    if constant != 1:
        bare = sp.Integral(body, (u, -sp.oo, sp.oo))
        step(kernel.linearity(deriv, current, constant * bare))
        current = bare
    step(kernel.fold(deriv, current, target))
    if deriv.line != deriv.target:
        step(kernel.rearrange(deriv, deriv.target))
    if not deriv.complete:  # pragma: no cover - rearrange ends on the target or refuses
        raise MathError("the change of variables did not reach the lifted value")
    return tuple(rules)
