"""Persistence of issued documents: certificates and carbon labels, signed and never changed.

A document is created once per approved application (a unique constraint) and never
updated; its status is the application's state together with ``valid_until``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from certify.models.applications import Application
from footprint.platform.db import db, utcnow


class IssuedDocument:
    """What a certificate and a label hold: signed content, the district's signature and
    the QR token. Status is not stored: it is the application's state (issued,
    suspended, revoked, expired) together with ``valid_until``."""

    kind: ClassVar[str]
    """The document kind its tokens name (`certify.core.signing.KIND_CODES`)."""
    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), unique=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    signature: Mapped[dict[str, str]] = mapped_column(JSON)
    token: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    valid_until: Mapped[date]
    issued_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    @declared_attr
    def application(cls) -> Mapped[Application]:
        return relationship(lazy="joined")


class Certificate(IssuedDocument, db.Model):
    __tablename__ = "certificates"
    kind: ClassVar[str] = "certificate"


class Label(IssuedDocument, db.Model):
    __tablename__ = "labels"
    kind: ClassVar[str] = "label"
