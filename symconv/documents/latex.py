"""Math regions of a LaTeX document, found by pylatexenc's walker.

Displays are ``\\[…\\]``, ``$$…$$`` and the environments ``equation``, ``align``,
``aligned``, ``gather``, ``multline`` (and their starred forms); ``$…$`` and ``\\(…\\)``
are inline. Sectioning commands make headings; the text between displays makes paragraphs,
split at blank lines. A document's notation may be declared in comments:
``% symconv: \\otimes means xcorr``.
"""

from __future__ import annotations

import re

from symconv.documents.source import (
    Block,
    Document,
    DocumentError,
    Math,
    ReaderMissing,
    line_at,
    line_starts,
    notation_table,
)

__all__ = ["read", "DISPLAY_ENVIRONMENTS"]

DISPLAY_ENVIRONMENTS = {"equation", "align", "aligned", "gather", "multline", "flalign",
                        "eqnarray", "displaymath", "math"}
_SECTIONS = {"section", "subsection", "subsubsection", "chapter", "paragraph"}
_MAX_NODES = 200_000


def _walker(text: str):
    try:
        from pylatexenc.latexwalker import LatexWalker
    except ImportError:
        raise ReaderMissing(
            "reading LaTeX needs pylatexenc: pip install 'symconv[audit]'"
        ) from None
    return LatexWalker(text, tolerant_parsing=True)


def read(text: str, path: str) -> Document:
    from pylatexenc import latexwalker as lw

    starts = line_starts(text)
    try:
        nodes, _, _ = _walker(text).get_latex_nodes()
    except (lw.LatexWalkerError, RecursionError) as exc:
        raise DocumentError(f"{path}: the LaTeX cannot be read: {exc}") from None
    blocks: list[Block] = []
    problems: list = []
    notation = notation_table(
        m.group(1) for m in re.finditer(r"^\s*%\s*symconv:\s*(.*)$", text, re.M)
    )
    paragraph: list = [None]  # the open paragraph block, if any
    budget = [_MAX_NODES]
    counters = [0, 0, 0]

    def para(pos: int) -> Block:
        if paragraph[0] is None:
            paragraph[0] = Block("paragraph", line_at(starts, pos))
            blocks.append(paragraph[0])
        return paragraph[0]

    def walk(nodelist):
        for node in nodelist or []:
            budget[0] -= 1
            if budget[0] < 0:
                raise DocumentError(f"{path}: more than {_MAX_NODES} LaTeX nodes")
            if isinstance(node, lw.LatexCharsNode):
                chunks = re.split(r"\n\s*\n", node.chars)
                for k, chunk in enumerate(chunks):
                    if k:
                        paragraph[0] = None
                    if chunk.strip():
                        block = para(node.pos)
                        block.text += chunk
            elif isinstance(node, lw.LatexMathNode):
                content_start = node.pos + len(node.delimiters[0])
                content = text[content_start : node.pos + node.len - len(node.delimiters[1])]
                math = Math(content, line_at(starts, content_start),
                            line_at(starts, node.pos + node.len), content_start,
                            node.displaytype == "display")
                if math.display:
                    paragraph[0] = None
                    blocks.append(Block("display", math.line, math=[math]))
                else:
                    block = para(node.pos)
                    block.before.append(block.text)
                    block.text += "$…$"
                    block.math.append(math)
            elif isinstance(node, lw.LatexEnvironmentNode):
                name = node.environmentname
                if name.rstrip("*") in DISPLAY_ENVIRONMENTS:
                    paragraph[0] = None
                    content = node.latex_verbatim()
                    math = Math(content, line_at(starts, node.pos),
                                line_at(starts, node.pos + node.len), node.pos, True, env=name)
                    blocks.append(Block("display", math.line, math=[math]))
                else:
                    walk(node.nodelist)
            elif isinstance(node, lw.LatexMacroNode):
                if node.macroname in _SECTIONS and node.nodeargd and node.nodeargd.argnlist:
                    arg = node.nodeargd.argnlist[-1]
                    title = arg.latex_verbatim().strip("{}") if arg is not None else ""
                    paragraph[0] = None
                    blocks.append(Block("heading", line_at(starts, node.pos), _numbered(counters, node.macroname, title)))
                elif node.macroname in ("par",):
                    paragraph[0] = None
                else:
                    block = paragraph[0]
                    if block is not None:
                        block.text += " "
            elif isinstance(node, lw.LatexGroupNode):
                walk(node.nodelist)

    walk(nodes)
    _check_delimiters(text, starts, problems)
    return Document(path, "latex", text, blocks, notation, problems)


def _numbered(counters: list[int], macro: str, title: str) -> str:
    """A section title with its number (1, 1.1, …), as the report names sections."""
    level = {"section": 0, "subsection": 1, "subsubsection": 2}.get(macro)
    if level is None:
        return title
    counters[level] += 1
    for k in range(level + 1, len(counters)):
        counters[k] = 0
    return ".".join(str(c) for c in counters[: level + 1]) + " " + title


def _check_delimiters(text: str, starts: list[int], problems: list) -> None:
    """An odd number of ``$$`` means one display is never closed."""
    found = [m.start() for m in re.finditer(r"(?<!\\)\$\$", text)]
    if len(found) % 2:
        problems.append((line_at(starts, found[-1]),
                         "a '$$' that is never closed: the math after it is not read"))
