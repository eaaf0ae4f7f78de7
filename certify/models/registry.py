"""Persistence of the forest-sink credit registry (SQLAlchemy 2.0 typed ORM).

Credits live as contiguous serial blocks inside an issuance. At any moment the blocks
of an issuance partition its serial range: each block is active (held by an
organisation), retired (by one retirement) or cancelled (taken out of circulation with no
removal behind it). Every change is also an event in the
append-only ledger, which the database itself refuses to update or delete.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from certify.core import chain
from certify.core.ledger import Record
from footprint.accounts.models import Organisation
from footprint.platform.db import db, utcnow


class CreditingStandard(db.Model):
    __tablename__ = "crediting_standards"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    registry_name: Mapped[str] = mapped_column(String(300), default="")


class Project(db.Model):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    standard_id: Mapped[int] = mapped_column(ForeignKey("crediting_standards.id"))
    methodology: Mapped[str] = mapped_column(String(64))
    project_type: Mapped[str] = mapped_column(String(32))
    region: Mapped[str] = mapped_column(String(64))
    area_ha: Mapped[Decimal | None]
    crediting_start: Mapped[date | None]
    crediting_end: Mapped[date | None]
    documents: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    external_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    standard: Mapped[CreditingStandard] = relationship(lazy="joined")


class Issuance(db.Model):
    """A vintage's credits for a project: numbers [number_start, number_end] of its prefix.

    ``quantity`` is the verified quantity; the buffer pool's ``buffer_quantity`` is
    withheld from it and holds the range's last serials. (Issuances made before the
    buffer was withheld ran ``buffer_quantity`` serials past the quantity; the migration
    that corrected them cancelled as many of the holder's.)"""

    __tablename__ = "issuances"
    __table_args__ = (
        UniqueConstraint("project_id", "vintage", "number_start"),
        CheckConstraint("number_start <= number_end", name="range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    vintage: Mapped[int]
    programme: Mapped[str] = mapped_column(String(8))
    number_start: Mapped[int]
    number_end: Mapped[int]
    quantity: Mapped[int]
    buffer_quantity: Mapped[int] = mapped_column(default=0)
    external_ref: Mapped[str | None] = mapped_column(String(200), unique=True)
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    project: Mapped[Project] = relationship(lazy="joined")


class CreditBlock(db.Model):
    """A run of serials of one issuance, held (active) or retired. ``version`` guards updates."""

    __tablename__ = "credit_blocks"
    __table_args__ = (
        UniqueConstraint("issuance_id", "number_start"),
        CheckConstraint("number_start <= number_end", name="range"),
        CheckConstraint("status IN ('active', 'retired', 'cancelled')", name="status"),
        CheckConstraint("(status = 'retired') = (retirement_id IS NOT NULL)", name="retired"),
        Index("ix_credit_blocks_holder", "holder_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    issuance_id: Mapped[int] = mapped_column(ForeignKey("issuances.id"))
    number_start: Mapped[int]
    number_end: Mapped[int]
    holder_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    status: Mapped[str] = mapped_column(String(16), default="active")
    retirement_id: Mapped[int | None] = mapped_column(ForeignKey("retirements.id"), index=True)
    version: Mapped[int] = mapped_column(default=1)

    issuance: Mapped[Issuance] = relationship(lazy="joined")
    holder: Mapped[Organisation] = relationship(lazy="joined")

    __mapper_args__: ClassVar[dict[str, Any]] = {"version_id_col": version}


class Retirement(db.Model):
    __tablename__ = "retirements"
    __table_args__ = (CheckConstraint("number_start <= number_end", name="range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    issuance_id: Mapped[int] = mapped_column(ForeignKey("issuances.id"), index=True)
    number_start: Mapped[int]
    number_end: Mapped[int]
    quantity: Mapped[int]
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    beneficiary: Mapped[str] = mapped_column(String(200), index=True)
    purpose: Mapped[str] = mapped_column(Text)
    retired_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    issuance: Mapped[Issuance] = relationship(lazy="joined")
    organisation: Mapped[Organisation] = relationship(lazy="joined")


class Transfer(db.Model):
    __tablename__ = "transfers"

    id: Mapped[int] = mapped_column(primary_key=True)
    issuance_id: Mapped[int] = mapped_column(ForeignKey("issuances.id"), index=True)
    number_start: Mapped[int]
    number_end: Mapped[int]
    quantity: Mapped[int]
    from_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    to_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    transferred_at: Mapped[datetime] = mapped_column(default=utcnow)
    transferred_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    issuance: Mapped[Issuance] = relationship(lazy="joined")


class LedgerEvent(db.Model):
    """Append-only (the migration installs triggers that refuse UPDATE and DELETE), and
    hash-chained: ``sequence``, ``previous_hash`` and ``hash`` seal every other field
    (`certify.core.ledger.Record`)."""

    __tablename__ = "ledger_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    sequence: Mapped[int] = mapped_column(unique=True)
    previous_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(16))
    issuance_id: Mapped[int] = mapped_column(ForeignKey("issuances.id"), index=True)
    number_start: Mapped[int]
    number_end: Mapped[int]
    quantity: Mapped[int]
    from_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    to_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    reference_id: Mapped[int | None]
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    def record(self) -> Record:
        return Record(
            at=self.at,
            actor_id=self.actor_id,
            kind=self.kind,
            issuance_id=self.issuance_id,
            number_start=self.number_start,
            number_end=self.number_end,
            quantity=self.quantity,
            from_id=self.from_id,
            to_id=self.to_id,
            reference_id=self.reference_id,
            detail=self.detail,
        )

    def entry(self) -> chain.Entry:
        return self.record().stored(
            sequence=self.sequence, previous_hash=self.previous_hash, hash=self.hash
        )
