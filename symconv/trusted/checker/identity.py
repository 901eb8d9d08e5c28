"""Identity certificates: the checker's own transform images, and the kernel's replay.

On the statement's group G every function-valued term gets two readings, each an expression
or None: its values V(x) (pointwise products are products) and its image I(ω) = ∫ A(x)
e(−ωx) dx, a sum on ℤⁿ and ℤ/N (convolutions are products). e(u) = e^{iκu} is G's character
(κ = 1; 2π/N on ℤ/N), m its measure ((2π)ⁿ; N on ℤ/N), (α, β) the constants of its transform
𝓕A(ξ) = α∫ A(x) e(−βξx) dx. The table (one entry per operator, checked complete):

    f ↦ V = f(x), I = F_f(ω)            δ(a) ↦ I = e(−ωa)            0 ↦ 0, 0     id ↦ V = x
    A * B ↦ I = I_A·I_B                 A ⋆ B ↦ I = conj(I_A)·I_B
    A⁻ ↦ V(−x), I(−ω)                   τ(A, b) ↦ V(x − b), e(−ωb)·I
    dᵏA/dxᵏ ↦ dᵏV/dxᵏ, (iω)ᵏ·I          A·B ↦ V = V_A·V_B            A*…*A (k) ↦ I = I_Aᵏ
    A(a·) ↦ V(ax), |a|⁻ⁿI(ω/a)          e(νx)A ↦ V·e(νx), I(ω − ν)    conj A ↦ conj V, conj I(−ω)
    𝓕A ↦ V = α·I_A(βx), I = (αm/βⁿ)·V_A(−ω/β)        𝓕⁻¹B ↦ V = βⁿ/(αm)·I_B(−βx), I = V_B(ω/β)/α
    upsample(A, s) ↦ I(sω)    downsample(A, s) ↦ V(sx), and B's own for downsample(upsample(B, s), s)

A real function's atom F_f is Hermitian (conj F_f(ω) = F_f(−ω)). A(p) is V_A(p) or
(1/m)∫ I_A(t) e(tp) dt; ⟨A, B⟩ is ∫ V_A V_B or (1/m)∫ I_A(t) I_B(−t) dt; ∫A is I_A(0) or
∫ V_A; ⟨D_s A, B⟩ = ⟨A, U_s B⟩ and (D_s A)(p) = A(sp). A scalar keeps its readings (a
constant plus one integral: in t over the dual group, in s over ℤⁿ — on ℝⁿ and ℤ/N one
measure space), equal when some reading of each has equal constants and integrands equal
after t ↦ −t. On ℝⁿ and ℤⁿ (n > 1) ω, x, t are vectors written as one symbol: each parameter
must be a vector (a linear form without constant where the language has a point) or a
number, never both, so every exponent is a sum of dot products and formal equality is
equality.

The canonical expansion is a sum of coefficient · iᵉ · vⁿ · e^{cv} · Π atom^μ in the variable
v, collected by (atoms, n, e's symbolic part, c): equal keys with equal coefficients mean
equal expressions, so a proof here is sound, and complete where the normal form is. Readings
that leave this algebra are not certified (the engine reports ``unknown``). Derivations are
replayed on ℝ only.
"""

from __future__ import annotations

import itertools

import sympy as sp
from sympy.core.function import AppliedUndef

from symconv.language.fold import Algebra
from symconv.language.groups import R
from symconv.language.terms import (
    FUNCTION,
    REAL,
    At,
    Downsample,
    Inner,
    Operation,
    Upsample,
)
from symconv.trusted import kernel as K
from symconv.trusted.checker.common import Invalid, is_zero, need
from symconv.trusted.codec import Decoder

__all__ = ["check", "holds", "OMEGA", "readings", "canonical", "convention", "scope"]

CONVENTION = "F[A](ω) = ∫ A(x) exp(−iωx) dx"
SCOPE = "every Schwartz function; δ a tempered distribution"
_CONVENTIONS = {"R": "F[A](ω) = ∫ A(x) exp(−iω·x) dx", "Z": "F[A](ω) = Σ_x A(x) exp(−iω·x), ω on the torus",
                "ZN": "F[A](ω) = Σ_x A(x) exp(−2πiωx/N)"}
