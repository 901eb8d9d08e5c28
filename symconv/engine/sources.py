"""Where obligations come from: the built-in theorems, a user's theorem file, a module.

A theorem file is a Python file with a module-level list::

    from symconv import Obligation

    OBLIGATIONS = [
        Obligation("mine.swap", "xcorr(g, f) == flip(xcorr(f, g))", expect="proved"),
    ]

Loading a theorem file executes it, as ``python file.py`` or pytest's collection would:
it is the user's own code, run at their explicit request. The statements inside are
still read by the safe parser (:mod:`symconv.language.parser`), never by ``eval``.

A :class:`Source` is a small picklable description (a kind and a location), so that a
worker process can load the same obligations again by itself (see :mod:`symconv.engine.prove.runner`)
instead of receiving pickled claim objects.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import os
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from symconv.engine.obligation import DuplicateObligation, Obligation, collect

__all__ = [
    "BUILTIN_MODULE",
    "Source",
    "TheoremFileError",
    "builtin",
    "from_file",
    "from_module",
    "given",
    "is_file_target",
    "load",
    "looks_like_module",
    "resolve",
    "validate",
]

#: The package that holds the notes' obligations.
BUILTIN_MODULE = "theorems"


class TheoremFileError(Exception):
    """A theorem file or module cannot be used; the message is one line for the user."""


@dataclass(frozen=True)
class Source:
    """Where a list of obligations comes from.

    ``kind`` is ``"module"`` (``location`` a dotted module name), ``"file"``
    (``location`` an absolute path) or ``"given"`` (the obligations themselves, in
    ``obligations``; used by the Python API).
    """

    kind: str
    location: str
    obligations: tuple[Obligation, ...] = ()

    def __post_init__(self):
        if self.kind not in ("module", "file", "given"):
            raise ValueError(f"unknown kind of source: {self.kind!r}")

    def load(self, check: bool = True) -> tuple[Obligation, ...]:
        """The obligations, checked (see :func:`validate`); raises TheoremFileError.

        ``check=False`` skips reading every statement (a worker process does that: the
        parent has checked the same file already, and each statement is read again when
        it is decided).
        """
        if self.kind == "given":
            obligations = self.obligations
        elif self.kind == "file":
            obligations = _obligations_of(_exec_file(Path(self.location)), str(self))
        else:
            obligations = _obligations_of(_import_module(self.location), str(self))
        if check:
            return validate(obligations, where=str(self))
        return _collect(obligations, where=str(self))

    def __str__(self) -> str:
        if self.kind == "file":
            return _display_path(Path(self.location))
        return self.location


def builtin() -> Source:
    """The notes' own obligations (the ``theorems`` package)."""
    return Source("module", BUILTIN_MODULE)


def from_file(path: str | os.PathLike) -> Source:
    return Source("file", str(Path(path).resolve()))


def from_module(name: str) -> Source:
    return Source("module", name)


def given(obligations: Sequence[Obligation], where: str = "the given obligations") -> Source:
    return Source("given", where, tuple(obligations))


def is_file_target(target: str) -> bool:
    """A command-line TARGET names a theorem file when it ends in ``.py`` or has a ``/``.

    Everything else is an obligation id or glob (ids never contain ``/``; a module is
    named with ``--module``, since ``mine.theorems`` could as well be an id).
    """
    return target.endswith(".py") or "/" in target or os.sep in target


def load(target: str | os.PathLike) -> tuple[Obligation, ...]:
    """Obligations from a theorem file (a path) or a module (a dotted name)."""
    if isinstance(target, os.PathLike) or is_file_target(str(target)):
        return from_file(target).load()
    return from_module(str(target)).load()


def resolve(
    targets: Sequence[str], modules: Sequence[str] = ()
) -> tuple[tuple[Source, ...], tuple[Obligation, ...], list[str]]:
    """Split command-line TARGETs into theorem files and id patterns, and load.

    Returns the sources (the built-in theorems when no file or module is named), all
    their obligations (ids unique across sources) and the id patterns left to select.
    """
    files = [t for t in targets if is_file_target(t)]
    patterns = [t for t in targets if not is_file_target(t)]
    sources = tuple(from_file(f) for f in files) + tuple(from_module(m) for m in modules)
    if not sources:
        sources = (builtin(),)
    owner: dict[str, Source] = {}
    obligations: list[Obligation] = []
    for source in sources:
        for ob in source.load():
            if ob.id in owner:
                raise TheoremFileError(
                    f"duplicate obligation id {ob.id!r} (in {owner[ob.id]} and {source})"
                )
            owner[ob.id] = source
            obligations.append(ob)
    return sources, tuple(obligations), patterns


def looks_like_module(target: str) -> bool:
    """``mine.theorems``: a pattern that may have been meant as a module name."""
    parts = target.split(".")
    return len(parts) > 1 and all(p.isidentifier() for p in parts)


# --------------------------------------------------------------------------- loading


