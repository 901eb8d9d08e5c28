"""Reports written to disk whole or not at all (``prove -o``, ``audit -o``).

:func:`write_atomically` writes to a temporary file in the target's folder and renames
it over the target: a reader (a CI step, a browser) sees the old report or the new one,
never a part of one, and when writing fails (a full disk, a file-size limit) the old
report is left exactly as it was. What is at the path is replaced, never written
through: a symbolic link there is replaced by the report (the file it pointed to is
not touched). A replaced file keeps its permissions; a new one gets the usual ones
(0666 minus the umask).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable

__all__ = ["output_problem", "write_atomically"]


def output_problem(path: str) -> str | None:
    """Why ``path`` can never be written as a report (checked before any work), or None."""
    if not path.strip():
        return "needs a file name (to print the report, leave -o out)"
    if os.path.isdir(path) and not os.path.islink(path):
        return f"{path} is a folder, not a file"
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        return f"cannot write {path}: no folder {folder}"
    return None


def write_atomically(path: str, text: str | Iterable[str]) -> str | None:
    """Write ``text`` (or its pieces, one after the other: a report of thousands of
    obligations is never held whole) to ``path`` whole or not at all (see the module docstring).

    Returns what was replaced, ``"file"`` or ``"symbolic link"``, or None for a new
    file; raises OSError when it cannot be written (nothing at ``path`` changed then).
    """
    replaced = None
    if os.path.islink(path):
        replaced = "symbolic link"
    elif os.path.exists(path):
        replaced = "file"
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".symconv-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            for piece in (text,) if isinstance(text, str) else text:
                fh.write(piece)
            fh.flush()
            os.fsync(fh.fileno())
        mode = 0o666 & ~_umask()
        if replaced == "file":
            mode = os.stat(path).st_mode & 0o7777  # the permissions of the old report
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return replaced


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
