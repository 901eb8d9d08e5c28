"""Decisions kept between runs, so that an unchanged equation is not decided twice.

One JSON file per decision under ``<folder>/audit/``, named by the SHA-256 of its key: the
normalized statement (``srepr`` of both sides and the relation), the options that change a
verdict (the time budget) and the symconv version with a digest of its source code. Writes are atomic (a temporary file,
then ``os.replace``), so concurrent runs never read half a file.

Before an entry is reused it passes :meth:`DecisionCache.accept`, which calls the
``validate`` hook given to the cache. The default, :func:`valid_entry`, checks the entry's
shape and has the independent certificate checker (:mod:`symconv.trusted.checker`)
re-verify the certificate of every verdict but ``unknown``: a cached verdict is reused only
when the checker accepts it, for this very statement, and is decided again otherwise.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable

import sympy as sp

from symconv.documents.model import Decision
from symconv.language.terms import Statement
from symconv.results.result import INTERNAL_ERROR, Verdict

__all__ = ["DecisionCache", "cache_key", "code_version", "valid_entry", "DEFAULT_FOLDER", "SCHEMA"]

DEFAULT_FOLDER = ".symconv_cache"
SCHEMA = 2  # 2: every verdict but unknown keeps its certificate
#: entries larger than this are not read back (a corrupted or hostile file)
MAX_ENTRY_BYTES = 1_000_000


def code_version() -> str:
    """The symconv version and a digest of its source: a changed engine decides again."""
    from importlib import metadata

    try:
        version = metadata.version("symconv")
    except metadata.PackageNotFoundError:
        version = "unknown"
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode())
        digest.update(path.read_bytes())
    return f"{version}+{digest.hexdigest()[:16]}"


def cache_key(statement: Statement, options: dict, version: str) -> str:
    text = json.dumps(
        {"lhs": sp.srepr(statement.lhs), "rhs": sp.srepr(statement.rhs),
         "negated": statement.negated, "options": options, "version": version,
         "schema": SCHEMA},
        sort_keys=True,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def valid_entry(entry: dict, statement: Statement) -> bool:
    """The default hook: the entry is well formed, for this statement, with its evidence."""
    d = entry.get("decision")
    if not isinstance(d, dict) or entry.get("schema") != SCHEMA:
        return False
    if entry.get("statement") != str(statement) or d.get("statement") is None:
        return False
    verdict = d.get("verdict")
    if verdict not in {v.value for v in Verdict}:
        return False
    if verdict == "unknown":
        return bool(d.get("reason"))
    if verdict == "proved" and not d.get("method"):
        return False
    if verdict == "refuted" and not (d.get("witness") or d.get("method")):
        return False
    return _certified(d.get("certificate"), verdict, statement)


def _certified(cert, verdict: str, statement: Statement) -> bool:
    """The checker accepts the certificate, for this verdict and (for the term language)
    this very statement."""
    from symconv.trusted.checker import check
    from symconv.trusted.codec import CodecError, Decoder

    if not isinstance(cert, dict) or cert.get("verdict") != verdict:
        return False
    if cert.get("kind") in ("fourier", "counterexample"):
        try:
            if Decoder().statement(cert.get("claim")) != statement:
                return False
        except CodecError:
            return False
    return check(cert).valid


class DecisionCache:
    """A folder of decisions; ``validate(entry, statement)`` decides whether one is reused."""

    def __init__(self, folder: str | os.PathLike = DEFAULT_FOLDER, *, options: dict, version: str,
                 validate: Callable[[dict, Statement], bool] = valid_entry):
        self.folder = Path(folder) / "audit"
        self.options = dict(options)
        self.version = version
        self.validate = validate
        self.hits = 0
        self.misses = 0
        self.rejected = 0
        self.errors: list[str] = []

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, statement: Statement) -> Decision | None:
        path = self._path(cache_key(statement, self.options, self.version))
        try:
            if path.stat().st_size > MAX_ENTRY_BYTES:
                self.rejected += 1
                return None
            entry = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            self.misses += 1
            return None
        except (OSError, ValueError) as exc:
            self.errors.append(f"cache entry {path.name} unreadable: {exc}")
            self.misses += 1
            return None
        if not self.accept(entry, statement):
            self.rejected += 1
            return None
        self.hits += 1
        decision = Decision.from_dict(entry["decision"])
        decision.cached = True
        return decision

    def accept(self, entry: dict, statement: Statement) -> bool:
        """The verification hook: only an accepted entry is reused."""
        try:
            return bool(self.validate(entry, statement))
        except (KeyError, TypeError, ValueError):
            return False

    def put(self, statement: Statement, decision: Decision) -> None:
        reason = decision.reason or ""
        if decision.verdict == Verdict.UNKNOWN.value and (
            "timeout" in reason or reason.startswith(INTERNAL_ERROR)
        ):
            return  # a timeout or a fault says nothing about the statement: decide it again
        path = self._path(cache_key(statement, self.options, self.version))
        entry = {"schema": SCHEMA, "statement": str(statement), "decision": decision.to_dict()}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(entry, fh, ensure_ascii=False)
            os.replace(tmp, path)
        except OSError as exc:
            self.errors.append(f"cannot write the cache in {self.folder}: {exc.strerror or exc}")

    def clear(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def stats(self) -> dict:
        return {"hits": self.hits, "misses": self.misses, "rejected": self.rejected,
                "folder": str(self.folder)}
