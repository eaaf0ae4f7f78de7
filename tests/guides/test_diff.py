"""What a new guide version changes: criteria added, removed and changed, offset rules."""

from __future__ import annotations

from guides.core import load_guide, parse_guide
from guides.diff import Change, compare_guides
from tests.guides.builders import SHIPPED, later_version, rewritten


def test_a_version_compared_with_itself_changes_nothing():
    diff = compare_guides(load_guide(1), load_guide(1))
    assert diff.empty
    assert (diff.old_version, diff.new_version) == (1, 1)


def test_added_and_changed_criteria_are_named_with_the_fields_that_differ():
    diff = compare_guides(load_guide(1), parse_guide(later_version()))
    assert [c.id for c in diff.added] == ["O-11"]
    assert diff.removed == ()
    assert [(c.id, c.changes) for c in diff.changed] == [
        (
            "L-5",
            (
                Change(
                    "evidence_en",
                    "The verification conclusion and the label proof.",
                    "The verification conclusion and the printed label.",
                ),
            ),
        )
    ]
    assert not diff.empty


def test_a_criterion_the_new_version_drops_is_removed():
    diff = compare_guides(parse_guide(later_version()), load_guide(1))
    assert [c.id for c in diff.removed] == ["O-11"]
    assert diff.added == ()


def test_offset_rule_changes_are_given_as_the_document_writes_them():
    diff = compare_guides(load_guide(1), parse_guide(later_version()))
    assert diff.offsets == (
        Change("vintage_window_years", "5", "4"),
        Change("coverage_margin", "0.05", "0.08"),
    )
    assert diff.certification == ()


def test_lists_shares_and_validity_are_compared_as_text():
    document = rewritten(
        SHIPPED,
        ('"bamboo",\n', ""),
        ('bamboo = "0.10"\n', ""),
        ("validity_months_after_period_end = 24", "validity_months_after_period_end = 18"),
    ).encode("utf-8")
    diff = compare_guides(load_guide(1), parse_guide(document))
    fields = {change.field: change for change in diff.offsets}
    assert fields["eligible_project_types"].new == (
        "afforestation, reforestation, forest_management, forest_sink"
    )
    assert "bamboo = 0.10" in fields["buffer_share"].old
    assert "bamboo" not in fields["buffer_share"].new
    assert diff.certification == (Change("certificate_validity_months", "24", "18"),)
