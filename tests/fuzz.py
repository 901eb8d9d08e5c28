"""The soundness fuzzer: random statements whose truth is known without asking symconv.

* **True by construction**: a random term, and the same term rewritten by laws of the
  language at random places (commutativity and associativity of *, (10), the flip of a
  convolution, shifts and derivatives moving through a convolution, δ as the unit, …).
  symconv must never refute one (nor prove its negation).
* **False by construction**: one of those statements with one edit that is not a law
  (arguments of ⋆ swapped, a flip dropped, a shift negated, a function renamed, …), kept
  only when an independent numeric evaluation of the definitions (``tests/grid_oracle.py``:
  every operator's defining integral as a sum on a fine grid, NumPy only) confirms the two
  sides differ on concrete functions. symconv must never prove one.
* **Every certificate** symconv produces has passed the independent checker (the engine
  issues a verdict only then, checking the certificate's JSON data), and a tampered copy of
  it (``tests/tamper.py``) is rejected.
* **No crash**: ``prove`` answers every well-formed statement (an exception is a crash).

:func:`cases` is the Hypothesis strategy, :func:`examine` judges one case into a
:class:`Tally` (the pytest test asserts on it; ``benchmarks/fuzz_campaign.py`` counts).
"""

from __future__ import annotations

import cmath
import json
from dataclasses import dataclass, field
from fractions import Fraction

import sympy as sp
from hypothesis import strategies as st

from symconv import prove
from symconv.language.terms import (
    FUNCTION,
    At,
    Conj,
    Conv,
    Delta,
    Diff,
    Flip,
    Fn,
    Fourier,
    Inner,
    Modulate,
    Product,
    Scale,
    Shift,
    Statement,
    Xcorr,
    param_symbol,
)
from symconv.results.result import Verdict
from symconv.trusted.checker import check

__all__ = ["cases", "examine", "Tally", "LAWS", "EDITS"]

B = param_symbol("b")
NAMES = ("f", "g", "h")
SHIFTS = (sp.Rational(1, 2), sp.Integer(-1), B)
POINTS = (sp.Integer(0), sp.Integer(1), sp.Rational(-1, 2))
X = sp.Symbol("x", real=True)

# ----------------------------------------------------------------------------- terms


@st.composite
def terms(draw, depth: int = 2):
    """A function-valued term with at most ``depth`` nested operators."""
    choice = draw(st.integers(0, 14 if depth else 2))
    if choice <= 1:
        return Fn(draw(st.sampled_from(NAMES)))
    if choice == 2:
        return Delta(draw(st.sampled_from(POINTS))) if draw(st.integers(0, 4)) == 0 else Fn(draw(st.sampled_from(NAMES)))
    sub = terms(depth - 1)
    if choice == 3:
        return Flip(draw(sub))
    if choice == 4:
        return Shift(draw(sub), draw(st.sampled_from(SHIFTS)))
    if choice == 5:
        return Diff(draw(sub), draw(st.sampled_from((1, 2))))
    if choice in (6, 7):
        return Conv(draw(sub), draw(sub))
    if choice == 8:
        return Xcorr(draw(sub), draw(sub))
    if choice == 9:
        total = draw(sub) + draw(st.sampled_from((1, 2, -1))) * draw(sub)
        return total if total != 0 else Fn("f")
    if choice == 10:
        return draw(st.sampled_from((2, -1, sp.Rational(1, 2)))) * draw(sub)
    # the larger language, on functions (δs stay out of products and transforms)
    smooth = terms_without_delta(depth - 1)
    if choice == 11:
        return Product(draw(smooth), draw(smooth))
    if choice == 12:
        return Scale(draw(smooth), draw(st.sampled_from((2, -1))))
    if choice == 13:
        return Modulate(draw(smooth), draw(st.sampled_from((1, sp.Rational(-1, 2)))))
    return Fourier(draw(smooth))


def terms_without_delta(depth: int):
    return terms(depth).filter(lambda t: not _has_delta(t))


# ----------------------------------------------------------------------------- laws


def _conv_comm(t):
    return Conv(t.right, t.left) if isinstance(t, Conv) else None


def _conv_assoc(t):
    if isinstance(t, Conv) and isinstance(t.left, Conv):
        return Conv(t.left.left, Conv(t.left.right, t.right))
    if isinstance(t, Conv) and isinstance(t.right, Conv):
        return Conv(Conv(t.left, t.right.left), t.right.right)
    return None


