r"""Reports of a run for CI and documents: JUnit XML, Markdown, LaTeX. Strings only.

- ``junit``: one ``<testcase>`` per obligation; a ``<failure>`` when the verdict differs
  from the expectation, with the witness or the reason in its message, so that CI
  systems show a proof regression like a failing test; an ``<error>`` when an internal
  error ended the decision (a fault, not a verdict), with the traceback.
- ``markdown``: a table for a pull request or the docs, then the details (witness,
  reason, side conditions, derivation) of every obligation that is not a plain proof.
- ``latex``: statements and verdicts, with side conditions, counterexamples and
  derivations where present; a fragment for a document that loads ``amsmath`` and
  ``amssymb`` (``\mathbb``).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Sequence

from symconv.engine.obligation import Outcome
from symconv.results.result import Verdict
from symconv.surfaces.cards import (
    card,
    derivation_found,
    derivation_lines,
    markdown_card,
    md_cell,
    md_code,
    md_text,
    text_card,
)
from symconv.surfaces.formatting import latex_escape, ms
from symconv.surfaces.report import headline as _headline

__all__ = ["junit", "markdown", "latex", "latex_escape", "headline", "FORMATS"]



def headline(outcomes: Sequence[Outcome], seconds: float) -> str:
    """``18 obligations: 13 proved, 5 unknown; every verdict as expected (46.6 ms)``."""
    return f"{_headline(outcomes, seconds)} ({ms(seconds)})"


def _why(outcome: Outcome) -> str:
    """One line: what differs and the evidence (witness or reason)."""
    r = outcome.result
    line = f"expected {outcome.obligation.expect.value}, got {r.verdict.value}"
    if r.method:
        line += f" ({r.method})"
    if r.reason:
        line += f": {r.reason}"
    elif r.witness is not None:
        w = r.witness
        funcs = ", ".join(f"{k}(x) = {v}" for k, v in w.functions.items())
        params = ", ".join(f"{k} = {v}" for k, v in w.parameters.items())
        where = f" at x = {w.at}" if w.at is not None else ""
        line += f": counterexample {funcs}" + (f"; {params}" if params else "") + where
        line += f": left side {w.lhs_numeric}, right side {w.rhs_numeric}"
    return line


# --------------------------------------------------------------------------- JUnit

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text: str) -> str:
    return _XML_ILLEGAL.sub("?", str(text))


def junit(outcomes: Sequence[Outcome], seconds: float, suite: str = "symconv") -> str:
    """JUnit XML (the common schema read by Jenkins, GitLab, GitHub reporters)."""
    errors = sum(bool(o.result.error) for o in outcomes)
    failures = sum(not o.as_expected and not o.result.error for o in outcomes)
    attrs = {
        "name": suite,
        "tests": str(len(outcomes)),
        "failures": str(failures),
        "errors": str(errors),
        "skipped": "0",
        "time": f"{seconds:.6f}",
    }
    root = ET.Element("testsuites", attrs)
    ts = ET.SubElement(root, "testsuite", attrs)
    for o in outcomes:
        ob, r = o.obligation, o.result
        case = ET.SubElement(
            ts,
            "testcase",
            {
                "classname": f"{suite}.{ob.id.split('.')[0]}",
                "name": _x(ob.id),
                "time": f"{r.seconds:.6f}",
            },
        )
        if r.error:  # an exception ended the decision: an error, not a verdict that differs
            error = ET.SubElement(
                case, "error", {"message": _x(r.reason or ""), "type": _x(r.error.get("type", ""))}
            )
            error.text = _x(r.error.get("traceback") or r.reason or "")
        elif not o.as_expected:
            failure = ET.SubElement(
                case, "failure", {"message": _x(_why(o)), "type": "VerdictDiffers"}
            )
            failure.text = _x(text_card(r, ob))
        out = ET.SubElement(case, "system-out")
        out.text = _x(text_card(r, ob))
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode")


# --------------------------------------------------------------------------- Markdown


def markdown(outcomes: Sequence[Outcome], seconds: float) -> str:
    lines = [f"### symconv: {md_text(_headline(outcomes, seconds))} ({ms(seconds)})", ""]
    lines.append("| | id | statement | verdict | expected | method | time |")
    lines.append("|---|---|---|---|---|---|---|")
    for o in outcomes:
        r = o.result
        lines.append(
            "| "
            + " | ".join(
                [
                    "✅" if o.as_expected else "❌",
                    md_cell(md_code(o.obligation.id)),
                    md_cell(md_code(r.shown)),
                    md_cell(r.verdict.value),
                    md_cell(o.obligation.expect.value),
                    md_cell(md_text(r.method or "—")),
                    ms(r.seconds),
                ]
            )
            + " |"
        )
    noted = [
        o
        for o in outcomes
        if not o.as_expected
        or o.result.verdict is not Verdict.PROVED
        or derivation_found(o.result.details.get("derivation"))
    ]
    for o in noted:
        lines += ["", f"#### {md_code(o.obligation.id)}", "", markdown_card(o.result, o.obligation)]
    return "\n".join(lines).rstrip() + "\n"


# --------------------------------------------------------------------------- LaTeX

def _tt(text: str) -> str:
    return r"\texttt{" + latex_escape(text) + "}"


def _term_latex(statement) -> str | None:
    """The statement's LaTeX when it is in the term language, else None."""
    from symconv.engine.prove import as_statement, is_claim
    from symconv.language.parser import ParseError
    from symconv.language.terms import TermError

    if is_claim(statement):
        return None
    try:
        return as_statement(statement).latex()
    except (ParseError, TermError, TypeError):
        return None  # not a term statement: the caller shows its text instead


