"""Search for time-domain derivations. It only proposes steps: every one goes through a
rule of :mod:`symconv.trusted.kernel`, which re-checks it, so nothing here is trusted.

The search works from both ends and meets in the middle:

1. *normalise* each side: apply the kernel's rules in a fixed priority until none applies
   — unfold definitions (outermost first), differentiate under the integral sign, pull
   factors free of x out of derivatives, the chain rule, the product rule, differentiate
   elementary expressions (e^{−iωx}), sift by δ, integrate by parts a derivative against
   an elementary factor, move a conjugate into its integral, invert a Fourier transform
   (after Fubini swaps that bring its two variables innermost), and linearity (split sums,
   constants and the constant part of an exponential out, other factors into the
   innermost integral);
2. *bridge* the two normal forms summand by summand: match the function applications of
   one integrand with those of the other (same function), solve the linear equations
   between their arguments for a change of variables, and realise it by Fubini swaps and
   one-variable substitutions (a greedy elimination, else a bounded breadth-first search);
   the substituted summand is normalised again (an exponential may leave a constant
   factor) and must then be one of the other side's; a derivative of a convolution also
   gets the variant where x is first moved into the other factor, so that the derivative
   may fall on either one;
3. replay the right side's normalisation backwards (a fold for each unfold, and so on).

The result is a value: :class:`Found` with the kernel's :class:`~symconv.trusted.kernel.Derivation`,
or :class:`NotFound` with the reason.
"""

from __future__ import annotations

import functools
import itertools
import time
from collections import deque
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp
from sympy.core.function import AppliedUndef

from symconv.language.terms import At, Diff, Fn, Operation, Statement, function_names
from symconv.trusted import kernel as K

__all__ = ["Found", "NotFound", "find_derivation", "recheck", "DEFAULT_SECONDS"]

#: Time allowed to one search when the caller gives none.
DEFAULT_SECONDS = 2.0
#: At most this many normalisation steps per side, bridge moves per summand, pairings.
MAX_STEPS = 80
MAX_MOVES = 8
MAX_PAIRINGS = 120
MAX_STATES = 400
MAX_BRANCHES = 4

_NAMES = "yzuvwstrqpmn"
#: Proposals depend on the node alone: remembered (lines repeat most of their integrals).
_remembered = functools.lru_cache(maxsize=2048)
_OUT_OF_TIME = "time budget of the derivation search exhausted"


@dataclass(frozen=True)
class Found:
    derivation: K.Derivation
    seconds: float


@dataclass(frozen=True)
class NotFound:
    reason: str
    seconds: float


class _Stuck(Exception):
    """The search cannot go on (a refused step, no rule applies, out of time)."""


class _OutOfTime(_Stuck):
    """The time budget is spent: no other branch may be tried."""


#: The kernel's rules that take their side condition as a stated assumption.
_ASSUMING = (K.fubini, K.leibniz, K.sift, K.product_rule, K.by_parts, K.inversion)


class _Run:
    """A derivation under construction, with the record of the steps taken."""

    def __init__(self, d, deadline: float, moves=(), fork=False):
        self.d = d
        self.deadline = deadline
        self.moves: list[tuple] = list(moves)
        self.is_fork = fork

    def fork(self) -> "_Run":
        return _Run(self.d, self.deadline, self.moves, fork=True)

    @property
    def line(self):
        return self.d.line

    def lines(self):
        return [s.line for s in self.d.steps]

    def check_time(self):
        if time.monotonic() > self.deadline:
            raise _OutOfTime(_OUT_OF_TIME)

    def adopt(self, other: "_Run") -> None:
        """Continue from ``other`` (a fork of this run that went further)."""
        self.d, self.moves = other.d, list(other.moves)

    def apply(self, rule, old, new, **params):
        self.check_time()
        if rule in _ASSUMING:
            params["assume"] = K.condition(rule.__name__, old, new)
        out = rule(self.d, old, new, **params)
        if isinstance(out, K.Refusal):
            raise _Stuck(f"the kernel refused a proposed {out.rule} step: {out.reason}")
        self.d = out
        self.moves.append((rule, old, new, params))
        return new

    def rearrange(self, line):
        old = self.d.line
        out = K.rearrange(self.d, line)
        if isinstance(out, K.Refusal):
            raise _Stuck(f"the kernel refused to rearrange: {out.reason}")
        self.d = out
        self.moves.append((K.rearrange, old, line, {}))


