"""Counterexample and definition certificates: concrete functions, checked from definitions.

A closed form is a :class:`Dist`: a smooth part (an expression in the witness variable,
piecewise with rational break points) plus Σ c·δ⁽ᵏ⁾(x − p). A counterexample is valid when

1. the recorded exact values of both sides differ: mpmath intervals at the recorded
   precision and at twice it enclose lhs − rhs away from 0 (and meet the recorded enclosure);
2. every compound subterm's recorded closed form is its definition applied to the closed
   forms of its arguments (:class:`_Definitions`, one entry per operator): the δ part
   exactly, the smooth part by quadrature of the definition at the points where it is used
   and at a spare point, in double precision;
3. both sides, recomputed from the definitions at both precisions, agree with the recorded
   exact values within the quadrature's error and differ by more than it.

A definition certificate is valid when the integral of (1) or (9) for its two functions,
computed exactly piece by piece (exponential polynomials by their antiderivatives, Gaussians
by completing the square), equals the closed form on every region between break points.
"""

from __future__ import annotations

import itertools
from fractions import Fraction
from math import factorial
from math import inf as INF

import mpmath
import sympy as sp
from mpmath.ctx_iv import MPIntervalContext
from mpmath.ctx_mp import MPContext

from symconv.language.fold import Cases, refuse, sort_of
from symconv.language.terms import CONVENTIONS, FUNCTION, REAL, SCALAR, Fn, Operation, Statement
from symconv.trusted.checker.common import Invalid, enclose, is_zero, need
from symconv.trusted.checker.sums import Intervals, Sums, axis, signal
from symconv.trusted.codec import Decoder

__all__ = ["check_counterexample", "check_definition", "Dist", "parameters", "declared_real"]

#: The highest derivative order a counterexample may use, and the most pieces a function has.
MAX_ORDER = 12
MAX_PIECES = 64
#: Spare points where a subterm not used at a given point is checked.
SPARE = tuple(Fraction(p, q) for p, q in ((1, 7), (-2, 7), (3, 5), (-5, 11), (7, 3), (-9, 4)))
_WORKING_DPS = 20
_MP = MPContext()
_MP.dps = _WORKING_DPS
#: The two precisions of the quadrature (double, then 20 digits), with a relative slack.
_CONTEXTS = ((mpmath.fp, 1e-9), (_MP, 1e-14))


class _Singular(Invalid):
    """A value asked for at a break point (try another point)."""


def _rational(e, what: str) -> Fraction:
    need(isinstance(e, sp.Rational), f"{what} must be a rational number, got {e}")
    return Fraction(int(e.p), int(e.q))


# --------------------------------------------------------------------------- closed forms


def _bound(cond, x) -> tuple:
    """(lo, hi) of a branch condition made of x ≥ c, x < c, … (c rational) and ``And``."""
    lo, hi = -INF, INF
    parts = cond.args if isinstance(cond, sp.And) else () if cond is sp.true else (cond,)
    for rel in parts:
        need(isinstance(rel, sp.core.relational.Relational) and rel.lhs == x and rel.rhs.is_Rational,
             f"a branch condition {rel} is not a comparison of x with a rational")
        c = _rational(rel.rhs, "a break point")
        if rel.rel_op in (">=", ">"):
            lo = max(lo, c)
        elif rel.rel_op in ("<=", "<"):
            hi = min(hi, c)
        else:
            raise Invalid(f"a branch condition {rel}")
    return lo, hi


def _inside(lo, hi) -> Fraction:
    """A rational point strictly inside (lo, hi) (either end may be infinite)."""
    if lo == -INF:
        return Fraction(hi) - 1 if hi != INF else Fraction(0)
    return Fraction(lo) + 1 if hi == INF else (Fraction(lo) + Fraction(hi)) / 2


