"""The audit of a document for people and programs: text, JSON, annotated Markdown, HTML.

Every function returns a string; nothing here prints. The HTML report renders the
document (Markdown through markdown-it-py) with its math as MathML (latex2mathml: no
script, no network at view time), a coloured verdict beside every step, and under each
refuted step its counterexample and, when matplotlib is installed, its plot (inline PNG).
"""

from __future__ import annotations

import base64
import html
import json
import tempfile
from pathlib import Path

from symconv.documents.model import (
    FAILS,
    HOLDS,
    INFO,
    NOT_READ,
    UNDECIDED,
    AuditReport,
    Item,
    Step,
)

__all__ = ["headline", "text", "json_report", "markdown", "html_report", "MARKS", "HtmlUnavailable"]

MARKS = {HOLDS: "✔", FAILS: "✘", UNDECIDED: "?", NOT_READ: "·", INFO: "i"}
_RELATIONS = {"=": "=", ":=": ":=", "≠": r"\neq"}


class HtmlUnavailable(RuntimeError):
    """latex2mathml (the optional extra ``audit``) is missing."""


def headline(report: AuditReport) -> str:
    s = report.summary()
    st = s["statuses"]
    parts = [f"read {s['read']} of {s['items']} ({s['displays']} displays, {s['inline']} inline equations)",
             f"{st[HOLDS]} hold", f"{st[FAILS]} fail"]
    if st[UNDECIDED]:
        parts.append(f"{st[UNDECIDED]} undecided")
    if st[NOT_READ]:
        parts.append(f"{st[NOT_READ]} not read")
    parts.append(f"{s['steps']} steps: {s['steps_hold']} hold, {s['steps_fail']} fail")
    if s["warnings"]:
        parts.append(f"{s['warnings']} warning(s)")
    cache = report.cache
    if cache.get("hits") is not None:
        refused = f", {cache['rejected']} refused" if cache.get("rejected") else ""
        parts.append(f"cache {cache['hits']} hit(s), {cache['misses']} miss(es){refused}")
    return f"symconv audit {report.path}: " + "; ".join(parts) + f"; {report.seconds:.2f} s"


def _clip(s: str, width: int) -> str:
    s = " ".join(s.split())
    return s if len(s) <= width else s[: width - 1] + "…"


def _verdict_text(step: Step) -> str:
    if step.not_read:
        return f"not read: {step.not_read}"
    if step.justification and step.justification["status"] == "refused":
        return f"the justification fails: {step.justification['reason']}"
    d = step.decision
    if d is None:
        return "; ".join(step.notes) or "nothing to decide"
    if d.verdict == "proved":
        return f"proved ({d.method})"
    if d.verdict == "refuted":
        return f"refuted ({d.method})"
    return f"{d.verdict}: {d.reason}"


def _witness_lines(w: dict) -> list[str]:
    funcs = ", ".join(f"{k}(x) = {v}" if k.isidentifier() else f"{k} = {v}"
                      for k, v in (w.get("functions") or {}).items())
    params = ", ".join(f"{k} = {v}" for k, v in (w.get("parameters") or {}).items())
    at = f"at x = {w['at']}" if w.get("at") is not None else ""
    lines = ["witness: " + "; ".join(p for p in (funcs, params, at) if p)]
    lines.append(f"left = {w.get('lhs')} ≈ {str(w.get('lhs_numeric'))[:20]}; "
                 f"right = {w.get('rhs')} ≈ {str(w.get('rhs_numeric'))[:20]}")
    return lines


def _step_details(step: Step) -> list[str]:
    out = list(step.notes)
    if step.justification:
        j = step.justification
        out.append(f"justification {j['text']}: {j['status']}" + (f" — {j['reason']}" if j["reason"] else ""))
    d = step.decision
    if d is not None and d.verdict == "refuted" and d.witness:
        out.extend(_witness_lines(d.witness))
    for alt in step.alternatives:
        out.append(f"holds in another reading ({alt['reading']}): {alt['statement']}")
    if d is not None and d.status == FAILS and d.repairs:
        out.append("nearest statements that hold: " + "; ".join(map(str, d.repairs)))
    return out


