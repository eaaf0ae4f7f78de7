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
        ('[dataset.method]\ntransport_boundary = "wtw"', "one of as_published, well_to_wheel"),
        (
            '[dataset.method]\ntransport_boundary = "well_to_wheel"',
            "a well-to-wheel boundary needs well_to_tank",
        ),
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
        # derived ones follow what they are made of: the sink the ratio, the shuttle the bus
        if fid not in edition.revised and not factor.derivation:
            assert edition.factors[fid].value == factor.value, fid
    assert edition.factors["transport.shuttle_bus"].value == D("0.10385")


# IPCC 2006 Vol. 2 Table 2.4 (commercial/institutional) and Table 3.2.2 (road), kg/TJ of
# the fuel's GB/T 32150 NCV; AR6 WG1 Table 7.15 GWP-100: fossil CH4 29.8, N2O 273.
GWP_CH4, GWP_N2O = D("29.8"), D(273)


@pytest.mark.parametrize(
    ("fid", "co2", "tj_per_unit", "ch4", "n2o"),
    [
        ("fuel.diesel", "3.0959", D("42.652") / 10**6, 10, "0.6"),
        ("fuel.natural_gas", "2.1622", D("389.31") / 10**7, 5, "0.1"),
        ("vehicle_fuel.diesel", "3.0959", D("42.652") / 10**6, "3.9", "3.9"),
        ("vehicle_fuel.gasoline", "2.9251", D("43.070") / 10**6, "3.8", "5.7"),
    ],
)
def test_the_second_edition_counts_the_methane_and_nitrous_oxide_of_burning_fuel(
    cn2024, cn2025, fid, co2, tj_per_unit, ch4, n2o
):
    factor = cn2025.factors[fid]
    gases = {"CO2": D(co2), "CH4": D(ch4) * tj_per_unit, "N2O": D(n2o) * tj_per_unit}
    assert dict(factor.gases) == gases
    assert factor.value == gases["CO2"] + gases["CH4"] * GWP_CH4 + gases["N2O"] * GWP_N2O
    assert factor.unit.startswith("kgCO2e/")
    # by hand, stationary diesel: 3.0959 + 0.00042652 × 29.8 + 0.0000255912 × 273
    if fid == "fuel.diesel":
        assert factor.value == D("3.1155966936")
        assert "CH4 and N2O" in cn2025.revised[fid]
    assert cn2024.get("fuel", "diesel").by_gas() == {"CO2": D("3.0959")}  # CO2 only


@pytest.mark.parametrize(
    ("recipe", "unit", "message"),
    [
        ('ch4 = "10"', "kgCO2e/kg", "give both ch4 and n2o"),
        ('ch4 = "10", n2o = "0.6", gases_source = "s"', "kgCO2/kg", "kgCO2e/kg or kgCO2e/m3"),
        ('ch4 = "10", n2o = "0.6", gases_source = "nowhere"', "kgCO2e/kg", "unknown gases_source"),
    ],
)
def test_a_combustion_recipe_with_gases_must_be_whole_and_in_co2e(recipe, unit, message):
    document = f"""
[dataset]
code = "G-1"
title_en = "t"
title_zh = "t"
region = "CN"
[sources.s]
citation = "c"
[[factors]]
id = "parameter.gwp100_ch4_fossil"
group = "parameter"
key = "gwp100_ch4_fossil"
value = "29.8"
unit = "kgCO2e/kgCH4"
year = 2021
source = "s"
uncertainty = "0"
[[factors]]
id = "parameter.gwp100_n2o"
group = "parameter"
key = "gwp100_n2o"
value = "273"
unit = "kgCO2e/kgN2O"
year = 2021
source = "s"
uncertainty = "0"
[[factors]]
id = "fuel.diesel"
group = "fuel"
key = "diesel"
combustion = {{ ncv = "42.652", carbon_content = "20.2", oxidation = "0.98", {recipe} }}
unit = "{unit}"
year = 2015
source = "s"
uncertainty = "0.04"
"""
    with pytest.raises(DatasetError, match=message):
        parse_dataset(document.encode())


@pytest.mark.parametrize(
    ("fid", "row", "value", "first"),
    [  # DESNZ 2025 flat file, by row ID; CN-2024's values as pinned from the 2024 set
        ("transport.car_petrol", "25_301_3070_4_1", "0.16272", "0.16450"),
        ("transport.car_diesel", "25_301_3069_4_1", "0.17304", "0.16984"),
        ("transport.coach", "25_314_3146_11_1", "0.02776", "0.02717"),
        ("lodging.hotel", "29_600_4009_13_1", "53.5", "53.5"),
    ],
)
def test_cells_not_read_back_are_replaced_by_rows_read_by_their_id(
    cn2024, cn2025, fid, row, value, first
):
    factor = cn2025.factors[fid]
    assert (factor.value, factor.status, factor.source.id) == (D(value), "cited", "desnz-2025")
    assert row in factor.note and "row ID" in factor.source.citation
    assert (cn2024.factors[fid].value, cn2024.factors[fid].status) == (D(first), "pinned")


def test_the_flight_figure_whose_basis_is_not_confirmed_stays_marked(cn2024, cn2025):
    flight = cn2025.factors["transport.flight"]
    assert flight.status == "unconfirmed" and "CO2 or CO2e" in flight.note
    assert cn2025.factors["transport.flight_rf"].value == D("0.0953") * D("1.7")


def test_every_revision_says_why_in_both_languages(cn2025):
    assert set(cn2025.revised) == set(cn2025.revised_zh)


def test_a_chinese_reason_alone_is_refused(first):
    with pytest.raises(DatasetError, match="revised_zh translates revised"):
        parse_dataset(second(revised='revised_zh = "再次测量"'), first)
