"""What a new dataset version changes against another: factors added, removed, changed."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from footprint.core.dataset_diff import compare_datasets
from footprint.core.datasets import Dataset, Source, dataset_from_factors


def edition(code: str, base: Dataset, *, drop: tuple[str, ...] = (), **changed) -> Dataset:
    """``base`` under a new code, without the factors ``drop`` names and with the
    ``changed`` ones (factor id → the new factor)."""
    factors = {fid: f for fid, f in base.factors.items() if fid not in drop}
    factors.update(changed)
    return dataset_from_factors(code, factors.values())


def test_a_dataset_compared_with_itself_changes_nothing(cn2024):
    diff = compare_datasets(cn2024, cn2024)
    assert diff.empty
    assert (diff.old_code, diff.new_code) == ("CN-2024", "CN-2024")


def test_a_new_value_is_a_change_with_the_old_and_new_factor(cn2024):
    flight = cn2024.factors["transport.flight"]
    newer = replace(flight, value=Decimal("0.1000"), year=2023)
    diff = compare_datasets(cn2024, edition("CN-2025", cn2024, **{flight.id: newer}))
    [change] = diff.changed
    assert (change.old.value, change.new.value) == (Decimal("0.0953"), Decimal("0.1000"))
    assert change.fields == ("value", "year")
    assert diff.added == diff.removed == ()


def test_a_new_source_or_unit_is_a_change_but_a_relabelled_factor_is_not(cn2024):
    flight = cn2024.factors["transport.flight"]
    cited = replace(flight, source=Source("caac-2025", "CAAC 2025"), unit="kgCO2e/pkm")
    relabelled = replace(cn2024.factors["transport.flight_rf"], label_en="Flight (RF)")
    newer = edition("CN-2025", cn2024, **{flight.id: cited, relabelled.id: relabelled})
    [change] = compare_datasets(cn2024, newer).changed
    assert change.fields == ("unit", "source")


def test_factors_added_and_removed_are_listed_by_group_and_key(cn2024):
    flight = cn2024.factors["transport.flight"]
    added = replace(flight, id="transport.airship", key="airship")
    newer = edition("CN-2025", cn2024, drop=("transport.flight",), **{added.id: added})
    diff = compare_datasets(cn2024, newer)
    assert [(f.group, f.key) for f in diff.added] == [("transport", "airship")]
    assert [f.id for f in diff.removed] == ["transport.flight"]
    assert diff.changed == ()


def test_factors_are_matched_by_group_and_key_not_by_id(cn2024):
    flight = cn2024.factors["transport.flight"]
    renamed = replace(flight, id="transport.air")
    newer = edition("CN-2025", cn2024, drop=(flight.id,), **{renamed.id: renamed})
    assert compare_datasets(cn2024, newer).empty
