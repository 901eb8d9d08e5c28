"""A document as blocks (headings, paragraphs with inline math, displays), from its file.

The file is checked before any parser sees it: at most :data:`MAX_BYTES`, UTF-8 text with
no NUL byte. :mod:`symconv.documents.read` hands the text to :mod:`symconv.documents.markdown` or
:mod:`symconv.documents.latex`; both need the optional extra ``audit``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["DocumentError", "ReaderMissing", "Math", "Block", "Document", "load_text", "MAX_BYTES", "MARKDOWN_SUFFIXES", "LATEX_SUFFIXES"]

#: The largest document read (bytes); the notes are about 7 kB.
MAX_BYTES = 2_000_000
#: The most math regions one document may have.
MAX_REGIONS = 5_000
MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown", ".mkd", ".txt"}
LATEX_SUFFIXES = {".tex", ".latex", ".ltx"}


class DocumentError(Exception):
    """The document cannot be read at all; the message is one line for the user."""


class ReaderMissing(DocumentError):
    """A parser library of the optional extra ``audit`` is not installed."""


@dataclass
class Math:
    content: str
    line: int  # 1-based line of the first character of content
    end_line: int
    offset: int  # offset of content in the document
    display: bool
    label: str | None = None
    env: str | None = None


@dataclass
class Block:
    """``heading`` (text), ``paragraph`` (text and its inline math, in order) or ``display``."""

    kind: str
    line: int
    text: str = ""
    math: list = field(default_factory=list)
    #: for a paragraph: the prose before each inline math region
    before: list = field(default_factory=list)


@dataclass
class Document:
    path: str
    format: str  # markdown | latex
    text: str
    blocks: list
    notation: dict = field(default_factory=dict)  # symbol -> operation, declared by the document
    problems: list = field(default_factory=list)  # (line, message)


def load_text(path: str | Path, max_bytes: int = MAX_BYTES) -> str:
    """The document's text; DocumentError when it is missing, too large, binary or not UTF-8."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as exc:
        raise DocumentError(f"cannot read {path}: {exc.strerror or exc}") from None
    if p.is_dir():
        raise DocumentError(f"{path} is a folder, not a document")
    if size > max_bytes:
        raise DocumentError(
            f"{path} is {size / 1e6:.1f} MB; the audit reads documents of at most "
            f"{max_bytes / 1e6:.1f} MB (--max-bytes)"
        )
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise DocumentError(f"cannot read {path}: {exc.strerror or exc}") from None
    if b"\x00" in data:
        raise DocumentError(f"{path} is not a text document (a NUL byte at offset {data.index(0)})")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(
            f"{path} is not UTF-8 text (an invalid byte at offset {exc.start})"
        ) from None


def line_starts(text: str) -> list[int]:
    starts = [0]
    for m in re.finditer("\n", text):
        starts.append(m.end())
    return starts


def line_at(starts: list[int], offset: int) -> int:
    """1-based line of a character offset."""
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo + 1


_NOTATION_LINE = re.compile(
    r"""^\s*[-]?\s*['"]?(\\?[A-Za-z]+|\*)['"]?\s*(?::|=|means)\s*['"]?([a-z-]+)['"]?\s*$"""
)


def notation_table(lines) -> dict:
    """``\\otimes: xcorr`` lines (front matter or ``% symconv:`` comments) → {symbol: operation}."""
    from symconv.documents.elaborate import OPERATIONS

    out = {}
    for line in lines:
        m = _NOTATION_LINE.match(line)
        if m and m.group(2) in OPERATIONS:
            out[m.group(1).lstrip("\\")] = m.group(2)
    return out
