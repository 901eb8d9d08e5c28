"""The derivation kernel: it admits correct steps, refuses wrong ones with a reason, and is
the only maker of checked steps."""

import copy
import dataclasses
import pathlib

import pytest
import sympy as sp

from symconv import parse
from symconv.language.terms import (
    At,
    Conv,
    Diff,
    Flip,
    Fn,
    Shift,
    Statement,
    Xcorr,
    param_symbol,
)
from symconv.language.unfold import unfold as unfold_fully
from symconv.trusted import kernel as K

OO = sp.oo
f, g, h = (sp.Function(n, real=True) for n in "fgh")  # the language's functions are real
a, b = param_symbol("a"), param_symbol("b")


def real(name):
    return sp.Dummy(name, real=True)


def started(text):
    d = K.begin(parse(text))
    assert isinstance(d, K.Derivation)
    return d


def ok(result):
    assert isinstance(result, K.Derivation), result
    return result


def refused(result, *words):
    assert isinstance(result, K.Refusal), f"the kernel admitted {result.line}"
    for w in words:
        assert w in result.reason, result.reason
    return result


def unfolded(text):
    d = started(text)
    return ok(K.unfold(d, d.line, K.definition(d.line)))


# ----------------------------------------------------------------------------- sealing


def test_steps_and_derivations_cannot_be_made_outside_the_kernel():
    d = started("f*g = g*f")
    with pytest.raises(K.KernelError):
        K.Step(object(), line=d.line, rule="x", old=None, new=None, info={}, assumption=None)
    with pytest.raises(K.KernelError):
        K.Derivation(None, statement=d.statement, point=d.point, target=d.target, steps=d.steps)
    with pytest.raises(TypeError):
        K.Derivation(d.statement, d.point, d.target, d.steps)


def test_kernel_objects_are_immutable_and_final():
    d = started("f*g = g*f")
    with pytest.raises(AttributeError):
        d.steps = ()
    with pytest.raises(AttributeError):
        d.steps[0].line = sp.Integer(0)
    with pytest.raises(K.KernelError):
        type("Forged", (K.Derivation,), {"__module__": "elsewhere"})
    with pytest.raises(TypeError):
        dataclasses.replace(d, steps=())
    with pytest.raises(AttributeError):
        copy.copy(d)


def test_no_other_module_uses_the_kernel_token():
    root = pathlib.Path(K.__file__).parent
    users = [p.name for p in root.glob("*.py") if "_TOKEN" in p.read_text(encoding="utf-8")]
    assert users == ["kernel.py"]


def test_rules_refuse_a_derivation_that_the_kernel_did_not_make():
    d = started("f*g = g*f")
    refused(K.unfold("not a derivation", d.line, K.definition(d.line)), "not a derivation")


# ----------------------------------------------------------------------------- begin


def test_begin_puts_both_sides_at_a_point_and_refuses_inequalities():
    d = started("f*g = g*f")
    x = d.point
    assert d.line == At(Conv(Fn("f"), Fn("g")), x)
    assert d.target == At(Conv(Fn("g"), Fn("f")), x)
    assert not d.complete
    refused(K.begin(parse("f*g != g*f")), "equality")


def test_begin_avoids_a_parameter_called_x():
    d = started("τ(f, x) = f*δ(x)")
    assert d.point.name != "x"
    assert param_symbol("x") in d.line.free_symbols


def test_scalar_statement_starts_at_its_value():
    d = started("(f*δ)(a) = f(a)")
    assert d.point is None
    assert d.target == f(a)


# ----------------------------------------------------------------------------- definitions


@pytest.mark.parametrize(
    "term",
    ["conv(f, g)", "xcorr(f, shift(g, b))", "flip(conv(f, delta(a)))", "conv(conv(f, g), flip(h))"],
)
def test_unfolding_step_by_step_agrees_with_unfold_module(term):
    t = parse(f"{term} = f").lhs
    d = K.begin(Statement(t, Fn("f")))
    for _ in range(20):
        redex = next((n for n in sp.preorder_traversal(d.line) if isinstance(n, At)), None)
        if redex is None:
            break
        d = ok(K.unfold(d, redex, K.definition(redex)))
    assert K.same(d.line, unfold_fully(t, d.point))


