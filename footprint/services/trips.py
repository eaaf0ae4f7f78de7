"""Pricing a trip: the dataset it names and the verified intensities of the venues it
names; and what the calculator page offers to choose from (common origins, the venues
with verified figures)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from sqlalchemy import func, select

from footprint.core import origins as origin_data
from footprint.core.errors import FieldError
from footprint.core.trips import Trip, TripResult, VenueIntensity, calculate_trip
from footprint.models import Inventory, Venue
from footprint.platform.db import db
from footprint.platform.problems import invalid
from footprint.services import datasets, forest_sinks, inventories

ORIGINS = datasets.BUNDLED / "origins.toml"


def _venue_intensities(venue_ids: set[int]) -> dict[int, VenueIntensity]:
    return {
        venue_id: VenueIntensity(
            venue_id=venue_id,
            name=venue.name,
            per_room_night=inventory.verified_per_room_night,
            per_visit=inventory.verified_per_visit,
            uncertainty=inventory.verified_uncertainty or Decimal(0),
            source=f"verified inventory {inventory.id} of {venue.name} "
            f"({inventory.period_start}..{inventory.period_end}, "
            f"dataset {inventory.dataset_code})",
        )
        for venue_id, (venue, inventory) in inventories.latest_verified(venue_ids).items()
    }


def price(trip: Trip, *, dataset_code: str | None) -> TripResult:
    dataset = datasets.published(dataset_code)
    venue_ids = {s.venue_id for s in trip.lodging if s.venue_id is not None}
    venue_ids |= {v.venue_id for v in trip.attractions if v.venue_id is not None}
    forest = forest_sinks.measured() if dataset.method.forest == "registry" else None
    try:
        trip = origin_data.routed(trip, origins())
        return calculate_trip(trip, dataset, _venue_intensities(venue_ids), forest=forest)
    except FieldError as error:
        raise invalid(error.field, error.message) from error


@cache
def origins() -> origin_data.Origins:
    """The common origins of the bundled ``origins.toml``."""
    return origin_data.parse(ORIGINS.read_text(encoding="utf-8"))


def places(
    *, kind: str | None = None, page: int = 1, per_page: int = 50
) -> tuple[list[origin_data.Place], int]:
    """A page of the places a leg may name (of one ``kind``, if given), by code."""
    found = sorted(
        (place for place in origins().places.values() if kind in (None, place.kind)),
        key=lambda place: place.code,
    )
    start = (page - 1) * per_page
    return found[start : start + per_page], len(found)


@dataclass(frozen=True, slots=True)
class VenueChoice:
    venue_id: int
    name: str
    section: str
    """``lodging`` (it has a verified figure per room-night) or ``attractions`` (per visit)."""


def venue_choices() -> list[VenueChoice]:
    """The venues a trip can name, by name: those whose newest verified inventory gives
    a figure per room-night (lodging) or per visit (attractions)."""
    verified = select(Inventory.venue_id).where(Inventory.status == "verified").distinct()
    ids = set(db.session.scalars(verified))
    choices = []
    for venue_id, (venue, inventory) in sorted(
        inventories.latest_verified(ids).items(), key=lambda item: item[1][0].name
    ):
        for section, figure in (
            ("lodging", inventory.verified_per_room_night),
            ("attractions", inventory.verified_per_visit),
        ):
            if figure:
                choices.append(VenueChoice(venue_id, venue.name, section))
    return choices


_VERIFIED = Inventory.status == "verified"
_CHOICES_VERSION = select(
    select(func.count(Inventory.id)).where(_VERIFIED).scalar_subquery(),
    select(func.max(Inventory.verified_at)).where(_VERIFIED).scalar_subquery(),
    select(func.count(Venue.id)).scalar_subquery(),
    select(func.max(Venue.updated_at)).scalar_subquery(),
)
"""Built once: the statement is asked for by every calculator request."""


def choices_version() -> tuple[object, ...]:
    """What a trip's price and the calculator's choices stand on, in one query: the
    default dataset (published datasets never change), the verified inventories (their
    figures are frozen once verified: a count and the newest verification) and the
    venues (their names: a count and the newest edit); and the registry's forest sink,
    which edition 2 measures equivalents against (kept a few seconds). Any change that
    could alter a price or a choice moves it (`footprint.platform.page_cache`)."""
    return (
        datasets.default_code(),
        *db.session.execute(_CHOICES_VERSION).one(),
        forest_sinks.measured(),
    )
