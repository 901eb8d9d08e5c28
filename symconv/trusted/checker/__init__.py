"""The independent checker: re-verifies a certificate from its data alone (trusted).

The routes *find* verdicts; this package *checks* them, the way ``drat-trim`` checks a SAT
solver's proof. It reads a certificate as JSON data, never a Python object the routes made,
and imports only SymPy, mpmath, the standard library, the term language and the derivation
kernel (a test enforces it). ``fourier`` (:mod:`.identity`): both sides read with its own
table on the claim's group, equal; the kernel derivation replayed; its side conditions exactly
the replayed steps' assumptions. ``counterexample`` (:mod:`.witness`): on ℝ and ℝ² every
compound subterm's closed form checked against its definition by quadrature (δ parts
exactly), the sides recomputed at two precisions; on ℤⁿ and ℤ/n the sides by finite sums
(:mod:`.sums`) in interval arithmetic; either way they differ and are the recorded exact
values. ``definition`` (:mod:`.witness`): the definition integrated exactly piece by piece.
``record`` (:mod:`.records`): each computation redone exactly, each numeric check re-evaluated.

:func:`check` returns a :class:`Report`; it raises nothing for bad data (a timeout of the
caller passes through).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from symconv.trusted.checker import identity, records, witness
from symconv.trusted.checker.common import DATA_ERRORS, Invalid, need

__all__ = ["check", "Report", "Invalid", "KINDS"]

FORMAT = "symconv-certificate"
VERSION = 1
#: Each kind: its own fields, the verdicts it can support, the function that checks it.
KINDS = {
    "fourier": (
        {"claim", "convention", "scope", "images", "difference", "derivation", "side_conditions"},
        identity.check,
    ),
    "counterexample": ({"claim", "witness", "values", "enclosure", "closed_forms"}, witness.check_counterexample),
    "definition": ({"operation", "functions", "closed_form"}, witness.check_definition),
    "record": ({"argument", "subject", "entries"}, records.check),
}


@dataclass(frozen=True)
class Report:
    """The checker's answer: ``valid``, and why not (``reason``) or what was done (``checked``)."""

    valid: bool
    kind: str | None
    verdict: str | None
    reason: str = ""
    checked: tuple = ()
    seconds: float = 0.0

    def __str__(self) -> str:
        return f"valid {self.kind} certificate ({self.verdict})" if self.valid else f"invalid: {self.reason}"


def _verdict_of(data: dict) -> str:
    """The only verdict each kind of certificate can support, given its claim."""
    kind, verdict = data["kind"], data["verdict"]
    if kind in ("fourier", "counterexample"):
        claim = data["claim"]
        need(isinstance(claim, dict) and isinstance(claim.get("negated"), bool), "a claim is {lhs, rhs, negated}")
        proves_equality = kind == "fourier"
        return "proved" if proves_equality != claim["negated"] else "refuted"
    if kind == "definition":
        return "proved"
    need(verdict in ("proved", "refuted", "checked"), f"a record cannot support {verdict!r}")
    return verdict


def check(data) -> Report:
    """Re-verify the certificate ``data`` (the JSON object, e.g. ``json.load(file)``)."""
    start = time.perf_counter()
    identity.bound_atoms()
    kind = verdict = None
    try:
        need(isinstance(data, dict), "a certificate is a JSON object")
        need(data.get("format") == FORMAT and data.get("version") == VERSION,
             f"not a {FORMAT} of version {VERSION}")
        kind, verdict = data.get("kind"), data.get("verdict")
        need(isinstance(kind, str) and kind in KINDS, f"unknown kind {kind!r}")
        fields, checker = KINDS[kind]
        need(set(data) == fields | {"format", "version", "kind", "verdict", "statement"},
             f"a {kind} certificate has exactly the fields {sorted(fields)} besides the envelope")
        need(verdict == _verdict_of(data), f"this {kind} certificate cannot support {verdict!r}")
        done = checker(data)
    except DATA_ERRORS as exc:
        reason = str(exc) if isinstance(exc, Invalid) else f"{type(exc).__name__}: {exc}"
        return Report(False, kind, verdict, reason or type(exc).__name__, (), time.perf_counter() - start)
    return Report(True, kind, verdict, "", tuple(done), time.perf_counter() - start)
