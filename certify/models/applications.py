"""Persistence of certification: applications, their checklist, and issued documents.

An `Application` is an operator's request to certify one subject under the guide
version current when it was made: a scenic area or a venue for the period of one
inventory (a certificate), or a product by one footprint study (a carbon label). Its
``state`` is the workflow's (``certify.core.workflow``) and is the single source of
truth for the document's status: a `Certificate` or `Label` is only ever created once
per application (a unique constraint), and never changed afterwards.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from footprint.accounts.models import Organisation, User
from footprint.models import Inventory, ProductFootprint, Venue
from footprint.platform.db import db, utcnow


class Application(db.Model):
    __tablename__ = "applications"
    __table_args__ = (
        CheckConstraint("subject_kind IN ('scenic_area', 'venue', 'product')", name="subject_kind"),
        CheckConstraint(
            "(subject_kind = 'product') = (product_footprint_id IS NOT NULL) AND "
            "(subject_kind = 'product') = (inventory_id IS NULL)",
            name="subject",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    subject_kind: Mapped[str] = mapped_column(String(16))
    venue_id: Mapped[int | None] = mapped_column(ForeignKey("venues.id"), index=True)
    inventory_id: Mapped[int | None] = mapped_column(ForeignKey("inventories.id"), index=True)
    product_footprint_id: Mapped[int | None] = mapped_column(
        ForeignKey("product_footprints.id"), index=True
    )
    retirement_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    beneficiary: Mapped[str] = mapped_column(String(200))
    boundary: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """zh / en text, the Scope 1/2 ``sources`` declared, and ``exclusions`` with reasons."""
    management_plan: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    guide_version: Mapped[int]
    state: Mapped[str] = mapped_column(String(24), default="draft", index=True)
    state_reason: Mapped[str | None] = mapped_column(Text)
    verifier_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    sign_off: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """The verifier's statement and their detached signature over the attested content."""
    pending_sign_off: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """The attestation prepared for the verifier to sign, until their signature comes back."""
    renewal_of_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    venue: Mapped[Venue | None] = relationship(lazy="joined")
    inventory: Mapped[Inventory | None] = relationship()
    product_footprint: Mapped[ProductFootprint | None] = relationship()
    verifier: Mapped[User | None] = relationship(foreign_keys=[verifier_id])
    results: Mapped[list[CriterionResult]] = relationship(
        order_by="CriterionResult.id", cascade="all, delete-orphan"
    )
    """Loaded when the checklist is asked for: listings and cached pages never need them."""

    @property
    def subject_name(self) -> str:
        if self.product_footprint is not None:
            return self.product_footprint.product.name_zh
        assert self.venue is not None
        return self.venue.name

    @property
    def period(self) -> tuple[date, date]:
        """The inventory's period, or the footprint study's."""
        subject = self.product_footprint or self.inventory
        assert subject is not None
        return subject.period_start, subject.period_end


class CriterionResult(db.Model):
    """One line of an application's checklist: a rule's verdict or a verifier's judgement."""

    __tablename__ = "criterion_results"
    __table_args__ = (
        UniqueConstraint("application_id", "criterion_id"),
        CheckConstraint(
            "outcome IN ('pass', 'fail', 'conforms', 'nonconformity', 'not_applicable')",
            name="outcome",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"))
    criterion_id: Mapped[str] = mapped_column(String(40))
    check: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(16))
    findings: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
