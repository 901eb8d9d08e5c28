"""Exact evaluation of terms on the witness families of the other groups.

One evaluator per kind of group, each the table of :class:`~symconv.routes.concrete.evaluate.Evaluator`
with the entries the group changes (an operator the group has no meaning for is refused
with the reason, so a table stays complete):

* :class:`LatticeEvaluator` — ℤⁿ: :class:`~symconv.routes.concrete.lattice.LatticeFn`,
  values :class:`~symconv.routes.concrete.numbers.Num`;
* :class:`CyclicEvaluator` — ℤ/n for a concrete n:
  :class:`~symconv.routes.concrete.cyclic.CyclicFn`, values in ℚ(ζ_M)
  (:class:`~symconv.routes.concrete.cyclotomic.Cyc`), the DFT exact;
* :class:`TensorEvaluator` — ℝⁿ, n ≥ 2: :class:`~symconv.routes.concrete.tensor.TensorFn`.

**Parameters standing for vectors.** On ℝⁿ and ℤⁿ a shift, a point, the point of a δ and
the frequency of a modulation are vectors. A parameter that stands in such a place has a
vector value (a tuple) in the environment; a number there stands for the vector with every
coordinate equal to it (``shift(f, 1)`` on ℤ² is τ(f, (1, 1))). Such a place is evaluated
coordinate by coordinate (:meth:`GroupEvaluator.vector`); a vector parameter anywhere else
(a coefficient, a dilation factor) has no meaning and is refused. On ℤⁿ and ℤ/n these
places must be integers (a frequency on ℤ may be any real).
"""

from __future__ import annotations

from fractions import Fraction

import sympy as sp

from symconv.language.fold import refuse
from symconv.language.groups import Group
from symconv.routes.concrete.cyclic import CyclicFn
from symconv.routes.concrete.cyclotomic import Cyc, field_order
from symconv.routes.concrete.evaluate import MAX_CONV_POWER, Env, Evaluator
from symconv.routes.concrete.lattice import Gauss, LatticeFn, LatticePoly
from symconv.routes.concrete.laurent import ConcreteError
from symconv.routes.concrete.numbers import PI, Num
from symconv.routes.concrete.tensor import TensorFn

__all__ = ["GroupEvaluator", "LatticeEvaluator", "CyclicEvaluator", "TensorEvaluator", "evaluator_for"]

_DIFF = "a derivative of a function on {g} is not defined"
_SCALE = "a dilation of a function on {g} is not defined"


class GroupEvaluator(Evaluator):
    """What the evaluators of the other groups share: the group, and vector places."""

    def __init__(self, env: Env, group: Group):
        super().__init__(env)
        self.group = group
        self._vectors: dict = {}

    @property
    def dim(self) -> int:
        return self.group.dim

    def _axis_value(self, expr, d: int):
        """The value of a parameter expression on axis d (vector parameters by their d-th
        coordinate)."""
        params = {}
        for s in expr.free_symbols:
            if s not in self.env.parameters:
                raise ConcreteError(f"no value for the parameter {s}")
            v = self.env.parameters[s]
            params[s] = v[d] if isinstance(v, tuple) else v
        return Evaluator(Env({}, params)).real(expr)

    def vector(self, expr, integer: bool) -> tuple:
        """A shift, a point, a δ's point or a frequency: one exact value per axis."""
        key = (expr, integer)
        if key in self._vectors:
            return self._vectors[key]
        out = tuple(self._axis_value(expr, d) for d in range(self.dim))
        if integer and any(not isinstance(v, Fraction) or v.denominator != 1 for v in out):
            raise ConcreteError(f"{expr} is not a point of {self.group} for these parameters")
        self._vectors[key] = out
        return out

    def constant(self, expr):
        if isinstance(expr, sp.Symbol) and isinstance(self.env.parameters.get(expr), tuple):
            raise ConcreteError(f"the vector parameter {expr} stands where a number is expected")
        return super().constant(expr)

    def stride(self, expr) -> int:
        if isinstance(expr, sp.Integer):  # the common case, without the fold
            s = Fraction(int(expr))
        elif isinstance(expr, sp.Symbol) and isinstance(self.env.parameters.get(expr), Fraction):
            s = self.env.parameters[expr]
        else:
            s = self.rational(expr)
        if s.denominator != 1 or s < 1:
            raise ConcreteError(f"a stride must be a positive integer, not {s}")
        return int(s)

    diff = refuse("a derivative of a function on a discrete group or on ℝⁿ is not in the witness families", ConcreteError)


