"""The common origins of the trip calculator: distances derived from coordinates, never
typed in, and a malformed file refused with where it is wrong."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from footprint.core.errors import FieldError
from footprint.core.origins import OriginsError, Place, great_circle_km, parse, routed
from footprint.core.trips import Leg, Trip

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
kind = "airport"
name_en = "A"
name_zh = "甲"
lat = "0"
lon = "0"
source = "x"
[places.B]
kind = "airport"
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
        (('to = "B"', 'to = "Z"'), "legs[0].to: unknown place 'Z'"),
        (('kind = "airport"\nname_en = "B"', 'kind = "station"\nname_en = "B"'), "legs[0].to: B"),
        (('kind = "airport"\nname_en = "B"', 'kind = "port"\nname_en = "B"'), "places.B.kind"),
        (('mode = "flight"', 'mode = "rocket"'), "legs[0].mode"),
        (('lat = "0"\nlon = "1"', 'lat = "95"\nlon = "1"'), "places.B: coordinates"),
        (('source = "x"\n[places.B]', 'source = "y"\n[places.B]'), "places.A.source"),
        (('lat = "0"\nlon = "0"', 'lat = 0\nlon = "0"'), "places.A.lat"),
    ],
)
def test_a_malformed_file_is_refused_saying_where(change, where):
    with pytest.raises(OriginsError, match=where.replace("[", r"\[").replace("]", r"\]")):
        parse(MINIMAL.replace(*change))


BUNDLED = parse(ORIGINS.read_text(encoding="utf-8"))


def test_a_leg_given_by_its_ends_is_priced_by_the_distance_between_them():
    trip = Trip(2, (Leg("flight", origin="PEK", destination="DYG", round_trip=True),))
    (leg,) = routed(trip, BUNDLED).transport
    places = BUNDLED.places
    direct = great_circle_km(places["PEK"], places["DYG"])
    assert leg.route is not None and leg.route.great_circle_km == direct
    # DESNZ: great circle + 8 %, to the kilometre
    assert leg.distance_km == (direct * Decimal("1.08")).quantize(Decimal(1))
    assert leg.route.places_version == BUNDLED.version and leg.round_trip


def test_codes_are_read_in_any_case_and_a_trip_without_ends_is_left_as_it_is():
    trip = Trip(1, (Leg("high_speed_rail", origin="css", destination="zjw"),))
    assert routed(trip, BUNDLED).transport[0].route.route_factor == Decimal("1.25")
    plain = Trip(1, (Leg("bus", Decimal(30)),))
    assert routed(plain, BUNDLED) is plain


@pytest.mark.parametrize(
    ("leg", "field", "message"),
    [
        (Leg("flight", origin="PEK", destination="ZJW"), "transport[0].to", r"ZJW \(station\)"),
        (Leg("rail", origin="DYG", destination="CSS"), "transport[0].from", "from station to"),
        (Leg("flight", origin="XXX", destination="DYG"), "transport[0].from", "unknown place"),
        (Leg("taxi", origin="WLY", destination="wly"), "transport[0].to", "ends where it starts"),
    ],
)
def test_a_leg_whose_ends_cannot_be_used_names_the_end(leg, field, message):
    with pytest.raises(FieldError, match=message) as refused:
        routed(Trip(1, (leg,)), BUNDLED)
    assert refused.value.field == field


def test_a_road_leg_may_run_between_any_two_places():
    (leg,) = routed(Trip(1, (Leg("taxi", origin="DYG", destination="WLY"),)), BUNDLED).transport
    assert leg.route.route_factor == Decimal("1.35") and leg.distance_km > 0