class Dist:
    """A closed form: the smooth part as ``pieces`` — (lo, hi, expression) on consecutive
    intervals covering ℝ, cut at ``breaks`` — and ``deltas`` {(p, k): coefficient} for
    Σ c·δ⁽ᵏ⁾(x − p)."""

    def __init__(self, x, pieces=None, deltas=None):
        self.x = x
        self.pieces = pieces or [(-INF, INF, sp.S.Zero)]
        need(len(self.pieces) <= MAX_PIECES, "too many pieces")
        self.breaks = [hi for _, hi, _ in self.pieces[:-1]]
        self.deltas = {k: c for k, c in (deltas or {}).items() if not is_zero(c)}

    @staticmethod
    def read(expr, x) -> "Dist":
        smooth, deltas = sp.S.Zero, {}
        for term in sp.Add.make_args(sp.expand(expr, power_exp=False, deep=False)):
            ds = [f for f in sp.Mul.make_args(term) if isinstance(f, sp.DiracDelta)]
            if not ds:
                smooth += term
                continue
            need(len(ds) == 1, f"a product of δs: {term}")
            d = ds[0]
            c, k, arg = term / d, d.args[1] if len(d.args) > 1 else sp.S.Zero, sp.expand(d.args[0])
            slope = arg.coeff(x)
            need(not c.has(x) and k.is_Integer and 0 <= k <= MAX_ORDER and slope in (1, -1)
                 and not (arg - slope * x).has(x), f"not c·δ⁽ᵏ⁾(x − p): {term}")
            key = (_rational(-(arg - slope * x) / slope, "a δ's point"), int(k))
            deltas[key] = deltas.get(key, 0) + c * slope ** k  # δ⁽ᵏ⁾(p − x) = (−1)ᵏ δ⁽ᵏ⁾(x − p)
        need(not smooth.has(sp.DiracDelta), f"a δ inside a function: {smooth}")
        need(smooth.free_symbols <= {x}, f"a closed form with unknowns: {smooth.free_symbols - {x}}")
        branches = smooth.args if isinstance(smooth, sp.Piecewise) else ((smooth, sp.true),)
        need(len(branches) <= MAX_PIECES, "too many pieces")
        bounded = [(*_bound(c, x), e) for e, c in branches]
        cuts = sorted({p for lo, hi, _ in bounded for p in (lo, hi)} - {INF, -INF})
        edges = [-INF, *cuts, INF]
        pieces = []
        for lo, hi in zip(edges, edges[1:]):  # first match wins, as in Piecewise
            mid = _inside(lo, hi)
            pieces.append((lo, hi, next((e for a, b, e in bounded if a <= mid < b), sp.S.Zero)))
        return Dist(x, pieces, deltas)

    def _merged(self, other, combine):
        edges = [-INF, *sorted(set(self.breaks) | set(other.breaks)), INF]
        pieces = []
        for lo, hi in zip(edges, edges[1:]):
            mid = _inside(lo, hi)
            pieces.append((lo, hi, combine(self.piece(mid), other.piece(mid))))
        return pieces

    def __add__(self, other):
        deltas = dict(self.deltas)
        for k, c in other.deltas.items():
            deltas[k] = deltas.get(k, 0) + c
        return Dist(self.x, self._merged(other, lambda a, b: a + b), deltas)

    def scale(self, c):
        return Dist(self.x, [(lo, hi, c * e) for lo, hi, e in self.pieces],
                    {k: c * v for k, v in self.deltas.items()})

    def conj(self) -> "Dist":
        return Dist(self.x, [(lo, hi, sp.conjugate(e)) for lo, hi, e in self.pieces],
                    {k: sp.conjugate(v) for k, v in self.deltas.items()})

    def is_real(self) -> bool:
        c = self.conj()
        return all(is_zero(e - f) for (_, _, e), (_, _, f) in zip(self.pieces, c.pieces)) and all(
            is_zero(sp.im(v)) for v in self.deltas.values())

    def support(self):
        """(lo, hi) outside which the smooth part is 0."""
        live = [(lo, hi) for lo, hi, e in self.pieces if e != 0]
        if not live:
            return (Fraction(0), Fraction(0))
        return live[0][0], live[-1][1]

    def piece(self, t: Fraction):
        if t in self.breaks:
            raise _Singular(t)
        return next(e for lo, hi, e in self.pieces if lo <= t < hi)

    def derivative(self, k: int) -> "Dist":
        """The k-th derivative of the smooth part on each piece (jumps not included)."""
        if k == 0:
            return Dist(self.x, self.pieces)
        return Dist(self.x, [(lo, hi, sp.diff(e, self.x, k)) for lo, hi, e in self.pieces])

    def value(self, t: Fraction, ctx):
        """The smooth part at t (exact rational t, not a break point), in ``ctx``."""
        return _compiled(self.piece(t), self.x, ctx)(_number(ctx, t))

    def defined_at(self, t: Fraction, what) -> None:
        """A function-valued term has a value at t only where no δ sits."""
        need(all(p != t for p, _ in self.deltas), f"{what} has no value at {t}: a δ sits there")

    def numeric(self, ctx):
        """The smooth part as a callable (for quadrature: it is called inside pieces)."""
        fns = [(_bound_number(ctx, lo), _bound_number(ctx, hi), _compiled(e, self.x, ctx)) for lo, hi, e in self.pieces]

        def f(t):
            for lo, hi, fn in fns:
                if lo <= t < hi:
                    return fn(t)
            return fns[-1][2](t)

        return f


def _bound_number(ctx, q):
    return ctx.inf if q == INF else -ctx.inf if q == -INF else _number(ctx, q)


def _number(ctx, q):
    q = Fraction(q)
    return ctx.mpf(q.numerator) / q.denominator


def _const(ctx, c):
    re, im = (part.evalf(_WORKING_DPS + 10) for part in sp.sympify(c).as_real_imag())
    need(re.is_Number and im.is_Number and re.is_finite and im.is_finite, f"not a finite number: {c}")
    if im == 0:
        return ctx.mpf(str(re))
    return complex(float(re), float(im)) if ctx is mpmath.fp else ctx.mpc(str(re), str(im))


def _show(v) -> str:
    v = complex(v)
    return f"{v.real:.12g}" if v.imag == 0 else f"{v.real:.12g}{v.imag:+.12g}i"


_CACHE: dict = {}


def _compiled(e, x, ctx):
    """A callable for the expression ``e`` in ``x`` (numbers, + × integer powers, exp)."""
    key = (e, x, id(ctx))
    if key not in _CACHE:
        if len(_CACHE) > 4096:
            _CACHE.clear()
        _CACHE[key] = _closure(e, x, ctx)
    return _CACHE[key]


def _closure(e, x, ctx):
    if e == x:
        return lambda t: t
    if not e.has(x):
        c = _const(ctx, e)
        return lambda t: c
    if isinstance(e, (sp.Add, sp.Mul)):  # the constant part once, then the rest
        const, rest = e.as_independent(x, as_Add=isinstance(e, sp.Add))
        c = _const(ctx, const)
        parts = [_closure(a, x, ctx) for a in (rest.args if type(rest) is type(e) else (rest,))]
        if isinstance(e, sp.Add):
            return lambda t: c + sum(p(t) for p in parts)

        def product(t):
            out = c
            for p in parts:
                out *= p(t)
            return out

        return product
    parts = [_closure(a, x, ctx) for a in e.args]
    if isinstance(e, sp.Pow) and e.exp.is_Integer:
        b, n = parts[0], int(e.exp)
        return lambda t: b(t) ** n
    if isinstance(e, sp.exp):
        a = parts[0]
        return lambda t: ctx.exp(a(t))
    raise Invalid(f"cannot evaluate {type(e).__name__} in a closed form: {e}")


# --------------------------------------------------------------------------- quadrature


