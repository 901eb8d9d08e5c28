"""The engine: runs the proof routes on a statement under a time budget, makes a Result.

Routes, in order:

1. reflexivity — both sides are the same term;
2. the Fourier normal form (:mod:`symconv.routes.fourier`) — a decision procedure; when it
   finds an identity the result is ``proved`` with the side conditions of every rule
   used, when it finds a difference it names the monomials that break the identity;
3. cross-checks of a proof by independent routes — any disagreement is an alarm that
   turns the verdict to ``unknown``; the time-domain derivation search
   (:mod:`symconv.routes.derivation.search`, each step checked by :mod:`symconv.trusted.kernel`) runs on every
   equality: its derivation is attached to the result, and a checked derivation of an
   equality the normal form calls false is an alarm too;
4. refutation — a counterexample counts only once replayed independently of the route
   that found it; without one a non-identity stays ``unknown``.

For ``A ≠ B`` (“A = B is not an identity”) the verdict is that of A = B inverted.

Whatever goes wrong while deciding is an ``unknown``, never a verdict: a timeout, a
form too large, and any exception (reason ``internal error: …``, the exception and its
traceback in ``Result.error``). Claim objects that are not symconv's own run in a child
process (:mod:`symconv.engine.child`), so that their budget holds.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from contextlib import contextmanager
from typing import Callable, Iterable

import sympy as sp

from symconv.language.bounds import check_statement
from symconv.language.groups import R
from symconv.language.parser import ParseError, parse
from symconv.language.terms import (
    Fn,
    Fourier,
    InverseFourier,
    Statement,
    Term,
    TermError,
)
from symconv.results.result import Result, Verdict, internal_error
from symconv.routes.budget import Budget, Timeout, check_timeout, time_limit
from symconv.routes.fourier import Decision, FormTooLarge, decide
from symconv.routes.verdicts import identity_certificate, issue, negation

__all__ = [
    "DEFAULT_TIMEOUT",
    "prove",
    "as_statement",
    "warm_up",
    "needs_warm_up",
    "once_per_run",
    "METHOD_FOURIER",
    "METHOD_REFLEXIVITY",
]

DEFAULT_TIMEOUT = 30.0
#: Terms built in Python may nest deeper than parsed ones; printing and normalising are
#: recursive, so deeper statements end ``unknown`` instead of overflowing the stack.
MAX_TERM_DEPTH = 300
METHOD_FOURIER = "Fourier normal form"
METHOD_REFLEXIVITY = "reflexivity"
METHOD_DERIVATION = "derivation"
#: Why a result of the larger language carries no derivation unless one is asked for.
DEFERRED = (
    "not searched: in the larger language the derivation search costs more than the decision, "
    "so it runs when an explanation is asked for (--explain, prove(..., explain=True))"
)
#: The most time one derivation search may take (it also gets at most half the budget left).
DERIVATION_SECONDS = 8.0  # a safety net: the search is bounded by counts of steps and states
#: The normal form decides statements of any size in milliseconds; the extra routes
#: (derivation search, spot check on concrete witnesses) grow much faster with size, so
#: they run only on statements with at most this many operators (the notes' largest has 6).
#: Above it the verdict rests on the normal form alone, and the result says so.
DERIVATION_MAX_OPERATORS = 10
SPOT_CHECK_MAX_OPERATORS = 24

#: A cross-check receives the equality and the normal form's decision and returns None
#: when it agrees, or a message describing the disagreement.
CrossCheck = Callable[[Statement, Decision, Budget], "str | None"]
#: A refuter receives the equality and the decision and returns a replayed Witness or None.
Refuter = Callable[[Statement, Decision, Budget], object]


def as_statement(statement) -> Statement:
    """Accept text, a :class:`Statement`, a pair ``(lhs, rhs)`` or a SymPy ``Eq``/``Ne``.

    Text is read by the parser, which bounds it; a statement built in Python is held to
    the same bounds and rules (:func:`~symconv.language.bounds.check_statement`: its
    size, finite coefficients, one meaning per name). Raises ParseError, TermError
    (or TypeError for what is no statement at all).
    """
    if isinstance(statement, str):
        return parse(statement)  # the parser checks the statement itself
    st = _as_statement(statement)
    if max(_depth(st.lhs), _depth(st.rhs)) <= MAX_TERM_DEPTH:  # deeper: prove() says so
        check_statement(st)
    return st


def _as_statement(statement) -> Statement:
    if isinstance(statement, Statement):
        return statement
    if isinstance(statement, tuple) and len(statement) == 2:
        return Statement(*statement)
    if isinstance(statement, sp.Equality):
        return Statement(statement.lhs, statement.rhs)
    if isinstance(statement, sp.Unequality):
        return Statement(statement.lhs, statement.rhs, negated=True)
    if isinstance(statement, bool):
        raise TypeError(
            "cannot read a statement from a bool: Python's == compares terms as trees; "
            "write the statement as text, Eq(lhs, rhs) or Statement(lhs, rhs)"
        )
    raise TypeError(f"cannot read a statement from {type(statement).__name__}")


def _cross_checks() -> tuple[CrossCheck, ...]:
    from symconv.routes.refutation.search import spot_check

    return (spot_check,)


def _refuters() -> tuple[Refuter, ...]:
    from symconv.routes.refutation.search import refute

    return (refute,)


def _repairers() -> tuple[Callable[[Statement, Budget], list], ...]:
    from symconv.routes.refutation.repair import repairs

    return (repairs,)


def _derivation_route(eq: Statement, budget: Budget, explain: bool = False):
    """Search a kernel-checked time-domain derivation of ``eq``: (the outcome as data, the
    kernel's derivation or None)."""
    from symconv.routes.derivation.render import derivation_data, not_found_data
    from symconv.routes.derivation.search import (
        NOTES_OPERATORS,
        Found,
        find_derivation,
        unhandled,
    )

    if eq.group != R:
        return not_found_data(eq, f"derivations are written for ℝ, not {eq.group}", 0.0), None

    if not explain and unhandled(eq, NOTES_OPERATORS):
        data = not_found_data(eq, DEFERRED, 0.0)
        data["deferred"] = True  # searched when an explanation is asked for
        return data, None
    ops = _operators(eq)
    if ops > DERIVATION_MAX_OPERATORS:
        reason = (
            f"not attempted: the statement has {ops} operators and the derivation search "
            f"runs on at most {DERIVATION_MAX_OPERATORS}"
        )
        return not_found_data(eq, reason, 0.0), None
    found = find_derivation(eq, seconds=min(DERIVATION_SECONDS, budget.remaining() / 2))
    if isinstance(found, Found) and found.derivation.complete:
        return derivation_data(found.derivation, found.seconds), found.derivation
    reason = getattr(found, "reason", "incomplete derivation")
    return not_found_data(eq, reason, found.seconds), None


def _operators(eq: Statement) -> int:
    """How many operators (*, ⋆, ⁻, τ, d/dx, δ) the two sides have."""
    return sum(
        isinstance(node, Term) and not isinstance(node, Fn)
        for side in (eq.lhs, eq.rhs)
        for node in sp.preorder_traversal(side)
    )


def _describe_difference(decision: Decision, limit: int = 3) -> str:
    parts = [str(m) for m in decision.difference[:limit]]
    more = len(decision.difference) - limit
    if more > 0:
        parts.append(f"and {more} more")
    return "; ".join(parts)


def _conventions(eq: Statement) -> list[str]:
    """The conventions of the Fourier transforms in a statement, e.g. ``["angular"]``."""
    found = {
        node.convention
        for side in (eq.lhs, eq.rhs)
        for node in sp.preorder_traversal(side)
        if isinstance(node, (Fourier, InverseFourier))
    }
    return sorted(found)


def _decide_equality(eq: Statement, budget: Budget, explain: bool = False) -> Result:
    text = str(eq)
    decision = decide(eq, budget.check)  # also refuses what has no meaning (e.g. ⟨δ, δ⟩)
    if eq.lhs == eq.rhs:
        return issue(identity_certificate(eq), method=METHOD_REFLEXIVITY)
    details = {"rules": list(decision.rules)}
    if eq.group != R:  # every result about another group says which, and for what functions
        details["group"] = str(eq.group)
        details["functions"] = eq.group.function_class
    conventions = _conventions(eq)
    if conventions:  # every result about a transform says which one
        details["convention"] = conventions
    derivation, kernel_derivation = _derivation_route(eq, budget, explain)
    details["derivation"] = derivation
    if derivation["found"] and not decision.identity:
        alarm = (
            "the routes disagree: a kernel-checked time-domain derivation proves it, but the "
            f"Fourier normal forms differ in {_describe_difference(decision)}"
        )
        details = {**details, "alarm": alarm}
        return Result(text, Verdict.UNKNOWN, reason=f"alarm: {alarm}", details=details)
    if decision.identity:
        from symconv.routes.refutation.search import Inconclusive

        ops = _operators(eq)
        checks = _cross_checks() if ops <= SPOT_CHECK_MAX_OPERATORS else ()
        details["spot_check"] = (
            "agreed" if checks else
            f"skipped: {ops} operators, the spot check runs on at most {SPOT_CHECK_MAX_OPERATORS}"
        )
        for check in checks:
            try:
                alarm = check(eq, decision, budget)
            except Inconclusive as exc:
                details["spot_check"] = f"inconclusive: {exc}"
                continue
            if alarm:
                return Result(
                    text,
                    Verdict.UNKNOWN,
                    reason=f"alarm: the normal form proves it but {alarm}",
                    details={**details, "alarm": alarm},
                )
        hypotheses = decision.hypotheses
        if kernel_derivation is not None:
            from symconv.routes.derivation.render import side_conditions

            hypotheses += side_conditions(kernel_derivation)
        return issue(
            identity_certificate(eq, kernel_derivation),
            method=METHOD_FOURIER
            + (f" + {METHOD_DERIVATION}" if derivation["found"] else "")
            + (f" ({', '.join(conventions)} convention of 𝓕)" if conventions else ""),
            # on ℤ/N every sum is finite: the side conditions of the rules (integrability,
            # Fubini, …) are about infinite measure spaces and hold there without a word
            hypotheses=() if eq.group.kind == "ZN" else hypotheses,
            details=details,
        )
    details["difference"] = [m.to_dict() for m in decision.difference]
    for refute in _refuters():
        witness = refute(eq, decision, budget)
        if witness is not None:
            details["repairs"] = [r for repair in _repairers() for r in repair(eq, budget)]
            return issue(witness.certificate, method="counterexample", witness=witness, details=details)
    if decision.undecided:
        why = (
            f"but whether the coefficient(s) {', '.join(decision.undecided[:3])} vanish for every "
            "value of the parameters is not decided (they are not polynomials in them)"
        )
    elif decision.complete:
        why = f"so this is not an identity for {eq.group.function_class.split(' (')[0]}"
    else:
        why = (
            "which, outside the fragment where the normal form decides completely, is only "
            "a lead (not a proof that it fails)"
        )
    from symconv.routes.refutation.search import worlds_of

    _, no_witness = worlds_of(eq)
    return Result(
        text,
        Verdict.UNKNOWN,
        reason=(
            f"the Fourier normal forms differ in {_describe_difference(decision)}, {why}; "
            + (f"and {no_witness}" if no_witness else "no counterexample has been replayed yet")
        ),
        details=details,
    )


def _negate(statement: Statement, eq_result: Result) -> Result:
    """The verdict on “A = B is not an identity” from the verdict on A = B."""
    text = str(statement)
    v = eq_result.verdict
    if v in (Verdict.REFUTED, Verdict.PROVED):
        return negation(statement, eq_result)
    reason = eq_result.reason or f"{eq_result.statement} was only checked"
    return Result(text, Verdict.UNKNOWN, reason=reason, negated=True, details=eq_result.details)


def prove(
    statement, *, timeout: float = DEFAULT_TIMEOUT, explain: bool = False, cache=None
) -> Result:
    """Decide a statement; always returns a :class:`Result` for a well-formed one.

    ``statement`` is text in the statement syntax, a :class:`Statement`, a pair
    ``(lhs, rhs)`` of terms, a SymPy ``Eq``/``Ne``, or a claim object with a
    ``decide(budget) -> Result`` method (claims outside the term language). Bad input
    raises: :class:`~symconv.language.parser.ParseError` for text, TermError for terms
    outside the language (or beyond the bounds), ValueError for a bad ``timeout``.
    Everything that goes wrong after that (a timeout, a form too large, an exception
    in the engine or in a claim's code) ends as ``unknown`` with the reason.

    ``explain`` also searches a time-domain derivation where the search is costly (the
    larger language: transforms, products, dilations…); on the notes' own operators it is
    always searched, as a second route and a cross-check.

    With a :class:`~symconv.engine.cache.VerdictCache`, a verdict kept by an earlier run
    is reused when the cache's verification hook accepts its certificate, and a new
    verdict is kept.
    """
    timeout = check_timeout(timeout)
    if cache is not None:
        return _prove_cached(statement, timeout, explain, cache)
    warm_up()  # before the clock starts: importing is not part of any decision
    start = time.perf_counter()
    if _is_claim(statement):
        from symconv.engine.child import decide_claim, decide_here

        if _is_own_claim(statement):
            result = decide_here(statement, timeout)
        else:
            result = decide_claim(statement, timeout)
        return result.with_seconds(time.perf_counter() - start)
    try:
        st = as_statement(statement)
    except (ParseError, TermError, TypeError):
        raise  # bad input: the caller's to report
    except Exception as exc:  # reading went wrong in a way that is no fault of the input
        shown = statement if isinstance(statement, str) else f"<{type(statement).__name__}>"
        result = internal_error(shown, exc)
        return result.with_seconds(time.perf_counter() - start).echoing(statement)
    try:
        result = _prove_statement(st, timeout, explain)
    except Exception as exc:  # a bug: an honest unknown, never a verdict
        result = internal_error(_text(st), exc, negated=st.negated)
    return result.with_seconds(time.perf_counter() - start).echoing(statement)


def _prove_cached(statement, timeout: float, explain: bool, cache) -> Result:
    """``prove`` through the cache: the statement is read once (bad input raises as
    without a cache), looked up, and decided only when no verified verdict is kept."""
    try:
        st = statement if _is_claim(statement) else as_statement(statement)
    except (ParseError, TermError, TypeError):
        raise
    except Exception:  # not the input's fault: prove() reports it, nothing is kept
        return prove(statement, timeout=timeout, explain=explain)
    result = cache.get(st)
    if result is None:
        result = prove(st, timeout=timeout, explain=explain)
        cache.put(st, result)
    return result.echoing(statement)


def _text(st: Statement) -> str:
    try:
        return str(st)
    except Exception as exc:  # e.g. a number too long to print
        return f"<a statement that cannot be printed: {type(exc).__name__}>"


def _prove_statement(st: Statement, timeout: float, explain: bool = False) -> Result:
    depth = max(_depth(st.lhs), _depth(st.rhs))
    if depth > MAX_TERM_DEPTH:
        return Result(
            f"<a statement nested {depth} deep>",
            Verdict.UNKNOWN,
            reason=f"the statement nests {depth} operations deep; the limit is {MAX_TERM_DEPTH}",
            negated=st.negated,
        )
    text = _text(st)
    try:
        with time_limit(timeout) as budget:
            eq_result = _decided_equality(st.equation(), budget, explain)
            return _negate(st, eq_result) if st.negated else eq_result
    except Timeout as exc:
        return Result(text, Verdict.UNKNOWN, reason=str(exc), negated=st.negated)
    except FormTooLarge as exc:
        return Result(text, Verdict.UNKNOWN, reason=str(exc), negated=st.negated)
    except TermError as exc:
        return Result(
            text, Verdict.UNKNOWN, reason=f"outside the language: {exc}", negated=st.negated
        )


#: The modules deciding imports on first use: the routes, NumPy's polynomials (the
#: replay's quadrature) and the modules SymPy itself imports on its first sum.
_ROUTE_MODULES = (
    "symconv.routes.refutation.search",
    "symconv.routes.refutation.repair",
    "symconv.routes.refutation.replay",
    "symconv.routes.derivation.search",
    "symconv.routes.derivation.render",
    "numpy.polynomial.legendre",
    "sympy.tensor.tensor",
)
_imported = False
_warm = False


def needs_warm_up() -> bool:
    """Whether :func:`warm_up` with ``decide=True`` would still decide something here."""
    return not _warm


def warm_up(*, decide: bool = False) -> bool:
    """Once per process, outside any budget: import what deciding imports on first use,
    so that importing is never part of an obligation's time or budget.

    With ``decide=True`` (a worker process, before its first decision) also decide two
    small statements, so that SymPy's first-call costs never count against the first
    obligation a worker decides either, whatever the number of jobs; unless this process
    (or the one it was forked from) has decided an equality already. True when it did."""
    global _imported, _warm
    if not _imported:
        from importlib import import_module

        _imported = True
        for name in _ROUTE_MODULES:
            import_module(name)
    if not decide or _warm:
        return False
    _warm = True
    for text in ("f*g = g*f", "f⋆g = g⋆f"):
        try:
            with time_limit(DEFAULT_TIMEOUT) as budget:
                _decide_equality(parse(text), budget)
        except (Exception, Timeout):  # pragma: no cover - the real decisions will say
            pass
    return True


#: Within a run (:func:`once_per_run`): the equalities proved or refuted so far, by
#: their group and term trees, most recent last (at most :data:`MEMO_SIZE`), so that ``A ≠ B``
#: after ``A = B`` (the notes state several claims both ways), or one statement in two
#: theorem files, is decided once. None outside a run: every call decides.
_memo: "OrderedDict[tuple, Result] | None" = None
MEMO_SIZE = 256


@contextmanager
def once_per_run():
    """Decide each equality once while this block runs (a run of many obligations; the
    worker processes of a run inherit it). The same code on the same terms reaches the
    same verdict; nothing outlives the block (verdicts kept between runs are
    :mod:`symconv.engine.cache`'s, reused only once their certificates are re-verified)."""
    global _memo
    outer = _memo
    if outer is None:
        _memo = OrderedDict()
    try:
        yield
    finally:
        _memo = outer


def _decided_equality(eq: Statement, budget: Budget, explain: bool) -> Result:
    global _warm
    memo = _memo
    # the group is part of the claim: τ(f, 4) = f is false on ℝ and true on ℤ/4
    key = (str(eq.group), sp.srepr(eq.lhs), sp.srepr(eq.rhs), explain) if memo is not None else None
    if memo is not None and key in memo:
        memo.move_to_end(key)
        return memo[key]
    result = _decide_equality(eq, budget, explain)
    _warm = True  # SymPy's first-call costs are paid, here and in workers forked from here
    if memo is not None and result.verdict in (Verdict.PROVED, Verdict.REFUTED):
        memo[key] = result
        while len(memo) > MEMO_SIZE:
            memo.popitem(last=False)
    return result


def _depth(expr) -> int:
    """The depth of a term tree, without recursion."""
    deepest, stack = 0, [(expr, 1)]
    while stack:
        node, d = stack.pop()
        deepest = max(deepest, d)
        stack.extend((a, d + 1) for a in node.args)
    return deepest


def _is_claim(obj) -> bool:
    """A claim outside the term language (e.g. section 2's maps) decides itself."""
    return not isinstance(obj, (str, Statement, tuple, sp.Basic)) and callable(
        getattr(obj, "decide", None)
    )


is_claim = _is_claim


def _is_own_claim(claim) -> bool:
    """A claim whose ``decide`` is symconv's own code (pure Python on SymPy and NumPy,
    which honours its budget) is decided in this process; any other in a child."""
    decide_method = getattr(type(claim), "decide", None)
    module = getattr(decide_method, "__module__", "") or ""
    return module == "symconv" or module.startswith("symconv.")


def prove_all(statements: Iterable, *, timeout: float = DEFAULT_TIMEOUT) -> list[Result]:
    return [prove(s, timeout=timeout) for s in statements]

