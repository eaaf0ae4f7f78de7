"""The guide's automatic rules for certification, and the checklist they make with judgements."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from certify.core import checklist
from certify.core.checklist import (
    Coverage,
    Judgement,
    Outcome,
    PeriodFigures,
    PricedFactor,
)
from certify.core.eligibility import RuleResult
from guides.core import load_guide

YEAR = (date(2025, 1, 1), date(2025, 12, 31))


def coverage(
    quantities: dict[str, str], declared: tuple[str, ...] = (), period: tuple[date, date] = YEAR
) -> Coverage:
    return Coverage(*period, {k: Decimal(v) for k, v in quantities.items()}, declared)


def test_a_year_with_electricity_and_every_declared_source_is_complete():
    result = checklist.scope1_scope2_complete(
        coverage({"grid_electricity": "5000", "fuel": "0"}, ("fuel",))
    )
    assert result.passed, result.detail_en


def test_a_period_longer_than_twelve_months_is_not_complete():
    result = checklist.scope1_scope2_complete(
        coverage({"grid_electricity": "1"}, period=(date(2025, 1, 1), date(2026, 1, 1)))
    )
    assert not result.passed and "longer than 12 months" in result.detail_en


def test_an_inventory_without_purchased_electricity_is_not_complete():
    result = checklist.scope1_scope2_complete(coverage({"fuel": "3"}))
    assert not result.passed and "purchased electricity" in result.detail_en


def test_zero_purchased_electricity_needs_own_generation():
    assert not checklist.scope1_scope2_complete(coverage({"grid_electricity": "0"})).passed
    assert checklist.scope1_scope2_complete(
        coverage({"grid_electricity": "0", "onsite_pv": "8000"})
    ).passed


def test_a_declared_source_without_activity_data_is_named():
    result = checklist.scope1_scope2_complete(
        coverage({"grid_electricity": "1"}, ("fuel", "refrigerant"))
    )
    assert not result.passed
    assert "'fuel'" in result.detail_en and "'refrigerant'" in result.detail_en
    assert "refrigerant" in result.detail_zh


def priced(
    position: int, factor_id: str | None, citation: str = "GB/T 32150", needs: bool = True
) -> PricedFactor:
    return PricedFactor(position, "fuel", needs, factor_id, citation)


def test_every_priced_line_with_a_cited_factor_passes():
    result = checklist.factors_cited(
        "CN-2024", True, [priced(0, "fuel.diesel"), priced(1, None, "", needs=False)]
    )
    assert result.passed and "1 priced lines" in result.detail_en


def test_a_line_without_a_factor_or_citation_fails_naming_its_position():
    result = checklist.factors_cited(
        "CN-2024", True, [priced(0, "fuel.diesel"), priced(1, None), priced(2, "x", " ")]
    )
    assert not result.passed and "#1" in result.detail_en and "#2" in result.detail_en


def test_an_unpublished_dataset_fails():
    assert not checklist.factors_cited("CN-2030", False, [priced(0, "fuel.diesel")]).passed


def figures(total: str, per_visitor: str | None = None) -> PeriodFigures:
    intensities = {} if per_visitor is None else {"visitors": Decimal(per_visitor)}
    return PeriodFigures(date(2024, 12, 31), Decimal(total), intensities)


def test_a_first_period_needs_no_reduction():
    assert checklist.reduction_after_first_period(figures("900"), None, None).passed


def test_a_later_period_passes_when_the_total_fell():
    assert checklist.reduction_after_first_period(figures("900"), figures("1000"), None).passed


def test_a_later_period_passes_when_the_declared_intensity_fell_though_the_total_rose():
    result = checklist.reduction_after_first_period(
        figures("1100", "0.9"), figures("1000", "1.0"), "visitors"
    )
    assert result.passed and "intensity" in result.detail_en


@pytest.mark.parametrize(
    ("metric", "now", "before"),
    [
        (None, "0.9", "1.0"),  # no intensity declared: only the total counts
        ("visitors", "1.0", "1.0"),  # equal is not lower
        ("rides", "0.9", "1.0"),  # the declared metric is not reported
    ],
)
def test_a_later_period_without_reduction_fails(metric, now, before):
    result = checklist.reduction_after_first_period(
        figures("1000", now), figures("1000", before), metric
    )
    assert not result.passed and "No reduction" in result.detail_en


def test_the_inventory_is_verified_only_by_an_assigned_independent_verifier():
    assert not checklist.inventory_verified(False, None).passed
    conflicted = checklist.inventory_verified(
        True, "a verifier never reviews their own organisation"
    )
    assert not conflicted.passed and "own organisation" in conflicted.detail_en
    assert checklist.inventory_verified(True, None).passed


# --- the checklist ---------------------------------------------------------------------

CRITERIA = load_guide(1).criteria_for("scenic_area")
AUTOMATIC = [c for c in CRITERIA if c.automatic]
JUDGED = [c for c in CRITERIA if not c.automatic]


def rule(rule_id: str, passed: bool = True) -> RuleResult:
    return RuleResult(rule_id, passed, "title", "标题", "detail", "说明")


def passing_rules() -> dict[str, RuleResult]:
    return {c.rule: rule(c.rule) for c in AUTOMATIC}


def all_judged(outcome: Outcome = Outcome.CONFORMS) -> dict[str, Judgement]:
    return {c.id: Judgement(outcome, "seen") for c in JUDGED}


def test_the_checklist_has_one_line_per_criterion_in_guide_order():
    built = checklist.build(CRITERIA, {}, {})
    assert [line.criterion.id for line in built.lines] == [c.id for c in CRITERIA]
    assert set(built.open_items()) == {c.id for c in CRITERIA}


def test_all_rules_passing_and_all_judgements_conforming_allow_approval():
    built = checklist.build(CRITERIA, passing_rules(), all_judged())
    assert built.automatic_pass and built.judgements_complete and built.open_items() == ()


def test_a_nonconformity_keeps_the_judgements_incomplete():
    judgements = {**all_judged(), JUDGED[0].id: Judgement(Outcome.NONCONFORMITY, "missing")}
    built = checklist.build(CRITERIA, passing_rules(), judgements)
    assert built.automatic_pass and not built.judgements_complete
    assert built.open_items() == (JUDGED[0].id,)


def test_not_applicable_counts_as_decided():
    built = checklist.build(CRITERIA, passing_rules(), all_judged(Outcome.NOT_APPLICABLE))
    assert built.judgements_complete


def test_a_rule_not_evaluated_or_failing_blocks_the_automatic_criteria():
    rules = passing_rules()
    missing = AUTOMATIC[0].rule
    del rules[missing]
    assert not checklist.build(CRITERIA, rules, all_judged()).automatic_pass
    rules[missing] = rule(missing, passed=False)
    built = checklist.build(CRITERIA, rules, all_judged())
    assert not built.automatic_pass
