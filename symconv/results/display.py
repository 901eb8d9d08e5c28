"""How results show themselves in a notebook, filled in by the surfaces.

Results are data and know nothing of how they are shown: a surface (the verdict cards of
:mod:`symconv.surfaces.cards`) registers a renderer per type and format, and the
``_repr_html_`` / ``_repr_markdown_`` hooks that Jupyter calls look it up here, and so
does ``str`` (``print(run)`` prints the table the command line prints). With no renderer
registered they return None, and Jupyter falls back to ``repr`` (``str`` too).
"""

from __future__ import annotations

from typing import Callable

__all__ = ["Displayable", "register", "register_loader"]

_RENDERERS: dict[tuple[type, str], Callable[[object], str]] = {}
#: Called once, before the first lookup: they import the modules that register renderers.
_LOADERS: list[Callable[[], object]] = []


def register(cls: type, **renderers: Callable[[object], str]) -> None:
    """``register(Result, html=html_card, markdown=markdown_card)``."""
    for fmt, fn in renderers.items():
        _RENDERERS[(cls, fmt)] = fn


def register_loader(loader: Callable[[], object]) -> None:
    """``loader()`` registers renderers; it is called before anything is first shown
    (so that importing symconv does not import its surfaces)."""
    _LOADERS.append(loader)


def _render(obj, fmt: str) -> str | None:
    while _LOADERS:
        _LOADERS.pop(0)()
    for cls in type(obj).__mro__:
        fn = _RENDERERS.get((cls, fmt))
        if fn is not None:
            return fn(obj)
    return None


class Displayable:
    """Rich display in Jupyter through the registered renderers."""

    __slots__ = ()

    def _repr_html_(self) -> str | None:
        return _render(self, "html")

    def _repr_markdown_(self) -> str | None:
        return _render(self, "markdown")

    def __str__(self) -> str:
        """``print(result)``: the registered plain text (what the command line prints)."""
        shown = _render(self, "text")
        return shown if shown is not None else repr(self)
