"""Witnesses on other groups: ℤⁿ (sequences, images), ℤ/N (circular signals), ℝ² — exact
numbers and families, refutations replayed independently, the sampling of strided layers in
the normal form, and the claims against NumPy and PyTorch."""

from __future__ import annotations

import json
import random
from fractions import Fraction

import pytest
import sympy as sp
from definitions_numeric import replay_independently

from symconv import ParseError, Verdict, parse, prove
from symconv.language.groups import Group
from symconv.language.terms import (
    Conv,
    Downsample,
    Flip,
    Fn,
    Shift,
    Statement,
    Upsample,
    Xcorr,
    order_symbol,
    param_symbol,
)
from symconv.routes.budget import Budget
from symconv.routes.concrete.cyclic import CyclicFn, cyclic
from symconv.routes.concrete.cyclotomic import Cyc
from symconv.routes.concrete.evaluate import Env
from symconv.routes.concrete.functions import gaussian
from symconv.routes.concrete.group_evaluate import evaluator_for
from symconv.routes.concrete.lattice import Gauss, LatticeFn, lattice
from symconv.routes.concrete.numbers import I_UNIT, Num
from symconv.routes.concrete.tensor import tensor
from symconv.routes.fourier import decide
from symconv.routes.refutation.replay import Candidate, ReplayFailed, replay
from symconv.routes.refutation.search import spot_check

Z, Z2, R2 = Group("Z"), Group("Z", 2), Group("R", 2)


def zn(n) -> Group:
    return Group("ZN", 1, sp.Integer(n))


# ----------------------------------------------------------------------------- exact numbers


def test_cyclotomic_numbers_are_canonical():
    m = 12
    zeta = Cyc.root(m, 1)
    assert sum((Cyc.root(m, k) for k in range(m)), Cyc.of(m, 0)).is_zero()  # Σ ζᵏ = 0
    assert (Cyc.of(m, 1) + Cyc.root(m, 4) + Cyc.root(m, 8)).is_zero()  # the cube roots of 1
    assert not (Cyc.of(m, 1) + Cyc.root(m, 4)).is_zero()
    assert Cyc.root(m, 3) == Cyc.of(m, (0, 1))  # ζ₁₂³ = i
    assert zeta * zeta.conjugate() == Cyc.of(m, 1)
    assert (Cyc.root(m, 2) + Cyc.root(m, 10)).is_real()  # 2 cos(π/3) = 1
    assert (Cyc.root(m, 2) + Cyc.root(m, 10)).as_rational() == 1


def test_gaussian_rationals_mix_with_exact_numbers():
    g = Gauss(1, 2)
    assert g * g == Gauss(-3, 4)
    assert g * I_UNIT == Num.of(-2) + I_UNIT  # (1 + 2i) i = −2 + i, as a Num
    assert (g - g).is_zero() and g.conjugate() == Gauss(1, -2)
    assert Num.of(3) + Gauss(1, 0) == Num.of(4)


def test_the_exact_dft_agrees_with_numpy():
    np = pytest.importorskip("numpy")
    from mpmath.ctx_mp import MPContext

    ctx = MPContext()
    rng = random.Random(3)
    for n in (1, 2, 3, 5, 8, 12):
        values = [rng.randint(-4, 4) for _ in range(n)]
        exact = cyclic(values).transform(1, -1)
        numeric = np.fft.fft(np.array(values, dtype=complex))
        assert max(abs(complex(v.mpc(ctx)) - w) for v, w in zip(exact.values, numeric)) < 1e-9
        # the inverse undoes it exactly
        assert exact.transform(Fraction(1, n), 1) == cyclic(values)


# ----------------------------------------------------------------------------- the families


def _naive_conv(f: dict, g: dict) -> dict:
    out: dict = {}
    for (y,), a in f.items():
        for (z,), b in g.items():
            out[(y + z,)] = out.get((y + z,), 0) + a * b
    return {k: v for k, v in out.items() if v}


def test_sequences_follow_their_definitions():
    f, g = {(0,): 1, (1,): 2, (3,): -1}, {(-1,): 3, (0,): 1}
    F, G = lattice({0: 1, 1: 2, 3: -1}), lattice({-1: 3, 0: 1})
    as_dict = lambda s: {i: v.as_rational() for i, v in s.entries}  # noqa: E731
    assert as_dict(F.conv(G)) == _naive_conv(f, g)
    flipped = {(-k,): v for (k,), v in f.items()}
    assert as_dict(F.xcorr(G)) == _naive_conv(flipped, g)  # (10): f ⋆ g = f⁻ * g (real f)
    assert as_dict(F.downsample(2)) == {(0,): 1}  # f(2x): f(0) only (f(2) = 0)
    assert as_dict(F.upsample(2)) == {(0,): 1, (2,): 2, (6,): -1}
    assert as_dict(F.upsample(3).downsample(3)) == f


