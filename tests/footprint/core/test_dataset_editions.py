"""A new edition revises its predecessor: its factors, redefinitions that say why, derived
factors that follow, and the rules (`Method`) its figures are computed by."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from footprint.core.datasets import DatasetError, Method, header, parse_dataset
from tests.footprint.core.test_dataset_inheritance import PARENT

BUNDLED = Path(__file__).resolve().parents[3] / "footprint" / "datasets"
FIRST = (
    PARENT
    + b"""
[[factors]]
id = "fuel.heavy"
group = "fuel"
key = "heavy"
product = ["fuel.oil", "parameter.ratio"]
unit = "kgCO2/kg"
year = 2021
source = "s"
uncertainty = "0.1"
status = "derived"
[[factors]]
id = "electricity.national"
group = "electricity"
key = "grid_cn"
value = "0.5"
unit = "kgCO2/kWh"
year = 2022
source = "s"
uncertainty = "0.05"
"""
)

SECOND = """
[dataset]
code = "T-2"
revises = "T-1"
{method}
[[factors]]
id = "parameter.ratio"
group = "parameter"
key = "ratio"
value = "5"
unit = "1"
year = 2025
source = "s"
uncertainty = "0"
{revised}
{more}
"""

REGIONAL = """
[dataset.method]
edition = 2
grid = "regional"
[dataset.method.grid_regions]
CN-HN = "grid_central"
"""
CENTRAL = """
[[factors]]
id = "electricity.central"
group = "electricity"
key = "grid_central"
value = "0.4"
unit = "kgCO2/kWh"
year = 2022
source = "s"
uncertainty = "0.05"
"""


def second(
    revised: str = 'revised = "measured again"', method: str = "", more: str = CENTRAL
) -> bytes:
    return SECOND.format(revised=revised, method=method, more=more).encode()


@pytest.fixture
def first():
    return parse_dataset(FIRST)


def test_an_edition_holds_its_predecessors_factors_and_redefines_what_it_revises(first):
    edition = parse_dataset(second(), first)
    assert edition.revises == "T-1" and edition.extends == ""
    assert edition.get("parameter", "ratio").value == D(5)
    assert edition.get("fuel", "oil") == first.get("fuel", "oil")
    assert edition.get("electricity", "grid_central").value == D("0.4")
    assert header(second()).parent == "T-1"


def test_a_factor_derived_from_a_revised_one_follows_it(first):
    # fuel.heavy = fuel.oil × parameter.ratio: 3 × 2 = 6 in T-1, 3 × 5 = 15 in T-2
    assert first.get("fuel", "heavy").value == D(6)
    assert parse_dataset(second(), first).get("fuel", "heavy").value == D(15)


def test_the_predecessor_stays_as_it_was_published(first):
    parse_dataset(second(), first)
    again = parse_dataset(FIRST)
    assert again.checksum == first.checksum
    assert again.get("parameter", "ratio").value == D(2)


def test_the_editions_checksum_covers_its_predecessors(first):
    other = parse_dataset(FIRST.replace(b'value = "3"', b'value = "4"'))
    assert parse_dataset(second(), first).checksum != parse_dataset(second(), other).checksum


def test_a_redefinition_must_say_why(first):
    with pytest.raises(DatasetError, match="a revision says why"):
        parse_dataset(second(revised=""), first)


def test_a_new_factor_cannot_claim_to_be_revised(first):
    new = CENTRAL.replace('uncertainty = "0.05"', 'uncertainty = "0.05"\nrevised = "x"')
    with pytest.raises(DatasetError, match="its predecessor has none"):
        parse_dataset(second(more=new), first)


def test_an_edition_cannot_both_extend_and_revise():
    both = second().replace(b'revises = "T-1"', b'revises = "T-1"\nextends = "T-1"')
    with pytest.raises(DatasetError, match="not both"):
        header(both)


def test_without_a_method_table_the_first_editions_rules_hold(first):
    assert first.method == Method() and first.method.grid == "national"
    assert parse_dataset(second(), first).method == Method()  # inherited


def test_a_regional_grid_maps_subdivisions_to_grid_factors(first):
    method = parse_dataset(second(method=REGIONAL), first).method
    assert method.edition == 2 and method.grid == "regional"
    assert method.grid_key("CN-HN-Wulingyuan") == "grid_central"
    assert method.grid_key("cn-hn") == "grid_central"
    assert method.grid_key("CN-HNX") is None  # a subdivision is a whole code
    assert method.grid_key("CN-NM") is None
    assert Method().grid_key("CN-HN") is None  # national rules name no region's grid


@pytest.mark.parametrize(
    ("method", "message"),
    [
        ('[dataset.method]\ngrid = "local"', "grid is one of national, regional"),
        ('[dataset.method]\ngrid = "regional"', "a regional grid needs grid_regions"),
        ("[dataset.method]\nedition = 0", "edition is a whole number from 1"),
        ('[dataset.method]\nboundary = "wtw"', "unknown rule boundary"),
        ('[dataset.method]\nuncertainty = "none"', "uncertainty is one of independent, correlated"),
        ('[dataset.method]\nforest = "guess"', "forest is one of dataset, registry"),
        (REGIONAL.replace("grid_central", "grid_nowhere"), "names no factor 'grid_nowhere'"),
    ],
)
def test_rules_that_cannot_be_applied_are_refused(first, method, message):
    with pytest.raises(DatasetError, match=message):
        parse_dataset(second(method=method), first)


def test_cn_2025_revises_cn_2024_with_the_exact_ratio_and_regional_grids(cn2024):
    edition = parse_dataset((BUNDLED / "CN-2025.toml").read_bytes(), cn2024)
    assert header((BUNDLED / "CN-2025.toml").read_bytes()).draft
    ratio = edition.get("parameter", "co2_per_c")
    assert ratio.value == D(44) / D(12) and cn2024.get("parameter", "co2_per_c").value == D(
        "3.6667"
    )
    # the forest sink follows: 3.4 t d.m. × 1.20 × 0.47 tC/t = 1.9176 tC, × 44/12 = 7.0312
    assert edition.get("parameter", "forest_sink").value.quantize(D("1e-20")) == D("7.0312")
    assert cn2024.get("parameter", "forest_sink").value == D("1.9176") * D("3.6667")
    assert edition.method.grid_key("CN-HN-Wulingyuan") == "grid_cn_central"
    grids = {key: edition.get("electricity", key).value for key in edition.keys("electricity")}
    assert grids["grid_cn_central"] == D("0.5395") and grids["grid_cn_south"] == D("0.3869")
    assert {f for f in edition.factors if f not in cn2024.factors} >= {
        "electricity.grid_cn_north",
        "parameter.molar_mass_co2",
    }
    for fid, factor in cn2024.factors.items():  # the rest is CN-2024's, value for value
        if fid not in ("parameter.co2_per_c", "parameter.forest_sink"):
            assert edition.factors[fid].value == factor.value, fid
