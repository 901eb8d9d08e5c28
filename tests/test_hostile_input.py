"""Hostile and careless input (issue 12): bounded before any work starts, refused with a
one-line message or decided, never a traceback; names a reader can tell apart.

The corpus runs every case as a command line in a process of its own under a limit of
2 s of CPU time, 2 s of wall-clock time and 1 GB of address space
(``hostile_driver.py``): a case that would hang or eat memory is ended by the operating
system and fails here, whatever the speed of the machine.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import sympy as sp

import symconv
from symconv import Delta, Diff, Flip, Fn, Shift, TermError, functions, prove
from symconv.language.parser import ParseError, parse
from symconv.results.result import Verdict

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

# --------------------------------------------------------------------------- the corpus

#: (statement, expected exit code of ``check`` or None for any verdict, words of the message)
CORPUS = [
    # issue 12, item 1: nested powers are bounded by the digits of their result
    ("τ(f, ((((10^40)^64)^64)^64)^64) = f", 2, "41 digits; the limit is 40"),
    ("(((9^64)^64)^64)^64*f = f", 2, "62 digits; the limit is 40"),
    ("f(1/(2^64)^64) != f(0)", 2, "1,234 digits"),
    ("inner(τ(f, (10^40)^8), g) = 0", 2, "digits; the limit is 40"),
    ("τ(f, ((10^40)^64)^64) = τ(f, ((10^40)^64)^64)", 2, "digits; the limit is 40"),
    # item 2: powers and products of sums, bounded by their size multiplied out
    ("(((a+b+c+d+e+p+q+r)^8)^8)^8*f = f", 2, "multiplied out has up to 6,435 terms"),
    ("((a+b+c+d)^8*f) * ((a+b+c+d)^8*g) = f", 2, "27,225 terms; the limit is 2,000"),
    ("convpow(f+g+h+u+v+w, 64) = f", 2, "terms; the limit is 2,000"),
    ("(10^39*f)*(10^39*g)*(10^39*h)*(10^39*u)*(10^39*v)*(10^39*w)*(10^39*f)*(10^39*g) = f",
     2, "digits; the limit is 300"),
    # item 3: statements that crashed the engine are decided
    ("inner(f, f) = inner(f⁻, f⁻)", 0, None),
    ("⟨f, f⟩ = (f⋆f)(0)", 0, None),
    ("f(1/3) = f(2)", 1, None),
    ("f⋆g = g⋆f", 1, None),
    # item 11: names a reader cannot tell apart
    ("fο*g = g*fo", 2, "look alike"),  # Greek omicron
    ("conv(fΑ, g) = conv(g, fA)", 2, "look alike"),  # Greek capital alpha
    ("τ(f, Ν) = τ(f, N)", 2, "look alike"),  # Greek capital nu
    ("fl*g = g*f1", 2, "look alike"),
    ("ϕ ⋆ g = φ⁻ * g", 0, None),  # NFKC: one name, φ
    # already refused: code, attributes, characters that are not the language
    ("__import__('os').system('echo hi') = f", 2, "'__' are not allowed"),
    ("f.__class__ = g", 2, "attribute access"),
    ("eval('1') = f", 2, "unexpected"),
    ("exec(f) = f", 2, "cannot be a point"),
    ("f*g = g*f; import os", 2, "unexpected character ';'"),
    ("\\frac{1}{2} f = f", 2, "unexpected character"),
    ("$f*g$ = g*f", 2, "unexpected character '$'"),
    ("f\x00 = f", 2, "unexpected character"),  # NUL
    ("f\u200b*g = g*f", 2, "unexpected character"),  # zero-width space
    ("f\u202e*g = g*f", 2, "unexpected character"),  # right-to-left override
    ("fа*g = g*fа", 2, "unexpected character"),  # Cyrillic а
    ("ｆ*g = g*ｆ", 2, "unexpected character"),  # full-width ｆ
    ("ƒ*g = g*ƒ", 2, "unexpected character"),  # Latin f with hook
    # sizes
    ("(" * 100_000 + "f" + ")" * 100_000 + " = f", 2, "the limit is 10000"),
    ("(" * 80 + "f" + ")" * 80 + " = f", 2, "nesting deeper than 64"),
    ("f" + "*f" * 200 + " = f", 2, "nests deeper than 120"),
    ("f = " + "f + " * 5000 + "f", 2, "characters long"),
    ("9" * 41 + "*f = f", 2, "41 digits"),
    ("1e999*f = f", 2, "decimal exponent"),
    ("a^65*f = f", 2, "exponent must be an integer"),
    ("(a+b)^9*f = f", 2, "power of at most 8"),
    ("f(2^200) = f(0)", 2, "exponent"),
    ("diff(f, 1000) = f", 2, "derivative order above 64"),
    # constants and malformed statements
    ("E*f = f", 2, "reserved"),
    ("nan*f = nan*g", 2, "reserved"),
    ("oo*f = 2*oo*f", 2, "reserved"),
    ("f/0 = f", 2, "division by zero"),
    ("f = f = f", 2, "only one"),
    ("f * g", 2, "needs '='"),
    ("δ(δ) = δ", 2, "must be a scalar"),
    # decided, whatever the verdict
    ("⟨δ, δ⟩ = 1", None, None),
    ("f" + "a" * 9000 + " = f", None, None),
    ("f*g = g*f", 0, None),
]


@pytest.fixture(scope="module")
def corpus_outcomes():
    argvs = [["check", "--timeout", "0.5", statement] for statement, _, _ in CORPUS]
    run = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "hostile_driver.py")],
        input=json.dumps(argvs),
        capture_output=True,
        text=True,
        timeout=600,
        env=ENV,
    )
    assert run.returncode == 0, run.stderr
    return dict(zip(range(len(CORPUS)), json.loads(run.stdout)))


def test_the_corpus_is_large_enough():
    assert len(CORPUS) >= 40


@pytest.mark.parametrize("n", range(len(CORPUS)), ids=[repr(s[:30]) for s, _, _ in CORPUS])
def test_hostile_input_ends_in_a_message_or_a_verdict(corpus_outcomes, n):
    statement, code, words = CORPUS[n]
    o = corpus_outcomes[n]
    assert o["ended"] is None, f"{statement[:60]!r}: {o['ended']}"  # within 2 s and 1 GB
    assert "Traceback" not in o["stdout"] + o["stderr"]
    if code is None:
        assert o["code"] in (0, 1, 3)
    else:
        assert o["code"] == code, o["stdout"] + o["stderr"]
    if o["code"] == 2:
        (line,) = o["stderr"].splitlines()  # one line that says what and where
        assert line.startswith("symconv: error: in ")
        if words:
            assert words in line
    else:
        assert o["stderr"] == ""
        assert re.search(r"^  (proved|refuted|unknown|checked)", o["stdout"], re.M)


# --------------------------------------------------------------------------- resources


def _limited(memory=1 << 30, cpu=20):
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))

    return limit


def symconv_cli(*args, cwd=ROOT, timeout=60):
    return subprocess.run(
        [sys.executable, "-m", "symconv", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=ENV,
        timeout=timeout,
        preexec_fn=_limited(),
    )


@pytest.mark.parametrize(
    "statement, words",
    [
        ("τ(f, ((((10^40)^64)^64)^64)^64) = f", "41 digits"),  # ran past 60 s
        ("(((9^64)^64)^64)^64*f = f", "62 digits"),  # 20 s to parse
        ("(((a+b+c+d+e+p+q+r)^8)^8)^8*f = f", "6,435 terms"),  # 3 GB, a MemoryError
    ],
)
def test_items_1_2_huge_terms_are_refused_before_any_work(statement, words):
    run = symconv_cli("check", "--timeout", "2", statement)
    assert run.returncode == 2, run.stdout + run.stderr
    (line,) = run.stderr.splitlines()
    assert words in line and "Traceback" not in run.stdout


NESTED = """
from symconv import Obligation

