"""Exact numbers for closed forms (no parsing, no ``integrate``).

:class:`Num` is an exact complex number Σ r · iʲ · π^{n/2} · √s · e^{E}: r rational,
j ∈ {0, 1}, n an integer, s a square-free positive integer and E an exact exponent — a
rational, or a :class:`~symconv.routes.concrete.laurent.Laurent` Σ (u_k + i v_k) π^k with
rational u_k, v_k (so e^{q + it} for rational q, t, and the e^{−π²ξ²/a} of the ordinary
Fourier convention). Sums of such numbers are what closed forms of Gaussian,
modulated-Gaussian and exponential–polynomial integrals evaluate to. A :class:`Num` turns
into a SymPy expression (for people) or mpmath enclosures of its real and imaginary parts
(for certified comparisons). Polynomials with :class:`Num` coefficients are tuples, lowest
degree first.

**Exactness of** :meth:`Num.is_zero`. A number is stored as a combination of distinct
basis elements with nonzero rational coefficients, so ``is_zero()`` is True only for 0.
Conversely, within one power of π the basis elements are iʲ √s e^{α} with α algebraic
(α = q + it for rational q, t), and by the Lindemann–Weierstrass theorem e^{α} for
distinct algebraic α are linearly independent over the algebraic numbers (which contain
iʲ √s): such a combination is zero only when all its coefficients are. Across different
powers of π (and for exponents with π in them) the same independence is a consequence of
Schanuel's conjecture, not a theorem, and e^{iπ/2} = i is written two ways — so a nonzero
representation is not *proof* of a nonzero value. Nothing relies on that: every certified
"≠ 0" comes from interval enclosures at two precisions (:meth:`Num.enclosure`), and
``is_zero()`` is only used as the exact "= 0" it is.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import Iterable, Mapping

import sympy as sp

from symconv.routes.concrete.laurent import (
    MAX_BITS,
    ConcreteError,
    Laurent,
    enclose,
    exact,
    monomial,
    order_key,
    to_sympy,
)
from symconv.routes.concrete.laurent import conjugate as _conjugate_exponent

__all__ = ["ConcreteError", "Num", "rat", "size", "sympy_rational", "as_float", "as_complex", "ZERO", "ONE", "X"]
__all__ += ["poly_add", "poly_scale", "poly_mul", "poly_deriv", "poly_linear", "poly_at", "poly_sympy"]
__all__ += ["real_context", "interval_context"]

#: The variable of printed closed forms.
X = sp.Symbol("x", real=True)

#: Bounds on sizes, so that nothing a user writes can make the arithmetic explode.
MAX_TERMS = 400
MAX_DEGREE = 40
MAX_INT = 10**30


# --------------------------------------------------------------------------- rationals


def rat(value) -> Fraction:
    """A rational from an int, a Fraction, a SymPy Rational or a decimal/fraction string."""
    if isinstance(value, bool):
        raise ConcreteError(f"not a rational number: {value!r}")
    if isinstance(value, (int, Fraction)):
        return Fraction(value)
    if isinstance(value, sp.Rational):
        return Fraction(int(value.p), int(value.q))
    if isinstance(value, str):
        try:
            return Fraction(value.strip())
        except ValueError as exc:
            raise ConcreteError(f"not a rational number: {value!r}") from exc
    raise ConcreteError(f"not a rational number: {value!r}")


def size(q: Fraction) -> int:
    """How complicated a rational looks: 0 → 0, ±1 → 1, 2 and 1/2 → 2, 3/2 → 4, …"""
    return abs(q.numerator) + q.denominator - 1


def sympy_rational(q: Fraction) -> sp.Rational:
    return sp.Rational(q.numerator, q.denominator)


@lru_cache(maxsize=4096)
def _squarefree(n: int) -> tuple[int, int]:
    """n = k² · s with s square-free; returns (k, s)."""
    if n <= 0:
        raise ConcreteError(f"square root of a non-positive number {n}")
    if n > MAX_INT:
        raise ConcreteError("a number grew too large")
    k, s, p = 1, 1, 2
    while p * p <= n:
        while n % (p * p) == 0:
            n //= p * p
            k *= p
        if n % p == 0:
            n //= p
            s *= p
        p += 1
    return k, s * n


# --------------------------------------------------------------------------- exact numbers

_Key = tuple  # (n, s, E, j): iʲ · π^{n/2} · √s · e^{E}
_ZERO_Q = Fraction(0)
_ONE_KEY = (0, 1, _ZERO_Q, 0)


def _key_order(key) -> tuple:
    n, s, e, j = key
    return (n, s, order_key(e), j)


class Num:
    """An exact complex number Σ r · iʲ · π^{n/2} · √s · e^{E} (immutable); see the
    module doc. Keys may be given as (n, s, q) for j = 0."""

    __slots__ = ("_t",)

    def __init__(self, terms: Mapping[_Key, Fraction] | None = None):
        out: dict = {}
        for key, v in (terms or {}).items():
            n, s, e, j = key if len(key) == 4 else (*key, 0)
            key = (int(n), int(s), exact(e) if isinstance(e, Laurent) else rat(e), int(j))
            out[key] = out.get(key, 0) + Fraction(v)
        self._t = _checked(out)

    @staticmethod
    def _raw(terms: dict) -> "Num":
        num = Num.__new__(Num)
        num._t = _checked(terms)
        return num

    # constructors
    @staticmethod
    def of(value) -> "Num":
        if isinstance(value, Num):
            return value
        if isinstance(value, Laurent):
            out = {}
            for k, u, v in value.terms:
                if u:
                    out[(2 * k, 1, _ZERO_Q, 0)] = u
                if v:
                    out[(2 * k, 1, _ZERO_Q, 1)] = v
            return Num._raw(out)
        return Num._raw({_ONE_KEY: rat(value)})

    @staticmethod
    def exp(q) -> "Num":
        """e^{q} for a rational or :class:`Laurent` exponent q."""
        e = q if isinstance(q, Laurent) else rat(q)
        return Num._raw({(0, 1, e, 0): Fraction(1)})

    @staticmethod
    def sqrt_pi_over(r) -> "Num":
        """√(π / r) for a rational r > 0, or r = u·π^k with u > 0 rational."""
        if isinstance(r, Laurent):
            m = monomial(r)
            if m is None or m[2] or m[1] <= 0:
                raise ConcreteError("√(π/r) needs r = u·π^k with u > 0")
            k, u, _ = m
        else:
            k, u = 0, rat(r)
            if u <= 0:
                raise ConcreteError("√(π/r) needs r > 0")
        # √(π/(u π^k)) = π^{(1−k)/2} √(q/p) = π^{(1−k)/2} √(pq)/p for u = p/q
        root, s = _squarefree(u.numerator * u.denominator)
        return Num._raw({(1 - k, s, _ZERO_Q, 0): Fraction(root, u.numerator)})

    @staticmethod
    def sqrt(r) -> "Num":
        """√r for r = u·π^k with u > 0 rational (or a rational r > 0)."""
        m = monomial(r if isinstance(r, Laurent) else rat(r))
        if m is None or m[2] or m[1] <= 0:
            raise ConcreteError(f"no exact square root of {r!r} here")
        k, u, _ = m
        root, s = _squarefree(u.numerator * u.denominator)
        return Num._raw({(k, s, _ZERO_Q, 0): Fraction(root, u.denominator)})

    # structure
    def items(self):
        return sorted(self._t.items(), key=lambda kv: _key_order(kv[0]))

    def is_zero(self) -> bool:
        return not self._t

    def as_rational(self) -> Fraction | None:
        """The rational value when this number is rational, else None."""
        if not self._t:
            return Fraction(0)
        if len(self._t) == 1 and _ONE_KEY in self._t:
            return self._t[_ONE_KEY]
        return None

    def as_exact(self):
        """The value as a rational or a :class:`Laurent` (a polynomial in π, π⁻¹ with
        Gaussian-rational coefficients), or None when it is not one."""
        parts = []
        for (n, s, e, j), r in self._t.items():
            if s != 1 or e != 0 or n % 2:
                return None
            parts.append((n // 2, r, _ZERO_Q) if not j else (n // 2, _ZERO_Q, r))
        return Laurent.build(parts)

    def is_real(self) -> bool:
        """True when the representation is its own conjugate (then the value is real)."""
        return self == self.conjugate()

    # arithmetic
    def __add__(self, other):
        other = _num(other)
        if other is None:
            return NotImplemented
        out = dict(self._t)
        for k, v in other._t.items():
            out[k] = out.get(k, 0) + v
        return Num._raw(out)

    __radd__ = __add__

    def __neg__(self):
        return Num._raw({k: -v for k, v in self._t.items()})

    def __sub__(self, other):
        other = _num(other)
        if other is None:
            return NotImplemented
        return self + (-other)

    def __rsub__(self, other):
        other = _num(other)
        if other is None:
            return NotImplemented
        return other + (-self)

    def __mul__(self, other):
        if isinstance(other, (int, Fraction)) and not isinstance(other, bool):
            return Num._raw({k: v * other for k, v in self._t.items()})
        other = _num(other)
        if other is None:
            return NotImplemented
        out: dict = {}
        for (n1, s1, e1, j1), v1 in self._t.items():
            for (n2, s2, e2, j2), v2 in other._t.items():
                if s1 == 1 or s2 == 1:
                    k, s = 1, s1 * s2
                else:
                    k, s = _squarefree(s1 * s2)
                j = j1 + j2
                v = v1 * v2 * k
                if j == 2:
                    j, v = 0, -v
                e = e1 if not e2 else (e2 if not e1 else e1 + e2)
                key = (n1 + n2, s, e, j)
                out[key] = out.get(key, 0) + v
        return Num._raw(out)

    __rmul__ = __mul__

    def inverse(self) -> "Num":
        """1/self for (u + iv)·π^{n/2}·√s·e^{E} (one basis element, a Gaussian-rational
        coefficient); otherwise :class:`ConcreteError`."""
        bases = {(n, s, e) for n, s, e, _ in self._t}
        if len(bases) != 1:
            raise ConcreteError("division by a sum is not exact here")
        (n, s, e), = bases
        u, v = self._t.get((n, s, e, 0), Fraction(0)), self._t.get((n, s, e, 1), Fraction(0))
        # 1/((u + iv) π^{n/2} √s e^{E}) = ((u − iv)/((u² + v²) s)) π^{−n/2} √s e^{−E}
        norm = (u * u + v * v) * s
        return Num._raw({(-n, s, -e, 0): u / norm, (-n, s, -e, 1): -v / norm})

    def conjugate(self) -> "Num":
        return Num._raw({(n, s, _conjugate_exponent(e), j): (-v if j else v) for (n, s, e, j), v in self._t.items()})

    def real(self) -> "Num":
        return (self + self.conjugate()) * Fraction(1, 2)

    def imag(self) -> "Num":
        return (self - self.conjugate()) * Num._raw({(0, 1, _ZERO_Q, 1): Fraction(-1, 2)})

    def __eq__(self, other):
        other = _num(other)
        if other is None:
            return NotImplemented
        return self._t == other._t

    def __hash__(self):
        return hash(frozenset(self._t.items()))

    def __repr__(self):
        return f"Num({sp.sstr(self.sympy())})"

    # views
    def sympy(self) -> sp.Expr:
        parts = []
        for (n, s, e, j), r in self.items():
            parts.append(
                sympy_rational(r) * sp.I**j * sp.pi ** sp.Rational(n, 2) * sp.sqrt(s) * sp.exp(to_sympy(e))
            )
        return sp.Add(*parts)

    def enclosure(self, ctx):
        """(real part, imaginary part) as numbers of the mpmath context ``ctx``: intervals
        that contain the exact values in an interval context (``mpmath.iv``-like)."""
        re, im = ctx.mpf(0), ctx.mpf(0)
        for (n, s, e, j), r in self._t.items():
            mag = ctx.mpf(r.numerator) / r.denominator
            if n:
                mag *= ctx.sqrt(ctx.pi) ** n
            if s != 1:
                mag *= ctx.sqrt(ctx.mpf(s))
            if isinstance(e, Laurent):
                er, ei = enclose(e, ctx)
                mag *= ctx.exp(er)
                a, b = mag * ctx.cos(ei), mag * ctx.sin(ei)
            else:
                if e:
                    mag *= ctx.exp(ctx.mpf(e.numerator) / e.denominator)
                if j:
                    im += mag
                else:
                    re += mag
                continue
            if j:  # times i
                a, b = -b, a
            re += a
            im += b
        return re, im

    def certainly_nonzero(self, digits: int = 30) -> bool:
        """True when interval enclosures at ``digits`` digits prove the real or the
        imaginary part nonzero (False says nothing)."""
        if not self._t:
            return False
        ctx = interval_context(digits)
        return any(not (part.a <= 0 <= part.b) for part in self.enclosure(ctx))

    def interval(self, ctx):
        """An mpmath interval (in the interval context ``ctx``) containing the value of a
        real number; a number with an imaginary part raises :class:`ConcreteError`."""
        if not self.is_real():
            raise ConcreteError(f"{self} is not real: use enclosure()")
        return self.enclosure(ctx)[0]

    def mpf(self, ctx):
        """The value of a real number in the context ``ctx`` (not certified)."""
        if not self.is_real():
            raise ConcreteError(f"{self} is not real: use mpc()")
        return self.enclosure(ctx)[0]

    def mpc(self, ctx):
        """The (complex) value in the context ``ctx`` (not certified)."""
        re, im = self.enclosure(ctx)
        return ctx.mpc(re, im)


def _checked(terms: dict) -> dict:
    out = {}
    for k, v in terms.items():
        if v:
            if v.numerator.bit_length() > MAX_BITS or v.denominator.bit_length() > MAX_BITS:
                raise ConcreteError("an exact number grew too large")
            out[k] = v
    if len(out) > MAX_TERMS:
        raise ConcreteError("an exact number grew too large")
    return out


def real_context(dps: int):
    """An mpmath context at ``dps`` digits, made once per precision and thread (making
    one costs milliseconds: every function of mpmath is wrapped anew). Shared: read it,
    never change its precision (ask for another ``dps`` instead)."""
    import threading

    return _context("real", dps, threading.get_ident())


def interval_context(dps: int):
    """An mpmath interval context at ``dps`` digits; shared like :func:`real_context`."""
    import threading

    return _context("interval", dps, threading.get_ident())


@lru_cache(maxsize=64)
def _context(kind: str, dps: int, thread: int):
    if kind == "real":
        from mpmath.ctx_mp import MPContext

        ctx = MPContext()
    else:
        from mpmath.ctx_iv import MPIntervalContext

        ctx = MPIntervalContext()
    ctx.dps = dps
    return ctx


def as_float(value) -> float:
    return float(Num.of(value).mpf(real_context(20)))


def as_complex(value) -> complex:
    return complex(Num.of(value).mpc(real_context(20)))


def _num(value) -> Num | None:
    if isinstance(value, Num):
        return value
    if isinstance(value, Laurent):
        return Num.of(value)
    if isinstance(value, (int, Fraction)) and not isinstance(value, bool):
        return Num.of(value)
    return None


ZERO = Num()
ONE = Num.of(1)
#: The imaginary unit and π as exact numbers.
I_UNIT = Num._raw({(0, 1, _ZERO_Q, 1): Fraction(1)})
PI = Num._raw({(2, 1, _ZERO_Q, 0): Fraction(1)})


# --------------------------------------------------------------------------- polynomials
# Dense, lowest degree first; coefficients are Num, Fraction or Laurent (they mix freely).


def _trim(p: Iterable) -> tuple:
    p = list(p)
    while p and (p[-1] == 0):
        p.pop()
    if len(p) > MAX_DEGREE + 1:
        raise ConcreteError(f"a polynomial degree exceeds {MAX_DEGREE}")
    return tuple(p)


def poly_add(p: tuple, q: tuple) -> tuple:
    n = max(len(p), len(q))
    return _trim(
        (p[i] if i < len(p) else 0) + (q[i] if i < len(q) else 0) for i in range(n)
    )


def poly_scale(p: tuple, c) -> tuple:
    return _trim(a * c for a in p)


def poly_mul(p: tuple, q: tuple) -> tuple:
    if not p or not q:
        return ()
    out = [0] * (len(p) + len(q) - 1)
    for i, a in enumerate(p):
        for j, b in enumerate(q):
            out[i + j] = out[i + j] + a * b
    return _trim(out)


def poly_deriv(p: tuple) -> tuple:
    return _trim(p[i] * i for i in range(1, len(p)))


def poly_linear(p: tuple, alpha: Fraction, beta: Fraction) -> tuple:
    """p(αx + β)."""
    out: tuple = ()
    for c in reversed(p):
        out = poly_add(poly_mul(out, (beta, alpha)), (c,))
    return out


def poly_at(p: tuple, x0: Fraction) -> Num:
    acc = ZERO
    for c in reversed(p):
        acc = acc * x0 + c
    return Num.of(acc) if not isinstance(acc, Num) else acc


def poly_num(p: tuple) -> tuple:
    return tuple(Num.of(c) for c in p)


def poly_sympy(p: tuple, x: sp.Expr) -> sp.Expr:
    return sp.Add(*[Num.of(c).sympy() * x**i for i, c in enumerate(p)])


def poly_size(p: tuple) -> int:
    total = 0
    for i, c in enumerate(p):
        n = Num.of(c)
        if n.is_zero():
            continue
        r = n.as_rational()
        total += 2 * i + (size(r) if r is not None else 4 + len(n.items()))
    return total