def _integrate(ctx, f, lo, hi, cuts):
    """(∫_lo^hi f, error estimate), split at the cuts inside."""
    if not lo < hi:
        return ctx.zero, 0.0
    inner = sorted(c for c in set(cuts) if lo < c < hi)
    if lo == -INF and hi == INF and not inner:
        inner = [Fraction(0)]
    points = [_bound_number(ctx, p) for p in (lo, *inner, hi)]
    # tanh–sinh at both precisions (Gauss–Legendre needs fewer points, but computing its
    # nodes at 20 digits costs a fresh process a quarter of a second)
    value, err = ctx.quad(f, points, error=True)
    return value, float(err)


def _image(lo, hi, t, sigma):
    """The y with t + σy in (lo, hi)."""
    ends = sorted((sigma * (e - t) if abs(e) != INF else sigma * e) for e in (lo, hi))
    return ends[0], ends[1]


def _pair(ctx, a: "Dist", b: "Dist", sigma, t):
    """∫ A(y) B(t + σ y) dy for the smooth parts, t rational."""
    fa, fb = a.numeric(ctx), b.numeric(ctx)
    la, ha = a.support()
    lb, hb = _image(*b.support(), t, sigma)
    tt = _number(ctx, t)
    cuts = list(a.breaks) + [sigma * (c - t) for c in b.breaks]
    return _integrate(ctx, lambda y: fa(y) * fb(tt + sigma * y), max(la, lb), min(ha, hb), cuts)


class _Definitions(Cases):
    """Each operator's definition, from the closed forms of its arguments: the node's exact
    δ part, and the value of its smooth part at a rational point t in the precision ``ctx``
    (mpmath's ``fp`` or ``mp``), with an error estimate. ``form(term)`` is the closed form of
    an argument, ``rational(e)`` a parameter expression's value."""

    def __init__(self, form, rational, point_value):
        self.form, self.rational, self.point_value = form, rational, point_value

    def fn(self, node, t, ctx):
        return {}, self.form(node).value(t, ctx), 0.0

    def zero(self, node, t, ctx):
        return {}, ctx.zero, 0.0

    def id(self, node, t, ctx):
        return {}, _number(ctx, t), 0.0

    def convpow(self, node, t, ctx):
        need(self.rational(node.args[1]) == 1, "the checker replays convolution powers of one factor only")
        return self.form(node.args[0]).deltas, self.form(node.args[0]).value(t, ctx), 0.0

    def conj(self, node, t, ctx):
        a = self.form(node.args[0]).conj()
        return a.deltas, a.value(t, ctx), 0.0

    def modulate(self, node, t, ctx):  # e^{iνx}·δ⁽ᵏ⁾(x − p) = Σⱼ C(k, j)(−iν)ʲ e^{iνp} δ⁽ᵏ⁻ʲ⁾(x − p)
        a, nu = self.form(node.args[0]), self.rational(node.args[1])
        deltas: dict = {}
        for (p, k), c in a.deltas.items():
            for j in range(k + 1):
                coeff = c * sp.binomial(k, j) * (-sp.I * _sym(nu)) ** j * sp.exp(sp.I * _sym(nu) * _sym(p))
                deltas[(p, k - j)] = deltas.get((p, k - j), 0) + coeff
        return deltas, ctx.expj(_number(ctx, nu) * _number(ctx, t)) * a.value(t, ctx), 0.0

    def _transform(self, a: "Dist", t, ctx, scale, rate):
        """scale·∫ A(x) e^{−i·rate·t·x} dx (δ⁽ᵏ⁾(x − p) gives (i·rate·t)ᵏ e^{−i·rate·t·p})."""
        w = _const(ctx, rate) * _number(ctx, t)
        fa = a.numeric(ctx)
        value, err = _integrate(ctx, lambda x: fa(x) * ctx.expj(-w * x), *a.support(), a.breaks)
        for (p, k), c in a.deltas.items():
            value += _const(ctx, c) * (1j * w) ** k * ctx.expj(-w * _number(ctx, p))
        return {}, _const(ctx, scale) * value, float(abs(_const(ctx, scale))) * err

    def fourier(self, node, t, ctx):
        alpha, beta = CONVENTIONS[node.args[1].name]
        return self._transform(self.form(node.args[0]), t, ctx, alpha, beta)

    def ifourier(self, node, t, ctx):
        alpha, beta = CONVENTIONS[node.args[1].name]
        return self._transform(self.form(node.args[0]), t, ctx, beta / (2 * sp.pi * alpha), -beta)

    def mul(self, node, t, ctx):  # (A·B)(x) = A(x)·B(x); c·δ(x − p)·B = c·B(p)·δ(x − p)
        a, b = self.form(node.args[0]), self.form(node.args[1])
        need(not (a.deltas and b.deltas) and all(k == 0 for _, k in (*a.deltas, *b.deltas)),
             f"the checker does not replay {node}: a δ times a δ, or a δ's derivative times a function")
        deltas = {}
        for u, v in ((a, b), (b, a)):
            for (p, _), c in u.deltas.items():
                deltas[(p, 0)] = deltas.get((p, 0), 0) + c * v.piece(p).subs(v.x, _sym(p))
        return deltas, a.value(t, ctx) * b.value(t, ctx), 0.0

    def scale(self, node, t, ctx):  # A(a·x); δ⁽ᵏ⁾(a x − p) = a⁻ᵏ |a|⁻¹ δ⁽ᵏ⁾(x − p/a)
        a, factor = self.form(node.args[0]), self.rational(node.args[1])
        q = _sym(factor)
        deltas = {(p / factor, k): c / (abs(q) * q**k) for (p, k), c in a.deltas.items()}
        return deltas, a.value(factor * t, ctx), 0.0

    def integral(self, node, t, ctx):  # ∫ A = ∫ the smooth part + the δs' coefficients
        a = self.form(node.args[0])
        value, err = _integrate(ctx, a.numeric(ctx), *a.support(), a.breaks)
        for (p, k), c in a.deltas.items():
            value += _const(ctx, c) if k == 0 else 0
        return {}, value, err

    def delta(self, node, t, ctx):  # its smooth part is 0; whether δ sits at t is the caller's
        return {(self.rational(node.point), 0): sp.S.One}, ctx.zero, 0.0

    def _correlate(self, node, t, ctx, sigma):
        """∫ A(y) B(t + σy) dy: σ = −1 for * (the notes' (1)); ∫ conj A(y) B(t + y) dy for ⋆ (9)."""
        a, b = self.form(node.args[0]), self.form(node.args[1])
        a = a.conj() if sigma > 0 else a
        deltas = {}
        for (p, j), c in a.deltas.items():
            for (q, k), d in b.deltas.items():
                # δ⁽ʲ⁾(·−p) * δ⁽ᵏ⁾(·−q) = δ⁽ʲ⁺ᵏ⁾(·−p−q); for ⋆ the flip of δ⁽ʲ⁾(·−p) is (−1)ʲ δ⁽ʲ⁾(·+p)
                key = (q - sigma * p, j + k)
                deltas[key] = deltas.get(key, 0) + c * d * ((-1) ** j if sigma > 0 else 1)
        value, err = _pair(ctx, a, b, sigma, t)
        for (p, j), c in a.deltas.items():  # ∫ δ⁽ʲ⁾(y − p) B(t + σy) dy = (−σ)ʲ B⁽ʲ⁾(t + σp)
            value += (-sigma) ** j * _const(ctx, c) * b.derivative(j).value(t + sigma * p, ctx)
        for (q, k), d in b.deltas.items():  # ∫ A(y) δ⁽ᵏ⁾(t + σy − q) dy = (−σ)ᵏ A⁽ᵏ⁾(σ(q − t))
            value += (-sigma) ** k * _const(ctx, d) * a.derivative(k).value(sigma * (q - t), ctx)
        return deltas, value, err

    downsample = upsample = refuse("sampling is defined on ℤⁿ (checked by sums there)", Invalid)

    def conv(self, node, t, ctx):
        return self._correlate(node, t, ctx, -1)

    def xcorr(self, node, t, ctx):
        return self._correlate(node, t, ctx, 1)

    def flip(self, node, t, ctx):
        a = self.form(node.arg)
        return {(-p, k): c * (-1) ** k for (p, k), c in a.deltas.items()}, a.value(-t, ctx), 0.0

    def shift(self, node, t, ctx):
        a, b = self.form(node.arg), self.rational(node.amount)
        return {(p + b, k): c for (p, k), c in a.deltas.items()}, a.value(t - b, ctx), 0.0

    def diff(self, node, t, ctx):
        a, k = self.form(node.arg), self.rational(node.order)
        need(k.denominator == 1 and 0 < k <= MAX_ORDER, f"a derivative of order {k}")
        k = int(k)
        deltas = {(p, j + k): c for (p, j), c in a.deltas.items()}
        for i in range(k):  # the jump of A⁽ⁱ⁾ at a break point c adds jump·δ⁽ᵏ⁻¹⁻ⁱ⁾(x − c)
            d = a.derivative(i)
            for c in a.breaks:
                deltas[(c, k - 1 - i)] = deltas.get((c, k - 1 - i), 0) + _jump(d, c)
        return deltas, a.derivative(k).value(t, ctx), 0.0

    def at(self, node, t, ctx):
        p = self.rational(node.point)
        self.form(node.arg).defined_at(p, node.arg)
        value, err = self.point_value(node.arg, p, ctx)
        return {}, value, err

    def inner(self, node, t, ctx):
        a, b = self.form(node.args[0]), self.form(node.args[1])
        need(not (a.deltas and b.deltas), f"{node} pairs a δ with a δ: not a number")
        value, err = _pair(ctx, a, b, 1, Fraction(0))
        for u, v in ((a, b), (b, a)):
            for (p, j), c in u.deltas.items():  # ∫ δ⁽ʲ⁾(y − p) V(y) dy = (−1)ʲ V⁽ʲ⁾(p)
                value += (-1) ** j * _const(ctx, c) * v.derivative(j).value(p, ctx)
        return {}, value, err