#: The operators whose definitions the search knows how to unfold, move and fold back.
HANDLED = frozenset(
    {"fn", "conv", "xcorr", "flip", "shift", "diff", "delta", "at", "inner"}
    | {"zero", "id", "fourier", "ifourier", "mul", "scale", "modulate", "conj", "convpow"}
    | {"integral"}
)


#: The notes' own operators: their derivations are cheap, so the engine always searches one.
NOTES_OPERATORS = frozenset({"fn", "conv", "xcorr", "flip", "shift", "diff", "delta", "at", "inner"})


def unhandled(statement: Statement, handled=HANDLED) -> list[str]:
    """The operators of ``statement`` outside ``handled`` (by default: those the search does
    not handle), sorted."""
    return sorted(
        {
            node.operator
            for side in (statement.lhs, statement.rhs)
            for node in sp.preorder_traversal(side)
            if isinstance(node, Operation) and node.operator not in handled
        }
    )


def find_derivation(statement: Statement, seconds: float = DEFAULT_SECONDS):
    """Search a kernel-checked derivation of ``statement`` (an equality) within ``seconds``."""
    start = time.perf_counter()
    others = unhandled(statement)
    if others:
        return NotFound(
            f"the derivation search does not handle {', '.join(others)} yet", 0.0
        )
    deadline = time.monotonic() + seconds
    left = K.begin(statement)
    if isinstance(left, K.Refusal):
        return NotFound(left.reason, time.perf_counter() - start)
    right = K.begin(Statement(statement.rhs, statement.lhs, group=statement.group))
    reason = "no derivation"
    try:
        lefts = _normalise(_Run(left, deadline))
        rights = _normalise(_Run(right, deadline))
    except _Stuck as exc:
        return NotFound(str(exc), time.perf_counter() - start)
    for lrun, rrun in itertools.product(lefts, rights):
        trial = lrun.fork()
        try:
            _bridge(trial, rrun.line)
            _replay_backwards(trial, rrun)
        except _Stuck as exc:
            reason = str(exc)
            continue
        if trial.d.complete:
            return Found(trial.d, time.perf_counter() - start)
        reason = "the last line is not the right side"
    return NotFound(reason, time.perf_counter() - start)


# ----------------------------------------------------------------------------- helpers


def _fresh(*exprs) -> sp.Dummy:
    """A new bound variable, named after the first of y, z, u, … that ``exprs`` do not use."""
    used = {s.name for e in exprs for s in e.atoms(sp.Symbol)}
    used |= {f.func.__name__ for e in exprs for f in e.atoms(AppliedUndef)}
    used |= {name for e in exprs for name in function_names(e)}
    name = next((n for n in _NAMES if n not in used), None)
    return sp.Dummy(name or f"y{len(used)}", real=True)


def _bound(e):
    return [lim[0] for lim in e.limits]


def _is_scalar(e, bound=()) -> bool:
    """A number or parameter: no function, δ, integral or derivative, no bound variable."""
    return not e.has(AppliedUndef, At, sp.Integral, sp.Derivative, sp.DiracDelta) and not (
        e.free_symbols & set(bound)
    )


def _substituted(expr, var, value):
    """``expr`` with ``var`` replaced by ``value``; None where ``var`` is differentiated in or
    bound again inside (a substitution there would not be one)."""
    if any(var in dict(d.variable_count) for d in expr.atoms(sp.Derivative)):
        return None
    if any(var in _bound(i) for i in expr.atoms(sp.Integral)):
        return None
    return expr.xreplace({var: value})


def _leaf(term) -> bool:
    """f, δ and their derivatives: as unfolded as they get."""
    if isinstance(term, Diff):
        return _leaf(term.arg)
    return getattr(term, "is_leaf_function", False)


# ----------------------------------------------------------------------------- normalising


def _normalise(run: _Run) -> list[_Run]:
    """Normal forms of the line; a derivative of a convolution-like integral also gets the
    variant that first moves x into the other factors (y = x − z), so that the derivative
    can fall on either factor."""
    pending, done = [run], []
    while pending:
        run = pending.pop()
        for _ in range(MAX_STEPS):
            apart = _apart(run.line)
            if apart != run.line:
                run.rearrange(apart)
                continue
            proposal = _unfolding(run.line) or _rewriting(run.line)
            if proposal is None:
                done.append(run)
                break
            if (
                proposal[0] is K.leibniz
                and not run.is_fork
                and len(pending) + len(done) < MAX_BRANCHES
            ):
                variant = _reflected(run, proposal[1])
                if variant is not None:
                    pending.append(variant)
            run.apply(*proposal[:3], **(proposal[3] if len(proposal) > 3 else {}))
        else:
            raise _Stuck("normalisation did not finish within its step bound")
    return done


