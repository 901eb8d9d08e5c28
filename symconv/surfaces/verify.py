"""``symconv verify`` and ``--certificates``: certificates written to disk and re-checked.

Writing: one JSON file per obligation (named after its id) or per statement, each written
whole or not at all (a temporary file renamed into place). Reading: a certificate file is
untrusted input — it is read as JSON (no floats, at most
:data:`~symconv.results.certificate.MAX_BYTES`), its shape validated by
:meth:`~symconv.results.certificate.Certificate.from_json`, and re-verified by the
independent checker (:func:`symconv.trusted.checker.check`). Nothing here prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from symconv.results.certificate import MAX_BYTES, Certificate, CertificateError
from symconv.surfaces.files import write_atomically
from symconv.surfaces.formatting import file_stem
from symconv.trusted.checker import check

__all__ = ["Verification", "write_certificates", "verify_paths", "certificate_files"]


def write_certificates(folder, named_results) -> tuple[list[Path], list[str]]:
    """Write the certificate of each (name, result) into ``folder``: (the files written,
    the names whose result has none — an ``unknown``)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written, without = [], []
    for name, result in named_results:
        cert = getattr(result, "certificate", None)
        if cert is None:
            without.append(name)
            continue
        path = folder / f"{file_stem(name)}.json"
        write_atomically(str(path), cert.to_json(indent=1) + "\n")
        written.append(path)
    return written, without


@dataclass(frozen=True)
class Verification:
    """One file's outcome: ``status`` is ``valid``, ``invalid`` or ``unreadable``."""

    path: str
    status: str
    kind: str | None = None
    verdict: str | None = None
    statement: str | None = None
    reason: str = ""
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return {
            "file": self.path,
            "status": self.status,
            "kind": self.kind,
            "verdict": self.verdict,
            "statement": self.statement,
            "reason": self.reason or None,
            "seconds": round(self.seconds, 6),
        }


def certificate_files(paths) -> tuple[list[Path], list[Verification]]:
    """The files to check (a folder: its ``*.json`` files, recursively), and an
    ``unreadable`` outcome for each path that does not exist or holds no certificate file."""
    files, problems = [], []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(q for q in p.rglob("*.json") if q.is_file())
            if not found:
                problems.append(Verification(str(p), "unreadable", reason="no .json file in this folder"))
            files.extend(found)
        elif p.is_file():
            files.append(p)
        else:
            problems.append(Verification(str(p), "unreadable", reason="no such file or folder"))
    return files, problems


def _verify_one(path: Path) -> Verification:
    try:
        if path.stat().st_size > MAX_BYTES:
            raise CertificateError(f"larger than {MAX_BYTES} bytes")
        cert = Certificate.from_json(path.read_bytes())
    except (OSError, CertificateError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return Verification(str(path), "unreadable", reason=reason)
    report = check(cert.to_dict())
    return Verification(
        str(path),
        "valid" if report.valid else "invalid",
        cert.kind,
        cert.verdict,
        cert.statement,
        report.reason,
        report.seconds,
    )


def verify_paths(paths) -> list[Verification]:
    """Check every certificate file under ``paths``, in order."""
    files, problems = certificate_files(paths)
    return problems + [_verify_one(f) for f in files]
