"""The derivation kernel in the larger language: each new rule admits its instances and
refuses malformed ones with a reason; side conditions are demanded as assumptions; the law of
exponents and α-equivalence in ``same``; and the two faults found on the way stay fixed."""

import sympy as sp

from symconv import parse
from symconv.language.terms import (
    At,
    Conj,
    Conv,
    ConvPower,
    Fn,
    Fourier,
    real_valued,
)
from symconv.language.unfold import unfold as unfold_fully
from symconv.routes.derivation.search import Found, NotFound, find_derivation, recheck
from symconv.trusted import kernel as K

OO = sp.oo
I, E, pi = sp.I, sp.exp, sp.pi
f, g = (sp.Function(n, real=True) for n in "fg")
a, b, x = (sp.Symbol(n, real=True) for n in "abx")


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


def reached(text, n):
    """The kernel's derivation of ``text`` after the first ``n`` steps of the one the search
    finds (each checked again by the kernel): a real line to try a rule on."""
    found = find_derivation(parse(text))
    assert isinstance(found, Found), found
    return ok(recheck(found.derivation, upto=n))


def node(d, kind):
    return next(n for n in sp.preorder_traversal(d.line) if isinstance(n, kind))


def whole(var):
    return (var, -OO, OO)


# ----------------------------------------------------------------------------- faults fixed


def test_the_conjugate_of_a_complex_value_is_not_folded_away():
    # At(T, p) said it was real for every term, so SymPy folded conj(𝓕f(x)) to 𝓕f(x)
    d = started("conj(fourier(f)) == fourier(f)")
    value = K.definition(d.line)
    assert isinstance(value, sp.conjugate)
    refused(K.unfold(d, d.line, K.at(Fourier(Fn("f")), d.point)), "definition")
    assert K.at(Fourier(Fn("f")), x).is_real is None
    assert K.at(Conv(Fn("f"), Fn("g")), x).is_real is True
    assert not real_valued(Fn("f", "complex")) and not real_valued(sp.I * Fn("f"))
    assert real_valued(Conj(Conv(Fn("f"), Fn("g"))))


def test_each_bound_variable_of_a_definition_is_new():
    # every fresh() of the definition was one variable: ∫∫ f(0) f(y) f(x − y) dy dy
    value = K.definition(At(ConvPower(Fn("f"), 3), x))
    assert len({lim[0] for lim in value.limits}) == 2
    assert K.same(value, unfold_fully(ConvPower(Fn("f"), 3), x))


# ----------------------------------------------------------------------------- same


def test_same_knows_the_law_of_exponents_and_nothing_more():
    assert K.same(E(-I * x * (a + b)), E(-I * x * a) * E(-I * x * b))
    assert K.same(E(x) ** 2 * g(a), g(a) * E(x) * E(x))
    assert K.same(E(x) * E(-x), sp.S.One)
    assert not K.same(E(a + b), E(a) + E(b))
    w = sp.Symbol("w")  # complex: (e^{2w})^{1/2} is not e^w
    assert not K.same(sp.sqrt(E(2 * w)), E(w))
    assert not K.same(E(a), E(b))


def test_same_renames_bound_variables_by_depth():
    y, z, w = real("y"), real("z"), real("w")
    one = sp.Integral(f(y) * E(-I * x * y), whole(y))
    two = sp.Integral(f(z) * E(-I * x * z), whole(z))
    assert K.same(one**2, one * two)  # a power of an integral is a product of copies
    assert not K.same(one**2, one * sp.Integral(g(z), whole(z)))
    # an inner integral that binds the outer variable again is its own scope
    shadow = sp.Integral(f(y) * sp.Integral(g(y), whole(y)), whole(y))
    renamed = sp.Integral(f(y) * sp.Integral(g(w), whole(w)), whole(y))
    assert K.same(shadow, renamed)
    assert not K.same(shadow, sp.Integral(f(y) * sp.Integral(g(y), whole(w)), whole(y)))


# ----------------------------------------------------------------------------- definitions


