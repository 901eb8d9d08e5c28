"""Discrete convolution and cross-correlation with the meaning of the notes' integrals.

A :class:`Signal` is a finitely supported function ℤᵈ → values (d = 1 for sequences,
d = 2 for images), stored as its nonzero entries. The integrals of (1) and (9) become
sums over ℤᵈ:

    (f * g)(x) = Σ_y f(y) g(x − y)        (f ⋆ g)(x) = Σ_y f(y) g(x + y)
    f⁻(x) = f(−x)                         τ(f, b)(x) = f(x − b)
    ⟨f, g⟩ = Σ_x f(x) g(x)

Values are exact: Python ints, Fractions or SymPy expressions (symbolic entries are
what the adjoint check differentiates). Everything here is plain Python; NumPy and
PyTorch are only used by :mod:`symconv.routes.discrete.layers` to be checked against these
definitions.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

__all__ = [
    "Signal",
    "SignalError",
    "conv",
    "xcorr",
    "flip",
    "shift",
    "inner",
    "valid_xcorr",
    "MAX_ENTRIES",
]

#: Largest number of stored entries in a signal (the sums are quadratic in it).
MAX_ENTRIES = 10_000

Index = tuple  # tuple[int, ...]


class SignalError(ValueError):
    """Signals of different dimensions were combined, or a signal is too large."""


def _is_zero(v: Any) -> bool:
    return v == 0


@dataclass(frozen=True)
class Signal:
    """A finitely supported function ℤᵈ → values; ``entries`` holds the nonzero ones."""

    entries: Mapping[Index, Any]
    dim: int = 1

    def __post_init__(self):
        if self.dim < 1:
            raise SignalError("a signal needs a dimension ≥ 1")
        clean = {}
        for idx, v in dict(self.entries).items():
            idx = tuple(int(i) for i in idx)
            if len(idx) != self.dim:
                raise SignalError(f"index {idx} does not have {self.dim} coordinates")
            if not _is_zero(v):
                clean[idx] = v
        if len(clean) > MAX_ENTRIES:
            raise SignalError(f"signals are limited to {MAX_ENTRIES} nonzero entries")
        object.__setattr__(self, "entries", clean)

    # -------------------------------------------------------------- constructors
    @classmethod
    def from_list(cls, values: Sequence, start: int = 0) -> "Signal":
        """f(start + i) = values[i]."""
        return cls({(start + i,): v for i, v in enumerate(values)}, 1)

    @classmethod
    def from_rows(cls, rows: Sequence[Sequence], start: tuple[int, int] = (0, 0)) -> "Signal":
        """f(start + (i, j)) = rows[i][j]."""
        r0, c0 = start
        return cls(
            {(r0 + i, c0 + j): v for i, row in enumerate(rows) for j, v in enumerate(row)}, 2
        )

    # -------------------------------------------------------------- access
    def __call__(self, *idx):
        if len(idx) == 1 and isinstance(idx[0], tuple):
            idx = idx[0]
        if len(idx) != self.dim:
            raise SignalError(f"a signal on ℤ^{self.dim} takes {self.dim} indices")
        return self.entries.get(tuple(idx), 0)

    def bounds(self) -> tuple[tuple[int, int], ...] | None:
        """Per axis, the (lowest, highest) index of a nonzero entry; None when zero."""
        if not self.entries:
            return None
        return tuple(
            (min(i[a] for i in self.entries), max(i[a] for i in self.entries))
            for a in range(self.dim)
        )

    def window(self, lows: Sequence[int], highs: Sequence[int]):
        """The values on the box lows..highs (inclusive), as nested lists."""
        if len(lows) != self.dim or len(highs) != self.dim:
            raise SignalError("a window needs one range per axis")

        def build(axis: int, prefix: tuple):
            rng = range(lows[axis], highs[axis] + 1)
            if axis == self.dim - 1:
                return [self(prefix + (i,)) for i in rng]
            return [build(axis + 1, prefix + (i,)) for i in rng]

        return build(0, ())

    def to_list(self, start: int, stop: int) -> list:
        """1-D: [f(start), …, f(stop)]."""
        return self.window((start,), (stop,))

    def map(self, fn) -> "Signal":
        return Signal({i: fn(v) for i, v in self.entries.items()}, self.dim)


def _same_dim(*signals: Signal) -> int:
    dims = {s.dim for s in signals}
    if len(dims) != 1:
        raise SignalError("signals of different dimensions")
    return dims.pop()


def _add(a: Index, b: Index) -> Index:
    return tuple(i + j for i, j in zip(a, b))


def _sub(a: Index, b: Index) -> Index:
    return tuple(i - j for i, j in zip(a, b))


def _accumulate(pairs: Iterable[tuple[Index, Any]], dim: int) -> Signal:
    out: dict = {}
    for idx, v in pairs:
        out[idx] = out.get(idx, 0) + v
    return Signal(out, dim)


def conv(f: Signal, g: Signal) -> Signal:
    """(f * g)(x) = Σ_y f(y) g(x − y): the term f(y)g(z) lands at x = y + z."""
    d = _same_dim(f, g)
    return _accumulate(
        (
            (_add(y, z), fy * gz)
            for (y, fy), (z, gz) in itertools.product(f.entries.items(), g.entries.items())
        ),
        d,
    )


def xcorr(f: Signal, g: Signal) -> Signal:
    """(f ⋆ g)(x) = Σ_y f(y) g(x + y): the term f(y)g(z) lands at x = z − y."""
    d = _same_dim(f, g)
    return _accumulate(
        (
            (_sub(z, y), fy * gz)
            for (y, fy), (z, gz) in itertools.product(f.entries.items(), g.entries.items())
        ),
        d,
    )


def flip(f: Signal) -> Signal:
    """f⁻(x) = f(−x)."""
    return Signal({tuple(-i for i in idx): v for idx, v in f.entries.items()}, f.dim)


def shift(f: Signal, b: Sequence[int] | int) -> Signal:
    """τ(f, b)(x) = f(x − b)."""
    b = (b,) if isinstance(b, int) else tuple(b)
    if len(b) != f.dim:
        raise SignalError("a shift needs one offset per axis")
    return Signal({_add(idx, b): v for idx, v in f.entries.items()}, f.dim)


def inner(f: Signal, g: Signal):
    """⟨f, g⟩ = Σ_x f(x) g(x)."""
    _same_dim(f, g)
    total = 0
    for idx, v in f.entries.items():
        w = g.entries.get(idx)
        if w is not None:
            total = total + v * w
    return total


def valid_xcorr(w: Signal, x: Signal, w_shape: Sequence[int], x_shape: Sequence[int]) -> Signal:
    """A deep-learning “convolution” layer without padding, in the notes' terms.

    ``x`` lives on the box 0..x_shape−1 and ``w`` on 0..w_shape−1; the layer outputs
    (w ⋆ x)(i) at the positions where the kernel fits inside the input,
    0 ≤ i ≤ x_shape − w_shape, and nothing elsewhere.
    """
    d = _same_dim(w, x)
    w_shape, x_shape = tuple(w_shape), tuple(x_shape)
    if len(x_shape) != d or len(w_shape) != d:
        raise SignalError("the shapes need one size per axis")
    for s, shape in ((w, w_shape), (x, x_shape)):
        b = s.bounds()
        if b is not None and any(lo < 0 or hi >= n for (lo, hi), n in zip(b, shape)):
            raise SignalError("a signal has entries outside its stated shape")
    full = xcorr(w, x)
    keep = {
        idx: v
        for idx, v in full.entries.items()
        if all(0 <= i <= n - k for i, n, k in zip(idx, x_shape, w_shape))
    }
    return Signal(keep, d)
