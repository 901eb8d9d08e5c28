"""The trusted kernel of time-domain derivations (LCF style: only this module makes steps).

A derivation proves ``lhs = rhs`` as lines L0 = L1 = … = Ln: L0 is the left side at a point
x (or the scalar itself), Ln must be the right side exactly. A step rewrites a subexpression
``old`` of the line into ``new`` by a named rule whose identity holds for all values of the
free variables (under its side condition), so rewriting anywhere, even under ∫, is sound.
Each rule re-checks its instance with SymPy and returns a longer :class:`Derivation` or a
:class:`Refusal` with the reason (a value). :class:`Step` and :class:`Derivation` demand a
private token, are immutable and cannot be subclassed elsewhere. Rules whose side condition
restricts the functions (Fubini, differentiation under ∫, sifting, the product rule,
integration by parts, Fourier inversion) demand it stated as the :class:`Assumption` that
:func:`condition` names.

Lines are SymPy expressions: ``f(y)``, ``DiracDelta(y - a)`` for δ(a) at y, ``At(T, p)`` for
a compound term at p, ``Integral`` (each bound variable a ``Dummy``; ``limits[0]`` is the
innermost), ``Derivative(E, (x, k))``. Equality is checked up to bound-variable names and
ring arithmetic and the law of exponents (:func:`same`), never with ``simplify`` or
``integrate``. A number the statement declares nonzero (a dilation factor) may be a slope.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from types import MappingProxyType

import sympy as sp
from sympy.core.function import AppliedUndef

from symconv.language.groups import R
from symconv.language.terms import (
    FUNCTION,
    NONZERO,
    SCALAR,
    At,
    Delta,
    Diff,
    Fn,
    Operation,
    Statement,
    TermError,
    kind_of,
)

__all__ = ["Assumption", "Refusal", "Step", "Derivation", "KernelError", "begin", "condition"]
__all__ += ["at", "definition", "canonical", "same", "unfold", "fold", "substitute"]
__all__ += ["reverse_limits", "linearity", "fubini", "leibniz", "chain_rule", "sift", "rearrange"]
__all__ += ["differentiate", "product_rule", "by_parts", "conjugate", "inversion", "inverted"]

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
    """A side condition a step rests on: the rule and what it is about (data)."""

    rule: str
    subject: tuple


class _Sealed:
    """Made only with the kernel's private token; immutable; no subclasses elsewhere."""

    __slots__ = ()

    def __init__(self, token, **values):
        if token is not _TOKEN or set(values) != set(self.__slots__):
            raise KernelError("only the kernel's rules make steps and derivations")
        for k, v in values.items():
            object.__setattr__(self, k, v)

    def __init_subclass__(cls, **kw):
        if cls.__module__ != __name__:
            raise KernelError("kernel types cannot be subclassed")

    def __setattr__(self, name, value):
        raise AttributeError("kernel objects are immutable")


class Step(_Sealed):
    """One checked line: it came from the previous line by ``rule`` rewriting ``old`` → ``new``;
    ``info`` holds the rule's parameters, ``assumption`` its stated side condition."""

    __slots__ = ("line", "rule", "old", "new", "info", "assumption")


class Derivation(_Sealed):
    """A checked chain of lines from the left side of ``statement`` towards ``target``."""

    __slots__ = ("statement", "point", "target", "steps")

    @property
    def line(self):
        return self.steps[-1].line

    @property
    def complete(self) -> bool:
        """The last line is the right side, exactly (as a term)."""
        return self.line == self.target


# ----------------------------------------------------------------------------- lines


def at(term, p):
    """The value of a function-valued term at the point p, as a line: f(p) and δ(p − a) for
    the leaves (their declared definitions), ``At(T, p)`` for a compound term."""
    if isinstance(term, Operation) and term.result == FUNCTION:
        if term.is_leaf_function:
            return type(term).definition(None, p, None, *term.args)
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


def definition(old):
    """One level of the definition of ``At(T, p)`` (T's declared definition at p) or of a
    scalar operator such as ``Inner(A, B)``, else None: (A*B)(p) = ∫ A(y) B(p−y) dy (1),
    (A⋆B)(p) = ∫ A(y) B(p+y) dy (9), A⁻(p) = A(−p), τ(A, b)(p) = A(p − b),
    (dᵏA/dxᵏ)(x) = dᵏ/dxᵏ A(x) at a variable x the term does not contain,
    ⟨A, B⟩ = ∫ A(t) B(t) dt. Each bound variable is a new ``Dummy``."""

    def fresh():
        return sp.Dummy("y", real=True)

    if not isinstance(old, Operation) or old.result != SCALAR:
        return None
    try:
        if isinstance(old, At):
            term, p = old.arg, old.point
            if not isinstance(term, Operation) or term.is_leaf_function:
                return None
            value = type(term).definition(at, p, fresh, *term.args)
        else:
            value = type(old).definition(at, None, fresh, *old.args)
    except TermError:  # e.g. a derivative at a point that is not a variable: no line for it
        return None
    return None if value.has(sp.Subs) else value


