"""The operations of the language on canonical forms (:mod:`symconv.routes.fourier.forms`):
convolution, pointwise product, shift, derivative, dilation, modulation, conjugation and
the Fourier transform, each a law for Schwartz functions written on monomials."""

from __future__ import annotations

import sympy as sp

from symconv.language.groups import Group, R
from symconv.language.terms import TermError
from symconv.routes.fourier.forms import (
    MAX_KEYS,
    FormTooLarge,
    CLeaf,
    CNode,
    Form,
    PLeaf,
    PNode,
    accumulate,
    cnode_modulate,
    expanded,
    form_sum,
    make_cnode,
    make_pnode,
    merge,
    pnode_derivative,
    pnode_shift,
)

__all__ = ["conv", "mul", "shift", "diff", "scale", "modulate", "conj", "fourier", "ifourier", "convpow"]

_I = sp.I
_ZERO, _ONE = sp.S.Zero, sp.S.One


def _bounded(a: Form, b: Form) -> None:
    if len(a) * len(b) > 4 * MAX_KEYS:
        raise FormTooLarge(f"a product of forms with {len(a)} and {len(b)} terms is too large")


def conv(a: Form, b: Form) -> Form:
    _bounded(a, b)
    out: Form = {}
    for ma, ca in a.items():
        for mb, cb in b.items():
            accumulate(out, make_cnode(ca * cb, [(ma, _ONE), (mb, _ONE)], _ZERO, _ZERO))
    return out


def mul(a: Form, b: Form) -> Form:
    _bounded(a, b)
    out: Form = {}
    for ma, ca in a.items():
        for mb, cb in b.items():
            accumulate(out, make_pnode(ca * cb, [(ma, _ONE), (mb, _ONE)], _ZERO, _ZERO))
    return out


def shift(form: Form, b) -> Form:
    b = expanded(b)
    if b == 0:
        return form
    out: Form = {}
    for mono, coef in form.items():
        if isinstance(mono, CNode):
            accumulate(out, {CNode(mono.children, mono.k, expanded(mono.c + b)): coef})
        else:
            accumulate(out, pnode_shift(coef, mono, b))
    return out


def diff(form: Form, k) -> Form:
    out: Form = {}
    for mono, coef in form.items():
        if isinstance(mono, CNode):
            accumulate(out, {CNode(mono.children, expanded(mono.k + k), mono.c): coef})
            continue
        if not k.is_Integer:
            raise TermError(
                "a derivative of symbolic order of a pointwise product has no closed form "
                "(the Leibniz sum has k + 1 terms): outside the decided language"
            )
        part: Form = {mono: coef}
        for _ in range(int(k)):
            part = form_sum(
                *[
                    pnode_derivative(c, m) if isinstance(m, PNode) else {CNode(m.children, m.k + 1, m.c): c}
                    for m, c in part.items()
                ]
            )
        accumulate(out, part)
    return out


def modulate(form: Form, nu) -> Form:
    nu = expanded(nu)
    if nu == 0:
        return form
    out: Form = {}
    for mono, coef in form.items():
        if isinstance(mono, PNode):
            accumulate(out, make_pnode(coef, list(mono.children), mono.m, mono.nu + nu))
        else:
            accumulate(out, cnode_modulate(coef, mono, nu))
    return out


# --------------------------------------------------------------------------- dilation


def _scale_child(child, s, dim):
    """(coef, child′) with child′ = child(s ·)."""
    if isinstance(child, CLeaf):  # (s x)^m e^{iνsx} B(a s x)
        return s**child.m, child.with_(nu=child.nu * s, a=child.a * s)
    if isinstance(child, PLeaf):
        return _ONE, child.with_(a=child.a * s)
    return _scale_node(child, s, dim)


def _scale_node(node, s, dim):
    kids, coef = [], _ONE
    for ch, mu in node.children:
        c, ch2 = _scale_child(ch, s, dim)
        coef *= c**mu
        kids.append((ch2, mu))
    if isinstance(node, CNode):
        # R_s D^k τ_c (⊛ chᵢ) = s^{−k} D^k τ_{c/s} |s|^{n(N−1)} (⊛ R_s chᵢ) on ℝⁿ
        coef *= s ** (-node.k) * sp.Abs(s) ** (dim * (node.size - 1))
        return coef, CNode(merge(kids), node.k, expanded(node.c / s))
    return coef * s**node.m, PNode(merge(kids), node.m, expanded(node.nu * s))


def scale(form: Form, s, group: Group = R) -> Form:
    """A(s x), s ≠ 0 (a flip, s = −1, on every group; other dilations on ℝⁿ only)."""
    s = expanded(s)
    if s == 1:
        return form
    if group.discrete and s != -1:
        raise TermError(f"a dilation of a function on {group} is not defined")
    out: Form = {}
    for mono, coef in form.items():
        c, node = _scale_node(mono, s, group.dim)
        accumulate(out, _remake(coef * c, node))
    return out


def _remake(coef, node) -> Form:
    if isinstance(node, CNode):
        return make_cnode(coef, list(node.children), node.k, node.c)
    return make_pnode(coef, list(node.children), node.m, node.nu)


# --------------------------------------------------------------------------- conjugation


