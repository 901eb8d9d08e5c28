"""Pictures of counterexamples (optional extra ``plot``): one PNG per witness.

- a statement of the term language: both sides over the witness's variable, the point
  marked (a scalar statement: the witness functions, coinciding ones drawn once with
  all their names);
- a section-2 breach (a map that is not differentiable, …): the map near the point with
  the path or sequence along which the compared quantity fails, and that quantity at
  the replayed samples of the path against the value it should tend to;
- sequences (the NN-layer claim): stem plots of the inputs and of both compared sides.

:func:`why_not` says why a result has no picture (e.g. no witness, or a map of more
than two variables). Uses matplotlib's object API (``Figure`` + the Agg canvas), so no
global pyplot state is touched. Without matplotlib, :func:`require` raises
:class:`PlotsUnavailable` with the install command.
"""

from __future__ import annotations

import importlib.util
import math
from fractions import Fraction
from pathlib import Path

from symconv.results.result import Result
from symconv.surfaces.formatting import file_stem
from symconv.routes.refutation.replay import Counterexample

__all__ = [
    "PlotsUnavailable",
    "INSTALL_HINT",
    "available",
    "require",
    "plot_result",
    "why_not",
    "file_stem",
]

INSTALL_HINT = "pip install 'symconv[plot]'   (or: pip install matplotlib)"
#: Line styles for functions drawn in one picture, so that none hides another.
_STYLES = ("-", "--", "-.", ":")


class PlotsUnavailable(RuntimeError):
    """matplotlib is not installed."""


def available() -> bool:
    return importlib.util.find_spec("matplotlib") is not None


def require() -> None:
    if not available():
        raise PlotsUnavailable(f"plots need matplotlib, which is not installed: {INSTALL_HINT}")


def _kind(data) -> str | None:
    from symconv.routes.calculus.findings import BreachData
    from symconv.routes.discrete.layers import SequenceData

    for cls, kind in ((Counterexample, "terms"), (BreachData, "breach"), (SequenceData, "sequences")):
        if isinstance(data, cls):
            return kind
    return None


def why_not(result: Result) -> str | None:
    """Why ``result`` gets no picture, or None when :func:`plot_result` can draw it."""
    w = result.witness
    if w is None:
        return "no counterexample"
    kind = _kind(w.data)
    if kind is None:
        return "the witness carries no data to draw (only its text)"
    if kind == "breach" and w.data.map.n > 2:
        return f"a map of {w.data.map.n} variables (pictures show maps of one or two)"
    if kind == "sequences" and any(s.dim != 1 for s in w.data.inputs.values()):
        return "2-D arrays (pictures show sequences)"
    if kind == "terms" and w.data.statement.group.dim > 2:
        return f"a counterexample on {w.data.statement.group} (pictures show one or two dimensions)"
    return None


def plot_result(result: Result, path: str | Path) -> Path:
    """Write a PNG of the witness of ``result`` to ``path``; returns the path."""
    require()
    reason = why_not(result)
    if reason is not None:
        raise ValueError(f"no picture of this result: {reason}")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    kind = _kind(result.witness.data)
    if kind == "terms" and result.witness.data.statement.group.text() != "R":
        kind = "group"
    fig = Figure(figsize=(8, 4.6) if kind == "terms" else (11, 4.6))
    FigureCanvasAgg(fig)
    {"terms": _terms, "breach": _breach, "sequences": _sequences, "group": _on_group}[kind](fig, result)
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=110)
    return path


# --------------------------------------------------------------------------- terms


def _range(data) -> tuple[float, float]:
    pts = []
    for side in (data.lhs, data.rhs):
        if hasattr(side, "singular_points"):
            pts += [float(p) for p in side.singular_points()]
            if side.smooth is not None:
                pts += [float(p) for p in side.smooth.centers()]
    for f in data.candidate.functions.values():
        pts += [float(p) for p in f.centers()]
    if data.candidate.at is not None:
        pts.append(float(data.candidate.at))
    pts = pts or [0.0]
    return min(pts) - 3.0, max(pts) + 3.0


