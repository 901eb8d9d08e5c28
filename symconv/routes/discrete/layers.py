"""“What the neural network community means by convolution is cross-correlation” (end of §4.1).

Three claims, each checked against the exact sums of :mod:`symconv.routes.discrete.sequences`:

* :class:`LayerIsXcorr` — a convolution layer computes w ⋆ x (and, by the discrete
  form of (10), w⁻ * x): on random integer inputs, NumPy's ``correlate`` (``full`` and
  ``valid``; for images, sums of row correlations) and, when PyTorch is installed,
  ``torch.nn.functional.conv1d``/``conv2d`` (with and without padding) agree exactly
  with w ⋆ x, and ``numpy.convolve`` with w * x. ``checked``: the family names every
  implementation that was exercised and says when PyTorch was not installed.
* :class:`LayerIsConv` — “the layer computes w * x”: refuted by the simplest pair of
  sequences where w ⋆ x and w * x differ, replayed with NumPy (and PyTorch if present).
* :class:`DiscreteAdjoint` — the gradient of ⟨layer(w, x), h⟩ is w * h with respect to x
  and h ⋆ x with respect to w (the adjoint of g ↦ f ⋆ g is h ↦ f * h, which is why
  backpropagation through a convolution layer is a convolution): exact SymPy gradients on
  symbolic inputs, PyTorch's autograd when installed; plus ⟨w ⋆ x, h⟩ = ⟨x, w * h⟩.

NumPy and PyTorch are imported inside ``decide`` only, never when symconv is imported.
Inputs are small integers, so float64 results are exact and compared with ``==``.

Verdicts are issued by :func:`symconv.routes.verdicts.issue` with a record certificate:
each implementation's outputs against a term's values on their box as numeric checks, and as
computations the checker redoes the identities behind the claims (w ⋆ x = w⁻ * x, ⟨w ⋆ x, h⟩ =
⟨x, w * h⟩ = ⟨w, h ⋆ x⟩, for every input) and the exact values at a witness index.
An implementation that disagrees with the exact sums is an alarm (``unknown``), never a
refutation of the claim.
"""

from __future__ import annotations

import itertools
import random
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable

import sympy as sp

from symconv.language.parser import parse
from symconv.language.terms import Conv, Fn, Xcorr
from symconv.results.result import Result, Verdict, Witness
from symconv.routes.budget import Budget
from symconv.routes.discrete.sequences import (
    Signal,
    conv,
    flip,
    inner,
    valid_xcorr,
    xcorr,
)
from symconv.routes.verdicts import data, entry, issue, record
from symconv.trusted.codec import Encoder

__all__ = ["LayerIsXcorr", "LayerIsConv", "DiscreteAdjoint", "optional_torch", "single_threaded", "TORCH_ABSENT"]

TORCH_ABSENT = "torch not installed"
_VALUES = range(-9, 10)


def optional_torch():
    """(torch module, None) when PyTorch imports, else (None, why)."""
    try:
        import torch
    except ImportError:
        return None, TORCH_ABSENT
    return torch, None


@contextmanager
def single_threaded(torch):
    """Run PyTorch single-threaded (the inputs are tiny; a thread pool only adds waiting),
    restoring the caller's setting afterwards."""
    if torch is None:
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def _numpy():
    import numpy

    return numpy


def _rand_list(rng: random.Random, n: int) -> list[int]:
    return [rng.choice(_VALUES) for _ in range(n)]


def _rand_rows(rng: random.Random, r: int, c: int) -> list[list[int]]:
    return [_rand_list(rng, c) for _ in range(r)]


