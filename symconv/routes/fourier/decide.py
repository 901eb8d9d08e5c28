"""Terms to canonical forms (one algebra over the language), and the decision on a statement."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import sympy as sp

from symconv.language.fold import Algebra, refuse
from symconv.language.groups import Group, R
from symconv.language.terms import FUNCTION, Operation, Statement, TermError, kind_of
from symconv.results.conditions import SideCondition, Trace
from symconv.routes.fourier import operations as ops
from symconv.routes.fourier import scalars
from symconv.routes.fourier.forms import (
    CLeaf,
    CNode,
    Form,
    PLeaf,
    PNode,
    canonical,
    certainly_nonzero,
    delta,
    form_scale,
    form_sum,
    is_zero,
    leaf,
    prune,
)
from symconv.routes.fourier.sampling import Sampling

__all__ = ["OMEGA", "show", "Monomial", "Decision", "normal_form", "decide", "form_expr"]

#: The frequency variable. A Dummy, so that no parameter of a statement (a user may well
#: call one ``omega`` or ``ω``) can ever be the same symbol.
OMEGA = sp.Dummy("omega", real=True)
#: How ω is shown in reasons and reports (display only).
_OMEGA_SHOWN = sp.Symbol("ω", real=True)
_ONE, _ZERO = sp.S.One, sp.S.Zero


def show(expr) -> str:
    """An expression of the Fourier domain as text, with ω for the frequency."""
    return sp.sstr(sp.sympify(expr, strict=True).xreplace({OMEGA: _OMEGA_SHOWN}))


def _depends(expr) -> bool:
    return any(isinstance(a, Operation) for a in sp.preorder_traversal(expr))


class _Normalizer(Algebra):
    """Terms to forms (a scalar to an :data:`~symconv.routes.fourier.scalars.SForm`),
    recording the time-domain rules each step stands for."""

    def __init__(
        self,
        trace: Trace,
        check: Callable[[], None] | None = None,
        group: Group = R,
        sampling: Sampling | None = None,
    ):
        super().__init__()
        self.trace = trace
        self.check = check or (lambda: None)
        self.group = group
        self.sampling = sampling or Sampling()  # the opaque leaves of strided layers (ℤⁿ)

    def fold(self, expr):
        self.check()
        return super().fold(expr)

    # leaves
    def fn(self, node, name, values):
        return {leaf(node.name, node.is_complex_valued): _ONE}

    def delta(self, node, point):
        return {delta(0, point): _ONE}

    def zero(self, node):
        return {}

    def id(self, node):
        return {PNode((), _ONE, _ZERO): _ONE}

    # the notes' operators
    def conv(self, node, a, b):
        self._convolution_rules(node, a, b)
        return ops.conv(a, b)

    def xcorr(self, node, a, b):
        self.trace.use("xcorr_as_conv", node)
        flipped = self._flipped(node.left, ops.conj(a))
        self._convolution_rules(node, flipped, b)
        return ops.conv(flipped, b)

    def flip(self, node, a):
        return self._flipped(node, a)

    def shift(self, node, a, amount):
        return ops.shift(a, amount)

    def diff(self, node, a, order):
        if any(isinstance(m, PNode) for m in a):
            self.trace.use("product_rule", node)
        return ops.diff(a, order)

    def add(self, node, forms):
        return form_sum(*forms)

    def times(self, node, coefficient, form):
        if _depends(coefficient):
            raise TermError(
                "a function scaled by a value of a function is not linear; "
                "it is outside the language"
            )
        return form_scale(form, coefficient)

    # the larger language
    def mul(self, node, a, b):
        return ops.mul(a, b)

    def scale(self, node, a, factor):
        self.trace.use("dilation", node)
        return ops.scale(a, factor, self.group)

    def modulate(self, node, a, nu):
        return ops.modulate(a, nu)

    def conj(self, node, a):
        return ops.conj(a)

    def convpow(self, node, a, n):
        if len(a) > 1 or n != 1:
            self.trace.use("convolution_assoc", node)
        return ops.convpow(a, n)

    def fourier(self, node, a, convention):
        self._fourier_rules(node, a)
        return ops.fourier(a, convention.name, self.group)

    def ifourier(self, node, a, convention):
        self._fourier_rules(node, a)
        self.trace.use("fourier_inversion", node)
        return ops.ifourier(a, convention.name, self.group)

    # scalars
    def at(self, node, form, point):
        parts = self.sampling.value_parts(form, point)  # (D_s A)(p) = A(s p)
        return scalars.s_sum(*[scalars.value(prune(f), p, self.group) for f, p in parts])

    def inner(self, node, a, b):
        self.trace.use("inner_as_conv", node)  # ⟨A, B⟩ = (A * B⁻)(0): δ sifts
        pairs = self.sampling.adjoint_pairs(a, b, self.group)  # ⟨D_s A, B⟩ = ⟨A, U_s B⟩
        return scalars.s_sum(*[
            scalars.value(prune(ops.conv(p, ops.scale(q, -1, self.group))), _ZERO, self.group)
            for p, q in pairs
        ])

    def integral(self, node, a):
        return scalars.integral(a, self.group)

    # the sampling of strided layers on ℤⁿ (symconv.routes.fourier.sampling)
    def upsample(self, node, a, s):
        self._sampling_allowed(node)
        return self.sampling.upsample(a, s)

    def downsample(self, node, a, s):
        self._sampling_allowed(node)
        return self.sampling.downsample(a, s, str(node.arg))

    def _sampling_allowed(self, node) -> None:
        reason = self.group.refuses(node.operator)
        if reason:
            raise TermError(reason)

    def constant(self, expr):
        return {(): expr} if expr != 0 else {}

    def scalar_add(self, node, values):
        return scalars.s_sum(*values)

    def scalar_mul(self, node, values):
        out = {(): _ONE}
        for v in values:
            out = scalars.s_mul(out, v)
        return out

    scalar_pow = refuse("a power of a value of a function is not linear; it is outside the language")

    # rules, for the side conditions of a proof
    def _flipped(self, node, form: Form) -> Form:
        for mono in form:
            if isinstance(mono, CNode) and len(mono.children) + (mono.k != 0) > 1:
                self.trace.use("flip_conv" if len(mono.children) > 1 else "flip_deriv", node)
        return ops.scale(form, -1, self.group)

    def _convolution_rules(self, node, a: Form, b: Form) -> None:
        if len(a) > 1 or len(b) > 1:
            self.trace.use("convolution_distrib", node)
        for ma in a:
            for mb in b:
                ka = ma.children if isinstance(ma, CNode) else ((ma, _ONE),)
                kb = mb.children if isinstance(mb, CNode) else ((mb, _ONE),)
                if ka and kb:
                    joined = [ch.key() for ch, _ in ka + kb]
                    if joined != sorted(joined):
                        self.trace.use("convolution_comm", node)
                    if len(ka) > 1 or len(kb) > 1:
                        self.trace.use("convolution_assoc", node)
                    if any(isinstance(m, CNode) and m.c != 0 for m in (ma, mb)):
                        self.trace.use("convolution_shift", node)
                    if any(isinstance(m, CNode) and m.k != 0 for m in (ma, mb)):
                        self.trace.use("convolution_deriv", node)
                elif ka or kb:
                    self.trace.use("delta_sift", node)
                else:
                    self.trace.use("delta_delta", node)

    def _fourier_rules(self, node, a: Form) -> None:
        for mono in a:
            kids = mono.children
            if isinstance(mono, CNode) and len(kids) + sum(1 for _, mu in kids if mu != 1) > 1:
                self.trace.use("fourier_conv", node)
            if isinstance(mono, PNode) and len(kids) > 1:
                self.trace.use("fourier_mul", node)
            if (isinstance(mono, CNode) and (mono.k != 0 or mono.c != 0)) or (
                isinstance(mono, PNode) and (mono.m != 0 or mono.nu != 0)
            ):
                self.trace.use("fourier_shift_deriv", node)
            for ch, _ in kids:
                if isinstance(ch, (CLeaf, PLeaf)) and ch.base.hat:
                    self.trace.use("fourier_inversion", node)
                if isinstance(ch, CLeaf) and (ch.m != 0 or ch.nu != 0 or ch.a not in (1, -1)):
                    self.trace.use("fourier_shift_deriv", node)


# --------------------------------------------------------------------------- images, for people


def _point(a, c) -> str:
    return show(sp.expand(a * _X + c))


def _describe(node) -> str:
    """A monomial in the time domain, for people: x^m e^{iνx} f(a x + c) · (g * h)(x) …"""
    if isinstance(node, CLeaf):
        pre = "" if node.m == 0 else f"x^{show(node.m)}·"
        pre += "" if node.nu == 0 else f"exp(i·{show(node.nu)}·x)·"
        return f"{pre}{node.base.show()}({_point(node.a, 0)})"
    if isinstance(node, PLeaf):
        ticks = "" if node.n == 0 else f"⁽{node.n}⁾"
        return f"{node.base.show()}{ticks}({_point(node.a, node.c)})"
    parts = [_describe(ch) + ("" if mu == 1 else f"^{show(mu)}") for ch, mu in node.children]
    if isinstance(node, CNode):
        body = " * ".join(f"[{p}]" for p in parts) or "δ"
        body = body if node.c == 0 else f"τ({body}, {show(node.c)})"
        return body if node.k == 0 else f"d^{show(node.k)}/dx^{show(node.k)} {body}"
    pre = "" if node.m == 0 else f"x^{show(node.m)}·"
    pre += "" if node.nu == 0 else f"exp(i·{show(node.nu)}·x)·"
    return pre + ("·".join(parts) or "1")


_X = sp.Symbol("x", real=True)


def _atom_image(ch: CLeaf) -> sp.Expr:
    return sp.Function(f"F_{ch.base.name}")(ch.a * OMEGA)


def _mono_image(mono) -> sp.Expr:
    if _simple(mono):
        factor = (sp.I * OMEGA) ** mono.k * sp.exp(-sp.I * OMEGA * mono.c)
        return factor * sp.Mul(*[_atom_image(c) ** mu for c, mu in mono.children])
    return sp.Symbol(_describe(mono))


def form_expr(form: Form) -> sp.Expr:
    """A form as a SymPy expression: for the notes' fragment its Fourier image in ω (F_f(ω) the
    transform of f); other monomials as a symbol that describes them in the time domain."""
    return sp.Add(*[canonical(c) * _mono_image(m) for m, c in form.items()])


# --------------------------------------------------------------------------- decisions


@dataclass(frozen=True)
class Monomial:
    """A part of lhs − rhs that does not vanish.

    ``atoms`` are ``(name, ±1)`` for each function in it — F_name(ω) or F_name(−ω) in a
    convolution, ±1 the sign of its dilation —; ``coefficient`` what multiplies their
    product in the Fourier image (or, for a scalar, the part as an expression).
    """

    atoms: tuple
    coefficient: sp.Expr
    image: sp.Expr | None = None

    def expr(self) -> sp.Expr:
        if self.image is not None:
            return self.image
        return self.coefficient * sp.Mul(
            *[sp.Function(f"F_{name}")(sign * OMEGA) for name, sign in self.atoms]
        )

    def __str__(self) -> str:
        return show(self.expr())

    def to_dict(self) -> dict:
        return {"atoms": [list(a) for a in self.atoms], "coefficient": show(self.coefficient)}


@dataclass(frozen=True)
class Decision:
    """The verdict of the normal form on an equality, with what it rests on."""

    identity: bool
    kind: str  # "function" or "scalar"
    hypotheses: tuple[SideCondition, ...]
    difference: tuple[Monomial, ...]  # empty exactly when identity
    rules: tuple[str, ...]
    complete: bool = True  # False when a difference is only a candidate (see the module doc)
    #: Coefficients of the difference whose vanishing is not decided (√a, |a|, … of the
    #: parameters): the difference may still be 0, so it is not a disproof.
    undecided: tuple[str, ...] = ()

    @property
    def broken_functions(self) -> list[str]:
        """Function names occurring in the monomials that break the identity."""
        return sorted({name for m in self.difference for name, _ in m.atoms})


def _sign(a) -> int:
    return -1 if (a.is_number and a < 0) else 1


def _atoms_of(node) -> list:
    out = []
    for ch, mu in node.children:
        count = int(mu) if getattr(mu, "is_Integer", False) else 1
        if isinstance(ch, (CLeaf, PLeaf)):
            out += [(ch.base.name, _sign(ch.a))] * count
        else:
            out += _atoms_of(ch) * count
    return out


def _simple(mono) -> bool:
    """A convolution of plain functions at ±x: the old fragment, where atoms say it all."""
    return isinstance(mono, CNode) and all(
        isinstance(ch, CLeaf) and ch.m == 0 and ch.nu == 0 and ch.a in (1, -1)
        and not ch.base.hat and not ch.base.conj
        for ch, _ in mono.children
    )


#: On ℤ/N with N a number up to this, a coefficient is compared at each of the N frequencies.
DUAL_POINTS = 64
_K = sp.Dummy("k", integer=True)


def _vanishes_on_dual(c, group: Group) -> bool:
    """Whether a coefficient in ω is 0 at every frequency of ℤ/N: ω = 2πk/N for k = 0, …,
    N − 1 (one by one for a small N; for another N, with k an integer symbol). The transform
    on ℤ/N is determined by those N values, so a part of the difference that vanishes there
    is no difference: τ(f, N) = f."""
    n = group.modulus
    if n.is_Integer and n <= DUAL_POINTS:
        return all(is_zero(c.xreplace({OMEGA: 2 * sp.pi * j / n})) for j in range(int(n)))
    return is_zero(c.xreplace({OMEGA: 2 * sp.pi * _K / n}))


def _group(form: Form, group: Group = R) -> tuple[Monomial, ...]:
    by_atoms: dict = {}
    others = []
    for mono, c in form.items():
        if _simple(mono):
            atoms = tuple(sorted(_atoms_of(mono)))
            factor = (sp.I * OMEGA) ** mono.k * sp.exp(-sp.I * OMEGA * mono.c)
            by_atoms.setdefault(atoms, []).append(canonical(c) * factor)
        else:
            atoms = tuple(sorted(_atoms_of(mono)))
            others.append(Monomial(atoms, canonical(c), canonical(c) * _mono_image(mono)))
    grouped = (Monomial(atoms, sp.Add(*parts)) for atoms, parts in sorted(by_atoms.items()))
    # parts that differ only in how a sign is written ((−1)¹ vs −1) cancel here
    kept = tuple(m for m in grouped if not is_zero(m.coefficient)
                 and not (group.kind == "ZN" and _vanishes_on_dual(m.coefficient, group)))
    return kept + tuple(others)


def _scalar_atoms(mono) -> list:
    out = []
    for atom, _ in mono:
        if isinstance(atom, scalars.Ev):
            out.append((atom.base.name, 1))
        else:
            out += _atoms_of(atom.node)
    return out


def _scalar_atom_text(atom) -> str:
    if isinstance(atom, scalars.Ev):
        ticks = "" if atom.n == 0 else f"⁽{atom.n}⁾"
        return f"{atom.base.show()}{ticks}({show(atom.point)})"
    return f"∫ {_describe(atom.node)} dx"


def _scalar_group(form) -> tuple[Monomial, ...]:
    out = []
    for mono, c in form.items():
        atoms = tuple(sorted(_scalar_atoms(mono)))
        image = canonical(c) * sp.Mul(*[sp.Symbol(_scalar_atom_text(a)) ** p for a, p in mono])
        out.append(Monomial(atoms, canonical(c), image))
    return tuple(out)


def _old_fragment(form: Form) -> bool:
    return all(_simple(m) or (isinstance(m, CNode) and not m.children) for m in form)


def normal_form(expr, check: Callable[[], None] | None = None):
    """The form of a term: a dict monomial → coefficient (for a scalar, atoms → coefficient)."""
    kind_of(expr)  # refuses what is not a term
    return _Normalizer(Trace(), check).fold(expr)


def decide(statement: Statement, check: Callable[[], None] | None = None) -> Decision:
    """Decide the equality underneath ``statement`` (its negation is the engine's concern).

    ``check`` is called between steps, so a caller can stop a long decision.
    Raises :class:`TermError` for a statement outside the language, and
    :class:`~symconv.routes.fourier.forms.FormTooLarge` when a form grows past its bound.
    """
    lhs_trace, rhs_trace = Trace(), Trace()
    group = statement.group
    sampling = Sampling()  # one set of opaque leaves for both sides
    lhs = _Normalizer(lhs_trace, check, group, sampling).fold(statement.lhs)
    rhs = _Normalizer(rhs_trace, check, group, sampling).fold(statement.rhs)
    if statement.kind == FUNCTION:
        diff = prune(form_sum(lhs, form_scale(rhs, -_ONE)))
        difference = _group(diff, group)
        # on ℤ/N a small N makes distinct phases coincide: a difference is a lead there
        complete = group.kind != "ZN" and (_old_fragment(diff) or _old_fragment(lhs) and _old_fragment(rhs))
        complete = complete and not sampling.used  # opaque leaves are not independent
    else:
        diff = scalars.s_prune(scalars.s_sum(lhs, scalars.s_scale(rhs, -_ONE)))
        difference = _scalar_group(diff)
        complete = False
    trace = lhs_trace.merge(rhs_trace)
    identity = not difference
    undecided = sorted({show(c) for c in diff.values() if not certainly_nonzero(c)})
    return Decision(
        identity=identity,
        kind=statement.kind,
        hypotheses=trace.hypotheses() if identity else (),
        difference=difference,
        rules=tuple(trace.rules),
        complete=complete and not undecided,
        undecided=tuple(undecided) if difference else (),
    )
