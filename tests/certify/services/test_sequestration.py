"""The district's forest as the registry knows it (credits issued per hectare-year), and
the second edition's trips measuring their forest equivalent against it."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from certify.services import sequestration
from footprint.core.trips import ForestSink, forest_sink
from footprint.services import datasets, forest_sinks
from tests.certify.builders import HOLDER, PROJECT

FLIGHT = {"transport": [{"mode": "flight", "distance_km": 1000, "radiative_forcing": False}]}
"""1 000 km × 0.0953 = 95.3 kg."""


def issue(client, registry, vintage: int, quantity: int, project_id: int | None = None) -> None:
    response = client.post(
        "/api/v1/registry/issuances",
        headers=registry.admin,
        json={
            "project_id": project_id or registry.project_id,
            "vintage": vintage,
            "quantity": quantity,
            "holder_org": HOLDER,
        },
    )
    assert response.status_code == 201, response.json


def project(client, registry, **changes: object) -> int:
    body = {**PROJECT, **changes}
    response = client.post("/api/v1/registry/projects", json=body, headers=registry.admin)
    assert response.status_code == 201, response.json
    return response.json["id"]


def measured(app) -> ForestSink | None:
    with app.app_context():
        return sequestration.verified_sink()


def test_the_registry_measures_its_forest_in_credits_per_hectare_year(app, client, registry):
    # the fixture's 100 credits of 2023 and 9 500 of 2024 on 1 200 ha:
    # 9 600 tCO2 over 1 200 ha × 2 years = 4 tCO2 per hectare-year
    issue(client, registry, 2024, 9500)
    sink = measured(app)
    assert sink.tco2_per_hectare_year == D(4)
    assert "(SXY01)" in sink.source and "9600 tCO2" in sink.source
    assert "over 2400 hectare-years" in sink.source


def test_projects_of_other_kinds_or_without_an_area_do_not_count(app, client, registry):
    wind = project(client, registry, code="WND01", name="Wind", project_type="renewable_energy")
    unmeasured = project(client, registry, code="SXY02", name="Unmeasured", area_ha=None)
    issue(client, registry, 2023, 5000, wind)
    issue(client, registry, 2023, 5000, unmeasured)
    # only the fixture's forest: 100 credits over 1 200 ha × 1 year
    assert measured(app).tco2_per_hectare_year == D(100) / D(1200)


def test_no_measured_forest_until_a_forest_project_with_an_area_has_credits(app):
    assert measured(app) is None


@pytest.fixture
def second_edition(app):
    with app.app_context():
        datasets.publish("CN-2025")
        datasets.clear_caches()
        forest_sinks.clear()


# 1 000 km × 0.0953 = 95.3 kg by the flight phase (CN-2024); the second edition prices it
# well-to-wheel: + 1 000 × 0.0953 × 0.0335 / 0.13552 (DESNZ's WTT-to-combustion) = 118.858
TOTALS = {"CN-2024": 95.3, "CN-2025": 118.858}


def equivalent(client, dataset: str | None = None) -> dict:
    trip = {**FLIGHT, **({"dataset": dataset} if dataset else {})}
    body = client.post("/api/v1/footprints/trips", json=trip).json
    assert body["total_kgco2e"] == TOTALS[body["dataset"]], body
    return body["equivalent"]


def test_the_second_edition_measures_a_trips_forest_against_the_registry(
    client, registry, second_edition
):
    issue(client, registry, 2024, 9500)
    forest_sinks.clear()  # the kept measure is a few seconds old: read it again now
    said = equivalent(client)
    # 118.858 kg / 4 tCO2 per ha-year = 0.0297 ha-years = 297 m²-years
    assert said["sink_tco2_per_hectare_year"] == 4.0
    assert said["forest_square_metre_years"] == 297 and said["forest_hectare_years"] == 0.0297
    assert "forest-sink projects (SXY01)" in said["source"]


def test_the_first_edition_keeps_its_own_forest(client, registry, second_edition):
    issue(client, registry, 2024, 9500)
    said = equivalent(client, "CN-2024")
    # 95.3 kg / 7.03126392 tCO2 per ha-year (its figure, to 44/12 as 3.6667) = 136 m²-years
    assert said["sink_tco2_per_hectare_year"] == 7.03126392
    assert said["forest_square_metre_years"] == 136


def test_without_a_measured_forest_the_second_edition_uses_its_own_figure(client, second_edition):
    # 3.4 × 1.20 × 0.47 × 44/12 = 7.0312 tCO2 per ha-year: 118.858 / 7.0312 → 169 m²-years
    said = equivalent(client)
    assert said["sink_tco2_per_hectare_year"] == 7.0312
    assert "requena" in said["source"].lower() or said["source"]


def test_only_rules_that_say_so_take_the_registrys_forest(cn2024, cn2025):
    registry = ForestSink(D(4), "the registry")
    assert forest_sink(cn2025, registry) == registry
    assert forest_sink(cn2024, registry).tco2_per_hectare_year == D("7.03126392")
    assert forest_sink(cn2025, None).tco2_per_hectare_year == D(44) / 12 * D("1.9176")
