"""Persistence of verifier accreditation, declarations of advice (conflicts of interest),
and the public keys verifiers sign off with (their private keys never reach the server)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from footprint.accounts.models import Organisation, User
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


class VerifierKey(db.Model):
    """A verifier's registered Ed25519 public key, by its RFC 7638 thumbprint.

    At most one key of a user is active (no ``retired_at``): it signs their new
    sign-offs. A retired key signs nothing new, but the sign-offs it made keep verifying.
    """

    __tablename__ = "verifier_keys"
    __table_args__ = (
        CheckConstraint("registered_through IN ('browser', 'api')", name="registered_through"),
        CheckConstraint("retired_at IS NULL OR registered_at <= retired_at", name="period"),
        Index(
            "uq_verifier_keys_active_user",
            "user_id",
            unique=True,
            sqlite_where="retired_at IS NULL",
            postgresql_where="retired_at IS NULL",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kid: Mapped[str] = mapped_column(String(64), unique=True)
    jwk: Mapped[dict[str, Any]] = mapped_column(JSON)
    """The public JWK as registered: ``{"kty": "OKP", "crv": "Ed25519", "x": …}``."""
    registered_through: Mapped[str] = mapped_column(String(16))
    registered_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined")
