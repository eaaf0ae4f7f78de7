"""Whatever a client sends, the answer is a result or a 4xx problem — never a 500."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
anything = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
numbers = st.integers(-10, 10**7) | st.floats() | st.sampled_from([0, 1, 2, 40, 1100])


def some(keys: dict[str, st.SearchStrategy]) -> st.SearchStrategy:
    """Objects with any subset of ``keys`` (plausible values or anything) and stray keys."""
    return st.fixed_dictionaries(
        {}, optional={k: v | anything for k, v in keys.items()}
    ) | st.dictionaries(st.text(max_size=8), anything, max_size=3)


legs = some(
    {
        "mode": st.sampled_from(["flight", "rail", "car_petrol", "taxi", "boat", "ufo"]),
        "distance_km": numbers,
        "round_trip": st.booleans(),
        "radiative_forcing": st.booleans(),
        "occupants": numbers,
    }
)
stays = some(
    {
        "type": st.sampled_from(["hotel", "homestay", "igloo"]),
        "venue_id": numbers,
        "nights": numbers,
        "rooms": numbers,
    }
)
visits = some(
    {
        "type": st.sampled_from(["cable_car", "elevator", "zipline"]),
        "venue_id": numbers,
        "rides": numbers,
        "visits": numbers,
    }
)
trips = some(
    {
        "travellers": numbers,
        "dataset": st.sampled_from(["CN-2024", "XX"]),
        "transport": st.lists(legs, max_size=3),
        "lodging": st.lists(stays, max_size=2),
        "attractions": st.lists(visits, max_size=2),
    }
)

lines = some(
    {
        "kind": st.sampled_from(
            [
                "grid_electricity",
                "fuel",
                "refrigerant",
                "waste",
                "water",
                "green_certificates",
                "business_travel",
            ]
        ),
        "key": st.sampled_from(["diesel", "natural_gas", "r410a", "landfill", "rail"]),
        "quantity": numbers,
        "unit": st.sampled_from(["kWh", "MWh", "kg", "L", "t", "m3", "km", "parsec"]),
    }
)
inventories = some(
    {
        "period_start": st.sampled_from(["2024-01-01", "2024-13-01", "x"]),
        "period_end": st.sampled_from(["2024-12-31", "2023-01-01"]),
        "scope3_categories": st.lists(numbers, max_size=3),
        "metrics": some({"visitors": numbers, "room_nights": numbers}),
        "lines": st.lists(lines, max_size=3),
    }
)


def assert_handled(response) -> None:
    assert response.status_code < 500, response.get_data(as_text=True)
    if response.status_code >= 400:
        assert response.mimetype == "application/problem+json"


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@pytest.mark.slow
@given(body=trips | anything)
def test_any_trip_body_gets_a_result_or_a_problem(client, body):
    raw = json.dumps(body)  # NaN and Infinity go out as the bare literals
    assert_handled(
        client.post("/api/v1/footprints/trips", data=raw, content_type="application/json")
    )


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@pytest.mark.slow
@given(body=inventories | anything)
def test_any_inventory_body_gets_a_result_or_a_problem(client, auth, body):
    headers = auth("operator", "Fuzz Hotel")
    venue = client.post(
        "/api/v1/venues", json={"name": "Fuzz", "kind": "hotel"}, headers=headers
    ).json["id"]
    response = client.post(
        f"/api/v1/venues/{venue}/inventories",
        data=json.dumps(body),
        content_type="application/json",
        headers=headers,
    )
    assert_handled(response)
