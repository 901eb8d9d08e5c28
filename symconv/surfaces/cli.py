"""The command line: ``python -m symconv prove | check | list | verify | audit``.

``main(argv)`` runs in-process and returns an :class:`ExitCode`; only this module prints.
"""

from __future__ import annotations

import argparse
import fnmatch
import itertools
import os
import shutil
import sys
from enum import IntEnum
from typing import Sequence

from symconv.surfaces import caching

__all__ = ["ExitCode", "main", "build_parser", "parse_arguments"]


class ExitCode(IntEnum):
    OK = 0  # prove: every verdict as expected; check: every statement proved
    FAILED = 1  # prove: a verdict differs from its expectation; check: something refuted
    USAGE = 2  # bad arguments or a statement that does not parse
    UNDECIDED = 3  # check: something ended unknown or only checked
    INTERNAL = 4  # an internal error ended a decision (reported as unknown); wins over 1-3
    OUTPUT = 5  # the --output file could not be written (the report went to stdout)
    INTERRUPTED = 130  # Ctrl-C


class _Parser(argparse.ArgumentParser):
    """argparse, but usage errors return ExitCode.USAGE through SystemExit(2)."""

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(ExitCode.USAGE, f"{self.prog}: error: {message}\n")


def _positive_seconds(text: str) -> float:
    from symconv.routes.budget import check_timeout

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    try:
        return check_timeout(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of jobs: {text!r}") from None
    if not 1 <= value <= 1024:
        raise argparse.ArgumentTypeError("the number of jobs must be between 1 and 1024")
    return value


PROVE_FORMATS = ("text", "json", "junit", "markdown", "latex")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="symconv",
        description=(
            "Verify the claims of lecture notes on convolution and cross-correlation: "
            "each is proved (with side conditions), refuted (with a replayed "
            "counterexample), or left unknown with the reason."
        ),
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    def common(p, formats=("text", "json")):
        p.add_argument(
            "--format",
            choices=formats,
            default="text",
            help="output format (default: text)",
        )
        p.add_argument(
            "--timeout",
            type=_positive_seconds,
            default=30.0,
            metavar="SECONDS",
            help="time budget per statement (default: 30)",
        )
        p.add_argument(
            "--plots",
            metavar="DIR",
            help="write one PNG per counterexample into DIR (both sides over x; a map near "
            "its point with the failing path; stem plots of sequences); needs matplotlib "
            "(pip install 'symconv[plot]')",
        )
        p.add_argument(
            "--certificates",
            metavar="DIR",
            help="write the certificate of each verdict into DIR, one JSON file per obligation "
            "(named after its id) or statement (statement-N.json); re-check them with "
            "'symconv verify DIR'",
        )

    p = sub.add_parser(
        "prove",
        help="decide the obligations of the notes and compare with the expected verdicts",
        description=(
            "Decide every obligation (or those whose id matches a TARGET; globs such as "
            "'xcorr.*' are allowed, and a plain word also selects ids starting with "
            "'word.'). A TARGET ending in .py or containing '/' is your own theorem file "
            "(a module-level OBLIGATIONS list); with files or --module, their obligations "
            "are decided instead of the notes'. Exit 0 when every verdict equals its "
            "expectation, 1 when any differs, 2 on a usage error, 4 when an internal error "
            "ended a decision (it is reported as unknown), 5 when --output cannot be written."
        ),
    )
    p.add_argument(
        "targets", nargs="*", metavar="TARGET", help="theorem files, obligation ids or globs"
    )
    _sources_options(p, "decide")
    caching.add_options(p)
    _scheduler_option(p)
    p.add_argument(
        "--allow-empty",
        action="store_true",
        help="succeed when the theorem files hold no obligation (by default an empty "
        "OBLIGATIONS list is an error, so that a CI gate with nothing in it fails)",
    )
    common(p, PROVE_FORMATS)
    p.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="write the report to FILE (stdout then gets the summary line); written whole or "
        "not at all: an existing FILE (or a symbolic link there) is replaced, never "
        "written through, and if it cannot be written the report goes to stdout (exit 5)",
    )
    p.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default=None,
        metavar="N",
        help=(
            "decide obligations in N worker processes (default: one per core, used only "
            "once the obligations prove slow; 1: all in this process)"
        ),
    )
    p.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="show side conditions, witnesses, reasons and errata under each row",
    )
    _explain_options(p)

    c = sub.add_parser(
        "check",
        help="decide your own statements",
        description=(
            "Decide statements such as 'xcorr(f, g) == conv(flip(f), g)' or the notes' "
            "'f⋆g = f⁻*g'. Exit 0 when all are proved, 1 when any is refuted, 3 when any "
            "ends unknown or checked, 2 when any is bad input (reported in its place; the "
            "others are still decided), 4 when an internal error ended a decision (it is "
            "reported as unknown)."
        ),
    )
    c.add_argument(
        "statements",
        nargs="+",
        metavar="STATEMENT",
        help="a statement such as 'f⋆g = g⋆f' (quote it); one that starts with '-' may "
        "follow '--'",
    )
    common(c)
    caching.add_options(c)
    _scheduler_option(c)
    _explain_options(c)

    ls = sub.add_parser("list", help="list the obligations", description="List the obligations.")
    ls.add_argument(
        "targets", nargs="*", metavar="TARGET", help="theorem files, obligation ids or globs"
    )
    _sources_options(ls, "list")
    ls.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="output format (default: text)",
    )

    v = sub.add_parser(
        "verify",
        help="re-check certificates written by --certificates or --format json",
        description=(
            "Re-check certificates with symconv's independent checker, which reads each file "
            "as data (never evaluating it) and re-verifies the verdict from it alone: the "
            "transform images and the kernel derivation of an identity, the exact values, "
            "interval enclosures and quadrature of a counterexample, the computations of a "
            "record. A FOLDER means every .json file in it. Exit 0 when every certificate "
            "is valid, 1 when any is invalid, 2 when any file cannot be read as a certificate."
        ),
    )
    v.add_argument("paths", nargs="+", metavar="FILE_OR_DIR", help="certificate files or folders of them")
    v.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
    )

    from symconv.surfaces import audit_cli

    audit_cli.add_parser(sub, _positive_seconds)
    return parser


