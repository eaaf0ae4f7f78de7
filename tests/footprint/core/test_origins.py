"""The common origins of the trip calculator: distances derived from coordinates, never
typed in, and a malformed file refused with where it is wrong."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from footprint.core.origins import OriginsError, Place, great_circle_km, parse

ORIGINS = Path(__file__).resolve().parents[3] / "footprint" / "datasets" / "origins.toml"
BEIJING = Place("PEK", "Beijing", "北京", Decimal("40.0801"), Decimal("116.5846"), "x")
HEHUA = Place("DYG", "Hehua", "荷花", Decimal("29.1028"), Decimal("110.4430"), "x")
MINIMAL = """
version = 1
[route_factors]
flight = "1.08"
rail = "1.25"
road = "1.35"
[sources]
x = "somewhere"
[places.A]
name_en = "A"
name_zh = "甲"
lat = "0"
lon = "0"
source = "x"
[places.B]
name_en = "B"
name_zh = "乙"
lat = "0"
lon = "1"
source = "x"
[[legs]]
from = "A"
to = "B"
mode = "flight"
"""


def test_the_great_circle_is_the_haversine_distance():
    # one degree of longitude on the equator: 2πR/360
    assert great_circle_km(BEIJING, BEIJING) == 0
    one_degree = parse(MINIMAL).legs[0].great_circle_km
    assert abs(one_degree - Decimal("111.195")) < Decimal("0.001")


def test_a_flight_is_the_great_circle_with_the_desnz_uplift_to_the_kilometre():
    leg = parse(MINIMAL).legs[0]
    assert leg.route_factor == Decimal("1.08") and leg.distance_km == Decimal(120)


def test_beijing_to_hehua_is_about_1340_km_as_the_crow_flies():
    assert Decimal(1330) < great_circle_km(BEIJING, HEHUA) < Decimal(1350)


def test_the_bundled_origins_hold_the_areas_own_airport_and_station():
    legs = {leg.id: leg for leg in parse(ORIGINS.read_text(encoding="utf-8")).legs}
    assert {"DYG-WLY", "ZJW-WLY", "PEK-DYG"} <= set(legs)
    assert legs["CSS-ZJW"].mode == "high_speed_rail" and legs["CSS-ZJW"].route_factor == Decimal(
        "1.25"
    )
    assert all(leg.distance_km > 0 for leg in legs.values())


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (('to = "B"', 'to = "Z"'), "unknown place 'Z'"),
        (('mode = "flight"', 'mode = "rocket"'), "legs[0].mode"),
        (('lat = "0"\nlon = "1"', 'lat = "95"\nlon = "1"'), "places.B: coordinates"),
        (('source = "x"\n[places.B]', 'source = "y"\n[places.B]'), "places.A.source"),
        (('lat = "0"\nlon = "0"', 'lat = 0\nlon = "0"'), "places.A.lat"),
    ],
)
def test_a_malformed_file_is_refused_saying_where(change, where):
    with pytest.raises(OriginsError, match=where.replace("[", r"\[").replace("]", r"\]")):
        parse(MINIMAL.replace(*change))