def _statement_latex(outcome: Outcome) -> str:
    math = _term_latex(outcome.obligation.statement)
    if math is not None:
        return r"\[ " + math + r" \]"
    return r"\begin{center}" + latex_escape(outcome.result.shown) + r"\end{center}"


def _derivation_latex(derivation) -> list[str]:
    if isinstance(derivation, dict):  # the route's record: the notes' own style
        from symconv.routes.derivation.render import as_latex

        return [as_latex(derivation)]
    lines = derivation_lines(derivation)
    if not lines:
        return []
    out = [r"\begin{enumerate}"]
    out += [r"  \item " + latex_escape(line) for line in lines]
    out.append(r"\end{enumerate}")
    return out


def latex(outcomes: Sequence[Outcome], seconds: float) -> str:
    out = [
        f"% symconv report: {_headline(outcomes, seconds)}",
        r"% A fragment: \input it in a document that loads amsmath and amssymb",
        r"% (\usepackage{amsmath,amssymb}; pdfLaTeX, XeLaTeX or LuaLaTeX).",
    ]
    if not outcomes:
        return "\n".join(out) + "\n"
    out.append(r"\begin{description}")
    for o in outcomes:
        ob, r = o.obligation, o.result
        c = card(r, ob)
        head = r"\item[" + _tt(ob.id) + "]"
        about = " ".join(x for x in (ob.source and f"({ob.source})", ob.title) if x)
        out.append(head + (" " + latex_escape(about) if about else ""))
        out.append(_statement_latex(o))
        verdict = r"\textbf{" + r.verdict.value + "}"
        if r.method:
            verdict += " by " + latex_escape(r.method)
        if not o.as_expected:
            verdict += r" \textbf{(expected " + ob.expect.value + ")}"
        out.append(verdict + ".")
        if r.reason:
            out.append("Reason: " + latex_escape(r.reason) + ".")
        if c.checked:
            out.append("Checked on " + latex_escape(c.checked) + ".")
        if c.witness:
            out.append(r"Counterexample (replayed exactly and numerically):\\")
            out.append(r"\begin{tabular}{@{}l p{0.6\linewidth}@{}}")
            out += [f"  {latex_escape(k)} & {_tt(v)} \\\\" for k, v in c.witness]
            out.append(r"\end{tabular}\par")
        if c.side_conditions:
            out.append(r"Side conditions for functions beyond the Schwartz class:")
            out.append(r"\begin{itemize}")
            for identity, lemma, condition, _ in c.side_conditions:
                item = latex_escape(identity) + (" (" + _tt(lemma) + ")" if lemma else "")
                out.append(r"  \item " + item + ": " + latex_escape(condition))
            out.append(r"\end{itemize}")
        derivation = r.details.get("derivation")
        if derivation_found(derivation):
            lines = _derivation_latex(derivation)
            if lines:
                out.append("Derivation:")
                out += lines
        if c.repairs:
            out.append("What holds instead:")
            out.append(r"\begin{itemize}")
            for s, v, _ in c.repairs:
                out.append(r"  \item " + latex_escape(s) + (f" ({latex_escape(v)})" if v else ""))
            out.append(r"\end{itemize}")
        for erratum in ob.errata:
            out.append(r"\emph{Erratum in the notes:} " + latex_escape(erratum))
    out.append(r"\end{description}")
    return "\n".join(out) + "\n"


#: The report formats beyond ``text`` and ``json``, by name.
FORMATS = {"junit": junit, "markdown": markdown, "latex": latex}