OBLIGATIONS = [
    Obligation("ok", "f*g = g*f", expect="proved"),
    Obligation("huge", "τ(f, ((((10^40)^64)^64)^64)^64) = f", expect="proved"),
]
"""


def test_item_1_a_theorem_file_with_a_huge_power_is_refused_at_once(tmp_path):
    path = tmp_path / "theorems_nested.py"
    path.write_text(NESTED, encoding="utf-8")
    run = symconv_cli("prove", str(path), "--jobs", "2", "--timeout", "2")
    assert run.returncode == 2
    (line,) = run.stderr.splitlines()
    assert "obligation 'huge'" in line and "41 digits" in line
    collect = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "_symconv_pytest", "-p", "no:cacheprovider",
         "-o", "addopts=", "--symconv", "-q", str(path.name)],
        cwd=tmp_path, capture_output=True, text=True, env=ENV, timeout=120,
        preexec_fn=_limited(),
    )
    assert collect.returncode != 0
    assert "41 digits" in collect.stdout


def test_item_1_parsing_has_a_budget_too():
    from symconv.language.parser import Limits

    with pytest.raises(ParseError, match="reading the statement took longer than"):
        parse("f*g = g*f", Limits(seconds=-1.0))


def test_item_2_the_estimate_bounds_what_sympy_builds():
    # SymPy merges ((S^8)^8)^8 into S^512: the estimate sees it before it is built
    with pytest.raises(ParseError, match="terms"):
        parse("((a+b+c)^8)^8*f = f")
    assert parse("(a+b)^8*f = (a+b)^8*f")  # within the bounds
    a, b, c = sp.symbols("a b c", real=True)
    f = Fn("f")
    with pytest.raises(TermError, match="terms"):  # a statement built in Python too
        symconv.as_statement(((a + b + c + 2) ** 60 * f, f))


# --------------------------------------------------------------------------- names


def test_item_11_look_alike_names_are_refused_where_they_meet():
    for source, column in [("fο*g = g*fo", 10), ("conv(fΑ, g) = conv(g, fA)", 23)]:
        with pytest.raises(ParseError) as info:
            parse(source)
        assert "look alike" in str(info.value) and info.value.column == column
    # alone, a Greek letter is a name like any other
    assert parse("fΑ*g = g*fΑ").function_names() == ["fΑ", "g"]


def test_item_11_names_are_nfkc_normalised():
    st = parse("ϕ ⋆ g = φ⁻ * g")
    assert st.function_names() == ["g", "φ"]
    assert prove(st).verdict is Verdict.PROVED  # one function: the identity of the notes
    assert Fn("ϕ") == Fn("φ")


def test_item_12_every_letter_of_a_name_has_a_latex_form_that_exists():
    from symconv.language.names import GREEK_LETTERS, LATEX_LETTERS

    defined = set(
        "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda "
        "mu nu xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega "
        "Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega".split()
    )
    for letter in GREEK_LETTERS:
        tex = LATEX_LETTERS[letter]
        m = re.fullmatch(r"\\([A-Za-z]+)|\\mathrm\{([A-Z])\}|([a-z])", tex)
        assert m, (letter, tex)
        assert m.group(1) is None or m.group(1) in defined, (letter, tex)


def test_item_12_the_latex_report_has_no_undefined_letters(tmp_path):
    from symconv.language.names import GREEK_LETTERS

    path = tmp_path / "theorems_greek.py"
    path.write_text(
        textwrap.dedent(
            """
            from symconv import Obligation
            OBLIGATIONS = [
                Obligation("g.alpha", "conv(fΑ, g) = conv(g, fΑ)", expect="proved"),
                Obligation("g.omicron", "fο ⋆ g = g ⋆ fο", expect="refuted"),
                Obligation("g.rest", "τ(φ, Ω) * ψ = ψ * τ(φ, ς)", expect="refuted"),
            ]
            """
        ),
        encoding="utf-8",
    )
    run = symconv_cli("prove", str(path), "--format", "latex")
    assert run.returncode == 0, run.stderr
    assert "\\Alpha" not in run.stdout and "\\omicron" not in run.stdout
    assert not set(run.stdout) & GREEK_LETTERS  # every letter written as LaTeX (fΑ(y) too)
    assert "f\\mathrm{A}" in run.stdout


def test_item_13_one_name_one_meaning_in_python_statements():
    f, g = functions("f g")
    a_real, a_positive = sp.Symbol("a", real=True), sp.Symbol("a", positive=True)
    for st in [
        (Shift(f, a_real), Shift(f, a_positive)),
        sp.Ne(Shift(f, a_real), Shift(f, a_positive)),
    ]:
        with pytest.raises(TermError, match="two different parameters are called a"):
            prove(st)
    with pytest.raises(TermError, match="both a function and a parameter"):
        prove((Shift(f, sp.Symbol("f", real=True)), f))
    with pytest.raises(TermError, match="look alike"):
        prove((Fn("fο"), Fn("fo")))


def test_item_13_non_finite_coefficients_are_refused():
    f, g = functions("f g")
    for st in [(sp.nan * f, sp.nan * g), (sp.oo * f, 2 * sp.oo * f), (sp.zoo * f, f)]:
        with pytest.raises(TermError, match="finite"):
            prove(st)


def test_item_13_witnesses_respect_the_assumptions_of_a_symbol():
    (f,) = functions("f")
    zero = sp.Symbol("a", zero=True)
    for st in [(Delta(zero), Delta(0)), (Shift(f, zero), f)]:
        assert prove(st).verdict is not Verdict.REFUTED  # a = 1 would break a = 0
    b = sp.Symbol("b", positive=True)
    r = prove((Shift(f, -b), f))
    assert r.verdict is Verdict.REFUTED and sp.Rational(r.witness.parameters["b"]) > 0
    even = sp.Symbol("k", integer=True, positive=True, even=True)
    r = prove((Flip(Diff(f, even)), Diff(Flip(f), even)))
    assert r.verdict is Verdict.PROVED, r.reason  # the spot check tries an even k
    odd = sp.Symbol("k", integer=True, positive=True, odd=True)
    r = prove((Flip(Diff(f, odd)), Diff(Flip(f), odd)))
    assert r.verdict is Verdict.REFUTED and int(r.witness.parameters["k"]) % 2 == 1


def test_item_13_the_replay_refuses_a_witness_that_breaks_an_assumption():
    from fractions import Fraction

    from symconv.routes.concrete.functions import gaussian
    from symconv.routes.refutation.replay import Candidate, ReplayFailed, replay

    (f,) = functions("f")
    b = sp.Symbol("b", positive=True)
    st = symconv.Statement(Shift(f, b), f)
    with pytest.raises(ReplayFailed, match="assumption"):
        replay(st, Candidate({"f": gaussian()}, {b: Fraction(-1)}, at=Fraction(0)))


def test_the_readme_states_the_bounds_and_the_exit_codes():
    from symconv.language.parser import LIMITS
    from symconv.surfaces.cli import ExitCode

    readme = (ROOT / "README.md").read_text(encoding="utf-8")

    def spaced(n):  # 10 000, the README's way of writing thousands
        return f"{n:,}".replace(",", " ")

    for text in [
        f"{spaced(LIMITS.length)} characters, {spaced(LIMITS.tokens)} tokens",
        f"{LIMITS.depth} levels of parentheses",
        f"{LIMITS.term_depth} nested operations",
        f"{LIMITS.digits} digits, as written *and* as computed",
        f"exponents 0–{LIMITS.exponent}",
        f"at most the {LIMITS.sum_exponent}th power",
        f"at most {spaced(LIMITS.expansion)} terms",
        f"coefficients of at most {LIMITS.coefficient_digits} digits",
        f"up to {LIMITS.order}",
        f"| time to read | {LIMITS.seconds:g} s",
    ]:
        assert text in readme, text
    table = readme.split("Exit codes (`prove`, `check` and `audit`):", 1)[1].split("\n\n", 2)[1]
    assert [int(c) for c in re.findall(r"^\| (\d+) \|", table, re.M)] == [int(c) for c in ExitCode]