def _reflected(run: _Run, deriv):
    """A fork of ``run`` where the integral under ``deriv`` was rewritten by y = x − z (for
    a convolution-like integrand: x in the argument of a function)."""
    integral, ((x, _),) = deriv.expr, deriv.variable_count
    if len(integral.limits) != 1 or integral.limits[0][1:] != (-sp.oo, sp.oo):
        return None
    atoms = _atoms(integral.function) or ()
    if not any(x in arg.free_symbols for _, arg in atoms):
        return None
    y, z = integral.limits[0][0], _fresh(*run.lines())
    phi = x - z
    body = _substituted(integral.function, y, phi)
    if body is None:
        return None
    fork = run.fork()
    try:
        new = fork.apply(
            K.substitute, integral, sp.Integral(-body, (z, sp.oo, -sp.oo)), phi=phi, z=z
        )
        fork.apply(*_orient(new))
    except _Stuck:
        return None
    return fork


def _apart(line):
    """``line`` with every integral binding variables of its own: a term that occurs twice
    was unfolded with the same bound variable in both places, and a power ``(∫F)ⁿ`` becomes
    a product of n integrals (equal to the line up to the names of bound variables)."""
    seen, made = set(), []

    def walk(e):
        if isinstance(e, sp.Pow) and e.base.has(sp.Integral) and e.exp.is_Integer and e.exp > 1:
            return sp.Mul(*[walk(e.base) for _ in range(int(e.exp))])
        if isinstance(e, sp.Integral):
            clash = [v for v in _bound(e) if v in seen]
            if clash:
                rep = {}
                for v in clash:
                    rep[v] = _fresh(line, *made)
                    made.append(rep[v])
                e = e.xreplace(rep)
            seen.update(_bound(e))
            return sp.Integral(walk(e.function), *e.limits)
        if not e.args or not e.has(sp.Integral):
            return e
        return e.func(*[walk(a) for a in e.args])

    return walk(line)


def _unfolding(line):
    """Unfold the outermost operator applied at a point (a derivative of a single function
    stays as it is: it is already as unfolded as it gets)."""
    for node in sp.preorder_traversal(line):
        if isinstance(node, At) and isinstance(node.arg, Diff) and _leaf(node.arg.arg):
            continue
        new = K.definition(node)
        if new is not None:
            made = []
            made_here = new.atoms(sp.Dummy) - line.atoms(sp.Dummy)
            for v in sorted(made_here, key=lambda v: v.dummy_index):
                made.append(_fresh(line, *made))
                new = new.xreplace({v: made[-1]})
            return K.unfold, node, new
    return None


def _rewriting(line):
    """The first rule that applies, in priority order: orientation, splitting sums, sifting,
    integration by parts, Fourier inversion and conjugates of integrals anywhere in the line
    first, then factors into integrals and derivatives."""
    for node in sp.preorder_traversal(line):
        found = None
        if isinstance(node, sp.Integral):
            found = (
                _orient(node) or _split(node) or _sifting(node) or _by_parts(node)
                or _inverting(node)
            )
        elif isinstance(node, sp.conjugate) and isinstance(node.args[0], sp.Integral):
            integral = node.args[0]
            inside = sp.Integral(sp.conjugate(integral.function), *integral.limits)
            found = K.conjugate, node, inside
        if found:
            return found
    enclosing = frozenset(v for i in line.atoms(sp.Integral) for v in _bound(i))
    for node in sp.preorder_traversal(line):
        found = None
        if isinstance(node, sp.Mul):
            found = _pull_in(node, enclosing)
        elif isinstance(node, sp.Derivative) and len(node.variable_count) == 1:
            found = _differentiate(node)
        if found:
            return found
    return None


@_remembered
def _orient(node):
    for i, (v, a, b) in enumerate(node.limits):
        if (a, b) == (sp.oo, -sp.oo):
            lims = list(node.limits)
            lims[i] = (v, b, a)
            return K.reverse_limits, node, sp.Integral(-node.function, *lims)
    return None


