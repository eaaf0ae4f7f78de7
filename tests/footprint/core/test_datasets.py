"""Dataset documents: pinned values, derived factors computed from their recipes, checks."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from footprint.core.datasets import DatasetError, parse_dataset

PINNED = [
    ("transport", "flight", "0.0953"),
    ("parameter", "radiative_forcing", "1.7"),
    ("transport", "flight_rf", "0.16201"),
    ("transport", "high_speed_rail", "0.03048"),
    ("transport", "rail", "0.03546"),
    ("transport", "coach", "0.02717"),
    ("transport", "bus", "0.10846"),
    ("transport", "car_petrol", "0.16450"),
    ("transport", "car_diesel", "0.16984"),
    ("lodging", "hotel", "53.5"),
    ("electricity", "grid_cn", "0.5366"),
    ("electricity", "grid_cn_residual", "0.5856"),
    ("fuel", "diesel", "3.0959"),
    ("fuel", "gasoline", "2.9251"),
    ("fuel", "lpg", "3.1013"),
    ("fuel", "natural_gas", "2.1622"),
    ("refrigerant", "r32", "771"),
    ("refrigerant", "r125", "3740"),
    ("refrigerant", "r134a", "1530"),
    ("refrigerant", "r410a", "2255.5"),
]


@pytest.mark.parametrize(("group", "key", "value"), PINNED)
def test_every_pinned_factor_has_its_reference_value(cn2024, group, key, value):
    assert cn2024.get(group, key).value == D(value)


def test_every_factor_names_a_source_and_every_emission_factor_an_uncertainty(cn2024):
    for factor in cn2024.factors.values():
        assert factor.source.citation, factor.id
        assert 0 <= factor.uncertainty < 2, factor.id
        if factor.group != "parameter":
            assert factor.uncertainty > 0, factor.id


def test_derived_factors_show_their_arithmetic(cn2024):
    assert "transport.flight" in cn2024.get("transport", "flight_rf").derivation
    assert "refrigerant.r32" in cn2024.get("refrigerant", "r410a").derivation
    assert "GB/T 32150" in cn2024.get("fuel", "diesel").derivation


def test_shuttle_bus_falls_back_to_bus_and_says_so(cn2024):
    shuttle = cn2024.get("transport", "shuttle_bus")
    assert shuttle.value == cn2024.get("transport", "bus").value
    assert "transport.bus" in shuttle.derivation


def test_the_electric_car_uses_the_chinese_grid_not_the_uk_one(cn2024):
    ev = cn2024.get("transport", "car_electric")
    assert ev.value == cn2024.get("parameter", "ev_kwh_per_km").value * D("0.5366")


DOC = """
[dataset]
code = "T-1"
[sources.s]
citation = "a source"
[[factors]]
id = "refrigerant.a"
group = "refrigerant"
key = "a"
unit = "kgCO2e/kg"
year = 2021
source = "s"
uncertainty = "0.1"
{recipe}
"""


@pytest.mark.parametrize(
    ("recipe", "message"),
    [
        ("value = 3.5", "quantities are written as decimal strings"),
        ('value = "abc"', "not a decimal number"),
        ('value = "NaN"', "not finite"),
        ('blend = {"refrigerant.a" = "1"}', "refers back to itself"),
        ('product = ["refrigerant.missing"]', "unknown factor id"),
        ('value = "1"\nproduct = []', "exactly one of"),
    ],
)
def test_a_malformed_document_is_refused_with_a_reason(recipe, message):
    with pytest.raises(DatasetError, match=message):
        parse_dataset(DOC.format(recipe=recipe).encode())


BLEND = (
    DOC.format(recipe='value = "10"')
    + """
[[factors]]
id = "refrigerant.b"
group = "refrigerant"
key = "b"
unit = "kgCO2e/kg"
year = 2021
source = "s"
uncertainty = "0.1"
blend = {"refrigerant.a" = "0.6"}
"""
)


def test_a_blend_must_sum_to_one():
    with pytest.raises(DatasetError, match="sum to 1"):
        parse_dataset(BLEND.encode())


def test_a_blend_is_the_mass_weighted_sum_of_its_components():
    dataset = parse_dataset(BLEND.replace('"0.6"', '"1"').encode())
    assert dataset.get("refrigerant", "b").value == D(10)