def _jump(d: Dist, c: Fraction):
    """Right limit minus left limit of the smooth part at the break point c, exactly."""
    i = d.breaks.index(c)
    at = sp.Rational(c.numerator, c.denominator)
    return d.pieces[i + 1][2].subs(d.x, at) - d.pieces[i][2].subs(d.x, at)


# --------------------------------------------------------------------------- intervals


def _enclose(lhs, rhs, enclosure) -> int:
    """lhs − rhs is enclosed away from 0 at the recorded digits and twice as many, and the
    enclosure meets the recorded one; returns the digits."""
    need(isinstance(enclosure, dict) and set(enclosure) == {"digits", "difference"},
         "the enclosure is {digits, difference}")
    digits, recorded = enclosure["digits"], enclosure["difference"]
    need(isinstance(digits, int) and not isinstance(digits, bool) and 10 <= digits <= 200,
         "digits must be an integer in 10…200")
    need(isinstance(recorded, list) and len(recorded) == 2
         and all(isinstance(p, list) and len(p) == 2 and all(isinstance(v, str) for v in p) for p in recorded),
         "the enclosure's difference is [[lower, upper] of the real part, … of the imaginary part] as text")
    for dps in (digits, 2 * digits):
        ctx = MPIntervalContext()
        ctx.dps = dps + 10
        (lr, li), (rr, ri) = enclose(lhs, ctx), enclose(rhs, ctx)
        parts = (lr - rr, li - ri)
        need(not all(p.a <= 0 <= p.b for p in parts), f"at {dps} digits the difference of the exact values encloses 0")
    holds_zero = True
    for p, (low, high) in zip(parts, recorded):  # decimal text: good to 2·digits digits
        lo, hi = ctx.mpf(low), ctx.mpf(high)
        need(lo.a <= hi.b, "the recorded enclosure is empty")
        holds_zero = holds_zero and lo.a <= 0 <= hi.b
        slack = (abs(lo) + abs(hi) + 1) * ctx.mpf(10) ** (-2 * digits)
        need(p.a <= (hi + slack).b and (lo - slack).a <= p.b, "the recorded enclosure does not meet the recomputed one")
    need(not holds_zero, "the recorded enclosure holds 0")
    return digits