# ----------------------------------------------------------------------------- equality


def _bound(integral):
    return [lim[0] for lim in integral.limits]


def _bound_inside(e):
    return {v for i in e.atoms(sp.Integral) for v in _bound(i)}


def canonical(e, names=None):
    """``e`` with bound variables renamed to canonical symbols by their depth of nesting,
    independently of their names (so ∫F(y)dy · ∫F(z)dz is (∫F(⟨0)d⟨0)²); ``names`` (a dict),
    when given, receives canonical symbol → the old variables it renames, in an order
    independent of their names."""
    return _canonical(e) if names is None else _renamed(e, names)


@functools.lru_cache(maxsize=4096)
def _canonical(e):
    return _renamed(e, None)


@functools.lru_cache(maxsize=4096)
def _order_key(e):
    """An order of the factors or terms of ``e`` that does not depend on bound names."""
    return sp.srepr(_canonical(e))


def _renamed(e, names):
    def walk(e, depth):
        if isinstance(e, sp.Integral):
            rep = {
                v: sp.Symbol(f"{_RESERVED}{depth + i}", real=True)
                for i, v in enumerate(_bound(e))
            }
            if names is not None:
                for v, c in rep.items():
                    names.setdefault(c, []).append(v)
            inner = depth + len(rep)
            return sp.Integral(
                walk(e.function.xreplace(rep), inner),
                *[tuple(walk(x.xreplace(rep), inner) for x in lim) for lim in e.limits],
            )
        if not e.args or e.is_Symbol:
            return e
        args = e.args
        if isinstance(e, (sp.Add, sp.Mul)) and sum(a.has(sp.Integral) for a in args) > 1:
            args = sorted(args, key=lambda a: _order_key(a) if a.has(sp.Integral) else "")
        return e.func(*[walk(a, depth) for a in args])

    return walk(e, 0)


def _expanded(e):
    """Ring arithmetic everywhere except across integral signs, and the law of exponents
    e^a·e^b = e^{a+b} (Mathlib's Complex.exp_add): the exponentials of each product are
    merged into one, whose exponent is expanded too."""
    if not e.args or e.is_Symbol:
        return e
    if isinstance(e, sp.Integral):
        return sp.Integral(_expanded(e.function), *e.limits)
    rebuilt = e.func(*[_expanded(a) for a in e.args])
    if isinstance(rebuilt, (sp.Add, sp.Mul, sp.Pow)):
        rebuilt = sp.expand(rebuilt, deep=False, power_exp=False, power_base=False, log=False)
    return _merge_exponentials(rebuilt)


def _exponent(factor):
    """The exponent of e^a or (e^a)^n (n an integer), else None."""
    if isinstance(factor, sp.exp):
        return factor.args[0]
    if isinstance(factor, sp.Pow) and isinstance(factor.base, sp.exp) and factor.exp.is_Integer:
        return factor.base.args[0] * factor.exp
    return None


def _merge_exponentials(e):
    if isinstance(e, sp.Add):
        return sp.Add(*[_merge_exponentials(t) for t in e.args])
    factors = sp.Mul.make_args(e)
    exponents = [_exponent(f) for f in factors]
    if isinstance(e, sp.exp) or all(a is None for a in exponents):
        return e  # one e^a, whose exponent is expanded already, or no exponential
    rest = [f for f, a in zip(factors, exponents) if a is None]
    total = sp.expand(sp.Add(*[a for a in exponents if a is not None]), power_exp=False, log=False)
    return sp.Mul(*rest, sp.exp(total))


def same(a, b) -> bool:
    """``a`` and ``b`` are equal up to the names of bound variables, ring arithmetic and the
    law of exponents."""
    ca, cb = canonical(a), canonical(b)
    return ca == cb or _expanded(ca) == _expanded(cb)


# ----------------------------------------------------------------------------- steps


def begin(statement: Statement):
    """The derivation of ``statement`` (an equality) that has only its first line."""
    if not isinstance(statement, Statement) or statement.negated:
        return Refusal("begin", "a derivation proves an equality lhs = rhs")
    if statement.group != R:  # the definitions here are integrals over ℝ
        return Refusal("begin", f"derivations are written for ℝ, not {statement.group}")
    if any(s.name.startswith(_RESERVED) for s in statement.parameters()):
        return Refusal("begin", "a parameter uses a name reserved for bound variables")
    point = None
    if statement.kind == FUNCTION:
        used = {s.name for s in statement.parameters()}
        point = sp.Symbol(next(n for n in ("x", "t", "s", "ξ", "x0") if n not in used), real=True)
    start, target = _embed(statement.lhs, point), _embed(statement.rhs, point)
    first = _step(start, "start", None, None, {}, None)
    return Derivation(_TOKEN, statement=statement, point=point, target=target, steps=(first,))


def _step(line, rule, old, new, info, assumption):
    info = MappingProxyType(dict(info))
    return Step(_TOKEN, line=line, rule=rule, old=old, new=new, info=info, assumption=assumption)


