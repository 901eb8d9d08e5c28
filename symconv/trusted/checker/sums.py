"""Functions on ℤⁿ and ℤ/n as finite data, each operator its defining finite sum.

A function is {index: value}, finitely supported (indices mod n on ℤ/n): (A * B)(x) =
Σ_y A(y) B(x − y), (A ⋆ B)(x) = Σ_y conj A(y) B(x + y), A⁻, τ(A, b), δ_p, the pointwise
product, e(νx)·A with e(u) = e^{iu} (e^{2πiu/n} on ℤ/n), conj, A*…*A, A(s·) and A(·/s)
(zero off sℤⁿ), Σ A, ⟨A, B⟩, A(p), and on ℤ/n the DFT α Σ_x A(x) e(−kx) and its inverse.
Values live in a domain: :class:`Intervals` encloses the exact sums (mpmath intervals),
:class:`Floats` re-evaluates an implementation's outputs in double precision,
:class:`Exact` computes with SymPy's numbers. Parameters
standing for points have one value per axis (a number stands for (c, …, c)).
"""

from __future__ import annotations

import sympy as sp
from mpmath.ctx_iv import MPIntervalContext

from symconv.language.fold import Algebra, refuse
from symconv.language.groups import Group
from symconv.trusted.checker.common import Invalid, enclose, need

__all__ = ["Sums", "Exact", "Intervals", "Floats", "signal", "axis", "MAX_ENTRIES"]

MAX_ENTRIES = 4096
#: The most products of values one evaluation may form.
MAX_WORK = 4_000_000


class Exact:
    zero, one = sp.S.Zero, sp.S.One

    def num(self, e):
        return sp.sympify(e)

    def conj(self, v):
        return sp.conjugate(v)


class Floats:
    zero, one = 0j, 1 + 0j

    def num(self, e):
        e = sp.sympify(e)
        return complex(int(e.p) / int(e.q)) if e.is_Rational else complex(sp.N(e, 20))

    def conj(self, v):
        return v.conjugate()


class Intervals:
    def __init__(self, dps: int):
        self.ctx = MPIntervalContext()
        self.ctx.dps = dps
        self.zero, self.one = self.ctx.mpc(0), self.ctx.mpc(1)

    def num(self, e):
        return self.ctx.mpc(*enclose(sp.sympify(e), self.ctx))

    def conj(self, v):
        return self.ctx.mpc(v.real, -v.imag)


def axis(e, params: dict, d: int):
    """A point's coordinate on axis d: vector parameters by theirs, a number for (c, …, c)."""
    e = e[d] if isinstance(e, (tuple, sp.Tuple)) else e
    return sp.sympify(e).xreplace({s: v[d] if isinstance(v, tuple) else v for s, v in params.items()})


def signal(data, dec, dim: int) -> dict:
    """[[index, value tree], …] → {index tuple: exact number}."""
    need(isinstance(data, list) and len(data) <= MAX_ENTRIES, "a function is [[index, value], …]")
    out = {}
    for pair in data:
        need(isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], list) and len(pair[0]) == dim
             and all(isinstance(i, int) and not isinstance(i, bool) and abs(i) <= 10**6 for i in pair[0]),
             f"an entry is [[{dim} integers], value]")
        v = dec(pair[1])
        need(v.is_number and tuple(pair[0]) not in out, f"a value {v} that is not a number, or twice")
        out[tuple(pair[0])] = v
    return out


