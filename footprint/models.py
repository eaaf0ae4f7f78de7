"""Persistence for factor datasets, venues and their inventories (SQLAlchemy 2.0 typed ORM)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint, event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from footprint.accounts.models import Organisation
from footprint.platform.db import db, utcnow


class FactorDataset(db.Model):
    """One version of an emission-factor dataset; once published it never changes."""

    __tablename__ = "factor_datasets"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    title_en: Mapped[str] = mapped_column(String(200))
    title_zh: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(32))
    description_en: Mapped[str] = mapped_column(Text, default="")
    description_zh: Mapped[str] = mapped_column(Text, default="")
    checksum: Mapped[str] = mapped_column(String(64))
    document: Mapped[str] = mapped_column(Text)
    loaded_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]

    factors: Mapped[list[FactorRecord]] = relationship(
        back_populates="dataset", order_by="FactorRecord.id", cascade="all, delete-orphan"
    )

    @property
    def published(self) -> bool:
        return self.published_at is not None


class FactorRecord(db.Model):
    __tablename__ = "factors"
    __table_args__ = (UniqueConstraint("dataset_id", "factor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("factor_datasets.id"), index=True)
    factor_id: Mapped[str] = mapped_column(String(64))
    group: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(64))
    value: Mapped[Decimal]
    unit: Mapped[str] = mapped_column(String(64))
    region: Mapped[str] = mapped_column(String(32))
    year: Mapped[int]
    uncertainty: Mapped[Decimal]
    status: Mapped[str] = mapped_column(String(16))
    label_en: Mapped[str] = mapped_column(String(200))
    label_zh: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")
    derivation: Mapped[str] = mapped_column(Text, default="")
    gases: Mapped[dict[str, str] | None] = mapped_column(JSON)
    """kg of each gas per unit, as decimal text, where the factor states them."""
    source_id: Mapped[str] = mapped_column(String(64))
    source_citation: Mapped[str] = mapped_column(Text)
    source_url: Mapped[str] = mapped_column(String(500), default="")

    dataset: Mapped[FactorDataset] = relationship(back_populates="factors")


class PublishedFactorError(RuntimeError):
    """A published factor was about to be changed or deleted."""


def _published_before(dataset: FactorDataset) -> bool:
    """Whether the dataset was already published before this transaction touched it."""
    history = inspect(dataset).attrs.published_at.history
    before = history.deleted or history.unchanged
    return bool(before and before[0] is not None)


@event.listens_for(Session, "before_flush")
def _published_factors_are_immutable(session: Session, *_: Any) -> None:
    for obj in [*session.dirty, *session.deleted]:
        if isinstance(obj, FactorDataset):
            dataset = obj
        elif isinstance(obj, FactorRecord):
            dataset = obj.dataset
        else:
            continue
        if _published_before(dataset) and (obj in session.deleted or session.is_modified(obj)):
            raise PublishedFactorError(
                f"dataset {dataset.code} is published: publish a new version instead"
            )


class Venue(db.Model):
    __tablename__ = "venues"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    region: Mapped[str] = mapped_column(String(64), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation] = relationship(lazy="joined")


class Inventory(db.Model):
    """A venue's activity data for one reporting period, and once verified its intensities."""

    __tablename__ = "inventories"
    __table_args__ = (UniqueConstraint("venue_id", "period_start", "period_end"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    venue_id: Mapped[int] = mapped_column(ForeignKey("venues.id"), index=True)
    period_start: Mapped[date]
    period_end: Mapped[date]
    dataset_code: Mapped[str] = mapped_column(String(32))
    scope3_categories: Mapped[list[int]] = mapped_column(JSON, default=list)
    visitors: Mapped[Decimal | None]
    room_nights: Mapped[Decimal | None]
    rides: Mapped[Decimal | None]
    status: Mapped[str] = mapped_column(String(16), default="draft")
    verified_at: Mapped[datetime | None]
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Snapshot taken at verification: what the trip calculator uses for this venue.
    verified_per_room_night: Mapped[Decimal | None]
    verified_per_visit: Mapped[Decimal | None]
    verified_uncertainty: Mapped[Decimal | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    venue: Mapped[Venue] = relationship(lazy="joined")
    lines: Mapped[list[InventoryLine]] = relationship(
        order_by="InventoryLine.position", cascade="all, delete-orphan"
    )
    """Loaded when asked for: a page that shows a stored inventory takes its result from
    `footprint.services.inventories.compute`'s memory, and never needs the lines."""


class InventoryLine(db.Model):
    __tablename__ = "inventory_lines"
    __table_args__ = (UniqueConstraint("inventory_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inventory_id: Mapped[int] = mapped_column(ForeignKey("inventories.id"), index=True)
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(32))
    key: Mapped[str | None] = mapped_column(String(64))
    quantity: Mapped[Decimal]
    unit: Mapped[str] = mapped_column(String(32))


class Product(db.Model):
    """A product an operator's organisation makes, and the functional unit it is labelled per."""

    __tablename__ = "products"
    __table_args__ = (UniqueConstraint("organisation_id", "name_zh"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(32))
    functional_unit_zh: Mapped[str] = mapped_column(String(100))
    functional_unit_en: Mapped[str] = mapped_column(String(100))
    unit_mass_kg: Mapped[Decimal]
    """Product mass in one functional unit, to compare with per-kg published ranges."""
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship(lazy="joined")


class ProductFootprint(db.Model):
    """One footprint study of a product: boundary, batch size and activity data by stage."""

    __tablename__ = "product_footprints"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    dataset_code: Mapped[str] = mapped_column(String(32))
    boundary: Mapped[str] = mapped_column(String(16))
    output_units: Mapped[Decimal]
    period_start: Mapped[date]
    period_end: Mapped[date]
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    product: Mapped[Product] = relationship(lazy="joined")
    lines: Mapped[list[ProductFootprintLine]] = relationship(
        order_by="ProductFootprintLine.position", cascade="all, delete-orphan", lazy="selectin"
    )


class ProductFootprintLine(db.Model):
    __tablename__ = "product_footprint_lines"
    __table_args__ = (UniqueConstraint("footprint_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    footprint_id: Mapped[int] = mapped_column(ForeignKey("product_footprints.id"), index=True)
    position: Mapped[int]
    stage: Mapped[str] = mapped_column(String(16))
    factor: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[Decimal]
    unit: Mapped[str] = mapped_column(String(32))
    data_quality: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