def _curve(dist, xs):
    """The values of a distribution's function part on ``xs`` (complex for a complex one)."""
    import numpy as np

    if dist.smooth is None:
        return np.zeros_like(xs)
    return dist.smooth.numeric_np()(xs)


def _real(values):
    """The real part of values (a complex witness's curves show their real part; the
    imaginary part gets a curve of its own)."""
    import numpy as np

    return np.real(values)


def _numeric_value(text: str) -> float:
    """The real part of a witness's decimal value, ``a`` or ``a + b*I``."""
    return complex(text.replace("*I", "j").replace(" ", "")).real


def _short(text: str) -> str:
    """A witness's decimal value shortened for a title (both parts of a complex one)."""
    if "*I" not in text:
        return text[:10]
    z = complex(text.replace("*I", "j").replace(" ", ""))
    return f"{z.real:.6g} {'-' if z.imag < 0 else '+'} {abs(z.imag):.6g}i"


def _terms(fig, result: Result) -> None:
    import numpy as np

    data = result.witness.data
    w = result.witness
    v = w.variable
    st = data.statement
    shown = result.shown
    ax = fig.add_subplot()
    lo, hi = _range(data)
    xs = np.linspace(lo, hi, 801)
    if st.kind == "function":
        for dist, label, style in ((data.lhs, "lhs", "-"), (data.rhs, "rhs", "--")):
            side = st.lhs if label == "lhs" else st.rhs
            values = _curve(dist, xs)
            complex_valued = values.dtype.kind == "c"
            name = f"{label}: {side}" + (" (real part)" if complex_valued else "")
            line, = ax.plot(xs, _real(values), style, lw=2, label=name)
            if complex_valued:
                ax.plot(xs, values.imag, style, lw=1, color=line.get_color(), alpha=0.5,
                        label=f"{label}: imaginary part")
            for (a, k), c in dist.deltas:
                mark = "δ" + ("′" * k if k < 3 else f"^({k})")
                ax.annotate(
                    f"{mark} × {float(c.mpf(_mp())):.3g}", (float(a), 0), xytext=(float(a), 0.5),
                    arrowprops={"arrowstyle": "->", "color": line.get_color()}, color=line.get_color(),
                    ha="center",
                )
        if data.candidate.at is not None:
            x0 = float(data.candidate.at)
            ax.axvline(x0, color="grey", lw=0.8, ls=":")
            ax.plot([x0, x0], [_numeric_value(w.lhs_numeric), _numeric_value(w.rhs_numeric)], "ko", ms=4)
            title = f"{shown} fails at {v} = {w.at}: {_short(w.lhs_numeric)} ≠ {_short(w.rhs_numeric)}"
        else:
            phi = data.candidate.test_function
            ax.plot(xs, phi.numeric_np()(xs), ":", color="grey", label=f"test function φ = {w.test_function}")
            title = f"{shown} fails paired with φ: {_short(w.lhs_numeric)} ≠ {_short(w.rhs_numeric)}"
        for name in w.functions:
            ax.plot([], [], " ", label=f"{name}({v}) = {w.functions[name]}")
    else:
        # functions that coincide are drawn once, named together, so none is hidden
        groups: dict[str, list[str]] = {}
        for name, expr in w.functions.items():
            groups.setdefault(expr, []).append(name)
        for n, (expr, names) in enumerate(groups.items()):
            f = data.candidate.functions[names[0]]
            label = " = ".join(f"{name}({v})" for name in names) + f" = {expr}"
            ax.plot(xs, _real(f.numeric_np()(xs)), _STYLES[n % len(_STYLES)], lw=2 if n == 0 else 1.5, label=label)
        title = f"{shown}: lhs = {_short(w.lhs_numeric)} ≠ rhs = {_short(w.rhs_numeric)}"
    for name, value in w.parameters.items():
        ax.plot([], [], " ", label=f"{name} = {value}")
    ax.axhline(0, color="black", lw=0.5)
    ax.set_xlabel(v)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, loc="best")


