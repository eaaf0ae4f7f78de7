"""POST /api/v1/footprints/trips: the contract of docs/api.md, and every kind of bad input."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from footprint.core.origins import great_circle_km
from footprint.services import trips
from footprint.web.trips import EXAMPLE

URL = "/api/v1/footprints/trips"


def test_the_api_example_is_priced_line_by_line_in_request_order(client, cn2024):
    response = client.post(URL, json=EXAMPLE)
    assert response.status_code == 200, response.json
    body = response.json
    cable = cn2024.get("attraction", "cable_car").value
    attractions = float(4 * cable)
    assert body["dataset"] == "CN-2024"
    assert body["travellers"] == 2
    assert [line["item"] for line in body["lines"]] == [
        "flight",
        "high_speed_rail",
        "car_petrol",
        "hotel",
        "cable_car",
    ]
    assert [line["kgco2e"] for line in body["lines"]][:4] == [712.844, 36.576, 3.29, 160.5]
    assert body["lines"][0] == {
        "category": "transport",
        "item": "flight",
        "quantity": 4400.0,
        "unit": "passenger-km",
        "factor_kgco2e_per_unit": 0.16201,
        "factor_id": "transport.flight_rf",
        "factor_source": cn2024.get("transport", "flight_rf").source.citation,
        "uncertainty": float(cn2024.get("transport", "flight_rf").uncertainty),
        "activity_uncertainty": 0.0,  # the first edition counts the factors' alone
        "kgco2e": 712.844,
        "route": None,  # given by its distance
        "well_to_tank": None,  # the first edition prices each mode as published
    }
    assert body["by_category"] == {
        "transport": 752.71,
        "lodging": 160.5,
        "attractions": round(attractions, 3),
    }
    assert body["total_kgco2e"] == round(913.21 + attractions, 3)
    assert body["per_traveller_kgco2e"] == round((913.21 + attractions) / 2, 3)
    assert body["range_kgco2e"]["low"] < body["total_kgco2e"] < body["range_kgco2e"]["high"]
    assert body["equivalent"]["forest_hectare_years"] > 0
    assert "m²" in body["equivalent"]["text_en"]


def test_an_empty_trip_is_zero_in_every_category(client):
    body = client.post(URL, json={}).json
    assert body["total_kgco2e"] == 0
    assert body["by_category"] == {"transport": 0, "lodging": 0, "attractions": 0}
    assert body["travellers"] == 1


def test_the_dataset_defaults_to_the_newest_published(client):
    assert (
        client.post(URL, json={"transport": [{"mode": "rail", "distance_km": 10}]}).json["dataset"]
        == "CN-2024"
    )


def test_the_same_request_gives_the_same_bytes(client):
    assert client.post(URL, json=EXAMPLE).data == client.post(URL, json=EXAMPLE).data


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"travellers": 0}, "travellers"),
        ({"travellers": "2"}, "travellers"),
        ({"travellers": True}, "travellers"),
        ({"travellers": 1.5}, "travellers"),
        ({"travellers": 100000}, "travellers"),
        ({"surprise": 1}, "surprise"),
        ({"dataset": "XX-1999"}, "dataset"),
        ({"transport": [{"mode": "rocket", "distance_km": 1}]}, "transport[0].mode"),
        ({"transport": [{"mode": "rail", "distance_km": -5}]}, "transport[0].distance_km"),
        ({"transport": [{"mode": "rail", "distance_km": 0}]}, "transport[0].distance_km"),
        ({"transport": [{"mode": "rail", "distance_km": 10**9}]}, "transport[0].distance_km"),
        ({"transport": [{"mode": "rail", "distance_km": "10"}]}, "transport[0].distance_km"),
        ({"transport": [{"mode": "rail"}]}, "transport[0].distance_km"),
        (
            {"transport": [{"mode": "rail", "distance_km": 1, "round_trip": "yes"}]},
            "transport[0].round_trip",
        ),
        (
            {"transport": [{"mode": "car_petrol", "distance_km": 1, "occupants": 0}]},
            "transport[0].occupants",
        ),
        ({"transport": [{"mode": "rail", "distance_km": 1, "seat": "A"}]}, "transport[0].seat"),
        ({"transport": {"mode": "rail"}}, "transport"),
        ({"lodging": [{"type": "castle", "nights": 1}]}, "lodging[0].type"),
        ({"lodging": [{"type": "hotel", "nights": 0}]}, "lodging[0].nights"),
        ({"lodging": [{"nights": 1}]}, "lodging[0].type"),
        ({"lodging": [{"type": "hotel", "venue_id": 3, "nights": 1}]}, "lodging[0].type"),
        ({"lodging": [{"venue_id": 424242, "nights": 1}]}, "lodging[0].venue_id"),
        ({"attractions": [{"type": "zipline", "rides": 1}]}, "attractions[0].type"),
        ({"attractions": [{"type": "cable_car", "rides": -1}]}, "attractions[0].rides"),
        ({"attractions": [{"venue_id": 424242, "visits": 1}]}, "attractions[0].venue_id"),
        ({"transport": [{"mode": "rail", "distance_km": 1}] * 101}, "transport"),
    ],
)
def test_bad_input_is_a_problem_naming_the_field(client, body, field):
    response = client.post(URL, json=body)
    assert response.status_code == 422, response.json
    assert response.mimetype == "application/problem+json"
    assert field in response.json["errors"], response.json


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_are_refused(client, literal):
    raw = '{"transport": [{"mode": "rail", "distance_km": ' + literal + "}]}"
    response = client.post(URL, data=raw, content_type="application/json")
    assert response.status_code == 422
    assert "transport[0].distance_km" in response.json["errors"]


def test_a_body_that_is_not_json_is_a_problem(client):
    response = client.post(URL, data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"


def test_a_body_over_the_documented_size_is_413(client):
    raw = json.dumps({"transport": [], "pad": "x" * (1024 * 1024 + 1)})
    response = client.post(URL, data=raw, content_type="application/json")
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"


def test_a_flight_given_by_its_airports_is_priced_by_the_great_circle_plus_8_percent(
    client, cn2024
):
    leg = {"mode": "flight", "from": "PEK", "to": "DYG", "radiative_forcing": False}
    body = client.post(URL, json={"travellers": 2, "transport": [leg]}).json
    (line,) = body["lines"]
    places = trips.origins().places
    direct = great_circle_km(places["PEK"], places["DYG"])
    distance = (direct * Decimal("1.08")).quantize(Decimal(1))
    assert line["route"] == {
        "from": "PEK",
        "to": "DYG",
        "great_circle_km": float(direct),
        "route_factor": 1.08,
        "distance_km": float(distance),
        "places_version": trips.origins().version,
    }
    assert line["quantity"] == float(distance * 2)
    assert line["kgco2e"] == float(distance * 2 * cn2024.get("transport", "flight").value)


@pytest.mark.parametrize(
    ("leg", "field", "message"),
    [
        ({"mode": "flight"}, "distance_km", "give distance_km, or the leg's ends"),
        ({"mode": "flight", "from": "PEK"}, "to", "give distance_km, or the leg's ends"),
        (
            {"mode": "flight", "from": "PEK", "to": "DYG", "distance_km": 5},
            "distance_km",
            "not both",
        ),
        ({"mode": "flight", "from": "PEK", "to": "ZJW"}, "to", "ZJW (station)"),
        ({"mode": "rail", "from": "NOWHERE", "to": "ZJW"}, "from", "unknown place 'NOWHERE'"),
    ],
)
def test_a_leg_needs_its_distance_or_both_its_usable_ends(client, leg, field, message):
    refused = client.post(URL, json={"transport": [leg]})
    assert refused.status_code == 422
    assert message in " ".join(refused.json["errors"][f"transport[0].{field}"])


def test_the_places_a_leg_may_name_are_listed_by_kind(client):
    airports = client.get("/api/v1/places", query_string={"kind": "airport", "per_page": 100}).json
    codes = [place["code"] for place in airports["items"]]
    assert "DYG" in codes and "ZJW" not in codes and codes == sorted(codes)
    hehua = next(place for place in airports["items"] if place["code"] == "DYG")
    assert hehua["name_zh"] == "张家界荷花国际机场" and "OurAirports" in hehua["source"]
    stations = client.get("/api/v1/places", query_string={"kind": "station"}).json["items"]
    assert {"ZJW", "CSS"} <= {place["code"] for place in stations}
    assert client.get("/api/v1/places", query_string={"kind": "port"}).status_code == 422