def _extend(d, rule, old, new, check, info=None, assumption=None):
    """Extend ``d`` by rewriting ``old`` into ``new`` when ``check()`` finds no reason against."""
    if not isinstance(d, Derivation):
        return Refusal(rule, "not a derivation made by the kernel")
    if not isinstance(old, sp.Expr) or not isinstance(new, sp.Expr):
        return Refusal(rule, "old and new must be SymPy expressions")
    if not any(node == old for node in sp.preorder_traversal(d.line)):
        return Refusal(rule, "the rewritten subexpression does not occur in the current line")
    if any(s.name.startswith(_RESERVED) for s in new.atoms(sp.Symbol)):
        return Refusal(rule, "reserved variable names in the new subexpression")
    try:
        reason = check()
        line = None if reason else d.line.xreplace({old: new})
    except (TypeError, ValueError) as exc:  # SymPy refusing to build a malformed expression
        reason = f"the step does not make a well-formed expression: {exc}"
    if reason:
        return Refusal(rule, reason)
    step = _step(line, rule, old, new, info or {}, assumption)
    steps = d.steps + (step,)
    return Derivation(_TOKEN, statement=d.statement, point=d.point, target=d.target, steps=steps)


def _oriented(old, new, pattern):
    """(the side that matches ``pattern``, the other side): rules apply in both directions."""
    return (old, new) if pattern(old) else (new, old)


def _instances(old, new, pattern):
    """The readings of a step as P ↦ R in a context: (P, wrap, other) where one side is
    wrap(P) — P itself, or P a factor of a product or a term of a sum — and P matches
    ``pattern``; the other side must then be wrap(R). SymPy merges a result with the factors
    or terms around it (−iz·e^{−izx} into f(z)·…), so a step may have to carry its context.
    Rules apply in both directions."""
    for side, other in ((old, new), (new, old)):
        if pattern(side):
            yield side, (lambda v: v), other
        if isinstance(side, (sp.Mul, sp.Add)):
            for a in side.args:
                if pattern(a):
                    rest = [b for b in side.args if b is not a]
                    yield a, (lambda v, op=side.func, rest=rest: op(*rest, v)), other


def _match(old, new, pattern, attempt, shape="no side has the form the rule rewrites"):
    """``attempt(P, wrap, other)`` on each reading (:func:`_instances`): its first success
    (the subject of the side condition, a tuple, or True), else the first reason given, else
    ``shape`` (what the rule rewrites) when no side has a part matching ``pattern``."""
    reason = None
    for p, wrap, other in _instances(old, new, pattern):
        out = attempt(p, wrap, other)
        if not isinstance(out, str):
            return out
        reason = reason or out
    return reason or shape


def _is_derivative(e):
    return isinstance(e, sp.Derivative)


def _is_siftable(e):
    return _sift_parts(e) is not None


def _unstated(assume, needed, name):
    if assume != needed:
        return f"{name} needs its side condition stated as an assumption: {needed}"
    return None


def _definition(d, rule, old, new, term_side, other):
    info = {}

    def check():
        for node in sp.preorder_traversal(term_side):
            if not isinstance(node, Operation) or node.result != SCALAR or other.has(node):
                continue
            want = definition(node)
            if want is not None and same(other, term_side.xreplace({node: want})):
                info["term"] = getattr(node, "arg", node)
                return None
        return f"the {'new' if rule == 'unfold' else 'old'} side is not the definition"

    return _extend(d, rule, old, new, check, info)


def unfold(d, old, new):
    """Replace ``At(T, p)`` (or ``Inner``) by one level of its :func:`definition` — also
    inside a context C: ``old`` = C[At(T, p)], ``new`` = C[definition] up to :func:`same`
    (SymPy merges a transform's constant with the factors around it)."""
    return _definition(d, "unfold", old, new, old, new)


def fold(d, old, new):
    """The definition read backwards: replace an expression by the operator it defines
    (in a context, as for :func:`unfold`)."""
    return _definition(d, "fold", old, new, new, old)


def _affine(phi, z, nonzero=None):
    """(slope, intercept) when phi = slope·z + intercept, the slope a nonzero rational — or,
    given the statement's ``nonzero`` numbers, a monomial in them (:func:`_is_nonzero`)."""
    slope = sp.diff(phi, z)
    ok = slope.is_Rational and slope != 0
    if not ok and nonzero is not None:
        ok = z not in slope.free_symbols and _is_nonzero(slope, nonzero)
    if not ok:
        return None
    c = phi.xreplace({z: 0})
    return (slope, c) if sp.expand(phi - slope * z - c) == 0 else None


def _declared_nonzero(statement) -> frozenset:
    """The numbers the statement's terms declare nonzero (the factors of dilations)."""
    return frozenset(
        arg
        for side in (statement.lhs, statement.rhs)
        for node in sp.preorder_traversal(side)
        if isinstance(node, Operation)
        for arg, (sort, _) in zip(node.args, node.signature)
        if sort == NONZERO
    )