def test_complex_cross_correlation_conjugates_its_first_argument():
    f, g = lattice({0: (0, 1)}), lattice({0: 1})  # f = i δ
    assert dict(f.xcorr(g).entries)[(0,)] == Gauss(0, -1)  # Σ conj(f(y)) g(x + y) = −i


def test_a_product_of_gaussians_on_the_plane_convolves_axis_by_axis():
    f = tensor(gaussian(), gaussian(1, 1))
    g = tensor(gaussian(2, 0, (1, 1)), gaussian())
    ev = evaluator_for(R2, Env({"f": f, "g": g}))
    st = parse("over R^2: f*g = g*f")
    lhs, rhs = ev.function(st.lhs), ev.function(st.rhs)
    assert (lhs + rhs.scale(-1)).is_exactly_zero()
    point = (Fraction(1, 2), Fraction(-1))
    # ∫∫ f(y) g(x − y) dy by a tensor rule in the test
    np = pytest.importorskip("numpy")
    x, y = sp.symbols("x y", real=True)
    F = sp.lambdify((x, y), f.expr([x, y]), "numpy")
    G = sp.lambdify((x, y), g.expr([x, y]), "numpy")
    nodes, weights = np.polynomial.legendre.leggauss(24)
    edges = np.linspace(-8, 8, 17)  # a composite rule: 16 panels of 24 nodes per axis
    mid, half = (edges[:-1] + edges[1:]) / 2, (edges[1:] - edges[:-1]) / 2
    t = (mid[:, None] + half[:, None] * nodes[None, :]).ravel()
    w = (half[:, None] * weights[None, :]).ravel()
    Y1, Y2 = np.meshgrid(t, t, indexing="ij")
    numeric = (np.outer(w, w) * F(Y1, Y2) * G(0.5 - Y1, -1 - Y2)).sum()
    assert abs(complex(lhs.value(point).sympy().evalf(20)) - numeric) < 1e-9


# ----------------------------------------------------------------------------- refutations


@pytest.mark.parametrize(
    "text",
    [
        "over Z: f⋆g = g⋆f",
        "over Z: τ(f, b) = f",
        "over Z^2: τ(f, b) = f",
        "over Z/N: (f⋆g)⋆h = f⋆(g⋆h)",
        "over Z/8: g*f⁻ = g⁻*f",
        "over Z/N: fourier(fourier(f)) = flip(f)",
        "over Z: complex f, g: conv(f, flip(g)) = xcorr(g, f)",
        "over Z^2: inner(downsample(xcorr(w, x), s), h) = inner(x, conv(w, h))",
        "over Z: upsample(downsample(f, 2), 2) = f",
        "over Z: downsample(f*g, 2) = downsample(f, 2)*downsample(g, 2)",
        "over R^2: f⋆g = g⋆f",
        "over R^2: τ(f, b) = f",
    ],
)
def test_refutations_on_other_groups_are_replayed_by_the_tests_too(text):
    result = prove(text)
    assert result.verdict is Verdict.REFUTED, result.reason
    w = result.witness
    assert w.extra["group"] and w.extra["confirmation"]["independent"]
    lhs, rhs = replay_independently(w.data.statement, w.data)
    assert abs(lhs - rhs) > 1e-6
    assert json.loads(result.to_json())["witness"]["functions"]  # serialisable, complete as text


def test_a_vector_parameter_gets_a_vector_value():
    w = prove("over Z^2: τ(f, b) = f").witness
    assert w.parameters["b"].startswith("(") and w.variable == "(i, j)"
    w = prove("over R^2: τ(f, b) = f").witness
    assert w.parameters["b"].startswith("(") and w.variable == "(x, y)"


def test_one_modulus_refutes_a_statement_about_every_N():
    result = prove("over Z/N: τ(f, 2) = f")
    assert result.verdict is Verdict.REFUTED
    assert result.witness.parameters["N"] == "3"  # on ℤ/1 and ℤ/2 a shift by 2 is the identity
    assert result.witness.extra["group"] == "ℤ/3"


