"""The derivation search: it finds kernel-checked derivations of the notes' proved claims
from the kernel's rules alone, ends exactly at the right side, and finds none for claims
that are false."""

import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from symconv import parse
from symconv.language.terms import (
    FUNCTION,
    Conv,
    Flip,
    Fn,
    Shift,
    Statement,
    Xcorr,
    param_symbol,
)
from symconv.results.result import Verdict
from symconv.routes.derivation.search import Found, NotFound, find_derivation
from symconv.routes.fourier import decide
from symconv.trusted import kernel as K
from theorems import SECTIONS

NOTES_PROVED = [
    ob
    for section in SECTIONS  # the notes' own claims (the Fourier extension: test_derive_fourier.py)
    for ob in section.OBLIGATIONS
    if ob.expect is Verdict.PROVED
    and isinstance(ob.statement, str)
    and not parse(ob.statement).negated
]


def derivation_of(text):
    found = find_derivation(parse(text) if isinstance(text, str) else text)
    assert isinstance(found, Found), found
    return found.derivation


def rules(d):
    return [s.rule for s in d.steps[1:]]


def embed(side, point):
    return K.at(side, point) if point is not None else K._embed(side, None)


@pytest.mark.parametrize("ob", NOTES_PROVED, ids=lambda ob: ob.id)
def test_every_proved_claim_of_the_notes_has_a_checked_derivation(ob):
    statement = parse(ob.statement)
    d = derivation_of(statement)
    assert isinstance(d, K.Derivation) and d.complete
    assert all(isinstance(s, K.Step) for s in d.steps)
    # first line is the left side, last line is the right side, structurally
    assert d.steps[0].line == embed(statement.lhs, d.point)
    assert d.line == embed(statement.rhs, d.point)
    assert d.statement == statement


@pytest.mark.parametrize(
    "text",
    ["g*f⁻ = g⁻*f", "f⋆g = g⋆f", "(f⋆g)⋆h = f⋆(g⋆h)", "τ(f*g, b) = τ(f, b)*τ(g, b)", "f*g = f*h"],
)
def test_false_claims_have_no_derivation(text):
    assert isinstance(find_derivation(parse(text)), NotFound)


def test_commutativity_reads_like_the_notes_2():
    d = derivation_of("f*g = g*f")
    assert rules(d) == ["unfold", "substitute", "reverse_limits", "fold"]
    sub = d.steps[2]
    x, z = d.point, sub.info["new_var"]
    assert sub.info["phi"] == x - z and sub.info["dphi"] == -1
    assert sub.line.limits[0][1:] == (sp.oo, -sp.oo)  # ∫_{+∞}^{−∞} … (−dz)


def test_time_invariance_reads_like_the_notes_3():
    d = derivation_of("τ(f*g, b) = f*τ(g, b)")
    assert rules(d) == ["unfold", "unfold", "fold", "fold"]
    b = param_symbol("b")
    assert d.steps[1].line == K.at(Conv(Fn("f"), Fn("g")), d.point - b)  # (f*g)(x − b)


def test_cross_correlation_reads_like_the_notes_10():
    d = derivation_of("f⋆g = f⁻*g")
    assert rules(d) == ["unfold", "substitute", "reverse_limits", "fold", "fold"]
    z = d.steps[2].info["new_var"]
    assert d.steps[2].info["phi"] == -z  # y = −z, dy = −dz
    assert d.steps[4].new == K.at(Flip(Fn("f")), z)  # f(−z) folded into f⁻(z)


def test_associativity_uses_fubini_under_its_condition():
    d = derivation_of("(f*g)*h = f*(g*h)")
    assert "fubini" in rules(d)
    fub = next(s for s in d.steps if s.rule == "fubini")
    assert fub.assumption is not None and fub.assumption.rule == "fubini"


def test_derivative_rule_states_the_condition_of_mathlib():
    d = derivation_of("diff(f*g, k) = f*diff(g, k)")
    assert rules(d)[:4] == ["unfold", "unfold", "leibniz", "linearity"]
    leib = next(s for s in d.steps if s.rule == "leibniz")
    assert leib.assumption.rule == "leibniz"


