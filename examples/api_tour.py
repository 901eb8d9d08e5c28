"""A short tour of symconv's Python API. Run: python examples/api_tour.py"""

import pathlib
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
if (ROOT / "symconv").is_dir() and str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # a checkout: use its symconv

import sympy  # noqa: E402

import symconv  # noqa: E402
from symconv.surfaces import export  # noqa: E402

# 1. One statement, as text in the notes' notation: a Result (data, not printing).
result = symconv.prove("f⋆g = f⁻*g")
print(f"{result.statement}: {result.verdict} by {result.method}")
for h in result.hypotheses:
    print(f"  needs, beyond Schwartz functions: {h.condition}")

# 2. The same statement built from terms (sympy.Eq, since == compares trees).
f, g = symconv.functions("f g")
built = symconv.prove(sympy.Eq(symconv.xcorr(f, g), symconv.conv(symconv.flip(f), g)))
assert built.verdict is result.verdict

# 3. A false claim: refuted with a counterexample, or unknown with the reason.
comm = symconv.prove("f⋆g = g⋆f")
evidence = comm.witness.to_dict() if comm.witness else comm.reason
print(f"{comm.statement}: {comm.verdict}: {evidence}")

# 4. Your own obligations, in a theorem file, decided as a run (two worker processes).
with tempfile.TemporaryDirectory() as folder:
    mine = pathlib.Path(folder) / "theorems_mine.py"
    mine.write_text(
        "from symconv import Obligation\n"
        "OBLIGATIONS = [\n"
        '    Obligation("mine.swap", "xcorr(g, f) == flip(xcorr(f, g))", expect="proved"),\n'
        '    Obligation("mine.distrib", "f*(g + h) == f*g + f*h", expect="proved"),\n'
        "]\n",
        encoding="utf-8",
    )
    run = symconv.run(str(mine), jobs=2)
for outcome in run:
    mark = "ok" if outcome.as_expected else "DIFFERS"
    print(f"{outcome.obligation.id}: {outcome.result.verdict} ({mark})")

# 5. Reports are strings: Markdown for a pull request, JUnit XML for CI, LaTeX, JSON.
print(export.markdown(run.outcomes, run.seconds))
print(result.to_json()[:72] + "...")
sys.exit(0 if run.as_expected else 1)