OMEGA = sp.Dummy("ω", real=True)
X = sp.Dummy("x", real=True)
T = sp.Dummy("t", real=True)
S = sp.Dummy("s", real=True)
#: The most terms an expanded reading may have (a product of n sums of two has 2ⁿ).
MAX_TERMS = 20_000
#: The most readings a scalar keeps.
MAX_READINGS = 16
_ATOMS: dict = {}
#: At most this many atoms are kept between checks (a library of thousands of function
#: names made a class for each, and kept them all).
MAX_ATOMS = 1024


def convention(group) -> str:
    return CONVENTION if group == R else f"on {group}: {_CONVENTIONS[group.kind]}"


def scope(group) -> str:
    return SCOPE if group == R else group.function_class


def bound_atoms() -> None:
    """Forget the atoms once there are many (called between checks, never within one)."""
    if len(_ATOMS) > MAX_ATOMS:
        _ATOMS.clear()


def _atom(name: str, k: int, real: bool, hat: bool):
    """The function f⁽ᵏ⁾ (``hat``: F_f, f's transform) as a SymPy function that knows its
    derivative, and its conjugate when f is real (F_f is Hermitian then)."""
    key = (name, k, real, hat)
    if key not in _ATOMS:

        def fdiff(self, argindex=1):
            return _atom(name, k + 1, real, hat)(self.args[0])

        def conjugate(self):
            if real and hat and k == 0:
                return self.func(-self.args[0])
            return self if real and not hat else None

        _ATOMS[key] = type(f"{'F_' if hat else ''}{name}{'⁽' + str(k) + '⁾' if k else ''}", (sp.Function,),
                           {"nargs": 1, "fdiff": fdiff, "_eval_conjugate": conjugate})
    return _ATOMS[key]


def _at(e, var, value):
    return None if e is None else e.xreplace({var: value})


def _terms_bound(expr) -> int:
    """An upper bound on the number of terms of an expanded reading of ``expr``."""
    if isinstance(expr, sp.Add):
        return sum(_terms_bound(a) for a in expr.args)
    n = 1
    for a in expr.args if isinstance(expr, (sp.Mul, Operation)) else ():
        n *= _terms_bound(a)
    if getattr(expr, "operator", None) == "convpow" and expr.args[1].is_Integer:
        n = n ** min(int(expr.args[1]), 64)  # F[A]ⁿ expanded
    return min(n, 10 * MAX_TERMS)