def _sources_options(p, verb: str) -> None:
    p.add_argument(
        "--module",
        action="append",
        default=[],
        metavar="NAME",
        help=f"{verb} the obligations of an importable module (e.g. mypkg.theorems; repeatable)",
    )


def _scheduler_option(p) -> None:
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        default=None,
        help="decide on a Dask cluster (e.g. tcp://10.0.0.5:8786): one task per few "
        "obligations, each obligation still under its time budget, the tasks of a lost "
        "worker decided again (the report says so); needs pip install 'symconv[dask]' and "
        "workers that are not daemonic processes (DASK_DISTRIBUTED__WORKER__DAEMON=False)",
    )


def _explain_options(p) -> None:
    p.add_argument(
        "--explain",
        action="store_true",
        help="print the time-domain derivation of each statement: numbered steps in the notes' "
        "notation, each with its rule and side condition (or say that none was found)",
    )
    p.add_argument(
        "--explain-format",
        choices=("text", "markdown", "latex"),
        default="text",
        help="how --explain writes derivations (default: text)",
    )


def _select(obligations, targets: Sequence[str]):
    if not targets:
        return list(obligations), []
    chosen, unmatched = [], []
    for t in targets:
        hits = [
            ob
            for ob in obligations
            if fnmatch.fnmatchcase(ob.id, t) or ob.id.startswith(t + ".")
        ]
        if not hits:
            unmatched.append(t)
        chosen.extend(ob for ob in hits if ob not in chosen)
    order = {ob.id: i for i, ob in enumerate(obligations)}
    return sorted(chosen, key=lambda ob: order[ob.id]), unmatched


