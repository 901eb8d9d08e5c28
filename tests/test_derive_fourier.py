"""Derivations in the larger language: the classic results of ``theorems/fourier.py`` get
kernel-checked time-domain derivations (re-checked, rendered in the three styles); exactly
the listed obligations get one; none is found for a refuted obligation or a wrong variant."""

import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import assume as hypothesis_assume
from hypothesis import strategies as st

from symconv import parse, prove
from symconv.language.terms import (
    Conj,
    Conv,
    Flip,
    Fn,
    Fourier,
    Modulate,
    Product,
    Scale,
    Shift,
    Statement,
    param_symbol,
)
from symconv.results.result import Verdict
from symconv.routes.derivation.render import derivation_data, render
from symconv.routes.derivation.search import Found, NotFound, find_derivation, recheck
from symconv.routes.fourier import decide
from symconv.trusted import kernel as K
from theorems import fourier

BY_ID = {ob.id: ob for ob in fourier.OBLIGATIONS}

#: The obligations of theorems/fourier.py that get a derivation: every proved equality.
#: A regression (a derivation lost, or one found for something else) changes this set.
DERIVED = {
    "fourier.conv-theorem",
    "fourier.conv-theorem.unitary",
    "fourier.conv-theorem.ordinary",
    "fourier.product-theorem",
    "fourier.product-theorem.unitary",
    "fourier.product-theorem.ordinary",
    "fourier.correlation-theorem",
    "fourier.wiener-khinchin",
    "fourier.parseval",
    "fourier.plancherel",
    "fourier.plancherel.unitary",
    "fourier.plancherel.ordinary",
    "fourier.twice",
    "fourier.twice.unitary",
    "fourier.inversion",
    "fourier.inversion.ordinary",
    "fourier.shift",
    "fourier.modulation",
    "fourier.derivative",
    "fourier.derivative.k",
    "fourier.multiplication",
    "fourier.scaling",
    "scale.conv",
    "mul.leibniz",
    "integral.as-transform",
    "integral.conv",
    "convpow.transform",
}

#: Each classic result with the rules its derivation must use (besides definitions).
CLASSIC = {
    "fourier.conv-theorem": {"fubini", "substitute"},  # unfold, Fubini, change of variables
    "fourier.shift": {"substitute"},
    "fourier.modulation": set(),  # e^{iνy}·e^{−ixy} = e^{−i(x−ν)y}: the law of exponents
    "fourier.derivative": {"by_parts", "differentiate"},
    "fourier.scaling": {"substitute"},
    "scale.conv": {"substitute"},
    "mul.leibniz": {"product_rule", "chain_rule"},
    "integral.conv": {"fubini", "substitute"},
    "fourier.twice": {"inversion"},
    "fourier.product-theorem": {"inversion", "fubini"},
    "fourier.parseval": {"inversion", "conjugate"},
    "fourier.correlation-theorem": {"conjugate", "substitute"},
    "fourier.multiplication": {"leibniz", "differentiate"},
}


CONVPOW_4 = (
    "fourier(convpow(f, 4)) == mul(mul(mul(fourier(f), fourier(f)), fourier(f)), fourier(f))"
)


def derivation(ob_id):
    found = find_derivation(parse(BY_ID[ob_id].statement))
    assert isinstance(found, Found), found
    return found.derivation


def equalities():
    return [ob for ob in fourier.OBLIGATIONS if not parse(ob.statement).negated]


def test_exactly_the_listed_obligations_get_a_derivation():
    found = {}
    for ob in equalities():
        result = find_derivation(parse(ob.statement))
        if isinstance(result, Found):
            found[ob.id] = result.derivation
    assert set(found) == DERIVED
    proved = {ob.id for ob in equalities() if ob.expect is Verdict.PROVED}
    assert DERIVED == proved  # every proved equality of the module
    for d in found.values():  # each one checked again, step by step, by the kernel alone
        again = recheck(d)
        assert isinstance(again, K.Derivation) and again.complete


@pytest.mark.parametrize(
    "ob", [ob for ob in equalities() if ob.expect is Verdict.REFUTED], ids=lambda ob: ob.id
)
def test_no_derivation_for_a_refuted_obligation(ob):
    found = find_derivation(parse(ob.statement))
    assert isinstance(found, NotFound)