class _Readings(Algebra):
    """Term ↦ (V, I) for a function; a list of (constant, integrand) for a number."""

    def __init__(self, group=R):
        super().__init__()
        self.g, self.m, self.s = group, group.measure, S if group.kind == "Z" else T
        self.k = 2 * sp.pi / group.modulus if group.kind == "ZN" else sp.S.One

    def _e(self, u):  # the character e(u)
        return sp.exp(sp.I * self.k * u)

    def fn(self, node, name, values):
        real = not node.is_complex_valued
        return _atom(node.name, 0, real, False)(X), _atom(node.name, 0, real, True)(OMEGA)

    def delta(self, node, a):
        return None, self._e(-OMEGA * a)

    def zero(self, node):
        return sp.S.Zero, sp.S.Zero

    def id(self, node):
        return X, None

    def conv(self, node, a, b):
        return None, _product(a[1], b[1])

    def xcorr(self, node, a, b):
        return None, _product(_conj(a[1]), b[1])

    def convpow(self, node, a, n):
        return None, None if a[1] is None else a[1] ** n

    def flip(self, node, a):
        return _at(a[0], X, -X), _at(a[1], OMEGA, -OMEGA)

    def shift(self, node, a, b):
        return _at(a[0], X, X - b), _product(self._e(-OMEGA * b), a[1])

    def diff(self, node, a, k):
        v = None if a[0] is None or not k.is_Integer else sp.diff(a[0], X, int(k))
        return v, _product((sp.I * OMEGA) ** k, a[1])

    def mul(self, node, a, b):
        return _product(a[0], b[0]), None

    def scale(self, node, a, factor):
        return _at(a[0], X, factor * X), _product(sp.Abs(factor) ** -self.g.dim, _at(a[1], OMEGA, OMEGA / factor))

    def modulate(self, node, a, nu):
        return _product(a[0], self._e(nu * X)), _at(a[1], OMEGA, OMEGA - nu)

    def conj(self, node, a):
        return _conj(a[0]), _at(_conj(a[1]), OMEGA, -OMEGA)

    def fourier(self, node, a, convention):
        alpha, beta = self.g.transform_constants(convention.name)
        return (_product(alpha, _at(a[1], OMEGA, beta * X)),
                _product(alpha * self.m / beta**self.g.dim, _at(a[0], X, -OMEGA / beta)))

    def ifourier(self, node, a, convention):
        alpha, beta = self.g.transform_constants(convention.name)
        return (_product(beta**self.g.dim / (alpha * self.m), _at(a[1], OMEGA, -beta * X)),
                _product(1 / alpha, _at(a[0], X, OMEGA / beta)))

    def upsample(self, node, a, s):
        return None, _at(a[1], OMEGA, s * OMEGA)

    def downsample(self, node, a, s):
        if isinstance(node.arg, Upsample) and node.arg.factor == s:  # D_s U_s = id
            return self.fold(node.arg.arg)
        return _at(a[0], X, s * X), None

    # numbers: readings (constant, integrand in t over the dual group, or in s over G)
    def at(self, node, a, p):
        if isinstance(node.arg, Downsample):
            return self.fold(At(node.arg.arg, node.arg.stride * p))
        out = [] if a[0] is None else [(a[0].xreplace({X: p}), sp.S.Zero)]
        if a[1] is not None and (self.g.discrete or _defined(a[1])):
            out.append((sp.S.Zero, (a[1] * self._e(OMEGA * p)).xreplace({OMEGA: T}) / self.m))
        need(out, f"{node} is not a number: a δ has no value at a point")
        return out

    def inner(self, node, a, b):
        down = [x for x in node.args if isinstance(x, Downsample)]
        if down:  # ⟨D_s A, B⟩ = ⟨A, U_s B⟩
            other = node.args[1] if node.args[0] is down[0] else node.args[0]
            return self.fold(Inner(down[0].arg, Upsample(other, down[0].stride)))
        out = [] if a[0] is None or b[0] is None else [(sp.S.Zero, (a[0] * b[0]).xreplace({X: self.s}))]
        if a[1] is not None and b[1] is not None and (self.g.discrete or _defined(a[1] * _at(b[1], OMEGA, -OMEGA))):
            out.append((sp.S.Zero, (a[1] * _at(b[1], OMEGA, -OMEGA)).xreplace({OMEGA: T}) / self.m))
        need(out, f"{node} has no reading here (a δ paired with a δ, or no common domain)")
        return out

    def integral(self, node, a):
        out = [] if a[1] is None else [(a[1].xreplace({OMEGA: 0}), sp.S.Zero)]
        if a[0] is not None:
            out.append((sp.S.Zero, a[0].xreplace({X: self.s})))
        need(out, f"{node} has no reading here")
        return out

    def add(self, node, values):
        return tuple(None if any(v[i] is None for v in values) else sp.Add(*[v[i] for v in values])
                     for i in (0, 1))

    def times(self, node, coefficient, value):
        need(not any(isinstance(n, Operation) for n in sp.preorder_traversal(coefficient)),
             f"a function scaled by a value of a function is not linear: {node}")
        return _product(coefficient, value[0]), _product(coefficient, value[1])

    def constant(self, expr):
        return [(expr, sp.S.Zero)]

    def scalar_add(self, node, values):
        out = []
        for combo in itertools.product(*values):
            r = (sp.Add(*[c for c, _ in combo]), sp.Add(*[q for _, q in combo]))
            if r not in out:
                out.append(r)
        return out[:MAX_READINGS]

    def scalar_mul(self, node, values):
        out = []
        for combo in itertools.product(*values):  # (c₁ + ∫q₁)(c₂ + ∫q₂)… with one ∫ at most
            if sum(q != 0 for _, q in combo) > 1:
                continue
            const = sp.Mul(*[c for c, _ in combo])
            q = sum((sp.Mul(*[c for c, _ in combo[:i] + combo[i + 1:]]) * qi
                     for i, (_, qi) in enumerate(combo) if qi != 0), sp.S.Zero)
            out.append((const, q))
        need(out, f"a product of two values of functions is not linear: {node}")
        return out[:MAX_READINGS]

    def scalar_pow(self, node, base, exponent):
        plain = [(c**exponent, sp.S.Zero) for c, q in base if q == 0]
        need(exponent.is_Integer and 0 < exponent <= 8 and plain, f"a power of a value of a function: {node}")
        return plain