class Sums(Algebra):
    """The value of a term on concrete functions: {index: value} for a function, a value
    for a number. ``n`` is the modulus on ℤ/n, else None."""

    def __init__(self, functions: dict, params: dict, group: Group, dom, n: int | None = None):
        super().__init__()
        self.functions, self.params, self.group, self.dom, self.n = functions, params, group, dom, n
        self.work = 0

    def _index(self, i) -> tuple:
        return tuple(v % self.n for v in i) if self.n else tuple(i)

    def vector(self, e, integer: bool = True) -> tuple:
        """A point (a shift, a δ's point, a frequency): one exact value per axis."""
        out = []
        for d in range(self.group.dim):
            v = axis(e, self.params, d)
            need(v.is_Rational and (v.is_Integer or not integer), f"{e} is not a point of {self.group} here")
            out.append(int(v) if integer else v)
        return tuple(out)

    def _count(self, k: int) -> None:
        self.work += k
        need(self.work <= MAX_WORK, "the sums are too large to check")

    def _order(self, e) -> int:
        k = sp.sympify(e).xreplace(self.params)
        need(k.is_Integer and 0 < k <= 12, f"{e} must be 1…12 here")
        return int(k)

    def _cis(self, theta):
        return self.dom.num(sp.exp(sp.I * theta))

    def fn(self, node, name, values):
        return {i: self.dom.num(v) for i, v in self.functions[node.name].items()}

    def _correlate(self, a: dict, b: dict, sigma: int) -> dict:
        self._count(len(a) * len(b))
        out: dict = {}
        for y, u in a.items():
            for z, v in b.items():
                k = self._index(q - sigma * p for p, q in zip(y, z))
                out[k] = out.get(k, self.dom.zero) + u * v
        need(len(out) <= MAX_ENTRIES, "a function grew too large")
        return out

    def conv(self, node, a, b):
        return self._correlate(a, b, -1)

    def xcorr(self, node, a, b):
        return self._correlate(self.conj(node, a), b, 1)

    def flip(self, node, a):
        return {self._index(-p for p in i): v for i, v in a.items()}

    def shift(self, node, a, b):
        b = self.vector(b)
        return {self._index(p + q for p, q in zip(i, b)): v for i, v in a.items()}

    def delta(self, node, p):
        return {self._index(self.vector(p)): self.dom.one}

    def zero(self, node):
        return {}

    id = refuse("x ↦ x is not finitely supported", Invalid)
    diff = refuse("no derivative on a discrete group", Invalid)
    scale = refuse("no dilation on a discrete group", Invalid)

    def mul(self, node, a, b):
        return {i: u * b[i] for i, u in a.items() if i in b}

    def modulate(self, node, a, nu):
        nu = self.vector(nu, integer=self.n is not None)  # on ℤ/n a character is e(kx), k whole
        unit = 2 * sp.pi / self.n if self.n else 1
        return {i: self._cis(unit * sum(p * q for p, q in zip(nu, i))) * v for i, v in a.items()}

    def conj(self, node, a):
        return {i: self.dom.conj(v) for i, v in a.items()}

    def convpow(self, node, a, k):
        out = a
        for _ in range(self._order(k) - 1):
            out = self._correlate(out, a, -1)
        return out

    def downsample(self, node, a, s):
        s = self._order(s)
        return {tuple(p // s for p in i): v for i, v in a.items() if all(p % s == 0 for p in i)}

    def upsample(self, node, a, s):
        s = self._order(s)
        return {tuple(p * s for p in i): v for i, v in a.items()}

    def _dft(self, a: dict, scale, sign: int) -> dict:
        n = self.n
        need(n is not None, f"no transform on {self.group}")
        self._count(n * n)
        roots = [self._cis(sign * 2 * sp.pi * j / n) for j in range(n)]
        c = self.dom.num(scale)
        return {(k,): c * sum((v * roots[k * x % n] for (x,), v in a.items()), self.dom.zero) for k in range(n)}

    def fourier(self, node, a, convention):
        alpha, _ = Group("ZN", 1, sp.Integer(self.n or 1)).transform_constants(convention.name)
        return self._dft(a, alpha, -1)

    def ifourier(self, node, a, convention):
        alpha, _ = Group("ZN", 1, sp.Integer(self.n or 1)).transform_constants(convention.name)
        return self._dft(a, 1 / (alpha * (self.n or 1)), 1)

    def at(self, node, a, p):
        return a.get(self._index(self.vector(p)), self.dom.zero)

    def inner(self, node, a, b):
        return sum(self.mul(node, a, b).values(), self.dom.zero)

    def integral(self, node, a):
        return sum(a.values(), self.dom.zero)

    def add(self, node, values):
        out: dict = {}
        for v in values:
            for i, u in v.items():
                out[i] = out.get(i, self.dom.zero) + u
        return out

    def times(self, node, coefficient, value):
        c = self.fold(coefficient)
        return {i: c * v for i, v in value.items()}

    def constant(self, expr):
        v = expr.xreplace({s: v for s, v in self.params.items() if not isinstance(v, tuple)})
        need(v.is_number, f"{expr} is not a number here")
        return self.dom.num(v)

    def scalar_add(self, node, values):
        return sum(values[1:], values[0])

    def scalar_mul(self, node, values):
        out = values[0]
        for v in values[1:]:
            out = out * v
        return out

    def scalar_pow(self, node, base, exponent):
        need(exponent.is_Integer and 0 <= exponent <= 64, f"a power {node}")
        out = self.dom.one
        for _ in range(int(exponent)):
            out = out * base
        return out

    def value(self, f: dict, point) -> object:
        return f.get(self._index(self.vector(point)), self.dom.zero)
