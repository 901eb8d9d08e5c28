"""A document from its file: checked (:func:`~symconv.documents.source.load_text`), then
read as Markdown or LaTeX by its suffix (or as told)."""

from __future__ import annotations

import re
from pathlib import Path

from symconv.documents import latex, markdown
from symconv.documents.source import (
    LATEX_SUFFIXES,
    MARKDOWN_SUFFIXES,
    MAX_BYTES,
    MAX_REGIONS,
    Document,
    DocumentError,
    load_text,
)

__all__ = ["read_document"]


def _format_of(path: Path, text: str, forced: str | None) -> str:
    if forced:
        return forced
    suffix = path.suffix.lower()
    if suffix in LATEX_SUFFIXES:
        return "latex"
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    return "latex" if re.search(r"\\begin\{document\}|\\documentclass", text) else "markdown"


def read_document(path: str | Path, *, format: str | None = None,
                  max_bytes: int = MAX_BYTES) -> Document:
    path = Path(path)
    text = load_text(path, max_bytes)
    fmt = _format_of(path, text, format)
    doc = (latex if fmt == "latex" else markdown).read(text, str(path))
    regions = sum(len(b.math) for b in doc.blocks)
    if regions > MAX_REGIONS:
        raise DocumentError(f"{path} has {regions} math regions; the audit reads at most {MAX_REGIONS}")
    return doc
