"""The shape of the code: one interpretation table per operator, imports that follow the
data flow (language → trusted → results → routes → engine → surfaces), no import circles,
no private names reached across modules."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import sys
from pathlib import Path

import pytest
import sympy as sp

import symconv
from symconv.language import fold, terms
from symconv.language.fold import (
    Algebra,
    Cases,
    interpretations,
    missing_entries,
    refuse,
)

PACKAGE = Path(symconv.__file__).parent

#: What each layer may import from symconv (besides itself).
ALLOWED = {
    "language": {"language"},
    "trusted": {"language", "trusted"},
    "results": {"language", "results"},
    "routes": {"language", "trusted", "results", "routes"},
    "engine": {"language", "trusted", "results", "routes", "engine"},
    # reading documents (symconv audit): decides through the engine, rendered by surfaces
    "documents": {"language", "trusted", "results", "routes", "engine", "documents"},
    "surfaces": {"language", "trusted", "results", "routes", "engine", "documents", "surfaces"},
}


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        name = ".".join(rel.parts)
        if name.endswith(".__init__"):
            name = name[: -len(".__init__")]
        yield name, path


def _imports(name: str, path: Path):
    """(imported module, imported names) for every symconv import, at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("symconv"):
                    yield alias.name, []
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if mod.startswith("symconv"):
                yield mod, [a.name for a in node.names]


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ALLOWED else None


MODULES = dict(_modules())


def _resolve(mod: str, names: list[str]) -> list[str]:
    """The modules an import statement loads: ``from pkg import sub`` loads pkg.sub."""
    out = [mod]
    for n in names:
        if f"{mod}.{n}" in MODULES:
            out.append(f"{mod}.{n}")
    return out


#: What the independent checker (and the codec it reads certificates with) may import from
#: symconv: the term language and the derivation kernel, nothing that found a verdict.
CHECKER_MAY_IMPORT = ("symconv.language", "symconv.trusted.kernel", "symconv.trusted.codec",
                      "symconv.trusted.checker")
CHECKER_MODULES = [m for m in MODULES if m.startswith("symconv.trusted.checker") or m == "symconv.trusted.codec"]