@_remembered
def _split(node):
    """Sums out of the integral, scalar factors in front of it — and the part of an
    exponential that is free of the bound variables: ∫ F e^{a+b(y)} dy = e^a ∫ F e^{b(y)} dy."""
    bound = _bound(node)
    pieces = []
    body = node.function
    if any(isinstance(f, sp.Add) for f in sp.Mul.make_args(body)):
        body = sp.expand_mul(body, deep=False)  # distribute: the terms are split below
    for term in sp.Add.make_args(body):
        coef, rest = [], []
        for f in sp.Mul.make_args(term):
            if _is_scalar(f, bound):
                coef.append(f)
            elif isinstance(f, sp.exp) and not f.args[0].has(AppliedUndef, At, sp.Integral):
                parts = sp.Add.make_args(sp.expand(f.args[0]))
                coef.append(sp.exp(sp.Add(*[a for a in parts if _is_scalar(a, bound)])))
                rest.append(sp.exp(sp.Add(*[a for a in parts if not _is_scalar(a, bound)])))
            else:
                rest.append(f)
        pieces.append(sp.Mul(*coef) * sp.Integral(sp.Mul(*rest), *node.limits))
    new = sp.Add(*pieces)
    return (K.linearity, node, new) if new != node else None


@_remembered
def _pull_in(node, enclosing=frozenset()):
    """c·A·∫F → c·∫A·F: function values, further integrals and factors that depend on the
    variables of enclosing integrals, all free of the integral's own variables (but no δ),
    move into the first integral of a product."""
    ints = [f for f in node.args if isinstance(f, sp.Integral)]
    if not ints:
        return None
    integral, bound = ints[0], set(_bound(ints[0]))
    outer = set(enclosing) - bound
    movable = [
        f
        for f in node.args
        if f is not integral
        and (not _is_scalar(f) or f.free_symbols & outer)
        and not f.has(sp.DiracDelta)
    ]
    if not movable or any(f.free_symbols & bound for f in movable):
        return None
    kept = [f for f in node.args if f is not integral and f not in movable]
    inside = sp.Integral(sp.Mul(*movable) * integral.function, *integral.limits)
    return K.linearity, node, sp.Mul(*kept) * inside


def _function_free(e) -> bool:
    return not e.has(AppliedUndef, At, sp.Integral, sp.Derivative, sp.DiracDelta)


@_remembered
def _by_parts(node):
    """∫ A′(t)·V(t) dt with V elementary in t: first the definition of A′ at t, then
    integration by parts, so that the derivative falls on V (e.g. e^{−iωt})."""
    t, lo, hi = node.limits[0]
    if (lo, hi) != (-sp.oo, sp.oo) or node.function.has(sp.DiracDelta):
        return None
    factors = sp.Mul.make_args(node.function)
    for n, f in enumerate(factors):
        rest = sp.Mul(*factors[:n], *factors[n + 1 :])
        if not _function_free(rest):
            continue
        if isinstance(f, At) and isinstance(f.arg, Diff) and f.arg.order == 1 and f.point == t:
            new = K.definition(f)
            if new is not None:
                return K.unfold, f, new
        if isinstance(f, sp.Derivative) and f.variable_count == ((t, 1),):
            moved = sp.Integral(-f.expr * sp.Derivative(rest, (t, 1)), *node.limits)
            return K.by_parts, node, moved
    return None


@_remembered
def _inverting(node):
    """A Fourier transform inverted: ∫ (∫ H(s) e^{iy(αs + β)} ds) dy, H free of y, with s
    bound inside y. Brings s innermost and y next to it by Fubini swaps (one per call), then
    proposes the kernel's inversion."""
    if len(node.limits) < 2 or any(lim[1:] != (-sp.oo, sp.oo) for lim in node.limits):
        return None
    factors = sp.Mul.make_args(node.function)
    phases = [f.args[0] for f in factors if isinstance(f, sp.exp)]
    bound = _bound(node)  # innermost first
    if len(set(bound) & sp.Add(*phases).free_symbols) < 2:
        return None  # no phase couples two variables of the integral
    exponent = sp.expand(sp.Add(*phases))
    others = [f for f in factors if not isinstance(f, sp.exp)]
    for j, y in enumerate(bound):
        slope = sp.diff(exponent, y)
        if y in slope.free_symbols or any(y in f.free_symbols for f in others):
            continue
        partners = [i for i, v in enumerate(bound[:j]) if v in slope.free_symbols]
        if not partners:
            continue
        i = partners[0]
        lims = list(node.limits)
        level = i - 1 if i > 0 else j - 1 if j > 1 else None
        if level is None:
            new = K.inverted(node)
            return (K.inversion, node, new) if new is not None else None
        lims[level], lims[level + 1] = lims[level + 1], lims[level]
        return K.fubini, node, sp.Integral(node.function, *lims), {"level": level}
    return None


