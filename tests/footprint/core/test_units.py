"""Unit conversion through pint, exact in Decimal."""

from decimal import Decimal as D

import pytest

from footprint.core.units import UnitError, convert


@pytest.mark.parametrize(
    ("quantity", "source", "target", "expected"),
    [
        (D("2.5"), "MWh", "kWh", D(2500)),
        (D(3), "t", "kg", D(3000)),
        (D(1500), "L", "m3", D("1.5")),
        (D(1), "m³", "L", D(1000)),
        (D(1000), "kWh", "GJ", D("3.6")),
        (D(250), "g", "kg", D("0.25")),
    ],
)
def test_people_report_in_the_units_they_have(quantity, source, target, expected):
    assert convert(quantity, source, target) == expected


def test_a_unit_of_the_wrong_dimension_is_refused():
    with pytest.raises(UnitError, match="not a unit of"):
        convert(D(1), "kWh", "kg")


def test_an_unknown_unit_is_refused():
    with pytest.raises(UnitError, match="unknown unit"):
        convert(D(1), "zorkmid", "kg")


@pytest.mark.parametrize("unit", ["(", "kg)", "((", "[", "kWh]"])
def test_a_unit_with_unbalanced_brackets_is_refused_not_a_crash(unit):
    """Found by an outside client: pint's tokenizer raised out of it (a 500)."""
    with pytest.raises(UnitError, match="unknown unit"):
        convert(D(1), unit, "kg")