def test_fold_into_the_wrong_operator_is_refused():
    d = unfolded("f*g = g*f")
    x = d.point
    refused(K.fold(d, d.line, At(Xcorr(Fn("f"), Fn("g")), x)), "not the definition")
    refused(K.fold(d, d.line, At(Conv(Fn("g"), Fn("f")), x)), "not the definition")
    ok(K.fold(d, d.line, At(Conv(Fn("f"), Fn("g")), x)))


def test_fold_of_shift_checks_the_amount():
    d = started("τ(f*g, b) = f*τ(g, b)")
    x = d.point
    d = ok(K.unfold(d, d.line, At(Conv(Fn("f"), Fn("g")), x - b)))
    d = ok(K.unfold(d, d.line, K.definition(d.line)))
    y = d.line.limits[0][0]
    inner = g(x - b - y)
    refused(K.fold(d, inner, At(Shift(Fn("g"), -b), x - y)))
    ok(K.fold(d, inner, At(Shift(Fn("g"), b), x - y)))


def test_unfolding_needs_the_definition_exactly():
    d = started("f*g = g*f")
    x, y = d.point, real("y")
    refused(K.unfold(d, d.line, sp.Integral(f(y) * g(x + y), (y, -OO, OO))))
    ok(K.unfold(d, d.line, sp.Integral(f(y) * g(x - y), (y, -OO, OO))))


def test_a_step_must_rewrite_something_in_the_line():
    d = started("f*g = g*f")
    other = At(Conv(Fn("g"), Fn("h")), d.point)
    refused(K.unfold(d, other, K.definition(other)), "does not occur")


# ----------------------------------------------------------------------------- substitution


def _commutativity_parts():
    d = unfolded("f*g = g*f")
    x, integral = d.point, d.line
    y, z = integral.limits[0][0], real("z")
    body = integral.function.xreplace({y: x - z})
    return d, x, z, integral, body


def test_substitution_of_the_notes_2_is_admitted():
    d, x, z, integral, body = _commutativity_parts()
    step = ok(K.substitute(d, integral, sp.Integral(-body, (z, OO, -OO)), x - z, z))
    assert step.steps[-1].info["dphi"] == -1


def test_substitution_that_forgets_the_sign_of_dz_is_refused():
    d, x, z, integral, body = _commutativity_parts()
    refused(K.substitute(d, integral, sp.Integral(body, (z, OO, -OO)), x - z, z), "dy = -1")


def test_substitution_that_does_not_swap_the_limits_is_refused():
    d, x, z, integral, body = _commutativity_parts()
    refused(K.substitute(d, integral, sp.Integral(-body, (z, -OO, OO)), x - z, z), "limits", "swap")


def test_substitution_that_swaps_nothing_and_drops_the_sign_is_not_one_step():
    # true as an equation, but it is two steps (substitute, then reverse the limits)
    d, x, z, integral, body = _commutativity_parts()
    refused(K.substitute(d, integral, sp.Integral(body, (z, -OO, OO)), x - z, z), "limits")


def test_substitution_with_a_slope_other_than_one_keeps_the_factor():
    d = unfolded("inner(f, g) = inner(g, f)")
    integral = d.line
    y, z = integral.limits[0][0], real("z")
    body = integral.function.xreplace({y: 2 * z})
    ok(K.substitute(d, integral, sp.Integral(2 * body, (z, -OO, OO)), 2 * z, z))
    refused(K.substitute(d, integral, sp.Integral(body, (z, -OO, OO)), 2 * z, z), "dy = 2")


def test_substitution_must_be_affine_and_fresh():
    d, x, z, integral, body = _commutativity_parts()
    cubic = integral.function.xreplace({integral.limits[0][0]: z**3})
    refused(
        K.substitute(d, integral, sp.Integral(3 * z**2 * cubic, (z, -OO, OO)), z**3, z), "affine"
    )
    y = integral.limits[0][0]
    refused(K.substitute(d, integral, integral, x - y, y), "new variable")