@_remembered
def _sifting(node):
    y = node.limits[0][0]
    deltas = [f for f in sp.Mul.make_args(node.function) if isinstance(f, sp.DiracDelta)]
    if len(deltas) != 1 or len(deltas[0].args) != 1 or node.limits[0][1:] != (-sp.oo, sp.oo):
        return None
    u = deltas[0].args[0]
    slope = sp.diff(u, y)
    if not (slope.is_Rational and slope != 0):
        return None
    rest = sp.Mul(*[f for f in sp.Mul.make_args(node.function) if f is not deltas[0]])
    value = _substituted(rest, y, -u.xreplace({y: 0}) / slope)
    if value is None or rest.has(sp.DiracDelta):
        return None
    value = value / abs(slope)
    new = sp.Integral(value, *node.limits[1:]) if len(node.limits) > 1 else value
    return K.sift, node, new


@_remembered
def _differentiate(node):
    (x, k), body = node.variable_count[0], node.expr
    if isinstance(body, sp.Integral):
        if body.function.has(sp.DiracDelta):
            return None  # δ is no function to differentiate under ∫
        return K.leibniz, node, sp.Integral(sp.Derivative(body.function, (x, k)), *body.limits)
    if _function_free(body):
        return (K.differentiate, node, sp.diff(body, (x, k))) if k.is_Integer else None
    if isinstance(body, (sp.Add, sp.Mul)):
        terms = []
        for term in sp.Add.make_args(body):
            free = [f for f in sp.Mul.make_args(term) if x not in f.free_symbols]
            rest = [f for f in sp.Mul.make_args(term) if x in f.free_symbols]
            terms.append(sp.Mul(*free) * sp.Derivative(sp.Mul(*rest), (x, k)))
        new = sp.Add(*terms)
        if new != node:
            return K.linearity, node, new
        if isinstance(body, sp.Mul) and k == 1:
            factors = sp.Mul.make_args(body)
            new = sp.Add(
                *[
                    sp.Mul(*factors[:i], sp.Derivative(a, (x, 1)), *factors[i + 1 :])
                    for i, a in enumerate(factors)
                ]
            )
            return K.product_rule, node, new
        return None
    app = _application(body)
    if app is not None and x in app[1].free_symbols:
        slope = sp.diff(app[1], x)
        if slope.is_Rational and sp.expand(app[1] - slope * x).free_symbols.isdisjoint({x}):
            return K.chain_rule, node, slope**k * K.at(Diff(app[0], k), app[1])
    return None


def _application(e):
    if isinstance(e, AppliedUndef) and len(e.args) == 1:
        return Fn(e.func.__name__), e.args[0]
    if isinstance(e, At):
        return e.arg, e.point
    return None


# ----------------------------------------------------------------------------- bridging


def _summands(line):
    out = []
    for term in sp.Add.make_args(line):
        factors = sp.Mul.make_args(term)
        coef = sp.Mul(*[f for f in factors if _is_scalar(f)])
        out.append((coef, sp.Mul(*[f for f in factors if not _is_scalar(f)])))
    return out


def _same_summand(a, b) -> bool:
    return K.same(a[1], b[1]) and K.same(a[0], b[0])


def _bridge(run: _Run, target) -> None:
    """Rewrite each summand of the current line into one of ``target`` (up to names)."""
    if K.canonical(run.line) == K.canonical(target):
        return
    wanted = _summands(target)
    for summand in _summands(run.line):
        hit = next((w for w in wanted if _same_summand(summand, w)), None)
        if hit is None:  # a change of variables; the coefficient may change with it
            options = sorted(wanted, key=lambda w: not K.same(w[0], summand[0]))
            hit = next((w for w in options if _connect(run, summand[1], w)), None)
        if hit is None:
            raise _Stuck("no change of variables turns a summand into one of the right side")
        wanted.remove(hit)
    if not K.same(run.line, target):
        raise _Stuck("the two sides do not meet")


