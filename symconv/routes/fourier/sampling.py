"""The sampling of strided layers on ℤⁿ in the normal form: upsample and downsample.

On ℤⁿ, U_s f(x) = f(x/s) where s divides x (0 elsewhere) and D_s f(x) = f(s x). Neither is
a dilation in the sense of ℝ (a dilation of a sequence is not defined), and the rewrites
here are exactly the identities that hold on ℤⁿ:

* U_s is a homomorphism for both products and commutes with what the forms keep at a node:
  U_s(A * B) = U_s A * U_s B, U_s(A · B) = U_s A · U_s B, U_s τ_c A = τ_{sc} U_s A,
  U_s δ_c = δ_{sc}, U_s(A⁻) = (U_s A)⁻, U_s(x^m e^{iνx} A) = s^{−m} x^m e^{iνx/s} U_s A,
  U_s conj A = conj U_s A. So U_s is pushed down to the leaves, where U_s f becomes an
  *opaque* function (a leaf of its own, ``f↑s``; U_s U_t f = U_{st} f).
* D_s is not a homomorphism for convolution (D_s(A * B) ≠ D_s A * D_s B: it aliases), so
  D_s A is an opaque function of its own, one per (s, normal form of A) — equal forms give
  the same leaf (congruence), different ones different leaves — except where D_s U_s = id
  undoes an upsampling exactly.
* The adjoint ⟨D_s A, B⟩ = ⟨A, U_s B⟩ (both Σ_x A(s x) B(x)) and the value
  (D_s A)(p) = A(s p) are applied where a bare D_s leaf meets an inner product or a point.

An opaque leaf is a function like any other, so every rule of the normal form stays an
identity: equal forms are a proof. But the leaves are not independent of the functions
they are made from (D_s τ_{2s} f = τ_2 D_s f, ⟨U_s f, U_s g⟩ = ⟨f, g⟩), so a difference is
only a lead (:attr:`Sampling.used` makes the decision incomplete).
"""

from __future__ import annotations

import sympy as sp

from symconv.language.terms import TermError
from symconv.routes.fourier import operations as ops
from symconv.routes.fourier.forms import (
    Base,
    CLeaf,
    CNode,
    Form,
    PLeaf,
    PNode,
    accumulate,
    canonical,
    expanded,
    form_scale,
    leaf,
    make_cnode,
    make_pnode,
    prune,
)

__all__ = ["Sampling"]

_ONE = sp.S.One


def _remake(coef, node) -> Form:
    if isinstance(node, CNode):
        return make_cnode(coef, list(node.children), node.k, node.c)
    return make_pnode(coef, list(node.children), node.m, node.nu)


def _whole(q) -> bool:
    """q is an integer (a number) or a polynomial with integer coefficients in the
    statement's symbols (no denominator)."""
    q = sp.expand(q)
    if q.is_number:
        return bool(q.is_integer)
    numer, denom = q.as_numer_denom()
    if denom != 1 or not numer.is_polynomial(*numer.free_symbols):
        return False  # not known to be an integer: the rewrite is not made
    return all(c.is_Integer for c in sp.Poly(numer, *sorted(numer.free_symbols, key=str)).coeffs())