def _display_path(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _module_name(path: Path) -> str:
    """A stable module name per file, unlikely to shadow anything importable."""
    digest = hashlib.sha1(str(path).encode("utf-8")).hexdigest()[:10]
    stem = "".join(c if c.isalnum() else "_" for c in path.stem)
    return f"_symconv_theorems_{stem}_{digest}"


def _exec_file(path: Path):
    shown = _display_path(path)
    if not path.exists():
        raise TheoremFileError(f"{shown}: no such file")
    if not path.is_file():
        raise TheoremFileError(f"{shown}: not a file")
    if path.suffix != ".py":
        raise TheoremFileError(f"{shown}: a theorem file is a Python file ending in .py")
    _check_source(path, shown)
    name = _module_name(path)
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise TheoremFileError(f"{shown}: cannot be loaded as a Python module")
    module = importlib.util.module_from_spec(spec)
    # Like running the file as a script: its folder is importable (for its helpers),
    # and the module is registered so that classes defined in it pickle and dataclasses
    # can resolve it while it executes.
    folder = str(path.parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except SyntaxError as exc:
        del sys.modules[name]
        where = f"{shown}:{exc.lineno}" if exc.lineno else shown
        raise TheoremFileError(f"{where}: syntax error: {exc.msg}") from exc
    except SystemExit as exc:  # sys.exit() in the file is an error of the file, not an exit
        del sys.modules[name]
        raise TheoremFileError(
            f"{_where_in(exc, path, shown)}: the file called sys.exit({exc.code!r}) while "
            "loading; a theorem file only defines OBLIGATIONS"
        ) from exc
    except Exception as exc:  # the user's own code failed while loading: say where
        del sys.modules[name]
        raise TheoremFileError(f"{_where_in(exc, path, shown)}: {_one_line(exc)}") from exc
    return module


def _check_source(path: Path, shown: str) -> None:
    """A theorem file is Python source text: not binary, in its declared encoding."""
    import tokenize

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise TheoremFileError(f"{shown}: cannot be read: {exc.strerror or exc}") from exc
    try:
        encoding, _ = tokenize.detect_encoding(iter(data.splitlines(keepends=True)).__next__)
        text = data.decode(encoding)
    except (SyntaxError, LookupError, UnicodeDecodeError):
        text = None
    if text is None or "\0" in text:
        raise TheoremFileError(f"{shown}: not a Python source file (binary or not valid text)")


def _import_module(name: str):
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and (name == exc.name or name.startswith(exc.name + ".")):
            raise TheoremFileError(f"no module named {name!r}") from exc
        raise TheoremFileError(f"{name}: {_one_line(exc)}") from exc
    except SyntaxError as exc:
        raise TheoremFileError(f"{exc.filename}:{exc.lineno}: syntax error: {exc.msg}") from exc
    except SystemExit as exc:
        raise TheoremFileError(
            f"{name}: the module called sys.exit({exc.code!r}) while importing"
        ) from exc
    except Exception as exc:  # the module's own code failed while importing
        raise TheoremFileError(f"{name}: {_one_line(exc)}") from exc


def _where_in(exc: BaseException, path: Path, shown: str) -> str:
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename and Path(frame.filename) == path:
            line = frame.lineno
    return f"{shown}:{line}" if line else shown


def _one_line(exc: BaseException) -> str:
    message = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _obligations_of(module, shown: str) -> Any:
    if hasattr(module, "OBLIGATIONS"):
        return module.OBLIGATIONS
    make = getattr(module, "all_obligations", None)
    if callable(make):
        return make()
    raise TheoremFileError(
        f"{shown}: no OBLIGATIONS list (define OBLIGATIONS = [Obligation(...), ...])"
    )


# --------------------------------------------------------------------------- checking


def _collect(obligations: Any, where: str) -> tuple[Obligation, ...]:
    """A list of Obligation with unique ids, or a one-line TheoremFileError."""
    if not isinstance(obligations, (list, tuple)):
        raise TheoremFileError(
            f"{where}: OBLIGATIONS must be a list of Obligation, not {type(obligations).__name__}"
        )
    for i, ob in enumerate(obligations):
        if not isinstance(ob, Obligation):
            raise TheoremFileError(
                f"{where}: OBLIGATIONS[{i}] is a {type(ob).__name__}, not an Obligation"
            )
    try:
        return collect(obligations)
    except DuplicateObligation as exc:
        raise TheoremFileError(f"{where}: {exc}") from exc


def validate(obligations: Any, where: str) -> tuple[Obligation, ...]:
    """Check a list of obligations before anything is decided.

    Every item is an :class:`Obligation`, ids are unique, and every statement can be
    read: text parses (with the safe parser), terms form a statement, or the object is a
    claim with ``decide(budget)``. A bad list raises :class:`TheoremFileError` naming
    the obligation, so that a typo in a theorem file is a usage error, not a verdict.
    """
    from symconv.engine.prove import as_statement, is_claim
    from symconv.language.parser import ParseError
    from symconv.language.terms import TermError

    checked = _collect(obligations, where)
    for ob in checked:
        statement = ob.statement
        if isinstance(statement, bool):
            raise TheoremFileError(
                f"{where}: obligation {ob.id!r}: the statement is the bool {statement}; "
                "Python's == compares terms as trees, so write the statement as text, "
                "sympy.Eq(lhs, rhs) or Statement(lhs, rhs)"
            )
        if is_claim(statement):
            continue
        try:
            as_statement(statement)
        except ParseError as exc:
            raise TheoremFileError(f"{where}: obligation {ob.id!r}: {exc}") from exc
        except (TermError, TypeError) as exc:
            raise TheoremFileError(f"{where}: obligation {ob.id!r}: {_one_line(exc)}") from exc
    return checked
