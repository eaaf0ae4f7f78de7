"""The certification checklist: the guide's automatic rules, and where an application stands.

The guide's criteria are the checklist. An automatic criterion names a rule, decided
here (or, for the offset rules, in `certify.core.eligibility`) from facts the caller
gathers; a judgement criterion is decided by the assigned verifier, who records an
outcome and findings. `Checklist` puts both together and answers the two questions the
workflow asks before approval: do all automatic criteria pass, and is every judgement
recorded and conforming. Nothing here reads a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from certify.core.eligibility import RuleResult, add_months
from guides.core import Criterion

MAX_PERIOD_MONTHS = 12
SOURCE_KINDS = ("fuel", "vehicle_fuel", "refrigerant", "purchased_heat")
"""Scope 1 and 2 source categories besides grid electricity that a subject declares."""


class Outcome(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    CONFORMS = "conforms"
    NONCONFORMITY = "nonconformity"
    NOT_APPLICABLE = "not_applicable"


JUDGEMENTS = (Outcome.CONFORMS, Outcome.NONCONFORMITY, Outcome.NOT_APPLICABLE)
"""What a verifier may record for a judgement criterion."""


# --- facts ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Coverage:
    """What an inventory holds, for `scope1_scope2_complete`.

    ``quantities``: the total activity per line kind present (a zero is an explicit zero);
    ``declared``: the Scope 1/2 source categories the subject says it has.
    """

    period_start: date
    period_end: date
    quantities: Mapping[str, Decimal]
    declared: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PricedFactor:
    """One priced inventory line: its position and the factor it used (None: none)."""

    position: int
    kind: str
    needs_factor: bool
    factor_id: str | None
    citation: str


@dataclass(frozen=True, slots=True)
class PeriodFigures:
    """A period's market-based total (kgCO2e) and intensities per metric."""

    period_end: date
    total_market: Decimal
    intensities: Mapping[str, Decimal] = field(default_factory=dict)


# --- the rules -----------------------------------------------------------------------


def _result(rule_id: str, titles: tuple[str, str], passed: bool, en: str, zh: str) -> RuleResult:
    return RuleResult(rule_id, passed, *titles, en, zh)


def scope1_scope2_complete(facts: Coverage) -> RuleResult:
    titles = ("Scope 1 and Scope 2 complete", "范围一、范围二完整")
    problems: list[tuple[str, str]] = []
    if facts.period_end > add_months(facts.period_start, MAX_PERIOD_MONTHS) - timedelta(days=1):
        problems.append(
            (
                f"the period {facts.period_start}–{facts.period_end} is longer than "
                f"{MAX_PERIOD_MONTHS} months",
                f"核算期 {facts.period_start}–{facts.period_end} 超过 {MAX_PERIOD_MONTHS} 个月",
            )
        )
    grid = facts.quantities.get("grid_electricity")
    if grid is None:
        problems.append(
            (
                "no purchased electricity line (give one, zero if none is bought)",
                "缺少外购电力数据（如未外购请填报零）",
            )
        )
    elif grid == 0 and not facts.quantities.get("onsite_pv"):
        problems.append(
            (
                "purchased electricity is zero but no own generation is reported",
                "外购电力为零，但未申报自有发电",
            )
        )
    for source in facts.declared:
        if source not in facts.quantities:
            problems.append(
                (
                    f"declared source {source!r} has no activity data",
                    f"已申报的排放源 {source!r} 缺少活动数据",
                )
            )
    if not problems:
        return _result(
            "inventory.scope1_scope2_complete",
            titles,
            True,
            "The period is at most 12 months; electricity and every declared "
            "Scope 1/2 source have activity data.",
            "核算期不超过12个月；外购电力和每一类已申报的范围一、二排放源均有活动数据。",
        )
    return _result(
        "inventory.scope1_scope2_complete",
        titles,
        False,
        "; ".join(en for en, _ in problems),
        "；".join(zh for _, zh in problems),
    )


def factors_cited(dataset: str, published: bool, lines: Sequence[PricedFactor]) -> RuleResult:
    titles = ("Factors from a published dataset", "因子来自已发布数据集")
    uncited = [
        line
        for line in lines
        if line.needs_factor and (line.factor_id is None or not line.citation.strip())
    ]
    if not published:
        return _result(
            "quantification.factors_cited",
            titles,
            False,
            f"dataset {dataset} is not published",
            f"数据集 {dataset} 尚未发布",
        )
    if uncited:
        positions = ", ".join(f"#{line.position} ({line.kind})" for line in uncited)
        return _result(
            "quantification.factors_cited",
            titles,
            False,
            f"lines without a cited factor: {positions}",
            f"以下行缺少有出处的因子：{positions}",
        )
    cited = sum(1 for line in lines if line.factor_id)
    return _result(
        "quantification.factors_cited",
        titles,
        True,
        f"All {cited} priced lines use cited factors of published dataset {dataset}.",
        f"全部 {cited} 行均使用已发布数据集 {dataset} 中有出处的因子。",
    )