def test_a_definition_may_be_unfolded_in_a_context():
    # SymPy merges a convention's constant with the factors around the unfolded value
    d = K.begin(parse("convention unitary: sqrt(2*pi)*fourier(f) == sqrt(2*pi)*fourier(f)"))
    t = real("t")
    value = sp.Integral(E(-I * d.point * t) * f(t), whole(t))
    assert d.line == sp.sqrt(2 * pi) * At(Fourier(Fn("f"), "unitary"), d.point)
    step = ok(K.unfold(d, d.line, value)).steps[-1]  # √(2π)·(1/√(2π))·∫ … = ∫ …
    assert step.info["term"] == Fourier(Fn("f"), "unitary")
    refused(K.unfold(d, d.line, 2 * value), "definition")


# ----------------------------------------------------------------------------- substitution

SCALING = "fourier(scale(f, a)) == scale(fourier(f), 1/a)/abs(a)"
SHIFT = "fourier(shift(f, a)) == modulate(fourier(f), -a)"


def test_a_dilation_factor_may_be_a_slope_over_the_line_with_its_modulus():
    d = reached(SCALING, 2)  # ∫ f(a y) e^{−ixy} dy
    old, X, z = d.line, d.point, real("z")
    good = sp.Integral(f(z) * E(-I * X * z / a) / sp.Abs(a), whole(z))
    step = ok(K.substitute(d, old, good, z / a, z)).steps[-1]
    assert step.info["dphi"] == 1 / a and step.assumption is None
    forgot_modulus = sp.Integral(f(z) * E(-I * X * z / a) / a, whole(z))
    refused(K.substitute(d, old, forgot_modulus, z / a, z), "dy")
    # written over (+∞, −∞), the integral is no longer over ℝ as the rule needs
    flipped = sp.Integral(-old.function, (old.limits[0][0], OO, -OO))
    d = ok(K.reverse_limits(d, old, flipped))
    refused(K.substitute(d, flipped, sp.Integral(-good.function, (z, OO, -OO)), z / a, z), "affine")


def test_a_parameter_that_is_not_declared_nonzero_is_no_slope():
    d = reached(SHIFT, 2)  # ∫ f(y − a) e^{−ixy} dy: here a may be 0
    X, z = d.point, real("z")
    new = sp.Integral(f(z / a - a) * E(-I * X * z / a) / sp.Abs(a), whole(z))
    refused(K.substitute(d, d.line, new, z / a, z), "declares nonzero")


# ----------------------------------------------------------------------------- derivatives

DERIVATIVE = "fourier(diff(f)) == I*mul(id, fourier(f))"


def test_differentiate_an_elementary_expression_also_in_its_product_context():
    d = reached(DERIVATIVE, 4)  # −∫ f(y) d/dy[e^{−ixy}] dy
    deriv, X = node(d, sp.Derivative), d.point
    y = deriv.variable_count[0][0]
    ok(K.differentiate(d, deriv, -I * X * E(-I * X * y)))
    context = deriv.expr * 0 + node(d, sp.Integral).function  # f(y)·d/dy[…]
    ok(K.differentiate(d, context, -I * X * f(y) * E(-I * X * y)))
    refused(K.differentiate(d, deriv, I * X * E(-I * X * y)), "not the derivative")
    refused(K.differentiate(d, context, -I * X * g(y) * E(-I * X * y)), "not the derivative")


def test_differentiate_refuses_a_function_of_the_variable():
    d = reached(DERIVATIVE, 2)  # ∫ e^{−ixy} d/dy[f(y)] dy
    deriv = node(d, sp.Derivative)
    y = deriv.variable_count[0][0]
    refused(K.differentiate(d, deriv, sp.Derivative(f(y), y)), "elementary")


def test_the_product_rule_needs_its_condition_and_every_term():
    d = reached("diff(mul(f, g)) == mul(diff(f), g) + mul(f, diff(g))", 2)
    deriv, X = d.line, d.point
    right = sp.Derivative(f(X), X) * g(X) + f(X) * sp.Derivative(g(X), X)
    refused(K.product_rule(d, deriv, right), "side condition")
    cond = K.condition("product_rule", deriv, right)
    assert cond.rule == "product_rule" and cond.subject[1] == ((X, 1),)
    step = ok(K.product_rule(d, deriv, right, assume=cond))
    assert step.steps[-1].assumption == cond
    refused(K.product_rule(d, deriv, sp.Derivative(f(X), X) * g(X), assume=cond), "Σ")