class LatticeEvaluator(GroupEvaluator):
    """ℤⁿ: finitely supported sequences and arrays, exact sums."""

    def constant(self, expr):
        if isinstance(expr, sp.Rational):  # Gaussian rationals stay cheap (see lattice.Gauss)
            return Gauss(int(expr.p) if expr.q == 1 else Fraction(int(expr.p), int(expr.q)), 0)
        return super().constant(expr)

    def _ints(self, expr) -> tuple:
        return tuple(int(v) for v in self.vector(expr, integer=True))

    def fn(self, node, name, values):
        f = self.env.functions.get(node.name)
        if f is None:
            raise ConcreteError(f"no concrete function for {node.name}")
        return f

    def conv(self, node, a, b):
        return a.conv(b)

    def xcorr(self, node, a, b):
        return a.xcorr(b)

    def flip(self, node, a):
        return a.flip()

    def shift(self, node, a, amount):
        return a.shift(self._ints(amount))

    def delta(self, node, point):
        return LatticeFn.delta(self._ints(point))

    def add(self, node, values):
        out = values[0]
        for v in values[1:]:
            out = out + v
        return out

    def times(self, node, coefficient, value):
        c = self.fold(coefficient)
        r = c.as_rational()
        return value.scale(r if r is not None else c)

    def at(self, node, a, point):
        return a.value(self._ints(point))

    def inner(self, node, a, b):
        return _times(a, b).integral()

    def zero(self, node):
        return LatticeFn.make(self.dim, [])

    def id(self, node):
        if self.dim != 1:
            raise ConcreteError(f"x ↦ x on {self.group} needs a direction")
        return LatticePoly.make((0, 1))

    fourier = refuse("the transform of a sequence is a function on the circle, not on ℤⁿ", ConcreteError)
    ifourier = fourier

    def mul(self, node, a, b):
        return _times(a, b)

    scale = refuse("a dilation of a sequence is not defined", ConcreteError)

    def modulate(self, node, a, frequency):
        return a.modulate(self.vector(frequency, integer=False))

    def conj(self, node, a):
        return a.conj()

    def convpow(self, node, a, power):
        n = self.stride(power)
        if n > MAX_CONV_POWER:
            raise ConcreteError(f"an iterated convolution is evaluated for 1 to {MAX_CONV_POWER} factors, not {n}")
        out = a
        for _ in range(n - 1):
            out = a.conv(out)
        return out

    def integral(self, node, a):
        return a.integral()

    def downsample(self, node, a, s):
        return a.downsample(self.stride(s))

    def upsample(self, node, a, s):
        return a.upsample(self.stride(s))


def _times(a, b):
    if isinstance(b, LatticePoly) and not isinstance(a, LatticePoly):
        return b.times(a)
    return a.times(b)


class CyclicEvaluator(GroupEvaluator):
    """ℤ/n (n a number here): arrays of n values in ℚ(ζ_M), the DFT exact. Scalars are
    :class:`Cyc` too (π has no place in ℚ(ζ_M) and is refused)."""

    def __init__(self, env: Env, group: Group):
        super().__init__(env, group)
        n = group.modulus
        if not n.is_Integer:
            raise ConcreteError(f"evaluate on ℤ/n for a number n, not {n}")
        self.n = int(n)
        self.m = field_order(self.n)

    def _residue(self, expr) -> int:
        (v,) = self.vector(expr, integer=True)
        return int(v) % self.n

    # numbers in ℚ(ζ_M)
    def constant(self, expr):
        if isinstance(expr, sp.Rational):
            return Cyc.of(self.m, Fraction(int(expr.p), int(expr.q)))
        if expr is sp.I:
            return Cyc.of(self.m, (0, 1))
        if isinstance(expr, sp.Symbol):
            if expr not in self.env.parameters:
                raise ConcreteError(f"no value for the parameter {expr}")
            return Cyc.of(self.m, Fraction(self.env.parameters[expr]))
        if isinstance(expr, sp.Add):
            return self.scalar_add(expr, [self.constant(a) for a in expr.args])
        if isinstance(expr, sp.Mul):
            return self.scalar_mul(expr, [self.constant(a) for a in expr.args])
        if isinstance(expr, sp.Pow):
            return self.scalar_pow(expr, self.constant(expr.base), expr.exp)
        raise ConcreteError(f"{expr} is not a number of ℚ(ζ_{self.m}) (the values on ℤ/{self.n})")

    def scalar_add(self, node, values):
        total = Cyc.of(self.m, 0)
        for v in values:
            total = total + v
        return total

    def scalar_mul(self, node, values):
        total = Cyc.of(self.m, 1)
        for v in values:
            total = total * v
        return total

    def scalar_pow(self, node, base, exponent):
        if not exponent.is_Integer or abs(exponent) > 64:
            raise ConcreteError(f"cannot evaluate the power {node} in ℚ(ζ_{self.m})")
        n = int(exponent)
        if n < 0:
            r = base.as_rational()
            if not r:
                raise ConcreteError(f"cannot evaluate the power {node} in ℚ(ζ_{self.m})")
            base, n = Cyc.of(self.m, 1 / r), -n
        out = Cyc.of(self.m, 1)
        for _ in range(n):
            out = out * base
        return out

    def rational(self, expr) -> Fraction:
        value = self.fold(expr).as_rational()
        if value is None:
            raise ConcreteError(f"{expr} is not rational for these parameters")
        return value

    # functions on ℤ/n
    def fn(self, node, name, values):
        f = self.env.functions.get(node.name)
        if f is None:
            raise ConcreteError(f"no concrete function for {node.name}")
        if f.n != self.n:
            raise ConcreteError(f"the witness for {node.name} lives on ℤ/{f.n}, not on ℤ/{self.n}")
        return f

    def conv(self, node, a, b):
        return a.conv(b)

    def xcorr(self, node, a, b):
        return a.xcorr(b)

    def flip(self, node, a):
        return a.flip()

    def shift(self, node, a, amount):
        return a.shift(self._residue(amount))

    def delta(self, node, point):
        return CyclicFn.delta(self.n, self._residue(point))

    def add(self, node, values):
        out = values[0]
        for v in values[1:]:
            out = out + v
        return out

    def times(self, node, coefficient, value):
        return value.scale(self.fold(coefficient))

    def at(self, node, a, point):
        return a.value(self._residue(point))

    def inner(self, node, a, b):
        return a.times(b).integral()

    def zero(self, node):
        return CyclicFn.zero(self.n)

    id = refuse("x ↦ x is not a function on ℤ/N", ConcreteError)

    def _amplitude(self, convention) -> Cyc:
        if convention.name == "unitary":
            raise ConcreteError("the unitary DFT's 1/√N is not evaluated exactly here")
        return Cyc.of(self.m, 1)

    def fourier(self, node, a, convention):
        return a.transform(self._amplitude(convention), -1)

    def ifourier(self, node, a, convention):
        return a.transform(Cyc.of(self.m, Fraction(1, self.n)) * self._amplitude(convention), 1)

    def mul(self, node, a, b):
        return a.times(b)

    scale = refuse("a dilation of a function on ℤ/N is not defined", ConcreteError)

    def modulate(self, node, a, frequency):
        return a.modulate(self._residue(frequency))

    def conj(self, node, a):
        return a.conj()

    def convpow(self, node, a, power):
        n = self.stride(power)
        if n > 2 * MAX_CONV_POWER:
            raise ConcreteError(f"an iterated convolution is evaluated for up to {2 * MAX_CONV_POWER} factors, not {n}")
        out = a
        for _ in range(n - 1):
            out = a.conv(out)
        return out

    def integral(self, node, a):
        return a.integral()

    downsample = refuse("downsample would leave ℤ/N", ConcreteError)
    upsample = refuse("upsample would leave ℤ/N", ConcreteError)


