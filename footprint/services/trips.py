"""Pricing a trip: the dataset it names and the verified intensities of the venues it names."""

from __future__ import annotations

from decimal import Decimal

from footprint.core.errors import FieldError
from footprint.core.trips import Trip, TripResult, VenueIntensity, calculate_trip
from footprint.platform.problems import invalid
from footprint.services import datasets, inventories


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
    try:
        return calculate_trip(trip, dataset, _venue_intensities(venue_ids))
    except FieldError as error:
        raise invalid(error.field, error.message) from error
