"""Certificates: what a verdict rests on, as data anyone can re-check.

A certificate is a typed, versioned, JSON-serialisable object (the schema is in
``docs/certificates.md``). Its expressions and terms are JSON trees
(:mod:`symconv.trusted.codec`), so a certificate read from disk is only ever *read*, never
evaluated; ``python -m symconv verify`` and :func:`symconv.trusted.checker.check` re-verify
it without the routes that found the verdict.

Four kinds:

* :class:`FourierCertificate` — an identity (``proved``; ``refuted`` for ``A ≠ B``): the
  statement as term trees, the convention, both transform images and their difference, the
  kernel's derivation step by step when one was found, and its side conditions;
* :class:`CounterexampleCertificate` — a replayed witness (``refuted``; ``proved`` for
  ``A ≠ B``): the functions, parameters, point or test function, both exact values, the
  enclosure of their difference and the closed form of every compound subterm;
* :class:`DefinitionCertificate` — the definition (1) or (9) on two concrete functions
  equals a closed form (``proved``);
* :class:`RecordCertificate` — section 2 and the network claims: what was computed, each
  entry a computation or a numeric check.

This module only holds and validates the *shape* of certificates; whether one is *valid*
is for the checker to say.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, ClassVar

__all__ = [
    "FORMAT",
    "VERSION",
    "CertificateError",
    "Certificate",
    "FourierCertificate",
    "CounterexampleCertificate",
    "DefinitionCertificate",
    "RecordCertificate",
    "KINDS",
    "MAX_BYTES",
]

FORMAT = "symconv-certificate"
VERSION = 1
#: The largest certificate file :meth:`Certificate.from_json` reads.
MAX_BYTES = 20_000_000
_VERDICTS = ("proved", "refuted", "checked")


class CertificateError(ValueError):
    """Text or data that is not a certificate of this format (what is wrong, and where)."""


def _json_value(value, where: str, depth: int = 0):
    """Refuse anything that is not plain JSON data (and absurd nesting)."""
    if depth > 1000:
        raise CertificateError(f"{where}: nested too deep")
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        raise CertificateError(f"{where}: a float; certificates hold exact numbers as trees or text")
    if isinstance(value, list):
        for i, v in enumerate(value):
            _json_value(v, f"{where}[{i}]", depth + 1)
        return value
    if isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(k, str):
                raise CertificateError(f"{where}: a key that is not text")
            _json_value(v, f"{where}.{k}", depth + 1)
        return value
    raise CertificateError(f"{where}: {type(value).__name__} is not JSON data")


#: Every kind by its name.
KINDS: dict[str, type] = {}


class _Packed(str):
    """A field's JSON tree, kept as its text once validated: a tenth of the memory of the
    lists and dicts (a run of thousands of obligations keeps every certificate), and a
    fresh copy on every read, so that no reader can change a certificate."""

    __slots__ = ()


@dataclass(frozen=True)
class Certificate:
    """The common envelope: the verdict it supports and the statement as read (for people;
    the checker reads the claim from the kind's own fields)."""

    verdict: str
    statement: str

    kind: ClassVar[str] = ""
    #: For each field of the kind, the JSON types it may hold.
    SHAPE: ClassVar[dict] = {}

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        KINDS[cls.kind] = cls

    def __post_init__(self):
        if self.verdict not in self.verdicts():
            raise CertificateError(
                f"a {self.kind} certificate supports {' or '.join(self.verdicts())}, not {self.verdict!r}"
            )
        if not isinstance(self.statement, str):
            raise CertificateError("statement must be text")
        for name, types in self.SHAPE.items():
            value = _json_value(getattr(self, name), name)
            if not isinstance(value, types):
                allowed = ", ".join(t.__name__ if t is not type(None) else "null" for t in types)
                raise CertificateError(f"{self.kind} certificate: {name} must be {allowed}")
            if isinstance(value, (dict, list)):
                packed = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
                object.__setattr__(self, name, _Packed(packed))

    def __getattribute__(self, name):
        value = object.__getattribute__(self, name)
        return json.loads(value) if type(value) is _Packed else value

    @classmethod
    def verdicts(cls) -> tuple[str, ...]:
        return _VERDICTS

    @property
    def fields(self) -> dict[str, Any]:
        """The kind's own fields (everything but the envelope)."""
        return {name: getattr(self, name) for name in self.SHAPE}

    def to_dict(self) -> dict:
        return {
            "format": FORMAT,
            "version": VERSION,
            "kind": self.kind,
            "verdict": self.verdict,
            "statement": self.statement,
            **self.fields,  # fresh copies (see _Packed)
        }

    def to_json(self, **kwargs) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)

    @staticmethod
    def from_dict(data) -> "Certificate":
        """A certificate from its JSON data; :class:`CertificateError` says what is wrong."""
        if not isinstance(data, dict):
            raise CertificateError("a certificate is a JSON object")
        if data.get("format") != FORMAT:
            raise CertificateError(f"not a symconv certificate (format must be {FORMAT!r})")
        if data.get("version") != VERSION:
            raise CertificateError(f"certificate version {data.get('version')!r}; this symconv reads {VERSION}")
        cls = KINDS.get(data.get("kind")) if isinstance(data.get("kind"), str) else None
        if cls is None:
            raise CertificateError(f"unknown certificate kind {data.get('kind')!r}; known: {', '.join(KINDS)}")
        expected = {"format", "version", "kind", "verdict", "statement", *cls.SHAPE}
        if set(data) != expected:
            missing, extra = expected - set(data), set(data) - expected
            raise CertificateError(
                f"{cls.kind} certificate: "
                + "; ".join(
                    p for p in (
                        f"missing {', '.join(sorted(missing))}" if missing else "",
                        f"unknown {', '.join(sorted(extra))}" if extra else "",
                    ) if p
                )
            )
        return cls(**{k: data[k] for k in ("verdict", "statement", *cls.SHAPE)})

    @staticmethod
    def from_json(text) -> "Certificate":
        """A certificate from JSON text (or bytes); never evaluates anything in it."""
        if isinstance(text, bytes):
            if len(text) > MAX_BYTES:
                raise CertificateError(f"more than {MAX_BYTES} bytes")
            try:
                text = text.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise CertificateError(f"not UTF-8: {exc}") from exc
        if not isinstance(text, str):
            raise CertificateError("a certificate is JSON text")
        if len(text) > MAX_BYTES:
            raise CertificateError(f"more than {MAX_BYTES} characters")
        try:
            data = json.loads(text, parse_float=_no_float, parse_constant=_no_float)
        except (json.JSONDecodeError, RecursionError) as exc:
            raise CertificateError(f"not JSON: {exc}") from exc
        return Certificate.from_dict(data)