def _atoms(integrand):
    """The applications of functions (and δ) in an integrand, as (head, argument); factors
    free of functions (exponentials, powers of variables) are left to the kernel's check."""
    out = []
    for f in sp.Mul.make_args(integrand):
        if not f.has(AppliedUndef, At, sp.DiracDelta):
            continue
        base, exp = f.as_base_exp()
        if not (exp.is_Integer and exp > 0):
            return None
        conj = isinstance(base, sp.conjugate)
        base = base.args[0] if conj else base
        if isinstance(base, sp.DiracDelta) and len(base.args) == 1:
            head = ("δ",)
        else:
            app = _application(base)
            if app is None:
                return None
            head = ("f", app[0], conj)
        arg = base.args[0] if isinstance(base, (sp.DiracDelta, AppliedUndef)) else base.point
        out.extend([(head, arg)] * int(exp))
    return out


def _pairings(left, right):
    """Ways to pair the applications of two integrands, same function with same function."""
    heads = sorted({h for h, _ in left}, key=str)
    if sorted((h for h, _ in left), key=str) != sorted((h for h, _ in right), key=str):
        return
    groups = [
        ([a for h, a in left if h == head], [a for h, a in right if h == head]) for head in heads
    ]
    choices = [list(itertools.permutations(rs)) for _, rs in groups]
    for n, pick in enumerate(itertools.product(*choices)):
        if n >= MAX_PAIRINGS:
            return
        yield [(l, r) for (ls, _), rs in zip(groups, pick) for l, r in zip(ls, rs)]


def _change_of_variables(old_vars, new_vars, pairs):
    """old variables as affine forms in the new ones (coefficients as exact fractions when
    they are rational, else as SymPy numbers, e.g. 1/a for a dilation), or None."""
    eqs = [sp.expand(a - b) for a, b in pairs]
    sol = sp.linsolve(eqs, old_vars)
    if not isinstance(sol, sp.FiniteSet) or len(sol) != 1:
        return None
    (values,) = sol
    if any(v.free_symbols & set(old_vars) for v in values):
        return None
    rep = dict(zip(old_vars, values))
    if any(sp.expand(e.xreplace(rep)) != 0 for e in eqs):
        return None
    rows = []
    for v in values:
        coeffs = [sp.diff(v, w) for w in new_vars]
        if any(c.free_symbols & set(new_vars) or c.has(AppliedUndef, At) for c in coeffs):
            return None
        const = sp.expand(v - sum(c * w for c, w in zip(coeffs, new_vars)))
        rows.append((coeffs, const))
    if all(c.is_Rational for coeffs, _ in rows for c in coeffs):
        return [(tuple(Fraction(int(c.p), int(c.q)) for c in coeffs), k) for coeffs, k in rows]
    return [(tuple(coeffs), k) for coeffs, k in rows]


def _connect(run: _Run, core, goal) -> bool:
    """Try the changes of variables that pair the function applications of ``core`` with
    those of the summand ``goal`` = (coefficient, integral): on success ``run`` has turned
    ``core`` (normalised again) into that summand."""
    if not (isinstance(core, sp.Integral) and isinstance(goal[1], sp.Integral)):
        return False
    if len(core.limits) != len(goal[1].limits) or any(
        l[1:] != (-sp.oo, sp.oo) for l in core.limits + goal[1].limits
    ):
        return False
    left, right = _atoms(core.function), _atoms(goal[1].function)
    if left is None or right is None:
        return False
    old_vars, new_vars = _bound(core)[::-1], _bound(goal[1])[::-1]  # outer first
    tried, systems = [], []
    for pairs in _pairings(left, right):
        run.check_time()
        rows = _change_of_variables(old_vars, new_vars, pairs)
        if rows and rows not in systems:
            systems.append(rows)
    # the greedy elimination of every pairing first: the breadth-first search of one that
    # needs it costs more than all the greedy ones
    plans = itertools.chain(
        (_greedy(rows) for rows in systems),
        (_plan(rows, run.deadline) for rows in systems),
    )
    for plan in plans:
        run.check_time()
        if plan is None or plan in tried:
            continue
        tried.append(plan)
        trial = run.fork()
        try:
            _carry_out(trial, core, plan)
            trial = _normalise(trial)[0]  # constants the substitution made come out
        except _OutOfTime:
            raise
        except _Stuck:
            continue
        if any(_same_summand(s, goal) for s in _summands(trial.line)):
            run.adopt(trial)
            return True
    return False


