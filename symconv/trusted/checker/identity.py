"""Identity certificates: the checker's own transform images, and the kernel's replay.

The image of a term is recomputed from its operators with this table (one entry per
operator, checked complete like every interpretation), F[A](ω) = ∫ A(x) e^{−iωx} dx:

    f ↦ F_f(ω)        A * B ↦ F[A]·F[B]       A ⋆ B ↦ F[A](−ω)·F[B]     A⁻ ↦ F[A](−ω)
    δ(a) ↦ e^{−iωa}   τ(A, b) ↦ e^{−iωb}F[A]  dᵏA/dxᵏ ↦ (iω)ᵏ F[A]     0 ↦ 0
    A(a·) ↦ |a|⁻¹F[A](ω/a)    e^{iνx}A ↦ F[A](ω − ν)    A*…*A (n) ↦ F[A]ⁿ
    A(p) ↦ (1/2π)∫ F[A](ω) e^{iωp} dω          ⟨A, B⟩ ↦ (1/2π)∫ F[A](ω) F[B](−ω) dω
    ∫A ↦ F[A](0)

and compared by this module's canonical expansion: a sum of coefficient ·
i^e · ωⁿ · e^{−iωφ} · Π F_f(cω + d)^μ, collected by (atoms, n, e's symbolic part, φ). Equal
coefficients key by key mean equal images, hence equal terms for every Schwartz function;
scalars are compared after symmetrising ω ↔ −ω (∫Q(ω)dω = ∫Q(−ω)dω). Cross-correlation
is A⁻ * B for real functions (the notes' (10)); for a complex A it is conj(A)⁻ * B, which
this table does not certify, nor pointwise products, conjugates, the transform itself and
the function x (their images leave this algebra): a proof that uses them is not certified,
so the engine reports it ``unknown``.
"""

from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef

from symconv.language.fold import Algebra, refuse
from symconv.language.terms import FUNCTION, Operation
from symconv.trusted import kernel as K
from symconv.trusted.checker.common import Invalid, is_zero, need
from symconv.trusted.codec import Decoder

__all__ = ["check", "OMEGA", "image", "canonical", "CONVENTION", "SCOPE"]

CONVENTION = "F[A](ω) = ∫ A(x) exp(−iωx) dx"
SCOPE = "every Schwartz function; δ a tempered distribution"
OMEGA = sp.Dummy("ω", real=True)
#: The most terms an expanded image may have (a product of n sums of two has 2ⁿ).
MAX_TERMS = 20_000


def _reflect(e):
    return e.xreplace({OMEGA: -OMEGA})


def _terms_bound(expr) -> int:
    """An upper bound on the number of terms of the expanded image of ``expr``."""
    if isinstance(expr, sp.Add):
        return sum(_terms_bound(a) for a in expr.args)
    n = 1
    for a in expr.args if isinstance(expr, (sp.Mul, Operation)) else ():
        n *= _terms_bound(a)
    if getattr(expr, "operator", None) == "convpow" and expr.args[1].is_Integer:
        n = n ** min(int(expr.args[1]), 64)  # F[A]ⁿ expanded
    return min(n, 10 * MAX_TERMS)


_UNCERTIFIED = "the checker does not certify identities with"