@pytest.mark.parametrize("text", ["over Z/1: f⋆g = g⋆f", "over Z/2: f⋆g = g⋆f", "over Z/2: τ(f, 2) = f"])
def test_what_a_small_modulus_makes_true_is_never_refuted(text):
    # on ℤ/1 and ℤ/2 every function is even (and τ(·, 2) is the identity): these hold
    result = prove(text)
    assert result.verdict is not Verdict.REFUTED
    if result.verdict is Verdict.UNKNOWN:
        assert "only a lead" in result.reason


def test_no_witness_on_three_dimensional_space():
    result = prove("over R^3: f⋆g = g⋆f")
    assert result.verdict is Verdict.UNKNOWN
    proof = prove("over R^3: f*g = g*f")
    assert proof.verdict is Verdict.PROVED
    assert proof.details["spot_check"].startswith("inconclusive")


def test_a_parameter_that_is_a_vector_and_a_number_gets_no_value():
    result = prove("over Z^2: b*τ(f, b) = f")
    assert result.verdict is Verdict.UNKNOWN


def test_sampling_is_refused_where_it_has_no_meaning():
    with pytest.raises(ParseError, match="defined on ℤⁿ"):
        parse("downsample(f, 2) = f")
    with pytest.raises(ParseError, match="leave ℤ/N"):
        parse("over Z/8: upsample(f, 2) = f")


# ----------------------------------------------------------------------------- the replay


def _statement(text):
    return parse(text).equation()


def test_the_replay_refuses_a_candidate_that_does_not_break_the_statement():
    st = _statement("over Z: f⋆g = g⋆f")
    even = lattice({0: 1})
    with pytest.raises(ReplayFailed):
        replay(st, Candidate({"f": even, "g": even}, at=(0,), group=Z))


def test_the_replay_refuses_a_witness_from_another_group():
    st = _statement("over Z/N: f⋆g = g⋆f")
    f, g = cyclic([1, 0, 0]), cyclic([0, 1, 0])
    N = st.group.modulus
    assert replay(st, Candidate({"f": f, "g": g}, {N: Fraction(3)}, at=1, group=zn(3))).at == "1"
    with pytest.raises(ReplayFailed, match="for a value of N"):
        replay(st, Candidate({"f": f, "g": g}, {N: Fraction(4)}, at=1, group=zn(3)))
    with pytest.raises(ReplayFailed, match="lives on"):
        replay(_statement("over Z: f⋆g = g⋆f"), Candidate({"f": f, "g": g}, at=1, group=zn(3)))


def test_the_replay_refuses_a_complex_witness_for_a_real_function():
    st = _statement("over Z: f⋆g = g⋆f")
    with pytest.raises(ReplayFailed, match="real function"):
        replay(st, Candidate({"f": lattice({0: (0, 1)}), "g": lattice({1: 1})}, at=(1,), group=Z))


def test_a_wrong_exact_sum_cannot_refute_a_true_statement(monkeypatch):
    st = _statement("over Z: f⋆g = f⁻*g")  # (10): true
    cand = Candidate({"f": lattice({1: 1}), "g": lattice({0: 1})}, at=(1,), group=Z)
    with pytest.raises(ReplayFailed, match="encloses 0"):
        replay(st, cand)
    # a cross-correlation that forgets the flip makes the exact sides differ at 1; the sums
    # of the definitions, computed apart, do not: no refutation
    monkeypatch.setattr(LatticeFn, "xcorr", lambda self, other: self.conv(other))
    with pytest.raises(ReplayFailed, match="disagrees"):
        replay(st, cand)


def test_a_wrong_exact_dft_is_caught_by_numpy(monkeypatch):
    st = _statement("over Z/N: fourier(f) = f")
    N = st.group.modulus
    cand = Candidate({"f": cyclic([1, 2, 0])}, {N: Fraction(3)}, at=1, group=zn(3))
    assert replay(st, cand).rhs == "2"
    right = CyclicFn.transform  # the DFT with e^{+2πikx/N}: 1 + 2ζ instead of 1 + 2ζ⁻¹
    monkeypatch.setattr(CyclicFn, "transform", lambda self, scale, sign: right(self, scale, -sign))
    with pytest.raises(ReplayFailed, match="disagrees"):
        replay(st, cand)


