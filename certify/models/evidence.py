"""Persistence of the evidence attached to a certification application: the documents a
verifier checks the application against (meter readings, fuel invoices, refrigerant
logs, green-certificate records, PV output).

The file's bytes are stored in the database (every app node sees them), with their
media type as sniffed from the content, size and SHA-256; the bytes are loaded only
when the file itself is asked for (``deferred``), never with a listing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from footprint.accounts.models import User
from footprint.platform.db import db, utcnow

MEDIA_TYPES = (
    "application/pdf",
    "image/png",
    "image/jpeg",
    "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
"""The kinds of file an application's evidence may be: PDF, PNG, JPEG, CSV and XLSX."""


class EvidenceDocument(db.Model):
    """One file of evidence attached to an application, optionally for one criterion of
    the application's guide version."""

    __tablename__ = "evidence_documents"
    __table_args__ = (
        CheckConstraint(
            "media_type IN (" + ", ".join(f"'{kind}'" for kind in MEDIA_TYPES) + ")",
            name="media_type",
        ),
        CheckConstraint("size > 0", name="size"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    description: Mapped[str] = mapped_column(Text)
    criterion_id: Mapped[str | None] = mapped_column(String(40))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(default=utcnow)

    uploaded_by: Mapped[User] = relationship(lazy="joined")