def _is_nonzero(c, nonzero) -> bool:
    """``c`` is a real number ≠ 0 whatever the parameters: a product of nonzero real
    constants and integer powers of the declared ``nonzero`` numbers."""
    for factor in sp.Mul.make_args(c):
        base, exp = factor.as_base_exp()
        constant = not factor.free_symbols and factor.is_extended_real and factor.is_nonzero
        if not (constant or base in nonzero and exp.is_Integer):
            return False
    return True


def _derives_in(expr, v) -> bool:
    return any(v in {vc[0] for vc in n.variable_count} for n in expr.atoms(sp.Derivative))


def _end(e, slope, c):
    if e in (_OO, -_OO):
        return e if slope > 0 else -e
    return (e - c) / slope


def substitute(d, old, new, phi, z):
    """Change of variables y = φ(z), dy = φ′(z) dz with φ affine: ∫_a^b F(y) dy =
    ∫_{φ⁻¹(a)}^{φ⁻¹(b)} F(φ(z)) φ′(z) dz, at any level of an iterated integral. When φ
    decreases the limits swap (±∞ ↦ ∓∞) and φ′ < 0 stays in the integrand (the notes' −dz).
    A slope φ′ that is no rational number must be nonzero by the statement's declarations
    (e.g. 1/a for a dilation factor a), and then only a level over ℝ is substituted:
    ∫ F(y) dy = ∫ F(φ(z)) |φ′| dz (Mathlib's MeasureTheory.Measure.integral_comp_mul_left).
    Either side may be ``old``; the side that binds ``z`` is the substituted one."""

    def check():
        if not (isinstance(old, sp.Integral) and isinstance(new, sp.Integral)):
            return "a substitution rewrites one integral into another"
        src, dst = (new, old) if z in _bound(old) else (old, new)
        if z not in _bound(dst) or z in src.atoms(sp.Symbol) or len(src.limits) != len(dst.limits):
            return "the new variable must be bound in one integral and absent from the other"
        j = _bound(dst).index(z)
        y, a, b = src.limits[j]
        if [v for v in _bound(src) if v != y] != [v for v in _bound(dst) if v != z]:
            return "exactly one variable may change"
        aff, dy = _affine(phi, z), None
        if aff is None and (a, b) == (-_OO, _OO):
            aff = _affine(phi, z, _declared_nonzero(d.statement))
            dy = None if aff is None else sp.Abs(aff[0])
        if aff is None or phi.free_symbols & (_bound_inside(src) - set(_bound(src)[j + 1 :])):
            return (
                f"y = {phi} must be affine in {z} (a rational slope ≠ 0, or over ℝ one that the "
                "statement declares nonzero), with outer variables only"
            )
        if _derives_in(src.function, y) or y in _bound_inside(src.function):
            return "cannot substitute a variable that is differentiated in or bound again inside"
        ends = (a, b) if dy is not None else (_end(a, *aff), _end(b, *aff))
        if tuple(dst.limits[j][1:]) != ends:
            swap = " (φ decreases, so the limits swap)" if dy is None and aff[0] < 0 else ""
            return f"limits: y = {phi} maps ({a}, {b}) to {ends}, not {dst.limits[j][1:]}{swap}"
        dy = aff[0] if dy is None else dy
        lims = [tuple(e.xreplace({y: phi}) for e in lim) for lim in src.limits[:j]]
        want = sp.Integral(
            src.function.xreplace({y: phi}) * dy, *lims, (z, *ends), *src.limits[j + 1 :]
        )
        ok = same(dst, want)
        return None if ok else f"the integrand must be F(φ(z))·φ′(z), with dy = {dy}·dz"

    info = {"phi": phi, "new_var": z, "dphi": sp.diff(phi, z)}
    return _extend(d, "substitute", old, new, check, info)


def reverse_limits(d, old, new):
    """Orientation: ∫_a^b F dv = ∫_b^a (−F) dv, for one level of an iterated integral."""

    def check():
        both = isinstance(old, sp.Integral) and isinstance(new, sp.Integral)
        if not both or len(old.limits) != len(new.limits):
            return "reversing limits rewrites an integral into an integral"
        flips = [i for i, (p, q) in enumerate(zip(old.limits, new.limits)) if p[1:] != q[1:]]
        if len(flips) != 1 or old.limits[flips[0]][1:] != new.limits[flips[0]][:0:-1]:
            return "exactly one pair of limits must be swapped"
        lims = list(old.limits)
        v, a, b = lims[flips[0]]
        lims[flips[0]] = (v, b, a)
        ok = same(new, sp.Integral(-old.function, *lims))
        return None if ok else "swapping the limits negates the integrand"

    return _extend(d, "reverse_limits", old, new, check)


def _binders(op):
    """The variables a linear operator (∫ or dᵏ/dxᵏ) acts in, and its shape without them."""
    if isinstance(op, sp.Integral):
        v = [sp.Symbol(f"{_RESERVED}v{i}", real=True) for i in range(len(op.limits))]
        rep = dict(zip(_bound(op), v))
        return rep, (sp.Integral, sp.Tuple(*[sp.Tuple(*lim).xreplace(rep) for lim in op.limits]))
    return {vc[0]: vc[0] for vc in op.variable_count}, (sp.Derivative, op.variable_count)