class TensorEvaluator(GroupEvaluator):
    """ℝⁿ, n ≥ 2: sums of products of one-dimensional witnesses, axis by axis."""

    def fn(self, node, name, values):
        f = self.env.functions.get(node.name)
        if f is None:
            raise ConcreteError(f"no concrete function for {node.name}")
        return f

    def conv(self, node, a, b):
        return a.conv(b)

    def xcorr(self, node, a, b):
        return a.xcorr(b)

    def flip(self, node, a):
        return a.flip()

    def shift(self, node, a, amount):
        return a.shift(self.vector(amount, integer=False))

    def delta(self, node, point):
        return TensorFn.delta(self.vector(point, integer=False))

    def add(self, node, values):
        out = values[0]
        for v in values[1:]:
            out = out + v
        return out

    def times(self, node, coefficient, value):
        c = self.fold(coefficient)
        r = c.as_rational()
        return value.scale(r if r is not None else c)

    def at(self, node, a, point):
        return a.value(self.vector(point, integer=False))

    def inner(self, node, a, b):
        return a.inner(b)

    def zero(self, node):
        return TensorFn.make(self.dim, [])

    id = refuse("x ↦ x on ℝⁿ needs a direction", ConcreteError)

    def fourier(self, node, a, convention):
        scale, rate = self.convention(convention.name)
        return a.transform(scale, rate, -1)

    def ifourier(self, node, a, convention):
        scale, rate = self.convention(convention.name)
        return a.transform(Num.of(rate) * (PI * scale * 2).inverse(), rate, 1)

    def mul(self, node, a, b):
        return a.times(b)

    def scale(self, node, a, factor):
        s = self.real(factor)
        if not s:
            raise ConcreteError(f"the dilation factor {factor} is 0 for these parameters")
        return a.dilate(s)

    def modulate(self, node, a, frequency):
        return a.modulate(self.vector(frequency, integer=False))

    def conj(self, node, a):
        return a.conj()

    def convpow(self, node, a, power):
        n = self.stride(power)
        if n > MAX_CONV_POWER:
            raise ConcreteError(f"an iterated convolution is evaluated for 1 to {MAX_CONV_POWER} factors, not {n}")
        out = a
        for _ in range(n - 1):
            out = a.conv(out)
        return out

    def integral(self, node, a):
        return a.integral()

    downsample = refuse("downsample is defined on ℤⁿ, not on ℝⁿ", ConcreteError)
    upsample = refuse("upsample is defined on ℤⁿ, not on ℝⁿ", ConcreteError)


def evaluator_for(group: Group, env: Env) -> Evaluator:
    """The exact evaluator of terms on witnesses of ``group`` (a concrete ℤ/n)."""
    if group.kind == "Z":
        return LatticeEvaluator(env, group)
    if group.kind == "ZN":
        return CyclicEvaluator(env, group)
    if group.dim > 1:
        return TensorEvaluator(env, group)
    return Evaluator(env)
