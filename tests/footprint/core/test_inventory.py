"""Scope 1/2/3 of venue inventories, hand-checked with the pinned grid, fuel and gas factors."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from footprint.core.errors import FieldError
from footprint.core.inventory import Activity, calculate_inventory


def test_scope_1_prices_fuels_by_mass_and_volume_and_refrigerant_leaks(cn2024):
    result = calculate_inventory(
        [
            Activity("fuel", D(200), "kg", "diesel"),  # 200 × 3.0959 = 619.18
            Activity("fuel", D("0.3"), "t", "gasoline"),  # 300 × 2.9251 = 877.53
            Activity("fuel", D(50), "kg", "lpg"),  # 50 × 3.1013 = 155.065
            Activity("fuel", D(1000), "m3", "natural_gas"),  # 1000 × 2.1622 = 2162.2
            Activity("refrigerant", D(2), "kg", "r410a"),  # 2 × 2255.5 = 4511
            Activity("refrigerant", D(500), "g", "r32"),  # 0.5 × 771 = 385.5
        ],
        {},
        cn2024,
    )
    assert result.scope1 == D("8710.475")
    assert result.scope2_location == result.scope2_market == result.scope3 == 0


def test_litres_of_fuel_convert_through_the_cited_density(cn2024):
    density = cn2024.get("parameter", "density_diesel").value
    result = calculate_inventory([Activity("fuel", D(100), "L", "diesel")], {}, cn2024)
    assert result.scope1 == 100 * density * D("3.0959")
    assert "kg/L" in result.lines[0].note


def test_scope_2_location_based_uses_the_national_grid_average(cn2024):
    result = calculate_inventory(
        [
            Activity("grid_electricity", D(10), "MWh"),
            Activity("grid_electricity", D(5000), "kWh"),
            Activity("onsite_pv", D(3000), "kWh"),
        ],
        {},
        cn2024,
    )
    assert result.scope2_location == D(15000) * D("0.5366") == D("8049.0000")


def test_scope_2_market_based_nets_green_certificates_and_prices_the_rest_at_the_residual(cn2024):
    result = calculate_inventory(
        [
            Activity("grid_electricity", D(10000), "kWh"),
            Activity("green_certificates", D(4), "MWh"),
        ],
        {},
        cn2024,
    )
    assert result.scope2_location == D("5366.0000")
    assert result.scope2_market == D(6000) * D("0.5856")


def test_certificates_beyond_consumption_do_not_make_emissions_negative(cn2024):
    result = calculate_inventory(
        [
            Activity("grid_electricity", D(1000), "kWh"),
            Activity("green_certificates", D(5), "MWh"),
        ],
        {},
        cn2024,
    )
    assert result.scope2_market == 0


def test_scope_3_counts_only_the_chosen_categories(cn2024):
    lines = [Activity("waste", D(2), "t", "landfill")]
    with pytest.raises(FieldError) as raised:
        calculate_inventory(lines, {}, cn2024)
    assert raised.value.field == "lines[0].kind"
    result = calculate_inventory(lines, {}, cn2024, scope3_categories=[5])
    assert result.scope3 == 2 * cn2024.get("waste", "landfill").value


def test_intensities_divide_the_totals_by_each_metric(cn2024):
    result = calculate_inventory(
        [Activity("grid_electricity", D(10000), "kWh")],
        {"visitors": D(2000), "room_nights": D(500), "rides": D(0)},
        cn2024,
    )
    assert result.intensities["visitors"]["location_based"] == D("2.683")
    assert result.intensities["room_nights"]["market_based"] == D("11.712")
    assert "rides" not in result.intensities


@pytest.mark.parametrize(
    ("activity", "field"),
    [
        (Activity("fuel", D(1), "kWh", "diesel"), "lines[0].unit"),
        (Activity("fuel", D(1), "kg", "whale_oil"), "lines[0].key"),
        (Activity("refrigerant", D(1), "L", "r32"), "lines[0].unit"),
        (Activity("grid_electricity", D(1), "kg"), "lines[0].unit"),
        (Activity("fuel", D(1), "L", "lpg"), "lines[0].unit"),
        (Activity("nuclear", D(1), "kWh"), "lines[0].kind"),
        (Activity("fuel", D(1), "kg"), "lines[0].key"),
    ],
)
def test_activity_that_cannot_be_priced_names_its_field(cn2024, activity, field):
    with pytest.raises(FieldError) as raised:
        calculate_inventory([activity], {}, cn2024)
    assert raised.value.field == field


GRID_LINES = [
    Activity("grid_electricity", D(10), "MWh"),
    Activity("green_certificates", D(4), "MWh"),
]


def test_the_second_edition_prices_grid_electricity_by_the_venues_regional_grid(cn2025):
    result = calculate_inventory(GRID_LINES, {}, cn2025, region="CN-HN-Wulingyuan")
    # Hunan is on the Central China grid: 10 000 kWh × 0.5395 = 5 395 kg; the national
    # average beside it: 10 000 × 0.5366 = 5 366 kg
    assert result.scope2_location == D("5395.0000")
    assert result.scope2_location_national == D("5366.0000")
    line = result.lines[0]
    assert line.factor.id == "electricity.grid_cn_central" and line.national_kg == D(5366)
    assert "regional grid of the venue's region CN-HN-Wulingyuan" in line.note
    # market-based is unchanged: the 6 000 kWh not covered × the residual 0.5856
    assert result.scope2_market == D("3513.6")
    assert "not covered by green certificates" in line.note


def test_a_venue_outside_the_regional_grids_is_priced_by_the_national_average(cn2025):
    result = calculate_inventory(GRID_LINES, {}, cn2025, region="CN-NM")
    assert result.scope2_location == result.scope2_location_national == D("5366.0000")
    assert "no regional grid for the venue's region ('CN-NM')" in result.lines[0].note


def test_a_line_that_names_its_grid_keeps_it_under_the_regional_rules(cn2025):
    named = [Activity("grid_electricity", D(1000), "kWh", "grid_cn_south")]
    result = calculate_inventory(named, {}, cn2025, region="CN-HN")
    assert result.scope2_location == D("386.9") and result.lines[0].national_kg is None


def test_the_first_edition_still_prices_every_region_by_the_national_average(cn2024):
    result = calculate_inventory(GRID_LINES, {}, cn2024, region="CN-HN-Wulingyuan")
    assert result.scope2_location == D("5366.0000")
    assert result.scope2_location_national is None and "regional" not in result.lines[0].note


def test_the_market_based_total_has_a_range_of_its_own(cn2024, cn2025):
    # location 10 000 kWh × 0.5395 = 5 395 kg, ± 5 % for the factor and ± 5 % for the
    # metered figure: ± 269.75 × √2 = ± 381.484; market 6 000 × 0.5856 = 3 513.6 kg,
    # ± 175.68 for the residual factor and as much for the figure: ± 248.449
    result = calculate_inventory(GRID_LINES, {}, cn2025, region="CN-HN")
    assert result.half_width.quantize(D("0.001")) == D("381.484")
    assert result.half_width_market.quantize(D("0.001")) == D("248.449")
    assert "activity figure" in result.range_method
    # the first edition: the factors' uncertainty alone
    first = calculate_inventory(GRID_LINES, {}, cn2024)
    assert first.half_width == D("268.30") and first.half_width_market == D("175.680")


def test_meters_read_on_one_grid_are_one_error_under_the_second_edition(cn2024, cn2025):
    meters = [Activity("grid_electricity", D(5), "MWh"), Activity("grid_electricity", D(5), "MWh")]
    # two meters × 5 000 kWh × 0.5395 ± 5 %: the factor's error once, 2 × 134.875 =
    # 269.75 (not 134.875 × √2); each meter's own ± 5 % apart: √(269.75² + 2 × 134.875²)
    second = calculate_inventory(meters, {}, cn2025, region="CN-HN").half_width
    assert second.quantize(D("0.001")) == D("330.375")
    first = calculate_inventory(meters, {}, cn2024).half_width  # 134.15 × √2 = 189.7167…
    assert first.quantize(D("0.001")) == D("189.717")


def test_the_second_edition_reports_each_gas_of_a_fuel_line(cn2025):
    result = calculate_inventory([Activity("fuel", D(2), "t", "diesel")], {}, cn2025)
    # 2000 kg × (42.652 GJ/t / 10⁶ TJ/kg) × 10 kg CH4/TJ and × 0.6 kg N2O/TJ; CO2 × 3.0959
    (line,) = result.lines
    assert line.gases_kg == {"CO2": D("6191.8"), "CH4": D("0.85304"), "N2O": D("0.0511824")}
    assert line.location_kg == D("6191.8") + D("0.85304") * D("29.8") + D("0.0511824") * 273
    assert result.gases_kg == line.gases_kg and result.scope1 == line.location_kg


def test_the_venues_own_vehicles_burn_fuel_by_the_mobile_factors(cn2025):
    density = cn2025.get("parameter", "density_diesel").value
    result = calculate_inventory(
        [Activity("vehicle_fuel", D(100), "L", "diesel"), Activity("fuel", D(100), "L", "diesel")],
        {},
        cn2025,
    )
    vehicles, generator = result.lines
    kg = 100 * density
    # road diesel 3.9 kg CH4 and 3.9 kg N2O per TJ: 0.0001663428 kg of each per kg
    assert vehicles.gases_kg["N2O"] == kg * D("0.0001663428")
    assert vehicles.location_kg == kg * (D("3.0959") + D("0.0001663428") * (D("29.8") + 273))
    assert vehicles.scope == generator.scope == 1
    assert vehicles.location_kg > generator.location_kg  # more N2O on the road
    assert result.gases_kg["CO2"] == 2 * kg * D("3.0959")


def test_the_first_edition_has_no_vehicle_fuel_factors_and_says_so(cn2024):
    with pytest.raises(FieldError) as refused:
        calculate_inventory([Activity("vehicle_fuel", D(1), "t", "diesel")], {}, cn2024)
    assert refused.value.field == "lines[0].key"
    assert "dataset CN-2024 has no vehicle_fuel factors" in str(refused.value)


def test_a_line_known_only_as_co2e_states_no_gases(cn2024):
    result = calculate_inventory(
        [Activity("waste", D(1), "t", "landfill"), Activity("fuel", D(1), "t", "lpg")],
        {},
        cn2024,
        scope3_categories=[5],
    )
    waste, lpg = result.lines
    assert waste.gases_kg == {} and lpg.gases_kg == {"CO2": D("3101.3")}
    assert result.gases_kg == {"CO2": D("3101.3")}


def test_the_second_edition_prices_business_flights_with_radiative_forcing(cn2024, cn2025):
    flights = [Activity("business_travel", D(1000), "km", "flight")]
    second = calculate_inventory(flights, {}, cn2025, scope3_categories=[6])
    first = calculate_inventory(flights, {}, cn2024, scope3_categories=[6])
    # 1000 passenger-km × 0.0953 × 1.7 (as a tourist's flight) against × 0.0953 alone; the
    # second edition adds the fuel's upstream, 1000 × 0.0953 × 0.0335 / 0.13552 = 23.5578
    wtt = 1000 * D("0.0953") * D("0.0335") / D("0.13552")
    assert second.scope3 == 1000 * D("0.0953") * D("1.7") + wtt and first.scope3 == D("95.3000")
    assert second.lines[0].factor.id == "transport.flight_rf" and second.lines[0].key == "flight"
    assert second.lines[0].well_to_tank.kgco2e.quantize(D("0.0001")) == D("23.5578")
    assert "radiative forcing" in second.lines[0].note and first.lines[0].note == ""
    assert first.lines[0].well_to_tank is None