def _all_imports(path: Path):
    """Every module an import statement in the file names (absolute imports)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}: relative import"
            for alias in node.names:  # `from symconv.trusted import kernel` imports a module
                sub = f"{node.module}.{alias.name}"
                yield sub if sub in MODULES else node.module


def test_the_checker_imports_only_sympy_mpmath_the_standard_library_and_the_language():
    assert "symconv.trusted.checker" in CHECKER_MODULES and "symconv.trusted.codec" in CHECKER_MODULES
    wrong = []
    for name in CHECKER_MODULES:
        for mod in _all_imports(MODULES[name]):
            top = mod.split(".")[0]
            if top in ("sympy", "mpmath", "__future__") or top in sys.stdlib_module_names:
                continue
            if top == "symconv" and mod.startswith(CHECKER_MAY_IMPORT):
                continue
            wrong.append(f"{name} imports {mod}")
    assert wrong == []


def test_the_checker_stays_small():
    """Small enough to read in one sitting (the codec is counted apart)."""
    lines = sum(len(MODULES[m].read_text(encoding="utf-8").splitlines()) for m in CHECKER_MODULES
                if m != "symconv.trusted.codec")
    assert lines <= CHECKER_LINES, lines


#: The size the checker must stay within (lines, docstrings and comments included): four
#: kinds of certificate — identities (its own Fourier table and the kernel's replay),
#: counterexamples and definitions (quadrature and intervals), records of section 2 and of
#: the network layers — on every group: the table read with each group's constants and
#: sampling (ℤⁿ), finite sums on ℤⁿ and ℤ/n (shared with the records of the layers), products
#: axis by axis on ℝ², the records of the kernels, the DFT and the strided layers (1800
#: before the groups).
CHECKER_LINES = 2250


def _verdict_of_call(call: ast.Call):
    """The verdict argument of ``Result(...)`` or ``replace(result, verdict=...)``, if any."""
    name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
    if name not in ("Result", "replace", "_replace"):
        return None
    for kw in call.keywords:
        if kw.arg == "verdict":
            return kw.value
    if name == "Result" and len(call.args) > 1:
        return call.args[1]
    return None


def test_one_maker_of_each_verdict():
    """Only symconv.routes.verdicts makes a result other than unknown (after the checker);
    elsewhere a verdict-bearing ``replace`` may only flip a certificate (in that module)."""
    makers = []
    for name, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            verdict = _verdict_of_call(node)
            if verdict is None:
                continue
            unknown = isinstance(verdict, ast.Attribute) and verdict.attr == "UNKNOWN"
            if not unknown:
                makers.append(f"{name}:{node.lineno}")
    assert makers and all(m.startswith("symconv.routes.verdicts:") for m in makers), makers


def test_every_module_sits_in_a_layer():
    loose = [m for m in MODULES if m.count(".") >= 1 and _layer(m) is None and m != "symconv.__main__"]
    assert loose == []


def test_imports_follow_the_data_flow():
    wrong = []
    for name, path in MODULES.items():
        layer = _layer(name)
        if layer is None:
            continue
        for mod, names in _imports(name, path):
            for target in _resolve(mod, names):
                other = _layer(target)
                if target == "symconv" or other not in ALLOWED[layer]:
                    wrong.append(f"{name} imports {target}")
    assert wrong == []


def test_no_private_names_are_imported_across_modules():
    wrong = [
        f"{name} imports {n} from {mod}"
        for name, path in MODULES.items()
        for mod, names in _imports(name, path)
        for n in names
        if n.startswith("_") and mod != name
    ]
    assert wrong == []


def test_no_import_circles():
    graph = {
        name: {t for mod, names in _imports(name, path) for t in _resolve(mod, names) if t in MODULES and t != name}
        for name, path in MODULES.items()
    }
    # a package's __init__ re-exporting its own modules is not a circle of the code
    graph = {n: {t for t in ts if not n.startswith(t + ".")} for n, ts in graph.items()}
    state, cycles = {}, []

    def visit(n, stack):
        state[n] = 1
        stack.append(n)
        for t in sorted(graph[n]):
            if state.get(t) == 1:
                cycles.append(stack[stack.index(t):] + [t])
            elif t not in state:
                visit(t, stack)
        stack.pop()
        state[n] = 2

    for n in sorted(graph):
        if n not in state:
            visit(n, [])
    assert cycles == []


# ----------------------------------------------------------------------------- one fold


def _load_everything():
    for info in pkgutil.walk_packages([str(PACKAGE)], "symconv."):
        if info.name.endswith("__main__"):
            continue
        importlib.import_module(info.name)


def test_every_interpretation_has_an_entry_for_every_operator():
    _load_everything()
    found = interpretations()
    names = {c.__name__ for c in found}
    # the interpretations this issue is about, each one table
    assert {"_Unfolding", "_Normalizer", "Evaluator", "_Numeric", "_Edits"} <= names
    # and the independent checker's own: its table of transform images, its definitions
    assert {"_Readings", "_Definitions"} <= names
    assert {cls.__name__: missing_entries(cls) for cls in found} == {c.__name__: [] for c in found}


def test_an_operator_declares_all_of_itself():
    with pytest.raises(TypeError, match="does not declare"):

        class Half(terms.Term):  # no notation, no meaning
            operator = "half_" + "test"
            signature = ((terms.FUNCTION, "the argument of half"),)
            result = terms.FUNCTION

    assert "half_test" not in terms.OPERATORS


def test_an_algebra_that_forgets_an_operator_is_refused_when_defined():
    entries = {name: (lambda self, node, *a: None) for name in terms.OPERATORS if name != "xcorr"}
    entries.update({s: (lambda self, *a: None) for s in fold.STRUCTURE})
    with pytest.raises(TypeError, match="no entry for: xcorr"):
        type("Forgetful", (Algebra,), entries)
    with pytest.raises(TypeError, match="no entry for: xcorr"):
        type("ForgetfulCases", (Cases,), {k: v for k, v in entries.items() if k in terms.OPERATORS})


def test_a_new_operator_is_missing_from_every_interpretation_until_it_has_entries():
    _load_everything()
    before = list(terms.OPERATORS)
    try:

        class Twice(terms.Term):
            """2A, as an operator (for this test only)."""

            operator = "twice_test"
            signature = ((terms.FUNCTION, "the argument of twice"),)
            result = terms.FUNCTION
            notation = "2f"
            meaning = "(2f)(x) = 2 f(x)"

            @staticmethod
            def definition(value, x, fresh, a):
                return 2 * value(a, x)

            def _sympystr(self, printer):
                return f"twice({printer._print(self.args[0])})"

            def _latex(self, printer):
                return r"2 %s" % printer._print(self.args[0])

        lacking = [c.__name__ for c in interpretations() if "twice_test" in missing_entries(c)]
        # every table-driven interpretation notices; unfolding follows the declaration
        assert {"_Normalizer", "Evaluator", "_Numeric", "_Edits", "_Readings", "_Definitions"} <= set(lacking)
        assert "_Unfolding" not in lacking
        f = terms.Fn("f")
        x = sp.Symbol("x", real=True)
        assert symconv.unfold(Twice(f), x) == 2 * sp.Function("f", real=True)(x)
    finally:
        for name in list(terms.OPERATORS):
            if name not in before:
                del terms.OPERATORS[name]


def test_a_refused_entry_says_why():
    class OnlyDefinitions(Cases):
        locals().update({n: refuse(f"no {n} here") for n in terms.OPERATORS})

    f = terms.Fn("f")
    with pytest.raises(terms.TermError, match="no conv here"):
        OnlyDefinitions().case(terms.Conv(f, f))


def test_every_folder_of_the_package_is_a_package_the_install_finds():
    """A folder without __init__.py would be left out of a (non-editable) install."""
    folders = {p.parent for p in PACKAGE.rglob("*.py")}
    assert sorted(str(f) for f in folders if not (f / "__init__.py").is_file()) == []
    text = (PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert 'include = ["symconv", "symconv.*", "theorems"]' in text
