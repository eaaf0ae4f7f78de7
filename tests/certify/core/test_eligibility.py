"""Offset eligibility rules: for each rule a passing and a failing case, and the boundaries."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certify.core.eligibility import (
    RULE_IDS,
    Claim,
    RetiredCredits,
    add_months,
    evaluate,
    normalise_name,
)
from guides.core import OffsetPolicy, load_guide

BENEFICIARY = "Wulingyuan Core Scenic Area"
POLICY = OffsetPolicy(
    eligible_standards=("CCER", "VCS", "GS", "WLY"),
    eligible_project_types=("afforestation", "forest_management", "bamboo"),
    eligible_regions=(),
    vintage_window_years=5,
    retirement_window_months=12,
    retirement_not_before_period_start=True,
    coverage_margin=Decimal("0.05"),
    buffer_share={"afforestation": Decimal("0.10")},
)
CLAIM = Claim(
    claim_id=None,
    beneficiary=BENEFICIARY,
    period_start=date(2024, 1, 1),
    period_end=date(2024, 12, 31),
    residual_tco2e=Decimal("100"),
)


def credits(retirement_id: int = 1, **changes) -> RetiredCredits:
    base = RetiredCredits(
        retirement_id=retirement_id,
        serial_start=f"WLY-SXY01-2023-{retirement_id:06d}000001",
        serial_end=f"WLY-SXY01-2023-{retirement_id:06d}000105",
        quantity=105,
        standard="WLY",
        project_type="afforestation",
        region="CN-HN-Wulingyuan",
        vintage=2023,
        beneficiary=BENEFICIARY,
        purpose="2024 carbon neutrality",
        retired_at=date(2025, 3, 1),
        claim_id=None,
    )
    return dataclasses.replace(base, **changes)


def rule(
    rule_id: str, *retirements: RetiredCredits, claim: Claim = CLAIM, policy: OffsetPolicy = POLICY
):
    return evaluate(claim, retirements, policy).rule(rule_id)


def test_eligible_credits_covering_the_residual_with_the_margin_qualify():
    report = evaluate(CLAIM, [credits()], POLICY)
    assert report.qualifies
    assert tuple(r.rule_id for r in report.rules) == RULE_IDS
    assert all(r.passed and not r.failing for r in report.rules)


def test_a_report_fails_as_soon_as_one_rule_fails():
    report = evaluate(CLAIM, [credits(vintage=2010)], POLICY)
    assert not report.qualifies
    assert [r.rule_id for r in report.rules if not r.passed] == ["offsets.vintage"]


# offsets.some_retired
def test_presenting_a_retirement_passes_some_retired():
    assert rule("offsets.some_retired", credits()).passed


def test_presenting_no_retirement_fails_some_retired():
    report = evaluate(dataclasses.replace(CLAIM, residual_tco2e=Decimal(0)), [], POLICY)
    assert not report.rule("offsets.some_retired").passed
    assert report.rule("offsets.coverage").passed
    assert not report.qualifies


# offsets.standard
def test_credits_of_an_eligible_standard_pass_whatever_the_case():
    assert rule("offsets.standard", credits(standard="ccer"), credits(2, standard="VCS")).passed


def test_credits_of_another_standard_fail_and_are_named():
    result = rule("offsets.standard", credits(), credits(2, standard="ACR"))
    assert not result.passed
    assert result.failing == (2,)
    assert "ACR" in result.detail_en and "ACR" in result.detail_zh


# offsets.project_type
def test_forest_sink_project_types_pass():
    assert rule(
        "offsets.project_type",
        credits(project_type="forest_management"),
        credits(2, project_type="bamboo"),
    ).passed


def test_credits_from_a_non_forest_project_fail_the_project_type():
    result = rule("offsets.project_type", credits(project_type="renewable_energy"))
    assert not result.passed and result.failing == (1,)


# offsets.region
def test_any_region_passes_when_the_guide_restricts_none():
    assert rule("offsets.region", credits(region="US-CA")).passed


def test_a_region_within_an_eligible_one_passes():
    policy = dataclasses.replace(POLICY, eligible_regions=("CN",))
    assert rule(
        "offsets.region", credits(region="CN"), credits(2, region="cn-hn-Wulingyuan"), policy=policy
    ).passed


def test_a_region_outside_the_eligible_ones_fails():
    policy = dataclasses.replace(POLICY, eligible_regions=("CN-HN",))
    result = rule(
        "offsets.region",
        credits(region="CN-HNX"),
        credits(2, region="US-CA"),
        credits(3, region="CN-HN-Wulingyuan"),
        policy=policy,
    )
    assert not result.passed and result.failing == (1, 2)


# offsets.vintage
@pytest.mark.parametrize("vintage", [2019, 2022, 2024])
def test_vintages_within_the_window_pass(vintage: int):
    assert rule("offsets.vintage", credits(vintage=vintage)).passed


@pytest.mark.parametrize("vintage", [2018, 2025])
def test_vintages_too_old_or_after_the_period_fail(vintage: int):
    result = rule("offsets.vintage", credits(vintage=vintage))
    assert not result.passed and result.failing == (1,)
    assert "2019–2024" in result.detail_en


def test_the_vintage_window_comes_from_the_policy():
    narrow = dataclasses.replace(POLICY, vintage_window_years=1)
    assert not rule("offsets.vintage", credits(vintage=2022), policy=narrow).passed
    assert rule("offsets.vintage", credits(vintage=2023), policy=narrow).passed


# offsets.beneficiary
def test_the_beneficiary_matches_ignoring_case_and_whitespace():
    spaced = credits(beneficiary="  wulingyuan\tcore  scenic AREA ")
    assert rule("offsets.beneficiary", spaced).passed


def test_credits_retired_for_someone_else_fail_the_beneficiary():
    result = rule("offsets.beneficiary", credits(), credits(2, beneficiary="Tianmen Mountain"))
    assert not result.passed and result.failing == (2,)
    assert "Tianmen Mountain" in result.detail_en


def test_names_are_normalised_by_case_and_whitespace():
    assert normalise_name(" A  b\nC ") == normalise_name("a B c")


# offsets.retirement_window
def test_credits_retired_exactly_twelve_months_after_the_period_pass():
    assert rule("offsets.retirement_window", credits(retired_at=date(2025, 12, 31))).passed


def test_credits_retired_a_day_after_the_window_fail_the_retirement_window():
    result = rule("offsets.retirement_window", credits(retired_at=date(2026, 1, 1)))
    assert not result.passed and result.failing == (1,)
    assert "2025-12-31" in result.detail_en


def test_credits_retired_on_the_first_day_of_the_period_pass():
    assert rule("offsets.retirement_window", credits(retired_at=date(2024, 1, 1))).passed


def test_credits_retired_before_the_period_began_fail_when_the_guide_says_so():
    early = credits(retired_at=date(2023, 12, 31))
    result = rule("offsets.retirement_window", early)
    assert not result.passed and "before the period began" in result.detail_en
    lenient = dataclasses.replace(POLICY, retirement_not_before_period_start=False)
    assert rule("offsets.retirement_window", early, policy=lenient).passed


def test_the_window_end_is_clamped_to_the_month_end():
    leap = dataclasses.replace(CLAIM, period_start=date(2023, 3, 1), period_end=date(2024, 2, 29))
    assert rule(
        "offsets.retirement_window", credits(retired_at=date(2025, 2, 28)), claim=leap
    ).passed
    assert not rule(
        "offsets.retirement_window", credits(retired_at=date(2025, 3, 1)), claim=leap
    ).passed


# offsets.not_double_counted
def test_retirements_backing_no_claim_or_this_claim_pass_double_counting():
    own = dataclasses.replace(CLAIM, claim_id="7")
    assert rule("offsets.not_double_counted", credits(), credits(2, claim_id="7"), claim=own).passed


def test_a_retirement_already_backing_another_claim_fails_double_counting():
    result = rule("offsets.not_double_counted", credits(), credits(2, claim_id="3"))
    assert not result.passed and result.failing == (2,)
    assert "claim 3" in result.detail_en


def test_a_retirement_listed_twice_fails_double_counting_and_counts_once():
    report = evaluate(CLAIM, [credits(quantity=60), credits(quantity=60)], POLICY)
    assert not report.rule("offsets.not_double_counted").passed
    assert report.rule("offsets.not_double_counted").failing == (1,)
    assert report.provided_tco2e == Decimal(60)


def test_the_same_serials_under_two_retirements_fail_double_counting():
    twin = credits(2, serial_start=credits().serial_start, serial_end=credits().serial_end)
    result = rule("offsets.not_double_counted", credits(), twin)
    assert not result.passed and result.failing == (1, 2)


# offsets.coverage
def test_coverage_exactly_at_the_residual_with_the_margin_passes():
    report = evaluate(CLAIM, [credits(quantity=100), credits(2, quantity=5)], POLICY)
    assert report.rule("offsets.coverage").passed
    assert report.required_tco2e == Decimal(105) and report.provided_tco2e == Decimal(105)


def test_coverage_one_credit_short_fails():
    report = evaluate(CLAIM, [credits(quantity=104)], POLICY)
    result = report.rule("offsets.coverage")
    assert not result.passed
    assert "1.00 tCO2e short" in result.detail_en
    assert "105.00" in result.detail_en and "104" in result.detail_en
    assert "at least 105 whole credits" in result.detail_en


def test_a_fractional_residual_needs_the_next_whole_credit():
    claim = dataclasses.replace(CLAIM, residual_tco2e=Decimal("99.5"))  # × 1.05 = 104.475
    assert evaluate(claim, [credits(quantity=105)], POLICY).rule("offsets.coverage").passed
    assert not evaluate(claim, [credits(quantity=104)], POLICY).rule("offsets.coverage").passed


def test_the_coverage_margin_comes_from_the_policy():
    exact = dataclasses.replace(POLICY, coverage_margin=Decimal(0))
    assert rule("offsets.coverage", credits(quantity=100), policy=exact).passed
    assert not rule("offsets.coverage", credits(quantity=100)).passed


@given(
    residual=st.decimals(min_value=0, max_value=10**6, places=3),
    quantity=st.integers(min_value=1, max_value=2 * 10**6),
)
def test_coverage_passes_exactly_when_credits_reach_the_residual_with_margin(
    residual: Decimal, quantity: int
):
    claim = dataclasses.replace(CLAIM, residual_tco2e=residual)
    passed = rule("offsets.coverage", credits(quantity=quantity), claim=claim).passed
    assert passed == (quantity >= residual * Decimal("1.05"))


GUIDE_2 = dataclasses.replace(POLICY, margin_from_uncertainty=True)
UNCERTAIN = dataclasses.replace(CLAIM, residual_half_width_tco2e=Decimal("8.3"))


def test_guide_2_raises_the_margin_to_the_residuals_uncertainty_where_that_is_larger():
    # 100 t ± 8.3 t: credits must reach the range's upper end, 108.3 t (109 whole credits)
    report = evaluate(UNCERTAIN, [credits(quantity=109)], GUIDE_2)
    assert report.required_tco2e == Decimal("108.3") and report.margin == Decimal("0.083")
    assert report.rule("offsets.coverage").passed
    short = evaluate(UNCERTAIN, [credits(quantity=108)], GUIDE_2).rule("offsets.coverage")
    assert not short.passed and "0.3 tCO2e short" in short.detail_en
    assert "8.3 %: the residual's uncertainty, above the guide's 5 %" in short.detail_en
    assert "高于指南的 5%" in short.detail_zh
    assert evaluate(UNCERTAIN, [credits(quantity=108)], GUIDE_2).to_dict()["uncertainty"][
        "margin_covers_uncertainty"
    ]


def test_guide_2_keeps_the_guides_margin_where_the_uncertainty_is_smaller():
    small = dataclasses.replace(CLAIM, residual_half_width_tco2e=Decimal("3"))
    assert evaluate(small, [credits(quantity=105)], GUIDE_2).required_tco2e == Decimal(105)


def test_the_first_guide_keeps_its_fixed_margin_whatever_the_uncertainty():
    report = evaluate(UNCERTAIN, [credits(quantity=105)], POLICY)
    assert report.rule("offsets.coverage").passed and report.margin == Decimal("0.05")
    assert not report.to_dict()["uncertainty"]["margin_covers_uncertainty"]


# the report
def test_the_report_is_json_ready_with_quantities_as_strings():
    data = evaluate(CLAIM, [credits(), credits(2, standard="ACR")], POLICY).to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["qualifies"] is False
    assert data["required_tco2e"] == "105" and data["provided_tco2e"] == "210"
    assert data["claim"] == {
        "claim_id": None,
        "beneficiary": BENEFICIARY,
        "period_start": "2024-01-01",
        "period_end": "2024-12-31",
        "residual_tco2e": "100",
    }
    standard = next(r for r in data["rules"] if r["rule_id"] == "offsets.standard")
    assert standard["passed"] is False and standard["failing"] == [2]
    assert set(standard) == {
        "rule_id",
        "passed",
        "title_en",
        "title_zh",
        "detail_en",
        "detail_zh",
        "failing",
    }


def test_the_shipped_guide_policy_drives_the_rules():
    report = evaluate(CLAIM, [credits()], load_guide().offsets)
    assert report.qualifies


def test_a_claim_whose_period_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="ends before it starts"):
        Claim(None, BENEFICIARY, date(2024, 2, 1), date(2024, 1, 1), Decimal(1))


def test_a_retirement_of_no_credits_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        credits(quantity=0)


# month arithmetic
@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2024, 12, 31), 12, date(2025, 12, 31)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 8, 31), 6, date(2025, 2, 28)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2024, 11, 15), 14, date(2026, 1, 15)),
        (date(2024, 5, 10), 0, date(2024, 5, 10)),
    ],
)
def test_months_are_added_with_the_day_clamped_to_the_month_end(day, months, expected):
    assert add_months(day, months) == expected


@given(
    day=st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
    months=st.integers(min_value=0, max_value=240),
)
def test_adding_months_moves_the_month_and_never_overshoots(day: date, months: int):
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day <= day.day
    assert moved.day == day.day or (moved + timedelta(days=1)).day == 1


def test_the_report_rounds_its_tonnes_once_to_kilograms():
    """Issue 14: the audit met ``"569.419327968750000000000000"``."""
    claim = dataclasses.replace(CLAIM, residual_tco2e=Decimal("542.30412187500"))
    data = evaluate(claim, [credits()], POLICY).to_dict()
    # 542.304121875 × 1.05 = 569.41932796875, half up to the kilogram
    assert data["required_tco2e"] == "569.419"
    assert data["claim"]["residual_tco2e"] == "542.304"
