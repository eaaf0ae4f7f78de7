"""CN-2025-P: the product life-cycle factors of CN-2024-P carried onto the second edition,
and a product's energy lines with their upstream (issue 14, item 7).

Figures by hand from the cited values: GB/T 32150-2015 diesel (NCV 42.652 GJ/t, 20.2 tC/TJ,
oxidation 0.98 → 3.0959 kgCO2/kg), IPCC 2006 stationary CH4 10 and N2O 0.6 kg/TJ × AR6
GWP 29.8 and 273, and DESNZ 2025 WTT- fuels, Diesel (100 % mineral), 752.0276 kgCO2e/t.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D

import pytest

from footprint.core.datasets import DatasetError, parse_dataset
from footprint.core.products import ProductActivity, calculate_product
from tests.conftest import BUNDLED

DIESEL = (
    D("3.0959") + D(10) * D("42.652") / 10**6 * D("29.8") + D("0.6") * D("42.652") / 10**6 * 273
)


def test_it_carries_every_product_factor_and_resolves_it_against_the_new_edition(
    cn2025p, cn2024p, cn2025, cn2024
):
    carried = {fid for fid in cn2024p.factors if fid not in cn2024.factors}
    assert carried and carried <= set(cn2025p.factors)
    own = {"freight_wtt.rail", "parameter.desnz_freight_train", "parameter.desnz_wtt_freight_train"}
    assert set(cn2025p.factors) == set(cn2025.factors) | carried | own
    # urea's CO2 is 0.20 tC/t × 44/12 by the edition's exact ratio (× 3.6667 in CN-2024-P)
    assert cn2025p.get("field", "urea_co2").value == D("0.20") * (D(44) / D(12))
    assert cn2024p.get("field", "urea_co2").value == D("0.733340")
    assert cn2025p.get("packaging", "pet").value == cn2024p.get("packaging", "pet").value
    assert cn2025p.carries == "CN-2024-P"
    # its rules are CN-2025's, with the carried freight factors' upstream named besides
    assert cn2025p.method.well_to_tank == {
        **cn2025.method.well_to_tank,
        "freight.hgv_average": "included",
        "freight.truck_small": "included",
        "freight.inland_waterway": "not_available",
    }
    assert replace(cn2025p.method, well_to_tank={}) == replace(cn2025.method, well_to_tank={})


def test_the_carried_dataset_must_be_given_and_be_an_extension(cn2025, cn2024p, cn2024):
    document = (BUNDLED.parent / "CN-2025-P.toml").read_bytes()
    with pytest.raises(DatasetError, match="carries CN-2024-P: give it parsed"):
        parse_dataset(document, cn2025)
    with pytest.raises(DatasetError, match="is no extension to carry"):
        parse_dataset(document.replace(b'"CN-2024-P"', b'"CN-2024"'), cn2025, cn2024)


def test_a_fuel_burnt_in_processing_adds_its_upstream(cn2025p):
    # 100 kg diesel: 100 × 3.1155966936 = 311.55966936 kg burnt; 0.1 t × 752.0276 = 75.20276
    # kg upstream: 386.76242936 kg for a batch of 10 units, 38.676242936 per unit
    lines = [ProductActivity("processing", "fuel.diesel", D(100), "kg", "measured")]
    result = calculate_product(lines, cn2025p, "cradle_to_gate", D(10))
    (line,) = result.lines
    assert line.kg == 100 * DIESEL + D("75.20276") == D("386.76242936")
    assert line.well_to_tank.kgco2e == D("75.20276")
    assert result.per_unit == D("38.67624293600") and result.energy_boundary == "well_to_wheel"
    # its range: the combustion part by its factor's ±u ⊕ measured ±5 %, the upstream
    # part by ±30 % ⊕ ±5 %, the two in quadrature
    burnt = 100 * DIESEL * (line.factor.uncertainty**2 + D("0.05") ** 2).sqrt()
    upstream = D("75.20276") * (D("0.30") ** 2 + D("0.05") ** 2).sqrt()
    expected = (burnt**2 + upstream**2).sqrt() / 10
    assert result.half_width_per_unit.quantize(D("1e-12")) == expected.quantize(D("1e-12"))


def test_grid_electricity_says_its_upstream_is_not_counted(cn2025p):
    lines = [ProductActivity("processing", "electricity.grid_cn", D(1000), "kWh")]
    (line,) = calculate_product(lines, cn2025p, "cradle_to_gate", D(1)).lines
    assert line.well_to_tank.state == "not_available" and line.kg == 1000 * D("0.5366")


def test_the_first_editions_products_are_priced_as_they_were(cn2024p):
    lines = [ProductActivity("processing", "fuel.diesel", D(100), "kg", "measured")]
    result = calculate_product(lines, cn2024p, "cradle_to_gate", D(10))
    assert result.lines[0].well_to_tank is None and result.per_unit == D("30.959")
    assert result.energy_boundary == "as_published"


@pytest.mark.parametrize(
    ("factor", "state", "kg"),
    [
        # DEFRA 2012 Table 7e: direct + upstream already, so nothing is added
        ("freight.hgv_average", "included", "0"),
        # 1 000 t*km × 0.03 (direct, CO2) × DESNZ's 0.00691 / 0.02779 = 7.45952…
        ("freight.rail", "priced", str(1000 * D("0.03") * D("0.00691") / D("0.02779"))),
        ("freight.inland_waterway", "not_available", "0"),
    ],
)
def test_freight_states_its_upstream_as_its_factor_stands(cn2025p, factor, state, kg):
    lines = [ProductActivity("distribution", factor, D(1000), "t*km")]
    (line,) = calculate_product(lines, cn2025p, "cradle_to_grave", D(1)).lines
    assert (line.well_to_tank.state, line.well_to_tank.kgco2e) == (state, D(kg))
    assert line.kg == 1000 * line.factor.value + D(kg)