def test_substitution_may_not_use_an_inner_variable():
    d = started("(f*g)*h = f*(g*h)")
    while any(isinstance(n, At) for n in sp.preorder_traversal(d.line)):
        redex = next(n for n in sp.preorder_traversal(d.line) if isinstance(n, At))
        d = ok(K.unfold(d, redex, K.definition(redex)))
    outer = d.line  # ∫ h(x - y) ∫ f(z) g(y - z) dz dy
    y = outer.limits[0][0]
    inner = next(n for n in sp.preorder_traversal(outer.function) if isinstance(n, sp.Integral))
    zz, w = inner.limits[0][0], real("w")
    phi = w + zz  # y = w + z uses the inner variable z: not a change of variables of ∫ dy
    new = sp.Integral(outer.function.xreplace({y: phi}), (w, -OO, OO))
    refused(K.substitute(d, outer, new, phi, w), "outer variables only")


def test_substitution_refuses_a_variable_that_is_differentiated_in():
    d = unfolded("inner(diff(f), g) = inner(g, diff(f))")
    y = d.line.limits[0][0]
    at_y = next(n for n in sp.preorder_traversal(d.line) if isinstance(n, At))
    d = ok(K.unfold(d, at_y, sp.Derivative(f(y), (y, 1))))
    z = real("z")
    new = sp.Integral(-g(-z) * sp.Derivative(f(z), (z, 1)), (z, OO, -OO))  # any candidate
    refused(K.substitute(d, d.line, new, -z, z), "differentiated")


# ----------------------------------------------------------------------------- orientation


def test_reversing_limits_must_negate_the_integrand():
    d, x, z, integral, body = _commutativity_parts()
    d = ok(K.substitute(d, integral, sp.Integral(-body, (z, OO, -OO)), x - z, z))
    refused(K.reverse_limits(d, d.line, sp.Integral(-body, (z, -OO, OO))), "negates")
    d = ok(K.reverse_limits(d, d.line, sp.Integral(body, (z, -OO, OO))))
    d = ok(K.fold(d, d.line, d.target))
    assert d.complete


# ----------------------------------------------------------------------------- linearity


def test_linearity_splits_and_pulls_constants_but_not_variables():
    d = unfolded("f*(g + 2*h) = f*g + 2*(f*h)")
    integral = d.line
    y = integral.limits[0][0]
    x = d.point
    split = sp.Integral(f(y) * g(x - y), (y, -OO, OO)) + 2 * sp.Integral(
        f(y) * h(x - y), (y, -OO, OO)
    )
    ok(K.linearity(d, integral, split))
    wrong = sp.Integral(f(y) * g(x - y), (y, -OO, OO)) + sp.Integral(f(y) * h(x - y), (y, -OO, OO))
    refused(K.linearity(d, integral, wrong), "differ")
    shifted = sp.Integral(f(y) * g(x - y), (y, 0, OO)) + 2 * sp.Integral(
        f(y) * h(x - y), (y, -OO, OO)
    )
    refused(K.linearity(d, integral, shifted))


def test_linearity_refuses_to_pull_out_a_factor_that_depends_on_the_variable():
    d = unfolded("inner(f, g) = inner(g, f)")
    integral = d.line
    y = integral.limits[0][0]
    refused(K.linearity(d, integral, f(y) * sp.Integral(g(y), (y, -OO, OO))))


def test_same_does_not_hide_linearity_or_fubini():
    y, z = real("y"), real("z")
    assert not K.same(
        sp.Integral(f(y) + g(y), (y, -OO, OO)),
        sp.Integral(f(y), (y, -OO, OO)) + sp.Integral(g(y), (y, -OO, OO)),
    )
    body = f(y) * g(z - y)
    assert not K.same(
        sp.Integral(body, (y, -OO, OO), (z, -OO, OO)), sp.Integral(body, (z, -OO, OO), (y, -OO, OO))
    )
    w = real("w")
    assert K.same(
        sp.Integral(f(y) * (g(y) + h(y)), (y, -OO, OO)),
        sp.Integral(f(w) * h(w) + g(w) * f(w), (w, -OO, OO)),
    )