def test_the_product_rule_is_for_a_first_derivative():
    d = reached("diff(mul(f, g), 2) == diff(mul(f, g), 2)", 0)
    d = ok(K.unfold(d, d.line, K.definition(d.line)))
    prod = node(d, At)
    d = ok(K.unfold(d, prod, K.definition(prod)))
    X = d.point
    wrong = sp.Derivative(f(X), (X, 2)) * g(X) + f(X) * sp.Derivative(g(X), (X, 2))
    refused(K.product_rule(d, d.line, wrong), "first derivative")


# ----------------------------------------------------------------------------- by parts


def test_integration_by_parts_needs_its_condition_and_reads_both_ways():
    d = reached(DERIVATIVE, 2)  # ∫ e^{−ixy} d/dy[f(y)] dy
    old, X = d.line, d.point
    y = old.limits[0][0]
    new = sp.Integral(-f(y) * sp.Derivative(E(-I * X * y), y), whole(y))
    refused(K.by_parts(d, old, new), "side condition")
    cond = K.condition("by_parts", old, new)
    assert cond.subject == (f(y), E(-I * X * y), y)
    d2 = ok(K.by_parts(d, old, new, assume=cond))
    assert d2.steps[-1].assumption == cond
    ok(K.by_parts(d2, new, old, assume=K.condition("by_parts", new, old)))  # and back


def test_integration_by_parts_refuses_a_lost_sign_or_a_derivative_in_another_variable():
    d = reached(DERIVATIVE, 2)
    old, X = d.line, d.point
    y, z = old.limits[0][0], real("z")
    lost_sign = sp.Integral(f(y) * sp.Derivative(E(-I * X * y), y), whole(y))
    stated = K.Assumption("by_parts", (f(y), E(-I * X * y), y))
    refused(K.by_parts(d, old, lost_sign, assume=stated), "∫ U′·V")
    other = sp.Integral(-f(y) * sp.Derivative(E(-I * X * y), z), whole(y))
    refused(K.by_parts(d, old, other), "∫ U′·V")


def test_integration_by_parts_refuses_delta():
    d = K.begin(parse("fourier(diff(delta)) == I*mul(id, fourier(delta))"))
    d = ok(K.unfold(d, d.line, K.definition(d.line)))
    at = node(d, At)
    d = ok(K.unfold(d, at, K.definition(at)))  # ∫ e^{−ixy} d/dy[δ(y)] dy
    old, X = d.line, d.point
    y = old.limits[0][0]
    new = sp.Integral(-sp.DiracDelta(y) * sp.Derivative(E(-I * X * y), y), whole(y))
    stated = K.Assumption("by_parts", (sp.DiracDelta(y), E(-I * X * y), y))
    refused(K.by_parts(d, old, new, assume=stated), "δ")


# ----------------------------------------------------------------------------- conjugate

CORRELATION = "complex f, g: fourier(xcorr(f, g)) == mul(conj(fourier(f)), fourier(g))"


def test_the_conjugate_moves_into_an_integral_and_takes_its_integrand_along():
    found = find_derivation(parse(CORRELATION))
    step = next(s for s in found.derivation.steps if s.rule == "conjugate")
    n = found.derivation.steps.index(step)
    d = ok(recheck(found.derivation, upto=n - 1))  # … ∫ e^{ixz} conj(f(z)) dz …
    ok(K.conjugate(d, step.old, step.new))
    integral = next(
        e for e in sp.preorder_traversal(d.line)
        if isinstance(e, sp.Integral) and e.function.has(sp.conjugate)
    )
    bare = integral.function.xreplace({c: c.args[0] for c in integral.function.atoms(sp.conjugate)})
    without = sp.Integral(bare, *integral.limits)
    refused(K.conjugate(d, integral, sp.conjugate(without)), "conjugate")
    refused(K.conjugate(d, integral, without), "conjugate of an integral")


# ----------------------------------------------------------------------------- inversion

TWICE = "fourier(fourier(f)) == 2*pi*flip(f)"