# --------------------------------------------------------------------------- counterexamples


def _admissible(d: Dist, name: str) -> Dist:
    """A witness is an integrable function: every unbounded piece decays exponentially."""
    need(not d.deltas, f"the witness {name} must be a function, not a distribution")
    for lo, hi, e in d.pieces:
        for end, sign in ((lo, -1), (hi, 1)):
            if abs(end) != INF or e == 0:
                continue
            for term in sp.Add.make_args(sp.expand(e)):
                exponent = sp.Add(*[f.args[0] for f in sp.Mul.make_args(term) if isinstance(f, sp.exp)])
                poly = sp.Poly(sp.expand(exponent), d.x)
                need(poly.degree() in (1, 2) and bool(sp.re(poly.LC()) * sign ** poly.degree() < 0),
                     f"the witness {name} does not decay at {'+' if sign > 0 else '-'}∞")
    return d


def _top(side):
    """The compound function-valued operations of a side, outside its linear structure."""
    if isinstance(side, (sp.Add, sp.Mul)):
        return [n for a in side.args for n in _top(a)]
    compound = isinstance(side, Operation) and side.result == FUNCTION and not side.is_leaf_function
    return [side] if compound else []


def _nodes(*sides):
    """The compound function-valued subterms, each once."""
    seen = []
    for side in sides:
        for n in sp.preorder_traversal(side):
            if isinstance(n, Operation) and n.result == FUNCTION and not n.is_leaf_function and n not in seen:
                seen.append(n)
    return seen


_WITNESS = {"variable", "functions", "parameters", "at", "test_function"}


def parameters(data, dec, symbols: set, dim: int) -> dict:
    """[[symbol, value], …]: a rational for each parameter (a tuple of one per axis for a
    point on ℝⁿ, ℤⁿ) that keeps the symbol's assumptions (orders 1…12), and no other."""
    need(isinstance(data, list) and all(isinstance(p, list) and len(p) == 2 for p in data),
         "parameters are [[symbol, value], …]")
    out = {}
    for pair in data:
        sym, v = dec(pair[0]), dec(pair[1])
        coords = tuple(v) if isinstance(v, sp.Tuple) and dim > 1 else (v,)
        need(isinstance(sym, sp.Symbol) and len(coords) in (1, dim) and all(c.is_Rational for c in coords),
             f"the value of {sym} must be rational (one per axis for a point)")
        for c in coords:
            need(all(getattr(c, "is_" + fact) is wanted for fact, wanted in sym.assumptions0.items())
                 and not (sym.is_integer and c > MAX_ORDER), f"{sym} = {c} breaks an assumption of {sym}")
        out[sym] = coords if len(coords) > 1 else coords[0]
    need(set(out) == symbols, "a value for each parameter, and no other")
    return out


def declared_real(st) -> set:
    return {n.name for side in (st.lhs, st.rhs) for n in sp.preorder_traversal(side)
            if isinstance(n, Fn) and not n.is_complex_valued}


class Tensor:
    """Σ c·Π_d f_d(x_d) on ℝⁿ: ``terms`` are (coefficient, [a smooth Dist per axis])."""

    deltas: dict = {}

    def __init__(self, terms=()):
        self.terms = list(terms)
        need(len(self.terms) <= MAX_PIECES, "too many products")

    @staticmethod
    def read(data, dec, x, dim) -> "Tensor":
        need(isinstance(data, list) and all(isinstance(t, list) and len(t) == 2 and isinstance(t[1], list)
                                            and len(t[1]) == dim for t in data), f"a function on ℝ^{dim} is [[c, [f₁, …]], …]")
        return Tensor((dec(c), [_admissible(Dist.read(dec(f), x), "a factor") for f in fs]) for c, fs in data)

    def __add__(self, other):
        return Tensor(self.terms + other.terms)

    def scale(self, c):
        return Tensor((c * k, fs) for k, fs in self.terms)

    def is_real(self) -> bool:
        return all(is_zero(sp.im(c)) and all(f.is_real() for f in fs) for c, fs in self.terms)

    def value(self, t, ctx):
        out = ctx.zero
        for c, fs in self.terms:
            v = _const(ctx, c)
            for f, u in zip(fs, t):
                v *= f.value(u, ctx)
            out += v
        return out

    def defined_at(self, t, what) -> None:
        pass