@dataclass(frozen=True)
class _Case:
    """One random input pair: w on 0..wshape−1, x on 0..xshape−1 (1-D or 2-D)."""

    w: Any  # list or rows
    x: Any
    wshape: tuple
    xshape: tuple

    @property
    def dim(self) -> int:
        return len(self.xshape)

    def signals(self) -> tuple[Signal, Signal]:
        if self.dim == 1:
            return Signal.from_list(self.w), Signal.from_list(self.x)
        return Signal.from_rows(self.w), Signal.from_rows(self.x)

    def full_box(self):
        lows = tuple(1 - k for k in self.wshape)
        highs = tuple(n - 1 for n in self.xshape)
        return lows, highs

    def valid_box(self):
        return (0,) * self.dim, tuple(n - k for n, k in zip(self.xshape, self.wshape))

    def text(self) -> dict:
        return {_slice("w", self.wshape): str(self.w), _slice("x", self.xshape): str(self.x)}


def _slice(name: str, shape) -> str:
    """``w[0:3]`` / ``w[0:2, 0:3]``: the name with the index box it lives on."""
    return f"{name}[{', '.join(f'0:{n}' for n in shape)}]"


def _cases(seed: int, trials_1d: int, trials_2d: int) -> list[_Case]:
    rng = random.Random(seed)
    out = []
    for _ in range(trials_1d):
        n = rng.randint(1, 8)
        m = rng.randint(1, n)
        out.append(_Case(_rand_list(rng, m), _rand_list(rng, n), (m,), (n,)))
    for _ in range(trials_2d):
        R, C = rng.randint(1, 6), rng.randint(1, 6)
        kr, kc = rng.randint(1, min(3, R)), rng.randint(1, min(3, C))
        out.append(_Case(_rand_rows(rng, kr, kc), _rand_rows(rng, R, C), (kr, kc), (R, C)))
    return out


# --------------------------------------------------------------------------- implementations
def _numpy_layer(np, case: _Case, mode: str):
    """w ⋆ x by NumPy: ``correlate(x, w)``; for 2-D, Σ over kernel rows of row correlations."""
    if case.dim == 1:
        return np.correlate(
            np.array(case.x, dtype=np.int64), np.array(case.w, dtype=np.int64), mode
        ).tolist()
    (kr, kc), (R, C) = case.wshape, case.xshape
    x = np.array(case.x, dtype=np.int64)
    w = np.array(case.w, dtype=np.int64)
    out = np.zeros((R + kr - 1, C + kc - 1), dtype=np.int64)
    for i in range(-(kr - 1), R):
        for a in range(kr):
            if 0 <= i + a < R:
                out[i + kr - 1] += np.correlate(x[i + a], w[a], "full")
    if mode == "valid":
        out = out[kr - 1 : R, kc - 1 : C]
    return out.tolist()


def _numpy_conv(np, case: _Case):
    """w * x by NumPy (1-D only): ``convolve(w, x)`` on 0..n+m−2."""
    return np.convolve(np.array(case.w, dtype=np.int64), np.array(case.x, dtype=np.int64)).tolist()


def _torch_layer(torch, case: _Case, mode: str):
    F = torch.nn.functional
    x = torch.tensor(case.x, dtype=torch.float64)
    w = torch.tensor(case.w, dtype=torch.float64)
    if case.dim == 1:
        pad = case.wshape[0] - 1 if mode == "full" else 0
        out = F.conv1d(x.view(1, 1, -1), w.view(1, 1, -1), padding=pad)
        return out.view(-1).tolist()
    pad = tuple(k - 1 for k in case.wshape) if mode == "full" else 0
    out = F.conv2d(x.view(1, 1, *case.xshape), w.view(1, 1, *case.wshape), padding=pad)
    return out.view(*out.shape[2:]).tolist()


def _flat(nested) -> list:
    if isinstance(nested, list) and nested and isinstance(nested[0], list):
        return [v for row in nested for v in _flat(row)]
    return list(nested)


def _box_indices(lows, highs) -> list[tuple]:
    return list(itertools.product(*(range(lo, hi + 1) for lo, hi in zip(lows, highs))))


