"""Pictures of counterexamples: both sides over x for the witness (optional extra ``plot``).

Uses matplotlib's object API (``Figure`` + the Agg canvas), so no global pyplot state is
touched. Without matplotlib, :func:`require` raises :class:`PlotsUnavailable` with the
install command.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

from symconv.results.result import Result
from symconv.routes.refutation.replay import Counterexample

__all__ = ["PlotsUnavailable", "INSTALL_HINT", "available", "require", "plot_result", "file_stem"]

INSTALL_HINT = "pip install 'symconv[plot]'   (or: pip install matplotlib)"


class PlotsUnavailable(RuntimeError):
    """matplotlib is not installed."""


def available() -> bool:
    return importlib.util.find_spec("matplotlib") is not None


def require() -> None:
    if not available():
        raise PlotsUnavailable(f"plots need matplotlib, which is not installed: {INSTALL_HINT}")


def file_stem(name: str) -> str:
    """A safe file name made of an obligation id or a statement."""
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_.")
    return stem[:80] or "statement"


def _range(data: Counterexample) -> tuple[float, float]:
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
    import numpy as np

    if dist.smooth is None:
        return np.zeros_like(xs)
    return dist.smooth.numeric_np()(xs)


def plot_result(result: Result, path: str | Path) -> Path:
    """Write a PNG of the witness of ``result`` to ``path``; returns the path."""
    require()
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    if result.witness is None or not isinstance(result.witness.data, Counterexample):
        raise ValueError("this result carries no replayed witness to plot")
    data: Counterexample = result.witness.data
    w = result.witness
    st = data.statement
    fig = Figure(figsize=(8, 4.6))
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    lo, hi = _range(data)
    xs = np.linspace(lo, hi, 801)
    if st.kind == "function":
        for dist, label, style in ((data.lhs, "lhs", "-"), (data.rhs, "rhs", "--")):
            side = st.lhs if label == "lhs" else st.rhs
            line, = ax.plot(xs, _curve(dist, xs), style, lw=2, label=f"{label}: {side}")
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
            ax.plot([x0, x0], [float(w.lhs_numeric), float(w.rhs_numeric)], "ko", ms=4)
            title = f"{st} fails at x = {w.at}: {w.lhs_numeric[:10]} ≠ {w.rhs_numeric[:10]}"
        else:
            phi = data.candidate.test_function
            ax.plot(xs, phi.numeric_np()(xs), ":", color="grey", label=f"test function φ = {w.test_function}")
            title = f"{st} fails paired with φ: {w.lhs_numeric[:10]} ≠ {w.rhs_numeric[:10]}"
    else:
        for name, f in sorted(data.candidate.functions.items()):
            ax.plot(xs, f.numeric_np()(xs), lw=1.5, label=f"{name}(x) = {w.functions[name]}")
        title = f"{st}: lhs = {w.lhs_numeric[:10]} ≠ rhs = {w.rhs_numeric[:10]}"
    if st.kind == "function":
        for name in sorted(w.functions):
            ax.plot([], [], " ", label=f"{name}(x) = {w.functions[name]}")
    for name, value in w.parameters.items():
        ax.plot([], [], " ", label=f"{name} = {value}")
    ax.axhline(0, color="black", lw=0.5)
    ax.set_xlabel("x")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, loc="best")
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=110)
    return path


def _mp():
    from mpmath.ctx_mp import MPContext

    ctx = MPContext()
    ctx.dps = 15
    return ctx
