"""The one maker of verdicts: a result other than ``unknown`` is made here, and only after
the independent checker (:mod:`symconv.trusted.checker`) has accepted its certificate.

Routes *propose*: the Fourier normal form and the derivation search an identity, the
replay a counterexample, section 2 and the network claims a record of their computations.
Each hands its certificate to :func:`issue`, which runs the checker on the certificate's
JSON data — exactly what ``python -m symconv verify`` reads from disk — and returns the
result with the certificate attached, or ``unknown`` with an alarm when the checker refuses
it. An architecture test checks that no other module makes a ``proved``, ``refuted`` or
``checked`` result.

This module also builds the certificates of identities (:func:`identity_certificate`) and
the entries of records (:func:`entry`); counterexample certificates are made by the replay
(:mod:`symconv.routes.refutation.replay`), definition certificates by
:mod:`symconv.routes.concrete.definition`.
"""

from __future__ import annotations

from dataclasses import replace

import sympy as sp

from symconv.language.groups import R
from symconv.language.terms import FUNCTION, Statement
from symconv.results.certificate import (
    Certificate,
    FourierCertificate,
    RecordCertificate,
)
from symconv.results.result import Result, Verdict
from symconv.trusted import kernel as K
from symconv.trusted.checker import check
from symconv.trusted.checker.identity import convention, scope
from symconv.trusted.codec import CodecError, Decoder, Encoder

__all__ = ["issue", "negation", "identity_certificate", "record", "entry", "data", "ALARM"]

#: How a result starts when the checker refused the certificate a route proposed.
ALARM = "alarm: the certificate did not pass the independent checker"


def issue(certificate: Certificate, *, method: str, hypotheses=(), witness=None, details=None,
          negated: bool = False) -> Result:
    """The result ``certificate`` supports, once the checker has re-verified it."""
    details = dict(details or {})
    report = check(certificate.to_dict())
    if not report.valid:
        return Result(
            certificate.statement,
            Verdict.UNKNOWN,
            reason=f"{ALARM} ({certificate.kind}: {report.reason})",
            negated=negated,
            details={**details, "alarm": f"{ALARM}: {report.reason}"},
        )
    return Result(
        certificate.statement,
        Verdict(certificate.verdict),
        method=method,
        hypotheses=tuple(hypotheses),
        witness=witness,
        negated=negated,
        details=details,
        certificate=certificate,
    )


def negation(statement: Statement, result: Result) -> Result:
    """The verdict on “A = B is not an identity” from the certified verdict on A = B: the
    same evidence, its claim negated, checked again."""
    cert = result.certificate
    claim = {**cert.claim, "negated": True}
    flipped = {"proved": "refuted", "refuted": "proved"}[cert.verdict]
    negated = replace(cert, claim=claim, verdict=flipped, statement=str(statement))
    if result.verdict is Verdict.REFUTED:
        return issue(negated, method=f"counterexample to {result.statement}", witness=result.witness,
                     details=result.details, negated=True)
    return issue(negated, method=f"{result.method} proves {result.statement}",
                 hypotheses=result.hypotheses, details=result.details, negated=True)


# --------------------------------------------------------------------------- identities


def _images(eq: Statement, enc: Encoder):
    """The normal form's image of each side as an expression in ω, when its form is one (a
    function of the notes' fragment, on ℝ); else null — the checker computes its own anyway."""
    from symconv.routes.fourier import OMEGA, form_expr, normal_form

    enc.frequency = OMEGA
    out = {}
    for side in ("lhs", "rhs"):
        out[side] = None
        if eq.kind == FUNCTION and eq.group == R:
            try:  # a monomial outside the notes' fragment is a description, not an expression in ω
                tree = enc(form_expr(normal_form(getattr(eq, side))))
                Decoder(frequency=OMEGA).decode(tree)
            except CodecError:
                continue
            out[side] = tree
    return out


def _assumption(a: K.Assumption, enc: Encoder) -> dict:
    return {"rule": a.rule, "subject": enc(tuple(a.subject))}


def _steps(derivation: K.Derivation, enc: Encoder) -> list[dict]:
    out = []
    for step in derivation.steps[1:]:
        if step.rule == "rearrange":
            out.append({"rule": "rearrange", "line": enc(step.new)})
            continue
        item = {"rule": step.rule, "old": enc(step.old), "new": enc(step.new)}
        if step.rule == "substitute":
            item.update(phi=enc(step.info["phi"]), new_var=enc(step.info["new_var"]))
        if step.rule == "fubini":
            item["level"] = int(step.info["level"])
        if step.assumption is not None:
            item["assumption"] = _assumption(step.assumption, enc)
        out.append(item)
    return out


def identity_certificate(eq: Statement, derivation: K.Derivation | None = None) -> FourierCertificate:
    """The certificate that ``eq`` (an equality) is an identity: both images and, when the
    derivation search found one, the kernel's derivation and its side conditions."""
    enc = Encoder()
    images = _images(eq, enc)
    steps = side = None
    if derivation is not None and derivation.complete:
        steps = {"steps": _steps(derivation, enc)}
        used = []
        for s in derivation.steps:
            if s.assumption is not None and s.assumption not in used:
                used.append(s.assumption)
        side = [_assumption(a, enc) for a in used]
    return FourierCertificate(
        verdict="proved",
        statement=str(eq),
        claim=enc.statement(eq),
        convention=convention(eq.group),
        scope=scope(eq.group),
        images=images,
        difference=enc(sp.S.Zero),
        derivation=steps,
        side_conditions=side or [],
    )


# --------------------------------------------------------------------------- records


def data(**values) -> dict:
    """Values for a record: SymPy expressions as trees (in lists and dicts too); plain
    numbers and text as they are."""
    enc = Encoder()

    def tree(v):
        if isinstance(v, sp.Basic) and not isinstance(v, sp.Tuple):
            return enc(v)
        if isinstance(v, (list, tuple, sp.Tuple)):
            return [tree(x) for x in v]
        if isinstance(v, dict):
            return {k: tree(x) for k, x in v.items()}
        return v

    return {k: tree(v) for k, v in values.items()}


def entry(check: str, role: str = "computation", what: str = "", **values) -> dict:
    """One entry of a record: ``check`` names how the checker redoes it; its inputs (a map
    and a point, sequences, …) must be among the record's subject."""
    if role not in ("computation", "numeric"):
        raise ValueError(f"an entry is a computation or a numeric check, not {role!r}")
    return {"check": check, "role": role, "what": what, **data(**values)}


def record(statement: str, verdict: Verdict | str, argument: str, entries: list[dict],
           subject: list[dict] = ()) -> RecordCertificate:
    """A record certificate for a claim outside the term language; ``subject`` lists what
    the claim is about (each item made with :func:`data`: a map and a point, two maps,
    sequences), and every entry's inputs must be one of them."""
    return RecordCertificate(
        verdict=Verdict(verdict).value,
        statement=statement,
        argument=argument,
        subject=list(subject),
        entries=list(entries),
    )