# ----------------------------------------------------------------------------- Fubini


def _prenex_associativity():
    d = started("(f*g)*h = f*(g*h)")
    while any(isinstance(n, At) for n in sp.preorder_traversal(d.line)):
        redex = next(n for n in sp.preorder_traversal(d.line) if isinstance(n, At))
        d = ok(K.unfold(d, redex, K.definition(redex)))
    mul = d.line.function  # h(x - y) * ∫ f(z) g(y - z) dz
    inner = next(a for a in mul.args if isinstance(a, sp.Integral))
    rest = sp.Mul(*[a for a in mul.args if a is not inner])
    d = ok(K.linearity(d, mul, sp.Integral(rest * inner.function, *inner.limits)))
    assert len(d.line.limits) == 2
    return d


def test_fubini_without_its_condition_is_refused():
    d = _prenex_associativity()
    old = d.line
    swapped = sp.Integral(old.function, old.limits[1], old.limits[0])
    refused(K.fubini(d, old, swapped, 0), "side condition")
    other = K.Assumption("fubini", (f(real("y")), (real("y"),)))
    refused(K.fubini(d, old, swapped, 0, assume=other), "side condition")
    step = ok(K.fubini(d, old, swapped, 0, assume=K.condition("fubini", old, swapped)))
    assert step.steps[-1].assumption.rule == "fubini"


def test_fubini_must_actually_swap():
    d = _prenex_associativity()
    old = d.line
    refused(K.fubini(d, old, old, 0, assume=K.condition("fubini", old, old)), "not swapped")


def test_fubini_refuses_an_integrand_with_delta():
    d = started("((f*g)*δ(a))(c) = (f*τ(g, a))(c)")
    while any(isinstance(n, At) for n in sp.preorder_traversal(d.line)):
        redex = next(n for n in sp.preorder_traversal(d.line) if isinstance(n, At))
        d = ok(K.unfold(d, redex, K.definition(redex)))
    mul = d.line.function  # δ(c - a - y) * ∫ f(z) g(y - z) dz
    inner = next(a for a in mul.args if isinstance(a, sp.Integral))
    rest = sp.Mul(*[a for a in mul.args if a is not inner])
    d = ok(K.linearity(d, mul, sp.Integral(rest * inner.function, *inner.limits)))
    old = d.line
    swapped = sp.Integral(old.function, old.limits[1], old.limits[0])
    refused(K.fubini(d, old, swapped, 0, assume=K.condition("fubini", old, swapped)), "δ")


# ----------------------------------------------------------------------------- derivatives


def _derivative_of_convolution():
    d = started("diff(f*g, k) = f*diff(g, k)")
    d = ok(K.unfold(d, d.line, K.definition(d.line)))
    conv = d.line.expr
    return ok(K.unfold(d, conv, K.definition(conv)))


def _leibniz_step():
    d = _derivative_of_convolution()
    deriv = d.line
    inside = sp.Integral(
        sp.Derivative(deriv.expr.function, *deriv.variable_count), *deriv.expr.limits
    )
    return ok(K.leibniz(d, deriv, inside, assume=K.condition("leibniz", deriv, inside)))


def test_differentiation_under_the_integral_needs_its_condition():
    d = _derivative_of_convolution()
    deriv = d.line
    inside = sp.Integral(
        sp.Derivative(deriv.expr.function, *deriv.variable_count), *deriv.expr.limits
    )
    refused(K.leibniz(d, deriv, inside), "side condition")
    cond = K.condition("leibniz", deriv, inside)
    step = ok(K.leibniz(d, deriv, inside, assume=cond))
    wrong = sp.Integral(deriv.expr.function, *deriv.expr.limits)
    refused(K.leibniz(d, deriv, wrong, assume=cond), "inside")
    assert step.steps[-1].assumption == cond


