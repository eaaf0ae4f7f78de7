"""Venues and inventories through the API: ownership, scopes, verification, trips by venue."""

from __future__ import annotations

import pytest

from footprint.platform.activity import ActivityEvent
from footprint.platform.db import db
from footprint.services import datasets
from tests.database import BUNDLED

HOTEL = {"name": "Wulingyuan Hotel 武陵源酒店", "kind": "hotel", "region": "CN-HN"}
PERIOD_2024 = {"period_start": "2024-01-01", "period_end": "2024-12-31"}
INVENTORY = {
    **PERIOD_2024,
    "scope3_categories": [5],
    "metrics": {"visitors": 20000, "room_nights": 5000},
    "lines": [
        {"kind": "grid_electricity", "quantity": 100, "unit": "MWh"},
        {"kind": "green_certificates", "quantity": 40, "unit": "MWh"},
        {"kind": "onsite_pv", "quantity": 12000, "unit": "kWh"},
        {"kind": "fuel", "key": "diesel", "quantity": 2, "unit": "t"},
        {"kind": "fuel", "key": "natural_gas", "quantity": 5000, "unit": "m3"},
        {"kind": "refrigerant", "key": "r410a", "quantity": 3, "unit": "kg"},
        {"kind": "waste", "key": "landfill", "quantity": 10, "unit": "t"},
    ],
}


@pytest.fixture
def operator(auth):
    return auth("operator", "Wulingyuan Hotel Co.")


def make_venue(client, headers, body=HOTEL) -> int:
    response = client.post("/api/v1/venues", json=body, headers=headers)
    assert response.status_code == 201, response.json
    return response.json["id"]


def submit(client, headers, venue_id, body=INVENTORY):
    return client.post(f"/api/v1/venues/{venue_id}/inventories", json=body, headers=headers)


def test_an_operator_registers_a_venue_for_their_organisation(app, client, operator):
    venue_id = make_venue(client, operator)
    body = client.get(f"/api/v1/venues/{venue_id}", headers=operator).json
    assert body["name"] == HOTEL["name"] and body["kind"] == "hotel"
    with app.app_context():
        events = db.session.scalars(db.select(ActivityEvent)).all()
    assert [e.action for e in events] == ["venue.created"]


def test_venues_need_a_token(client):
    response = client.get("/api/v1/venues")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


def test_a_revoked_or_made_up_token_is_refused(client):
    response = client.get("/api/v1/venues", headers={"Authorization": "Bearer sc_nope"})
    assert response.status_code == 401


def test_operators_see_and_change_only_their_own_venues(client, operator, auth):
    venue_id = make_venue(client, operator)
    rival = auth("operator", "Rival Hotel Co.")
    make_venue(client, rival, {**HOTEL, "name": "Rival"})
    assert client.get(f"/api/v1/venues/{venue_id}", headers=rival).status_code == 403
    assert (
        client.patch(f"/api/v1/venues/{venue_id}", json={"name": "Mine"}, headers=rival).status_code
        == 403
    )
    assert submit(client, rival, venue_id).status_code == 403
    listed = client.get("/api/v1/venues", headers=rival).json
    assert [v["name"] for v in listed["items"]] == ["Rival"]


def test_an_operator_cannot_register_a_venue_for_another_organisation(client, operator, auth):
    other = auth("operator", "Other Co.")
    other_org = client.get("/api/v1/venues", headers=other).json  # nothing yet
    assert other_org["total"] == 0
    response = client.post(
        "/api/v1/venues", json={**HOTEL, "organisation_id": 999}, headers=operator
    )
    assert response.status_code == 403


