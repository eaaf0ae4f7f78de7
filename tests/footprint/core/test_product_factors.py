"""The bundled CN-2024-P: CN-2024 plus product life-cycle factors, each with its source."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from footprint.core import units
from footprint.core.datasets import parse_dataset

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
        assert units.convert(D(1000), "g", per) == D(1), factor.id


@pytest.mark.parametrize(("given", "expected"),
                         [("t*km", "1"), ("t·km", "1"), ("tkm", "1"), ("tonne.km", "1"),
                          ("tonne-km", "1"), ("kg*km", "0.001"), ("kg·km", "0.001")])
def test_freight_units_parse_and_convert_to_tonne_km(given, expected):
    assert units.convert(D(1), given, "t*km") == D(expected)