def _combination(e, shape=None):
    """``e`` as Σ cᵢ·Op(Fᵢ) for one linear operator Op (of the given shape, if any) with the cᵢ
    free of its variables: (the operator's shape, Σ cᵢ·Fᵢ), or None."""
    shapes, total = set(), 0
    for term in sp.Add.make_args(e) if e != 0 else ():
        factors = sp.Mul.make_args(term)
        ops = [f for f in factors if isinstance(f, (sp.Integral, sp.Derivative))]
        if shape is None and len(ops) != 1:
            return None
        for op in ops:
            rep, op_shape = _binders(op)
            coef = sp.Mul(*[f for f in factors if f is not op])
            if shape in (None, op_shape) and not coef.free_symbols & set(rep):
                break
        else:
            return None
        shapes.add(op_shape)
        total += coef * op.args[0].xreplace(rep)
    return (shapes.pop(), total) if len(shapes) == 1 else None


def _linear(a, b):
    ta, tb = list(sp.Add.make_args(a)), list(sp.Add.make_args(b))
    for t in [t for t in ta if not t.has(sp.Integral, sp.Derivative) and t in tb]:
        ta.remove(t)
        tb.remove(t)
    a, b = sp.Add(*ta), sp.Add(*tb)
    if not (a.is_Add or b.is_Add):  # a common factor X of X·A = X·B stays as it is
        fa, fb = list(sp.Mul.make_args(a)), list(sp.Mul.make_args(b))
        for f in [f for f in fa if f in fb]:
            fa.remove(f)
            fb.remove(f)
        a, b = sp.Mul(*fa), sp.Mul(*fb)
    sa, sb = _combination(a), _combination(b)
    sa, sb = sa or (sb and _combination(a, sb[0])), sb or (sa and _combination(b, sa[0]))
    if not (sa and sb) or sa[0] != sb[0]:
        return "both sides must be sums of multiples of one operator, factors free of its variables"
    return None if same(sa[1], sb[1]) else "the combined integrands differ"


def _peel(integral, v):
    """The integrand of the outermost level, its variable renamed to v."""
    inner = integral.limits[:-1]
    body = sp.Integral(integral.function, *inner) if inner else integral.function
    return body.xreplace({integral.limits[-1][0]: v})


def linearity(d, old, new):
    """Linearity of ∫ and of dᵏ/dxᵏ: Σ cᵢ ∫ Fᵢ = ∫ Σ cᵢ Fᵢ (the cᵢ free of the bound variables,
    the same limits), also inside one level, ∫ c·(∫ F dz) dy = ∫∫ c·F dz dy; likewise
    Σ cᵢ dᵏFᵢ/dxᵏ = dᵏ(Σ cᵢ Fᵢ)/dxᵏ, the cᵢ free of x. Needs: the integrals exist."""

    def check(a=old, b=new):
        reason = _linear(a, b)
        integrals = isinstance(a, sp.Integral) and isinstance(b, sp.Integral)
        if reason and integrals and a.limits[-1][1:] == b.limits[-1][1:]:
            v = sp.Dummy("v", real=True)
            return check(_peel(a, v), _peel(b, v)) and reason
        return reason

    return _extend(d, "linearity", old, new, check)


def _sift_parts(integral):
    """(H, y, y0, |c|) for ∫ H δ(c·y + e) dy over the innermost variable and ℝ, or None."""
    if not isinstance(integral, sp.Integral):
        return None
    y, lo, hi = integral.limits[0]
    deltas = [f for f in sp.Mul.make_args(integral.function) if isinstance(f, sp.DiracDelta)]
    if (lo, hi) != (-_OO, _OO) or len(deltas) != 1 or len(deltas[0].args) != 1:
        return None
    h = sp.Mul(*[f for f in sp.Mul.make_args(integral.function) if f is not deltas[0]])
    aff = _affine(deltas[0].args[0], y)
    if aff is None or h.has(sp.DiracDelta) or any(a.has(Delta) for a in h.atoms(At)):
        return None
    return h, y, -aff[1] / aff[0], abs(aff[0])


def condition(rule, old, new):
    """The :class:`Assumption` that ``rule`` needs to rewrite ``old`` into ``new`` (or back)."""
    if rule == "fubini":
        if not (isinstance(old, sp.Integral) and isinstance(new, sp.Integral)):
            return None
        swapped = [i for i, (p, q) in enumerate(zip(old.limits, new.limits)) if p != q][:1] or [0]
        level = max(0, min(swapped[0], len(old.limits) - 2))
        inner = sp.Integral(old.function, *old.limits[:level]) if level else old.function
        return Assumption("fubini", (inner, tuple(_bound(old)[level : level + 2])))
    if rule == "by_parts":
        parts = _by_parts_match(old, new)
        return Assumption("by_parts", parts) if parts else None
    if rule not in _PATTERNS:
        return None
    out = _match(old, new, *_PATTERNS[rule])
    return Assumption(rule, out) if isinstance(out, tuple) else None


