"""Places and the distances between them: the trip calculator's picker, and legs given by
their two ends.

The data (``footprint/datasets/origins.toml``) gives places — airports, railway
stations, towns — by their coordinates, and the legs visitors commonly take between
them; a distance is derived here, never typed in: the great-circle distance (haversine)
times the mode's route factor, rounded to the kilometre. A trip's leg may name its two
ends instead of its distance (`routed`): a flight from airport to airport, a train from
station to station, a road leg between any two places. Pure: no Flask, no database.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from footprint.core.datafiles import DataFile
from footprint.core.errors import FieldError
from footprint.core.trips import PASSENGER_MODES, VEHICLE_MODES, Leg, Route, Trip

EARTH_RADIUS_KM = 6371.0088
"""The mean Earth radius (IUGG)."""
RAIL_MODES = ("high_speed_rail", "rail")
KINDS = ("airport", "station", "town")
ENDS = {"flight": "airport", "rail": "station"}
"""The kind of place both ends of a leg must be, by its route kind (road: any)."""


class OriginsError(ValueError):
    """The origins file is malformed; the message says where."""


_FIELDS = DataFile(OriginsError)


@dataclass(frozen=True, slots=True)
class Place:
    code: str
    name_en: str
    name_zh: str
    lat: Decimal
    lon: Decimal
    source: str
    kind: str = "town"

    def name(self, language: str) -> str:
        return self.name_zh if language == "zh" else self.name_en


@dataclass(frozen=True, slots=True)
class OriginLeg:
    """A leg of the picker: from, to, the mode, and the distance derived for it."""

    origin: Place
    destination: Place
    mode: str
    distance_km: Decimal
    great_circle_km: Decimal
    route_factor: Decimal

    @property
    def id(self) -> str:
        return f"{self.origin.code}-{self.destination.code}"


@dataclass(frozen=True, slots=True)
class Origins:
    version: int
    legs: tuple[OriginLeg, ...]
    sources: Mapping[str, str]
    places: Mapping[str, Place]
    route_factors: Mapping[str, Decimal]

    def leg(self, leg_id: str) -> OriginLeg | None:
        return next((leg for leg in self.legs if leg.id == leg_id), None)

    def between(self, origin: Place, destination: Place, mode: str) -> OriginLeg:
        """The leg from ``origin`` to ``destination`` by ``mode``, its distance derived."""
        direct = great_circle_km(origin, destination)
        factor = self.route_factors[route_kind(mode)]
        distance = (direct * factor).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return OriginLeg(origin, destination, mode, distance, direct, factor)

    def route(self, leg: Leg, where: str) -> OriginLeg:
        """The derived leg of a trip's ``leg`` given by its ends (``where``: its path),
        or a `FieldError` naming the end that cannot be used."""
        ends = []
        kind = ENDS.get(route_kind(leg.mode))
        for name, code in (("from", leg.origin), ("to", leg.destination)):
            place = self.places.get((code or "").upper())
            if place is None:
                raise FieldError(f"{where}.{name}", f"unknown place {code!r}")
            if kind is not None and place.kind != kind:
                raise FieldError(
                    f"{where}.{name}",
                    f"{place.code} ({place.kind}): a {leg.mode} leg runs from {kind} to {kind}",
                )
            ends.append(place)
        if ends[0] is ends[1]:
            raise FieldError(f"{where}.to", "the leg ends where it starts")
        return self.between(ends[0], ends[1], leg.mode)


def routed(trip: Trip, origins: Origins) -> Trip:
    """``trip`` with each leg given by its ends priced by the distance between them."""
    if not any(leg.origin is not None for leg in trip.transport):
        return trip
    legs = []
    for index, leg in enumerate(trip.transport):
        if leg.origin is not None:
            found = origins.route(leg, f"transport[{index}]")
            route = Route(
                found.origin.code,
                found.destination.code,
                found.great_circle_km,
                found.route_factor,
                found.distance_km,
                origins.version,
            )
            leg = replace(leg, distance_km=found.distance_km, route=route)
        legs.append(leg)
    return replace(trip, transport=tuple(legs))


def great_circle_km(a: Place, b: Place) -> Decimal:
    """The haversine distance between two places, in km, to the metre."""
    lat1, lon1, lat2, lon2 = map(math.radians, map(float, (a.lat, a.lon, b.lat, b.lon)))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return Decimal(2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))).quantize(Decimal("0.001"))


def route_kind(mode: str) -> str:
    if mode == "flight":
        return "flight"
    return "rail" if mode in RAIL_MODES else "road"


def _place(code: str, entry: Mapping[str, Any], sources: Mapping[str, str]) -> Place:
    where = f"places.{code}"
    source = _FIELDS.require(entry, "source", where)
    if source not in sources:
        raise OriginsError(f"{where}.source: unknown source {source!r}")
    lat, lon = (_FIELDS.required_decimal(entry, name, where) for name in ("lat", "lon"))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise OriginsError(f"{where}: coordinates out of range")
    kind = entry.get("kind", "town")
    if kind not in KINDS:
        raise OriginsError(f"{where}.kind: one of {', '.join(KINDS)}, not {kind!r}")
    return Place(
        code,
        str(_FIELDS.require(entry, "name_en", where)),
        str(_FIELDS.require(entry, "name_zh", where)),
        lat,
        lon,
        source,
        kind,
    )


def parse(text: str) -> Origins:
    """The origins of a TOML document, or `OriginsError` saying what is wrong where."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise OriginsError(f"not TOML: {error}") from None
    sources = _FIELDS.require(data, "sources", "file")
    factors = {
        kind: _FIELDS.required_decimal(
            _FIELDS.require(data, "route_factors", "file"), kind, "route_factors"
        )
        for kind in ("flight", "rail", "road")
    }
    places = {
        code: _place(code, entry, sources)
        for code, entry in _FIELDS.require(data, "places", "file").items()
    }
    found = Origins(
        int(_FIELDS.require(data, "version", "file")), (), dict(sources), places, factors
    )
    legs = []
    for index, entry in enumerate(_FIELDS.require(data, "legs", "file")):
        where = f"legs[{index}]"
        ends = [str(_FIELDS.require(entry, end, where)) for end in ("from", "to")]
        mode = _FIELDS.require(entry, "mode", where)
        if mode not in PASSENGER_MODES + VEHICLE_MODES:
            raise OriginsError(f"{where}.mode: unknown mode {mode!r}")
        try:
            legs.append(found.route(Leg(mode, origin=ends[0], destination=ends[1]), where))
        except FieldError as error:
            raise OriginsError(str(error)) from None
    return replace(found, legs=tuple(legs))