def test_the_spot_check_sees_a_false_identity_on_group_witnesses():
    budget = Budget(30)
    for text in ("over Z: f⋆g = g⋆f", "over Z/N: f⋆g = g⋆f", "over Z^2: f⋆g = g⋆f"):
        st = _statement(text)
        assert "differ" in spot_check(st, decide(st), budget)
    for text in ("over Z: f*g = g*f", "over Z/N: fourier(conv(f, g)) = mul(fourier(f), fourier(g))"):
        st = _statement(text)
        assert spot_check(st, decide(st), budget) is None


# ----------------------------------------------------------------------------- sampling in the normal form


def _random_term(rng, depth):
    if depth == 0:
        return Fn(rng.choice("fgh"))
    a = _random_term(rng, depth - 1)
    op = rng.randrange(7)
    if op == 0:
        return Conv(a, _random_term(rng, depth - 1))
    if op == 1:
        return Xcorr(a, _random_term(rng, depth - 1))
    if op == 2:
        return Flip(a)
    if op == 3:
        return Shift(a, rng.choice([1, -1, 2]))
    if op == 4:
        return Upsample(a, rng.choice([2, 3]))
    if op == 5:
        return Downsample(a, rng.choice([2, 3]))
    return a + _random_term(rng, depth - 1)


def test_equal_normal_forms_with_sampling_agree_on_sequences():
    """Soundness of the sampling rewrites: whenever the normal form proves an identity of
    random terms with up- and downsampling, exact sums agree on random sequences."""
    rng = random.Random(15)
    witnesses = [
        {"f": lattice({0: 1, 1: 2, 3: -1}), "g": lattice({-1: 3, 0: 1, 2: 1}), "h": lattice({0: 2, 1: -1, 5: 1})},
        {"f": lattice({-2: 1, 1: 1}), "g": lattice({0: 1, 4: -2}), "h": lattice({2: 3, 3: 1})},
    ]
    proved = 0
    for _ in range(150):
        lhs = _random_term(rng, 2)
        rhs = rng.choice([lhs, _random_term(rng, 2)])
        # pairs that are equal by the sampling laws, written differently
        rhs = rng.choice([rhs, _rewrite(lhs, rng)])
        st = Statement(lhs, rhs, group=Z)
        if not decide(st).identity:
            continue
        proved += 1
        for env in witnesses:
            ev = evaluator_for(Z, Env(env))
            left, right = ev.function(st.lhs), ev.function(st.rhs)
            assert left == right, str(st)
    assert proved >= 40


def _rewrite(term, rng):
    """A term equal to ``term`` on ℤ by a law of the sampling (D_s U_s = id)."""
    s = rng.choice([2, 3])
    return Downsample(Upsample(term, s), s)


def test_a_downsampled_upsampling_is_the_identity_but_not_the_other_way():
    assert prove("over Z: downsample(upsample(f, s), s) = f").verdict is Verdict.PROVED
    assert prove("over Z: upsample(f*g, s) = upsample(f, s)*upsample(g, s)").verdict is Verdict.PROVED
    assert prove("over Z: downsample(τ(f, 2*b), 2) = τ(downsample(f, 2), b)").verdict is Verdict.PROVED
    refuted = prove("over Z: upsample(downsample(f, 2), 2) = f")
    assert refuted.verdict is Verdict.REFUTED  # it keeps only the even positions


def test_the_stride_adjoint_needs_the_upsampled_gradient():
    assert prove("over Z^2: inner(downsample(xcorr(w, x), s), h) = inner(x, conv(w, upsample(h, s)))").verdict is Verdict.PROVED
    wrong = prove("over Z^2: inner(downsample(xcorr(w, x), s), h) = inner(x, conv(w, h))")
    assert wrong.verdict is Verdict.REFUTED
    assert wrong.witness.parameters["s"] != "1"  # with stride 1 the plain adjoint holds


# ----------------------------------------------------------------------------- claims


def test_the_circular_convolution_theorem_against_numpy(monkeypatch):
    from symconv.routes.discrete.dft import CircularConvolutionTheorem

    result = prove(CircularConvolutionTheorem())
    assert result.verdict is Verdict.CHECKED and result.details["comparisons"] > 100
    right = CyclicFn.transform
    monkeypatch.setattr(CyclicFn, "transform", lambda self, scale, sign: right(self, scale, -sign))
    broken = prove(CircularConvolutionTheorem())
    assert broken.verdict is Verdict.REFUTED and "numpy" in broken.witness.extra["compared"]