def _first_mismatch(got, expected: Signal, lows, highs):
    """(index, got value, exact value) of the first disagreement, or None."""
    flat = _flat(got)
    idx = _box_indices(lows, highs)
    if len(flat) != len(idx):
        return (None, f"{len(flat)} outputs", f"{len(idx)} expected")
    for i, v in zip(idx, flat):
        if v != expected(i):
            return (i, v, expected(i))
    return None


def _signal_mismatch(a: Signal, b: Signal) -> tuple:
    """The first index (in sorted order) where two signals differ."""
    return min(i for i in set(a.entries) | set(b.entries) if a(i) != b(i))


def _index_text(i) -> str:
    return str(i[0]) if len(i) == 1 else str(tuple(i))


def _mismatch_result(text: str, case: _Case, impl: str, mismatch, details: dict) -> Result:
    """An implementation (or the exact sums) disagreeing is an alarm, never a verdict."""
    where, got, exact = mismatch
    at = "" if where is None else f" at index {_index_text(where)}"
    alarm = (
        f"{impl} gives {got}{at} where the exact w ⋆ x gives {exact}, for {case.text()}"
    )
    return Result(text, Verdict.UNKNOWN, reason=f"alarm: {alarm}", details={**details, "alarm": alarm})


_W, _X, _H = Fn("w"), Fn("x"), Fn("h")


def _group(dim: int) -> str:
    return "ℤ" if dim == 1 else "ℤ²"


def _functions(**signals: Signal) -> dict:
    """Sequences for a certificate: each nonzero value [[index…], value]."""
    return {k: [[list(i), sp.Integer(v)] for i, v in sorted(f.entries.items()) if v] for k, f in signals.items()}


def _values_entry(what: str, term, box, outputs, implementation: str, dim: int, **signals: Signal):
    """(an entry: the term's values on the box = the implementation's outputs, its subject)."""
    item = data(term=term, functions=_functions(**{k: v for k, v in signals.items() if Fn(k) in term.atoms(Fn)}))
    values = [str(v) for v in _flat(outputs)]
    return entry("term_values", "numeric", what, group=_group(dim), **item, parameters=[],
                 points=[list(i) for i in _box_indices(*box)], values=values, implementation=implementation), item


def _identities(dim: int, *claims: str) -> tuple[list, list]:
    """Entries (and subjects) for statements the checker proves for every sequence."""
    over = "Z" if dim == 1 else "Z^2"
    items = [data(claim=Encoder().statement(parse(f"over {over}: {c}"))) for c in claims]
    return [entry("identity", what=f"{c} for every w, x, h", **i) for c, i in zip(claims, items)], items


def _generators(prefix: str, box: list[tuple]) -> dict:
    """One generator of a sparse polynomial ring over ℤ per index of the box."""
    names = [f"{prefix}_{'_'.join(map(str, i))}" for i in box]
    _, *gens = sp.ring(names, sp.ZZ)
    return dict(zip(box, gens))


def _derivative(p, s) -> sp.Expr:
    """∂p/∂s for a ring polynomial p, as a SymPy expression (0 when p = 0)."""
    if p == 0:
        return sp.S.Zero
    return p.diff(s).as_expr()


class _WithOptionalTorch:
    """A claim that also exercises PyTorch when it is installed (single-threaded)."""

    #: Libraries it imports when they are installed (seconds each, once per process): a
    #: run gives the claims that share one to the same worker process.
    optional_modules = ("torch",)
    #: A check on examples never proves: what its record certificates may support (the cache
    #: reuses no other verdict for it; :mod:`symconv.engine.cache`).
    RECORD_VERDICTS = ("checked", "refuted")

    def decide(self, budget: Budget) -> Result:
        torch, absent = optional_torch()
        with single_threaded(torch):
            return self._decide(budget, torch, absent)


