"""The bundled CN-2024-P: CN-2024 plus product life-cycle factors, each with its source."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from footprint.core import units
from footprint.core.datasets import parse_dataset
from footprint.core.products import ProductActivity, calculate_product

BUNDLED = Path(__file__).resolve().parents[3] / "footprint" / "datasets"


@pytest.fixture(scope="module")
def products(cn2024):
    return parse_dataset((BUNDLED / "CN-2024-P.toml").read_bytes(), cn2024)


@pytest.fixture(scope="module")
def new_factors(products, cn2024):
    return [f for fid, f in products.factors.items() if fid not in cn2024.factors]


def test_it_extends_cn2024_and_changes_none_of_its_factors(products, cn2024):
    assert products.code == "CN-2024-P" and products.extends == "CN-2024"
    for fid, factor in cn2024.factors.items():
        assert products.factors[fid] == factor, fid


def test_every_new_factor_names_a_cited_source_and_an_uncertainty(new_factors):
    assert len(new_factors) >= 15
    for factor in new_factors:
        assert factor.source.citation.strip(), factor.id
        assert factor.status in {"cited", "derived", "assumed"}, factor.id
        assert factor.note, factor.id
        assert 0 <= factor.uncertainty < 1, factor.id
        if factor.group != "parameter":  # exact constants (44, 28, GWPs) may have none
            assert factor.uncertainty > 0, factor.id
        if factor.status == "cited":
            assert not factor.source.citation.startswith("derived:"), factor.id
        if factor.status == "derived":
            assert factor.derivation, factor.id


def test_the_groups_a_tea_maker_needs_are_there(products):
    assert {"urea", "npk_15_15_15"} <= set(products.keys("fertiliser"))
    assert {"n2o_synthetic_n", "n2o_organic_n", "urea_co2"} <= set(products.keys("field"))
    # end of life and use stage come from CN-2024
    assert {"landfill", "incineration", "composting"} <= set(products.keys("waste"))
    assert products.get("electricity", "grid_cn").value == D("0.5366")


def test_field_n2o_is_ef1_times_44_over_28_times_the_ar6_gwp(products):
    # IPCC 2019 Table 11.1, synthetic N in a wet climate: 0.016 kg N2O-N/kg N
    assert products.get("field", "n2o_synthetic_n").value == D("0.016") * 44 * 273 / 28
    assert products.get("field", "n2o_synthetic_n").value == D("6.864")
    assert products.get("field", "n2o_organic_n").value == D("2.574")
    assert products.get("field", "n2o_n_default").value == D("4.29")


def test_urea_uses_the_parents_44_over_12(products, cn2024):
    co2_per_c = cn2024.get("parameter", "co2_per_c").value
    # Chen, Lu & Wang (2015): urea 2.041 t CE per t N; urea is 46 % N
    assert products.get("fertiliser", "urea").value == D("0.46") * D("2.041") * co2_per_c
    assert products.get("fertiliser", "urea").value.quantize(D("0.01")) == D("3.44")
    # IPCC 2006 Eq. 11.13: 0.20 t C per t urea
    assert products.get("field", "urea_co2").value == D("0.20") * co2_per_c


def test_npk_15_15_15_weighs_n_p_and_k_by_its_grade(products):
    npk = products.get("fertiliser", "npk_15_15_15")
    assert npk.value == D("0.15") * (D("2.116") + D("0.636") + D("0.180")) * D("3.6667")
    assert npk.value.quantize(D("0.01")) == D("1.61")


def test_every_new_emission_factor_is_per_a_unit_that_converts(new_factors):
    for factor in new_factors:
        if factor.group == "parameter":
            continue
        per = factor.unit.split("/", 1)[1]
        if factor.group == "freight":  # per tonne-kilometre
            assert units.convert(D(1000), "kg*km", per) == D(1), factor.id
        else:  # per kg of product, material or nutrient
            assert units.convert(D(1000), "g", per) == D(1), factor.id


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("t*km", "1"),
        ("t·km", "1"),
        ("tkm", "1"),
        ("tonne.km", "1"),
        ("tonne-km", "1"),
        ("kg*km", "0.001"),
        ("kg·km", "0.001"),
    ],
)
def test_freight_units_parse_and_convert_to_tonne_km(given, expected):
    assert units.convert(D(1), given, "t*km") == D(expected)


# --- packaging materials and freight ------------------------------------------------

PACKAGING = ("paper_board", "kraft_paper", "ldpe_film", "pet", "aluminium", "tinplate", "glass")
FREIGHT = ("hgv_average", "truck_small", "rail", "inland_waterway")


@pytest.mark.parametrize(
    "fid", [f"packaging.{k}" for k in PACKAGING] + [f"freight.{k}" for k in FREIGHT]
)
def test_packaging_and_freight_factors_each_have_a_source_and_an_uncertainty(products, cn2024, fid):
    factor = products.factors[fid]
    assert fid not in cn2024.factors
    assert factor.value > 0 and 0 < factor.uncertainty < 1
    assert factor.source.citation.strip() and factor.note
    assert factor.status in {"cited", "assumed"}
    if factor.status == "cited":  # a publication, its address, and a proxy region said so
        assert not factor.source.citation.startswith("derived:")
        assert factor.source.url.startswith("https://")
        assert factor.region in {"CN", "GB", "EU", "GLOBAL"}
    else:  # our assumption: the note gives the range it was taken from
        assert factor.source.id == "cn2024p-assumptions"
        assert factor.note.startswith("assumed:")
    if factor.region in {"GB", "EU"}:
        assert "proxy" in factor.note.lower() or factor.status == "assumed"


def test_packaging_is_per_kg_and_freight_per_tonne_km(products):
    for key in PACKAGING:
        assert products.get("packaging", key).unit == "kgCO2e/kg", key
    for key in FREIGHT:
        unit = products.get("freight", key).unit
        assert unit.split("/", 1)[1] == "(t*km)", key


def test_the_cited_values_are_those_of_their_publications(products):
    # DEFRA/DECC 2012, Annex 7 Table 7e: all HGVs, UK average load, direct + indirect (WTT)
    hgv = products.get("freight", "hgv_average")
    assert hgv.value == D("0.12366") + D("0.02627") == D("0.14993")
    assert "0.14993" in hgv.source.citation and hgv.region == "GB" and hgv.year == 2012
    # same table: rigid >3.5-7.5 t, 46 % laden
    assert products.get("freight", "truck_small").value == D("0.58542") + D("0.12436")
    # Hansard 2007-06-04 quoting DEFRA: rail 0.03 kg CO2 per tonne km
    assert products.get("freight", "rail").value == D("0.03")
    # CEPI Eurokraft 2021: 421 kg CO2e per tonne of sack kraft paper
    assert products.get("packaging", "kraft_paper").value == D(421) / 1000
    # Hopewell et al. 2009, Table 3 (t CO2e per t): LDPE 2.1, PET 3.4
    assert products.get("packaging", "ldpe_film").value == D("2.1")
    assert products.get("packaging", "pet").value == D("3.4")
    # IAI: 15.1 t CO2e per t of primary aluminium (2022); APEAL: 2.33 kg per kg tinplate
    assert products.get("packaging", "aluminium").value == D("15.1")
    assert products.get("packaging", "tinplate").value == D("2.33")


def test_assumed_values_lie_inside_the_range_their_notes_give(products):
    # corrugated board: FEFCO Europe 0.491 (2020) .. coal-based China; central 0.8 +/-50 %
    board = products.get("packaging", "paper_board")
    assert board.value * (1 - board.uncertainty) <= D("0.491") <= board.value
    # glass: furnace-only European floor 0.57 t/t (JRC) at the bottom of the interval
    glass = products.get("packaging", "glass")
    assert glass.value * (1 - glass.uncertainty) <= D("0.57") <= glass.value
    # inland waterway: the mean of 34 (UBA) and 38.6 (KiM / CE Delft) g per t*km
    assert products.get("freight", "inland_waterway").value == (
        (D("34") + D("38.6")) / 2 / 1000
    ).quantize(D("0.001"))


@pytest.mark.parametrize(("quantity", "unit"), [("2", "t*km"), ("2", "tkm"), ("2000", "kg*km")])
def test_a_freight_factor_prices_tonne_km_and_kg_km(products, quantity, unit):
    factor = products.get("freight", "hgv_average")
    per = factor.unit.split("/", 1)[1]
    assert units.convert(D(quantity), unit, per) == D(2)
    line = ProductActivity("distribution", "freight.hgv_average", D(quantity), unit)
    result = calculate_product([line], products, "cradle_to_grave", D(1))
    assert result.by_stage["distribution"] == D(2) * D("0.14993")


def test_packaging_and_inbound_freight_sit_in_the_packaging_stage(products):
    lines = [
        ProductActivity("packaging", "packaging.kraft_paper", D("20"), "g"),
        ProductActivity("packaging", "freight.truck_small", D("5"), "kg*km"),
    ]
    result = calculate_product(lines, products, "cradle_to_gate", D(1))
    assert result.by_stage["packaging"] == D("0.020") * D("0.421") + D("0.005") * D("0.70978")
