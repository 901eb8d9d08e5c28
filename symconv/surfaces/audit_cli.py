"""The ``audit`` subcommand: its options, and a run that returns what to print.

:func:`run` returns ``(stdout text, stderr lines, exit status)``; :mod:`symconv.surfaces.cli`
does the printing. Exit status as ``check``: 0 when every step read holds, 1 when a step
fails (or, with ``--strict``, when something is not read), 3 when something is undecided,
2 when the document cannot be read or an optional library is missing, 4 when an internal
error ended a decision (it is reported as undecided), 5 when ``--output`` cannot be
written (the report then goes to stdout).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from symconv.surfaces import caching

__all__ = ["add_parser", "run", "FORMATS"]

FORMATS = ("text", "json", "markdown", "html")
OK, FAILED, USAGE, UNDECIDED, INTERNAL, OUTPUT = 0, 1, 2, 3, 4, 5


def _notation(text: str) -> tuple[str, str]:
    from symconv.documents.elaborate import OPERATIONS

    symbol, sep, operation = text.partition("=")
    if not sep or not symbol.strip() or operation.strip() not in OPERATIONS:
        raise argparse.ArgumentTypeError(
            f"write SYMBOL=OPERATION, e.g. '\\otimes=xcorr' (operations: conv, xcorr), got {text!r}")
    return symbol.strip().lstrip("\\"), operation.strip()


def _bytes(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of bytes: {text!r}") from None
    if not 1 <= value <= 50_000_000:
        raise argparse.ArgumentTypeError("--max-bytes must be from 1 to 50000000")
    return value


def add_parser(sub, seconds_type) -> None:
    a = sub.add_parser(
        "audit",
        help="check a notes document as it is written: every equation, every step",
        description=(
            "Read a Markdown or LaTeX document, find its math, and decide every display and "
            "inline equation, one obligation per step of each derivation. Exit 0 when every "
            "step read holds, 1 when one fails (with --strict also when something is not "
            "read), 3 when one is undecided, 2 when the document cannot be read. Needs the "
            "optional extra: pip install 'symconv[audit]'."
        ),
    )
    a.add_argument("document", metavar="FILE", help="the notes document: Markdown (.md) or LaTeX (.tex)")
    a.add_argument("--format", choices=FORMATS, default="text", help="report format (default: text)")
    a.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE")
    a.add_argument("--input-format", choices=("markdown", "latex"), default=None,
                   help="how to read FILE (default: by its suffix)")
    a.add_argument("--timeout", type=seconds_type, default=10.0, metavar="SECONDS",
                   help="time budget per statement (default: 10)")
    a.add_argument("--strict", action="store_true", help="also fail on equations not read")
    a.add_argument("--notation", type=_notation, action="append", default=[], metavar="SYMBOL=OP",
                   help="what an operator symbol means here, e.g. '\\otimes=xcorr' (repeatable)")
    a.add_argument("--obligations", metavar="MODULE_OR_FILE", default=None,
                   help="map what is not read to the obligations of this theorem module or file "
                        "by section (e.g. 'theorems', whose sources name sections such as §2.2)")
    caching.add_options(a)
    a.add_argument("--max-bytes", type=_bytes, default=None, metavar="N",
                   help="the largest document read (default: 2000000)")
    a.add_argument("-v", "--verbose", action="store_true", help="show every step's details")


def run(args) -> tuple[str, list[str], int]:
    from symconv.documents.audit import AuditOptions, DocumentError, audit
    from symconv.documents.source import MAX_BYTES
    from symconv.engine.sources import TheoremFileError
    from symconv.surfaces import audit_report
    from symconv.surfaces.files import output_problem

    problem = output_problem(args.output) if args.output is not None else None
    if problem is not None:
        return "", [f"symconv: error: -o/--output {problem}"], USAGE
    options = AuditOptions(timeout=args.timeout, format=args.input_format,
                           notation=dict(args.notation), obligations=args.obligations,
                           max_bytes=args.max_bytes or MAX_BYTES)
    cache = caching.open_cache(args)
    try:
        report = audit(args.document, options, cache)
    except DocumentError as exc:
        return "", [f"symconv: error: {exc}"], USAGE
    except TheoremFileError as exc:
        return "", [f"symconv: error: --obligations: {exc}"], USAGE
    try:
        if args.format == "json":
            out = audit_report.json_report(report)
        elif args.format == "markdown":
            out = audit_report.markdown(report)
        elif args.format == "html":
            out = audit_report.html_report(report)
        else:
            out = audit_report.text(report, verbose=args.verbose)
    except audit_report.HtmlUnavailable as exc:
        return "", [f"symconv: error: {exc}"], USAGE
    err: list[str] = []
    status = _status(report, args.strict)
    if args.output:
        from symconv.surfaces.files import write_atomically

        try:
            replaced = write_atomically(args.output, out if out.endswith("\n") else out + "\n")
        except OSError as exc:
            kept = "it is left as it was; " if Path(args.output).exists() else ""
            message = f"symconv: error: cannot write {args.output}: {exc.strerror or exc}; "
            return out, [message + kept + "the report follows on stdout"], (
                INTERNAL if status == INTERNAL else OUTPUT
            )
        note = f" (replaced the previous {replaced})" if replaced else ""
        out = f"{audit_report.headline(report)}; {args.format} report in {args.output}{note}"
    return out, err, status


def _internal_errors(value) -> bool:
    """Does the report (as data) hold a decision that an internal error ended?"""
    from symconv.results.result import INTERNAL_ERROR

    if isinstance(value, dict):
        reason = value.get("reason")
        if isinstance(reason, str) and reason.startswith(INTERNAL_ERROR + ":"):
            return True
        return any(_internal_errors(v) for v in value.values())
    if isinstance(value, list):
        return any(_internal_errors(v) for v in value)
    return False


def _status(report, strict: bool) -> int:
    if _internal_errors(report.to_dict()):
        return INTERNAL
    statuses = {item.status for item in report.items}
    if "fails" in statuses or (strict and ("not read" in statuses or report.problems)):
        return FAILED
    if "undecided" in statuses:
        return UNDECIDED
    return OK