# --------------------------------------------------------------------------- claims
@dataclass(frozen=True)
class LayerIsXcorr(_WithOptionalTorch):
    """“A convolution layer computes the cross-correlation w ⋆ x”, on random inputs."""

    seed: int = 2020
    trials_1d: int = 40
    trials_2d: int = 20

    def __str__(self) -> str:
        return "conv layer(w, x) = w⋆x = w⁻*x (random integer inputs)"

    def _decide(self, budget: Budget, torch, absent: str | None) -> Result:
        np = _numpy()
        text = str(self)
        impls: dict[str, Callable] = {
            "numpy.correlate": lambda c, mode: _numpy_layer(np, c, mode),
        }
        if torch is not None:
            impls["torch conv1d/conv2d"] = lambda c, mode: _torch_layer(torch, c, mode)
        frameworks = {"numpy": str(np.__version__), "torch": str(torch.__version__) if torch else absent}
        comparisons = differs = 0
        cases = _cases(self.seed, self.trials_1d, self.trials_2d)
        details = {"seed": self.seed, "frameworks": frameworks}
        entries, subject = [], []
        for dim in sorted({c.dim for c in cases}):
            more, items = _identities(dim, "xcorr(w, x) = conv(flip(w), x)")
            entries, subject = entries + more, subject + items
        for case in cases:
            budget.check()
            w, x = case.signals()
            X = xcorr(w, x)
            C = conv(w, x)
            flipped = conv(flip(w), x)
            if X != flipped:
                i = _signal_mismatch(flipped, X)
                return _mismatch_result(
                    text, case, "w⁻ * x (discrete (10))", (i, flipped(i), X(i)), details
                )
            differs += X != C
            for name, layer in impls.items():
                for mode, box in (("full", case.full_box()), ("valid", case.valid_box())):
                    output = layer(case, mode)
                    bad = _first_mismatch(output, X, *box)
                    comparisons += 1
                    if bad is not None:
                        return _mismatch_result(text, case, f"{name} ({mode})", bad, details)
                    more, item = _values_entry(f"{name} ({mode}) = w ⋆ x", Xcorr(_W, _X), box, output, name,
                                               case.dim, w=w, x=x)
                    entries.append(more)
                    subject += [item] if item not in subject else []
            if case.dim == 1:
                m, n = case.wshape[0], case.xshape[0]
                output = _numpy_conv(np, case)
                bad = _first_mismatch(output, C, (0,), (n + m - 2,))
                comparisons += 1
                if bad is not None:
                    return _mismatch_result(text, case, "numpy.convolve vs w * x", bad, details)
                more, item = _values_entry("numpy.convolve = w * x", Conv(_W, _X), ((0,), (n + m - 2,)), output,
                                           "numpy.convolve", 1, w=w, x=x)
                entries.append(more)
                subject += [item] if item not in subject else []
        names = " and ".join(impls)
        torch_note = "" if torch is not None else f"; PyTorch: {absent}, not exercised"
        family = (
            f"{self.trials_1d} random integer sequences (lengths ≤ 8) and {self.trials_2d} "
            f"random integer images (≤ 6×6, kernels ≤ 3×3), seed {self.seed}: {names} "
            f"(full and valid modes) against w⋆x, numpy.convolve against w*x{torch_note}"
        )
        argument = (
            f"w ⋆ x = w⁻ * x for every w, x, and on {len(cases)} random integer inputs every "
            "implementation's layer output equals w ⋆ x (instances, not a proof)"
        )
        return issue(
            record(text, Verdict.CHECKED, argument, entries, subject),
            method="random inputs vs NumPy" + (" and PyTorch" if torch else " (PyTorch absent)"),
            details={
                **details,
                "instances": len(cases),
                "family": family,
                "comparisons": comparisons,
                "layer_differs_from_w*x": differs,
            },
        )


@dataclass(frozen=True)
class SequenceData:
    """What a picture of a sequence witness needs (the witness's ``data``; never
    serialised): the input sequences and both compared sides, and the index where they
    differ."""

    inputs: dict
    sides: tuple
    index: int