def test_chain_rule_keeps_the_sign_of_a_flip():
    d = started("diff(flip(f), 3) = -flip(diff(f, 3))")
    d = ok(K.unfold(d, d.line, K.definition(d.line)))
    flip = next(n for n in sp.preorder_traversal(d.line) if isinstance(n, At))
    d = ok(K.unfold(d, flip, K.definition(flip)))
    x = d.point
    refused(K.chain_rule(d, d.line, At(Diff(Fn("f"), 3), -x)), "cᵏ")
    d = ok(K.chain_rule(d, d.line, -At(Diff(Fn("f"), 3), -x)))
    d = ok(K.fold(d, At(Diff(Fn("f"), 3), -x), At(Flip(Diff(Fn("f"), 3)), x)))
    assert d.complete


def test_linearity_of_the_derivative_only_moves_factors_free_of_x():
    d = _leibniz_step()
    deriv = next(n for n in sp.preorder_traversal(d.line) if isinstance(n, sp.Derivative))
    y = d.line.limits[0][0]
    x, k = deriv.variable_count[0]
    ok(K.linearity(d, deriv, f(y) * sp.Derivative(g(x - y), (x, k))))
    refused(K.linearity(d, deriv, g(x - y) * sp.Derivative(f(y), (x, k))))


# ----------------------------------------------------------------------------- sifting


def test_sifting_needs_continuity_and_the_right_point():
    d = unfolded("(f*δ)(a) = f(a)")
    integral = d.line
    refused(K.sift(d, integral, f(a)), "side condition")
    cond = K.condition("sift", integral, f(a))
    refused(K.sift(d, integral, f(-a), assume=cond), "zero")
    d = ok(K.sift(d, integral, f(a), assume=cond))
    assert d.complete


def test_sifting_with_delta_read_either_way():
    d = unfolded("inner(f, δ(a)) = f(a)")  # ∫ f(y) δ(y - a) dy
    cond = K.condition("sift", d.line, f(a))
    assert cond.subject[2] == a
    assert ok(K.sift(d, d.line, f(a), assume=cond)).complete


def test_sifting_refuses_a_delta_against_a_delta():
    d = started("δ(a)*δ(b) = δ(a + b)")
    d = ok(K.unfold(d, d.line, K.definition(d.line)))
    assert K.condition("sift", d.line, d.line) is None
    refused(K.sift(d, d.line, sp.DiracDelta(d.point - a - b)), "free of δ")


def test_rearrange_allows_renaming_only():
    d = unfolded("f*g = g*f")
    x, w = d.point, real("w")
    ok(K.rearrange(d, sp.Integral(g(x - w) * f(w), (w, -OO, OO))))
    refused(K.rearrange(d, sp.Integral(f(x - w) * g(w), (w, -OO, OO))), "not equal")


def test_rules_apply_right_to_left_too():
    d = started("f(a) = (f*δ)(a)")
    y = real("y")
    integral = sp.Integral(f(y) * sp.DiracDelta(a - y), (y, -OO, OO))
    cond = K.condition("sift", d.line, integral)
    assert cond is not None
    d = ok(K.sift(d, d.line, integral, assume=cond))
    d = ok(K.fold(d, integral, d.target))
    assert d.complete


def test_derivative_at_a_point_the_term_depends_on_is_not_unfolded():
    # (d/dx τ(f, a))(a) is f′(0); the derivative in a of f(a − a) = f(0) would be 0
    d = started("(diff(τ(f, a)))(a) = (diff(f))(0)")
    assert K.definition(d.line) is None
    refused(K.unfold(d, d.line, sp.Derivative(K.at(Shift(Fn("f"), a), a), (a, 1))))


def test_reserved_names_cannot_enter_a_derivation():
    sneaky = sp.Symbol("⟨0⟩", real=True)
    refused(K.begin(Statement(Shift(Fn("f"), sneaky), Fn("f"))), "reserved")
    d = unfolded("f*g = g*f")
    refused(K.rearrange(d, d.line.xreplace({d.line.limits[0][0]: sneaky})), "reserved")
