"""The examples cannot rot: the notebook's code cells and the API script are run.

The notebook is executed in this process from its JSON, the way a kernel would run it:
each code cell in one shared namespace, the value of a cell's last expression rendered
through its ``_repr_html_``/``_repr_markdown_``/``_repr_latex_``, and ``display`` as in
Jupyter. A real kernel (nbclient + ipykernel) would add a ZeroMQ kernel process and
several packages to the test environment for no check this does not make.
"""

import ast
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def render(value):
    """What Jupyter would show for a value: its richest representation (a method may
    decline with None, as IPython's own objects do; symconv's never decline)."""
    ours = type(value).__module__.startswith("symconv")
    for name in ("_repr_html_", "_repr_markdown_", "_repr_latex_", "_repr_png_"):
        method = getattr(value, name, None)
        if callable(method):
            shown = method()
            if ours:
                assert isinstance(shown, str) and shown, f"{type(value).__name__}.{name}"
            if shown is not None:
                return name, shown
    return "repr", repr(value)


def execute_notebook(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["nbformat"] == 4
    outputs = []
    namespace = {
        "__name__": "__main__",
        "display": lambda *values: outputs.extend(map(render, values)),
    }
    for n, cell in enumerate(nb["cells"]):
        assert cell["cell_type"] in ("markdown", "code", "raw")
        if cell["cell_type"] != "code":
            continue
        assert cell["outputs"] == [] and cell["execution_count"] is None  # stored clean
        source = "".join(cell["source"])
        tree = ast.parse(source, filename=f"{path.name}[{n}]")
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, f"{path.name}[{n}]", "exec"), namespace)
        if last is not None:
            value = eval(
                compile(ast.Expression(last.value), f"{path.name}[{n}]", "eval"), namespace
            )
            if value is not None:
                outputs.append(render(value))
    return namespace, outputs


def test_the_notebook_runs_and_renders(monkeypatch):
    monkeypatch.chdir(EXAMPLES)
    monkeypatch.setattr(sys, "path", list(sys.path))  # the notebook may extend it
    namespace, outputs = execute_notebook(EXAMPLES / "walkthrough.ipynb")
    kinds = [kind for kind, _ in outputs]
    html = "\n".join(text for kind, text in outputs if kind == "_repr_html_")
    # verdict cards, run tables and a term as LaTeX were shown
    assert "symconv-card" in html and "symconv-run" in html
    assert "_repr_latex_" in kinds
    # every section of the notes was run and shown, each obligation in a table
    import theorems

    for section in theorems.SECTIONS:
        for ob in section.OBLIGATIONS:
            assert f"<code>{ob.id}</code>" in html
    assert namespace["mine_run"].as_expected
    comm = namespace["comm"]
    assert comm.verdict.value == "refuted"
    assert "Counterexample" in html and "What holds instead" in html
    if importlib.util.find_spec("matplotlib") is not None:  # the plot extra is installed
        assert namespace["png"].stat().st_size > 10_000


def test_the_api_script_runs():
    run = subprocess.run(
        [sys.executable, str(EXAMPLES / "api_tour.py")],
        cwd=EXAMPLES,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    assert "f ⋆ g = f⁻ * g: proved by Fourier normal form" in run.stdout
    assert "mine.swap: proved (ok)" in run.stdout
    assert "| ✅ | `mine.swap` |" in run.stdout