@dataclass(frozen=True)
class LayerIsConv(_WithOptionalTorch):
    """“The layer computes the notes' convolution w * x” — false; the simplest witness."""

    max_length: int = 3

    def __str__(self) -> str:
        return "w⋆x = w*x for finite sequences (layer = convolution)"

    def _search(self, budget: Budget):
        values = (0, 1, -1, 2)  # simpler first
        candidates = []
        for m in range(1, self.max_length + 1):
            for n in range(1, self.max_length + 1):
                for w in itertools.product(values, repeat=m):
                    for x in itertools.product(values, repeat=n):
                        rank = tuple(values.index(v) for v in w + x)
                        candidates.append((m + n, sum(map(abs, w)) + sum(map(abs, x)), rank, w, x))
        candidates.sort()
        for *_, w, x in candidates:
            budget.check()
            X = xcorr(Signal.from_list(w), Signal.from_list(x))
            C = conv(Signal.from_list(w), Signal.from_list(x))
            if X != C:
                where = sorted(set(X.entries) | set(C.entries), key=lambda i: (abs(i[0]), i[0]))
                for i in where:
                    if X(i) != C(i):
                        return list(w), list(x), i[0], X(i), C(i)
        return None

    def _decide(self, budget: Budget, torch, absent: str | None) -> Result:
        np = _numpy()
        text = str(self)
        found = self._search(budget)
        if found is None:
            return Result(
                text, Verdict.UNKNOWN, reason="no witness among the small sequences tried"
            )
        w, x, i, lhs, rhs = found
        m, n = len(w), len(x)
        # independent replay: NumPy's correlate (index i sits at i + m − 1) and convolve (at i)
        corr = np.correlate(
            np.array(x, dtype=np.int64), np.array(w, dtype=np.int64), "full"
        ).tolist()
        convo = np.convolve(np.array(w, dtype=np.int64), np.array(x, dtype=np.int64)).tolist()
        lhs_np = corr[i + m - 1] if 0 <= i + m - 1 < len(corr) else 0
        rhs_np = convo[i] if 0 <= i < len(convo) else 0
        extra: dict = {"replayed_with": "numpy.correlate(x, w, 'full'), numpy.convolve(w, x)"}
        if torch is not None:
            out = _torch_layer(torch, _Case(w, x, (m,), (n,)), "full")
            extra["torch_conv1d_full"] = out
            extra["torch_value_at_index"] = out[i + m - 1] if 0 <= i + m - 1 < len(out) else 0
            if extra["torch_value_at_index"] != lhs:
                return Result(
                    text, Verdict.UNKNOWN, reason="alarm: PyTorch's layer disagrees with w ⋆ x"
                )
            torch_entry = _values_entry("torch conv1d = w ⋆ x", Xcorr(_W, _X), ((1 - m,), (n - 1,)), out,
                                        "torch conv1d", 1, w=Signal.from_list(w), x=Signal.from_list(x))
        else:
            extra["torch"] = absent
        if (lhs_np, rhs_np) != (lhs, rhs) or lhs == rhs:
            return Result(text, Verdict.UNKNOWN, reason="alarm: the NumPy replay disagrees")
        witness = Witness(
            functions={_slice("w", (m,)): str(w), _slice("x", (n,)): str(x)},
            parameters={},
            variable="i",
            at=str(i),
            test_function=None,
            lhs=str(lhs),
            rhs=str(rhs),
            lhs_numeric=str(float(lhs_np)),
            rhs_numeric=str(float(rhs_np)),
            digits=15,
            extra={
                "compared": f"the layer's output and the convolution at index {i}",
                "lhs_is": "(w ⋆ x)(i)",
                "rhs_is": "(w * x)(i)",
                **extra,
            },
            data=SequenceData(
                inputs={"w": Signal.from_list(w), "x": Signal.from_list(x)},
                sides=(
                    ("(w ⋆ x)(i)", xcorr(Signal.from_list(w), Signal.from_list(x))),
                    ("(w * x)(i)", conv(Signal.from_list(w), Signal.from_list(x))),
                ),
                index=i,
            ),
        )
        ws, xs = Signal.from_list(w), Signal.from_list(x)
        sides = data(terms=[Xcorr(_W, _X), Conv(_W, _X)], functions=_functions(w=ws, x=xs), point=[i])
        numeric = [
            _values_entry("numpy.correlate = w ⋆ x", Xcorr(_W, _X), ((1 - m,), (n - 1,)), corr, "numpy.correlate", 1,
                          w=ws, x=xs),
            _values_entry("numpy.convolve = w * x", Conv(_W, _X), ((0,), (n + m - 2,)), convo, "numpy.convolve", 1,
                          w=ws, x=xs),
        ] + ([torch_entry] if torch is not None else [])
        entries = [entry("values_differ", what=f"(w ⋆ x)({i}) ≠ (w * x)({i})", group="ℤ", **sides, parameters=[],
                         values=[sp.Integer(lhs), sp.Integer(rhs)])] + [e for e, _ in numeric]
        argument = (
            f"for w = {w}, x = {x}: (w ⋆ x)({i}) = {lhs} but (w * x)({i}) = {rhs}, so the layer "
            "(which computes w ⋆ x) does not compute w * x"
        )
        return issue(
            record(text, Verdict.REFUTED, argument, entries, [sides] + [i for _, i in numeric]),
            method="counterexample (simplest first)", witness=witness,
        )