def _xcorr_as_conv(t):
    """A ⋆ B = conj(A)⁻ * B (the notes' (10); conj A = A for a real A)."""
    if isinstance(t, Xcorr):
        return Conv(Flip(Conj(t.left)), t.right)
    if isinstance(t, Conv) and isinstance(t.left, Flip) and isinstance(t.left.arg, Conj):
        return Xcorr(t.left.arg.args[0], t.right)
    return None


def _xcorr_swap(t):
    """B ⋆ A = conj((A ⋆ B)⁻)."""
    return Conj(Flip(Xcorr(t.right, t.left))) if isinstance(t, Xcorr) else None


def _flip_flip(t):
    return t.arg.arg if isinstance(t, Flip) and isinstance(t.arg, Flip) else Flip(Flip(t))


def _flip_conv(t):
    if isinstance(t, Flip) and isinstance(t.arg, Conv):
        return Conv(Flip(t.arg.left), Flip(t.arg.right))
    return None


def _shift_conv(t):
    if isinstance(t, Shift) and isinstance(t.arg, Conv):
        return Conv(t.arg.left, Shift(t.arg.right, t.amount))
    if isinstance(t, Conv) and isinstance(t.left, Shift):
        return Shift(Conv(t.left.arg, t.right), t.left.amount)
    return None


def _shift_flip(t):
    if isinstance(t, Shift) and isinstance(t.arg, Flip):
        return Flip(Shift(t.arg.arg, -t.amount))
    return None


def _shift_shift(t):
    if isinstance(t, Shift) and isinstance(t.arg, Shift):
        return Shift(t.arg.arg, t.amount + t.arg.amount)
    return None


def _diff_conv(t):
    if isinstance(t, Diff) and isinstance(t.arg, Conv):
        return Conv(t.arg.left, Diff(t.arg.right, t.order))
    return None


def _diff_shift(t):
    if isinstance(t, Diff) and isinstance(t.arg, Shift):
        return Shift(Diff(t.arg.arg, t.order), t.arg.amount)
    return None


def _diff_flip(t):
    if isinstance(t, Diff) and isinstance(t.arg, Flip) and t.order.is_Integer:
        return (-1) ** int(t.order) * Flip(Diff(t.arg.arg, t.order))
    return None


def _diff_diff(t):
    if isinstance(t, Diff) and isinstance(t.arg, Diff):
        return Diff(t.arg.arg, t.order + t.arg.order)
    return None


def _delta_unit(t):
    if isinstance(t, Conv) and isinstance(t.right, Delta):
        return Shift(t.left, t.right.point)
    return Conv(t, Delta(0)) if isinstance(t, (Fn, Flip, Shift)) else None


def _mul_comm(t):
    return Product(t.right, t.left) if isinstance(t, Product) else None


def _mul_distrib(t):
    if isinstance(t, Product) and isinstance(t.right, sp.Add):
        return sp.Add(*[Product(t.left, a) for a in t.right.args])
    return None


def _leibniz(t):
    if isinstance(t, Diff) and t.order == 1 and isinstance(t.arg, Product):
        a, b = t.arg.args
        return Product(Diff(a, 1), b) + Product(a, Diff(b, 1))
    return None


def _modulate_conv(t):
    if isinstance(t, Modulate) and isinstance(t.args[0], Conv):
        a, b = t.args[0].args
        return Conv(Modulate(a, t.args[1]), Modulate(b, t.args[1]))
    return None


def _scale_conv(t):
    if isinstance(t, Scale) and isinstance(t.args[0], Conv):
        a, b = t.args[0].args
        c = t.args[1]
        return sp.Abs(c) * Conv(Scale(a, c), Scale(b, c))
    return None


def _fourier_laws(t):
    if isinstance(t, Fourier) and t.args[1].name == "angular":
        a = t.args[0]
        if isinstance(a, Conv):
            return Product(Fourier(a.left), Fourier(a.right))
        if isinstance(a, Shift):
            return Modulate(Fourier(a.arg), -a.amount)
        if isinstance(a, Fourier) and a.args[1].name == "angular":
            return 2 * sp.pi * Flip(a.args[0])
        if isinstance(a, Flip):
            return Flip(Fourier(a.arg))
    return None


def _distrib(t):
    if isinstance(t, Conv) and isinstance(t.right, sp.Add):
        return sp.Add(*[Conv(t.left, a) for a in t.right.args])
    if isinstance(t, Conv) and isinstance(t.left, sp.Mul):
        c, rest = t.left.as_coeff_Mul()
        if c != 1 and rest.is_commutative:
            return c * Conv(rest, t.right)
    return None