@pytest.mark.parametrize("ob_id", sorted(CLASSIC))
def test_each_classic_result_has_a_checked_derivation_in_three_styles(ob_id):
    d = derivation(ob_id)
    statement = parse(BY_ID[ob_id].statement)
    assert d.complete and d.statement == statement
    rules = {s.rule for s in d.steps[1:]}
    assert CLASSIC[ob_id] <= rules
    assert {"unfold", "fold"} <= rules
    again = recheck(d)
    assert isinstance(again, K.Derivation) and again.complete
    assert [s.line for s in again.steps] == [s.line for s in d.steps]
    for step in d.steps[1:]:  # side conditions are stated where the rule needs one
        needs = step.rule in ("fubini", "leibniz", "sift", "product_rule", "by_parts", "inversion")
        assert (step.assumption is not None) == needs, step.rule
    data = derivation_data(d)
    text, markdown, latex = (render(data, style) for style in ("text", "markdown", "latex"))
    assert len(text.splitlines()) == len(d.steps) + 1
    assert markdown.startswith("$$") and r"\begin{aligned}" in markdown
    assert latex.startswith(r"\begin{align*}") and r"\begin{enumerate}" in latex
    for style in (text, markdown, latex):
        assert "ImaginaryUnit" not in style and "exp(" not in style


def test_the_convolution_theorem_reads_like_a_textbook():
    d = derivation("fourier.conv-theorem")
    rules = [s.rule for s in d.steps[1:]]
    assert rules[:5] == ["unfold", "unfold", "linearity", "fubini", "substitute"]
    fub = d.steps[4]
    assert fub.assumption.rule == "fubini" and len(fub.assumption.subject[1]) == 2
    text = render(derivation_data(d), "text")
    assert "e^(-i x" in text and "MeasureTheory.integral_integral_swap" in text


def test_the_derivative_rule_integrates_by_parts_under_its_condition():
    d = derivation("fourier.derivative")
    step = next(s for s in d.steps if s.rule == "by_parts")
    u, v, t = step.assumption.subject
    assert isinstance(u, sp.core.function.AppliedUndef) and isinstance(v, sp.exp)
    text = render(derivation_data(d), "text")
    assert "integral_mul_deriv_eq_deriv_mul_of_integrable" in text
    assert "boundary terms vanish" in text


def test_the_scaling_theorem_substitutes_with_the_modulus_of_the_factor():
    d = derivation("fourier.scaling")
    sub = next(s for s in d.steps if s.rule == "substitute")
    a = param_symbol("a")
    assert sub.info["dphi"] == 1 / a
    assert sub.new.function.has(sp.Abs(a))
    assert "dz/|a|" in render(derivation_data(d), "text")


def test_inversion_states_the_condition_of_mathlib():
    d = derivation("fourier.twice")
    step = next(s for s in d.steps if s.rule == "inversion")
    assert step.assumption.rule == "inversion"
    assert "MeasureTheory.Integrable.fourier_inversion" in render(derivation_data(d), "text")


@pytest.mark.parametrize(
    "text",
    [
        "fourier(shift(f, b)) == modulate(fourier(f), b)",  # the sign of the phase
        "fourier(modulate(f, nu)) == shift(fourier(f), -nu)",
        "fourier(diff(f)) == -I*mul(id, fourier(f))",
        "fourier(diff(f)) == mul(id, fourier(f))",
        "fourier(scale(f, a)) == scale(fourier(f), 1/a)/a",  # a for |a|
        "fourier(scale(f, a)) == scale(fourier(f), a)/abs(a)",
        "conj(fourier(f)) == fourier(f)",  # 𝓕f is complex even for a real f
        "fourier(fourier(f)) == 2*pi*f",
        "fourier(fourier(f)) == flip(f)",
        "ifourier(fourier(f)) == 2*pi*f",
        "diff(mul(f, g)) == mul(diff(f), g)",
        "integral(conv(f, g)) == integral(f)",
        "convention unitary: fourier(conv(f, g)) == mul(fourier(f), fourier(g))",
        "fourier(xcorr(f, g)) == mul(fourier(f), fourier(g))",
        "complex f: inner(f, f) == inner(fourier(f), fourier(f))/(2*pi)",
    ],
)
def test_no_derivation_of_a_wrong_variant(text):
    statement = parse(text)
    assert not decide(statement, lambda: None).identity
    assert isinstance(find_derivation(statement), NotFound)


