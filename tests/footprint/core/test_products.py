"""Product footprints per functional unit, by life-cycle stage, checked by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from footprint.core.errors import FieldError
from footprint.core.products import (
    BOUNDARIES,
    DATA_QUALITY,
    ProductActivity,
    calculate_product,
)

D = Decimal


def line(
    stage: str, factor: str, quantity: str, unit: str, quality: str = "measured"
) -> ProductActivity:
    return ProductActivity(stage, factor, D(quantity), unit, quality)


TEA_BATCH = [  # 1,000 packs of 250 g
    line("processing", "electricity.grid_cn", "1200", "kWh"),
    line("processing", "fuel.lpg", "50", "kg", "calculated"),
    line("end_of_life", "waste.landfill", "30", "kg", "estimated"),
]


def test_a_batch_is_priced_line_by_line_and_divided_by_its_units(cn2024):
    result = calculate_product(TEA_BATCH, cn2024, "cradle_to_grave", D(1000))
    # 1200 kWh × 0.5366 = 643.92; 50 kg × 3.1013 = 155.065; 0.030 t × 520.3342 = 15.610026
    assert [line.kg for line in result.lines] == [D("643.92"), D("155.065"), D("15.6100260")]
    assert result.per_unit == D("0.814595026")
    assert result.by_stage["processing"] == D("0.798985")
    assert result.by_stage["end_of_life"] == D("0.015610026")
    assert result.by_stage["distribution"] == 0


def test_every_stage_inside_the_boundary_is_reported_and_only_those(cn2024):
    gate = calculate_product(TEA_BATCH[:2], cn2024, "cradle_to_gate", D(1))
    assert tuple(gate.by_stage) == BOUNDARIES["cradle_to_gate"]
    grave = calculate_product(TEA_BATCH, cn2024, "cradle_to_grave", D(1))
    assert tuple(grave.by_stage) == BOUNDARIES["cradle_to_grave"]


def test_units_are_converted_to_what_the_factor_is_per(cn2024):
    in_mwh = calculate_product(
        [line("processing", "electricity.grid_cn", "1.2", "MWh")], cn2024, "cradle_to_gate", D(1)
    )
    assert in_mwh.per_unit == D("643.92")


def test_each_line_combines_factor_and_activity_uncertainty_in_quadrature(cn2024):
    result = calculate_product(TEA_BATCH, cn2024, "cradle_to_grave", D(1000))
    electricity, _, landfill = result.lines
    assert electricity.uncertainty == (D("0.05") ** 2 + DATA_QUALITY["measured"] ** 2).sqrt()
    assert landfill.uncertainty == (D("0.50") ** 2 + DATA_QUALITY["estimated"] ** 2).sqrt()
    expected = sum((x.kg * x.uncertainty) ** 2 for x in result.lines).sqrt() / 1000
    assert abs(result.half_width_per_unit - expected) < D("1e-20")
    assert 0 < result.relative_uncertainty < 1


@pytest.mark.parametrize(
    ("activity", "field", "words"),
    [
        (
            line("distribution", "electricity.grid_cn", "1", "kWh"),
            "lines[0].stage",
            "outside the boundary",
        ),
        (line("brewing", "electricity.grid_cn", "1", "kWh"), "lines[0].stage", "one of"),
        (line("packaging", "waste.landfill", "1", "t"), "lines[0].factor", "does not belong"),
        (line("processing", "electricity.nuclear", "1", "kWh"), "lines[0].factor", "no factor"),
        (line("processing", "electricity", "1", "kWh"), "lines[0].factor", "no factor"),
        (line("processing", "electricity.grid_cn", "1", "kg"), "lines[0].unit", "per kWh"),
        (line("processing", "electricity.grid_cn", "1", "parsec"), "lines[0].unit", ""),
        (line("processing", "electricity.grid_cn", "-1", "kWh"), "lines[0].quantity", ""),
        (
            line("processing", "electricity.grid_cn", "1", "kWh", "guessed"),
            "lines[0].data_quality",
            "measured",
        ),
    ],
)
def test_a_line_that_does_not_fit_is_refused_naming_its_field(cn2024, activity, field, words):
    with pytest.raises(FieldError) as raised:
        calculate_product([activity], cn2024, "cradle_to_gate", D(1))
    assert raised.value.field == field and words in raised.value.message


@pytest.mark.parametrize("units", [D(0), D(-5), D("NaN"), D(10) ** 10])
def test_a_batch_of_no_units_is_refused(cn2024, units):
    with pytest.raises(FieldError) as raised:
        calculate_product(TEA_BATCH[:1], cn2024, "cradle_to_gate", units)
    assert raised.value.field == "output_units"


def test_an_unknown_boundary_is_refused(cn2024):
    with pytest.raises(FieldError) as raised:
        calculate_product(TEA_BATCH[:1], cn2024, "gate_to_gate", D(1))
    assert raised.value.field == "boundary"