LAWS = (_conv_comm, _conv_assoc, _xcorr_as_conv, _xcorr_swap, _flip_flip, _flip_conv, _shift_conv,
        _shift_flip, _shift_shift, _diff_conv, _diff_shift, _diff_flip, _diff_diff, _delta_unit, _distrib,
        _mul_comm, _mul_distrib, _leibniz, _modulate_conv, _scale_conv, _fourier_laws)


# ----------------------------------------------------------------------------- edits (not laws)


def _swap_xcorr(t):
    return Xcorr(t.right, t.left) if isinstance(t, Xcorr) and t.left != t.right else None


def _drop_flip(t):
    return t.arg if isinstance(t, Flip) else None


def _negate_shift(t):
    return Shift(t.arg, -t.amount) if isinstance(t, Shift) else None


def _more_diff(t):
    return Diff(t.arg, t.order + 1) if isinstance(t, Diff) else Diff(t, 1) if isinstance(t, Fn) else None


def _rename(t):
    return Fn({"f": "g", "g": "h", "h": "f"}[t.name]) if isinstance(t, Fn) else None


def _conv_to_xcorr(t):
    return Xcorr(t.left, t.right) if isinstance(t, Conv) else None


def _double(t):
    return 2 * t if isinstance(t, (Fn, Conv, Xcorr, Shift, Flip)) else None


def _move_delta(t):
    return Delta(t.point + 1) if isinstance(t, Delta) else None


def _mul_to_conv(t):
    return Conv(t.left, t.right) if isinstance(t, Product) else None


def _drop_fourier(t):
    return t.args[0] if isinstance(t, Fourier) else None


def _negate_modulation(t):
    return Modulate(t.args[0], -t.args[1]) if isinstance(t, Modulate) else None


EDITS = (_swap_xcorr, _drop_flip, _negate_shift, _more_diff, _rename, _conv_to_xcorr, _double, _move_delta,
         _mul_to_conv, _drop_fourier, _negate_modulation)


def _positions(term):
    return [n for n in sp.preorder_traversal(term) if _is_function(n)]


def _is_function(n) -> bool:
    try:
        return n.is_commutative and isinstance(n, sp.Expr) and _kind(n) == FUNCTION
    except (ValueError, TypeError):
        return False


def _kind(n):
    from symconv.language.terms import kind_of

    return kind_of(n)


def _apply(term, rules, choices):
    """For each (rule, position) of ``choices``, apply the first rule (from that one on)
    that applies at the first position (from that one on) where it applies."""
    for rule_index, position in choices:
        spots = _positions(term)
        done = False
        for r in range(len(rules)):
            rule = rules[(rule_index + r) % len(rules)]
            for s in range(len(spots)):
                node = spots[(position + s) % len(spots)]
                new = rule(node)
                if new is not None and new != node:
                    term, done = term.xreplace({node: new}), True
                    break
            if done:
                break
    return term


# ----------------------------------------------------------------------------- cases


@dataclass(frozen=True)
class Case:
    statement: Statement
    true: bool  # by construction (True), or an edit that the oracle must confirm (False)
    negated: bool = False

    def __str__(self) -> str:
        return f"{'true' if self.true else 'edited'}: {self.statement}"


@st.composite
def cases(draw):
    lhs = draw(terms(draw(st.sampled_from((1, 2)))))
    rhs = _apply(lhs, LAWS, draw(st.lists(st.tuples(st.integers(0, 99), st.integers(0, 99)), min_size=1, max_size=3)))
    true = draw(st.booleans())
    if not true:
        rhs = _apply(rhs, EDITS, draw(st.lists(st.tuples(st.integers(0, 99), st.integers(0, 99)), min_size=1, max_size=1)))
    form = draw(st.integers(0, 5))
    if form == 0:
        p = draw(st.sampled_from((sp.Integer(0), sp.Rational(1, 3), B)))
        lhs, rhs = At(lhs, p), At(rhs, p)
    elif form == 1:
        other = Fn(draw(st.sampled_from(NAMES)))
        lhs, rhs = Inner(lhs, other), Inner(rhs, other)
    return Case(Statement(lhs, rhs), true, negated=draw(st.integers(0, 9)) == 0)


# ----------------------------------------------------------------------------- the oracle

#: Concrete, non-even Gaussians (so a dropped flip shows) and parameter values.
WITNESS = {
    "f": (1 + X / 2) * sp.exp(-(X - sp.Rational(1, 3)) ** 2),
    "g": (1 - X / 3) * sp.exp(-(X + sp.Rational(1, 2)) ** 2 / 2),
    "h": (X + sp.Rational(1, 4)) * sp.exp(-(X - 1) ** 2),
}
PARAMS = {B: Fraction(3, 5)}
_PROBES = (0.3, -0.7, 1.1)


