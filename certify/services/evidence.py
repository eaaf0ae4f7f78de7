"""Evidence attached to a certification application: the files a verifier checks the
application against — meter readings, fuel invoices, refrigerant logs, green-certificate
records, PV output.

The applicant organisation's operators attach and remove files while the application
may be changed (a draft, or when changes were requested: `applications.EDITABLE`);
whoever may read the application (its operators, its assigned verifier, the district:
`applications.get`) lists and downloads them. A file is a PDF, PNG, JPEG, CSV or XLSX of
at most `MAX_BYTES`, judged by its content (its first bytes; a CSV, which has no
signature, must be declared so and be plain text, not markup), never by its name alone;
an application holds at most `MAX_FILES`. Attaching and removing are appended to the
audit chain with the file's SHA-256, so that the chain proves which bytes the verifier
was shown (and the review screen's data version moves).
"""

from __future__ import annotations

import hashlib
import io
import zipfile

from sqlalchemy import func, select

from certify.models.applications import Application
from certify.models.evidence import MEDIA_TYPES, EvidenceDocument
from certify.services import applications, audit_chain
from footprint.accounts.models import Role, User
from footprint.platform.db import db
from footprint.platform.problems import Problem, invalid
from guides.store import load_guide

MAX_MB = 10
MAX_BYTES = MAX_MB * 1024 * 1024
"""The largest file of evidence, in bytes (10 MB)."""
MAX_FILES = 50
"""The most files of evidence one application holds."""
NAME_LENGTH = 200
PDF, PNG, JPEG, CSV, XLSX = MEDIA_TYPES
KINDS = "a PDF, PNG, JPEG, CSV or XLSX file"
SIGNATURES = ((b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG))
"""The first bytes of each kind of file that has a signature."""
ZIP = b"PK\x03\x04"
TEXT_SAMPLE = 8192
"""How many of a CSV's first bytes are looked at to tell text from anything else."""
CONTROL = frozenset(range(32)) - {9, 10, 13}


def _is_workbook(content: bytes) -> bool:
    """An Office Open XML spreadsheet: a ZIP archive with a workbook part (its entries
    are listed, never inflated)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return False
    return {"[Content_Types].xml", "xl/workbook.xml"} <= names


def _is_plain_text(content: bytes) -> bool:
    """Text in UTF-8 (or GB18030, as spreadsheets in China save CSV), without control
    characters, that is not markup (an HTML page does not become a CSV by its name)."""
    sample = content[:TEXT_SAMPLE]
    if any(byte in CONTROL for byte in sample):
        return False
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError as error:
            if error.start < len(sample) - 4:  # not merely a character cut off at the end
                continue
            text = sample[: error.start].decode(encoding)
        return not text.lstrip().startswith("<")
    return False


def sniff(content: bytes, *, declared: str | None) -> str | None:
    """The media type ``content`` is by its first bytes — a PDF, PNG, JPEG or XLSX — or
    a CSV if ``declared`` so and plain text; None for anything else."""
    for signature, media_type in SIGNATURES:
        if content.startswith(signature):
            return media_type
    if content.startswith(ZIP):
        return XLSX if _is_workbook(content) else None
    if declared == CSV and _is_plain_text(content):
        return CSV
    return None


def _media_type(content: bytes, declared: str | None) -> str:
    """The file's media type by its content: 422 naming ``file`` for an empty or too
    large file, one of another kind, or one whose content is not what it was declared."""
    if not content:
        raise invalid("file", "the file is empty")
    if len(content) > MAX_BYTES:
        raise invalid("file", f"larger than {MAX_MB} MB: attach files of at most {MAX_MB} MB")
    found = sniff(content, declared=declared)
    if found is None or (declared in MEDIA_TYPES and declared != found):
        raise invalid("file", f"not {KINDS} (judged by its content)")
    return found


def _file_name(name: str) -> str:
    """The name without any folders the browser sent, or control characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    clean = "".join(c for c in base if c.isprintable()).strip()
    if not clean:
        raise invalid("file", "Missing data for required field.")
    if len(clean) > NAME_LENGTH:
        raise invalid("file", f"Longer than maximum length {NAME_LENGTH}.")
    return clean