@pytest.mark.parametrize("text", ["(f*δ)(a) = f(a)", "f*δ(a) = τ(f, a)"])
def test_sifting_both_readings(text):
    d = derivation_of(text)
    assert "sift" in rules(d)
    assert next(s for s in d.steps if s.rule == "sift").assumption.rule == "sift"


@pytest.mark.parametrize(
    "text",
    [
        "u*v = v*u",  # other names
        "τ(f*g, b) = τ(f, b)*g",
        "g⋆f = (f⋆g)⁻",
        "f*(2*g - h) = 2*(g*f) - h*f",
        "diff(f*g, k) = diff(f, k)*g",
        "diff(f⋆g, k) = f⋆diff(g, k)",
        "inner(f*g, h) = inner(g, f⁻*h)",
        "((f*g)*δ(a))(c) = (f*τ(g, a))(c)",
        "f*(g*h) = (f*g)*h",
        "h*(f*g) = (h*f)*g",
        "inner(f, δ(a)) = f(a)",
        "diff(flip(f), 3) = -flip(diff(f, 3))",
    ],
)
def test_search_finds_identities_beyond_the_notes(text):
    d = derivation_of(text)
    assert d.complete


def test_search_respects_its_time_budget():
    found = find_derivation(parse("(f*g)*h = f*(g*h)"), seconds=1e-9)
    assert isinstance(found, NotFound) and "time" in found.reason


def test_inequalities_are_not_derived():
    assert isinstance(find_derivation(parse("f*g != g*f")), NotFound)


# ----------------------------------------------------------------------------- soundness

F, G, H = Fn("f"), Fn("g"), Fn("h")
PARAMS = [param_symbol("a"), param_symbol("b")]


def _terms():
    leaf = st.sampled_from([F, G, H])
    return st.recursive(
        leaf,
        lambda inner: st.one_of(
            st.builds(Conv, inner, inner),
            st.builds(Xcorr, inner, inner),
            st.builds(Flip, inner),
            st.builds(Shift, inner, st.sampled_from(PARAMS)),
        ),
        max_leaves=3,
    )


#: A time budget far above what the step-bounded search needs (MAX_STEPS, MAX_STATES, …), so
#: that these tests never depend on how loaded the machine is.
SEARCH_SECONDS = 120.0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_terms(), _terms())
def test_a_found_derivation_never_contradicts_the_normal_form(lhs, rhs):
    statement = Statement(lhs, rhs)
    found = find_derivation(statement, seconds=SEARCH_SECONDS)
    identity = decide(statement, lambda: None).identity
    # every outcome is checked: a derivation is complete and of an identity; no derivation
    # says why (never because the time ran out)
    assert isinstance(found, (Found, NotFound))
    assert (found.derivation.complete and identity) if isinstance(found, Found) else (
        found.reason and "time" not in found.reason
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_terms(), _terms())
def test_commuted_convolutions_are_derived(a, b):
    statement = Statement(Conv(a, b), Conv(b, a))
    if statement.lhs == statement.rhs:
        return
    found = find_derivation(statement, seconds=SEARCH_SECONDS)
    assert isinstance(found, Found), found
    assert found.derivation.line == K.at(Conv(b, a), found.derivation.point)
    assert statement.kind == FUNCTION


@pytest.mark.parametrize("text", ["f*g = g*f", "(f*g)*h = f*(g*h)", "diff(f*g, k) = f*diff(g, k)"])
def test_a_derivation_replays_through_the_kernel_alone(text):
    from symconv.routes.derivation.search import recheck as replay

    d = derivation_of(text)
    again = replay(d)
    assert isinstance(again, K.Derivation) and again.complete
    assert [s.line for s in again.steps] == [s.line for s in d.steps]


def test_no_derivation_of_a_false_derivative_identity():
    assert isinstance(find_derivation(parse("(diff(τ(f, a)))(a) = 0")), NotFound)