class _Witness:
    """A counterexample on ℝ or ℝ² decoded; the closed form of every function-valued term."""

    def __init__(self, cert: dict, st: Statement, dec: Decoder):
        self.statement, w, self.dim = st, cert["witness"], st.group.dim
        need(isinstance(w, dict) and set(w) == _WITNESS, f"a witness is {sorted(_WITNESS)}")
        need(self.dim <= 2, f"no counterexample on {st.group} is checked")
        need(isinstance(w["variable"], str) and w["variable"].isidentifier()
             and w["variable"] not in {s.name for s in st.parameters()},
             "the witness's variable is a name the statement does not use")
        self.x = x = sp.Symbol(w["variable"], real=True)
        if self.dim == 1:
            read = lambda t, name: Dist.read(dec(t), x)  # noqa: E731
        else:
            read = lambda t, name: Tensor.read(t, dec, x, self.dim)  # noqa: E731
        need(isinstance(w["functions"], dict) and set(w["functions"]) == set(st.function_names()),
             "the witness gives exactly the statement's functions")
        self.functions = {n: read(t, n) for n, t in w["functions"].items()}
        for n in self.functions:
            if self.dim == 1:
                _admissible(self.functions[n], n)
            need(n not in declared_real(st) or self.functions[n].is_real(), f"{n} is real but its witness is not")
        self.params = parameters(w["parameters"], dec, set(st.parameters()), self.dim)
        self.at = None if w["at"] is None else self.point(dec(w["at"]))
        need(self.dim == 1 or w["test_function"] is None, "no test function on ℝⁿ")
        self.test = None if w["test_function"] is None else _admissible(Dist.read(dec(w["test_function"]), x), "φ")
        if st.kind == SCALAR:
            need(self.at is None and self.test is None, "a scalar statement has no point nor test function")
        else:
            need((self.at is None) != (self.test is None), "a point or a test function, one of them")
        values = cert["values"]
        need(isinstance(values, dict) and set(values) == {"lhs", "rhs"}, "values are {lhs, rhs}")
        self.values = [dec(values["lhs"]), dec(values["rhs"])]
        need(all(not v.free_symbols for v in self.values), "the exact values are numbers")
        need(isinstance(cert["closed_forms"], list), "closed forms are [[term, expression], …]")
        self.forms = {}
        for pair in cert["closed_forms"]:
            need(isinstance(pair, list) and len(pair) == 2, "a closed form is [term, expression]")
            self.forms[dec(pair[0])] = read(pair[1], "a closed form")
        nodes = _nodes(st.lhs, st.rhs)
        need(set(self.forms) == set(nodes), "a closed form for each compound subterm, and no other")
        self.nodes = nodes
        self.definitions = _Definitions(self.form, self.rational, self.value)
        self.memo: dict = {}

    def _scalars(self) -> dict:
        return {s: v for s, v in self.params.items() if not isinstance(v, tuple)}

    def rational(self, e) -> Fraction:
        return _rational(sp.sympify(e).xreplace(self._scalars()), f"{e} at the witness")

    def point(self, e):
        """A point: a rational on ℝ, one per axis on ℝⁿ (a number stands for (c, …, c))."""
        if self.dim == 1:
            return self.rational(e)
        return tuple(_rational(axis(e, self.params, d), f"{e} at the witness") for d in range(self.dim))

    def number(self, e) -> sp.Expr:
        """A coefficient at the witness: an exact number (2π, √2, i, …)."""
        v = sp.sympify(e).xreplace(self._scalars())
        need(v.is_number and not v.has(sp.zoo, sp.nan, sp.oo), f"{e} at the witness is not a number")
        return v

    def form(self, term):
        """The closed form of a function-valued term: the witness, δ, or the recorded one."""
        if isinstance(term, Fn):
            return self.functions[term.name]
        if isinstance(term, Operation) and term.is_leaf_function:
            need(self.dim == 1, "no δ in a counterexample on ℝⁿ")
            return Dist(self.x, None, {(self.rational(term.point), 0): sp.S.One})
        if isinstance(term, sp.Add):
            out = Dist(self.x) if self.dim == 1 else Tensor()
            for a in term.args:
                out = out + self.form(a)
            return out
        if isinstance(term, sp.Mul):
            f = next(a for a in term.args if sort_of(a) == FUNCTION)
            return self.form(f).scale(self.number(sp.Mul(*[a for a in term.args if a is not f])))
        return self.forms[term]

    def definition(self, node, t, ctx):
        """The node's definition at t: (exact δ part, value, error), remembered."""
        key = (node, t, id(ctx))
        if key not in self.memo:
            self.memo[key] = self.definitions.case(node, t, ctx) if self.dim == 1 else self._axes(node, t, ctx)
        return self.memo[key]

    def _axes(self, node, t, ctx):
        """A node on ℝⁿ from the closed forms of its arguments: Σ over their terms of Π_d the
        one-dimensional definition on axis d (an integral over ℝⁿ of a product of functions
        of one coordinate each is the product of the integrals)."""
        if isinstance(node, Fn) or node.operator == "at":
            return {}, *((self.form(node).value(t, ctx), 0.0) if isinstance(node, Fn)
                         else self.value(node.arg, self.point(node.point), ctx))
        slots = [i for i, (sort, _) in enumerate(node.signature) if sort == FUNCTION]
        total, err = ctx.zero, 0.0
        for combo in itertools.product(*(self.form(node.args[i]).terms for i in slots)):
            conj = node.operator in ("xcorr", "conj")  # the first argument is conjugated
            v = _const(ctx, self.number(sp.Mul(*(sp.conjugate(c) if conj and j == 0 else c
                                                 for j, (c, _) in enumerate(combo)))))
            e = 0.0
            for d in range(self.dim):
                args, forms = list(node.args), {}
                for j, i in enumerate(slots):
                    args[i], forms[f"a{j}"] = Fn(f"a{j}", "complex"), combo[j][1][d]
                for i, (sort, _) in enumerate(node.signature):
                    args[i] = _sym(self.point(args[i])[d]) if sort == REAL else args[i]
                one = _Definitions(lambda f: forms[f.name], self.rational, None)
                deltas, vd, ed = one.case(node.func(*args), t[d], ctx)
                need(not deltas, "no δ in a counterexample on ℝⁿ")
                v, e = v * vd, float(abs(v)) * ed + float(abs(vd)) * e
            total, err = total + v, err + e
        return {}, total, err

    def value(self, term, t, ctx):
        """(value, error) of a term at t, each operation from its definition."""
        if isinstance(term, sp.Add):
            parts = [self.value(a, t, ctx) for a in term.args]
            return sum(v for v, _ in parts[1:]) + parts[0][0], sum(e for _, e in parts)
        if isinstance(term, sp.Mul):
            out, err = _number(ctx, 1), 0.0
            for a in term.args:
                v, e = self.value(a, t, ctx)
                out, err = out * v, float(abs(out)) * e + float(abs(v)) * err
            return out, err
        if isinstance(term, Operation):
            _, v, e = self.definition(term, t, ctx)
            return v, e
        return _const(ctx, self.number(term)), 0.0

    def pairing(self, term, ctx):
        """(⟨term, φ⟩, error) for a function-valued side, from its closed form."""
        d, phi = self.form(term), self.test
        value, err = _pair(ctx, d, phi, 1, Fraction(0))
        for (p, j), c in d.deltas.items():
            value += (-1) ** j * _const(ctx, c) * phi.derivative(j).value(p, ctx)
        return value, err

    def check_node(self, node, required) -> None:
        """The recorded closed form of ``node`` is its definition: the δ part exactly, the
        smooth part at the required points and at the first spare point where it has a
        value (so never at one point only), in double precision (the sides, built from the
        definitions at the required points, are recomputed at both precisions)."""
        claimed, spare = self.forms[node], False
        spares = SPARE if self.dim == 1 else tuple(zip(SPARE, SPARE[1:]))
        for t in list(required) + [s for s in spares if s not in required]:
            if spare:
                break
            try:
                for ctx, slack in _CONTEXTS[:1]:  # the sides are recomputed at both precisions
                    deltas, value, err = self.definition(node, t, ctx)
                    mine = Dist(self.x, None, deltas).deltas
                    need(set(mine) == set(claimed.deltas)
                         and all(is_zero(mine[k] - claimed.deltas[k]) for k in mine),
                         f"the δ part recorded for {node} is not its definition's")
                    expected = claimed.value(t, ctx)
                    need(abs(value - expected) <= 100 * err + slack * (1 + abs(expected)),
                         f"the closed form recorded for {node} is {_show(expected)} at {t}, "
                         f"its definition gives {_show(value)}")
            except _Singular:
                need(t not in required, f"{node} has no value at {t}")
                continue
            spare = t not in required
        need(spare, f"{node} could not be checked at a point of its own")


