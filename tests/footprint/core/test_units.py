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


@pytest.mark.parametrize(
    ("unit", "accepted"),
    [
        ("ton", "short_ton"),
        ("tons", "tonne"),
        ("ton*km", "long_ton"),
        ("gallon", "US_gallon"),
        ("gallons", "imperial_gallon"),
        ("gal", "US_gallon"),
        ("barrel", "oil_barrel"),
        ("cwt", "long_hundredweight"),
    ],
)
def test_an_ambiguous_unit_is_refused_naming_the_spellings_accepted(unit, accepted):
    """Issue 14: pint reads "ton" as a US short ton (−9.3 % for waste in tonnes)."""
    with pytest.raises(UnitError, match="ambiguous") as refused:
        convert(D(1), unit, "kg" if "gal" not in unit and unit != "barrel" else "L")
    assert accepted in str(refused.value)


@pytest.mark.parametrize(
    ("quantity", "source", "target", "expected"),
    [
        (D(1), "t", "kg", D(1000)),
        (D(1), "tonne", "kg", D(1000)),
        (D(1), "short_ton", "kg", D("907.18474")),
        (D(1), "long_ton", "kg", D("1016.0469088")),
        (D(1), "US_gallon", "L", D("3.785411784")),
        (D(1), "imperial_gallon", "L", D("4.54609")),
        (D(2), "US_gallon/day", "L/day", D("7.570823568")),
    ],
)
def test_unambiguous_spellings_convert_exactly(quantity, source, target, expected):
    assert convert(quantity, source, target) == expected