def _mp():
    from mpmath.ctx_mp import MPContext

    ctx = MPContext()
    ctx.dps = 15
    return ctx


# --------------------------------------------------------------------------- other groups


def _number(value) -> complex:
    """An exact value of a witness (Num, Cyc, a Gaussian rational) as a complex number."""
    return complex(value.mpc(_mp()))


def _samples(f, group, box):
    """(coordinates, values) of a witness or side on a box of its group: a list of (index,
    value) for one dimension, a 2-D array for two; None for what has no values (δs on ℝ²)."""
    import numpy as np

    if group.kind == "R":
        if f.deltas:
            return None
        (lo, hi) = box
        xs = np.linspace(lo, hi, 161)
        grid = np.zeros((len(xs), len(xs)), dtype=complex)
        for c, (f1, f2) in f.terms:
            grid += _number(c) * np.outer(f1.smooth.numeric_np()(xs), f2.smooth.numeric_np()(xs))
        return xs, grid.real
    if group.dim == 1:
        idx = list(range(box[0], box[1] + 1))
        return idx, [_number(f.value(i if group.kind == "ZN" else (i,))).real for i in idx]
    (lo, hi) = box
    idx = list(range(lo, hi + 1))
    return idx, np.array([[_number(f.value((i, j))).real for j in idx] for i in idx])


def _box(data, group):
    """The part of the group a picture shows: every index of ℤ/n; on ℤⁿ the supports of the
    witnesses and of both sides, with the point; on ℝ² a square around the point."""
    if group.kind == "ZN":
        return (0, int(group.modulus) - 1)
    if group.kind == "R":
        return (-4.0, 4.0)
    coords = [0]
    for f in list(data.candidate.functions.values()) + [data.lhs, data.rhs]:
        if hasattr(f, "support"):
            coords += [c for i in f.support() for c in i]
    if isinstance(data.candidate.at, tuple):
        coords += list(data.candidate.at)
    return (min(coords) - 1, max(coords) + 1)


def _on_group(fig, result: Result) -> None:
    """Sequences and circular signals as stems, images (ℤ², ℝ²) as colour maps: the witness
    functions and, for a statement about functions, both sides with the point marked."""
    data, w = result.witness.data, result.witness
    st, group = data.statement, data.candidate.group or data.statement.group
    box = _box(data, group)
    panels = [(name, f) for name, f in data.candidate.functions.items()]
    if st.kind == "function":
        panels += [("lhs: " + str(st.lhs), data.lhs), ("rhs: " + str(st.rhs), data.rhs)]
    if group.dim == 1:
        inputs = fig.add_subplot(1, 2 if st.kind == "function" else 1, 1)
        for n, (name, f) in enumerate(data.candidate.functions.items()):
            xs, ys = _samples(f, group, box)
            inputs.stem([x + 0.08 * n for x in xs], ys, linefmt=f"C{n}-", markerfmt=f"C{n}o", basefmt=" ",
                        label=f"{name} = {w.functions[name]}")
        inputs.axhline(0, color="black", lw=0.5)
        inputs.set_xlabel(w.variable)
        inputs.set_title(f"the witness on {group}", fontsize=9)
        inputs.legend(fontsize=8, loc="best")
        if st.kind == "function":
            sides = fig.add_subplot(1, 2, 2)
            for n, (label, f) in enumerate(panels[-2:]):
                xs, ys = _samples(f, group, box)
                sides.stem([x + 0.12 * n for x in xs], ys, linefmt=f"C{n + 3}-", markerfmt=f"C{n + 3}o",
                           basefmt=" ", label=label)
            at = data.candidate.at[0] if isinstance(data.candidate.at, tuple) else data.candidate.at
            sides.axvline(float(at), color="grey", lw=0.8, ls=":", label=f"differ at {w.variable} = {w.at}")
            sides.axhline(0, color="black", lw=0.5)
            sides.set_title("both sides", fontsize=9)
            sides.legend(fontsize=8, loc="best")
    else:
        drawable = [(label, _samples(f, group, box)) for label, f in panels]
        drawable = [(label, s) for label, s in drawable if s is not None]
        for n, (label, (coords, grid)) in enumerate(drawable, start=1):
            ax = fig.add_subplot(1, len(drawable), n)
            lo, hi = float(coords[0]), float(coords[-1])
            if group.kind != "R":  # a pixel per point of ℤ², centred on it
                lo, hi = lo - 0.5, hi + 0.5
            image = ax.imshow(grid.T, origin="lower", extent=(lo, hi, lo, hi), cmap="RdBu_r", aspect="equal")
            fig.colorbar(image, ax=ax, shrink=0.6)
            if isinstance(data.candidate.at, tuple) and label.startswith(("lhs", "rhs")):
                ax.plot([float(data.candidate.at[0])], [float(data.candidate.at[1])], "kx", ms=8)
            ax.set_title(label if len(label) < 40 else label[:38] + "…", fontsize=8)
    where = f" at {w.variable} = {w.at}" if w.at is not None else ""
    fig.suptitle(f"{result.shown}: {_short(w.lhs_numeric)} ≠ {_short(w.rhs_numeric)}{where}", fontsize=10)


