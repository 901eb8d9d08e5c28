"""The cache options of ``prove``, ``check`` and ``audit``, spelled as pytest spells its own.

``--cache-dir DIR`` (default: ``.symconv_cache`` in the current folder, or the folder named
by ``SYMCONV_CACHE_DIR``), ``--no-cache`` (decide everything, keep nothing) and
``--cache-clear`` (forget every kept verdict before the run). The cache itself is
:mod:`symconv.engine.cache`: a kept verdict is reused only once its certificate is
re-verified.
"""

from __future__ import annotations

__all__ = ["add_options", "open_cache", "summary"]


def add_options(parser) -> None:
    parser.add_argument(
        "--cache-dir", default=None, metavar="DIR",
        help="where verdicts are kept between runs (default: .symconv_cache, or "
             "$SYMCONV_CACHE_DIR); a kept verdict is reused only once its certificate is "
             "re-verified by the independent checker")
    parser.add_argument("--no-cache", action="store_true",
                        help="decide everything again and keep nothing")
    parser.add_argument("--cache-clear", action="store_true",
                        help="forget every kept verdict before the run")


def open_cache(args):
    """The run's :class:`~symconv.engine.cache.VerdictCache`, or None with ``--no-cache``.
    Its key holds the options that can change a result (the time budget, ``--explain``)."""
    if args.no_cache:
        return None
    from symconv.engine.cache import VerdictCache

    options = {"timeout": args.timeout}
    if getattr(args, "explain", False):  # the result then carries more (a derivation)
        options["explain"] = True
    verify = None
    if getattr(args, "plots", None):  # a plot draws the witness's functions, which a kept
        verify = _not_a_counterexample  # verdict holds as text only: those are found again
    cache = VerdictCache(args.cache_dir, options=options, verify=verify)
    if args.cache_clear:
        cache.clear()
    return cache


def _not_a_counterexample(certificate):
    from symconv.engine.cache import Verification

    if certificate.get("kind") == "counterexample" or certificate.get("verdict") == "refuted":
        return Verification(False, "--plots: a counterexample is found again to be drawn")
    return Verification(True)


def summary(cache) -> str:
    """``; 12 reused from the cache`` for a run's summary line, when any was reused, and
    what kept the cache from being written (a read-only folder, a full disk): a cache
    never changes a verdict, so that is said here, not as an error."""
    if cache is None:
        return ""
    out = f"; {cache.hits} reused from the cache (certificates re-verified)" if cache.hits else ""
    if cache.errors:
        out += f"; {cache.errors[0]}"
    return out