def _meets(a, b) -> bool:
    return all(p.a <= q.b and q.a <= p.b for p, q in ((a.real, b.real), (a.imag, b.imag)))


def _check_sums(cert: dict, st: Statement, dec: Decoder) -> list[str]:
    """ℤⁿ, ℤ/n: both sides by the finite sums of the definitions (:mod:`.sums`), enclosed at
    the recorded digits and twice as many, differ and meet the recorded exact values."""
    g, w = st.group, cert["witness"]
    need(isinstance(w, dict) and set(w) == _WITNESS and w["test_function"] is None and cert["closed_forms"] == [],
         f"a witness on {g} is {sorted(_WITNESS)}, without a test function or closed forms")
    modulus = {g.modulus} if g.kind == "ZN" and g.modulus.is_Symbol else set()
    params = parameters(w["parameters"], dec, set(st.parameters()) | modulus, g.dim)
    n = None if g.kind == "Z" else g.modulus.xreplace(params)
    need(n is None or 1 <= n <= 64, f"a modulus {n} of 1…64")
    need(isinstance(w["functions"], dict) and set(w["functions"]) == set(st.function_names()),
         "the witness gives exactly the statement's functions")
    functions = {k: signal(v, dec, g.dim) for k, v in w["functions"].items()}
    for k, f in functions.items():
        need(n is None or all(0 <= i[0] < n for i in f), f"{k} is not a function on ℤ/{n}")
        need(k not in declared_real(st) or all(v.is_real for v in f.values()), f"{k} is real but its witness is not")
    at = None if w["at"] is None else dec(w["at"])
    need((at is None) == (st.kind == SCALAR), "a point for a function-valued statement, none for a number")
    values = cert["values"]
    need(isinstance(values, dict) and set(values) == {"lhs", "rhs"}, "values are {lhs, rhs}")
    values = [dec(values["lhs"]), dec(values["rhs"])]
    digits = _enclose(*values, cert["enclosure"])
    for dps in (digits, 2 * digits):
        dom = Intervals(dps + 10)
        sums = Sums(functions, params, g, dom, None if n is None else int(n))
        mine = [sums.fold(side) if at is None else sums.value(sums.fold(side), at) for side in (st.lhs, st.rhs)]
        need(not _meets(mine[0] - mine[1], dom.zero), f"at {dps} digits the sums of the definitions do not differ")
        need(all(_meets(v, dom.num(x)) for v, x in zip(mine, values)), "the recorded exact values are not the sums")
    return [f"both sides by the finite sums of the definitions on {g}, enclosed at {digits} and {2 * digits} "
            "digits: they differ, and are the recorded values"]


def check_counterexample(cert: dict) -> list[str]:
    dec = Decoder()
    claim = dec.statement(cert["claim"])
    need(cert["statement"] == str(claim), "the statement shown is not the claim")
    st = claim.equation()
    if st.group.discrete:
        return _check_sums(cert, st, dec)
    w = _Witness(cert, st, dec)
    digits = _enclose(*w.values, cert["enclosure"])
    required: dict = {}  # the points where a subterm's value is used
    for side in (st.lhs, st.rhs):
        if w.at is not None:
            for n in _top(side):
                required.setdefault(n, set()).add(w.at)
        for n in sp.preorder_traversal(side):
            if isinstance(n, Operation) and n.operator == "at":
                for m in _top(n.arg):
                    required.setdefault(m, set()).add(w.point(n.point))
    try:
        for n in w.nodes:
            w.check_node(n, sorted(required.get(n, ())))
        for ctx, slack in _CONTEXTS:
            sides = []
            for side, exact in zip((st.lhs, st.rhs), w.values):
                if w.test is None and w.at is not None:
                    w.form(side).defined_at(w.at, side)
                v, e = w.pairing(side, ctx) if w.test is not None else w.value(side, w.at, ctx)
                tol = 100 * e + slack * (1 + abs(v))
                x = _const(ctx, exact)
                need(abs(v - x) <= tol,
                     f"the definitions give {_show(v)}, the recorded exact value is {_show(x)}")
                sides.append((v, tol))
            (vl, tl), (vr, tr) = sides
            need(abs(vl - vr) > tl + tr, "the definitions cannot tell the sides apart")
    except _Singular as exc:
        raise Invalid(f"a value asked for at {exc}, a break point") from None
    return [f"the exact values differ (intervals at {digits} and {2 * digits} digits)",
            f"{len(w.nodes)} subterm(s) agree with their definitions; both sides recomputed from "
            "the definitions at two precisions"]


