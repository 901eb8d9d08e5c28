"""Rendering results for people (text) and for programs (JSON). Returns strings only."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Iterator, Sequence

from symconv.engine.obligation import Outcome, summary
from symconv.results.conditions import RULES
from symconv.results.result import Result, Verdict
from symconv.surfaces.formatting import clip, latex_escape, ms

__all__ = [
    "summary",
    "prove_text",
    "prove_json",
    "check_text",
    "check_json",
    "InputError",
    "read_as",
    "list_text",
    "explain",
    "explain_outcomes",
]

_STATEMENT_WIDTH = 40




def _detail_lines(result: Result, indent: str = "    ") -> list[str]:
    lines = []
    if result.reason:
        lines.append(f"{indent}reason: {result.reason}")
    if result.witness:
        w = result.witness
        # a plain name is a function of the witness's variable; a key like "f(x, y)" or
        # "w[0:2]" is shown as is
        funcs = ", ".join(f"{w.applied(k)} = {v}" for k, v in w.functions.items())
        params = ", ".join(f"{k} = {v}" for k, v in w.parameters.items())
        lines.append(f"{indent}witness: " + "; ".join(p for p in (funcs, params) if p))
        where = f"at {w.variable} = {w.at}" if w.at is not None else ""
        if w.test_function:
            where = f"paired with {w.test_function}"
        lines.append(f"{indent}  {where}: lhs = {w.lhs}, rhs = {w.rhs}".replace("  :", " "))
        lines.append(
            f"{indent}  numerically ({w.digits} digits): lhs ≈ {w.lhs_numeric}, "
            f"rhs ≈ {w.rhs_numeric}"
        )
        if w.extra.get("compared"):
            sides = ""
            if w.extra.get("lhs_is") and w.extra.get("rhs_is"):
                sides = f" (lhs: {w.extra['lhs_is']}; rhs: {w.extra['rhs_is']})"
            lines.append(f"{indent}  compared: {w.extra['compared']}{sides}")
        if w.extra.get("path"):
            lines.append(f"{indent}  along {w.extra['path']}")
    if result.verdict is Verdict.CHECKED:
        d = result.details
        lines.append(f"{indent}checked on {d['instances']} instances: {d['family']}")
    repairs = result.details.get("repairs") or []
    if repairs:
        lines.append(f"{indent}nearby statements that hold (proved by the normal form):")
        lines.extend(f"{indent}  - {r}" for r in repairs)
    if result.hypotheses:
        schwartz = any(h.rule in RULES for h in result.hypotheses)
        beyond = " for functions beyond the Schwartz class" if schwartz else ""
        lines.append(f"{indent}side conditions{beyond}:")
        for h in result.hypotheses:
            lemma = f" [{h.lemma}]" if h.lemma else ""
            where = f", used at {'; '.join(h.where)}" if h.where else ""
            lines.append(f"{indent}  - {h.identity}{lemma}{where}: {h.condition}")
    return lines


def prove_text(outcomes: Sequence[Outcome], seconds: float, verbose: bool = False) -> str:
    rows = [("id", "statement", "verdict", "method", "time")]
    for o in outcomes:
        r = o.result
        verdict = r.verdict.value
        if not o.as_expected:
            verdict += f" ✗ expected {o.obligation.expect.value}"
        rows.append(
            (
                o.obligation.id,
                clip(r.shown, _STATEMENT_WIDTH),
                verdict,
                r.method or "—",
                ms(r.seconds),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = []
    for n, row in enumerate(rows):
        cells = [row[i].ljust(widths[i]) for i in range(4)] + [row[4]]
        lines.append("  ".join(cells).rstrip())
        if verbose and n > 0:
            o = outcomes[n - 1]
            lines.extend(_detail_lines(o.result))
            for erratum in o.obligation.errata:
                lines.append(f"    erratum in the notes: {erratum}")
    lines.append("")
    lines.append(f"{headline(outcomes, seconds, name_differ=True)} ({ms(seconds)})")
    return "\n".join(lines)


def headline(outcomes: Sequence[Outcome], seconds: float, name_differ: bool = False) -> str:
    """``18 obligations: 13 proved, 5 unknown; every verdict as expected``."""
    s = summary(outcomes, seconds)
    counts = ", ".join(f"{n} {v}" for v, n in s["verdicts"].items() if n) or "nothing decided"
    differ = s["differ"]
    if not differ:
        tail = "every verdict as expected"
    else:
        verb = "differs" if len(differ) == 1 else "differ"
        tail = f"{len(differ)} {verb} from the expected verdict"
        if name_differ:
            tail += ": " + ", ".join(differ)
    noun = "obligation" if s["obligations"] == 1 else "obligations"
    return f"{s['obligations']} {noun}: {counts}; {tail}"


def prove_json(outcomes: Sequence[Outcome], seconds: float, cache: dict | None = None,
               notes: Sequence[str] = ()) -> str:
    """The run as one JSON object (the pieces of :func:`prove_json_pieces`, joined)."""
    return "".join(prove_json_pieces(outcomes, seconds, cache, notes))


def prove_json_pieces(outcomes: Sequence[Outcome], seconds: float, cache: dict | None = None,
                      notes: Sequence[str] = ()) -> Iterator[str]:
    """The run as one JSON object, in pieces: ``obligations`` (one per line, each made when
    it is written, so that a library of thousands never holds all their dicts or texts at
    once — each carries its certificate), ``summary``, and ``cache`` and ``notes`` when there
    are any."""
    yield '{\n"obligations": [\n'
    for i, o in enumerate(outcomes):
        yield ("" if i == 0 else ",\n") + json.dumps(o.to_dict(), ensure_ascii=False)
    rest = {"summary": summary(outcomes, seconds)}
    if cache is not None:
        rest["cache"] = cache
    if notes:
        rest["notes"] = list(notes)
    tail = json.dumps(rest, ensure_ascii=False, indent=2)[1:]  # without its opening brace
    yield "\n],\n" + tail.lstrip("\n")


def check_text(results: Sequence[Result], explain_style: str | None = None) -> str:
    """One block per statement; with ``explain_style`` (text, markdown or latex) each
    block ends with the time-domain derivation, or says that none was found."""
    blocks = []
    for r in results:
        if isinstance(r, InputError):
            blocks.append(f"{r.input}\n  input error: {r.message}")
            continue
        method = f" — {r.method}" if r.method else ""
        lines = [r.shown]
        if read_as(r):
            lines.append(f"  read as: {r.statement}")
        lines.append(f"  {r.verdict.value}{method} ({ms(r.seconds)})")
        lines.extend(_detail_lines(r, indent="  "))
        if explain_style:
            lines.append(explain(r, explain_style))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


@dataclass(frozen=True)
class InputError:
    """A statement of ``check`` that could not be read: reported in its place."""

    input: str
    message: str
    column: int | None = None

    def to_dict(self) -> dict:
        return {
            "input": self.input,
            "verdict": None,
            "error": {"kind": "input", "message": self.message, "column": self.column},
        }


def read_as(result: Result) -> str | None:
    """How symconv read the user's text, when that differs from the text beyond spacing
    (``xcorr(f, g) == conv(flip(f), g)`` is read as ``f ⋆ g = f⁻ * g``), else None."""
    if result.input is None:
        return None
    squash = lambda s: "".join(s.split()).replace("==", "=")  # noqa: E731
    return None if squash(result.input) == squash(result.statement) else result.statement


def explain(result: Result, style: str = "text", errata: Sequence[str] = ()) -> str:
    """The derivation attached to ``result`` in ``style``, or why there is none; errata of
    the notes at this place follow it."""
    from symconv.routes.derivation.render import render

    data = result.details.get("derivation")
    lead = None
    if data is not None and data.get("found"):
        if result.negated:
            lead = f"the equality {data['statement']} holds; its derivation:"
        body = render(data, style)
    elif data is None:
        why = result.reason or f"decided by {result.method}"
        if result.method == "reflexivity":
            why = "both sides are the same term"
        body = f"no time-domain derivation: {why}"
    elif result.negated:
        body = f"no time-domain derivation of the equality {data.get('statement', '')} was found ({data.get('reason')})"
    elif result.verdict is Verdict.PROVED:
        body = (
            "no time-domain derivation found; the verdict stands on the Fourier normal form "
            f"({data.get('reason')})"
        )
    else:
        body = f"no time-domain derivation found ({data.get('reason')})"
    parts = [_in_style(lead, style)] if lead else []
    parts.append(body if data is not None and data.get("found") else _in_style(body, style))
    parts.extend(_in_style(f"erratum in the notes: {e}", style) for e in errata)
    return ("\n" if style == "text" else "\n\n").join(parts)


def _in_style(sentence: str, style: str) -> str:
    if style == "markdown":
        return f"*{sentence}*"
    if style == "latex":
        return "\\emph{%s}" % latex_escape(sentence)
    return f"  {sentence}"


def explain_outcomes(outcomes: Sequence[Outcome], style: str = "text", timeout: float | None = None) -> str:
    """Each obligation's derivation under a heading, with the notes' errata beside it (a
    derivation the run left for later — the larger language's — is searched now)."""
    from symconv.engine.prove import DEFAULT_TIMEOUT, prove

    blocks = []
    for o in outcomes:
        r = o.result
        if (r.details.get("derivation") or {}).get("deferred"):
            r = prove(o.obligation.statement, timeout=timeout or DEFAULT_TIMEOUT, explain=True)
        head = f"{o.obligation.id}: {r.shown} — {r.verdict.value}" + (f" ({r.method})" if r.method else "")
        if style == "markdown":
            head = f"### `{o.obligation.id}`: `{r.shown}` — {r.verdict.value}"
        elif style == "latex":
            head = "\\paragraph{%s} %s" % (
                latex_escape(o.obligation.id),
                latex_escape(f"{r.shown} — {r.verdict.value}"),
            )
        blocks.append(head + "\n" + explain(r, style, o.obligation.errata))
    return "\n\n".join(blocks)


def check_json(results: Sequence["Result | InputError"]) -> str:
    return json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=2)


def list_text(obligations) -> str:
    rows = [("id", "expected", "source", "statement")]
    for ob in obligations:
        rows.append((ob.id, ob.expect.value, ob.source, ob.statement_text))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "\n".join(
        "  ".join([row[i].ljust(widths[i]) for i in range(3)] + [row[3]]).rstrip() for row in rows
    )


def list_json(obligations) -> str:
    return json.dumps(
        [
            {
                "id": ob.id,
                "statement": ob.statement_text,
                "expected": ob.expect.value,
                "source": ob.source,
                "title": ob.title,
                "errata": list(ob.errata),
            }
            for ob in obligations
        ],
        ensure_ascii=False,
        indent=2,
    )