def test_the_engine_attaches_the_derivation_of_the_convolution_theorem():
    r = prove(BY_ID["fourier.conv-theorem"].statement, explain=True)
    assert r.verdict is Verdict.PROVED
    assert r.method.startswith("Fourier normal form + derivation")
    assert r.details["derivation"]["found"] and r.details["derivation"]["complete"]


def test_an_iterated_convolution_of_four_factors_is_derived():
    # every pairing of four equal factors solves the change of variables; the greedy plans of
    # all are tried before the breadth-first search of any (its time: bench_derivations.py)
    found = find_derivation(parse(CONVPOW_4), seconds=60.0)
    assert isinstance(found, Found) and found.derivation.complete


def test_the_search_respects_its_time_budget_in_the_larger_language():
    found = find_derivation(parse(BY_ID["fourier.product-theorem"].statement), seconds=1e-9)
    assert isinstance(found, NotFound) and "time" in found.reason


# ----------------------------------------------------------------------------- soundness

F, G = Fn("f"), Fn("g")
A, B = param_symbol("a"), param_symbol("b")
PI = sp.pi


def _terms():
    leaf = st.sampled_from([F, G])
    return st.recursive(
        leaf,
        lambda inner: st.one_of(
            st.builds(Conv, inner, inner),
            st.builds(Product, inner, inner),
            st.builds(Fourier, inner),
            st.builds(Conj, inner),
            st.builds(Shift, inner, st.sampled_from([A, B])),
        ),
        max_leaves=2,
    )


#: Identities of the larger language over any terms U, V, each with wrong variants (mutants):
#: (lhs, the right side, [wrong right sides]).
def _identity(kind, u, v):
    fu, fv = Fourier(u), Fourier(v)
    return {
        "conv": (
            Fourier(Conv(u, v)),
            Product(fu, fv),
            [Product(fu, Fourier(Flip(v))), 2 * PI * Product(fu, fv)],
        ),
        "product": (
            Fourier(Product(u, v)),
            Conv(fu, fv) / (2 * PI),
            [Conv(fu, fv), Product(fu, fv)],
        ),
        "shift": (Fourier(Shift(u, B)), Modulate(fu, -B), [Modulate(fu, B), Shift(fu, -B)]),
        "modulate": (Fourier(Modulate(u, B)), Shift(fu, B), [Shift(fu, -B), Modulate(fu, B)]),
        "twice": (Fourier(Fourier(u)), 2 * PI * Flip(u), [2 * PI * u, Flip(u)]),
        "scale": (
            Fourier(Scale(u, A)),
            Scale(fu, 1 / A) / sp.Abs(A),
            [Scale(fu, 1 / A) / A, Scale(fu, A) / sp.Abs(A)],
        ),
    }[kind]


KINDS = ["conv", "product", "shift", "modulate", "twice", "scale"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_terms(), _terms(), st.sampled_from(KINDS), st.integers(0, 1))
def test_no_derivation_for_a_mutant_of_an_identity(u, v, kind, which):
    lhs, _, wrong = _identity(kind, u, v)
    statement = Statement(lhs, wrong[which])
    hypothesis_assume(not decide(statement, lambda: None).identity)
    assert isinstance(find_derivation(statement, seconds=1.0), NotFound)


@pytest.mark.parametrize("kind", KINDS)
def test_the_identities_behind_the_mutants_are_derived(kind):
    # the mutants above are near misses of statements the search does derive
    lhs, rhs, _ = _identity(kind, F, G)
    statement = Statement(lhs, rhs)
    assert decide(statement, lambda: None).identity
    found = find_derivation(statement)
    assert isinstance(found, Found) and found.derivation.complete


def test_without_explain_the_larger_language_defers_its_derivation():
    r = prove(BY_ID["fourier.conv-theorem"].statement)
    assert r.verdict is Verdict.PROVED and r.method.startswith("Fourier normal form")
    assert r.details["derivation"]["deferred"] and not r.details["derivation"]["found"]
    # the notes' own operators are always derived
    assert prove("f*g = g*f").details["derivation"]["found"]