def reduction_after_first_period(
    current: PeriodFigures, previous: PeriodFigures | None, metric: str | None
) -> RuleResult:
    """Pass in a first period; later, the total or the declared intensity must fall."""
    titles = ("Reduction after the first period", "第一核算期后须有减排")
    rule_id = "plan.reduction_after_first_period"
    if previous is None:
        return _result(
            rule_id,
            titles,
            True,
            "First certified period: offsetting alone is accepted.",
            "第一核算期：可仅以抵消实现碳中和。",
        )
    basis = (
        f"market-based total {current.total_market} kg against {previous.total_market} kg "
        f"in the period ending {previous.period_end}"
    )
    basis_zh = (
        f"基于市场的总排放 {current.total_market} 千克，上一获证核算期（截至 "
        f"{previous.period_end}）为 {previous.total_market} 千克"
    )
    if current.total_market < previous.total_market:
        return _result(
            rule_id, titles, True, f"Emissions fell: {basis}.", f"排放下降：{basis_zh}。"
        )
    now, before = (
        (current.intensities.get(metric), previous.intensities.get(metric))
        if metric
        else (None, None)
    )
    if now is not None and before is not None:
        basis += f"; intensity per {metric} {now} against {before}"
        basis_zh += f"；每{metric}强度 {now}，上期 {before}"
        if now < before:
            return _result(
                rule_id,
                titles,
                True,
                f"The declared intensity fell: {basis}.",
                f"所申报的强度下降：{basis_zh}。",
            )
    return _result(rule_id, titles, False, f"No reduction: {basis}.", f"未见减排：{basis_zh}。")


def inventory_verified(verifier_assigned: bool, conflict: str | None) -> RuleResult:
    titles = ("Inventory verified by a third party", "清单经第三方核查")
    rule_id = "inventory.verified"
    if not verifier_assigned:
        return _result(rule_id, titles, False, "No verifier is assigned yet.", "尚未指派核查员。")
    if conflict is not None:
        return _result(
            rule_id,
            titles,
            False,
            f"The assigned verifier may not review this subject: {conflict}.",
            f"所指派的核查员不得核查该主体：{conflict}。",
        )
    return _result(
        rule_id,
        titles,
        True,
        "The assigned verifier is accredited and independent of the subject; their "
        "signature is made on approval.",
        "所指派的核查员经认可且独立于该主体；核查员在批准时签名。",
    )


def product_footprint_quantified(
    functional_unit: str,
    boundary_stages: Sequence[str],
    stages_with_data: Iterable[str],
    per_unit: Decimal,
) -> RuleResult:
    """A functional unit, and a figure (an explicit zero) for every stage in the boundary."""
    titles = ("Product footprint quantified", "产品碳足迹已量化")
    rule_id = "product.footprint_quantified"
    present = set(stages_with_data)
    missing = [stage for stage in boundary_stages if stage not in present]
    if not functional_unit.strip():
        return _result(rule_id, titles, False, "No functional unit is stated.", "未说明功能单位。")
    if missing:
        names = ", ".join(missing)
        return _result(
            rule_id,
            titles,
            False,
            f"No activity data (or explicit zero) for: {names}.",
            f"以下阶段缺少活动数据（或明确申报为零）：{names}。",
        )
    return _result(
        rule_id,
        titles,
        True,
        f"{per_unit} kgCO2e {functional_unit}, every stage inside the boundary quantified.",
        f"{per_unit} 千克二氧化碳当量 {functional_unit}，边界内各阶段均已量化。",
    )


# --- the checklist -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Judgement:
    outcome: Outcome
    findings: str


@dataclass(frozen=True, slots=True)
class Line:
    """One criterion and where it stands; ``outcome`` None: not yet decided."""

    criterion: Criterion
    outcome: Outcome | None
    findings: str = ""
    rule: RuleResult | None = None

    @property
    def satisfied(self) -> bool:
        return self.outcome in (Outcome.PASS, Outcome.CONFORMS, Outcome.NOT_APPLICABLE)


@dataclass(frozen=True)
class Checklist:
    lines: tuple[Line, ...]

    @property
    def automatic_pass(self) -> bool:
        return all(line.satisfied for line in self.lines if line.criterion.automatic)

    @property
    def judgements_complete(self) -> bool:
        """Every judgement recorded, and none a nonconformity."""
        return all(line.satisfied for line in self.lines if not line.criterion.automatic)

    def open_items(self) -> tuple[str, ...]:
        """The criteria that stand in the way of approval."""
        return tuple(line.criterion.id for line in self.lines if not line.satisfied)


def build(
    criteria: Iterable[Criterion],
    rules: Mapping[str, RuleResult],
    judgements: Mapping[str, Judgement],
) -> Checklist:
    """The checklist of ``criteria``: automatic ones from ``rules`` by rule id (a rule
    not evaluated counts as undecided), judgement ones from ``judgements`` by criterion."""
    lines = []
    for criterion in criteria:
        if criterion.automatic:
            result = rules.get(criterion.rule or "")
            outcome = None if result is None else Outcome.PASS if result.passed else Outcome.FAIL
            lines.append(Line(criterion, outcome, rule=result))
        else:
            judged = judgements.get(criterion.id)
            lines.append(
                Line(criterion, judged and judged.outcome, judged.findings if judged else "")
            )
    return Checklist(tuple(lines))
