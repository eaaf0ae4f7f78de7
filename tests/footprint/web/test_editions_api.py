"""The second edition (CN-2025) beside the first: loaded as a draft by `db upgrade`, the
default once published, its rules applied to the figures it prices and the first
edition's to the figures priced with CN-2024."""

from __future__ import annotations

import pytest

from footprint.platform.db import db
from footprint.services import datasets
from tests.footprint.web.test_venues_api import HOTEL, INVENTORY, make_venue, submit

GRID_ONLY = {**INVENTORY, "scope3_categories": [], "lines": INVENTORY["lines"][:2]}


@pytest.fixture
def operator(auth):
    return auth("operator", "Wulingyuan Hotel Co.")


def publish_second_edition(app) -> None:
    with app.app_context():
        datasets.publish("CN-2025")
        datasets.clear_caches()


def test_the_upgrade_loads_the_second_edition_as_a_draft_and_keeps_the_first_the_default(app):
    with app.app_context():
        record = datasets.get_record("CN-2025")
        assert not record.published and record.factors
        assert datasets.default_code() == "CN-2024"
        assert "dataset CN-2025: unchanged" in datasets.publish_bundled()  # idempotent
        record.checksum = "0" * 64  # as if the draft loaded before was an earlier one
        db.session.commit()
        said = datasets.publish_bundled()  # the bundled draft again, as db upgrade does
        assert "dataset CN-2025: replaced as a draft (the document says draft = true)" in said
        assert not datasets.get_record("CN-2025").published
        db.session.remove()


def test_a_draft_edition_prices_nothing(client, operator):
    venue_id = make_venue(client, operator)
    refused = submit(client, operator, venue_id, {**GRID_ONLY, "dataset": "CN-2025"})
    assert refused.status_code == 422
    assert "unknown or unpublished dataset 'CN-2025'" in refused.json["errors"]["dataset"][0]


def test_once_published_the_second_edition_prices_by_the_venues_regional_grid(
    app, client, operator
):
    publish_second_edition(app)
    venue_id = make_venue(client, operator)  # region CN-HN: the Central China grid
    second = submit(client, operator, venue_id).json
    assert second["dataset"] == "CN-2025"
    # 100 MWh: location-based 100 000 × 0.5395 = 53 950 kg, the national 53 660 beside;
    # market-based: the 60 000 kWh not covered by certificates × 0.5856 = 35 136 kg
    scopes = second["scopes"]
    assert scopes["scope2_location_based"] == 53950.0
    assert scopes["scope2_location_national_average"] == 53660.0
    assert scopes["scope2_market_based"] == 35136.0
    grid = second["lines"][0]
    assert grid["factor_id"] == "electricity.grid_cn_central"
    assert "regional grid of the venue's region CN-HN" in grid["note"]
    assert "fully correlated" in second["range_method"]


def test_an_inventory_gives_a_range_around_both_totals(client, operator):
    venue_id = make_venue(client, operator)
    report = submit(client, operator, venue_id, GRID_ONLY).json
    # 100 MWh ± 5 %: location 53 660 ± 2 683; market 35 136 ± 1 756.8
    assert report["range_kgco2e"] == {"low": 50977.0, "high": 56343.0}
    assert report["market_range_kgco2e"] == {"low": 33379.2, "high": 36892.8}
    assert "in quadrature over lines" in report["range_method"]


def test_figures_priced_with_the_first_edition_stay_as_they_were(app, client, operator):
    venue_id = make_venue(client, operator)
    before = submit(client, operator, venue_id).json
    publish_second_edition(app)
    after = client.get(f"/api/v1/inventories/{before['id']}", headers=operator).json
    assert after == {**before, "newer_dataset": "CN-2025"}  # said, never applied unasked
    first = after["scopes"]
    assert first["scope2_location_based"] == 53660.0
    assert first["scope2_location_national_average"] is None


def test_a_venue_in_no_regional_grid_is_priced_by_the_national_average(app, client, operator):
    publish_second_edition(app)
    venue_id = make_venue(client, operator, {**HOTEL, "region": ""})
    scopes = submit(client, operator, venue_id).json["scopes"]
    assert scopes["scope2_location_based"] == scopes["scope2_location_national_average"]
    assert scopes["scope2_location_based"] == 53660.0