def test_the_inventory_reports_every_scope_line_and_intensity(client, operator, cn2024):
    venue_id = make_venue(client, operator)
    response = submit(client, operator, venue_id)
    assert response.status_code == 201, response.json
    body = response.json
    landfill = float(cn2024.get("waste", "landfill").value) * 10
    # Scope 1: 2000 kg × 3.0959 + 5000 m³ × 2.1622 + 3 kg × 2255.5 = 6191.8 + 10811 + 6766.5
    assert body["scopes"]["scope1"] == 23769.3
    # Scope 2: 100 000 kWh × 0.5366; market: 60 000 kWh × 0.5856
    assert body["scopes"]["scope2_location_based"] == 53660.0
    assert body["scopes"]["scope2_market_based"] == 35136.0
    assert body["scopes"]["scope3"] == round(landfill, 3)
    assert body["scopes"]["total_location_based"] == round(23769.3 + 53660 + landfill, 3)
    assert body["intensities"]["room_nights"]["location_based"] == round(
        (23769.3 + 53660 + landfill) / 5000, 4
    )
    diesel = body["lines"][3]
    assert diesel["factor_id"] == "fuel.diesel" and diesel["converted_quantity"] == "2000"
    assert diesel["factor_source"] and diesel["location_based_kgco2e"] == 6191.8
    assert body["change"] is None and body["status"] == "draft"


def test_the_next_period_shows_the_change_against_the_previous(client, operator):
    venue_id = make_venue(client, operator)
    submit(client, operator, venue_id)
    lines = [{"kind": "grid_electricity", "quantity": 50, "unit": "MWh"}]
    body = submit(
        client,
        operator,
        venue_id,
        {
            "period_start": "2025-01-01",
            "period_end": "2025-12-31",
            "lines": lines,
            "metrics": {"room_nights": 5000},
        },
    ).json
    assert body["change"]["previous_period"] == "2024-01-01..2024-12-31"
    assert body["change"]["total_location_based"]["absolute"] < 0
    assert "room_nights" in body["change"]["intensities"]


def test_a_period_is_reported_once_per_venue(client, operator):
    venue_id = make_venue(client, operator)
    assert submit(client, operator, venue_id).status_code == 201
    response = submit(client, operator, venue_id)
    assert response.status_code == 409


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (
            {"lines": [{"kind": "fuel", "key": "diesel", "quantity": 1, "unit": "kWh"}]},
            "lines[0].unit",
        ),
        (
            {"lines": [{"kind": "fuel", "key": "diesel", "quantity": -1, "unit": "kg"}]},
            "lines[0].quantity",
        ),
        (
            {"lines": [{"kind": "refrigerant", "key": "r999", "quantity": 1, "unit": "kg"}]},
            "lines[0].key",
        ),
        ({"lines": [{"kind": "teleport", "quantity": 1, "unit": "kg"}]}, "lines[0].kind"),
        ({"lines": []}, "lines"),
        ({"period_end": "2023-01-01"}, "period_end"),
        ({"period_start": "yesterday"}, "period_start"),
        ({"dataset": "XX"}, "dataset"),
        (
            {
                "scope3_categories": [],
                "lines": [{"kind": "waste", "key": "landfill", "quantity": 1, "unit": "t"}],
            },
            "lines[0].kind",
        ),
        ({"metrics": {"visitors": -3}}, "metrics.visitors"),
    ],
)
def test_a_bad_inventory_names_its_field_and_writes_nothing(client, operator, change, field):
    venue_id = make_venue(client, operator)
    response = submit(client, operator, venue_id, {**INVENTORY, **change})
    assert response.status_code == 422, response.json
    assert field in response.json["errors"]
    listed = client.get(f"/api/v1/venues/{venue_id}/inventories", headers=operator).json
    assert listed["total"] == 0


def test_a_draft_can_be_replaced_but_a_verified_inventory_cannot(client, operator, auth):
    venue_id = make_venue(client, operator)
    inventory_id = submit(client, operator, venue_id).json["id"]
    replaced = client.put(
        f"/api/v1/inventories/{inventory_id}",
        json={**INVENTORY, "lines": INVENTORY["lines"][:1]},
        headers=operator,
    )
    assert replaced.status_code == 200 and len(replaced.json["lines"]) == 1
    admin = auth("admin", "Wulingyuan District")
    assert (
        client.post(f"/api/v1/inventories/{inventory_id}/verify", headers=operator).status_code
        == 403
    )
    verified = client.post(f"/api/v1/inventories/{inventory_id}/verify", headers=admin)
    assert verified.status_code == 200 and verified.json["status"] == "verified"
    assert (
        client.put(
            f"/api/v1/inventories/{inventory_id}", json=INVENTORY, headers=operator
        ).status_code
        == 409
    )
    assert (
        client.post(f"/api/v1/inventories/{inventory_id}/verify", headers=admin).status_code == 409
    )