class _Image(Algebra):
    """Term ↦ its image: an expression in ω for a function, (constant, integrand) for a number."""

    def fn(self, node, name, values):
        return sp.Function(f"F_{node.name}")(OMEGA)

    def zero(self, node):
        return sp.S.Zero

    id = refuse(f"{_UNCERTIFIED} the function x", Invalid)
    mul = refuse(f"{_UNCERTIFIED} pointwise products", Invalid)
    conj = refuse(f"{_UNCERTIFIED} complex conjugates", Invalid)
    fourier = refuse(f"{_UNCERTIFIED} the Fourier transform as an operator", Invalid)
    ifourier = refuse(f"{_UNCERTIFIED} the inverse Fourier transform", Invalid)

    def scale(self, node, a, factor):
        return a.xreplace({OMEGA: OMEGA / factor}) / sp.Abs(factor)

    def modulate(self, node, a, nu):
        return a.xreplace({OMEGA: OMEGA - nu})

    def convpow(self, node, a, n):
        return a**n

    def integral(self, node, a):
        return a.xreplace({OMEGA: sp.S.Zero}), sp.S.Zero

    def delta(self, node, a):
        return sp.exp(-sp.I * OMEGA * a)

    def conv(self, node, a, b):
        return a * b

    def xcorr(self, node, a, b):
        need(not _complex(node.left), f"{_UNCERTIFIED} the cross-correlation of a complex function")
        return _reflect(a) * b

    def flip(self, node, a):
        return _reflect(a)

    def shift(self, node, a, b):
        return sp.exp(-sp.I * OMEGA * b) * a

    def diff(self, node, a, k):
        return (sp.I * OMEGA) ** k * a

    def at(self, node, a, p):
        return sp.S.Zero, _defined(a * sp.exp(sp.I * OMEGA * p), node)

    def inner(self, node, a, b):
        return sp.S.Zero, _defined(a * _reflect(b), node)

    def add(self, node, values):
        return sp.Add(*values)

    def times(self, node, coefficient, value):
        need(not any(isinstance(n, Operation) for n in sp.preorder_traversal(coefficient)),
             f"a function scaled by a value of a function is not linear: {node}")
        return coefficient * value

    def constant(self, expr):
        return expr, sp.S.Zero

    def scalar_add(self, node, values):
        return sp.Add(*[c for c, _ in values]), sp.Add(*[q for _, q in values])

    def scalar_mul(self, node, values):
        dependent = [q for _, q in values if q != 0]
        need(len(dependent) <= 1, f"a product of two values of functions is not linear: {node}")
        const = sp.Mul(*[c for c, _ in values])
        if not dependent:
            return const, sp.S.Zero
        i = next(i for i, (_, q) in enumerate(values) if q != 0)
        return const, sp.Mul(*[c for j, (c, _) in enumerate(values) if j != i]) * values[i][1]

    scalar_pow = refuse("a power of a value of a function is not linear", Invalid)


def _defined(integrand, node):
    """A point value or a pairing is a number only when no part of it is δ alone."""
    for (atoms, *_), c in canonical(integrand).items():
        need(atoms, f"{node} is not a number: a δ has no value at a point, nor paired with a δ")
    return integrand


def image(term):
    need(_terms_bound(term) <= MAX_TERMS, f"the image would have more than {MAX_TERMS} terms")
    return _Image().fold(term)


def _key_part(exponent):
    """(constant, symbolic part) of an exponent that is a linear form with integer coefficients."""
    exponent = sp.expand(exponent)
    const, rest = exponent.as_coeff_Add()
    need(const.is_Integer, f"an exponent {exponent} that is not a linear form over the integers")
    return int(const), rest


def _complex(term) -> bool:
    return any(getattr(n, "is_complex_valued", False) for n in sp.preorder_traversal(term))


def _split(term):
    """One term of an expanded image as (key, coefficient)."""
    atoms, n, i_exp, phase, coeff = {}, sp.S.Zero, sp.S.Zero, sp.S.Zero, sp.S.One
    for f in sp.Mul.make_args(term):
        base, e = f.as_base_exp() if isinstance(f, sp.Pow) else (f, sp.S.One)
        if isinstance(base, AppliedUndef) and base.func.__name__.startswith("F_") and len(base.args) == 1:
            atom = (base.func.__name__, sp.expand(base.args[0]))
            atoms[atom] = atoms.get(atom, 0) + e
        elif base == OMEGA:
            n += e
        elif base in (sp.I, -sp.I, sp.S.NegativeOne):
            i_exp += e * {sp.I: 1, sp.S.NegativeOne: 2, -sp.I: 3}[base]
        elif isinstance(f, sp.exp):
            phase += f.args[0]
        elif not f.has(OMEGA):
            coeff *= f
        else:
            raise Invalid(f"cannot read the factor {f} of a transform image")
    phase = sp.expand(phase)
    slope = phase.coeff(OMEGA)
    rest = sp.expand(phase - slope * OMEGA)
    need(not rest.has(OMEGA), f"a phase {phase} that is not linear in ω")
    c, symbolic = _key_part(i_exp)
    symbolic = sp.Add(*[t.as_coeff_Mul()[0] % 4 * t.as_coeff_Mul()[1] for t in sp.Add.make_args(symbolic)])
    key = (tuple(sorted(((a, sp.expand(m)) for a, m in atoms.items()), key=str)), sp.expand(n), symbolic,
           sp.expand(slope))
    return key, coeff * sp.I ** (c % 4) * sp.exp(rest)