def test_fourier_inversion_needs_its_condition_and_the_right_value():
    d = reached(TWICE, 3)  # ∫∫ f(z) e^{−iyz} e^{−ixy} dz dy
    old, X = d.line, d.point
    z = old.limits[0][0]
    new = 2 * pi * f(-X)
    refused(K.inversion(d, old, new), "side condition")
    cond = K.condition("inversion", old, new)
    assert cond.subject == (f(z), z, -X)
    assert ok(K.inversion(d, old, new, assume=cond)).steps[-1].assumption == cond
    refused(K.inversion(d, old, 2 * pi * f(X), assume=cond), "2π")
    refused(K.inversion(d, old, f(-X), assume=cond), "2π")


def test_fourier_inversion_refuses_the_wrong_order_and_other_kernels():
    d = reached(TWICE, 3)
    old, X = d.line, d.point
    (z, *_), (y, *_) = old.limits
    body = old.function
    # the frequency integral inside (∫ e^{−iyz} dy does not converge): Fubini, then refused
    swapped = sp.Integral(body, old.limits[1], old.limits[0])
    d2 = ok(K.fubini(d, old, swapped, 0, assume=K.condition("fubini", old, swapped)))
    refused(K.inversion(d2, swapped, 2 * pi * f(-X)), "∫∫")
    # no Fourier kernel: e^{−iy²z}, H depending on y, no s in the phase (α = 0)
    for other in [body.xreplace({y: y**2}), f(z) * g(y) * E(-I * y * z), f(z) * E(-I * X * y)]:
        assert K.condition("inversion", sp.Integral(other, *old.limits), 0) is None
        assert K.inverted(sp.Integral(other, *old.limits)) is None


def test_fourier_inversion_over_a_slope_needs_it_declared_nonzero():
    # the inversion itself, written over a parameter a: ∫∫ H(z) e^{−iayz} dz dy = 2π H(0)/|a|
    z, y = real("z"), real("y")
    integral = sp.Integral(f(z) * E(-I * a * y * z), whole(z), whole(y))
    assert K.inverted(integral) == 2 * pi * f(0) / sp.Abs(a)
    value = 2 * pi * f(0) / sp.Abs(a)
    undeclared = K._inversion_instance(integral, lambda v: v, value, frozenset())
    assert isinstance(undeclared, str)
    declared = K._inversion_instance(integral, lambda v: v, value, frozenset({a}))
    assert declared == (f(z), z, 0)


# ----------------------------------------------------------------------------- Fubini


def test_fubini_states_integrability_of_the_swapped_pair_only():
    found = find_derivation(parse("fourier(mul(f, g)) == conv(fourier(f), fourier(g))/(2*pi)"))
    step = next(s for s in found.derivation.steps if s.rule == "fubini")
    body, variables = step.assumption.subject
    assert len(variables) == 2 and isinstance(body, sp.Integral)  # the inner level stays inside
    n = found.derivation.steps.index(step)
    d = ok(recheck(found.derivation, upto=n - 1))
    old = step.old
    everything = K.Assumption("fubini", (old.function, tuple(v for v, *_ in old.limits)))
    level = step.info["level"]
    refused(K.fubini(d, step.old, step.new, level, assume=everything), "side condition")
    ok(K.fubini(d, step.old, step.new, level, assume=step.assumption))


def test_malformed_calls_are_refusals_not_errors():
    d = reached(TWICE, 3)
    old = d.line
    for rule in (K.fubini,):
        refused(rule(d, old, sp.Integer(0), 0, assume=None))
    for rule in (K.inversion, K.by_parts, K.product_rule):
        refused(rule(d, old, sp.Integer(0), assume=None))
    for rule in (K.differentiate, K.conjugate):
        refused(rule(d, old, sp.Integer(0)))
    assert K.condition("fubini", old, sp.Integer(0)) is None
    assert K.condition("by_parts", old, sp.Integer(0)) is None


def test_a_statement_over_another_group_is_not_derived_with_integrals_over_the_line():
    statement = parse("over Z: conv(f, g) == conv(g, f)")
    refused(K.begin(statement), "ℝ")
    assert isinstance(find_derivation(statement), NotFound)