def test_a_verified_venue_prices_trips_with_its_own_intensity(client, operator, auth):
    venue_id = make_venue(client, operator)
    inventory = submit(client, operator, venue_id).json
    trip = {"lodging": [{"venue_id": venue_id, "nights": 2, "rooms": 1}]}
    assert client.post("/api/v1/footprints/trips", json=trip).status_code == 422
    admin = auth("admin", "Wulingyuan District")
    client.post(f"/api/v1/inventories/{inventory['id']}/verify", headers=admin)
    body = client.post("/api/v1/footprints/trips", json=trip).json
    per_room_night = inventory["intensities"]["room_nights"]["market_based"]
    assert body["lines"][0]["factor_kgco2e_per_unit"] == pytest.approx(per_room_night, abs=1e-4)
    assert body["total_kgco2e"] == pytest.approx(2 * per_room_night, abs=1e-3)
    assert "verified inventory" in body["lines"][0]["factor_source"]


def test_a_cable_car_is_priced_per_ride(client, auth):
    operator = auth("operator", "Tianmen Cableway Co.")
    venue_id = make_venue(client, operator, {"name": "Tianmen Cableway", "kind": "cable_car"})
    inventory = submit(
        client,
        operator,
        venue_id,
        {
            **PERIOD_2024,
            "metrics": {"rides": 100000, "visitors": 60000},
            "lines": [{"kind": "grid_electricity", "quantity": 500, "unit": "MWh"}],
        },
    ).json
    client.post(
        f"/api/v1/inventories/{inventory['id']}/verify",
        headers=auth("admin", "Wulingyuan District"),
    )
    body = client.post(
        "/api/v1/footprints/trips",
        json={"travellers": 2, "attractions": [{"venue_id": venue_id, "visits": 1}]},
    ).json
    # market-based: 500 000 kWh × 0.5856 / 100 000 rides = 2.928 per ride, × 2 travellers
    assert body["total_kgco2e"] == 5.856


def test_an_inventory_line_with_a_broken_unit_is_a_field_error(client, auth):
    """Found by an outside client: `"unit": "("` answered 500."""
    headers = auth()
    venue = client.post("/api/v1/venues", headers=headers, json={"name": "V", "kind": "hotel"})
    body = {
        "period_start": "2025-01-01",
        "period_end": "2025-12-31",
        "lines": [{"kind": "grid_electricity", "quantity": 1, "unit": "("}],
    }
    response = client.post(
        f"/api/v1/venues/{venue.json['id']}/inventories", headers=headers, json=body
    )
    assert response.status_code == 422, response.json
    assert "lines[0].unit" in response.json["errors"]


@pytest.mark.parametrize("name", [" ", "   ", "\t\n"])
def test_a_name_of_only_white_space_is_refused(client, auth, name):
    """Found by an outside client: whitespace-only names were accepted."""
    response = client.post("/api/v1/venues", headers=auth(), json={"name": name, "kind": "hotel"})
    assert response.status_code == 422 and "name" in response.json["errors"]


def test_a_draft_replaced_without_naming_a_dataset_keeps_its_own(app, client, operator, tmp_path):
    """Issue 14: a re-submitted draft was silently re-priced with the newest dataset."""
    venue_id = make_venue(client, operator)
    created = submit(client, operator, venue_id).json
    assert created["dataset"] == "CN-2024" and created["newer_dataset"] is None
    newer = tmp_path / "CN-2030.toml"
    newer.write_bytes(BUNDLED.read_bytes().replace(b'code = "CN-2024"', b'code = "CN-2030"'))
    published = app.test_cli_runner().invoke(args=["factors", "load", str(newer), "--publish"])
    assert published.exit_code == 0, published.output
    datasets.clear_caches()

    path = f"/api/v1/inventories/{created['id']}"
    kept = client.put(path, json=INVENTORY, headers=operator).json
    assert kept["dataset"] == "CN-2024" and kept["newer_dataset"] == "CN-2030"
    moved = client.put(path, json={**INVENTORY, "dataset": "CN-2030"}, headers=operator).json
    assert moved["dataset"] == "CN-2030" and moved["newer_dataset"] is None