def _product(a, b):
    return None if a is None or b is None else a * b


def _conj(e):
    return None if e is None else sp.conjugate(e)


def _defined(image) -> bool:
    """A point value or a pairing is a number only when no part of it is δ alone."""
    return all(atoms for (atoms, *_), _ in canonical(image, OMEGA).items())


def readings(term, group=R):
    need(_terms_bound(term) <= MAX_TERMS, f"the readings would have more than {MAX_TERMS} terms")
    return _Readings(group).fold(term)


def _key_part(exponent):
    """(constant, symbolic part) of an exponent that is a linear form with integer coefficients."""
    exponent = sp.expand(exponent)
    const, rest = exponent.as_coeff_Add()
    need(const.is_Integer, f"an exponent {exponent} that is not a linear form over the integers")
    return int(const), rest


def _split(term, v):
    """One term of an expanded reading in the variable v as (key, coefficient)."""
    atoms, n, i_exp, phase, coeff = {}, sp.S.Zero, sp.S.Zero, sp.S.Zero, sp.S.One
    for f in sp.Mul.make_args(term):
        base, e = f.as_base_exp() if isinstance(f, sp.Pow) else (f, sp.S.One)
        if base == v:
            n += e
        elif base in (sp.I, -sp.I, sp.S.NegativeOne):
            i_exp += e * {sp.I: 1, sp.S.NegativeOne: 2, -sp.I: 3}[base]
        elif isinstance(f, sp.exp):
            phase += f.args[0]
        elif not f.has(v):
            coeff *= f
        elif isinstance(base, (AppliedUndef, sp.Function, sp.conjugate)) and not base.is_Pow:
            atom = base.func(*[sp.expand(a) for a in base.args])
            atoms[atom] = atoms.get(atom, 0) + e
        else:
            raise Invalid(f"cannot read the factor {f} of a reading")
    phase = sp.expand(phase)
    slope = phase.coeff(v)
    rest = sp.expand(phase - slope * v)
    need(not rest.has(v), f"a phase {phase} that is not linear")
    c, symbolic = _key_part(i_exp)
    symbolic = sp.Add(*[t.as_coeff_Mul()[0] % 4 * t.as_coeff_Mul()[1] for t in sp.Add.make_args(symbolic)])
    key = (tuple(sorted(((a, sp.expand(m)) for a, m in atoms.items()), key=str)), sp.expand(n), symbolic,
           sp.expand(slope))
    return key, coeff * sp.I ** (c % 4) * sp.exp(rest)


def canonical(expr, v) -> dict:
    """The nonzero coefficients of a reading in the variable v, by key."""
    out: dict = {}
    for term in sp.Add.make_args(sp.expand(expr)):
        key, c = _split(term, v)
        out[key] = out.get(key, sp.S.Zero) + c
    return {k: c for k, c in out.items() if not is_zero(c)}


def _equal(a, b, v) -> bool:
    return a is not None and b is not None and not canonical(a - b, v)


def _rescaled(reading, dim: int):
    """A reading, and the same with its integral rescaled so that its atoms' arguments have
    slope ±1 in t: ∫ P(t) dt = |c|⁻ⁿ ∫ P(t/c) dt (c real, nonzero; over ℝⁿ)."""
    c, q = reading
    atoms = set(_ATOMS.values())
    slopes = {abs(sp.expand(a.args[0]).coeff(T)) for a in q.atoms(sp.Function) if a.func in atoms}
    if len(slopes) != 1:
        return [reading]
    k = slopes.pop()
    if not (k.is_number and k.is_positive) or k == 1:
        return [reading]
    return [reading, (c, q.xreplace({T: T / k}) / k**dim)]


def _symmetric_zero(q) -> bool:
    """∫ q = 0 because q(t) + q(−t) is 0 (and the same in s)."""
    parts = {T: sp.S.Zero, S: sp.S.Zero}
    for term in sp.Add.make_args(sp.expand(q)):
        parts[S if term.has(S) else T] += term
    return all(not canonical(p + p.xreplace({v: -v}), v) for v, p in parts.items())


