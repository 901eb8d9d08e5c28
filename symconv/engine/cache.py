"""Verdicts kept between runs — by ``prove``, ``check`` and ``audit`` alike — and reused only
once the independent checker has re-verified their certificates.

One JSON file per decision, ``<folder>/verdicts/<ab>/<key>.json`` (the folder beside the
project, ``.symconv_cache`` by default, like pytest's ``.pytest_cache``; the environment
variable ``SYMCONV_CACHE_DIR`` moves it). ``key`` is the SHA-256 of

* the normalized statement: its group, the term trees both sides parse to (``srepr``, so spacing,
  glyphs and ``xcorr(f, g)`` against ``f⋆g`` do not matter) and the relation; for a claim
  object of symconv's own classes, its class and fields in the same canonical form;
* the options that can change a verdict (the time budget);
* symconv's version and a digest of its source code (:func:`code_version`): a changed
  engine decides again.

**Nothing is reused on trust.** An entry is reused only when every one of these holds:
it is the entry of this key and this statement, its verdict is ``proved``, ``refuted`` or
``checked`` (an ``unknown`` is always decided again), it carries the certificate of that
verdict, the certificate is about this very statement (its claim read back is the
statement, so an entry moved to another key is refused), and the verdict, made again by the
one maker of verdicts (:func:`symconv.routes.verdicts.issue`), passes the independent
checker like any other. A caller may add a filter of its own (``verify``: a function from a
certificate to :class:`Verification`); :func:`verify_certificate` is the checker as such a
function. A refused entry is decided again and overwritten.

Writes are atomic (a temporary file in the same folder, then ``os.replace``): concurrent
runs and worker processes never read half an entry. The cache is bounded: at most
:data:`MAX_ENTRIES` entries and :data:`MAX_TOTAL_BYTES` bytes (the least recently used
go first), entries larger than :data:`MAX_ENTRY_BYTES` are neither written nor read. A
cache that cannot be read or written never stops a run: what went wrong is in
:attr:`VerdictCache.errors`.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

from symconv.results.certificate import Certificate, CertificateError
from symconv.results.conditions import SideCondition
from symconv.results.result import EvidenceError, Result, Verdict, Witness

__all__ = [
    "DEFAULT_FOLDER",
    "ENVIRONMENT",
    "MAX_ENTRIES",
    "MAX_ENTRY_BYTES",
    "MAX_TOTAL_BYTES",
    "SCHEMA",
    "VerdictCache",
    "Verification",
    "code_version",
    "default_folder",
    "normalized",
    "verify_certificate",
]

DEFAULT_FOLDER = ".symconv_cache"
#: The environment variable that moves the default folder (as ``--cache-dir`` does).
ENVIRONMENT = "SYMCONV_CACHE_DIR"
SCHEMA = 3  # 3: the key names the group
#: Entries larger than this are neither written nor read back (a corrupted or hostile file).
MAX_ENTRY_BYTES = 1_000_000
#: At most this many entries; past it the least recently used go, down to 90 %.
MAX_ENTRIES = 50_000
#: At most this many bytes of entries; past it the least recently used go, down to 90 %.
MAX_TOTAL_BYTES = 256_000_000
_SUBFOLDER = "verdicts"
#: Verdicts that rest on evidence; only these are ever reused.
_REUSABLE = (Verdict.PROVED.value, Verdict.REFUTED.value, Verdict.CHECKED.value)


@dataclasses.dataclass(frozen=True)
class Verification:
    """What the verification hook says about one certificate."""

    ok: bool
    why: str = ""


def verify_certificate(certificate: Any) -> Verification:
    """The one verification hook of the cache: may the verdict this certificate supports
    be reused? Every path that reuses a verdict (``prove``, ``check``, ``audit``) goes
    through this function and through nothing else: the independent checker
    (:mod:`symconv.trusted.checker`) re-verifies the certificate from its data alone.
    """
    if not isinstance(certificate, dict):
        return Verification(False, "the entry carries no certificate")
    from symconv.trusted.checker import check

    report = check(certificate)
    if not report.valid:
        return Verification(False, f"the checker refused the certificate: {report.reason}")
    return Verification(True, f"{report.kind} certificate re-verified")


def _about(certificate: dict, statement) -> bool:
    """Whether a certificate of the term language is about this very statement (its claim,
    read back, is the statement's term trees); claims outside the language are bound to
    their subject by the checker and to the statement's text by the entry, and a claim that
    only checks examples (``RECORD_VERDICTS``) to the verdicts such a check can reach: the
    checker tells 'refuted' from the others by the record's entries, but not 'proved' from
    'checked' when every entry is exact."""
    from symconv.language.terms import Statement
    from symconv.trusted.codec import CodecError, Decoder

    allowed = getattr(type(statement), "RECORD_VERDICTS", None)
    if certificate.get("kind") == "record" and allowed is not None:
        return certificate.get("verdict") in allowed
    if certificate.get("kind") not in ("fourier", "counterexample") or not isinstance(statement, Statement):
        return True
    try:
        return Decoder().statement(certificate.get("claim")) == statement
    except CodecError:
        return False


@functools.lru_cache(maxsize=1)
def code_version() -> str:
    """The symconv version and a digest of its source: a changed engine decides again."""
    import sys

    # the package is loaded whenever one of its modules is (and reading it there costs
    # nothing, where asking the installed distribution's metadata costs tens of ms)
    version = getattr(sys.modules.get("symconv"), "__version__", "unknown")
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return f"{version}+{digest.hexdigest()[:16]}"


def default_folder() -> str:
    return os.environ.get(ENVIRONMENT) or DEFAULT_FOLDER


class _NotKeyable(Exception):
    """A value with no canonical text (a claim holding an arbitrary object)."""


def normalized(statement) -> str | None:
    """The canonical text of a statement (a :class:`~symconv.language.terms.Statement`)
    or of a claim object of symconv's own classes; None for what cannot be keyed (a
    claim of a user's class: it is decided every time)."""
    from symconv.language.terms import Statement

    if isinstance(statement, Statement):
        return json.dumps(["statement", str(statement.group), _canonical(statement.lhs),
                           _canonical(statement.rhs), statement.negated])
    cls = type(statement)
    module = getattr(cls, "__module__", "") or ""
    if not (module == "symconv" or module.startswith("symconv.")):
        return None
    try:
        return json.dumps(["claim", _canonical(statement)])
    except _NotKeyable:
        return None


def _canonical(value, depth: int = 0):
    """JSON data that determines ``value``: SymPy objects by ``srepr`` (which keeps the
    assumptions of symbols), symconv's dataclasses by class and fields."""
    import sympy as sp

    if depth > 200:
        raise _NotKeyable("nested too deep")
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return ["float", value.hex()]
    if isinstance(value, sp.Basic):
        return ["sympy", sp.srepr(value)]
    if isinstance(value, (tuple, list)):
        return [type(value).__name__, [_canonical(v, depth + 1) for v in value]]
    if isinstance(value, (frozenset, set)):
        items = sorted(json.dumps(_canonical(v, depth + 1)) for v in value)
        return ["set", items]
    if isinstance(value, dict):
        items = sorted((json.dumps(_canonical(k, depth + 1)), _canonical(v, depth + 1))
                       for k, v in value.items())
        return ["dict", items]
    cls = type(value)
    module = getattr(cls, "__module__", "") or ""
    if dataclasses.is_dataclass(value) and (module == "symconv" or module.startswith("symconv.")):
        fields = [(f.name, _canonical(getattr(value, f.name), depth + 1))
                  for f in dataclasses.fields(value)]
        return [f"{module}.{cls.__qualname__}", fields]
    raise _NotKeyable(f"{cls.__name__} has no canonical form")


class VerdictCache:
    """A folder of verdicts; see the module docstring. ``verify`` is the hook that
    may refuse a certificate before the checker sees it (by default nothing more than the checker).
    """

    def __init__(self, folder: str | os.PathLike | None = None, *, options: dict,
                 version: str | None = None,
                 verify: Callable[[Any], Verification] | None = None,
                 max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_TOTAL_BYTES):
        self.root = Path(folder if folder is not None else default_folder())
        self.folder = self.root / _SUBFOLDER
        self.options = dict(options)
        self._version = version
        self.verify = verify
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.hits = 0
        self.misses = 0
        self.rejected = 0
        self.written = 0
        #: why entries were not reused, most frequent first (see :meth:`stats`)
        self.refusals: dict[str, int] = {}
        self.errors: list[str] = []
        self._size: tuple[int, int] | None = None  # (entries, bytes), counted on first write

    @property
    def version(self) -> str:
        """The version in the keys: :func:`code_version` unless given (computed on first use)."""
        if self._version is None:
            self._version = code_version()
        return self._version

    # ------------------------------------------------------------------------ keys

    def key(self, statement) -> str | None:
        try:
            text = normalized(statement)
        except Exception:  # e.g. a statement too deep to print: decided, never kept
            return None
        if text is None:
            return None
        data = json.dumps({"statement": text, "options": self.options, "version": self.version,
                           "schema": SCHEMA}, sort_keys=True)
        return hashlib.sha256(data.encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    # ------------------------------------------------------------------------ reading

    def get(self, statement) -> Result | None:
        """The cached result for ``statement``, only when its certificate is re-verified
        (see the module docstring); else None, and the statement is to be decided."""
        result, event = self.lookup(statement)
        self.count(event)
        return result

    def lookup(self, statement) -> tuple[Result | None, tuple[str, str]]:
        """:meth:`get` without counting: (the result or None, what happened), the event
        ``("hit", why)``, ``("miss", "")`` or ``("refused", why)``. A worker process looks up
        and its parent counts the event (:meth:`count`): the re-verification, the costly
        part, runs in parallel, the report's figures stay the parent's."""
        start = time.perf_counter()
        key = self.key(statement)
        if key is None:
            return None, ("miss", "")
        path = self._path(key)
        try:
            if path.stat().st_size > MAX_ENTRY_BYTES:
                return None, ("refused", "the entry is too large")
            entry = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None, ("miss", "")
        except (OSError, ValueError, RecursionError) as exc:  # nested too deep for json too
            return None, ("refused", f"unreadable entry: {type(exc).__name__}")
        try:
            result, why = self._accept(entry, key, statement)
        except Exception as exc:  # whatever a broken entry does, it is decided again
            return None, ("refused", f"the entry does not make a result: {type(exc).__name__}")
        if result is None:
            return None, ("refused", why)
        try:
            os.utime(path)  # recently used: evicted last
        except OSError:
            pass
        note = f"reused from the cache: its certificate was re-verified ({why})"
        details = {**result.details, "cache": note}
        return dataclasses.replace(result, details=details,
                                   seconds=time.perf_counter() - start), ("hit", why)

    def count(self, event: tuple[str, str]) -> None:
        """Count what a :meth:`lookup` (here or in a worker process) found."""
        kind, why = event
        if kind == "hit":
            self.hits += 1
        elif kind == "miss":
            self.misses += 1
        elif kind == "refused":
            self.rejected += 1
            self.refusals[why] = self.refusals.get(why, 0) + 1
        else:
            raise ValueError(f"not a cache event: {event!r}")

    def _accept(self, entry, key: str, statement) -> tuple[Result | None, str]:
        """(the result, what the hook said) when the entry may be reused, else (None, why)."""
        if not isinstance(entry, dict) or entry.get("schema") != SCHEMA or entry.get("key") != key:
            return None, "not an entry of this key"
        if entry.get("statement") != _text(statement):
            return None, "the entry is for another statement"
        data = entry.get("result")
        if not isinstance(data, dict) or data.get("verdict") not in _REUSABLE:
            return None, "no verdict to reuse"
        certificate = entry.get("certificate")
        if isinstance(certificate, dict) and (
            certificate.get("verdict") != data["verdict"]
            or certificate.get("statement") != data.get("statement")
            or not _about(certificate, statement)
        ):
            return None, "the certificate is for another verdict or statement"
        if not isinstance(certificate, dict):
            return None, "the entry carries no certificate"
        if self.verify is not None:  # a further filter of the caller's (the checker runs anyway)
            try:
                verdict = self.verify(certificate)
            except Exception as exc:  # a hook that fails refuses
                return None, f"the verification failed: {type(exc).__name__}: {exc}"
            if not verdict.ok:
                return None, verdict.why or "the certificate was refused"
        try:
            return result_from_data(data, certificate), "valid"
        except Refused as exc:
            return None, f"the checker refused the certificate: {exc}"
        except (CertificateError, EvidenceError, KeyError, TypeError, ValueError) as exc:
            return None, f"the entry does not make a result: {exc}"

    # ------------------------------------------------------------------------ writing

    def put(self, statement, result: Result) -> None:
        """Keep the result of a decision (never an ``unknown``: it is decided again)."""
        if result.verdict.value not in _REUSABLE:
            return
        key = self.key(statement)
        if key is None:
            return
        certificate = getattr(result, "certificate", None)
        entry = {
            "schema": SCHEMA,
            "key": key,
            "statement": _text(statement),
            "result": result_data(result),
            "certificate": certificate.to_dict() if certificate is not None else None,
        }
        try:
            text = json.dumps(entry, ensure_ascii=False)
        except (TypeError, ValueError) as exc:
            self.errors.append(f"a verdict could not be kept in the cache: {exc}")
            return
        size = len(text.encode())
        if size > MAX_ENTRY_BYTES:
            return
        path = self._path(key)
        try:
            self._prepare()
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as fh:
                    fh.write(text)
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            message = f"cannot write the cache in {self.root}: {exc.strerror or exc}"
            if message not in self.errors:
                self.errors.append(message)
            return
        self.written += 1
        entries, total = self._size
        self._size = (entries + 1, total + size)
        if entries + 1 > self.max_entries or total + size > self.max_bytes:
            self._evict()

    def _prepare(self) -> None:
        """On the first write: the folder, marked as a cache (as pytest marks its own),
        and how full it is."""
        if self._size is not None:
            return
        created = not self.root.exists()
        self.folder.mkdir(parents=True, exist_ok=True)
        if not created:  # a folder of the user's own (--cache-dir .): never marked
            marks = {}
        else:
            marks = {
                ".gitignore": "# created by symconv: a cache, never to be committed\n*\n",
                "CACHEDIR.TAG": "Signature: 8a477f597d28d172789f06886806bc55\n"
                                "# This file is a cache directory tag created by symconv.\n",
            }
        for name, text in marks.items():
            mark = self.root / name
            if not mark.exists():
                mark.write_text(text, encoding="utf-8")
        entries = total = 0
        for _, size in self._entries():
            entries += 1
            total += size
        self._size = (entries, total)

    def _entries(self):
        """(path, size) of every entry, with its time of last use in ``path``'s stat."""
        try:
            subfolders = list(os.scandir(self.folder))
        except OSError:
            return
        for sub in subfolders:
            if not sub.is_dir(follow_symlinks=False):
                continue
            try:
                files = list(os.scandir(sub.path))
            except OSError:
                continue
            for f in files:
                if f.name.endswith(".json"):
                    try:
                        yield f, f.stat(follow_symlinks=False).st_size
                    except OSError:
                        continue

    def _evict(self) -> None:
        """Remove the least recently used entries, down to 90 % of both bounds."""
        found = sorted(((f.stat().st_mtime, f.path, size) for f, size in self._entries()),
                       reverse=True)
        keep_entries, keep_bytes = int(self.max_entries * 0.9), int(self.max_bytes * 0.9)
        entries = total = 0
        for _, path, size in found:
            if entries + 1 <= keep_entries and total + size <= keep_bytes:
                entries += 1
                total += size
                continue
            try:
                os.unlink(path)
            except OSError:
                pass
        self._size = (entries, total)

    def clear(self) -> None:
        """Forget every verdict (``--cache-clear``)."""
        shutil.rmtree(self.folder, ignore_errors=True)
        self._size = None

    def stats(self) -> dict:
        out = {"hits": self.hits, "misses": self.misses, "rejected": self.rejected,
               "written": self.written, "folder": str(self.root)}
        if self.refusals:
            out["refused"] = dict(sorted(self.refusals.items(), key=lambda kv: -kv[1]))
        if self.errors:
            out["errors"] = list(self.errors)
        return out


def _text(statement) -> str:
    try:
        return str(statement)
    except Exception:  # a claim's own __str__
        return f"<{type(statement).__name__} object>"


# ---------------------------------------------------------------------------- results as data

_WITNESS_FIELDS = ("functions", "parameters", "variable", "at", "test_function", "lhs", "rhs",
                   "lhs_numeric", "rhs_numeric", "digits")


def result_data(result: Result) -> dict:
    """A result as JSON data, whole (``Result.to_dict`` is a report: it leaves details out)."""
    return {
        "statement": result.statement,
        "verdict": result.verdict.value,
        "method": result.method,
        "hypotheses": [h.to_dict() for h in result.hypotheses],
        "witness": result.witness.to_dict() if result.witness is not None else None,
        "reason": result.reason,
        "seconds": result.seconds,
        "negated": result.negated,
        "details": _json_details(result.details),
    }


def _json_details(details) -> dict:
    out = {}
    for name, value in dict(details).items():
        try:
            json.dumps(value)
        except (TypeError, ValueError):
            continue  # kept in this run only (e.g. objects for plots)
        out[name] = value
    return out


class Refused(ValueError):
    """The checker refused a kept verdict's certificate (the message says why)."""


def result_from_data(data: dict, certificate: dict | None = None) -> Result:
    """The :class:`Result` that :func:`result_data` wrote, with its certificate. A verdict
    other than ``unknown`` is made again by the one maker of verdicts
    (:func:`symconv.routes.verdicts.issue`), so only once the independent checker has
    re-verified the certificate; :class:`Refused` when it does not."""
    witness = None
    if data.get("witness") is not None:
        w = dict(data["witness"])
        fields = {name: w.pop(name) for name in _WITNESS_FIELDS if name in w}
        witness = Witness(**fields, extra=w)
    hypotheses = tuple(
        SideCondition(h["rule"], h["identity"], h["lemma"], h["condition"], tuple(h["where"]))
        for h in data["hypotheses"]
    )
    verdict = Verdict(data["verdict"])
    if verdict is Verdict.UNKNOWN:
        return Result(data["statement"], Verdict.UNKNOWN, method=data["method"], reason=data["reason"],
                      seconds=float(data["seconds"]), negated=bool(data["negated"]),
                      details=dict(data["details"]))
    if certificate is None:
        raise EvidenceError(f"a {verdict.value} result needs the certificate it rests on")
    from symconv.routes.verdicts import issue

    cert = Certificate.from_dict(certificate)
    if cert.verdict != verdict.value or cert.statement != data["statement"]:
        raise Refused("the certificate is for another verdict or statement")
    made = issue(cert, method=data["method"], hypotheses=hypotheses, witness=witness,
                 details=dict(data["details"]), negated=bool(data["negated"]))
    if made.verdict is not verdict:
        raise Refused(made.reason)
    return dataclasses.replace(made, reason=data["reason"], seconds=float(data["seconds"]))
