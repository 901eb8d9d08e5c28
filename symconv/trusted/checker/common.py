"""What the checker's parts share: the refusal, and the exact zero test."""

from __future__ import annotations

import sympy as sp
from sympy.polys.polyerrors import BasePolynomialError

from symconv.language.terms import TermError
from symconv.trusted.codec import CodecError

__all__ = ["Invalid", "need", "is_zero", "enclose", "DATA_ERRORS"]


class Invalid(Exception):
    """The certificate does not establish its verdict; the message says why."""


#: What malformed certificate data can make SymPy, the codec or the language raise. The
#: checker turns these into "invalid"; anything else (a timeout) passes through.
DATA_ERRORS = (
    Invalid,
    CodecError,
    TermError,
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    ArithmeticError,
    NotImplementedError,
    RecursionError,
    BasePolynomialError,
)

_EXPONENTIAL = (sp.exp, sp.sin, sp.cos, sp.tan, sp.sinh, sp.cosh, sp.tanh)


def need(condition, reason: str) -> None:
    if not condition:
        raise Invalid(reason)


def is_zero(c) -> bool:
    """True when ``c`` is 0 as an exponential polynomial in its symbols: ring arithmetic,
    and for sin, cos, … their rewriting in exponentials (sin²a + cos²a − 1 is 0). False
    means "not shown to be 0"."""
    c = sp.expand(sp.sympify(c, strict=True))
    if c == 0:
        return True
    if c.has(*_EXPONENTIAL):
        e = sp.expand(c.rewrite(sp.exp))
        return e == 0 or sp.cancel(e) == 0
    return False


def _cmul(a, b):
    return a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]


def enclose(e, ctx):
    """(real part, imaginary part): mpmath intervals enclosing the exact number ``e``."""
    zero = ctx.mpf(0)
    if e.is_Rational:
        return ctx.mpf(int(e.p)) / int(e.q), zero
    if e in (sp.pi, sp.E, sp.I):
        return {sp.pi: (ctx.pi, zero), sp.E: (ctx.e, zero), sp.I: (zero, ctx.mpf(1))}[e]
    args = [enclose(a, ctx) for a in e.args]
    if isinstance(e, sp.Add):
        return sum((a[0] for a in args[1:]), args[0][0]), sum((a[1] for a in args[1:]), args[0][1])
    if isinstance(e, sp.Mul):
        out = args[0]
        for a in args[1:]:
            out = _cmul(out, a)
        return out
    if isinstance(e, sp.Pow) and e.exp.is_Integer and 0 <= e.exp <= 64:
        out = (ctx.mpf(1), zero)
        for _ in range(int(e.exp)):
            out = _cmul(out, args[0])
        return out
    if isinstance(e, sp.Pow) and e.exp.is_Rational and e.base.is_positive:
        return ctx.exp(ctx.log(args[0][0]) * args[1][0]), zero
    if isinstance(e, sp.Pow) and e.exp == -1 and e.base.is_real:
        return 1 / args[0][0], zero
    if isinstance(e, sp.exp):
        m, im = ctx.exp(args[0][0]), args[0][1]
        return m * ctx.cos(im), m * ctx.sin(im)
    raise Invalid(f"cannot enclose {e} in an interval")
