"""Persistence of verifier accreditation and declarations of advice (conflicts of interest)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from footprint.accounts.models import Organisation
from footprint.platform.db import db, utcnow


class VerifierAccreditation(db.Model):
    """An organisation accredited by the programme to verify, for a period."""

    __tablename__ = "verifier_accreditations"
    __table_args__ = (CheckConstraint("valid_from <= valid_until", name="period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    scope: Mapped[str] = mapped_column(String(200), default="")
    valid_from: Mapped[date]
    valid_until: Mapped[date]
    accredited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    accredited_at: Mapped[datetime] = mapped_column(default=utcnow)
    withdrawn_at: Mapped[datetime | None]
    withdrawal_reason: Mapped[str | None] = mapped_column(Text)

    organisation: Mapped[Organisation] = relationship(lazy="joined")


class AdvisoryDeclaration(db.Model):
    """A verifier body declares it advised a client: it may then never verify that client."""

    __tablename__ = "advisory_declarations"
    __table_args__ = (UniqueConstraint("verifier_organisation_id", "client_organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    verifier_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    client_organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    declared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    declared_at: Mapped[datetime] = mapped_column(default=utcnow)