@pytest.mark.parametrize(
    "kernel, verdict",
    [("box", Verdict.PROVED), ("plus", Verdict.REFUTED), ("gaussian", Verdict.PROVED), ("gaussian-wide", Verdict.REFUTED)],
)
def test_separable_kernels(kernel, verdict):
    from symconv.routes.discrete.separable import SeparableKernel

    result = prove(SeparableKernel(kernel))
    assert result.verdict is verdict, result.reason
    if verdict is Verdict.REFUTED:
        confirmation = result.witness.extra["confirmation"]
        assert float(confirmation["independent_lhs"]) != float(confirmation["independent_rhs"])
    if kernel == "plus":
        assert result.witness.at == "(1, 1)"  # the corner: the box has it, the cross does not


def test_the_layer_terms_against_the_frameworks(monkeypatch):
    import symconv.routes.discrete.strided as strided

    result = prove(strided.LayerAgainstFrameworks(trials=4))
    assert result.verdict is Verdict.CHECKED, result.reason
    monkeypatch.setattr(strided, "optional_torch", lambda: (None, "torch not installed"))
    without = prove(strided.LayerAgainstFrameworks(trials=4))
    assert without.verdict is Verdict.CHECKED and "PyTorch absent" in without.method
    # the layer as the notes' convolution (no flip) is not what the frameworks compute
    w, x, s, d, p = Fn("w"), Fn("x"), order_symbol("s"), order_symbol("d"), param_symbol("p")
    monkeypatch.setattr(strided, "FORWARD", Downsample(Shift(Conv(Upsample(w, d), x), p), s))
    wrong = prove(strided.LayerAgainstFrameworks(trials=4))
    assert wrong.verdict is Verdict.REFUTED and "output" in wrong.method


def test_layer_with_torch_when_installed():
    torch = pytest.importorskip("torch")
    from symconv.routes.discrete.strided import LayerAgainstFrameworks

    result = prove(LayerAgainstFrameworks(trials=4))
    assert result.details["frameworks"]["torch"] == torch.__version__
    assert "PyTorch" in result.method



@pytest.mark.parametrize("text", [
    "over Z/4: τ(f, 4) = f",          # a shift by the period
    "over Z/4: τ(f, 1) = τ(f, 5)",    # shifts add modulo N
    "over Z/2: τ(f, 2) = f",
    "over Z/3: τ(f*g, 7) = τ(f, 1)*g",
    "over Z/N: τ(f, N) = f",          # every N: the frequencies are 2πk/N, k an integer
    "over Z/65: τ(f, 65) = f",        # past the moduli compared one frequency at a time
])
def test_a_shift_by_a_multiple_of_the_period_is_proved_and_the_checker_agrees(text):
    from symconv.trusted import checker

    result = prove(text)
    assert result.verdict is Verdict.PROVED, result.reason
    report = checker.check(result.certificate.to_dict())
    assert report.valid and any("every frequency" in step for step in report.checked), report


@pytest.mark.parametrize("text", ["over Z/4: τ(f, 2) = f", "over Z/8: τ(f, 3) = τ(f, 11) + f",
                                  "over Z/N: τ(f, N + 1) = f"])
def test_a_shift_that_is_not_a_multiple_of_the_period_is_not_proved(text):
    result = prove(text)
    assert result.verdict is not Verdict.PROVED


def test_the_checker_refuses_a_period_proof_for_a_shift_that_is_not_one():
    from symconv.trusted import checker
    from symconv.trusted.codec import Encoder

    certificate = prove("over Z/4: τ(f, 4) = f").certificate.to_dict()
    wrong = parse("over Z/4: τ(f, 2) = f")
    forged = {**certificate, "claim": Encoder().statement(wrong), "statement": str(wrong)}
    report = checker.check(forged)
    assert not report.valid and "images of the sides differ" in report.reason


def test_a_modulus_past_the_exact_sequences_is_no_internal_error():
    assert prove("over Z/65: f*g = g*f").verdict is Verdict.PROVED
    result = prove("over Z/65: f⋆g = g⋆f")
    assert result.verdict is Verdict.UNKNOWN
    assert "internal error" not in result.reason and "ℤ/1 to ℤ/64" in result.reason


@pytest.mark.parametrize("text", ["over Z/N: τ(f, N/2) = τ(f, -N/2)", "over Z: τ(f, b/2) = f"])
def test_a_shift_that_is_not_an_integer_for_every_value_of_its_names_is_refused(text):
    with pytest.raises(ParseError, match="must be an integer"):
        parse(text)
    assert prove("over Z/N: τ(f, b + N) = τ(f, b)").verdict is Verdict.PROVED
