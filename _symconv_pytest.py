"""symconv's pytest plugin: the hooks, kept light.

pytest loads this module (entry point ``pytest11``) in every run of every project where
symconv is installed, so it imports nothing of symconv (nor SymPy) until collection is
turned on; the collectors and items are in :mod:`symconv.pytest_plugin`. (Hypothesis
keeps its plugin outside its package for the same reason.)

Off unless asked for: ``--symconv`` or the ini setting ``symconv = true``. Then the
Python files whose name matches ``symconv_files`` (glob patterns on the file name or on
the path from the root directory; default ``theorems_*.py``) are theorem files, and
each obligation in their ``OBLIGATIONS`` list is one test item::

    symconv = true                      # --symconv
    symconv_files = theorems_*.py       # glob patterns, one per line
    symconv_timeout = 30                # --symconv-timeout SECONDS, per obligation

Without installing symconv: ``pytest -p _symconv_pytest --symconv``.
"""

from __future__ import annotations

import fnmatch
from pathlib import Path

DEFAULT_FILES = ["theorems_*.py"]


def pytest_addoption(parser):
    group = parser.getgroup("symconv", "proof obligations (symconv)")
    group.addoption(
        "--symconv",
        action="store_true",
        default=None,
        help="collect the obligations of theorem files (see the symconv_files ini setting)",
    )
    group.addoption(
        "--symconv-timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="time budget per obligation (default: the symconv_timeout ini setting, 30)",
    )
    parser.addini("symconv", "collect the obligations of theorem files", type="bool", default=False)
    parser.addini(
        "symconv_files",
        "glob patterns of theorem files (file name or path from the root directory)",
        type="linelist",
        default=DEFAULT_FILES,
    )
    parser.addini("symconv_timeout", "time budget per obligation, in seconds", default="30")


def pytest_configure(config):
    """Check the time budget once, before anything is collected: a bad value is one
    usage error, not a traceback in every test."""
    if not enabled(config):
        return
    from symconv.surfaces.pytest_plugin import configured_timeout

    configured_timeout(config)


def enabled(config) -> bool:
    flag = config.getoption("symconv")
    return bool(flag) if flag is not None else bool(config.getini("symconv"))


def matches(path: Path, config) -> bool:
    patterns = config.getini("symconv_files") or DEFAULT_FILES
    try:
        relative = path.relative_to(config.rootpath).as_posix()
    except ValueError:
        relative = None
    return any(
        fnmatch.fnmatch(path.name, p) or (relative is not None and fnmatch.fnmatch(relative, p))
        for p in patterns
    )


def pytest_collect_file(file_path: Path, parent):
    if file_path.suffix != ".py" or not enabled(parent.config):
        return None
    if not matches(file_path, parent.config):
        return None
    from symconv.surfaces.pytest_plugin import ObligationFile

    return ObligationFile.from_parent(parent, path=file_path)
