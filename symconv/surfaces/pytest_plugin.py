"""Collectors and items of symconv's pytest plugin: obligations as test items.

The plugin's hooks are in the top-level module ``_symconv_pytest`` (registered by
entry point, so that pytest runs that do not ask for symconv never import it); this
module is imported only once collection is on.

Each obligation is one test item, named by its id (``pytest -k conv.assoc``). It passes
when the verdict equals the expectation; otherwise the failure shows the verdict, the
witness or the reason, and the derivation when there is one. The verdict is also
recorded as the item's ``verdict`` property (in ``--junitxml`` reports).
"""

from __future__ import annotations

import pytest

__all__ = [
    "ObligationFile",
    "ObligationItem",
    "VerdictDiffers",
    "InternalError",
    "configured_timeout",
]


def configured_timeout(config) -> float:
    """``--symconv-timeout`` or the ``symconv_timeout`` ini setting, checked by the one
    rule of :func:`symconv.routes.budget.check_timeout`; a bad value is a UsageError."""
    from symconv.routes.budget import check_timeout

    value = config.getoption("symconv_timeout")
    where = "--symconv-timeout"
    if value is None:
        text, where = config.getini("symconv_timeout"), "symconv_timeout"
        try:
            value = float(text)
        except (TypeError, ValueError):
            raise pytest.UsageError(f"{where}: not a number of seconds: {text!r}") from None
    try:
        return check_timeout(value, where)
    except ValueError as exc:
        raise pytest.UsageError(str(exc)) from None



class ObligationFile(pytest.Module):
    """A theorem file: imported the way pytest imports test modules (``--import-mode``)."""

    def collect(self):
        from symconv.engine.sources import TheoremFileError, validate

        module = self.obj
        if not hasattr(module, "OBLIGATIONS"):
            raise self.CollectError(
                f"{self.path.name}: no OBLIGATIONS list "
                "(define OBLIGATIONS = [Obligation(...), ...])"
            )
        try:
            obligations = validate(module.OBLIGATIONS, where=self.path.name)
        except TheoremFileError as exc:
            raise self.CollectError(str(exc)) from exc
        for ob in obligations:
            yield ObligationItem.from_parent(self, name=ob.id, obligation=ob)


class VerdictDiffers(AssertionError):
    """The engine's verdict is not the one the obligation expects."""

    def __init__(self, outcome):
        super().__init__(
            f"{outcome.obligation.id}: expected {outcome.obligation.expect.value}, "
            f"got {outcome.result.verdict.value}"
        )
        self.outcome = outcome


class InternalError(Exception):
    """An exception ended the decision (the result is ``unknown``, reason "internal
    error"): a fault of symconv or of a claim's code, not a verdict that differs."""

    def __init__(self, outcome):
        super().__init__(f"{outcome.obligation.id}: {outcome.result.reason}")
        self.outcome = outcome


class ObligationItem(pytest.Item):
    """One obligation: passes when the verdict equals the expectation."""

    def __init__(self, *, obligation, **kwargs):
        super().__init__(**kwargs)
        self.obligation = obligation

    def runtest(self) -> None:
        from symconv.engine.obligation import Outcome
        from symconv.engine.prove import prove

        result = prove(self.obligation.statement, timeout=configured_timeout(self.config))
        self.user_properties.append(("verdict", result.verdict.value))
        self.user_properties.append(("expected", self.obligation.expect.value))
        outcome = Outcome(self.obligation, result)
        if result.error and not outcome.as_expected:
            raise InternalError(outcome)
        if not outcome.as_expected:
            raise VerdictDiffers(outcome)

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, VerdictDiffers):
            from symconv.surfaces.cards import text_card

            o = excinfo.value.outcome
            return (
                f"{o.obligation.id}: expected {o.obligation.expect.value}, "
                f"got {o.result.verdict.value}\n" + text_card(o.result, o.obligation, indent="  ")
            )
        if isinstance(excinfo.value, InternalError):
            o = excinfo.value.outcome
            return (
                f"{o.obligation.id}: {o.result.reason} (expected {o.obligation.expect.value})\n"
                + o.result.error.get("traceback", "")
            )
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self):
        return self.path, None, f"obligation {self.obligation.id}: {self.obligation.statement_text}"