def test_the_second_edition_prices_a_trip_well_to_wheel(app, client):
    trip = {
        "travellers": 2,
        "transport": [{"mode": "flight", "distance_km": 1200, "round_trip": True}],
        "lodging": [{"nights": 2, "type": "hotel"}],
    }
    first = client.post("/api/v1/footprints/trips", json=trip).json
    publish_second_edition(app)
    second = client.post("/api/v1/footprints/trips", json=trip).json
    assert (first["dataset"], second["dataset"]) == ("CN-2024", "CN-2025")
    # 4 800 passenger-km × 0.16201 + 2 nights × 53.5 = 884.648 kg under both; the second
    # adds the flight's well-to-tank part, 4 800 × 0.0953 × 0.0335 / 0.13552 = 113.077 kg
    assert first["total_kgco2e"] == 884.648 and second["total_kgco2e"] == 997.725
    assert (first["boundary"], second["boundary"]) == ("as_published", "well_to_wheel")
    assert first["lines"][0]["well_to_tank"] is None
    assert second["lines"][0]["well_to_tank"]["kgco2e"] == 113.077
    assert second["lines"][0]["well_to_tank"]["factor_id"] == "transport_wtt.flight"
    # the second edition counts the stated distance's uncertainty too: a wider range
    width = second["range_kgco2e"]["high"] - second["range_kgco2e"]["low"]
    assert width > first["range_kgco2e"]["high"] - first["range_kgco2e"]["low"]
    assert "fully correlated" in second["range_method"]
    assert "activity figure" in second["range_method"]
    assert second["lines"][0]["activity_uncertainty"] == 0.1


def test_a_draft_published_by_hand_is_left_as_it_is_by_the_upgrade(app):
    publish_second_edition(app)
    with app.app_context():
        said = datasets.publish_bundled()
        assert "dataset CN-2025: published already (the bundled document is still a draft)" in (
            " ".join(said)
        )
        assert datasets.get_record("CN-2025").published
        db.session.remove()


def test_the_second_edition_reports_the_gases_of_each_fuel_line(app, client, operator):
    publish_second_edition(app)
    venue_id = make_venue(client, operator)
    report = submit(client, operator, venue_id).json
    lines = {line["key"]: line for line in report["lines"] if line["kind"] == "fuel"}
    # 2 t diesel: 2000 × 42.652 / 10⁶ TJ × 10 kg CH4 and 0.6 kg N2O per TJ; CO2 × 3.0959
    assert lines["diesel"]["gases_kg"] == {"CO2": 6191.8, "CH4": 0.853, "N2O": 0.051}
    assert lines["diesel"]["location_based_kgco2e"] == 6231.193  # + 25.42 + 13.973
    assert lines["diesel"]["factor_unit"] == "kgCO2e/kg"
    assert report["gases_kg"]["CH4"] == 1.826  # + natural gas: 5000 × 3.8931e-5 × 5
    waste = next(line for line in report["lines"] if line["kind"] == "waste")
    assert waste["gases_kg"] == {}  # a CO2e factor


def test_a_published_factor_lists_its_gases(app, client):
    publish_second_edition(app)
    factors = client.get(
        "/api/v1/factors/datasets/CN-2025/factors", query_string={"group": "vehicle_fuel"}
    ).json["items"]
    diesel = next(f for f in factors if f["key"] == "diesel")
    assert diesel["gases"] == {"CO2": "3.0959", "CH4": "0.0001663428", "N2O": "0.0001663428"}
    first = client.get(
        "/api/v1/factors/datasets/CN-2024/factors", query_string={"group": "fuel"}
    ).json["items"]
    assert {f["gases"] for f in first} == {None}  # CO2 only: the unit says so


def test_a_trip_too_uncertain_for_approach_1_says_its_range_is_a_monte_carlo_one(app, client):
    trip = {"travellers": 2, "attractions": [{"type": "cable_car", "rides": 2}]}
    first = client.post("/api/v1/footprints/trips", json=trip).json
    publish_second_edition(app)
    second = client.post("/api/v1/footprints/trips", json=trip).json
    assert first["range_approach"] == "approach_1" and first["range_kgco2e"]["low"] == 0
    assert second["range_approach"] == "monte_carlo"
    low, high = second["range_kgco2e"]["low"], second["range_kgco2e"]["high"]
    total = second["total_kgco2e"]
    assert 0 < low < total < high and high - total > total - low
    assert "Approach 2" in second["range_method"]