def _has_delta(expr) -> bool:
    return any(isinstance(n, Delta) for n in sp.preorder_traversal(expr))


def differ(statement: Statement) -> bool | None:
    """Do the two sides differ on the concrete witness, by the definitions discretised on a
    fine grid (``tests/grid_oracle.py``)? True when clearly, False when they agree, None when
    the oracle has no rule or cannot tell."""
    from grid_oracle import NoRule, compare

    try:
        pairs = compare(statement, WITNESS, PARAMS)
    except NoRule:
        return None
    if any(not (cmath.isfinite(a) and cmath.isfinite(b)) for a, b in pairs):
        return None
    if any(abs(a - b) > 1e-6 * (1 + abs(a) + abs(b)) for a, b in pairs):
        return True
    if all(abs(a - b) < 1e-9 * (1 + abs(a) + abs(b)) for a, b in pairs):
        return False
    return None


# ----------------------------------------------------------------------------- judging


@dataclass
class Tally:
    """Figures of a fuzzing run (a campaign adds many)."""

    statements: int = 0
    true: int = 0
    false_confirmed: int = 0
    false_unconfirmed: int = 0
    verdicts: dict = field(default_factory=dict)
    wrong: list = field(default_factory=list)
    crashes: list = field(default_factory=list)
    certificates: int = 0
    certificates_rechecked: int = 0
    certificates_rejected: list = field(default_factory=list)
    tampered: int = 0
    tampered_accepted: list = field(default_factory=list)
    #: errors of the fuzzer itself (not of symconv), so that a campaign is not lost to one
    harness_errors: list = field(default_factory=list)

    def add(self, other: "Tally") -> None:
        for k, v in vars(other).items():
            mine = getattr(self, k)
            if isinstance(v, int):
                setattr(self, k, mine + v)
            elif isinstance(v, list):
                mine.extend(v)
            else:
                for kk, vv in v.items():
                    mine[kk] = mine.get(kk, 0) + vv

    def problems(self) -> list:
        return self.wrong + self.crashes + self.certificates_rejected + self.tampered_accepted + self.harness_errors

    def to_dict(self) -> dict:
        return {k: (v if not isinstance(v, list) else v[:20]) for k, v in vars(self).items()}


def examine(case: Case, tally: Tally, timeout: float = 20.0, tamper: int | None = None,
            recheck: bool = True) -> None:
    """Decide one case and record what is right and wrong. ``tamper``: which kind of change
    to try on its certificate (an index into tamper.KINDS; None: all of them; -1: none).
    ``recheck``: check the certificate again from its JSON text (the engine already did,
    before it issued the verdict)."""
    from tamper import KINDS, mutants

    st_ = case.statement
    if not case.true:
        verdict = differ(st_)
        if verdict is not True:
            tally.false_unconfirmed += 1
            return
        tally.false_confirmed += 1
    else:
        tally.true += 1
    tally.statements += 1
    statement = Statement(st_.lhs, st_.rhs, negated=True) if case.negated else st_
    try:
        result = prove(statement, timeout=timeout)
    except Exception as exc:  # noqa: BLE001 — a crash is what this counts
        tally.crashes.append(f"{statement}: {type(exc).__name__}: {exc}")
        return
    v = result.verdict
    tally.verdicts[v.value] = tally.verdicts.get(v.value, 0) + 1
    # the equality is true (by construction) or false (confirmed): the verdict on the
    # statement must not contradict that
    holds = case.true != case.negated
    if (v is Verdict.REFUTED and holds) or (v is Verdict.PROVED and not holds):
        tally.wrong.append(f"{v.value}: {statement} ({'true' if holds else 'false'} by construction)")
    cert = result.certificate
    if cert is None:
        return
    tally.certificates += 1
    data = json.loads(cert.to_json())
    report = check(data) if recheck else None
    tally.certificates_rechecked += report is not None
    if report is not None and not report.valid:
        tally.certificates_rejected.append(f"{statement}: {report.reason}")
    if tamper == -1:
        return
    kinds = KINDS if tamper is None else (KINDS[tamper % len(KINDS)],)
    for kind, mutant in mutants(data):
        if kind not in kinds:
            continue
        tally.tampered += 1
        if check(mutant).valid:
            tally.tampered_accepted.append(f"{kind}: {statement}")