def text(report: AuditReport, verbose: bool = False) -> str:
    out = [headline(report)]
    for p in report.problems:
        where = f"line {p['line']}: " if p.get("line") else ""
        out.append(f"problem: {where}{p['message']}")
    for item in report.items:
        if item.not_read:
            continue
        title = f"line {item.line}" + (f" ({item.label})" if item.label else "")
        out.append("")
        out.append(f"{title} {item.role} — {item.status}")
        if verbose and item.readings:
            r = item.readings
            out.append("  letters: " + "; ".join(f"{k}: {', '.join(v)}" for k, v in r.items() if v))
        if item.definition:
            out.append(f"  definition: {item.definition['text']}")
        if item.conclusion:
            out.append(f"  conclusion: {item.conclusion['text']}")
        for w in item.warnings:
            out.append(f"  warning: {w}")
        for n in item.notes:
            out.append(f"  note: {n}")
        for k, step in enumerate(item.all_steps(), 1):
            name = "ends" if step.kind == "ends" else f"[{k}]"
            written = _clip(f"{step.left} {step.relation} {step.right}", 90)
            out.append(f"  {MARKS[step.status]} {name} line {step.line}: {written}")
            read = f"read as {step.statement} — " if step.statement else ""
            out.append(f"      {read}{_verdict_text(step)}")
            if step.status != HOLDS or verbose:
                out.extend(f"      {line}" for line in _step_details(step))
    unread = [item for item in report.items if item.not_read]
    if unread:
        out.append("")
        out.append(f"not read ({len(unread)}):")
        for item in unread:
            mapped = f" [covered by the obligations {', '.join(item.mapped)}]" if item.mapped else ""
            out.append(f"  line {item.line}: {item.source.strip()[:60]} — {item.not_read}{mapped}")
    return "\n".join(out)


def json_report(report: AuditReport) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=1)


# ----------------------------------------------------------------------------- Markdown


def _block(item: Item) -> list[str]:
    head = f"> **symconv** {item.name}: {MARKS[item.status]} {item.status}"
    if item.not_read:
        head += f" — not read: {item.not_read}"
    lines = [head]
    extra = []
    if item.definition:
        extra.append(f"definition: {item.definition['text']}")
    if item.conclusion:
        extra.append(f"conclusion: {item.conclusion['text']}")
    extra += [f"warning: {w}" for w in item.warnings]
    for step in item.all_steps():
        name = "ends" if step.kind == "ends" else "step"
        extra.append(f"{MARKS[step.status]} {name} (line {step.line}) `{step.statement or step.left}`: "
                     f"{_verdict_text(step)}")
        extra += [f"&nbsp;&nbsp;{d}" for d in _step_details(step) if step.status != HOLDS]
    lines += [f"> - {e}" for e in extra]
    return lines


def markdown(report: AuditReport) -> str:
    """The document with a verdict block under each display and after each paragraph."""
    lines = report.text.split("\n")
    inserts: dict[int, list[str]] = {}
    for item in report.items:
        end = item.end_line
        if item.kind == "inline":  # after the paragraph: the next blank line
            while end < len(lines) and lines[end].strip():
                end += 1
        else:
            while end < len(lines) and lines[end - 1].strip() and "$$" not in lines[end - 1] \
                    and "```" not in lines[end - 1] and "\\end" not in lines[end - 1]:
                end += 1
        inserts.setdefault(end, []).extend(["", *_block(item)])
    out = []
    for k, line in enumerate(lines, 1):
        out.append(line)
        if k in inserts:
            out.extend(inserts[k])
            out.append("")
    return "\n".join(out)