def _conj_child(child):
    if isinstance(child, CLeaf):  # conj(x^m e^{iνx} B(a x)) = x^m e^{−iνx} conj(B)(a x)
        base, flipped = child.base.conjugated()
        return _ONE, child.with_(base=base, nu=-child.nu, a=-child.a if flipped else child.a)
    if isinstance(child, PLeaf):  # conj(B⁽ⁿ⁾(u)); conj(f̂)(u) = (𝓕 conj f)(−u)
        base, flipped = child.base.conjugated()
        if not flipped:
            return _ONE, child.with_(base=base)
        return (-1) ** child.n, child.with_(base=base, a=-child.a, c=-child.c)
    return _conj_node(child)


def _conj_node(node):
    kids, coef = [], _ONE
    for ch, mu in node.children:
        c, ch2 = _conj_child(ch)
        coef *= c**mu
        kids.append((ch2, mu))
    if isinstance(node, CNode):
        return coef, CNode(merge(kids), node.k, node.c)
    return coef, PNode(merge(kids), node.m, expanded(-node.nu))


def conj(form: Form) -> Form:
    out: Form = {}
    for mono, coef in form.items():
        c, node = _conj_node(mono)
        accumulate(out, _remake(sp.conjugate(coef) * c, node))
    return out


# --------------------------------------------------------------------------- the Fourier transform


def _fourier_child(child, group: Group = R):
    """(coef, child′) with 𝓕child = coef · child′, child′ of the other kind of node (the
    group's transform: |a|⁻ⁿ for a dilation on ℝⁿ, the group's measure for 𝓕𝓕)."""
    dim, measure = group.dim, group.measure
    if isinstance(child, CLeaf):
        # 𝓕[x^m e^{iνx} B(a x)](ω) = i^m Dᵐ [|a|⁻¹ B̂((ω − ν)/a)]
        base, two_pi_flip = child.base.transformed()
        m, nu, a = child.m, child.nu, child.a
        coef = _I**m * sp.Abs(a) ** -dim
        if not two_pi_flip:
            return coef * a ** (-m), PLeaf(base, int(m), expanded(1 / a), expanded(-nu / a))
        # B̂ = 2π g⁻: Dᵐ[g(−(ω − ν)/a)] = (−1/a)^m g⁽ᵐ⁾(−(ω − ν)/a)
        return coef * measure * (-1 / a) ** m, PLeaf(base, int(m), expanded(-1 / a), expanded(nu / a))
    if isinstance(child, PLeaf):
        # 𝓕[B⁽ⁿ⁾(a x + c)](ω) = |a|⁻¹ e^{iωc/a} (iω/a)ⁿ B̂(ω/a)
        base, two_pi_flip = child.base.transformed()
        n, a, c = child.n, child.a, child.c
        coef = sp.Abs(a) ** -dim * (_I / a) ** n
        if not two_pi_flip:
            return coef, CLeaf(base, sp.Integer(n), expanded(c / a), expanded(1 / a))
        return coef * measure, CLeaf(base, sp.Integer(n), expanded(c / a), expanded(-1 / a))
    return _fourier_node(child, group)


def _fourier_node(node, group: Group = R):
    kids, coef = [], _ONE
    for ch, mu in node.children:
        c, ch2 = _fourier_child(ch, group)
        coef *= c**mu
        kids.append((ch2, mu))
    if isinstance(node, CNode):
        # 𝓕[D^k τ_c ⊛ chᵢ] = (iω)^k e^{−iωc} Π 𝓕chᵢ
        return coef * _I**node.k, PNode(merge(kids), node.k, expanded(-node.c))
    # 𝓕[x^m e^{iνx} Π chᵢ] = (i D)^m τ_ν (2π)^{1−N} ⊛ 𝓕chᵢ (the group's measure for 2π)
    return coef * _I**node.m * group.measure ** (1 - node.size), CNode(merge(kids), node.m, node.nu)


def _fourier_angular(form: Form, group: Group = R) -> Form:
    out: Form = {}
    for mono, coef in form.items():
        c, node = _fourier_node(mono, group)
        accumulate(out, _remake(coef * c, node))
    return out


def fourier(form: Form, convention: str, group: Group = R) -> Form:
    """A ∫ A(x) e^{−iBωx} dx = A · (𝓕A)(B ω) for the convention's (A, B) on the group."""
    if not group.self_dual:
        raise TermError(f"the transform of a function on {group} is not a function on {group}")
    a, b = group.transform_constants(convention)
    return {m: c * a for m, c in scale(_fourier_angular(form, group), b, group).items()}


def ifourier(form: Form, convention: str, group: Group = R) -> Form:
    """The inverse: (1/(measure · A)) · 𝓕(X(·/B)) flipped."""
    if not group.self_dual:
        raise TermError(f"the transform of a function on {group} is not a function on {group}")
    a, b = group.transform_constants(convention)
    out = scale(_fourier_angular(scale(form, 1 / b, group), group), -1, group)
    return {m: c / (group.measure * a) for m, c in out.items()}


def convpow(form: Form, n) -> Form:
    if n.is_Integer:
        out = form
        for _ in range(int(n) - 1):
            out = conv(out, form)
        return out
    if len(form) != 1:
        raise TermError(
            "an iterated convolution of a sum with a symbolic number of factors has no "
            "closed form: outside the decided language"
        )
    (mono, coef), = form.items()
    return make_cnode(coef**n, [(mono, n)], _ZERO, _ZERO)
