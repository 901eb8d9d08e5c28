"""Section 2 claims through the engine: verdicts and the evidence they carry."""

import pytest
import sympy as sp

from symconv import Verdict, prove
from symconv.routes.calculus.claims import (
    ChainRuleAbstract,
    ChainRuleConcrete,
    DifferentiableAt,
    Implication,
    jacobian_difference,
)
from symconv.routes.calculus.maps import Map, abstract_map, real_symbols

x, y = real_symbols("x y")
u, v, w = real_symbols("u v w")

POLY = Map((x, y), (x**2 * y, x + y**3))
ABS = Map((x,), (sp.Abs(x),))
X2_SIN = Map((x,), (x**2 * sp.sin(1 / x),), overrides=(((0,), (0,)),))
XY_RATIO = Map((x, y), (x * y / (x**2 + y**2),), overrides=(((0, 0), (0,)),))


def test_differentiable_at_proved_with_A():
    r = prove(DifferentiableAt(POLY, (1, 2)))
    assert r.verdict is Verdict.PROVED
    assert r.details["A"] == [["4", "1"], ["1", "12"]]
    assert "is differentiable at (1, 2)" in r.statement


def test_differentiable_at_refuted_with_witness():
    r = prove(DifferentiableAt(XY_RATIO, (0, 0)))
    assert r.verdict is Verdict.REFUTED
    assert r.witness.at == "(0, 0)"
    assert (r.witness.lhs, r.witness.rhs) == ("oo", "0")


def test_converse_of_2_2_refuted_by_abs_after_trying_others():
    claim = Implication(
        "continuous", "differentiable", ((POLY, (1, 2)), (X2_SIN, (0,)), (ABS, (0,))), "c"
    )
    r = prove(claim)
    assert r.verdict is Verdict.REFUTED
    assert r.witness.functions == {"f(x)": "Abs(x)"}
    assert (r.witness.lhs, r.witness.rhs) == ("1", "-1")
    assert r.witness.extra["premise"].startswith("continuous: holds")


def test_converse_of_2_3_refuted_by_x2_sin():
    claim = Implication(
        "differentiable",
        "partial derivatives are continuous",
        ((POLY, (1, 2)), (X2_SIN, (0,))),
        "c",
    )
    r = prove(claim)
    assert r.verdict is Verdict.REFUTED
    assert (r.witness.lhs, r.witness.rhs) == ("-1", "0")
    assert r.witness.extra["premise_facts"] == {"A": [["0"]]}


def test_converse_of_2_1_refuted_by_xy_ratio():
    claim = Implication("partial derivatives exist", "differentiable", ((XY_RATIO, (0, 0)),), "c")
    r = prove(claim)
    assert r.verdict is Verdict.REFUTED
    assert r.witness.extra["premise_facts"] == {"partials": [["0", "0"]]}


def test_theorem_checked_counts_only_instances_where_the_premise_holds():
    family = ((POLY, (1, 2)), (ABS, (0,)), (X2_SIN, (0,)), (XY_RATIO, (0, 0)))
    r = prove(Implication("differentiable", "continuous", family, "four maps"))
    assert r.verdict is Verdict.CHECKED
    assert r.details["instances"] == 2
    assert r.details["family"] == "four maps"
    assert len(r.details["vacuous"]) == 2
    assert r.to_dict()["checked"] == {"instances": 2, "family": "four maps"}


def test_theorem_with_only_vacuous_instances_is_unknown():
    r = prove(Implication("differentiable", "continuous", ((ABS, (0,)),), "f"))
    assert r.verdict is Verdict.UNKNOWN
    assert "no instance" in r.reason


def test_unknown_property_is_refused():
    with pytest.raises(ValueError):
        Implication("smooth", "continuous", ((POLY, (1, 2)),), "f")


def test_chain_rule_abstract_is_checked_not_proved():
    """SymPy differentiates g(f(x)) with its own chain rule, so the abstract chain rule is
    only checked against the matrix form (a proof may not assume its conclusion)."""
    r = prove(ChainRuleAbstract(((1, 1, 1), (2, 3, 2))))
    assert r.verdict is Verdict.CHECKED
    assert r.details["instances"] == 2 and "its own chain rule" in r.details["family"]
    assert r.hypotheses[0].lemma == "HasFDerivAt.comp"
    assert r.details["dimensions"][1] == {"n": 2, "m": 3, "p": 2, "entries": 4}
    assert [e["check"] for e in r.certificate.entries] == ["chain_rule_abstract"] * 2


def test_chain_rule_check_is_not_vacuous():
    """Taking J_g at x instead of at f(x) leaves a nonzero difference."""
    f = abstract_map("f", 2, 2)
    g = abstract_map("g", 2, 1)
    assert jacobian_difference(g, f) == sp.zeros(1, 2)
    h = Map(f.variables, (g.components[0].xreplace(dict(zip(g.variables, f.components))),))
    wrong = (h.jacobian() - g.jacobian() * f.jacobian()).applyfunc(lambda e: sp.expand(e.doit()))
    assert wrong != sp.zeros(1, 2)


def test_chain_rule_concrete_exact_at_point():
    f = Map((x, y), (x * y, sp.sin(x), sp.exp(y)), name="f")
    g = Map((u, v, w), (u + v * w, u**2), name="g")
    r = prove(ChainRuleConcrete(g, f, (1, 2)))
    assert r.verdict is Verdict.PROVED
    assert r.details["J_(g∘f)(a)"] == [["2 + exp(2)*cos(1)", "1 + exp(2)*sin(1)"], ["8", "4"]]
    assert r.details["f(a)"] == ["2", "sin(1)", "exp(2)"]
