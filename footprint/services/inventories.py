"""Venue inventories: submitting activity data, computing scopes, verifying intensities."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from footprint.accounts import access
from footprint.accounts.models import User
from footprint.core.errors import FieldError
from footprint.core.inventory import METRICS, Activity, InventoryResult, calculate_inventory
from footprint.models import Inventory, InventoryLine, Venue
from footprint.platform import activity, page_cache
from footprint.platform.db import conflict_as, db, get_or_404, paginate, utcnow
from footprint.platform.problems import Problem, invalid
from footprint.services import datasets, venues

PER_RIDE_KINDS = frozenset({"cable_car", "elevator", "shuttle"})
# A verified intensity is a published figure: stated to 0.1 g per unit, its ± to 0.01 %.
INTENSITY_PLACES = Decimal("0.0001")
UNCERTAINTY_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Report:
    inventory: Inventory
    result: InventoryResult
    previous: tuple[Inventory, InventoryResult] | None
    newer_dataset: str | None
    """The default dataset, where it is not the one the inventory is priced with (a draft
    keeps its dataset until a change names another)."""


def compute(inventory: Inventory) -> InventoryResult:
    """The inventory's result. A stored inventory's is kept in the worker's memory under
    its id and ``updated_at`` (which `_apply` moves with every change of what the result
    is computed from: lines, metrics, boundary, dataset) and its venue's (whose region
    names its grid), so the pages and checks that ask for it again do not price its
    lines again."""
    if inventory.id is None:
        return _calculate(inventory)
    key = (
        "inventory result",
        str(db.engine.url),
        inventory.id,
        inventory.updated_at,
        inventory.venue.updated_at,
    )
    return page_cache.kept(key, lambda: _calculate(inventory))


def _calculate(inventory: Inventory) -> InventoryResult:
    metrics = {m: getattr(inventory, m) for m in METRICS if getattr(inventory, m) is not None}
    activities = [
        Activity(line.kind, line.quantity, line.unit, line.key) for line in inventory.lines
    ]
    try:
        return calculate_inventory(
            activities,
            metrics,
            datasets.published(inventory.dataset_code),
            inventory.scope3_categories,
            region=inventory.venue.region,
        )
    except FieldError as error:
        raise invalid(error.field, error.message) from error


def _apply(inventory: Inventory, data: dict[str, Any]) -> InventoryResult:
    if data["period_end"] < data["period_start"]:
        raise invalid("period_end", "must not be before period_start")
    inventory.period_start, inventory.period_end = data["period_start"], data["period_end"]
    inventory.updated_at = utcnow()  # even when only the lines change: `compute`'s key
    # a stored inventory keeps its dataset unless ``data`` names another (issue 14)
    inventory.dataset_code = datasets.published(data.get("dataset") or inventory.dataset_code).code
    inventory.scope3_categories = sorted(set(data.get("scope3_categories", [])))
    metrics = data.get("metrics", {})
    for metric in METRICS:
        setattr(inventory, metric, metrics.get(metric))
    if inventory.id is not None:
        inventory.lines.clear()
        db.session.flush()  # old positions go before new ones reuse them
    inventory.lines = [
        InventoryLine(
            position=i,
            kind=line["kind"],
            key=line.get("key"),
            quantity=line["quantity"],
            unit=line["unit"],
        )
        for i, line in enumerate(data["lines"])
    ]
    return compute(inventory)  # refuses, with the field named, what cannot be priced


def _save(inventory: Inventory, user: User, action: str) -> None:
    """Commit with an activity event; a second inventory for the same period is a conflict."""
    period = f"{inventory.period_start}..{inventory.period_end}"
    with conflict_as(f"venue {inventory.venue_id} already has an inventory for {period}"):
        db.session.flush()
        activity.record(action, "inventory", inventory.id, user.id, period=period)
        db.session.commit()


def create(user: User, *, venue_id: int, data: dict[str, Any]) -> Inventory:
    venue = venues.get(user, venue_id=venue_id)
    access.require_write(user, venue.organisation_id)
    inventory = Inventory(venue_id=venue.id, venue=venue)
    _apply(inventory, data)
    db.session.add(inventory)
    _save(inventory, user, "inventory.created")
    return inventory


def preview(user: User, *, venue_id: int, data: dict[str, Any]) -> InventoryResult:
    """What `create` would compute for ``data``, checked the same way, with nothing saved
    (a page shows it before the operator saves)."""
    venue = venues.get(user, venue_id=venue_id)
    access.require_write(user, venue.organisation_id)
    return _apply(Inventory(venue_id=venue.id, venue=venue), data)  # never added to the session


def get(user: User, *, inventory_id: int) -> Inventory:
    inventory = get_or_404(Inventory, inventory_id, "inventory")
    access.require_read(
        user,
        "inventory",
        record_id=inventory.id,
        organisation_id=inventory.venue.organisation_id,
    )
    return inventory


def replace(user: User, *, inventory_id: int, data: dict[str, Any]) -> Inventory:
    inventory = get(user, inventory_id=inventory_id)
    access.require_write(user, inventory.venue.organisation_id)
    if inventory.status != "draft":
        raise Problem(409, f"inventory {inventory_id} is {inventory.status} and cannot change")
    _apply(inventory, data)
    _save(inventory, user, "inventory.replaced")
    return inventory


def report(user: User, *, inventory_id: int) -> Report:
    return report_of(get(user, inventory_id=inventory_id))


def report_of(inventory: Inventory) -> Report:
    """An inventory's report (for a caller that has checked access to it, or to the
    record that names it): its result and the venue's previous period's."""
    previous = db.session.scalar(
        select(Inventory)
        .where(
            Inventory.venue_id == inventory.venue_id, Inventory.period_end < inventory.period_start
        )
        .order_by(Inventory.period_end.desc())
        .limit(1)
    )
    default = datasets.default_code()
    return Report(
        inventory,
        compute(inventory),
        (previous, compute(previous)) if previous else None,
        default if default != inventory.dataset_code else None,
    )


def listing(user: User, *, venue_id: int, page: int, per_page: int) -> tuple[list[Inventory], int]:
    venues.get(user, venue_id=venue_id)
    query = access.readable(
        user,
        "inventory",
        select(Inventory).join(Venue).where(Inventory.venue_id == venue_id),
        id_column=Inventory.id,
        organisation_column=Venue.organisation_id,
    )
    return paginate(query.order_by(Inventory.period_start.desc()), page, per_page)


def verify(user: User, *, inventory_id: int) -> Inventory:
    """Mark an inventory verified (admin, until certification exists) and snapshot intensities.

    Tourist footprints use the market-based intensity: it credits the venue's own
    renewable electricity and green certificates. The snapshot is rounded here, once,
    because it is published as the venue's figure.
    """
    inventory = get(user, inventory_id=inventory_id)
    if inventory.status == "verified":
        raise Problem(409, f"inventory {inventory_id} is already verified")
    mark_verified(inventory, user=user)
    db.session.commit()
    return inventory


def mark_verified(inventory: Inventory, *, user: User) -> None:
    """Snapshot the intensities and mark verified, in the caller's transaction (certificate
    issuance does this for the certified inventory)."""
    result = compute(inventory)
    per = {
        metric: values["market_based"].quantize(INTENSITY_PLACES)
        for metric, values in result.intensities.items()
    }
    visit_metric = "rides" if inventory.venue.kind in PER_RIDE_KINDS else "visitors"
    inventory.verified_per_room_night = per.get("room_nights")
    inventory.verified_per_visit = per.get(visit_metric) or per.get("visitors")
    inventory.verified_uncertainty = result.relative_uncertainty.quantize(UNCERTAINTY_PLACES)
    inventory.status = "verified"
    inventory.verified_at, inventory.verified_by_id = utcnow(), user.id
    activity.record(
        "inventory.verified",
        "inventory",
        inventory.id,
        user.id,
        total_location_kg=str(result.total_location),
    )


def latest_verified(venue_ids: set[int]) -> dict[int, tuple[Venue, Inventory]]:
    """The newest verified inventory of each venue, for the trip calculator."""
    if not venue_ids:
        return {}
    rows = db.session.scalars(
        select(Inventory)
        .where(Inventory.venue_id.in_(venue_ids), Inventory.status == "verified")
        .order_by(Inventory.venue_id, Inventory.period_end)
    ).all()
    return {row.venue_id: (row.venue, row) for row in rows}  # later periods overwrite earlier


def unverified(*, page: int, per_page: int) -> tuple[list[Inventory], int]:
    """Inventories not yet verified (for the district), those of the latest periods first."""
    query = select(Inventory).where(Inventory.status != "verified")
    return paginate(query.order_by(Inventory.period_end.desc(), Inventory.id), page, per_page)