class Sampling:
    """The opaque leaves of one decision (shared by its two sides, so that the same
    D_s A gets the same leaf on both)."""

    def __init__(self):
        self.up: dict = {}  # leaf name -> (root name, factor)
        self.down: dict = {}  # leaf name -> (stride, form of the argument)
        self.down_names: dict = {}  # (stride, key of the form) -> leaf name
        self.used = False

    # ------------------------------------------------------------------ upsampling

    def _up_base(self, base: Base, s) -> Base:
        if base.hat:
            raise TermError("a transform of a sequence is not a term on ℤⁿ")
        root, factor = self.up.get(base.name, (base.name, _ONE))
        factor = expanded(factor * s)
        name = f"{root}↑{sp.sstr(factor)}"
        self.up[name] = (root, factor)
        return Base(name, False, base.conj, base.complex)

    def _up_child(self, child, s):
        if isinstance(child, CLeaf):  # U_s[x^m e^{iνx} B(a x)] = s^{−m} x^m e^{iνx/s} (U_s B)(a x)
            return s ** (-child.m), CLeaf(self._up_base(child.base, s), child.m, expanded(child.nu / s), child.a)
        if isinstance(child, PLeaf):  # U_s[B(a x + c)] = (U_s B)(a x + s c)
            if child.n:
                raise TermError("a derivative of a sequence is not defined")
            return _ONE, PLeaf(self._up_base(child.base, s), 0, child.a, expanded(s * child.c))
        return self._up_node(child, s)

    def _up_node(self, node, s):
        kids, coef = [], _ONE
        for ch, mu in node.children:
            c, ch2 = self._up_child(ch, s)
            coef *= c**mu
            kids.append((ch2, mu))
        if isinstance(node, CNode):
            if node.k != 0:
                raise TermError("a derivative of a sequence is not defined")
            return coef, CNode(tuple(kids), node.k, expanded(s * node.c))
        return coef * s ** (-node.m), PNode(tuple(kids), node.m, expanded(node.nu / s))

    def upsample(self, form: Form, s) -> Form:
        """U_s A, pushed down to the leaves."""
        if s == 1:
            return form
        self.used = True
        out: Form = {}
        for mono, coef in form.items():
            c, node = self._up_node(mono, s)
            accumulate(out, _remake(coef * c, node))
        return out

    # ------------------------------------------------------------------ downsampling

    def _down_base(self, base: Base, s):
        """The base B with U_s B = ``base``, or None."""
        if base.name not in self.up:
            return None
        root, factor = self.up[base.name]
        q = sp.expand(factor / s)
        if q == 1:
            return Base(root, False, base.conj, base.complex)
        if not (q.is_integer and q.is_positive):
            return None
        name = f"{root}↑{sp.sstr(q)}"
        self.up[name] = (root, q)
        return Base(name, False, base.conj, base.complex)

    def _down_child(self, child, s):
        if isinstance(child, CLeaf):
            base = self._down_base(child.base, s)
            if base is None:
                return None
            return s**child.m, CLeaf(base, child.m, expanded(child.nu * s), child.a)
        if isinstance(child, PLeaf):
            base = self._down_base(child.base, s)
            if base is None or not _whole(child.c / s):
                return None
            return _ONE, PLeaf(base, child.n, child.a, expanded(child.c / s))
        return self._down_node(child, s)

    def _down_node(self, node, s):
        """(coef, node′) with U_s node′ = node / coef, or None."""
        kids, coef = [], _ONE
        for ch, mu in node.children:
            got = self._down_child(ch, s)
            if got is None:
                return None
            c, ch2 = got
            coef *= c**mu
            kids.append((ch2, mu))
        if isinstance(node, CNode):
            if not _whole(node.c / s):
                return None
            return coef, CNode(tuple(kids), node.k, expanded(node.c / s))
        return coef * s**node.m, PNode(tuple(kids), node.m, expanded(node.nu * s))

    def _undo_upsampling(self, form: Form, s) -> Form | None:
        """B with U_s B = ``form`` (then D_s form = B), or None."""
        out: Form = {}
        for mono, coef in form.items():
            got = self._down_node(mono, s)
            if got is None:
                return None
            c, node = got
            accumulate(out, _remake(coef * c, node))
        return out

    def downsample(self, form: Form, s, shown: str) -> Form:
        """D_s A: B when A = U_s B, else an opaque leaf for (s, A)."""
        if s == 1:
            return form
        self.used = True
        form = prune(form)
        undone = self._undo_upsampling(form, s)
        if undone is not None:
            return undone
        shifts = {m.c for m in form if isinstance(m, CNode)}
        if len(shifts) == 1 and all(isinstance(m, CNode) for m in form):
            (c,) = shifts
            if c != 0 and _whole(c / s):  # D_s τ_{sq} A = τ_q D_s A
                unshifted = ops.shift(form, -c)
                return ops.shift(self.downsample(unshifted, s, None), expanded(c / s))
        key = (sp.sstr(s), tuple(sorted((m.key(), sp.sstr(canonical(c))) for m, c in form.items())))
        name = self.down_names.get(key)
        if name is None:
            base = f"↓{sp.sstr(s)}({shown if shown is not None else ', '.join(_leaf_names(form))})"
            name, n = base, 1
            while name in self.down:
                n += 1
                name = f"{base}#{n}"
            self.down_names[key] = name
            self.down[name] = (s, form)
        return {leaf(name, _is_complex(form)): _ONE}

    # ------------------------------------------------------------------ inner products, values

    def _bare_down(self, mono):
        """(stride, form, conj, a, c) when ``mono`` is τ_c of a D_s leaf at a x (a = ±1)."""
        if not (isinstance(mono, CNode) and mono.k == 0 and len(mono.children) == 1):
            return None
        (ch, mu), = mono.children
        if mu != 1 or not isinstance(ch, CLeaf) or ch.base.name not in self.down:
            return None
        if ch.m != 0 or ch.nu != 0 or ch.a not in (1, -1) or ch.base.hat:
            return None
        s, form = self.down[ch.base.name]
        return s, form, ch.base.conj, ch.a, mono.c

    def _argument(self, form, conj) -> Form:
        return ops.conj(form) if conj else form

    def _move(self, x: Form, other: Form, group) -> tuple[list, Form]:
        """The bare D_s monomials of ``x`` moved to the other side of ⟨x, other⟩, and the
        rest of ``x``."""
        pairs, rest = [], {}
        for mono, coef in x.items():
            hit = self._bare_down(mono)
            if hit is None:
                rest[mono] = coef
                continue
            s, form, conj, sign, c = hit
            moved = ops.shift(other, -c)
            if sign == -1:
                moved = ops.scale(moved, -1, group)
            pairs.append((form_scale(self._argument(form, conj), coef), self.upsample(moved, s)))
        return pairs, rest

    def adjoint_pairs(self, a: Form, b: Form, group) -> list:
        """[(A′, B′), …] with Σ ⟨A′, B′⟩ = ⟨a, b⟩: ⟨τ_c R D_s A, B⟩ = ⟨A, U_s R τ_{−c} B⟩
        (R the flip when a = −1) for each bare D_s monomial of either side (⟨·,·⟩ is
        bilinear and symmetric: no conjugate in it)."""
        if not self.down:
            return [(a, b)]
        pairs, rest_a = self._move(a, b, group)
        if not rest_a:
            return pairs
        more, rest_b = self._move(b, rest_a, group)
        pairs += more
        if rest_b:
            pairs.append((rest_a, rest_b))
        return pairs

    def value_parts(self, form: Form, point) -> list:
        """[(form′, point′), …] with Σ form′(point′) = form(point): (τ_c R_a D_s A)(p) =
        A(s a (p − c)) for each bare D_s monomial."""
        if not self.down:
            return [(form, point)]
        parts, rest = [], {}
        for mono, coef in form.items():
            hit = self._bare_down(mono)
            if hit is None:
                rest[mono] = coef
                continue
            s, inner, conj, sign, c = hit
            parts.append((form_scale(self._argument(inner, conj), coef), expanded(s * sign * (point - c))))
        if rest:
            parts.append((rest, point))
        return parts


def _leaf_names(form: Form) -> list:
    names: set = set()

    def walk(node):
        if isinstance(node, (CLeaf, PLeaf)):
            names.add(node.base.name)
            return
        for ch, _ in node.children:
            walk(ch)

    for mono in form:
        walk(mono)
    return sorted(names) or ["δ"]


def _is_complex(form: Form) -> bool:
    """Whether a function of this form may take complex values (conservatively: a real
    function marked complex only loses completeness, never soundness)."""
    for mono, coef in form.items():
        if sp.sympify(coef, strict=True).has(sp.I) or _node_complex(mono):
            return True
    return False


def _node_complex(node) -> bool:
    if isinstance(node, (CLeaf, PLeaf)):
        return node.base.complex or node.base.hat or (isinstance(node, CLeaf) and node.nu != 0)
    if isinstance(node, PNode) and node.nu != 0:
        return True
    return any(_node_complex(ch) for ch, _ in node.children)
