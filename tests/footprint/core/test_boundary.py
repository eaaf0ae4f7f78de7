"""One boundary for all transport (issue 14, item 3): the second edition prices every mode
well-to-wheel, its well-to-tank part shown; the first keeps each source's own boundary.

Figures by hand from the cited values: DESNZ 2025 flat-file rows (by their IDs, in the
dataset's notes) and Mao et al. for China's flights and high-speed rail.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from footprint.core.datasets import DatasetError, parse_dataset
from footprint.core.inventory import Activity, calculate_inventory
from footprint.core.trips import Leg, Trip, calculate_trip

FLIGHT_WTT = D("0.0953") * D("0.0335") / D("0.13552")  # Chinese flight × DESNZ's WTT ratio


def test_a_petrol_car_adds_its_fuels_upstream_per_vehicle_km(cn2025):
    # 3 travellers in one car, 120 km: 120 vehicle-km × 0.16272 (row 25_301_3070_4_1)
    # = 19.5264 kg, + 120 × 0.04599 (WTT row 26_904_3070_4_1) = 5.5188 kg: 25.0452 kg
    result = calculate_trip(Trip(3, [Leg("car_petrol", D(120), occupants=3)]), cn2025)
    (line,) = result.lines
    assert line.kgco2e == D("25.0452") and line.well_to_tank.kgco2e == D("5.5188")
    assert line.well_to_tank.factor.id == "transport_wtt.car_petrol"
    assert result.boundary == "well_to_wheel" and "well-to-tank" in result.boundary_text


def test_a_flights_upstream_is_not_multiplied_by_radiative_forcing(cn2025):
    # 1 000 pkm: with RF 0.0953 × 1.7 = 162.01 kg; without 95.3; the upstream 23.5578 both
    with_rf, without = (
        calculate_trip(Trip(1, [Leg("flight", D(1000), radiative_forcing=rf)]), cn2025)
        for rf in (True, False)
    )
    wtt = 1000 * FLIGHT_WTT
    assert with_rf.total == D("162.01") + wtt and without.total == D("95.3") + wtt
    assert with_rf.lines[0].well_to_tank.kgco2e == without.lines[0].well_to_tank.kgco2e == wtt
    assert wtt.quantize(D("0.0001")) == D("23.5578")


def test_high_speed_rails_full_process_figure_holds_its_upstream(cn2025, cn2024):
    # 600 pkm × 0.03048 = 18.288 kg under both editions: nothing added, and the line says why
    second, first = (
        calculate_trip(Trip(1, [Leg("high_speed_rail", D(600))]), ds) for ds in (cn2025, cn2024)
    )
    assert second.total == first.total == D("18.28800")
    assert second.lines[0].well_to_tank.state == "included"
    assert "included in the factor's own figure" in second.lines[0].well_to_tank.note


def test_an_electric_cars_upstream_without_a_cited_factor_is_said_not_counted(cn2025):
    result = calculate_trip(Trip(1, [Leg("car_electric", D(100))]), cn2025)
    wtt = result.lines[0].well_to_tank
    assert (wtt.state, wtt.kgco2e, wtt.factor) == ("not_available", 0, None)
    assert "not counted" in wtt.note


def test_the_first_edition_keeps_every_result_as_it_was_priced(cn2024):
    # the docs/api.md example's flight: 4 400 pkm × 0.16201 = 712.844, no upstream part
    result = calculate_trip(Trip(2, [Leg("flight", D(1100), round_trip=True)]), cn2024)
    assert result.total == D("712.84400") and result.lines[0].well_to_tank is None
    assert result.boundary == "as_published" and "flight phase" in result.boundary_text


def test_an_inventorys_commuting_by_coach_is_priced_well_to_wheel(cn2025, cn2024):
    # 10 000 pkm × 0.02776 (row 25_314_3146_11_1) = 277.6 + × 0.00656 (26_910_3146_11_1)
    # = 65.6: 343.2 kg; CN-2024: 10 000 × 0.02717 = 271.7 kg
    lines = [Activity("employee_commuting", D(10000), "km", "coach")]
    second = calculate_inventory(lines, {}, cn2025, scope3_categories=[7])
    first = calculate_inventory(lines, {}, cn2024, scope3_categories=[7])
    assert second.scope3 == D("343.2") and first.scope3 == D("271.7")
    assert second.lines[0].well_to_tank.kgco2e == D("65.6")
    # its range: ±40 % of 277.6 and ±30 % of 65.6 (different factors, in quadrature) with
    # the measured ±5 % of the one figure both state: √(111.04² + 19.68² + 17.16²) = 114.07
    assert second.half_width.quantize(D("0.01")) == D("114.07")


def test_a_well_to_wheel_edition_names_every_modes_upstream(cn2024):
    document = (
        b'[dataset]\ncode = "X"\nrevises = "CN-2024"\n[dataset.method]\n'
        b'transport_boundary = "well_to_wheel"\n[dataset.method.well_to_tank]\n'
        b'flight = "included"\n'
    )
    with pytest.raises(DatasetError, match="names nothing for boat, bus, car_diesel"):
        parse_dataset(document, cn2024)