def _condition_of(rule, out, assume, name):
    """The reason against a pattern rule's instance: ``out`` from :func:`_match` (a reason,
    or the subject of the side condition), which must be stated as ``assume``."""
    if isinstance(out, str):
        return out
    return _unstated(assume, Assumption(rule, out), name)


def fubini(d, old, new, level, assume=None):
    """Fubini: swap the adjacent levels ``level`` and ``level + 1`` (innermost is 0) of an
    iterated integral. Needs: the integrand — the integral over the inner levels, when
    there are any — is absolutely integrable over the two swapped variables."""

    def check():
        if not isinstance(old, sp.Integral) or not 0 <= level < len(old.limits) - 1:
            return "Fubini swaps two adjacent variables of an iterated integral"
        if old.function.has(sp.DiracDelta):
            return "δ is not a function: sift it before swapping integrals"
        lims = list(old.limits)
        (v, *vs), (w, *ws) = lims[level], lims[level + 1]
        if v in sp.Tuple(*ws).free_symbols or w in sp.Tuple(*vs).free_symbols:
            return "the limits of one variable depend on the other"
        lims[level], lims[level + 1] = lims[level + 1], lims[level]
        unstated = _unstated(assume, condition("fubini", old, new), "Fubini")
        ok = same(new, sp.Integral(old.function, *lims))
        return unstated or (None if ok else "the order of integration is not swapped")

    return _extend(d, "fubini", old, new, check, {"level": level}, assume)


def _leibniz_instance(deriv, wrap, other):
    if not isinstance(deriv.expr, sp.Integral):
        return "one side must be the derivative of an integral"
    integral, vc = deriv.expr, deriv.variable_count
    if len(vc) != 1 or vc[0][0] in sp.Tuple(*integral.limits).free_symbols:
        return "the limits must not depend on the variable of differentiation"
    if integral.function.has(sp.DiracDelta):
        return "δ is not a function: differentiate it as a distribution"
    want = sp.Integral(sp.Derivative(integral.function, *vc), *integral.limits)
    if not same(other, wrap(want)):
        return "the derivative must move inside the integral"
    return integral, vc


def leibniz(d, old, new, assume=None):
    """Differentiation under the integral sign: dᵏ/dxᵏ ∫ F dy = ∫ ∂ᵏF/∂xᵏ dy. Needs (for
    F = A(y)·B(x − y)): B is Cᵏ with compact support and A is locally integrable (Mathlib's
    HasCompactSupport.hasFDerivAt_convolution_right); in general, domination of ∂ʲF/∂xʲ."""

    def check():
        out = _match(old, new, _is_derivative, _leibniz_instance, "one side must be a derivative")
        return _condition_of("leibniz", out, assume, "differentiation under ∫")

    return _extend(d, "leibniz", old, new, check, {}, assume)


def _chain_instance(deriv, wrap, other):
    e = deriv.expr
    if isinstance(e, AppliedUndef) and len(e.args) == 1:
        term, u = Fn(e.func.__name__), e.args[0]
    elif isinstance(e, At):
        term, u = e.arg, e.point
    else:
        return "one side must be the derivative of a function at a point"
    (x, k), *more = deriv.variable_count
    if more or _affine(u, x) is None or x in term.free_symbols:
        return "the argument must be affine in the one variable of differentiation"
    ok = same(other, wrap(_affine(u, x)[0] ** k * at(Diff(term, k), u)))
    return True if ok else "the other side must be cᵏ·(dᵏA/dxᵏ)(cx + e)"


def chain_rule(d, old, new):
    """Chain rule for an affine argument: dᵏ/dxᵏ A(cx + e) = cᵏ (dᵏA/dxᵏ)(cx + e), c ≠ 0."""

    def check():
        out = _match(old, new, _is_derivative, _chain_instance, "one side must be a derivative")
        return out if isinstance(out, str) else None

    return _extend(d, "chain_rule", old, new, check)


def _sift_instance(integral, wrap, other):
    h, y, y0, c = _sift_parts(integral)
    if _derives_in(h, y) or y in _bound_inside(h):
        return "H must not differentiate in, or bind again, the variable of integration"
    value = h.xreplace({y: y0}) / c
    want = sp.Integral(value, *integral.limits[1:]) if len(integral.limits) > 1 else value
    return (h, y, y0) if same(other, wrap(want)) else "the other side must be H at δ's zero"


def sift(d, old, new, assume=None):
    """Sifting: ∫ H(y) δ(c·y + e) dy = H(y0)/|c| where c·y0 + e = 0, over the innermost
    variable of an integral over ℝ. Needs: H is continuous at y0."""

    def check():
        shape = "one side must be ∫ H(y) δ(c·y + e) dy over ℝ, H free of δ"
        out = _match(old, new, _is_siftable, _sift_instance, shape)
        return _condition_of("sift", out, assume, "sifting")

    return _extend(d, "sift", old, new, check, {}, assume)


def rearrange(d, new_line):
    """Rename integration variables and rearrange by ring arithmetic, the whole line."""
    reason = "the lines are not equal as expressions"
    return _extend(
        d, "rearrange", d.line, new_line, lambda: None if same(d.line, new_line) else reason
    )