# --------------------------------------------------------------------------- section 2


def _as_float(text: str) -> float:
    """A sample's value: an exact rational, a decimal, or ±inf (never parsed as code)."""
    text = str(text).strip()
    if text in ("oo", "+inf", "inf"):
        return math.inf
    if text in ("-oo", "-inf"):
        return -math.inf
    try:
        return float(Fraction(text))
    except (ValueError, ZeroDivisionError):
        return float(text)


def _breach(fig, result: Result) -> None:
    import numpy as np
    import sympy as sp

    from symconv.routes.calculus.paths import K, T

    data = result.witness.data
    f, point, breach = data.map, [float(p) for p in data.point], data.breach
    approach = breach.approach
    component = sp.lambdify(f.variables, f.components[0], modules="numpy", dummify=True)
    left, right = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)

    # the path (or sequence) in the domain, from far to near the point
    path = None
    if approach is not None:
        if approach.param == K:
            params = np.arange(1, 13)
        else:
            params = np.geomspace(1.0, 1e-3, 60)
        move = [sp.lambdify(approach.param, d, modules="numpy", dummify=True) for d in approach.displacement]
        with np.errstate(all="ignore"):
            path = [p + np.broadcast_to(np.asarray(m(params), dtype=float), params.shape) for p, m in zip(point, move)]
    width = 1.0 if path is None else max(1e-3, 1.2 * max(float(np.max(np.abs(c - p))) for c, p in zip(path, point)))
    style = "o" if approach is not None and approach.param == K else "-"
    with np.errstate(all="ignore"):
        if f.n == 1:
            xs = np.linspace(point[0] - width, point[0] + width, 1201)
            xs = xs[xs != point[0]]
            left.plot(xs, np.broadcast_to(component(xs), xs.shape), lw=1.5, label=f"{f.name}({f.variables[0]})")
            left.plot([point[0]], [float(f.at(data.point)[0])], "ko", ms=5, label=f"value at {point[0]:g}")
            if path is not None:
                ys = np.broadcast_to(component(path[0]), path[0].shape)
                left.plot(path[0], ys, style, color="C3", ms=4, lw=1.5, label=f"along {approach.text()}")
            left.set_xlabel(str(f.variables[0]))
        else:
            grid = np.linspace(-width, width, 241)
            X, Y = np.meshgrid(point[0] + grid, point[1] + grid)
            Z = np.broadcast_to(np.asarray(component(X, Y), dtype=float), X.shape)
            mesh = left.pcolormesh(X, Y, np.ma.masked_invalid(Z), shading="auto", cmap="viridis")
            fig.colorbar(mesh, ax=left, label=f"{f.name}({', '.join(map(str, f.variables))})")
            left.plot([point[0]], [point[1]], "wo", ms=5, mec="k")
            if path is not None:
                left.plot(path[0], path[1], style, color="C3", ms=4, lw=2, label=f"along {approach.text()}")
            left.set_xlabel(str(f.variables[0]))
            left.set_ylabel(str(f.variables[1]))
    (name, definition), = result.witness.functions.items()
    left.set_title(f"{name} = {definition}", fontsize=9)
    if path is not None or f.n == 1:
        left.legend(fontsize=8, loc="best")

    # the compared quantity at the replayed samples of the path, and what it should tend to
    param = str(approach.param) if approach is not None else None
    drawn = False
    for key, label, mark in (("lhs", breach.lhs_label, "o-"), ("rhs", breach.rhs_label, "s--")):
        samples = (result.witness.extra.get("replay") or {}).get(key, {}).get("samples") or []
        if not samples or param is None:
            continue
        ts = [_as_float(s[param]) for s in samples]
        values = [_as_float(s["numeric"]) for s in samples]
        right.plot(ts, values, mark, ms=5, label=f"replayed values → {label}")
        drawn = True
    for value, label, color in ((breach.lhs, breach.lhs_label, "C0"), (breach.rhs, breach.rhs_label, "C1")):
        if value.is_finite:
            right.axhline(float(value), color=color, lw=0.8, ls=":", label=f"{label} = {value}")
    if drawn:
        right.set_xscale("log")
        if approach.param == T:
            right.invert_xaxis()  # t → 0+ reads left to right
        right.set_xlabel(f"{param} ({'→ ∞' if approach.param == K else '→ 0+'})")
        values = [line.get_ydata() for line in right.get_lines() if len(line.get_ydata()) > 2]
        flat = [abs(float(y)) for ys in values for y in ys if math.isfinite(float(y))]
        if flat and max(flat) > 1e3:
            right.set_yscale("symlog")
            if min(float(y) for ys in values for y in ys if math.isfinite(float(y))) >= 0:
                right.set_ylim(bottom=-1)
    right.set_title(breach.quantity, fontsize=9)
    right.legend(fontsize=8, loc="best")
    fig.suptitle(f"{result.shown}: {breach.lhs_label} = {breach.lhs} ≠ {breach.rhs}", fontsize=10)