# --------------------------------------------------------------------------- definitions


def _moment(k: int, mean, var):
    m = [sp.S.One, mean]
    for i in range(2, k + 1):
        m.append(sp.expand(mean * m[i - 1] + (i - 1) * var * m[i - 2]))
    return m[k]


def _antiderivative(k: int, beta, y):
    """∫ yᵏ e^{βy} dy."""
    if beta == 0:
        return y ** (k + 1) / (k + 1)
    return sp.exp(beta * y) * sum((-1) ** i * factorial(k) // factorial(k - i) * y ** (k - i) / beta ** (i + 1)
                                  for i in range(k + 1))


def _integral(integrand, y, lo, hi):
    """∫_lo^hi of an exponential polynomial in y (exponents of degree ≤ 2 in y), exactly."""
    total = sp.S.Zero
    for term in sp.Add.make_args(sp.expand(integrand, power_exp=False)):
        factors = sp.Mul.make_args(term)
        exponent = sp.expand(sp.Add(*[f.args[0] for f in factors if isinstance(f, sp.exp)]))
        rest = sp.Mul(*[f for f in factors if not isinstance(f, sp.exp)])
        poly = sp.Poly(sp.expand(rest), y)
        coeffs = sp.Poly(exponent, y).all_coeffs()[::-1]
        need(len(coeffs) <= 3, f"an exponent {exponent} of degree more than 2 in y")
        a0, a1, a2 = (coeffs + [sp.S.Zero] * 3)[:3]
        for (k,), c in poly.terms():
            if a2 != 0:
                need((lo, hi) == (-sp.oo, sp.oo) and (-a2).is_positive, "a Gaussian integral must be over ℝ")
                s = -a2
                total += c * sp.exp(a0 + a1 ** 2 / (4 * s)) * sp.sqrt(sp.pi / s) * _moment(k, a1 / (2 * s), 1 / (2 * s))
                continue
            need(not a1.free_symbols, f"an exponent {exponent} whose slope in y depends on x")
            F = _antiderivative(k, a1, y)
            ends = []
            for end, sign in ((hi, 1), (lo, -1)):
                if end in (sp.oo, -sp.oo):
                    need(a1 != 0 and a1 * (1 if end == sp.oo else -1) < 0, "an integral that does not converge")
                    ends.append(0)
                else:
                    ends.append(F.subs(y, end))
            total += c * sp.exp(a0) * (ends[0] - ends[1])
    return total


def _sym(q):
    return sp.oo if q == INF else -sp.oo if q == -INF else sp.Rational(q.numerator, q.denominator)


def definition_statement(op: str, f, g, closed) -> str:
    """How a definition certificate states its claim (the checker holds it to this)."""
    return f"{sp.sstr(f)} {'*' if op == 'conv' else '⋆'} {sp.sstr(g)} = {sp.sstr(closed)}"


def check_definition(cert: dict) -> list[str]:
    """(f op g)(x) = closed form for every x, computed region by region from the definition."""
    op = cert["operation"]
    need(op in ("conv", "xcorr"), "the operation is conv or xcorr")
    sigma = -1 if op == "conv" else 1
    need(isinstance(cert["functions"], dict) and set(cert["functions"]) == {"f", "g"}, "functions are {f, g}")
    dec = Decoder()
    x, y = sp.Symbol("x", real=True), sp.Dummy("y", real=True)
    exprs = [dec(cert["functions"]["f"]), dec(cert["functions"]["g"]), dec(cert["closed_form"])]
    need(cert["statement"] == definition_statement(op, *exprs), "the statement shown is not the claim")
    f, g = (_admissible(Dist.read(e, x), n) for e, n in zip(exprs, "fg"))
    closed = Dist.read(exprs[2], x)
    need(not closed.deltas, "the closed form of two functions is a function")
    # regions of x between the points where a break of g(x + σy) meets a break of f(y)
    edges = [-INF, *sorted({q - sigma * p for p in f.breaks for q in g.breaks}), INF]
    for left, right in zip(edges, edges[1:]):
        sample = _inside(left, right)
        s = _sym(sample)
        # the break points in y, as expressions in x, in their order near the sample
        ys = sorted({_sym(p) for p in f.breaks} | {sigma * (_sym(q) - x) for q in g.breaks},
                    key=lambda e: e.subs(x, s))
        bounds = [-sp.oo, *ys, sp.oo]
        total = sp.S.Zero
        for y0, y1 in zip(bounds, bounds[1:]):
            v0, v1 = (INF if v == sp.oo else -INF if v == -sp.oo else _rational(v.subs(x, s), "a break")
                      for v in (y0, y1))
            if v0 == v1:
                continue
            mid = _inside(v0, v1)
            integrand = f.piece(mid).subs(x, y) * g.piece(sample + sigma * mid).subs(x, x + sigma * y)
            if integrand != 0:
                total += _integral(integrand, y, y0, y1)
        need(is_zero(sp.expand(total - closed.piece(sample), power_exp=True)),
             f"on the region around x = {sample} the closed form is not the integral of the definition")
    return [f"the definition integrated exactly on {len(edges) - 1} region(s) equals the closed form"]