# ----------------------------------------------------------------------------- the larger language


def _entire_in(e, x) -> bool:
    """``e`` is built from numbers, parameters, variables, +, ·, natural powers and exp
    wherever it depends on x, and has no function, δ, integral or derivative: an entire
    function of x, differentiated by SymPy without a side condition."""
    if e.has(AppliedUndef, At, sp.Integral, sp.Derivative, sp.DiracDelta, Operation):
        return False
    if x not in e.free_symbols or e == x:
        return True
    if isinstance(e, sp.Pow) and not (e.exp.is_Integer and e.exp >= 0):
        return False
    if not isinstance(e, (sp.Add, sp.Mul, sp.Pow, sp.exp)):
        return False
    return all(_entire_in(a, x) for a in e.args)


def _differentiate_instance(deriv, wrap, other):
    if not all(k.is_Integer and _entire_in(deriv.expr, v) for v, k in deriv.variable_count):
        return "only an elementary expression (+, ·, natural powers, exp) of an integer order"
    ok = same(other, wrap(sp.diff(deriv.expr, *deriv.variable_count)))
    return True if ok else "the other side is not the derivative"


def differentiate(d, old, new):
    """Differentiate an elementary expression: dᵏE/dxᵏ as SymPy computes it, for E built
    from +, ·, natural powers and exp in x (an entire function; an integer order)."""

    def check():
        shape = "one side must be a derivative"
        out = _match(old, new, _is_derivative, _differentiate_instance, shape)
        return out if isinstance(out, str) else None

    return _extend(d, "differentiate", old, new, check)


def _product_instance(deriv, wrap, other):
    if not isinstance(deriv.expr, sp.Mul):
        return "one side must be the derivative of a product"
    if len(deriv.variable_count) != 1 or deriv.variable_count[0][1] != 1:
        return "the product rule is for a first derivative in one variable"
    factors, vc = sp.Mul.make_args(deriv.expr), deriv.variable_count
    want = sp.Add(
        *[
            sp.Mul(*factors[:i], sp.Derivative(a, *vc), *factors[i + 1 :])
            for i, a in enumerate(factors)
        ]
    )
    return (factors, vc) if same(other, wrap(want)) else "the other side must be Σ A₁·…·Aᵢ′·…·Aₙ"


def product_rule(d, old, new, assume=None):
    """The product rule: d/dx (A₁·…·Aₙ) = Σᵢ A₁·…·dAᵢ/dx·…·Aₙ. Needs: each factor is
    differentiable at x (Mathlib's deriv_mul)."""

    def check():
        out = _match(old, new, _is_derivative, _product_instance, "one side must be a derivative")
        return _condition_of("product_rule", out, assume, "the product rule")

    return _extend(d, "product_rule", old, new, check, {}, assume)


def _by_parts_parts(integral):
    """[(U, V, t), …] for ∫ dU/dt · V dt over ℝ (the innermost variable t), one entry per
    factor of the integrand that is a first derivative in t."""
    if not isinstance(integral, sp.Integral) or integral.limits[0][1:] != (-_OO, _OO):
        return []
    t = integral.limits[0][0]
    factors = sp.Mul.make_args(integral.function)
    out = []
    for i, f in enumerate(factors):
        if isinstance(f, sp.Derivative) and f.variable_count == ((t, 1),):
            out.append((f.expr, sp.Mul(*factors[:i], *factors[i + 1 :]), t))
    return out


def _by_parts_match(old, new):
    """(U, V, t) when one side is ∫ U′·V dt over ℝ and the other −∫ U·V′ dt, else None."""
    if not (isinstance(old, sp.Integral) and isinstance(new, sp.Integral)):
        return None
    for side, other in ((old, new), (new, old)):
        for u, v, t in _by_parts_parts(side):
            if t in _bound_inside(u * v):
                continue
            if same(other, sp.Integral(-u * sp.Derivative(v, (t, 1)), *side.limits)):
                return u, v, t
    return None


def by_parts(d, old, new, assume=None):
    """Integration by parts over ℝ, in the innermost variable t: ∫ (dU/dt)·V dt =
    −∫ U·(dV/dt) dt. Needs: U and V are differentiable and U·V′, U′·V and U·V are
    integrable, so that the boundary terms vanish (Mathlib's
    MeasureTheory.integral_mul_deriv_eq_deriv_mul_of_integrable)."""

    def check():
        if not (isinstance(old, sp.Integral) and isinstance(new, sp.Integral)):
            return "integration by parts rewrites one integral into another"
        outer = sp.Tuple(*[e for lim in old.limits[1:] for e in lim[1:]]).free_symbols
        if old.limits[0][0] in outer:
            return "the limits must not depend on the variable of integration"
        if old.has(sp.DiracDelta) or new.has(sp.DiracDelta):
            return "δ is not a function: sift it before integrating by parts"
        if _by_parts_match(old, new) is None:
            return "one side must be ∫ U′·V dt over ℝ and the other −∫ U·V′ dt"
        return _unstated(assume, condition("by_parts", old, new), "integration by parts")

    return _extend(d, "by_parts", old, new, check, {}, assume)