def _plan(rows, deadline: float):
    """Shortest list of moves turning the levels ``rows`` into the identity: ("swap", i) or
    ("sub", i, slope, betas, gamma) — level i (outer first) becomes new variable i. A greedy
    elimination (bring a level that only needs outer variables up, substitute) usually
    finds it at once; a breadth-first search over the moves is the fallback."""
    greedy = _greedy(rows)
    if greedy is not None or not all(isinstance(c, Fraction) for r in rows for c in r[0]):
        return greedy
    n = len(rows)
    goal = tuple((tuple(int(i == j) for i in range(n)), 0) for j in range(n))
    start = tuple(rows)
    queue, seen = deque([(start, [])]), {start}
    while queue and len(seen) < MAX_STATES:
        if time.monotonic() > deadline:
            raise _OutOfTime(_OUT_OF_TIME)
        state, moves = queue.popleft()
        if state == goal:
            return moves
        if len(moves) >= MAX_MOVES:
            continue
        for move, nxt in _moves(state):
            if nxt not in seen:
                seen.add(nxt)
                queue.append((nxt, moves + [move]))
    return None


def _greedy(rows):
    state, moves, n = list(rows), [], len(rows)
    for i in range(n):
        unit = tuple(int(m == i) for m in range(n))
        j = next(
            (j for j in range(i, n) if state[j][0][i] != 0 and not any(state[j][0][i + 1 :])),
            None,
        )
        if j is None:
            return None
        for m in range(j, i, -1):
            moves.append(("swap", m - 1))
            state[m - 1], state[m] = state[m], state[m - 1]
        coeffs, const = state[i]
        if (coeffs, const) != (unit, 0):
            moves.append(("sub", i, coeffs[i], tuple(coeffs[:i]), const))
            state[i] = (unit, 0)
    return moves


def _moves(state):
    n = len(state)
    for i in range(n - 1):
        nxt = list(state)
        nxt[i], nxt[i + 1] = nxt[i + 1], nxt[i]
        yield ("swap", i), tuple(nxt)
    for i in range(n):
        for j in range(n):
            betas = _combination_of(state, i, j)
            if betas is None:
                continue
            nxt = list(state)
            nxt[i] = (tuple(int(m == j) for m in range(n)), 0)
            gamma = sp.expand(
                state[i][1] - sum(_rational(b) * state[l][1] for l, b in enumerate(betas[1:]))
            )
            if tuple(nxt) != state:
                yield ("sub", i, betas[0], betas[1:], gamma), tuple(nxt)


def _combination_of(state, i, j):
    """(α, β₀…β_{i−1}) with row_i = α e_j + Σ β_l row_l and α = ±1, or None."""
    n = len(state)
    columns = [tuple(int(m == j) for m in range(n))] + [state[l][0] for l in range(i)]
    values = _solve(columns, state[i][0])
    if values is None or abs(values[0]) != 1:
        return None
    return tuple(values)


def _rational(q) -> sp.Expr:
    if isinstance(q, sp.Basic):
        return q
    q = Fraction(q)
    return sp.Rational(q.numerator, q.denominator)


def _solve(columns, target):
    """The unique x with Σ x_c·columns[c] = target (exact fractions), or None."""
    rows = [
        [Fraction(col[m]) for col in columns] + [Fraction(target[m])] for m in range(len(target))
    ]
    k, r = len(columns), 0
    for c in range(k):
        pivot = next((i for i in range(r, len(rows)) if rows[i][c] != 0), None)
        if pivot is None:
            return None  # not unique
        rows[r], rows[pivot] = rows[pivot], rows[r]
        rows[r] = [v / rows[r][c] for v in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][c] != 0:
                rows[i] = [a - rows[i][c] * b for a, b in zip(rows[i], rows[r])]
        r += 1
    if any(row[k] != 0 for row in rows[r:]):
        return None  # inconsistent
    return [rows[c][k] for c in range(k)]


