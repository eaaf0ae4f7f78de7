"""Common origins for the trip calculator's picker: places, legs and their distances.

The data (``footprint/datasets/origins.toml``) gives places by their coordinates and the
legs visitors commonly take between them; a leg's distance is derived here, never typed
in: the great-circle distance (haversine) times the mode's route factor, rounded to the
kilometre. Pure: no Flask, no database.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from footprint.core.datafiles import DataFile
from footprint.core.trips import PASSENGER_MODES, VEHICLE_MODES

EARTH_RADIUS_KM = 6371.0088
"""The mean Earth radius (IUGG)."""
RAIL_MODES = ("high_speed_rail", "rail")


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

    def leg(self, leg_id: str) -> OriginLeg | None:
        return next((leg for leg in self.legs if leg.id == leg_id), None)


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
    return Place(
        code,
        str(_FIELDS.require(entry, "name_en", where)),
        str(_FIELDS.require(entry, "name_zh", where)),
        lat,
        lon,
        source,
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
    legs = []
    for index, entry in enumerate(_FIELDS.require(data, "legs", "file")):
        where = f"legs[{index}]"
        ends = [_FIELDS.require(entry, end, where) for end in ("from", "to")]
        missing = [code for code in ends if code not in places]
        if missing:
            raise OriginsError(f"{where}: unknown place {missing[0]!r}")
        mode = _FIELDS.require(entry, "mode", where)
        if mode not in PASSENGER_MODES + VEHICLE_MODES:
            raise OriginsError(f"{where}.mode: unknown mode {mode!r}")
        origin, destination = (places[code] for code in ends)
        direct = great_circle_km(origin, destination)
        factor = factors[route_kind(mode)]
        distance = (direct * factor).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        legs.append(OriginLeg(origin, destination, mode, distance, direct, factor))
    return Origins(int(_FIELDS.require(data, "version", "file")), tuple(legs), dict(sources))