def canonical(expr) -> dict:
    """The nonzero coefficients of an image, by key."""
    out: dict = {}
    for term in sp.Add.make_args(sp.expand(expr)):
        key, c = _split(term)
        out[key] = out.get(key, sp.S.Zero) + c
    return {k: c for k, c in out.items() if not is_zero(c)}


def _same(a, b, what: str) -> None:
    left = canonical(a - b)
    need(not left, f"{what} differ in {len(left)} term(s), e.g. the coefficient {next(iter(left.values()), 0)}")


# ----------------------------------------------------------------------------- the check


def check(cert: dict) -> list[str]:
    """Re-verify a ``fourier`` certificate; raises :class:`Invalid`, else says what it did."""
    need(cert["convention"] == CONVENTION, f"the convention must be {CONVENTION!r}")
    need(cert["scope"] == SCOPE, f"the scope must be {SCOPE!r}")
    dec = Decoder(frequency=OMEGA)
    statement = dec.statement(cert["claim"])
    need(cert["statement"] == str(statement), "the statement shown is not the claim")
    eq = statement.equation()
    scalar = eq.kind != FUNCTION
    images = cert["images"]
    need(isinstance(images, dict) and set(images) == {"lhs", "rhs"}, "images are {lhs, rhs}")
    mine = {"lhs": image(eq.lhs), "rhs": image(eq.rhs)}
    for side in ("lhs", "rhs"):  # the route's image, when it gives one, must be the checker's
        if images[side] is not None:
            need(not scalar, "a scalar's image is recomputed, not recorded")
            _same(mine[side], dec(images[side]), f"the {side}'s images")
    if scalar:
        need(is_zero(mine["lhs"][0] - mine["rhs"][0]), "the constant parts of the sides differ")
        q = mine["lhs"][1] - mine["rhs"][1]
        _same(q + _reflect(q), sp.S.Zero, "the symmetrised integrands of the sides")
    else:
        _same(mine["lhs"], mine["rhs"], "the images of the sides")
    need(is_zero(dec(cert["difference"])), "the recorded difference of the normal forms is not 0")
    done = [f"images recomputed and equal ({'scalar' if scalar else 'function'} statement)"]
    if cert["derivation"] is not None:
        done.append(_replay(eq, cert["derivation"], cert["side_conditions"], dec))
    else:
        need(cert["side_conditions"] == [], "side conditions without a derivation that needs them")
    return done


_RULES = {
    "unfold": K.unfold,
    "fold": K.fold,
    "substitute": K.substitute,
    "reverse_limits": K.reverse_limits,
    "linearity": K.linearity,
    "fubini": K.fubini,
    "leibniz": K.leibniz,
    "chain_rule": K.chain_rule,
    "sift": K.sift,
}
_STEP_KEYS = {
    "rearrange": {"line"},
    "substitute": {"old", "new", "phi", "new_var"},
    "fubini": {"old", "new", "level", "assumption"},
    "leibniz": {"old", "new", "assumption"},
    "sift": {"old", "new", "assumption"},
}


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
        keys = _STEP_KEYS.get(rule, {"old", "new"})
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