def _out(text: str) -> None:
    _write(sys.stdout, text + "\n")


def _write_pieces(pieces) -> None:
    """A report on stdout, piece by piece (it ends with its newline)."""
    for piece in pieces:
        _write(sys.stdout, piece)


def _err(text: str) -> None:
    _write(sys.stderr, text + "\n")


def _write(stream, text: str) -> None:
    """Write, or, when the reader has gone (a closed pipe), write nothing more: the exit
    status still says what was decided, so a closed pipe never turns a failure into 0."""
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        _discard(stream)


def _discard(stream) -> None:
    """Point a broken stream at /dev/null, so that nothing more (not even the flush at
    exit) fails on it."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # not a real file (e.g. under pytest)
        pass


def _load(args):
    """(sources, selected obligations), or an ExitCode after saying what is wrong."""
    from symconv.engine.sources import TheoremFileError, looks_like_module, resolve

    if args.module and os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())  # modules of the current folder, as python -m
    try:
        sources, everything, patterns = resolve(args.targets, args.module)
    except TheoremFileError as exc:
        _err(f"symconv: error: {exc}")
        return ExitCode.USAGE
    obligations, unmatched = _select(everything, patterns)
    if unmatched:
        hint = [t for t in unmatched if looks_like_module(t)]
        more = f" (for a theorem module, use --module {hint[0]})" if hint else ""
        near = [ob.id for t in unmatched for ob in everything if t in ob.id.split(".")]
        if near and not more:
            shown = ", ".join(near[:6]) + (", …" if len(near) > 6 else "")
            more = f" (ids with that part: {shown})"
        _err(f"symconv: error: no obligation matches {', '.join(map(repr, unmatched))}{more}")
        return ExitCode.USAGE
    return sources, obligations


class _Progress:
    """``[12/40] conv.assoc proved`` on one line of a terminal, rewritten in place."""

    def __init__(self, stream):
        self.stream = stream
        self.width = max(20, shutil.get_terminal_size((80, 24)).columns - 1)

    def __call__(self, done, total, outcome) -> None:
        line = f"[{done}/{total}] {outcome.obligation.id} {outcome.result.verdict.value}"
        self.stream.write("\r\x1b[K" + line[: self.width])
        self.stream.flush()

    def clear(self) -> None:
        self.stream.write("\r\x1b[K")
        self.stream.flush()


def _progress(args):
    """A progress line for people at a terminal; none in CI logs, files or pipes."""
    if args.format != "text" or not sys.stderr.isatty():
        return None
    if os.environ.get("CI") or os.environ.get("TERM") == "dumb":
        return None
    return _Progress(sys.stderr)


def _cmd_prove(args) -> ExitCode:
    from symconv.engine.runner import RunnerError, run
    from symconv.surfaces import export, report
    from symconv.surfaces.files import write_atomically

    if args.output is not None and not _output_ready(args.output):
        return ExitCode.USAGE
    loaded = _load(args)
    if isinstance(loaded, ExitCode):
        return loaded
    sources, obligations = loaded
    if not obligations and not args.allow_empty:
        _err(
            f"symconv: error: nothing to decide: {', '.join(map(str, sources))} holds no "
            "obligation (an empty OBLIGATIONS list); pass --allow-empty if that is intended"
        )
        return ExitCode.USAGE
    if not _plots_ready(args):
        return ExitCode.USAGE
    progress = _progress(args)
    cache = caching.open_cache(args)
    try:
        done = run(
            obligations, sources=sources, jobs=args.jobs, timeout=args.timeout,
            on_outcome=progress, cache=cache, scheduler=args.scheduler,
        )
    except RunnerError as exc:
        _err(f"symconv: error: {exc}")
        return ExitCode.USAGE
    finally:
        if progress is not None:
            progress.clear()
    outcomes, seconds = list(done.outcomes), done.seconds
    if args.format == "json":  # written piece by piece: a library's report is never held whole
        stats = cache.stats() if cache else None

        def pieces():
            return itertools.chain(report.prove_json_pieces(outcomes, seconds, stats, done.notes), ["\n"])
    elif args.format == "text":
        text = report.prove_text(outcomes, seconds, verbose=args.verbose) + caching.summary(cache)
        text += "".join(f"\nnote: {note}" for note in done.notes)
        if args.explain:
            text = report.explain_outcomes(outcomes, args.explain_format, args.timeout) + "\n\n" + text
    else:
        text = export.FORMATS[args.format](outcomes, seconds)
    if args.format != "json":
        def pieces(text=text.rstrip("\n") + "\n"):
            return iter([text])
    code = ExitCode.OK if done.as_expected else ExitCode.FAILED
    faults = [o.obligation.id for o in outcomes if o.result.error]
    if faults:
        code = ExitCode.INTERNAL
        _report_faults(faults)
    if args.output:
        try:
            replaced = write_atomically(args.output, pieces())
        except OSError as exc:
            _err(
                f"symconv: error: cannot write {args.output}: {exc.strerror or exc}; "
                f"{'it is left as it was; ' if os.path.lexists(args.output) else ''}"
                "the report follows on stdout"
            )
            _write_pieces(pieces())
            return ExitCode.INTERNAL if code is ExitCode.INTERNAL else ExitCode.OUTPUT
        note = f" (replaced the previous {replaced})" if replaced else ""
        _out(f"{export.headline(outcomes, seconds)}; {args.format} report in {args.output}{note}")
    else:
        _write_pieces(pieces())
    _write_plots(args, [(o.obligation.id, o.result) for o in outcomes])
    if not _write_certificates(args, [(o.obligation.id, o.result) for o in outcomes]):
        return ExitCode.INTERNAL if code is ExitCode.INTERNAL else ExitCode.OUTPUT
    return code


def _report_faults(names) -> None:
    """One line on stderr when an internal error ended some decisions (exit code 4)."""
    if names:
        shown = ", ".join(names[:5]) + (", …" if len(names) > 5 else "")
        what = "decision" if len(names) == 1 else "decisions"
        _err(
            f"symconv: an internal error ended {len(names)} {what} ({shown}), reported as "
            "unknown; --format json has the traceback"
        )


def _output_ready(path: str) -> bool:
    """Refuse, before anything is decided, an --output that can never be written."""
    from symconv.surfaces.files import output_problem

    problem = output_problem(path)
    if problem is not None:
        _err(f"symconv: error: -o/--output {problem}")
        return False
    return True


def _cmd_check(args) -> ExitCode:
    from symconv.engine.prove import as_statement, prove
    from symconv.language.parser import ParseError
    from symconv.results.result import Verdict
    from symconv.surfaces import report

    # a statement that does not parse is reported in its place; the others are decided
    items = []
    for text in (t.strip() for t in args.statements):
        try:
            as_statement(text)
            items.append(text)
        except ParseError as exc:
            shown = text if len(text) <= 60 else text[:57] + "..."
            _err(f"symconv: error: in {shown!r}: {exc}")
            items.append(report.InputError(text, str(exc), exc.column))
        except Exception:  # not the input's fault: prove() reports it as an internal error
            items.append(text)
    if not _plots_ready(args):
        return ExitCode.USAGE
    bad = [item for item in items if isinstance(item, report.InputError)]
    cache = caching.open_cache(args)
    notes: tuple[str, ...] = ()
    if args.scheduler is not None:
        decided = _check_on_dask(args, [i for i in items if isinstance(i, str)], cache)
        if isinstance(decided, ExitCode):
            return decided
        by_text, notes = decided
        results = [item if isinstance(item, report.InputError) else by_text.pop(0)
                   for item in items]
    else:
        from symconv.engine.prove import once_per_run

        with once_per_run():  # `check "A = B" "A != B"` decides A = B once
            results = [
                item if isinstance(item, report.InputError)
                else prove(item, timeout=args.timeout, explain=bool(args.explain), cache=cache)
                for item in items
            ]
    style = args.explain_format if args.explain else None
    text = report.check_json(results) if args.format == "json" else report.check_text(results, style)
    _out(text + "".join(f"\nnote: {n}" for n in notes) if args.format != "json" else text)
    for note in notes if args.format == "json" else ():
        _err(f"symconv: note: {note}")
    decided = {i: r for i, r in enumerate(results) if not isinstance(r, report.InputError)}
    _write_plots(args, [(f"statement-{i + 1}", r) for i, r in decided.items()])
    written = _write_certificates(args, [(f"statement-{i + 1}", r) for i, r in decided.items()])
    verdicts = {r.verdict for r in decided.values()}
    faults = [f"statement {i + 1}" for i, r in decided.items() if r.error]
    if faults:
        _report_faults(faults)
        return ExitCode.INTERNAL
    if not written:
        return ExitCode.OUTPUT
    if bad:
        return ExitCode.USAGE
    if Verdict.REFUTED in verdicts:
        return ExitCode.FAILED
    if verdicts & {Verdict.UNKNOWN, Verdict.CHECKED}:
        return ExitCode.UNDECIDED
    return ExitCode.OK


def _check_on_dask(args, texts: list[str], cache):
    """The statements of ``check`` decided on a Dask cluster: (results in order, notes)."""
    from symconv.engine.obligation import Obligation
    from symconv.engine.runner import RunnerError, run

    obligations = [Obligation(f"statement-{i + 1}", text, "proved") for i, text in enumerate(texts)]
    try:
        done = run(obligations, jobs=1, timeout=args.timeout, cache=cache, scheduler=args.scheduler)
    except RunnerError as exc:
        _err(f"symconv: error: {exc}")
        return ExitCode.USAGE
    return [o.result.echoing(o.obligation.statement) for o in done.outcomes], done.notes


def _cmd_list(args) -> ExitCode:
    from symconv.surfaces import report

    loaded = _load(args)
    if isinstance(loaded, ExitCode):
        return loaded
    _, obligations = loaded
    _out(report.list_json(obligations) if args.format == "json" else report.list_text(obligations))
    return ExitCode.OK


def _write_certificates(args, named_results) -> bool:
    """With --certificates DIR, one file per verdict; say how many (False if DIR fails)."""
    if not getattr(args, "certificates", None):
        return True
    from symconv.surfaces.verify import write_certificates

    try:
        written, without = write_certificates(args.certificates, named_results)
    except OSError as exc:
        _err(f"symconv: error: --certificates: cannot write into {args.certificates!r}: {exc.strerror or exc}")
        return False
    note = f"; none for {len(without)} (unknown): {', '.join(without)}" if without else ""
    _err(f"symconv: wrote {len(written)} certificate(s) to {args.certificates}{note}")
    return True


def _cmd_verify(args) -> ExitCode:
    import json

    from symconv.surfaces.formatting import ms
    from symconv.surfaces.verify import verify_paths

    outcomes = verify_paths(args.paths)
    if args.format == "json":
        _out(json.dumps([o.to_dict() for o in outcomes], ensure_ascii=False, indent=2))
    else:
        for o in outcomes:
            if o.status == "valid":
                _out(f"valid       {o.path}: {o.kind}, {o.verdict}: {o.statement} ({ms(o.seconds)})")
            else:
                _out(f"{o.status:<11} {o.path}: {o.reason}")
        counts = {s: sum(o.status == s for o in outcomes) for s in ("valid", "invalid", "unreadable")}
        _out(f"{len(outcomes)} certificate file(s): " + ", ".join(f"{n} {s}" for s, n in counts.items() if n))
    if any(o.status == "unreadable" for o in outcomes):
        return ExitCode.USAGE
    if any(o.status == "invalid" for o in outcomes):
        return ExitCode.FAILED
    return ExitCode.OK


def _cmd_audit(args) -> ExitCode:
    from symconv.surfaces import audit_cli

    out, errors, status = audit_cli.run(args)
    for line in errors:
        _err(line)
    if out:
        _out(out.rstrip("\n"))
    return ExitCode(status)


def _plots_ready(args) -> bool:
    """With --plots, check that matplotlib is there and DIR can be made (else say why)."""
    if not getattr(args, "plots", None):
        return True
    from symconv.surfaces import plot

    try:
        plot.require()
    except plot.PlotsUnavailable as exc:
        _err(f"symconv: error: --plots: {exc}")
        return False
    from pathlib import Path

    try:
        Path(args.plots).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _err(f"symconv: error: --plots: cannot create {args.plots!r}: {exc}")
        return False
    return True


def _write_plots(args, named_results) -> None:
    if not getattr(args, "plots", None):
        return
    from pathlib import Path

    from symconv.surfaces import plot

    written, skipped = [], []
    for name, result in named_results:
        if result.witness is None:
            continue  # not a counterexample
        reason = plot.why_not(result)
        if reason is not None:
            skipped.append(f"{name} ({reason})")
            continue
        path = Path(args.plots) / f"{plot.file_stem(name)}.png"
        written.append(plot.plot_result(result, path))
    note = f"; no plot for {len(skipped)}: {', '.join(skipped)}" if skipped else ""
    _err(f"symconv: wrote {len(written)} plot(s) to {args.plots}{note}")


_COMMANDS = {
    "prove": _cmd_prove,
    "check": _cmd_check,
    "list": _cmd_list,
    "verify": _cmd_verify,
    "audit": _cmd_audit,
}


def parse_arguments(parser: argparse.ArgumentParser, argv: Sequence[str]) -> argparse.Namespace:
    """Options and targets in any order (``prove xcorr -v comm``), with the subcommand's
    usage in its errors; a ``check`` statement that starts with '-' (``-h*g = g*h``) is a
    statement, not an option."""
    argv = list(argv)
    commands = next(
        a for a in parser._actions if isinstance(a, argparse._SubParsersAction)
    ).choices
    if not argv or argv[0] not in commands:
        return parser.parse_args(argv)  # --help, or no (or an unknown) command
    command, rest = argv[0], argv[1:]
    sub = commands[command]
    if command == "check":
        rest = _statements_are_not_options(sub, rest)
    args = sub.parse_intermixed_args(rest)
    args.command = command
    return args


def _statements_are_not_options(parser: argparse.ArgumentParser, argv: list[str]) -> list[str]:
    """Mark each argument that begins with '-' but is a statement as a positional, by a
    leading space that the statement parser skips: every argument after ``--``, and before
    it one that has a relation and is not an option (``-h*g = g*h``, not ``--format=json``).
    (``parse_intermixed_args`` itself loses the meaning of ``--``.)"""
    options = parser._option_string_actions
    out, positional_only = [], False
    for arg in argv:
        if arg == "--" and not positional_only:
            positional_only = True
            continue
        statement = positional_only or (
            not arg.startswith("--")
            and arg not in options
            and arg.split("=", 1)[0] not in options
            and any(r in arg for r in ("=", "≠"))
        )
        out.append(" " + arg if statement and arg.startswith("-") else arg)
    return out


def main(argv: Sequence[str] | None = None) -> ExitCode:
    parser = build_parser()
    try:
        args = parse_arguments(parser, sys.argv[1:] if argv is None else argv)
    except SystemExit as exc:  # --help (0) or a usage error (2)
        return ExitCode(exc.code if isinstance(exc.code, int) else ExitCode.USAGE)
    try:
        return _COMMANDS[args.command](args)
    except KeyboardInterrupt:
        _err("symconv: interrupted")
        return ExitCode.INTERRUPTED
    except BrokenPipeError:  # a write not made through _out/_err: the result is unknown
        _discard(sys.stdout)
        return ExitCode.INTERNAL
