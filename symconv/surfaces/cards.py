"""Verdict cards: one result (or a run of obligations) as HTML, Markdown or plain text.

This is what a notebook shows for ``symconv.prove("f*g = g*f")``: the verdict, the
method, the side conditions, the witness, the reason, and — when the routes that make
them have attached them to ``Result.details`` — a derivation (``details["derivation"]``)
and repairs (``details["repairs"]``). Functions here return strings and never print.

Everything that comes from a statement is escaped for the target format.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import Any, Sequence

from symconv.engine.obligation import Outcome, summary
from symconv.engine.runner import Run
from symconv.results import display
from symconv.results.result import Result, Verdict
from symconv.surfaces.formatting import ms

__all__ = [
    "Card",
    "card",
    "html_card",
    "markdown_card",
    "text_card",
    "run_html",
    "run_markdown",
    "derivation_found",
    "derivation_lines",
    "derivation_markdown",
    "repair_rows",
    "witness_rows",
]

COLORS = {
    Verdict.PROVED: "#1a7f37",
    Verdict.REFUTED: "#cf222e",
    Verdict.CHECKED: "#9a6700",
    Verdict.UNKNOWN: "#57606a",
}



# --------------------------------------------------------------------------- the data


@dataclass(frozen=True)
class Card:
    """What a card shows, as plain strings; each format renders it its own way."""

    statement: str  # as the user wrote it
    verdict: Verdict
    method: str
    seconds: float
    reason: str | None
    side_conditions: tuple[tuple[str, str, str, str], ...]  # identity, lemma, condition, where
    witness: tuple[tuple[str, str], ...]  # (label, value)
    derivation: tuple[str, ...]
    repairs: tuple[tuple[str, str, str], ...]  # statement, verdict, method
    checked: str | None  # "N instances of FAMILY"
    title: str = ""
    ident: str = ""
    derivation_record: Any = None
    source: str = ""
    expected: Verdict | None = None
    errata: tuple[str, ...] = ()
    read_as: str = ""  # how symconv read it, when that differs beyond spacing

    @property
    def as_expected(self) -> bool | None:
        return None if self.expected is None else self.expected is self.verdict


def card(result: Result, obligation=None) -> Card:
    """The card of a result (and of the obligation it answers, when there is one)."""
    checked = None
    if result.verdict is Verdict.CHECKED:
        checked = f"{result.details.get('instances')} instances of {result.details.get('family')}"
    extra = {}
    if obligation is not None:
        extra = dict(
            title=obligation.title,
            ident=obligation.id,
            source=obligation.source,
            expected=obligation.expect,
            errata=tuple(obligation.errata),
        )
    derivation = result.details.get("derivation")
    if not derivation_found(derivation) and not _proved_equality(result):
        # "no derivation found" says something only next to a proof, where the verdict
        # then rests on the normal form alone; beside a refutation it is noise
        derivation = None
    from symconv.surfaces.report import read_as

    return Card(
        statement=result.shown,
        read_as=read_as(result) or "",
        verdict=result.verdict,
        method=result.method or "",
        seconds=result.seconds,
        reason=result.reason,
        side_conditions=tuple(
            (h.identity, h.lemma or "", h.condition, ", ".join(h.where)) for h in result.hypotheses
        ),
        witness=witness_rows(result),
        derivation=derivation_lines(derivation),
        derivation_record=derivation,
        repairs=repair_rows(result.details.get("repairs")),
        checked=checked,
        **extra,
    )


def _proved_equality(result: Result) -> bool:
    return result.verdict is Verdict.PROVED and not result.negated


def witness_rows(result: Result) -> tuple[tuple[str, str], ...]:
    w = result.witness
    if w is None:
        return ()
    rows = [(w.applied(name), str(expr)) for name, expr in w.functions.items()]
    rows += [(str(name), str(value)) for name, value in w.parameters.items()]
    if w.at is not None:
        rows.append((f"at {w.variable} =", str(w.at)))
    if w.test_function:
        rows.append(("paired with", str(w.test_function)))
    rows.append(("left side", str(w.lhs)))
    rows.append(("right side", str(w.rhs)))
    rows.append((f"left ≈ ({w.digits} digits)", str(w.lhs_numeric)))
    rows.append((f"right ≈ ({w.digits} digits)", str(w.rhs_numeric)))
    for key, value in w.extra.items():
        rows.append((str(key).replace("_", " "), _plain(value)))
    return tuple(rows)


def _plain(value: Any) -> str:
    """Nested data (e.g. a witness's confirmation record) as one readable line."""
    if isinstance(value, dict):
        return "; ".join(f"{str(k).replace('_', ' ')}: {_plain(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(_plain(v) for v in value)
    return str(value)


def derivation_lines(derivation: Any) -> tuple[str, ...]:
    """The derivation as lines of text: the derivation route's record (a dict, see
    :mod:`symconv.routes.derivation.render`) in the notes' notation, anything else as its text."""
    if derivation is None:
        return ()
    if isinstance(derivation, dict):
        from symconv.routes.derivation.render import as_text

        text = as_text(derivation, indent="")
    else:
        text = str(derivation)
    return tuple(line for line in text.splitlines() if line.strip())


def derivation_markdown(derivation: Any) -> str:
    """Markdown (a display equation, like the notes' own) for the derivation record."""
    if isinstance(derivation, dict):
        from symconv.routes.derivation.render import as_markdown

        return as_markdown(derivation)
    return "\n".join(["```text", *derivation_lines(derivation), "```"])


def derivation_found(derivation: Any) -> bool:
    """A derivation is there (not a record saying that none was found)."""
    if isinstance(derivation, dict):
        return derivation.get("found") is not False
    return derivation is not None


def _field(step: Any, *names: str) -> str:
    for name in names:
        value = step.get(name) if isinstance(step, dict) else getattr(step, name, None)
        if value:
            return str(value)
    return ""


def _plain_repairs(c: "Card") -> bool:
    """Repairs given as statements only (no verdict or method of their own)."""
    return all(not v and not m for _, v, m in c.repairs)


def repair_rows(repairs: Any) -> tuple[tuple[str, str, str], ...]:
    """Repairs as (statement, verdict, method): from results, mappings or text."""
    if not repairs:
        return ()
    rows = []
    for item in repairs:
        if isinstance(item, str):
            rows.append((item, "", ""))
        elif isinstance(item, Result):
            rows.append((item.statement, item.verdict.value, item.method or ""))
        else:
            rows.append(
                (
                    _field(item, "statement", "text") or str(item),
                    _field(item, "verdict"),
                    _field(item, "method"),
                )
            )
    return tuple(rows)


# --------------------------------------------------------------------------- HTML

_BOX = (
    "border:1px solid #d0d7de;border-radius:6px;padding:6px 12px;margin:4px 0;"
    "font-family:system-ui,sans-serif;font-size:14px;max-width:60em"
)
_TABLE = "border-collapse:collapse;margin:2px 0 6px 0;font-size:13px"
_CELL = "border:1px solid #d0d7de;padding:2px 6px;text-align:left;vertical-align:top"
_MUTED = "color:#57606a;font-size:12px"


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _badge(verdict: Verdict) -> str:
    return (
        f'<span style="background:{COLORS[verdict]};color:#fff;border-radius:4px;'
        f'padding:1px 8px;font-weight:600">{_e(verdict.value)}</span>'
    )


def _html_table(header: Sequence[str] | None, rows, code_columns=()) -> str:
    out = [f'<table style="{_TABLE}">']
    if header:
        out.append("<tr>" + "".join(f'<th style="{_CELL}">{_e(h)}</th>' for h in header) + "</tr>")
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            body = f"<code>{_e(value)}</code>" if i in code_columns and value else _e(value)
            cells.append(f'<td style="{_CELL}">{body}</td>')
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "".join(out)


def _html_body(c: Card) -> str:
    parts = []
    if c.reason:
        parts.append(f"<div><b>Reason:</b> {_e(c.reason)}</div>")
    if c.checked:
        parts.append(f"<div><b>Checked on</b> {_e(c.checked)}</div>")
    if c.witness:
        parts.append("<div><b>Counterexample</b> (replayed exactly and numerically)</div>")
        parts.append(_html_table(None, c.witness, code_columns=(1,)))
    if c.side_conditions:
        parts.append("<div><b>Side conditions</b> for functions beyond the Schwartz class</div>")
        parts.append(
            _html_table(
                ("rule", "lemma", "condition", "used at"), c.side_conditions, code_columns=(1,)
            )
        )
    if c.derivation:
        steps = "".join(f"<div>{_e(line)}</div>" for line in c.derivation)
        parts.append(
            f'<div><b>Derivation</b></div><div style="font-family:monospace;white-space:pre;'
            f'font-size:13px;margin:2px 0 6px 0;overflow-x:auto">{steps}</div>'
        )
    if c.repairs and _plain_repairs(c):
        items = "".join(f"<li><code>{_e(r[0])}</code></li>" for r in c.repairs)
        parts.append(f'<div><b>What holds instead</b></div><ul style="margin:2px 0">{items}</ul>')
    elif c.repairs:
        parts.append("<div><b>What holds instead</b></div>")
        parts.append(_html_table(("statement", "verdict", "method"), c.repairs, code_columns=(0,)))
    for erratum in c.errata:
        parts.append(f'<div style="{_MUTED}"><b>Erratum in the notes:</b> {_e(erratum)}</div>')
    return "".join(parts)


def html_card(result: Result, obligation=None) -> str:
    c = card(result, obligation)
    head = [_badge(c.verdict)]
    if c.expected is not None and not c.as_expected:
        head.append(
            f' <span style="color:{COLORS[Verdict.REFUTED]}">✗ expected '
            f"{_e(c.expected.value)}</span>"
        )
    head.append(f' <code style="font-size:14px">{_e(c.statement)}</code>')
    meta = [m for m in (c.ident, c.title, c.source) if m]
    meta.append(c.method or "no method")
    meta.append(ms(c.seconds))
    read = f'<div style="{_MUTED}">read as <code>{_e(c.read_as)}</code></div>' if c.read_as else ""
    return (
        f'<div class="symconv-card" style="{_BOX}">'
        f"<div>{''.join(head)}</div>{read}"
        f'<div style="{_MUTED}">{" · ".join(_e(m) for m in meta)}</div>'
        f"{_html_body(c)}</div>"
    )


def _run_status(run) -> tuple[dict, str, str]:
    """(the summary, "3 proved, 1 refuted", "every verdict as expected" or how many differ)."""
    s = summary(run.outcomes, run.seconds)
    counts = ", ".join(f"{n} {v}" for v, n in s["verdicts"].items() if n)
    differ = len(s["differ"])
    status = "every verdict as expected" if not differ else f"{differ} differ from the expectation"
    return s, counts, status


def run_html(run) -> str:
    """A run of obligations: a summary line and one row per obligation."""
    s, counts, status = _run_status(run)
    rows = []
    for o in run.outcomes:
        c = card(o.result, o.obligation)
        mark = "" if c.as_expected else f" ✗ expected {_e(c.expected.value)}"
        body = _html_body(c)
        more = f"<details><summary>details</summary>{body}</details>" if body else ""
        rows.append(
            "<tr>"
            f'<td style="{_CELL}"><code>{_e(c.ident)}</code></td>'
            f'<td style="{_CELL}">{_e(c.source)}</td>'
            f'<td style="{_CELL}"><code>{_e(c.statement)}</code></td>'
            f'<td style="{_CELL}">{_badge(c.verdict)}{mark}</td>'
            f'<td style="{_CELL}">{_e(c.method or "—")}</td>'
            f'<td style="{_CELL};white-space:nowrap">{_e(ms(c.seconds))}</td>'
            f'<td style="{_CELL}">{more}</td>'
            "</tr>"
        )
    header = "".join(
        f'<th style="{_CELL}">{h}</th>'
        for h in ("id", "source", "statement", "verdict", "method", "time", "")
    )
    return (
        f'<div class="symconv-run" style="{_BOX};max-width:none">'
        f"<div><b>{s['obligations']} obligations</b>: {_e(counts)}; {_e(status)} "
        f'<span style="{_MUTED}">({_e(ms(run.seconds))})</span></div>'
        f'<table style="{_TABLE}"><tr>{header}</tr>{"".join(rows)}</table></div>'
    )


# --------------------------------------------------------------------------- Markdown


def md_code(text: Any) -> str:
    """Inline code that survives backticks in the text."""
    text = str(text)
    if not text:
        return ""
    fence = "`"
    while fence in text:
        fence += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def md_cell(text: Any) -> str:
    """Text for a Markdown table cell: one line, pipes escaped."""
    return " ".join(str(text).split()).replace("|", "\\|")


def md_text(text: Any) -> str:
    """Running Markdown text with the characters that would start markup escaped."""
    out = []
    for ch in " ".join(str(text).split()):
        out.append("\\" + ch if ch in "\\`*_[]<>|#" else ch)
    return "".join(out)


def _md_table(header: Sequence[str], rows, code_columns=()) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in rows:
        cells = [
            md_cell(md_code(v)) if i in code_columns and v else md_cell(md_text(v))
            for i, v in enumerate(row)
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _md_body(c: Card) -> list[str]:
    lines: list[str] = []
    if c.reason:
        lines += ["", f"**Reason:** {md_text(c.reason)}"]
    if c.checked:
        lines += ["", f"**Checked on** {md_text(c.checked)}"]
    if c.witness:
        lines += ["", "**Counterexample** (replayed exactly and numerically):", ""]
        lines += _md_table(("", "value"), c.witness, code_columns=(1,))
    if c.side_conditions:
        lines += ["", "**Side conditions** for functions beyond the Schwartz class:", ""]
        lines += _md_table(("rule", "lemma", "condition", "used at"), c.side_conditions, (1,))
    if c.derivation:
        lines += ["", "**Derivation:**", "", derivation_markdown(c.derivation_record)]
    if c.repairs and _plain_repairs(c):
        lines += ["", "**What holds instead:**", ""]
        lines += [f"- {md_code(r[0])}" for r in c.repairs]
    elif c.repairs:
        lines += ["", "**What holds instead:**", ""]
        lines += _md_table(("statement", "verdict", "method"), c.repairs, code_columns=(0,))
    for erratum in c.errata:
        lines += ["", f"*Erratum in the notes:* {md_text(erratum)}"]
    return lines


def markdown_card(result: Result, obligation=None) -> str:
    c = card(result, obligation)
    head = f"**{c.verdict.value}**"
    if c.expected is not None and not c.as_expected:
        head += f" ✗ expected {c.expected.value}"
    head += f" {md_code(c.statement)}"
    meta = [md_text(m) for m in (c.ident, c.title, c.source) if m]
    meta.append(md_text(c.method or "no method"))
    meta.append(ms(c.seconds))
    read = ["", f"read as {md_code(c.read_as)}"] if c.read_as else []
    return "\n".join([head, *read, "", " · ".join(meta), *_md_body(c)]) + "\n"


def run_markdown(run) -> str:
    s, counts, status = _run_status(run)
    rows = []
    for o in run.outcomes:
        verdict = o.result.verdict.value + (
            "" if o.as_expected else f" ✗ expected {o.obligation.expect.value}"
        )
        rows.append(
            (
                o.obligation.id,
                o.obligation.source,
                o.result.shown,
                verdict,
                o.result.method or "—",
                ms(o.result.seconds),
            )
        )
    lines = [f"**{s['obligations']} obligations**: {counts}; {status} ({ms(run.seconds)})", ""]
    lines += _md_table(("id", "source", "statement", "verdict", "method", "time"), rows, (0, 2))
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- text


def text_card(result: Result, obligation=None, indent: str = "") -> str:
    """Plain text, e.g. for a failing pytest item."""
    c = card(result, obligation)
    verdict = c.verdict.value
    if c.expected is not None:
        verdict += " (as expected)" if c.as_expected else f" (expected {c.expected.value})"
    lines = [f"statement: {c.statement}"]
    if c.read_as:
        lines.append(f"read as:   {c.read_as}")
    lines.append(f"verdict:   {verdict}")
    if c.method:
        lines.append(f"method:    {c.method}")
    if c.source:
        lines.append(f"source:    {c.source}")
    if c.reason:
        lines.append(f"reason:    {c.reason}")
    if c.checked:
        lines.append(f"checked on {c.checked}")
    if c.witness:
        lines.append("counterexample:")
        width = max(len(label) for label, _ in c.witness)
        lines += [f"  {label.ljust(width)}  {value}" for label, value in c.witness]
    if c.side_conditions:
        lines.append("side conditions for functions beyond the Schwartz class:")
        for identity, lemma, condition, _ in c.side_conditions:
            lines.append(f"  - {identity}" + (f" [{lemma}]" if lemma else "") + f": {condition}")
    if c.derivation:
        lines.append("derivation:")
        lines += [f"  {line}" for line in c.derivation]
    if c.repairs:
        lines.append("what holds instead:")
        lines += [
            f"  {s}" + (f"  ({v}" + (f", {m})" if m else ")") if v else "") for s, v, m in c.repairs
        ]
    for erratum in c.errata:
        lines.append(f"erratum in the notes: {erratum}")
    return "\n".join(indent + line for line in lines)


def _check_text(result: Result) -> str:
    from symconv.surfaces.report import check_text

    return check_text([result])


def _run_text(run) -> str:
    from symconv.surfaces.report import prove_text

    return prove_text(run.outcomes, run.seconds)


# Jupyter shows results, obligations and runs as these cards (symconv.results.display);
# print() shows what the command line prints
display.register(Result, html=html_card, markdown=markdown_card, text=_check_text)
display.register(
    Outcome,
    html=lambda o: html_card(o.result, o.obligation),
    markdown=lambda o: markdown_card(o.result, o.obligation),
    text=lambda o: text_card(o.result, o.obligation),
)
display.register(Run, html=run_html, markdown=run_markdown, text=_run_text)