def _real_limits(integral) -> bool:
    return all(
        e in (-_OO, _OO) or e.is_extended_real for lim in integral.limits for e in lim[1:]
    )


def _conjugate_instance(conj, wrap, other):
    integral = conj.args[0]
    if not isinstance(integral, sp.Integral) or not _real_limits(integral):
        return "one side must be the conjugate of an integral over real limits"
    want = sp.Integral(sp.conjugate(integral.function), *integral.limits)
    return True if same(other, wrap(want)) else "the other side must integrate the conjugate"


def conjugate(d, old, new):
    """The conjugate of an integral over real limits is the integral of the conjugate
    (Mathlib's integral_conj)."""

    def check():
        shape = "one side must be the conjugate of an integral"
        out = _match(old, new, lambda e: isinstance(e, sp.conjugate), _conjugate_instance, shape)
        return out if isinstance(out, str) else None

    return _extend(d, "conjugate", old, new, check)


def _inversion_parts(integral, nonzero=None):
    """(H, s, s0, α) for ∫ (∫ H(s) e^{iy(αs + β)} ds) dy over the two innermost variables s
    (inner) and y, both over ℝ, with H free of y, α ≠ 0 (checked given the statement's
    ``nonzero`` numbers; not checked without them) and β real; s0 = −β/α. Else None."""
    if not isinstance(integral, sp.Integral) or len(integral.limits) < 2:
        return None
    (s, *s_ends), (y, *y_ends) = integral.limits[:2]
    if (tuple(s_ends), tuple(y_ends)) != ((-_OO, _OO), (-_OO, _OO)):
        return None
    factors = sp.Mul.make_args(integral.function)
    exponents = [_exponent(f) for f in factors]
    rest = sp.Mul(*[f for f, a in zip(factors, exponents) if a is None])
    total = sp.expand(sp.Add(*[a for a in exponents if a is not None]), power_exp=False)
    slope = sp.diff(total, y)
    phase = sp.expand(slope / sp.I)
    alpha = sp.diff(phase, s)
    beta = sp.expand(phase - alpha * s)
    others = sp.expand(total - y * slope)
    if y in rest.free_symbols | slope.free_symbols | others.free_symbols:
        return None
    if alpha.free_symbols & {s, y} or beta.free_symbols & {s, y} or not beta.is_extended_real:
        return None
    if alpha == 0 or nonzero is not None and not _is_nonzero(alpha, nonzero):
        return None
    h = rest * sp.exp(others)
    if h.has(sp.DiracDelta) or _derives_in(h, s) or s in _bound_inside(h):
        return None
    return h, s, -beta / alpha, alpha


def _is_invertible(e):
    return _inversion_parts(e) is not None


def _inverted_value(integral, parts):
    h, s, s0, alpha = parts
    value = 2 * sp.pi / sp.Abs(alpha) * h.xreplace({s: s0})
    return sp.Integral(value, *integral.limits[2:]) if len(integral.limits) > 2 else value


def inverted(integral):
    """The other side of :func:`inversion` for ``integral`` (as :func:`definition` is that
    of an unfolding), or None: a proposal, which the rule re-checks."""
    parts = _inversion_parts(integral)
    return None if parts is None else _inverted_value(integral, parts)


def _inversion_instance(integral, wrap, other, nonzero=None):
    parts = _inversion_parts(integral, nonzero)
    if parts is None:
        return "one side must be ∫∫ H(s) e^{iy(αs + β)} ds dy over ℝ², H free of y, α ≠ 0"
    ok = same(other, wrap(_inverted_value(integral, parts)))
    return parts[:3] if ok else "the other side must be (2π/|α|)·H(−β/α)"


def inversion(d, old, new, assume=None):
    """Fourier inversion over the two innermost variables s (inner) and y of an integral over
    ℝ²: ∫ (∫ H(s) e^{iy(αs + β)} ds) dy = (2π/|α|)·H(−β/α), H free of y, α ≠ 0 and β real.
    Needs: s ↦ H(s) is integrable, its Fourier transform is integrable, and it is
    continuous at −β/α (Mathlib's MeasureTheory.Integrable.fourier_inversion)."""

    def check():
        nonzero = _declared_nonzero(d.statement)

        def attempt(integral, wrap, other):
            return _inversion_instance(integral, wrap, other, nonzero)

        shape = "one side must be ∫∫ H(s) e^{iy(αs + β)} ds dy over ℝ², H free of y, α ≠ 0"
        out = _match(old, new, _is_invertible, attempt, shape)
        return _condition_of("inversion", out, assume, "Fourier inversion")

    return _extend(d, "inversion", old, new, check, {}, assume)


#: The rules that rewrite one pattern in a context, with their side conditions: the
#: pattern and the reading of an instance (:func:`_match`).
_PATTERNS = {
    "leibniz": (_is_derivative, _leibniz_instance),
    "sift": (_is_siftable, _sift_instance),
    "product_rule": (_is_derivative, _product_instance),
    "inversion": (_is_invertible, _inversion_instance),
}
