"""Math regions of a Markdown document, found by markdown-it-py and its dollar-math plugin.

``$…$`` and ``$$…$$`` inside a paragraph are inline math; ``$$…$$`` on lines of its own and
fenced ``math`` blocks are displays. A ``$$`` that is never closed is a problem of the
document (markdown-it reads it as text), reported with its line.
"""

from __future__ import annotations

from symconv.documents.source import (
    Block,
    Document,
    Math,
    ReaderMissing,
    line_at,
    line_starts,
    notation_table,
)

__all__ = ["read"]


def _parser():
    try:
        from markdown_it import MarkdownIt
        from mdit_py_plugins.dollarmath import dollarmath_plugin
        from mdit_py_plugins.front_matter import front_matter_plugin
    except ImportError as exc:
        raise ReaderMissing(
            f"reading Markdown needs markdown-it-py and mdit-py-plugins ({exc.name} is missing): "
            "pip install 'symconv[audit]'"
        ) from None
    md = MarkdownIt("commonmark").use(front_matter_plugin)
    return md.use(dollarmath_plugin, allow_space=True, allow_digits=True, double_inline=True)


def _find(text: str, needle: str, start: int) -> int:
    at = text.find(needle, start)
    return at if at >= 0 else start


def read(text: str, path: str) -> Document:
    tokens = _parser().parse(text)
    starts = line_starts(text)
    blocks: list[Block] = []
    problems: list = []
    notation: dict = {}
    i = 0
    while i < len(tokens):
        t = tokens[i]
        begin = starts[t.map[0]] if t.map else 0
        if t.type == "front_matter":
            notation.update(notation_table(t.content.splitlines()))
        elif t.type == "heading_open":
            inline = tokens[i + 1]
            blocks.append(Block("heading", t.map[0] + 1, inline.content))
        elif t.type in ("math_block", "math_block_label") or (
            t.type == "fence" and t.info.strip().lower() == "math"
        ):
            offset = _find(text, t.content, begin)
            label = t.info.strip() if t.type == "math_block_label" else None
            math = Math(t.content, line_at(starts, offset), line_at(starts, offset + len(t.content)),
                        offset, True, label=label or None)
            blocks.append(Block("display", math.line, math=[math]))
        elif t.type == "inline" and tokens[i - 1].type == "paragraph_open":
            blocks.append(_paragraph(t, text, starts, begin, problems))
        i += 1
    return Document(path, "markdown", text, blocks, notation, problems)


def _paragraph(inline, text: str, starts: list[int], begin: int, problems: list) -> Block:
    block = Block("paragraph", inline.map[0] + 1)
    cursor = begin
    prose: list[str] = []
    for child in inline.children or []:
        if child.type in ("math_inline", "math_inline_double"):
            offset = _find(text, child.content, cursor)
            cursor = offset + len(child.content)
            block.math.append(Math(child.content, line_at(starts, offset),
                                   line_at(starts, cursor), offset, False))
            block.before.append(" ".join(prose))
            prose.append("$…$")
        elif child.type == "text":
            prose.append(child.content)
            if "$$" in child.content:
                at = _find(text, "$$", cursor)
                problems.append((line_at(starts, at),
                                 "a '$$' that is never closed: the text after it is read as prose, "
                                 "not as math"))
        elif child.type in ("softbreak", "hardbreak"):
            prose.append(" ")
    block.text = "".join(prose)
    return block