def _no_float(text):
    raise CertificateError(f"a float ({text}); certificates hold exact numbers as trees or text")


@dataclass(frozen=True)
class FourierCertificate(Certificate):
    """An identity decided by the Fourier normal form (and a kernel derivation, when found).

    ``claim`` is the statement (``{lhs, rhs, negated, group}`` term trees); ``images`` the
    transform image of each side as the normal form gave it (a tree in ω; null for a number
    or a form outside the notes' fragment — the checker computes every image itself);
    ``difference`` their normal form (0 for an identity); ``derivation`` the kernel's steps
    or null; ``side_conditions`` the assumptions the derivation's steps rest on.
    """

    claim: dict
    convention: str
    scope: str
    images: dict
    difference: list
    derivation: Any
    side_conditions: list

    kind: ClassVar[str] = "fourier"
    SHAPE: ClassVar[dict] = {
        "claim": (dict,),
        "convention": (str,),
        "scope": (str,),
        "images": (dict,),
        "difference": (list,),
        "derivation": (dict, type(None)),
        "side_conditions": (list,),
    }

    @classmethod
    def verdicts(cls):
        return ("proved", "refuted")


@dataclass(frozen=True)
class CounterexampleCertificate(Certificate):
    """A counterexample to ``claim``'s equality, replayed (see the module doc)."""

    claim: dict
    witness: dict
    values: dict
    enclosure: dict
    closed_forms: list

    kind: ClassVar[str] = "counterexample"
    SHAPE: ClassVar[dict] = {
        "claim": (dict,),
        "witness": (dict,),
        "values": (dict,),
        "enclosure": (dict,),
        "closed_forms": (list,),
    }

    @classmethod
    def verdicts(cls):
        return ("refuted", "proved")


@dataclass(frozen=True)
class DefinitionCertificate(Certificate):
    """``(f op g)(x) = closed_form`` for every x, op the definition (1) or (9)."""

    operation: str
    functions: dict
    closed_form: list

    kind: ClassVar[str] = "definition"
    SHAPE: ClassVar[dict] = {"operation": (str,), "functions": (dict,), "closed_form": (list,)}

    @classmethod
    def verdicts(cls):
        return ("proved",)


@dataclass(frozen=True)
class RecordCertificate(Certificate):
    """What a claim outside the term language computed: ``entries``, each with its
    ``role`` (``computation`` or ``numeric``), the ``check`` that re-does it and its data;
    ``subject`` what the claim is about (maps and points, sequences), which every entry's
    inputs must be among; ``argument`` says in words how the entries make the verdict."""

    argument: str
    subject: list
    entries: list

    kind: ClassVar[str] = "record"
    SHAPE: ClassVar[dict] = {"argument": (str,), "subject": (list,), "entries": (list,)}
