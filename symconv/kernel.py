"""The trusted kernel of time-domain derivations (the LCF idea: only this module makes steps).

A derivation proves ``lhs = rhs`` as a chain of lines ``L0 = L1 = … = Ln``: L0 is the left
side evaluated at a point x (or the scalar itself), Ln must be the right side exactly.
Each step rewrites one subexpression ``old`` of the current line into ``new`` by a named
rule; the rule's identity holds for every value of the free variables (under its side
condition), so rewriting anywhere — also under an integral sign — is sound. Every rule
re-checks its instance with SymPy before it returns a longer :class:`Derivation`; a step
that does not check comes back as a :class:`Refusal` with the reason (a value, nothing
raised). :class:`Step` and :class:`Derivation` can be made only here: their constructor
demands a private token, and they cannot be subclassed or mutated.

Lines are SymPy expressions: ``f(y)`` (undefined functions) for an abstract function at
a point, ``DiracDelta(y - a)`` for δ(a), ``At(T, p)`` for a compound term at p,
``Integral`` (every bound variable its own ``Dummy``), ``Derivative(E, (x, k))``.
Equality checks compare up to renaming bound variables and ring arithmetic on integrands
(:func:`same`), never by ``simplify`` or ``integrate``.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

import sympy as sp
from sympy.core.function import AppliedUndef

from .terms import FUNCTION, At, Conv, Delta, Diff, Flip, Fn, Inner, Shift, Statement, Term, TermError
from .terms import Xcorr, kind_of

__all__ = ["Assumption", "Refusal", "Step", "Derivation", "KernelError", "at", "definition", "same",
           "canonical", "condition", "begin", "unfold", "fold", "substitute", "reverse_limits",
           "linearity", "fubini", "leibniz", "derivative_linearity", "chain_rule", "sift", "rearrange"]

_TOKEN = object()
_OO = sp.oo
_RESERVED = "⟨"  # canonical bound-variable names start with it; the parser cannot make one


class KernelError(TypeError):
    """Something other than a kernel rule tried to make a step or a derivation."""


@dataclass(frozen=True)
class Refusal:
    """A step the kernel did not admit, and why."""

    rule: str
    reason: str


@dataclass(frozen=True)
class Assumption:
    """A side condition a step rests on: ``rule`` and the subject it is about (data)."""

    rule: str
    subject: tuple


class _Sealed:
    __slots__ = ()

    def __init_subclass__(cls, **kw):
        if cls.__module__ != __name__:
            raise KernelError("kernel types cannot be subclassed")

    def __setattr__(self, name, value):
        raise AttributeError("kernel objects are immutable")

    def _set(self, token, **values):
        if token is not _TOKEN:
            raise KernelError("only the kernel's rules make steps and derivations")
        for k, v in values.items():
            object.__setattr__(self, k, v)


class Step(_Sealed):
    """One checked line: ``line`` came from the previous one by ``rule`` on ``old`` → ``new``."""

    __slots__ = ("line", "rule", "old", "new", "info", "assumption")

    def __init__(self, token, line, rule, old, new, info, assumption):
        self._set(token, line=line, rule=rule, old=old, new=new,
                  info=MappingProxyType(dict(info)), assumption=assumption)


class Derivation(_Sealed):
    """A checked chain of lines from ``start`` towards ``target``."""

    __slots__ = ("statement", "point", "target", "steps")

    def __init__(self, token, statement, point, target, steps):
        self._set(token, statement=statement, point=point, target=target, steps=tuple(steps))

    @property
    def line(self):
        return self.steps[-1].line

    @property
    def complete(self) -> bool:
        """The last line is the right side, exactly (as a term)."""
        return self.line == self.target

    @property
    def assumptions(self) -> tuple:
        out = []
        for s in self.steps:
            if s.assumption is not None and s.assumption not in out:
                out.append(s.assumption)
        return tuple(out)


# ----------------------------------------------------------------------------- lines


def at(term, p):
    """The value of a function-valued term at the point p, as a line."""
    if isinstance(term, Fn):
        return sp.Function(term.name)(p)
    if isinstance(term, Delta):
        return sp.DiracDelta(p - term.point)
    if isinstance(term, Term):
        return At(term, p)
    if isinstance(term, sp.Add):
        return sp.Add(*[at(a, p) for a in term.args])
    if isinstance(term, sp.Mul):
        return sp.Mul(*[at(a, p) if kind_of(a) == FUNCTION else a for a in term.args])
    raise TermError(f"not a function-valued term: {term}")


def _embed(side, point):
    if point is not None:
        return at(side, point)
    if isinstance(side, At):
        return at(side.arg, side.point)
    if isinstance(side, (sp.Add, sp.Mul)):
        return side.func(*[_embed(a, None) for a in side.args])
    return side


def _full(v):
    return (v, -_OO, _OO)


def definition(old):
    """The one-level definition of ``At(T, p)`` or ``Inner(A, B)`` (fresh bound variables)."""
    if isinstance(old, Inner):
        t = sp.Dummy("t", real=True)
        return sp.Integral(at(old.args[0], t) * at(old.args[1], t), _full(t))
    if not isinstance(old, At):
        return None
    term, p = old.arg, old.point
    if isinstance(term, (Conv, Xcorr)):
        y = sp.Dummy("y", real=True)
        second = p - y if isinstance(term, Conv) else p + y
        return sp.Integral(at(term.left, y) * at(term.right, second), _full(y))
    if isinstance(term, Flip):
        return at(term.arg, -p)
    if isinstance(term, Shift):
        return at(term.arg, p - term.amount)
    if isinstance(term, Diff) and isinstance(p, sp.Symbol):
        return sp.Derivative(at(term.arg, p), (p, term.order))
    return None


# ----------------------------------------------------------------------------- equality


def _levels(e, depth):
    """Bound variables replaced by their binding depth (a name-free shape, for ordering)."""
    if isinstance(e, sp.Integral):
        rep = {lim[0]: sp.Symbol(f"{_RESERVED}L{depth + i}", real=True) for i, lim in enumerate(e.limits)}
        return sp.Integral(_levels(e.function.xreplace(rep), depth + len(rep)),
                           *[tuple(x.xreplace(rep) for x in lim) for lim in e.limits])
    if not e.args:
        return e
    return e.func(*[_levels(a, depth) for a in e.args])


def canonical(e, names=None):
    """``e`` with its bound variables renamed to canonical symbols, in an order that does
    not depend on their names; ``names`` (a dict) receives canonical symbol → old variable."""
    counter = [0]

    def walk(e):
        if isinstance(e, sp.Integral):
            rep = {}
            for lim in e.limits:
                rep[lim[0]] = sp.Symbol(f"{_RESERVED}{counter[0]}", real=True)
                counter[0] += 1
            if names is not None:
                names.update({c: v for v, c in rep.items()})
            return sp.Integral(walk(e.function.xreplace(rep)),
                               *[tuple(walk(x.xreplace(rep)) for x in lim) for lim in e.limits])
        if not e.args or isinstance(e, sp.Symbol):
            return e
        args = e.args
        if isinstance(e, (sp.Add, sp.Mul)) and sum(a.has(sp.Integral) for a in args) > 1:
            args = sorted(args, key=lambda a: sp.srepr(_levels(a, 0)) if a.has(sp.Integral) else "")
        return e.func(*[walk(a) for a in args])

    return walk(e)


def _expanded(e):
    """Ring arithmetic on everything except across integral and derivative signs."""
    if not e.args or isinstance(e, sp.Symbol):
        return e
    if isinstance(e, sp.Integral):
        return sp.Integral(_expanded(e.function), *e.limits)
    rebuilt = e.func(*[_expanded(a) for a in e.args])
    if isinstance(rebuilt, (sp.Add, sp.Mul, sp.Pow)):
        return sp.expand(rebuilt, deep=False, power_exp=False, power_base=False, log=False)
    return rebuilt


def same(a, b) -> bool:
    """``a`` and ``b`` are equal up to bound-variable names and ring arithmetic."""
    ca, cb = canonical(a), canonical(b)
    return ca == cb or _expanded(ca) == _expanded(cb)


# ----------------------------------------------------------------------------- steps


def begin(statement: Statement):
    """The derivation of ``statement`` that has only its first line (the left side)."""
    if not isinstance(statement, Statement) or statement.negated:
        return Refusal("begin", "a derivation proves an equality lhs = rhs")
    point = None
    if statement.kind == FUNCTION:
        used = {s.name for s in statement.parameters()}
        name = next(n for n in ("x", "t", "s", "ξ", "x0") if n not in used)
        point = sp.Symbol(name, real=True)
    start, target = _embed(statement.lhs, point), _embed(statement.rhs, point)
    step = Step(_TOKEN, start, "start", None, None, {}, None)
    return Derivation(_TOKEN, statement, point, target, (step,))


def _occurs(line, old) -> bool:
    return any(node == old for node in sp.preorder_traversal(line))


def _extend(d, rule, old, new, check, info=None, assumption=None):
    """Run ``check`` (None when the instance holds, else the reason) and extend ``d``."""
    if not isinstance(d, Derivation):
        return Refusal(rule, "not a derivation made by the kernel")
    if not isinstance(old, sp.Expr) or not isinstance(new, sp.Expr):
        return Refusal(rule, "old and new must be SymPy expressions")
    if not _occurs(d.line, old):
        return Refusal(rule, "the rewritten subexpression does not occur in the current line")
    if any(s.name.startswith(_RESERVED) for s in new.atoms(sp.Symbol)):
        return Refusal(rule, "reserved variable names in the new subexpression")
    reason = check()
    if reason:
        return Refusal(rule, reason)
    line = d.line.xreplace({old: new})
    step = Step(_TOKEN, line, rule, old, new, info or {}, assumption)
    return Derivation(_TOKEN, d.statement, d.point, d.target, d.steps + (step,))


def _require(assume, needed, rule):
    if assume != needed:
        return f"{rule} needs its side condition stated as an assumption: {needed}"
    return None


def _one(*reasons):
    return next((r for r in reasons if r), None)


def unfold(d, old, new):
    """Definition, left to right: (A*B)(p) = ∫ A(y) B(p−y) dy (1); (A⋆B)(p) = ∫ A(y) B(p+y) dy
    (9); A⁻(p) = A(−p); τ(A, b)(p) = A(p − b); (dᵏA/dxᵏ)(x) = dᵏ/dxᵏ A(x); ⟨A, B⟩ = ∫ A B."""
    want = definition(old)
    return _extend(d, "unfold", old, new, lambda: None if want is not None and same(new, want)
                   else "the new expression is not the definition of the old one",
                   {"term": old.arg if isinstance(old, At) else old})


def fold(d, old, new):
    """Definition, right to left: replace an expression by the operator it defines."""
    want = definition(new)
    return _extend(d, "fold", old, new, lambda: None if want is not None and same(old, want)
                   else "the old expression is not the definition of the new one",
                   {"term": new.arg if isinstance(new, At) else new})


def _affine(phi, z):
    """(slope, intercept) when phi = slope·z + intercept with a nonzero rational slope."""
    slope = sp.diff(phi, z)
    if not (slope.is_Rational and slope != 0):
        return None
    c = phi.xreplace({z: 0})
    return (slope, c) if sp.expand(phi - slope * z - c) == 0 else None


def _end(limit, slope, c):
    if limit in (_OO, -_OO):
        return limit if slope > 0 else -limit
    return (limit - c) / slope


def _binds_derivative(expr, v) -> bool:
    return any(v in {vc[0] for vc in n.variable_count} for n in expr.atoms(sp.Derivative))


def _bound(e):
    return [lim[0] for lim in e.limits]


def substitute(d, old, new, phi, z):
    """Change of variables y = φ(z), dy = φ′(z) dz, φ affine: ∫_a^b F(y) dy =
    ∫_{φ⁻¹(a)}^{φ⁻¹(b)} F(φ(z)) φ′(z) dz — when φ decreases the limits swap (±∞ ↦ ∓∞) and
    φ′ < 0 stays in the integrand (the notes' −dz). Either side may be ``old``."""
    def check():
        if not (isinstance(old, sp.Integral) and isinstance(new, sp.Integral)):
            return "a substitution rewrites one integral into another"
        src, dst = (new, old) if z in _bound(old) else (old, new)
        if z not in _bound(dst) or z in src.atoms(sp.Symbol):
            return "the new variable must be bound in one integral and absent from the other"
        j = _bound(dst).index(z)
        if len(src.limits) != len(dst.limits) or _bound(src)[:j] + _bound(src)[j + 1:] != \
                _bound(dst)[:j] + _bound(dst)[j + 1:]:
            return "exactly one variable must change"
        y, a, b = src.limits[j]
        aff = _affine(phi, z)
        if aff is None or phi.free_symbols & ({y} | set(_bound(src)[:j])):
            return f"y = {phi} must be affine in {z} with a nonzero rational slope and use no inner variable"
        if _binds_derivative(src.function, y):
            return "cannot substitute a variable that a derivative is taken in"
        slope, c = aff
        lims = [tuple(e.xreplace({y: phi}) for e in lim) for lim in src.limits[:j]]
        lims += [(z, _end(a, slope, c), _end(b, slope, c))] + list(src.limits[j + 1:])
        if dst.limits[j][1:] != lims[j][1:]:
            return (f"limits: y = {phi} maps ({a}, {b}) to {lims[j][1:]}, the step has "
                    f"{dst.limits[j][1:]}" + (" (φ decreases, so the limits swap)" if slope < 0 else ""))
        want = sp.Integral(src.function.xreplace({y: phi}) * slope, *lims)
        if not same(dst, want):
            return f"the integrand must be F(φ(z))·φ′(z), with dy = {slope}·dz"
        return None
    return _extend(d, "substitute", old, new, check, {"phi": phi, "new_var": z, "dphi": sp.diff(phi, z)})


def reverse_limits(d, old, new):
    """Orientation: ∫_a^b F dv = ∫_b^a (−F) dv (for the level of ``var`` in a multiple integral)."""
    def check():
        if not (isinstance(old, sp.Integral) and isinstance(new, sp.Integral)) or len(old.limits) != len(new.limits):
            return "reversing limits rewrites an integral into an integral"
        flips = [i for i, (p, q) in enumerate(zip(old.limits, new.limits)) if p[1:] != q[1:]]
        if len(flips) != 1 or old.limits[flips[0]][1:] != new.limits[flips[0]][:0:-1]:
            return "exactly one pair of limits must be swapped"
        i = flips[0]
        lims = list(old.limits)
        lims[i] = (lims[i][0], lims[i][2], lims[i][1])
        return None if same(new, sp.Integral(-old.function, *lims)) else "swapping limits negates the integrand"
    return _extend(d, "reverse_limits", old, new, check)


def _combination(e):
    """``e`` as [(coefficient, integral)], coefficients outside every integral, or None."""
    out = []
    for term in sp.Add.make_args(e) if e != 0 else ():
        ints = [f for f in sp.Mul.make_args(term) if isinstance(f, sp.Integral)]
        if len(ints) != 1:
            return None
        coef = sp.Mul(*[f for f in sp.Mul.make_args(term) if f is not ints[0]])
        if coef.free_symbols & {lim[0] for lim in ints[0].limits}:
            return None
        out.append((coef, ints[0]))
    return out


def _linear(a, b):
    """None when a = b by linearity of integrals (terms free of integrals must agree)."""
    ta, tb = list(sp.Add.make_args(a)), list(sp.Add.make_args(b))
    for t in [t for t in ta if not t.has(sp.Integral)]:
        if t in tb:
            ta.remove(t)
            tb.remove(t)
    sides = [_combination(sp.Add(*ta)), _combination(sp.Add(*tb))]
    if None in sides or not sides[0] or not sides[1]:
        return "both sides must be sums of constant multiples of integrals"
    n = len(sides[0][0][1].limits)
    fresh = [sp.Dummy(f"v{i}", real=True) for i in range(n)]
    bounds, totals = set(), []
    for side in sides:
        total = 0
        for coef, integral in side:
            if len(integral.limits) != n:
                return "the integrals must have the same number of variables"
            rep = dict(zip(_bound(integral), fresh))
            bounds.add(tuple(tuple(x.xreplace(rep) for x in lim[1:]) for lim in integral.limits))
            total += coef * integral.function.xreplace(rep)
        totals.append(total)
    if len(bounds) != 1:
        return "the integrals must have the same limits"
    return None if same(totals[0], totals[1]) else "the combined integrands differ"


def _peel(integral, v):
    """The integrand of the outermost level of ``integral``, its variable renamed to v."""
    body = sp.Integral(integral.function, *integral.limits[:-1]) if len(integral.limits) > 1 else integral.function
    return body.xreplace({integral.limits[-1][0]: v})


def linearity(d, old, new):
    """Linearity of the (iterated) integral: Σ cᵢ ∫ Fᵢ = ∫ Σ cᵢ Fᵢ, cᵢ free of the bound
    variables, all integrals over the same limits — at any level of an iterated integral
    (∫ c·(∫ F dz) dy = ∫∫ c·F dz dy). Side condition: each integral exists."""
    def check(a=old, b=new):
        reason = _linear(a, b)
        if reason and isinstance(a, sp.Integral) and isinstance(b, sp.Integral) \
                and a.limits[-1][1:] == b.limits[-1][1:]:
            v = sp.Dummy("v", real=True)
            return check(_peel(a, v), _peel(b, v)) and reason
        return reason
    return _extend(d, "linearity", old, new, check)


def condition(rule, old, new):
    """The side condition ``rule`` needs to rewrite ``old`` into ``new`` (or ``new`` into ``old``)."""
    if rule == "fubini":
        return Assumption("fubini", (old.function, tuple(lim[0] for lim in old.limits)))
    if rule == "leibniz":
        deriv = old if isinstance(old, sp.Derivative) else new
        return Assumption("leibniz", (deriv.expr, deriv.variable_count))
    if rule == "sift":
        integral = old if isinstance(old, sp.Integral) else new
        parts = _sift_parts(integral)
        return Assumption("sift", parts[:3]) if parts else None
    return None


def fubini(d, old, new, level, assume=None):
    """Fubini: swap the order of two adjacent levels ``level``, ``level + 1`` (inner first) of
    an iterated integral. Side condition: the integrand is absolutely integrable over them."""
    def check():
        if not isinstance(old, sp.Integral) or not 0 <= level < len(old.limits) - 1:
            return "Fubini swaps two adjacent variables of an iterated integral"
        if old.function.has(sp.DiracDelta):
            return "δ is not a function: sift it before swapping integrals"
        inner, outer = old.limits[level], old.limits[level + 1]
        if any(inner[0] in e.free_symbols for e in outer[1:]) or any(outer[0] in e.free_symbols for e in inner[1:]):
            return "the limits of one variable depend on the other"
        lims = list(old.limits)
        lims[level], lims[level + 1] = outer, inner
        return _one(_require(assume, condition("fubini", old, new), "Fubini"),
                    None if same(new, sp.Integral(old.function, *lims)) else "the order is not swapped")
    return _extend(d, "fubini", old, new, check, {"level": level}, assume)


def leibniz(d, old, new, assume=None):
    """Differentiation under the integral sign: dᵏ/dxᵏ ∫ F dy = ∫ ∂ᵏF/∂xᵏ dy (either
    direction). Side condition (for F = A(y)·B(x − y): B is Cᵏ with compact support and A
    locally integrable, Mathlib's HasCompactSupport.hasFDerivAt_convolution_right)."""
    def check():
        deriv, other = (old, new) if isinstance(old, sp.Derivative) else (new, old)
        if not isinstance(deriv, sp.Derivative) or not isinstance(deriv.expr, sp.Integral):
            return "the derivative of an integral is needed on one side"
        integral, vc = deriv.expr, deriv.variable_count
        if len(vc) != 1 or any(vc[0][0] in e.free_symbols for lim in integral.limits for e in lim):
            return "the limits must not depend on the variable of differentiation"
        if integral.function.has(sp.DiracDelta):
            return "δ is not a function: differentiate it as a distribution"
        want = sp.Integral(sp.Derivative(integral.function, *vc), *integral.limits)
        return _one(_require(assume, condition("leibniz", old, new), "differentiation under ∫"),
                    None if same(other, want) else "the derivative must move inside the integral")
    return _extend(d, "leibniz", old, new, check, {}, assume)


def _derivative_terms(e, vc):
    out = []
    for term in sp.Add.make_args(e):
        ds = [f for f in sp.Mul.make_args(term) if isinstance(f, sp.Derivative) and f.variable_count == vc]
        coef = sp.Mul(*[f for f in sp.Mul.make_args(term) if not ds or f is not ds[0]])
        if len(ds) != 1 or vc[0][0] in coef.free_symbols:
            return None
        out.append(coef * ds[0].expr)
    return sp.Add(*out)


def derivative_linearity(d, old, new):
    """Linearity of the derivative: dᵏ/dxᵏ Σ cᵢ Gᵢ = Σ cᵢ dᵏGᵢ/dxᵏ, cᵢ free of x."""
    def check():
        deriv, other = (old, new) if isinstance(old, sp.Derivative) else (new, old)
        if not isinstance(deriv, sp.Derivative) or len(deriv.variable_count) != 1:
            return "one side must be the derivative of an expression"
        total = _derivative_terms(other, deriv.variable_count)
        if total is None:
            return "the other side must be a combination of derivatives with factors free of x"
        return None if same(total, deriv.expr) else "the terms do not add up"
    return _extend(d, "derivative_linearity", old, new, check)


def _application(e):
    """(term, argument) for f(u) or At(T, u); else None."""
    if isinstance(e, AppliedUndef) and len(e.args) == 1:
        return Fn(e.func.__name__), e.args[0]
    if isinstance(e, At):
        return e.arg, e.point
    return None


def chain_rule(d, old, new):
    """Chain rule for an affine argument: dᵏ/dxᵏ A(cx + e) = cᵏ (dᵏA/dxᵏ)(cx + e), c ≠ 0."""
    def check():
        deriv, other = (old, new) if isinstance(old, sp.Derivative) else (new, old)
        app = _application(deriv.expr) if isinstance(deriv, sp.Derivative) else None
        if app is None or len(deriv.variable_count) != 1:
            return "one side must be the derivative of a function at a point"
        (x, k), (term, u) = deriv.variable_count[0], app
        if not isinstance(x, sp.Symbol) or _affine(u, x) is None:
            return "the argument must be affine in the variable of differentiation"
        try:
            want = _affine(u, x)[0] ** k * at(Diff(term, k), u)
        except TermError as exc:
            return str(exc)
        return None if same(other, want) else "the other side must be cᵏ·(dᵏA/dxᵏ)(cx + e)"
    return _extend(d, "chain_rule", old, new, check)


def _sift_parts(integral):
    """(H, y, y0, |c|) for ∫ H(y) δ(c·y + e) dy over the innermost variable, or None."""
    if not isinstance(integral, sp.Integral):
        return None
    y, lo, hi = integral.limits[0]
    deltas = [f for f in sp.Mul.make_args(integral.function) if isinstance(f, sp.DiracDelta)]
    if (lo, hi) != (-_OO, _OO) or len(deltas) != 1 or len(deltas[0].args) != 1:
        return None
    h = sp.Mul(*[f for f in sp.Mul.make_args(integral.function) if f is not deltas[0]])
    aff = _affine(deltas[0].args[0], y)
    if aff is None or h.has(sp.DiracDelta) or any(_mentions_delta(a.arg) for a in h.atoms(At)):
        return None
    return h, y, -aff[1] / aff[0], abs(aff[0])


def _mentions_delta(term):
    return any(isinstance(a, Delta) for a in sp.preorder_traversal(term))


def sift(d, old, new, assume=None):
    """Sifting: ∫ H(y) δ(c·y + e) dy = H(y0)/|c| with c·y0 + e = 0, over the innermost
    variable of an integral over ℝ. Side condition: H is continuous at y0."""
    def check():
        integral, other = (old, new) if isinstance(old, sp.Integral) else (new, old)
        parts = _sift_parts(integral)
        if parts is None:
            return "one side must be ∫ H(y) δ(c·y + e) dy over ℝ, H free of δ"
        h, y, y0, c = parts
        if _binds_derivative(h, y):
            return "H must not differentiate in the variable of integration"
        value = h.xreplace({y: y0}) / c
        want = sp.Integral(value, *integral.limits[1:]) if len(integral.limits) > 1 else value
        return _one(_require(assume, condition("sift", old, new), "sifting"),
                    None if same(other, want) else "the other side must be H at the zero of δ's argument")
    return _extend(d, "sift", old, new, check, {}, assume)


def rearrange(d, new_line):
    """Rename integration variables and rearrange terms (ring arithmetic), the whole line."""
    return _extend(d, "rearrange", d.line, new_line,
                   lambda: None if same(d.line, new_line) else "the lines are not equal as expressions")
