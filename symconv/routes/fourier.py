"""The Fourier normal form: a decision procedure for identities of the language.

With F[A](ω) = ∫ A(x) e^{−iωx} dx the operators become algebra::

    f          F_f(ω)                      A * B     F[A](ω) · F[B](ω)
    A⁻         F[A](−ω)                    A ⋆ B     F[A](−ω) · F[B](ω)
    τ(A, b)    e^{−iωb} F[A](ω)            dᵏA/dxᵏ   (iω)ᵏ F[A](ω)
    δ(a)       e^{−iωa}                    c·A + B   c·F[A] + F[B]

A *form* is the image written as a sum over keys ``(atoms, n, parity, phase)`` of
coefficient · (−1)^parity · (iω)^n · e^{−iω·phase} · Π F_f(±ω): ``atoms`` is the sorted
tuple of ``(name, ±1)`` for F_f(ω) / F_f(−ω), ``n`` a linear form in derivative-order
symbols, ``parity`` a linear form mod 2, ``phase`` an expanded polynomial in the
parameters, and the coefficient a polynomial in the parameters.

At a fixed ω ≠ 0 the values F_f(±ω), F_g(±ω)… of Schwartz functions can be chosen
independently, so two terms are equal for every Schwartz function (δ a tempered
distribution) iff their forms agree key by key. Scalars are (1/2π)∫ form dω; since
∫Q(ω)dω = ∫Q(−ω)dω they are compared after symmetrising ω ↔ −ω.

Everything here is exact SymPy arithmetic on small pieces: no ``simplify``, no
``integrate``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import sympy as sp
from sympy.core.function import AppliedUndef

from symconv.language.fold import Algebra, refuse
from symconv.language.terms import (
    FUNCTION,
    At,
    Conv,
    Flip,
    Operation,
    Statement,
    TermError,
    kind_of,
)
from symconv.results.conditions import SideCondition, Trace

__all__ = [
    "OMEGA",
    "show",
    "FormTooLarge",
    "Monomial",
    "Decision",
    "normal_form",
    "decide",
    "form_expr",
]

#: The frequency variable. A Dummy, so that no parameter of a statement (a user may well
#: call one ``omega`` or ``ω``) can ever be the same symbol.
OMEGA = sp.Dummy("omega", real=True)
#: How ω is shown in reasons and reports (display only).
_OMEGA_SHOWN = sp.Symbol("ω", real=True)


def show(expr) -> str:
    """An expression of the Fourier domain as text, with ω for the frequency."""
    return sp.sstr(sp.sympify(expr, strict=True).xreplace({OMEGA: _OMEGA_SHOWN}))

#: The largest number of keys a form may have before the procedure gives up (a sum of
#: n binomials convolved together has 2ⁿ keys).
MAX_KEYS = 20_000

Atom = tuple  # (name, +1 or -1)
Parity = tuple  # (0, frozenset of order symbols with odd coefficient); the 0 is kept for form_expr
Key = tuple  # (atoms, n, parity, phase)
Form = dict  # Key -> coefficient

_EVEN: Parity = (0, frozenset())
_ZERO = sp.S.Zero
_ONE = sp.S.One


class FormTooLarge(Exception):
    """The normal form outgrew :data:`MAX_KEYS`; the decision is left open."""


# --------------------------------------------------------------------------- parities


def _parity_of(n: sp.Expr) -> Parity:
    """(−1)ⁿ as a linear form mod 2 (n a linear form in integer symbols)."""
    if n.is_Integer:
        return (int(n) % 2, frozenset())
    const, odd = 0, set()
    for term, coeff in n.as_coefficients_dict().items():
        if term == 1:
            const = int(coeff) % 2
        elif int(coeff) % 2:
            odd.add(term)
    return (const, frozenset(odd))


def _parity_add(p: Parity, q: Parity) -> Parity:
    if q is _EVEN:
        return p
    if p is _EVEN:
        return q
    return ((p[0] + q[0]) % 2, p[1] ^ q[1])


def _parity_expr(p: Parity) -> sp.Expr:
    exponent = p[0] + sum(sorted(p[1], key=str), _ZERO)
    return sp.Pow(-1, exponent)


# --------------------------------------------------------------------------- forms


def _add_into(acc: Form, key: Key, coeff: sp.Expr) -> None:
    acc[key] = acc[key] + coeff if key in acc else coeff


def _scale(form: Form, c: sp.Expr) -> Form:
    return {k: v * c for k, v in form.items()}


def _sum(a: Form, b: Form) -> Form:
    out = dict(a)
    for k, v in b.items():
        _add_into(out, k, v)
    return out


def _flip(form: Form) -> Form:
    """ω ↦ −ω: F_f(±ω) ↦ F_f(∓ω), (iω)ⁿ ↦ (−1)ⁿ(iω)ⁿ, e^{−iωb} ↦ e^{−iω(−b)}."""
    out: Form = {}
    for (atoms, n, parity, phase), c in form.items():
        flipped = tuple(sorted((name, -s) for name, s in atoms))
        # (−1)ⁿ: its constant part goes into the coefficient, so parity keys hold only the
        # order symbols with odd coefficient and every key is written one way
        const, odd = _parity_of(n)
        _add_into(out, (flipped, n, (0, parity[1] ^ odd), -phase), -c if const else c)
    return out


def _shift(form: Form, b: sp.Expr) -> Form:
    b = sp.expand(b)
    if b == 0:
        return form
    return {(atoms, n, p, phase + b): c for (atoms, n, p, phase), c in form.items()}


def _diff(form: Form, k: sp.Expr) -> Form:
    return {(atoms, n + k, p, phase): c for (atoms, n, p, phase), c in form.items()}


def _check_size(form: Form) -> Form:
    if len(form) > MAX_KEYS:
        raise FormTooLarge(f"the normal form has more than {MAX_KEYS} terms")
    return form


class _Normalizer(Algebra):
    """Maps terms to forms (a scalar to a constant and a form), recording the time-domain
    rules each step stands for."""

    def __init__(self, trace: Trace, check: Callable[[], None] | None = None):
        super().__init__()
        self.trace = trace
        self.check = check or (lambda: None)

    def fold(self, expr):
        self.check()
        return super().fold(expr)

    # function-valued terms
    def fn(self, node, name):
        return {(((node.name, 1),), _ZERO, _EVEN, _ZERO): _ONE}

    def delta(self, node, point):
        return {((), _ZERO, _EVEN, sp.expand(point)): _ONE}

    def conv(self, node, a, b):
        return self.product(node, a, b)

    def xcorr(self, node, a, b):
        self.trace.use("xcorr_as_conv", node)
        return self.product(node, self.flipped(Flip(node.left), a), b)

    def flip(self, node, a):
        return self.flipped(node, a)

    def shift(self, node, a, amount):
        return _shift(a, amount)

    def diff(self, node, a, order):
        return _diff(a, order)

    def add(self, node, forms):
        out: Form = {}
        for f in forms:
            out = _sum(out, f)
        return _check_size(out)

    def scale(self, node, coefficient, form):
        if _depends(coefficient):
            raise TermError(
                "a function scaled by a value of a function is not linear; "
                "it is outside the language"
            )
        return _scale(form, sp.expand(coefficient))

    def flipped(self, node, form: Form) -> Form:
        for atoms, n, _, phase in form:
            if len(atoms) > 1:
                self.trace.use("flip_conv", node)
            if n != 0 and atoms:
                self.trace.use("flip_deriv", node)
        return _flip(form)

    def product(self, node, a: Form, b: Form) -> Form:
        if len(a) > 1 or len(b) > 1:
            self.trace.use("convolution_distrib", node)
        out: Form = {}
        for (ma, na, pa, fa), ca in a.items():
            self.check()
            for (mb, nb, pb, fb), cb in b.items():
                joined = ma + mb
                merged = tuple(sorted(joined))
                if ma and mb:
                    if merged != joined:
                        self.trace.use("convolution_comm", node)
                    if len(ma) > 1 or len(mb) > 1:
                        self.trace.use("convolution_assoc", node)
                    if fa != 0 or fb != 0:
                        self.trace.use("convolution_shift", node)
                    if na != 0 or nb != 0:
                        self.trace.use("convolution_deriv", node)
                elif ma or mb:
                    self.trace.use("delta_sift", node)
                else:
                    self.trace.use("delta_delta", node)
                key = (merged, na + nb, _parity_add(pa, pb), fa + fb)
                _add_into(out, key, ca * cb)
            _check_size(out)
        return out

    # scalar-valued terms: a constant plus (1/2π)∫ integrand dω
    def at(self, node, form, point):
        form = _prune(form)  # δ parts that cancel (δ * δ(1) − δ(1)) leave a function
        _need_function_atoms(form, node)
        return _ZERO, _shift(form, -point)

    def inner(self, node, a, b):
        self.trace.use("inner_as_conv", node)
        conv = Conv(node.args[0], Flip(node.args[1]))
        form = self.product(conv, a, self.flipped(conv.right, b))
        return self.at(At(conv, 0), form, _ZERO)

    def constant(self, expr):
        return expr, {}

    def scalar_add(self, node, values):
        const, form = _ZERO, {}
        for c, f in values:
            const, form = const + c, _sum(form, f)
        return const, form

    def scalar_mul(self, node, values):
        dependent = [i for i, (_, f) in enumerate(values) if f]
        if len(dependent) > 1:
            raise TermError(
                f"a product of two values of functions is not linear: {node}; "
                "it is outside the language"
            )
        const = sp.Mul(*[c for c, _ in values])
        if not dependent:
            return const, {}
        d = dependent[0]
        others = sp.Mul(*[c for i, (c, _) in enumerate(values) if i != d])
        return const, _scale(values[d][1], sp.expand(others))

    scalar_pow = refuse("a power of a value of a function is not linear; it is outside the language")


def _depends(expr) -> bool:
    return any(isinstance(a, Operation) for a in sp.preorder_traversal(expr))


def _need_function_atoms(form: Form, where) -> None:
    for atoms, *_ in form:
        if not atoms:
            raise TermError(
                f"{where} is not a number: the value of a δ at a point is undefined"
            )


#: Functions of the parameters that :func:`_is_zero` rewrites into exponentials.
_EXPONENTIAL = (sp.exp, sp.sin, sp.cos, sp.tan, sp.sinh, sp.cosh, sp.tanh)


def _is_zero(c: sp.Expr) -> bool:
    """Is a coefficient 0 for every value of the parameters? Complete for exponential
    polynomials in the parameters (polynomials, and exp, sin, cos, … of them, rewritten in
    exponentials: sin²a + cos²a − 1 is 0); False for anything else that expansion does not
    reduce to 0 — see :func:`_certain`."""
    e = sp.expand(c)
    if e == 0:
        return True
    if e.has(*_EXPONENTIAL):
        e = sp.expand(e.rewrite(sp.exp))
        return e == 0 or sp.cancel(e) == 0
    return False


def _certain(c: sp.Expr) -> bool:
    """Is a coefficient that :func:`_is_zero` calls nonzero certainly not 0 for some value
    of the parameters? Yes when it is an exponential polynomial (where the test is
    complete); a coefficient with √a, |a|, log a, … is not decided."""
    e = c.rewrite(sp.exp) if c.has(*_EXPONENTIAL) else c
    for node in sp.preorder_traversal(e):
        if isinstance(node, sp.Pow) and not node.exp.is_Integer and node.base.free_symbols:
            return False
        if isinstance(node, sp.Function) and not isinstance(node, sp.exp) and not isinstance(node, AppliedUndef):
            return False
    return True


def _prune(form: Form) -> Form:
    return {k: v for k, v in form.items() if not _is_zero(v)}


def _atom_expr(atom: Atom) -> sp.Expr:
    name, sign = atom
    return sp.Function(f"F_{name}")(sign * OMEGA)


def _key_factor(n, parity, phase) -> sp.Expr:
    return _parity_expr(parity) * (sp.I * OMEGA) ** n * sp.exp(-sp.I * OMEGA * phase)


def form_expr(form: Form) -> sp.Expr:
    """A form as a SymPy expression in ω, with F_f(ω) for the transform of f."""
    return sp.Add(
        *[
            sp.expand(c) * _key_factor(n, p, phase) * sp.Mul(*map(_atom_expr, atoms))
            for (atoms, n, p, phase), c in form.items()
        ]
    )


# --------------------------------------------------------------------------- decisions


@dataclass(frozen=True)
class Monomial:
    """A part of lhs − rhs that does not vanish: Π F_f(±ω) times a coefficient in ω.

    ``atoms`` are ``(name, +1)`` for F_name(ω) and ``(name, -1)`` for F_name(−ω); an
    empty tuple is a pure constant (a scalar statement's parameters) or a distribution
    made of δs alone.
    """

    atoms: tuple
    coefficient: sp.Expr

    def expr(self) -> sp.Expr:
        return self.coefficient * sp.Mul(*map(_atom_expr, self.atoms))

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
    #: Coefficients of the difference whose vanishing is not decided (√a, |a|, … of the
    #: parameters): the difference may still be 0, so it is not a disproof.
    undecided: tuple[str, ...] = ()

    @property
    def broken_functions(self) -> list[str]:
        """Function names occurring in the monomials that break the identity."""
        return sorted({name for m in self.difference for name, _ in m.atoms})


def _group(form: Form) -> tuple[Monomial, ...]:
    by_atoms: dict[tuple, list] = {}
    for (atoms, n, p, phase), c in form.items():
        by_atoms.setdefault(atoms, []).append(sp.expand(c) * _key_factor(n, p, phase))
    monomials = (Monomial(atoms, sp.Add(*parts)) for atoms, parts in sorted(by_atoms.items()))
    # keys that differ only in how a sign is written ((−1)¹ vs a coefficient −1) cancel here
    return tuple(m for m in monomials if not _is_zero(m.coefficient))


def normal_form(expr, check: Callable[[], None] | None = None):
    """The form of a term: a dict for a function-valued one, (constant, dict) for a scalar."""
    kind_of(expr)  # refuses what is not a term
    return _Normalizer(Trace(), check).fold(expr)


def decide(statement: Statement, check: Callable[[], None] | None = None) -> Decision:
    """Decide the equality underneath ``statement`` (its negation is the engine's concern).

    ``check`` is called between steps, so a caller can stop a long decision.
    Raises :class:`TermError` for a statement outside the fragment, and
    :class:`FormTooLarge` when the normal form grows past :data:`MAX_KEYS`.
    """
    lhs_trace, rhs_trace = Trace(), Trace()
    lhs_norm, rhs_norm = _Normalizer(lhs_trace, check), _Normalizer(rhs_trace, check)
    if statement.kind == FUNCTION:
        lhs, rhs = lhs_norm.fold(statement.lhs), rhs_norm.fold(statement.rhs)
        diff = _prune(_sum(lhs, _scale(rhs, -_ONE)))
        difference = _group(diff)
        coefficients = list(diff.values())
    else:
        cl, fl = lhs_norm.fold(statement.lhs)
        cr, fr = rhs_norm.fold(statement.rhs)
        d = _sum(fl, _scale(fr, -_ONE))
        symmetric = _prune(_sum(d, _flip(d)))
        difference = _group(symmetric)
        coefficients = list(symmetric.values())
        const = sp.expand(cl - cr)
        if not _is_zero(const):
            difference = (Monomial((), const),) + difference
            coefficients.append(const)
    trace = lhs_trace.merge(rhs_trace)
    identity = not difference
    return Decision(
        identity=identity,
        kind=statement.kind,
        hypotheses=trace.hypotheses() if identity else (),
        difference=difference,
        rules=tuple(trace.rules),
        undecided=tuple(sorted({show(c) for c in coefficients if not _certain(c)})) if difference else (),
    )