def _scalars_equal(left, right, group) -> bool:
    if group.kind == "R":  # rescaling an integral is a change of variables on ℝⁿ only
        left, right = ([r for reading in side for r in _rescaled(reading, group.dim)] for side in (left, right))
    return any(is_zero(cl - cr) and _symmetric_zero(ql - qr) for (cl, ql), (cr, qr) in itertools.product(left, right))


def _vectors_apart(eq) -> None:
    """On ℝⁿ, ℤⁿ (n > 1): a parameter is a vector (in linear forms without constants, where
    the language has a point) or a number (anywhere else), never both."""
    places, numbers = [], set()

    def walk(e):
        if isinstance(e, Operation):
            for (sort, _), arg in zip(e.signature, e.args):
                if sort == REAL:
                    places.append(sp.expand(arg))
                elif sort == FUNCTION:
                    walk(arg)
                elif isinstance(arg, sp.Expr):
                    numbers.update(arg.free_symbols)
            return
        numbers.update([e] if isinstance(e, sp.Symbol) else ())
        for a in e.args:
            walk(a)

    walk(eq.lhs)
    walk(eq.rhs)
    vectors = set().union(*(p.free_symbols for p in places))
    need(not vectors & numbers, f"{sorted(map(str, vectors & numbers))} stand for vectors and for numbers")
    for p in places:
        poly = sp.Poly(p, *vectors) if vectors and p != 0 else None
        need(p == 0 or (poly is not None and poly.total_degree() == 1 and poly.coeff_monomial(1) == 0),
             f"{p} is not a linear form in vectors on {eq.group}")


# ----------------------------------------------------------------------------- the check


def _equal_on_dual(a, b, group) -> bool:
    """On ℤ/N the images agree at every frequency ω = 0, …, N − 1 of the dual (for N > 64, ω an
    integer symbol): the transform on ℤ/N is a bijection onto the functions there."""
    n = group.modulus
    points = range(int(n)) if n.is_Integer and n <= 64 else [sp.Dummy("j", integer=True)]
    return all(not canonical((a - b).xreplace({OMEGA: j}), OMEGA) for j in points)


def holds(eq, mine=None) -> str:
    """Some reading of each side agrees (raises :class:`Invalid`); says which."""
    if eq.group.dim > 1:
        _vectors_apart(eq)
    (left, right) = mine or (readings(eq.lhs, eq.group), readings(eq.rhs, eq.group))
    if eq.kind != FUNCTION:
        need(_scalars_equal(left, right, eq.group), "no reading of the sides agrees")
        return "scalar statement"
    zn = eq.group.kind == "ZN" and left[1] is not None and right[1] is not None
    if _equal(left[1], right[1], OMEGA) or zn and _equal_on_dual(left[1], right[1], eq.group):
        return "images" + (f" at every frequency of {eq.group}" if eq.group.kind == "ZN" else "")
    need(_equal(left[0], right[0], X), "the images of the sides differ (and their values)")
    return "values"


def check(cert: dict) -> list[str]:
    """Re-verify a ``fourier`` certificate; raises :class:`Invalid`, else says what it did."""
    dec = Decoder(frequency=OMEGA)
    statement = dec.statement(cert["claim"])
    group = statement.group
    need(cert["convention"] == convention(group), f"the convention must be {convention(group)!r}")
    need(cert["scope"] == scope(group), f"the scope must be {scope(group)!r}")
    need(cert["statement"] == str(statement), "the statement shown is not the claim")
    eq = statement.equation()
    images = cert["images"]
    need(isinstance(images, dict) and set(images) == {"lhs", "rhs"}, "images are {lhs, rhs}")
    need(group == R or (images == {"lhs": None, "rhs": None} and cert["derivation"] is None),
         f"images and derivations are recorded on {R} only")
    mine = {"lhs": readings(eq.lhs, group), "rhs": readings(eq.rhs, group)}
    for side in ("lhs", "rhs"):  # the route's image, when it gives one, must be the checker's
        if images[side] is not None:
            need(eq.kind == FUNCTION and mine[side][1] is not None, "an image recorded where the checker has none")
            theirs = _reify(dec(images[side]), _complex_names(eq))
            need(_equal(mine[side][1], theirs, OMEGA), f"the {side}'s recorded image is not its image")
    how = holds(eq, (mine["lhs"], mine["rhs"]))
    need(is_zero(dec(cert["difference"])), "the recorded difference of the normal forms is not 0")
    derivation, conditions = cert["derivation"], cert["side_conditions"]
    need(derivation is not None or conditions == [], "side conditions without a derivation that needs them")
    return [f"readings on {group} recomputed and equal ({how})"] + (
        [] if derivation is None else [_replay(eq, derivation, conditions, dec)])


