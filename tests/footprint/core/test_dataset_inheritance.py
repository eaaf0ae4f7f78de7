"""A dataset that extends another: the parent's factors and sources, plus its own."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from footprint.core.datasets import DatasetError, header, parents_first, parse_dataset

PARENT = b"""
[dataset]
code = "T-1"
[sources.s]
citation = "a source"
[[factors]]
id = "parameter.ratio"
group = "parameter"
key = "ratio"
value = "2"
unit = "1"
year = 2021
source = "s"
uncertainty = "0"
[[factors]]
id = "fuel.oil"
group = "fuel"
key = "oil"
value = "3"
unit = "kgCO2/kg"
year = 2021
source = "s"
uncertainty = "0.1"
"""

CHILD = """
[dataset]
code = "T-1-P"
extends = "T-1"
[sources.own]
citation = "its own source"
[[factors]]
id = "fertiliser.a"
group = "fertiliser"
key = "a"
unit = "kgCO2e/kg"
year = 2024
source = "{source}"
uncertainty = "0.2"
{recipe}
"""


def child(recipe: str = 'value = "5"', source: str = "own") -> bytes:
    return CHILD.format(recipe=recipe, source=source).encode()


@pytest.fixture
def parent():
    return parse_dataset(PARENT)


def test_the_child_holds_the_parents_factors_and_its_own(parent):
    dataset = parse_dataset(child(), parent)
    assert dataset.extends == "T-1"
    assert set(dataset.factors) == {"parameter.ratio", "fuel.oil", "fertiliser.a"}
    assert dataset.get("fuel", "oil") == parent.get("fuel", "oil")
    assert dataset.get("fertiliser", "a").value == D(5)
    assert dataset.keys("fertiliser") == ["a"]


def test_the_child_may_name_a_parent_source(parent):
    dataset = parse_dataset(child(source="s"), parent)
    assert dataset.get("fertiliser", "a").source.citation == "a source"
    assert set(dataset.sources) == {"s", "own"}


def test_derived_factors_may_use_the_parents_factors(parent):
    dataset = parse_dataset(child('product = ["fuel.oil", "parameter.ratio"]'), parent)
    factor = dataset.get("fertiliser", "a")
    assert factor.value == D(6)
    assert "fuel.oil (3)" in factor.derivation


def test_a_sum_may_weigh_parent_factors_without_summing_to_one(parent):
    dataset = parse_dataset(
        child('sum = {"fuel.oil" = "0.15", "parameter.ratio" = "0.15"}'), parent
    )
    assert dataset.get("fertiliser", "a").value == D("0.75")


def test_a_product_may_be_divided(parent):
    dataset = parse_dataset(child('product = ["fuel.oil"]\nper = ["parameter.ratio"]'), parent)
    factor = dataset.get("fertiliser", "a")
    assert factor.value == D("1.5")
    assert factor.derivation.endswith("/ parameter.ratio (2)")


@pytest.mark.parametrize(
    ("recipe", "message"),
    [
        ('value = "1"\nper = ["parameter.ratio"]', "'per' divides a product"),
        ('product = ["fuel.oil"]\nper = []', "non-empty list"),
        ("sum = {}", "is a table"),
        ('product = ["fuel.missing"]', "unknown factor id"),
    ],
)
def test_malformed_recipes_are_refused(parent, recipe, message):
    with pytest.raises(DatasetError, match=message):
        parse_dataset(child(recipe), parent)


def test_a_child_cannot_redefine_a_parent_factor(parent):
    document = child().replace(b'id = "fertiliser.a"', b'id = "fuel.oil"')
    with pytest.raises(DatasetError, match="already in T-1"):
        parse_dataset(document, parent)


def test_a_child_cannot_take_a_parents_group_and_key(parent):
    document = (
        child()
        .replace(b'key = "a"', b'key = "oil"')
        .replace(b'group = "fertiliser"', b'group = "fuel"')
    )
    with pytest.raises(DatasetError, match="share a group and key"):
        parse_dataset(document, parent)


def test_a_child_cannot_redefine_a_parent_source(parent):
    document = child().replace(b"[sources.own]", b"[sources.s]")
    with pytest.raises(DatasetError, match="source s: already in T-1"):
        parse_dataset(document, parent)


def test_a_child_needs_its_parent_and_only_its_parent(parent):
    with pytest.raises(DatasetError, match="give the parent dataset"):
        parse_dataset(child())
    other = parse_dataset(PARENT.replace(b'code = "T-1"', b'code = "T-9"'))
    with pytest.raises(DatasetError, match="extends T-1, not T-9"):
        parse_dataset(child(), other)
    with pytest.raises(DatasetError, match="extends nothing, not T-1"):
        parse_dataset(PARENT.replace(b'code = "T-1"', b'code = "T-2"'), parent)


def test_the_checksum_covers_the_parents_checksum(parent):
    changed = parse_dataset(PARENT.replace(b'value = "3"', b'value = "4"'))
    assert parent.checksum != changed.checksum
    one, two = parse_dataset(child(), parent), parse_dataset(child(), changed)
    assert one.checksum != two.checksum
    assert one.checksum == parse_dataset(child(), parent).checksum
    assert one.checksum not in (parent.checksum, changed.checksum)


def test_a_base_dataset_keeps_the_plain_document_checksum():
    import hashlib

    assert parse_dataset(PARENT).checksum == hashlib.sha256(PARENT).hexdigest()


def test_documents_are_ordered_parents_first():
    grandchild = (
        child()
        .replace(b'code = "T-1-P"', b'code = "T-1-PP"')
        .replace(b'extends = "T-1"', b'extends = "T-1-P"')
    )
    order = parents_first([("gc", grandchild), ("c", child()), ("p", PARENT)])
    assert order == ["p", "c", "gc"]
    assert header(grandchild)[:2] == ("T-1-PP", "T-1-P")
    assert parents_first([("c", child())]) == ["c"]  # a parent already loaded


def test_a_cycle_of_parents_is_refused():
    a = child().replace(b'code = "T-1-P"', b'code = "A"').replace(b'"T-1"', b'"B"')
    b = child().replace(b'code = "T-1-P"', b'code = "B"').replace(b'"T-1"', b'"A"')
    with pytest.raises(DatasetError, match="extends itself"):
        parents_first([("a", a), ("b", b)])


def test_only_documents_with_a_dataset_table_are_datasets():
    from footprint.core.datasets import is_dataset

    assert is_dataset(PARENT) and is_dataset(child())
    assert not is_dataset(b'[categories.tea]\nunit = "kgCO2e/kg"\n')
    assert is_dataset(b"[[[")  # broken: left to the loader, which says why