# --------------------------------------------------------------------------- sequences


def _stems(ax, signal, label: str, fmt: str, offset: float = 0.0) -> None:
    keys = sorted(i for (i,) in signal.entries) or [0]
    idx = list(range(min(keys) - 1, max(keys) + 2))
    ax.stem([i + offset for i in idx], [float(signal(i)) for i in idx], linefmt=fmt + "-",
            markerfmt=fmt + "o", basefmt=" ", label=label)


def _sequences(fig, result: Result) -> None:
    data = result.witness.data
    inputs, sides = fig.add_subplot(1, 2, 1), fig.add_subplot(1, 2, 2)
    shown = result.witness.functions  # e.g. {"w[0:2]": "[0, 1]"}
    for n, (name, signal) in enumerate(data.inputs.items()):
        label = next((f"{k} = {v}" for k, v in shown.items() if k.split("[")[0] == name), name)
        _stems(inputs, signal, label, f"C{n}", offset=0.1 * n)
    inputs.axhline(0, color="black", lw=0.5)
    inputs.set_xlabel("i")
    inputs.set_title("the inputs", fontsize=9)
    inputs.legend(fontsize=8, loc="best")
    for n, (label, signal) in enumerate(data.sides):
        _stems(sides, signal, label, f"C{n + 2}", offset=0.12 * n)
    sides.axvline(data.index, color="grey", lw=0.8, ls=":", label=f"differ at i = {data.index}")
    sides.axhline(0, color="black", lw=0.5)
    sides.set_xlabel("i")
    sides.set_title("both sides", fontsize=9)
    sides.legend(fontsize=8, loc="best")
    fig.suptitle(f"{result.shown}: {result.witness.lhs} ≠ {result.witness.rhs} at i = {data.index}", fontsize=10)
