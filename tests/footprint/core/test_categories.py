"""Published footprint ranges per product category: sanity bounds with their sources."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from footprint.core.categories import CategoryError, check, load_categories

BUNDLED = Path(__file__).resolve().parents[3] / "footprint" / "datasets"


@pytest.fixture(scope="module")
def tea():
    return load_categories((BUNDLED / "product-categories.toml").read_bytes())["tea"]


def test_tea_has_the_reference_ranges(tea):
    assert tea.unit == "kgCO2e/kg"
    assert (tea.bounds["cradle_to_grave"].low, tea.bounds["cradle_to_grave"].high) == (
        D("7.7"),
        D("33"),
    )
    assert (tea.bounds["cradle_to_gate"].low, tea.bounds["cradle_to_gate"].high) == (
        D("10"),
        D("16"),
    )


def test_every_bound_names_published_studies(tea):
    for boundary, bounds in tea.bounds.items():
        assert bounds.sources, boundary
        assert any(s.url.startswith("https://doi.org/") for s in bounds.sources), boundary
        for source in bounds.sources:
            assert source.citation.strip(), source.id
    citations = " ".join(s.citation for s in tea.bounds["cradle_to_grave"].sources)
    assert "7.68" in citations and "32.90" in citations
    assert "10.4 to 15.6" in " ".join(s.citation for s in tea.bounds["cradle_to_gate"].sources)


@pytest.mark.parametrize(
    ("boundary", "value", "position", "factor"),
    [
        ("cradle_to_grave", "20", "within", "1"),
        ("cradle_to_grave", "7.7", "within", "1"),
        ("cradle_to_grave", "33", "within", "1"),
        ("cradle_to_grave", "66", "above", "2"),
        ("cradle_to_grave", "3.85", "below", "2"),
        ("cradle_to_gate", "12.5", "within", "1"),
        ("cradle_to_gate", "20", "above", "1.25"),
        ("cradle_to_gate", "4", "below", "2.5"),
    ],
)
def test_a_footprint_is_within_below_or_above_by_a_factor(tea, boundary, value, position, factor):
    verdict = check(tea, boundary, D(value))
    assert verdict.position == position
    assert verdict.factor == D(factor)
    assert verdict.within == (position == "within")
    assert verdict.value == D(value)


def test_a_comparison_needs_a_known_boundary_and_a_positive_footprint(tea):
    with pytest.raises(CategoryError, match="no published gate_to_gate range"):
        check(tea, "gate_to_gate", D(10))
    for value in ("0", "-1", "NaN"):
        with pytest.raises(CategoryError, match="must be positive"):
            check(tea, "cradle_to_gate", D(value))


DOC = """
[sources.s]
citation = "a study"
[categories.x]
unit = "kgCO2e/kg"
[categories.x.cradle_to_gate]
low = {low}
high = "2"
sources = {sources}
"""


@pytest.mark.parametrize(
    ("low", "sources", "message"),
    [
        ('"1"', '["nope"]', "unknown source 'nope'"),
        ('"1"', "[]", "non-empty list"),
        ("1", '["s"]', "quantities are written as decimal strings"),
        ('"3"', '["s"]', "0 < low <= high"),
        ('"0"', '["s"]', "0 < low <= high"),
        ('"x"', '["s"]', "not a decimal number"),
    ],
)
def test_a_malformed_document_is_refused(low, sources, message):
    with pytest.raises(CategoryError, match=message):
        load_categories(DOC.format(low=low, sources=sources).encode())


def test_a_document_without_sources_or_categories_or_with_a_strange_boundary_is_refused():
    with pytest.raises(CategoryError, match="no category"):
        load_categories(b'[sources.s]\ncitation = "a"\n')
    with pytest.raises(CategoryError, match="missing 'citation'"):
        load_categories(b"[sources.s]\nurl = 'x'\n")
    strange = DOC.format(low='"1"', sources='["s"]').replace("cradle_to_gate", "gate_to_moon")
    with pytest.raises(CategoryError, match="unknown boundary 'gate_to_moon'"):
        load_categories(strange.encode())
    with pytest.raises(CategoryError, match="not a TOML document"):
        load_categories(b"[[[")
