"""Persistence of offset claims: which retirements offset which inventory's residual."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from footprint.platform.db import db, utcnow


class OffsetClaim(db.Model):
    """A claim that retirements offset an inventory's residual emissions; each retirement
    may back one claim only, ever (unique ``claim_retirements.retirement_id``)."""

    __tablename__ = "offset_claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    inventory_id: Mapped[int] = mapped_column(ForeignKey("inventories.id"), unique=True)
    beneficiary: Mapped[str] = mapped_column(String(200))
    guide_version: Mapped[int]
    report: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    retirements: Mapped[list[ClaimRetirement]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )


class ClaimRetirement(db.Model):
    __tablename__ = "claim_retirements"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("offset_claims.id"), index=True)
    retirement_id: Mapped[int] = mapped_column(ForeignKey("retirements.id"), unique=True)
