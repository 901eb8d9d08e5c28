"""What the checker's parts share: the refusal, and the exact zero test."""

from __future__ import annotations

import sympy as sp
from sympy.polys.polyerrors import BasePolynomialError

from symconv.language.terms import TermError
from symconv.trusted.codec import CodecError

__all__ = ["Invalid", "need", "is_zero", "DATA_ERRORS"]


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