# ----------------------------------------------------------------------------- HTML

_CSS = """
body { font-family: sans-serif; max-width: 60rem; margin: 2rem auto; line-height: 1.45; }
.display { margin: 1rem 0; padding: .5rem; border-left: 4px solid #bbb; }
.display.holds { border-color: #2a8a2a; } .display.fails { border-color: #c0392b; }
.display.undecided { border-color: #d68910; }
.steps { border-collapse: collapse; margin-top: .4rem; width: 100%; }
.steps td { padding: .15rem .5rem; vertical-align: middle; border-top: 1px solid #eee; }
.mark { font-weight: bold; white-space: nowrap; border-radius: 4px; padding: 0 .4rem; }
.mark.holds { color: #fff; background: #2a8a2a; } .mark.fails { color: #fff; background: #c0392b; }
.mark.undecided { color: #000; background: #f5cba7; } .mark.not-read { color: #000; background: #ddd; }
.mark.info { color: #000; background: #d6eaf8; }
.detail { color: #444; font-size: .9em; }
.where { color: #888; font-size: .85em; white-space: nowrap; }
.note { color: #444; font-size: .9em; margin: .2rem 0; }
.warning { color: #8a4b08; }
.witness { font-family: monospace; font-size: .85em; }
img.plot { max-width: 100%; }
"""


def _mathml(latex: str, display: bool = False) -> str:
    try:
        from latex2mathml.converter import convert
    except ImportError:
        raise HtmlUnavailable("the HTML report needs latex2mathml: pip install 'symconv[audit]'") from None
    cleaned = latex.replace("\\begin{aligned}", "").replace("\\end{aligned}", "")
    try:
        return convert(cleaned, display="block" if display else "inline")
    # latex2mathml raises assorted exceptions (even StopIteration) on what it cannot
    # typeset; the report then shows the source instead of the formula
    except Exception:  # noqa: BLE001
        return f"<code>{html.escape(latex)}</code>"


def _status_class(status: str) -> str:
    return status.replace(" ", "-")


def _plot_png(step: Step) -> str | None:
    from symconv.surfaces import plot

    d = step.decision
    if d is None or d.verdict != "refuted" or not plot.available():
        return None
    result = d.result
    if result is None or result.witness is None or result.witness.data is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        path = plot.plot_result(result, Path(tmp) / "witness.png")
        return base64.b64encode(path.read_bytes()).decode("ascii")


def _steps_html(item: Item, index: int) -> str:
    rows = []
    for k, step in enumerate(item.all_steps()):
        rel = _RELATIONS.get(step.relation, "=")
        math = _mathml(f"{step.left} {rel} {step.right}") if step.left else ""
        cls = _status_class(step.status)
        label = "ends" if step.kind == "ends" else f"line {step.line}"
        rows.append(
            f'<tr class="step" data-status="{cls}" data-step="{index}.{k}"><td class="where">{label}</td>'
            f'<td class="math">{math}</td>'
            f'<td><span class="mark {cls}">{MARKS[step.status]} {html.escape(step.status)}</span></td>'
            f'<td class="detail">{html.escape(_verdict_text(step))}</td></tr>'
        )
        details = _step_details(step) if step.status != HOLDS else step.notes
        if details:
            body = "<br>".join(html.escape(d) for d in details)
            png = _plot_png(step) if step.status == FAILS else None
            img = f'<br><img class="plot" alt="plot of the counterexample" src="data:image/png;base64,{png}">' if png else ""
            rows.append(f'<tr class="step-detail"><td></td><td colspan="3" class="witness">{body}{img}</td></tr>')
    notes = []
    if item.definition:
        notes.append(f'<p class="note">definition: {html.escape(item.definition["text"])}</p>')
    if item.conclusion:
        notes.append(f'<p class="note">conclusion: {html.escape(item.conclusion["text"])}</p>')
    notes += [f'<p class="note warning">warning: {html.escape(w)}</p>' for w in item.warnings]
    if item.not_read:
        mapped = f" (covered by {', '.join(item.mapped)})" if item.mapped else ""
        notes.append(f'<p class="note"><span class="mark not-read">· not read</span> '
                     f'{html.escape(item.not_read + mapped)}</p>')
    table = f'<table class="steps">{"".join(rows)}</table>' if rows else ""
    return "".join(notes) + table