def _complex_names(eq) -> set:
    return {n.name for side in (eq.lhs, eq.rhs) for n in sp.preorder_traversal(side)
            if getattr(n, "is_complex_valued", False)}


def _reify(image, complex_names: set):
    """A recorded image's atoms F_f(·) as this module's atoms (Hermitian when f is real:
    the recorded image names F_f only, so the claim's functions say which are real)."""
    reps = {}
    for a in image.atoms(AppliedUndef):
        name = a.func.__name__
        need(name.startswith("F_") and len(a.args) == 1, f"an unknown atom {a} in a recorded image")
        reps[a] = _atom(name[2:], 0, name[2:] not in complex_names, True)(a.args[0])
    return image.xreplace(reps)


#: The kernel's rules a step may name (``rearrange`` apart); a step states the assumption of
#: its instance when it has one, and the kernel refuses one that needs it without it.
_RULES = {
    r.__name__: r
    for r in (K.unfold, K.fold, K.substitute, K.reverse_limits, K.linearity, K.fubini, K.leibniz,
              K.chain_rule, K.sift, K.differentiate, K.product_rule, K.by_parts, K.conjugate, K.inversion)
}
_STEP_KEYS = {"rearrange": {"line"}, "substitute": {"old", "new", "phi", "new_var"},
              "fubini": {"old", "new", "level"}}


def _assumption(data, dec: Decoder):
    need(isinstance(data, dict) and set(data) == {"rule", "subject"}, "an assumption is {rule, subject}")
    subject = dec(data["subject"])
    need(isinstance(subject, sp.Tuple) and isinstance(data["rule"], str), "a malformed assumption")
    return K.Assumption(data["rule"], tuple(subject))


def _replay(eq, derivation, side_conditions, dec: Decoder) -> str:
    """Every step again with the kernel's rules, from the statement to its right side."""
    need(isinstance(derivation, dict) and set(derivation) == {"steps"} and isinstance(derivation["steps"], list),
         "a derivation is {steps: [...]}")
    d = K.begin(eq)
    need(isinstance(d, K.Derivation), f"the kernel refuses to begin: {getattr(d, 'reason', d)}")
    for n, step in enumerate(derivation["steps"], start=1):
        rule = step.get("rule") if isinstance(step, dict) else None
        need(rule == "rearrange" or rule in _RULES, f"step {n}: unknown rule {rule!r}")
        keys = _STEP_KEYS.get(rule, {"old", "new"}) | ({"assumption"} if "assumption" in step else set())
        need(set(step) == keys | {"rule"}, f"step {n} ({rule}) must have exactly {sorted(keys)}")
        if rule == "rearrange":
            d = K.rearrange(d, dec(step["line"]))
        else:
            params = {}
            if rule == "substitute":
                params = {"phi": dec(step["phi"]), "z": dec(step["new_var"])}
            if rule == "fubini":
                need(isinstance(step["level"], int) and not isinstance(step["level"], bool), f"step {n}: level")
                params["level"] = step["level"]
            if "assumption" in keys:
                params["assume"] = _assumption(step["assumption"], dec)
            d = _RULES[rule](d, dec(step["old"]), dec(step["new"]), **params)
        need(isinstance(d, K.Derivation), f"step {n} ({rule}) refused by the kernel: {getattr(d, 'reason', '')}")
    need(d.complete, "the derivation does not end at the right side")
    used = []
    for s in d.steps:
        if s.assumption is not None and s.assumption not in used:
            used.append(s.assumption)
    need(isinstance(side_conditions, list), "side conditions are a list")
    stated = [_assumption(a, dec) for a in side_conditions]
    need(stated == used, "the side conditions are not the assumptions of the derivation's steps")
    return f"derivation of {len(d.steps) - 1} steps replayed by the kernel; {len(used)} side condition(s)"