def _criterion(application: Application, criterion_id: str | None) -> str | None:
    """The criterion of the application's guide version the file supports, if any."""
    if not criterion_id:
        return None
    criterion = load_guide(application.guide_version).criterion(criterion_id)
    if criterion is None or application.subject_kind not in criterion.applies_to:
        raise invalid(
            "criterion_id",
            f"guide version {application.guide_version} has no criterion {criterion_id} "
            f"for a {application.subject_kind}",
        )
    return criterion.id


def _editing(user: User, application_id: int) -> Application:
    """The application, locked, for one of its applicant's operators to change now."""
    if user.role != Role.OPERATOR:
        raise Problem(403, "Only the applicant's operators attach and remove evidence.")
    return applications.editing(user, application_id=application_id)


CHAINED = ("name", "media_type", "size", "sha256", "description", "criterion_id")
"""What the audit chain records of a file: what it is, and its SHA-256."""


def _chain(user: User, action: str, evidence: EvidenceDocument, *, attached: bool) -> None:
    """Append the file's attachment (or removal) to the audit chain, and commit."""
    snapshot = {"evidence_id": evidence.id} | {name: getattr(evidence, name) for name in CHAINED}
    audit_chain.append(
        user,
        action=f"evidence.{action}",
        subject=f"application:{evidence.application_id}/evidence:{evidence.id}",
        before=None if attached else snapshot,
        after=snapshot if attached else None,
    )
    db.session.commit()


def attach(
    user: User,
    *,
    application_id: int,
    name: str,
    media_type: str | None,
    content: bytes,
    description: str,
    criterion_id: str | None,
) -> EvidenceDocument:
    """Attach a file to the application (its applicant's operators, while it may be
    changed): 422 naming the field for a file, description or criterion that will not do,
    403 for anyone else, 409 once submitted or when it holds `MAX_FILES` already.
    ``media_type`` is what the file was declared as (by its name or the browser)."""
    found_type = _media_type(content, media_type)
    file_name = _file_name(name)
    if not description.strip():
        raise invalid("description", "Must not be blank.")
    application = _editing(user, application_id)
    held = db.session.scalar(
        select(func.count(EvidenceDocument.id)).where(
            EvidenceDocument.application_id == application.id
        )
    )
    if (held or 0) >= MAX_FILES:
        raise Problem(
            409,
            f"application {application.id} holds {MAX_FILES} files of evidence, the most "
            "it may: remove one first",
        )
    evidence = EvidenceDocument(
        application_id=application.id,
        name=file_name,
        media_type=found_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        description=description.strip(),
        criterion_id=_criterion(application, criterion_id),
        uploaded_by_id=user.id,
    )
    db.session.add(evidence)
    db.session.flush()
    _chain(user, "attached", evidence, attached=True)
    return evidence


def _one(application: Application, evidence_id: int) -> EvidenceDocument:
    """One file of the application's evidence, or 404."""
    evidence = db.session.get(EvidenceDocument, evidence_id)
    if evidence is None or evidence.application_id != application.id:
        raise Problem(404, f"application {application.id} has no evidence {evidence_id}")
    return evidence


def remove(user: User, *, application_id: int, evidence_id: int) -> None:
    """Remove a file (its applicant's operators, while the application may be changed);
    the audit chain keeps what it was, and its SHA-256."""
    application = _editing(user, application_id)
    evidence = _one(application, evidence_id)
    db.session.delete(evidence)
    _chain(user, "removed", evidence, attached=False)


def listing(user: User, *, application_id: int) -> list[EvidenceDocument]:
    """The application's evidence, oldest first, without the files' bytes (for whoever
    may read the application)."""
    application = applications.get(user, application_id=application_id)
    return list(
        db.session.scalars(
            select(EvidenceDocument)
            .where(EvidenceDocument.application_id == application.id)
            .order_by(EvidenceDocument.id)
        )
    )


def get(user: User, *, application_id: int, evidence_id: int) -> EvidenceDocument:
    """One file of the application's evidence, its bytes with it (for whoever may read
    the application)."""
    return _one(applications.get(user, application_id=application_id), evidence_id)