def _carry_out(run: _Run, core, plan) -> None:
    node = core
    for move in plan:
        n = len(node.limits)
        if move[0] == "swap":
            level = n - 2 - move[1]
            lims = list(node.limits)
            lims[level], lims[level + 1] = lims[level + 1], lims[level]
            node = run.apply(K.fubini, node, sp.Integral(node.function, *lims), level=level)
            continue
        _, i, slope, betas, gamma = move
        outer_first = _bound(node)[::-1]
        y, z = outer_first[i], _fresh(*run.lines())
        slope = _rational(slope)
        phi = slope * z + sum(_rational(b) * outer_first[l] for l, b in enumerate(betas)) + gamma
        index = n - 1 - i
        lims = [tuple(e.xreplace({y: phi}) for e in lim) for lim in node.limits[:index]]
        if slope.is_Rational:
            ends, dy = ((-sp.oo, sp.oo) if slope > 0 else (sp.oo, -sp.oo)), slope
        else:  # a slope declared nonzero (1/a for a dilation): over ℝ with |φ′|
            ends, dy = (-sp.oo, sp.oo), sp.Abs(slope)
        lims += [(z, *ends)] + list(node.limits[index + 1 :])
        body = _substituted(node.function, y, phi)
        if body is None:
            raise _Stuck("cannot substitute a variable that is differentiated in")
        new = sp.Integral(body * dy, *lims)
        node = run.apply(K.substitute, node, new, phi=phi, z=z)
        oriented = _orient(node)
        if oriented:
            node = run.apply(*oriented)


# ----------------------------------------------------------------------------- replay

_INVERSE = {K.unfold: K.fold, K.fold: K.unfold}


def _replay_backwards(run: _Run, rrun: _Run) -> None:
    """Walk the right side's normalisation back, from its normal form to the right side."""
    target = rrun.line
    names_l, names_r = {}, {}
    sigma = {}
    if K.canonical(run.line, names_l) == K.canonical(target, names_r):
        sigma = {v: w for c, vs in names_r.items() for v, w in zip(vs, names_l.get(c, ()))}
    if run.line != target.xreplace(sigma):
        run.rearrange(target.xreplace(sigma))
    lines = [s.line for s in rrun.d.steps]
    for n, (rule, old, new, params) in reversed(list(enumerate(rrun.moves))):
        if rule is K.rearrange:
            run.rearrange(lines[n].xreplace(sigma))
            continue
        params = {
            k: v.xreplace(sigma) if isinstance(v, sp.Basic) else v
            for k, v in params.items()
            if k != "assume"
        }
        old, new = new.xreplace(sigma), old.xreplace(sigma)
        if sum(node == old for node in sp.preorder_traversal(run.line)) != 1:
            # flattened into a sum, merged into an integral or with a constant, or (x for
            # id(x)) occurring more than once: the smallest context that changes
            old, new = _differing(run.line, lines[n].xreplace(sigma))
        run.apply(_INVERSE.get(rule, rule), old, new, **params)


def _differing(a, b):
    """The smallest pair of corresponding subexpressions where ``a`` and ``b`` differ."""
    while a.func == b.func and len(a.args) == len(b.args):
        diffs = [i for i, (p, q) in enumerate(zip(a.args, b.args)) if p != q]
        if len(diffs) != 1:
            break
        a, b = a.args[diffs[0]], b.args[diffs[0]]
    return a, b


# ----------------------------------------------------------------------------- replay

_RULES = {
    rule.__name__: rule
    for rule in (
        K.unfold,
        K.fold,
        K.substitute,
        K.reverse_limits,
        K.linearity,
        K.fubini,
        K.leibniz,
        K.chain_rule,
        K.sift,
        K.differentiate,
        K.product_rule,
        K.by_parts,
        K.conjugate,
        K.inversion,
    )
}


def recheck(derivation: K.Derivation, upto: int | None = None):
    """Check ``derivation`` again, step by step, from its statement: a new kernel derivation
    with the same lines (its first ``upto`` steps when given), or the kernel's
    :class:`~symconv.trusted.kernel.Refusal`."""
    d = K.begin(derivation.statement)
    for step in derivation.steps[1:][:upto]:
        if isinstance(d, K.Refusal):
            return d
        if step.rule == "rearrange":
            d = K.rearrange(d, step.new)
            continue
        params = {}
        if step.rule == "substitute":
            params = {"phi": step.info.get("phi"), "z": step.info.get("new_var")}
        if step.rule == "fubini":
            params["level"] = step.info["level"]
        if _RULES[step.rule] in _ASSUMING:
            params["assume"] = step.assumption
        d = _RULES[step.rule](d, step.old, step.new, **params)
    return d
