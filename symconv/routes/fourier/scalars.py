"""Canonical forms of scalar terms: polynomials in two kinds of atom.

* :class:`Ev` — the value B⁽ⁿ⁾(p) of a leaf (f, its conjugate, f̂, …) at a point p;
* :class:`Int` — ∫ P(x) dx for a canonical pointwise product P.

A value at a point and ∫ reduce to these: ∫ (D^k τ_c ⊛ chᵢ) = Π ∫ chᵢ (0 when k ≥ 1); the
value of a convolution at p is (1/2π) ∫ 𝓕[·](ω) e^{iωp} dω. An ∫ atom is written in one
way under the invariances of ∫ over ℝ: translation and dilation (a leaf of least shape is
put at B⁽ⁿ⁾(t)), and, for a product of two factors, Parseval's ∫ A B = (1/2π) ∫ Â(ω) B̂(−ω)
dω, keeping whichever side has fewer convolutions inside (then fewer transforms).
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from symconv.language.groups import Group, R
from symconv.language.terms import TermError
from symconv.routes.fourier import operations as ops
from symconv.routes.fourier.forms import (
    Base,
    CLeaf,
    CNode,
    Form,
    PLeaf,
    PNode,
    canonical,
    expanded,
    is_zero,
    leaf_to_p,
    make_pnode,
)

__all__ = ["Ev", "Int", "SForm", "integral", "value", "s_sum", "s_mul", "s_scale", "s_prune"]

_ONE = sp.S.One


@dataclass(frozen=True)
class Ev:
    """B⁽ⁿ⁾(point)."""

    base: Base
    n: int
    point: sp.Expr

    def key(self) -> tuple:
        return (0, self.base.key(), self.n, sp.sstr(self.point))


@dataclass(frozen=True)
class Int:
    """∫ P(x) dx."""

    node: PNode

    def key(self) -> tuple:
        return (1, self.node.key())


SForm = dict  # tuple of (atom, power) sorted by key -> coefficient


def _mono(atoms) -> tuple:
    acc: dict = {}
    for atom, power in atoms:
        acc[atom] = acc.get(atom, sp.S.Zero) + power
    return tuple(sorted(((a, sp.expand(p)) for a, p in acc.items() if p != 0), key=lambda x: x[0].key()))


def s_sum(*forms: SForm) -> SForm:
    out: SForm = {}
    for f in forms:
        for m, c in f.items():
            out[m] = out[m] + c if m in out else c
    return out


def s_mul(a: SForm, b: SForm) -> SForm:
    out: SForm = {}
    for ma, ca in a.items():
        for mb, cb in b.items():
            m = _mono(ma + mb)
            out[m] = out[m] + ca * cb if m in out else ca * cb
    return out


def s_scale(form: SForm, c) -> SForm:
    return {m: v * c for m, v in form.items()}


def s_prune(form: SForm) -> SForm:
    return {m: canonical(c) for m, c in form.items() if not is_zero(c)}


def _power(form: SForm, mu) -> SForm:
    if mu == 1:
        return form
    if getattr(mu, "is_Integer", False) or isinstance(mu, int):
        out: SForm = {(): _ONE}
        for _ in range(int(mu)):
            out = s_mul(out, form)
        return out
    if len(form) != 1:
        raise TermError("a symbolic power of a sum of values has no closed form here")
    ((m, c),) = form.items()
    return {_mono([(a, p * mu) for a, p in m]): c**mu}


# --------------------------------------------------------------------------- values at a point


def value(form: Form, p, group: Group = R) -> SForm:
    out: SForm = {}
    for mono, coef in form.items():
        out = s_sum(out, s_scale(_value_mono(mono, p, group), coef))
    return out


def _value_mono(mono, p, group: Group) -> SForm:
    if isinstance(mono, PNode):
        out: SForm = {(): p**mono.m * (sp.exp(sp.I * mono.nu * p) if mono.nu != 0 else _ONE)}
        for ch, mu in mono.children:
            if isinstance(ch, PLeaf):
                part = {((Ev(ch.base, ch.n, expanded(ch.a * p + ch.c)), _ONE),): _ONE}
            else:
                part = _value_mono(ch, p, group)
            out = s_mul(out, _power(part, mu))
        return out
    if not mono.children:
        if group.discrete and mono.k == 0:  # a Kronecker δ has values
            return {(): sp.KroneckerDelta(expanded(p - mono.c), 0)}
        raise TermError("the value of a δ at a point is undefined: it is not a number")
    if len(mono.children) == 1 and mono.children[0][1] == 1 and isinstance(mono.children[0][0], CLeaf):
        cl = mono.children[0][0]
        out = {}
        phase = sp.exp(sp.I * cl.nu * p) if cl.nu != 0 else _ONE
        for coef, j, pl in leaf_to_p(cl, mono.k, mono.c):
            atom = Ev(pl.base, pl.n, expanded(pl.a * p + pl.c))
            out = s_sum(out, {((atom, _ONE),): coef * p**j * phase})
        return out
    # (1/2π) ∫ 𝓕[C](ω) e^{iωp} dω (the group's measure for 2π)
    spectrum = ops.modulate(ops.fourier({mono: _ONE}, "angular", _dual(group)), p)
    return s_scale(integral(spectrum, _dual(group)), 1 / group.measure)


# --------------------------------------------------------------------------- integrals


def integral(form: Form, group: Group = R, dual: bool = True) -> SForm:
    """∫ (a sum on a discrete group) of a form."""
    out: SForm = {}
    for mono, coef in form.items():
        out = s_sum(out, s_scale(_integral_mono(mono, group, dual), coef))
    return out


def _integral_mono(mono, group: Group, dual: bool) -> SForm:
    if isinstance(mono, PNode):
        if not mono.children:
            raise TermError("∫ x^m e^{iνx} dx does not exist: outside the language")
        return _canonical_int(mono, group, dual)
    if mono.k.is_positive:
        return {}  # ∫ of a derivative of a Schwartz function (or of δ) is 0
    if mono.k != 0:
        raise TermError(f"cannot tell whether the derivative order {mono.k} is 0")
    out: SForm = {(): _ONE}
    for ch, mu in mono.children:
        if isinstance(ch, CLeaf):  # ∫ x^m e^{iνx} B(a x) dx = 𝓕[…](0)
            coef, pl = ops._fourier_child(ch, _dual(group))
            part = {((Ev(pl.base, pl.n, pl.c), _ONE),): coef}
        else:
            part = _canonical_int(ch, group, dual)
        out = s_mul(out, _power(part, mu))
    return out


def _hats(node) -> int:
    total = 0
    for ch, _ in node.children:
        if isinstance(ch, (CLeaf, PLeaf)):
            total += ch.base.hat
        else:
            total += _hats(ch)
    return total


def _cost(node: PNode) -> tuple:
    nested = sum(1 for ch, _ in node.children if isinstance(ch, CNode))
    return (nested, _hats(node), node.key())


def _placed(node: PNode, group: Group) -> tuple:
    """(coef, node′) with ∫ node = coef · ∫ node′, node′ the least of the translates and
    dilates that put a leaf of least shape at B⁽ⁿ⁾(t)."""
    leaves = [ch for ch, _ in node.children if isinstance(ch, PLeaf)]
    if not leaves:
        return _ONE, node
    least = min((lf.base.key(), lf.n) for lf in leaves)
    best = (_ONE, node)
    for lf in leaves:
        if (lf.base.key(), lf.n) != least:
            continue
        # t = a x + c: ∫ P(x) dx = |1/a| ∫ P((t − c)/a) dt (only a = ±1 on a discrete group)
        if group.discrete and lf.a not in (1, -1):
            continue
        moved = ops.shift(ops.scale({node: _ONE}, 1 / lf.a, group), lf.c)
        if len(moved) != 1:
            continue
        ((m2, c2),) = moved.items()
        if not isinstance(m2, PNode):
            continue
        cand = (c2 * sp.Abs(1 / lf.a) ** group.dim, m2)
        if cand[1].key() < best[1].key() or best[1] is node:
            best = cand
    return best


def _dual(group: Group) -> Group:
    """The group the transform lands on, for the internal use of Parseval and values of
    convolutions: itself on ℝⁿ and ℤ/N; on ℤ the circle, whose 2π-periodic functions the
    forms treat like functions on ℝ (the constants are the same, 2π)."""
    return Group("R", group.dim) if group.kind == "Z" else group


def _canonical_int(node: PNode, group: Group, dual: bool) -> SForm:
    coef, placed = _placed(node, group)
    chosen = {((Int(placed), _ONE),): coef}
    if not dual or placed.size != 2:
        return chosen
    if group.kind == "Z":  # the other side of Parseval lives on the circle: keep this one
        return chosen
    # Parseval: ∫ A B = (1/2π) ∫ 𝓕A(ω) 𝓕B(−ω) dω, the factor x^m e^{iνx} with A
    kids = [ch for ch, mu in placed.children for _ in range(int(mu))]
    a = make_pnode(_ONE, [(kids[0], _ONE)], placed.m, placed.nu)
    b = make_pnode(_ONE, [(kids[1], _ONE)], 0, 0)
    spectrum = ops.mul(ops.fourier(a, "angular", group), ops.scale(ops.fourier(b, "angular", group), -1, group))
    other = integral(spectrum, group, dual=False)
    other = s_prune(other)
    if len(other) != 1:
        return chosen
    ((mono, c2),) = other.items()
    if len(mono) != 1 or mono[0][1] != 1 or not isinstance(mono[0][0], Int):
        return chosen
    if _cost(mono[0][0].node) < _cost(placed):
        return {mono: coef * c2 / group.measure}
    return chosen