@dataclass(frozen=True)
class DiscreteAdjoint(_WithOptionalTorch):
    """∇_x ⟨layer(w, x), h⟩ = w * h and ∇_w ⟨layer(w, x), h⟩ = h ⋆ x, on random inputs."""

    seed: int = 4
    trials_1d: int = 12
    trials_2d: int = 6

    def __str__(self) -> str:
        return "∇ₓ⟨w⋆x, h⟩ = w*h, ∇_w⟨w⋆x, h⟩ = h⋆x (discrete adjoint)"

    def _decide(self, budget: Budget, torch, absent: str | None) -> Result:
        text = str(self)
        rng = random.Random(self.seed)
        cases = _cases(self.seed, self.trials_1d, self.trials_2d)
        checks = 0
        entries, subjects = [], []
        for dim in sorted({c.dim for c in cases}):
            more, items = _identities(dim, "inner(xcorr(w, x), h) = inner(x, conv(w, h))",
                                      "inner(xcorr(w, x), h) = inner(w, xcorr(h, x))")
            entries, subjects = entries + more, subjects + items
        for n_case, case in enumerate(cases):
            budget.check()
            w, x = case.signals()
            vlo, vhi = case.valid_box()
            h = Signal({i: rng.choice(_VALUES) for i in _box_indices(vlo, vhi)}, case.dim)
            xbox = _box_indices((0,) * case.dim, tuple(n - 1 for n in case.xshape))
            wbox = _box_indices((0,) * case.dim, tuple(k - 1 for k in case.wshape))
            # symbolic inputs: generators of sparse polynomial rings over ℤ (exact and fast)
            xs = _generators("x", xbox)
            ws = _generators("w", wbox)
            X_sym, W_sym = Signal(xs, case.dim), Signal(ws, case.dim)
            grad_x_expected = conv(w, h)
            grad_w_expected = xcorr(h, x)
            loss_x = inner(valid_xcorr(w, X_sym, case.wshape, case.xshape), h)
            loss_w = inner(valid_xcorr(W_sym, x, case.wshape, case.xshape), h)
            for syms, loss, expected, label in (
                (xs, loss_x, grad_x_expected, "SymPy ∂/∂x"),
                (ws, loss_w, grad_w_expected, "SymPy ∂/∂w"),
            ):
                for i, s in syms.items():
                    checks += 1
                    got = _derivative(loss, s)
                    if got != expected(i):
                        return self._alarm(text, case, label, i, got, expected(i))
            # full mode: ⟨w ⋆ x, h'⟩ = ⟨x, w * h'⟩ with h' on the full output box
            flo, fhi = case.full_box()
            h_full = Signal({i: rng.choice(_VALUES) for i in _box_indices(flo, fhi)}, case.dim)
            checks += 1
            lhs, rhs = inner(xcorr(w, x), h_full), inner(x, conv(w, h_full))
            if lhs != rhs:
                return self._alarm(
                    text, case, f"⟨w⋆x, h⟩ vs ⟨x, w*h⟩ with h = {h_full.entries}", None, lhs, rhs
                )
            if torch is not None:
                gx, gw = self._torch_grads(torch, case, h, vlo, vhi)
                for box, got, expected, label in (
                    (xbox, gx, grad_x_expected, "torch autograd ∂/∂x"),
                    (wbox, gw, grad_w_expected, "torch autograd ∂/∂w"),
                ):
                    for i, v in zip(box, _flat(got)):
                        checks += 1
                        if v != expected(i):
                            return self._alarm(text, case, label, i, v, expected(i))
                for what, term, box, got in (("∂/∂x = w * h", Conv(_W, _H), (xbox[0], xbox[-1]), gx),
                                             ("∂/∂w = h ⋆ x", Xcorr(_H, _X), (wbox[0], wbox[-1]), gw)):
                    more, item = _values_entry(f"torch autograd {what}", term, box, got, "torch autograd", case.dim,
                                               w=w, x=x, h=h)
                    entries.append(more)
                    subjects += [item] if item not in subjects else []
        via = "SymPy gradients" + (" and PyTorch autograd" if torch else "")
        torch_note = "" if torch is not None else f"; PyTorch autograd: {absent}, not exercised"
        family = (
            f"{self.trials_1d} random integer sequences and {self.trials_2d} random integer "
            f"images (seed {self.seed}): exact SymPy gradients of ⟨layer(w, x), h⟩ on "
            f"symbolic inputs, and ⟨w⋆x, h⟩ = ⟨x, w*h⟩ in full mode{torch_note}"
        )
        argument = (
            "⟨w ⋆ x, h⟩ = ⟨x, w * h⟩ = ⟨w, h ⋆ x⟩ for every w, x, h, so the loss ⟨layer(w, x), h⟩ (h on the "
            "valid box) has the gradients w * h and h ⋆ x; on random integer inputs the implementations' "
            "gradients are these terms' values (instances)"
        )
        return issue(
            record(text, Verdict.CHECKED, argument, entries, subjects),
            method=f"random inputs, {via}",
            details={
                "instances": len(cases),
                "family": family,
                "entries_compared": checks,
                "frameworks": {"torch": str(torch.__version__) if torch else absent},
            },
        )

    @staticmethod
    def _torch_grads(torch, case: _Case, h: Signal, vlo, vhi):
        F = torch.nn.functional
        x = torch.tensor(case.x, dtype=torch.float64, requires_grad=True)
        w = torch.tensor(case.w, dtype=torch.float64, requires_grad=True)
        ht = torch.tensor(h.window(vlo, vhi), dtype=torch.float64)
        if case.dim == 1:
            y = F.conv1d(x.view(1, 1, -1), w.view(1, 1, -1)).view(-1)
        else:
            y = F.conv2d(x.view(1, 1, *case.xshape), w.view(1, 1, *case.wshape))
            y = y.view(*y.shape[2:])
        (y * ht).sum().backward()
        return x.grad.tolist(), w.grad.tolist()

    @staticmethod
    def _alarm(text, case, what, i, got, expected) -> Result:
        """A gradient that disagrees is an alarm about an implementation, never a verdict."""
        at = "" if i is None else f" at index {_index_text(i)}"
        alarm = f"{what} gives {got}{at} where {expected} is expected, for {case.text()}"
        return Result(text, Verdict.UNKNOWN, reason=f"alarm: {alarm}", details={"alarm": alarm})