def _display_html(item: Item, latex: str, index: int) -> str:
    cls = _status_class(item.status)
    label = f'<span class="where">({html.escape(item.label)})</span>' if item.label else ""
    return (f'<div class="display {cls}" id="line-{item.line}" data-line="{item.line}">'
            f'{_mathml(latex, True)} {label}{_steps_html(item, index)}</div>')


def _inline_html(item: Item, latex: str) -> str:
    cls = _status_class(item.status)
    return (f'<span class="inline-eq" id="line-{item.line}">{_mathml(latex)}'
            f'<span class="mark {cls}" title="{html.escape(item.status)}">{MARKS[item.status]}</span></span>')


def html_report(report: AuditReport) -> str:
    """A self-contained HTML page (no script, no network)."""
    by_offset = {item.offset: item for item in report.items}
    index = {id(item): k for k, item in enumerate(report.items)}
    late: list[Item] = []
    if report.format == "markdown":
        body = _markdown_body(report, by_offset, late, index)
    else:
        body = "".join(_display_html(i, i.source, index[id(i)]) if i.kind == "display" else
                       f"<p>line {i.line}: {_inline_html(i, i.source)}</p>"
                       + _steps_html(i, index[id(i)]) for i in report.items)
    if late:
        body += "<h2>Inline equations</h2>" + "".join(
            f'<div class="display {_status_class(i.status)}" id="inline-{i.line}">'
            f"{_mathml(i.source)}{_steps_html(i, index[id(i)])}</div>" for i in late)
    title = html.escape(Path(report.path).name)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>symconv audit: {title}</title><style>{_CSS}</style></head><body>"
        f"<p class=\"note\">{html.escape(headline(report))}</p>{body}</body></html>\n"
    )


def _markdown_body(report: AuditReport, by_offset: dict, late: list, index: dict) -> str:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    text = report.text
    cursor = [0]
    used: set = set()

    def find(content: str) -> Item | None:
        at = text.find(content, cursor[0])
        if at < 0:
            return None
        cursor[0] = at + len(content)
        item = by_offset.get(at)
        if item is not None:
            used.add(id(item))
        return item

    def block(self, tokens, idx, options, env):
        content = tokens[idx].content
        item = find(content)
        if item is None:
            return f'<div class="display">{_mathml(content, True)}</div>'
        return _display_html(item, content, index[id(item)])

    def inline(self, tokens, idx, options, env):
        content = tokens[idx].content
        item = find(content)
        if item is None:
            return _mathml(content)
        html_ = _inline_html(item, content)
        if item.all_steps() or item.not_read:
            late.append(item)
        return html_

    def fence(self, tokens, idx, options, env):
        if tokens[idx].info.strip().lower() == "math":
            return block(self, tokens, idx, options, env)
        return f"<pre><code>{html.escape(tokens[idx].content)}</code></pre>"

    md = MarkdownIt("commonmark").use(front_matter_plugin)
    md = md.use(dollarmath_plugin, allow_space=True, allow_digits=True, double_inline=True)
    md.add_render_rule("math_block", block)
    md.add_render_rule("math_block_label", block)
    md.add_render_rule("math_inline", inline)
    md.add_render_rule("math_inline_double", inline)
    md.add_render_rule("fence", fence)
    md.add_render_rule("front_matter", lambda *a: "")
    body = md.render(text)
    missing = [i for i in report.items if id(i) not in used and i not in late]
    late.extend(missing)
    return body
