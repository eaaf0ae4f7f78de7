"""Offset eligibility: do these retired credits offset this claim's residual emissions?

Each rule of the implementation guide's offsetting section is a function here that
gives a `RuleResult` saying, in English and Chinese, why it passed or which
retirements made it fail. Every threshold comes from the guide's `OffsetPolicy`;
nothing here reads a database. The rule ids are the ones the guide's criteria name.
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, Decimal
from typing import Any

from footprint.core.quantities import TONNE_PLACES, plain, present_text
from guides.core import OffsetPolicy

RULE_IDS = (
    "offsets.some_retired",
    "offsets.standard",
    "offsets.project_type",
    "offsets.region",
    "offsets.vintage",
    "offsets.beneficiary",
    "offsets.retirement_window",
    "offsets.not_double_counted",
    "offsets.coverage",
)


@dataclass(frozen=True, slots=True)
class Claim:
    """A carbon-neutrality claim: whose, for which period, and what is left to offset."""

    claim_id: str | None
    beneficiary: str
    period_start: date
    period_end: date
    residual_tco2e: Decimal
    residual_half_width_tco2e: Decimal = Decimal(0)
    """How far the residual's ~95 % range reaches above it (the inventory's market-based
    range: its half-width by Approach 1, its upper reach by Monte Carlo)."""

    @property
    def relative_uncertainty(self) -> Decimal:
        """That reach as a share of the residual."""
        residual = self.residual_tco2e
        return self.residual_half_width_tco2e / residual if residual else Decimal(0)

    def __post_init__(self) -> None:
        if self.period_end < self.period_start:
            raise ValueError("the claim's period ends before it starts")
        if not self.residual_tco2e.is_finite() or self.residual_tco2e < 0:
            raise ValueError("residual emissions must be a finite, non-negative quantity")


@dataclass(frozen=True, slots=True)
class RetiredCredits:
    """One retirement: a serial range of whole-tonne credits cancelled for a beneficiary.

    ``claim_id`` is the claim the retirement already backs (None: backs no claim yet).
    """

    retirement_id: int
    serial_start: str
    serial_end: str
    quantity: int
    standard: str
    project_type: str
    region: str
    vintage: int
    beneficiary: str
    purpose: str
    retired_at: date
    claim_id: str | None = None

    def __post_init__(self) -> None:
        if self.quantity < 1:
            raise ValueError(f"retirement {self.retirement_id}: quantity must be at least 1")


@dataclass(frozen=True, slots=True)
class RuleResult:
    rule_id: str
    passed: bool
    title_en: str
    title_zh: str
    detail_en: str
    detail_zh: str
    failing: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "passed": self.passed,
            "title_en": self.title_en,
            "title_zh": self.title_zh,
            "detail_en": self.detail_en,
            "detail_zh": self.detail_zh,
            "failing": list(self.failing),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RuleResult:
        """The result `to_dict` stored."""
        return cls(
            data["rule_id"],
            data["passed"],
            data["title_en"],
            data["title_zh"],
            data["detail_en"],
            data["detail_zh"],
            tuple(data.get("failing", ())),
        )


@dataclass(frozen=True, slots=True)
class OffsetReport:
    claim: Claim
    rules: tuple[RuleResult, ...]
    provided_tco2e: Decimal
    required_tco2e: Decimal
    margin: Decimal = Decimal(0)
    """The coverage margin applied (`margin`): the guide's 0.05, or from guide 2 on the
    residual's uncertainty where that is larger."""

    @property
    def relative_uncertainty(self) -> Decimal:
        """The residual's uncertainty (the upper reach of its range) as a share of it."""
        return self.claim.relative_uncertainty

    @property
    def margin_covers_uncertainty(self) -> bool:
        """Whether the margin is at least the residual's relative half-width: only then
        do credits of residual × (1 + margin) cover the residual's upper bound."""
        return self.margin >= self.relative_uncertainty

    def _uncertainty(self) -> dict[str, Any]:
        share = f"{(self.relative_uncertainty * 100).quantize(Decimal('0.1'))}"
        margin = f"{(self.margin * 100).normalize():f}"
        covers = self.margin_covers_uncertainty
        return {
            "residual_half_width_tco2e": present_text(
                self.claim.residual_half_width_tco2e, TONNE_PLACES
            ),
            "relative_half_width": present_text(self.relative_uncertainty, Decimal("0.0001")),
            "margin": plain(self.margin),
            "margin_covers_uncertainty": covers,
            "statement_en": (
                f"The {margin} % margin {'covers' if covers else 'does not cover'} the "
                f"residual's uncertainty (±{share} %, ~95 %)."
            ),
            "statement_zh": (
                f"{margin}% 的安全裕度{'足以' if covers else '不足以'}覆盖剩余排放的不确定度"
                f"（±{share}%，约95%置信）。"
            ),
        }

    @property
    def qualifies(self) -> bool:
        return all(rule.passed for rule in self.rules)

    def rule(self, rule_id: str) -> RuleResult:
        return next(r for r in self.rules if r.rule_id == rule_id)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: dates as ISO strings, quantities as decimal strings, tonnes rounded
        here, once, to kilograms (the rules compare the exact figures)."""
        claim = self.claim
        return {
            "claim": {
                "claim_id": claim.claim_id,
                "beneficiary": claim.beneficiary,
                "period_start": claim.period_start.isoformat(),
                "period_end": claim.period_end.isoformat(),
                "residual_tco2e": present_text(claim.residual_tco2e, TONNE_PLACES),
            },
            "qualifies": self.qualifies,
            "required_tco2e": present_text(self.required_tco2e, TONNE_PLACES),
            "provided_tco2e": present_text(self.provided_tco2e, TONNE_PLACES),
            "rules": [rule.to_dict() for rule in self.rules],
            "uncertainty": self._uncertainty(),
        }


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole calendar months, the day clamped to the month's last."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def normalise_name(name: str) -> str:
    """Names compared as people mean them: case-insensitive, whitespace collapsed."""
    return " ".join(name.split()).casefold()


def _per_credit(
    rule_id: str,
    titles: tuple[str, str],
    retirements: Sequence[RetiredCredits],
    ok: Callable[[RetiredCredits], bool],
    why: Callable[[RetiredCredits], tuple[str, str]],
    passed: tuple[str, str],
) -> RuleResult:
    unique = {c.retirement_id: c for c in retirements}.values()
    bad = [c for c in unique if not ok(c)]
    if not bad:
        return RuleResult(rule_id, True, *titles, *passed)
    reasons = [why(c) for c in bad]
    return RuleResult(
        rule_id,
        False,
        *titles,
        "; ".join(f"#{c.retirement_id}: {en}" for c, (en, _) in zip(bad, reasons, strict=True)),
        "；".join(f"#{c.retirement_id}：{zh}" for c, (_, zh) in zip(bad, reasons, strict=True)),
        tuple(c.retirement_id for c in bad),
    )


def _some_retired(
    claim: Claim, retirements: Sequence[RetiredCredits], policy: OffsetPolicy
) -> RuleResult:
    titles = ("At least one retirement is presented", "至少提交一笔注销记录")
    if retirements:
        return RuleResult(
            "offsets.some_retired",
            True,
            *titles,
            f"{len(retirements)} retirement(s) presented.",
            f"共提交 {len(retirements)} 笔注销记录。",
        )
    return RuleResult(
        "offsets.some_retired",
        False,
        *titles,
        "No retired credits were presented for this claim.",
        "未提交任何已注销的碳信用。",
    )


def _standard(
    claim: Claim, retirements: Sequence[RetiredCredits], policy: OffsetPolicy
) -> RuleResult:
    allowed = {s.strip().upper() for s in policy.eligible_standards}
    names = ", ".join(policy.eligible_standards)
    return _per_credit(
        "offsets.standard",
        ("Credits are from an eligible standard", "碳信用来自认可的标准"),
        retirements,
        lambda c: c.standard.strip().upper() in allowed,
        lambda c: (
            f"standard {c.standard!r} is not one of {names}",
            f"标准 {c.standard!r} 不在认可范围（{names}）内",
        ),
        (f"All credits are from {names}.", f"全部碳信用来自认可标准（{names}）。"),
    )


def _project_type(
    claim: Claim, retirements: Sequence[RetiredCredits], policy: OffsetPolicy
) -> RuleResult:
    allowed = {t.strip().lower() for t in policy.eligible_project_types}
    names = ", ".join(policy.eligible_project_types)
    return _per_credit(
        "offsets.project_type",
        ("Credits are from eligible forest-sink project types", "碳信用来自认可的林业碳汇项目类型"),
        retirements,
        lambda c: c.project_type.strip().lower() in allowed,
        lambda c: (
            f"project type {c.project_type!r} is not one of {names}",
            f"项目类型 {c.project_type!r} 不在认可范围（{names}）内",
        ),
        (f"All credits are from {names} projects.", f"全部碳信用来自认可的项目类型（{names}）。"),
    )


def _in_region(region: str, allowed: Sequence[str]) -> bool:
    code = region.strip().upper()
    return any(code == a or code.startswith(a + "-") for a in allowed)


def _region(
    claim: Claim, retirements: Sequence[RetiredCredits], policy: OffsetPolicy
) -> RuleResult:
    titles = ("Credits are from an eligible region", "碳信用来自认可的地区")
    if not policy.eligible_regions:
        return RuleResult(
            "offsets.region",
            True,
            *titles,
            "The guide restricts no region.",
            "指南未限定项目所在地区。",
        )
    allowed = [r.strip().upper() for r in policy.eligible_regions]
    names = ", ".join(policy.eligible_regions)
    return _per_credit(
        "offsets.region",
        titles,
        retirements,
        lambda c: _in_region(c.region, allowed),
        lambda c: (
            f"region {c.region!r} is not within {names}",
            f"地区 {c.region!r} 不在认可范围（{names}）内",
        ),
        (f"All credits are from projects within {names}.", f"全部项目位于认可地区（{names}）。"),
    )


def _vintage(
    claim: Claim, retirements: Sequence[RetiredCredits], policy: OffsetPolicy
) -> RuleResult:
    latest = claim.period_end.year
    earliest = latest - policy.vintage_window_years
    return _per_credit(
        "offsets.vintage",
        ("Credit vintages fall within the vintage window", "碳信用年份在认可的年份范围内"),
        retirements,
        lambda c: earliest <= c.vintage <= latest,
        lambda c: (
            f"vintage {c.vintage} is outside {earliest}–{latest}",
            f"年份 {c.vintage} 不在 {earliest}–{latest} 范围内",
        ),
        (
            f"All vintages are within {earliest}–{latest} (at most "
            f"{policy.vintage_window_years} years before the period's end, none after it).",
            f"全部碳信用年份在 {earliest}–{latest} 之间（不早于核算期结束前 "
            f"{policy.vintage_window_years} 年，不晚于核算期结束）。",
        ),
    )


def _beneficiary(
    claim: Claim, retirements: Sequence[RetiredCredits], policy: OffsetPolicy
) -> RuleResult:
    wanted = normalise_name(claim.beneficiary)
    return _per_credit(
        "offsets.beneficiary",
        ("Credits were retired for the claim's beneficiary", "碳信用为声明主体注销"),
        retirements,
        lambda c: normalise_name(c.beneficiary) == wanted,
        lambda c: (
            f"retired for {c.beneficiary!r}, not {claim.beneficiary!r}",
            f"注销受益方为 {c.beneficiary!r}，而非 {claim.beneficiary!r}",
        ),
        (
            f"All credits were retired for {claim.beneficiary}.",
            f"全部碳信用均为 {claim.beneficiary} 注销。",
        ),
    )


def _retirement_window(
    claim: Claim, retirements: Sequence[RetiredCredits], policy: OffsetPolicy
) -> RuleResult:
    latest = add_months(claim.period_end, policy.retirement_window_months)
    earliest = claim.period_start if policy.retirement_not_before_period_start else None

    def why(c: RetiredCredits) -> tuple[str, str]:
        if earliest is not None and c.retired_at < earliest:
            return (
                f"retired {c.retired_at}, before the period began ({earliest})",
                f"注销日期 {c.retired_at} 早于核算期开始（{earliest}）",
            )
        return (
            f"retired {c.retired_at}, after {latest} ({policy.retirement_window_months} "
            "months after the period's end)",
            f"注销日期 {c.retired_at} 晚于 {latest}（核算期结束后 "
            f"{policy.retirement_window_months} 个月）",
        )

    since = f"between {earliest} and {latest}" if earliest is not None else f"by {latest}"
    since_zh = f"于 {earliest} 至 {latest} 之间" if earliest is not None else f"不晚于 {latest}"
    return _per_credit(
        "offsets.retirement_window",
        ("Credits were retired within the retirement window", "碳信用在规定期限内注销"),
        retirements,
        lambda c: (earliest is None or c.retired_at >= earliest) and c.retired_at <= latest,
        why,
        (f"All credits were retired {since}.", f"全部碳信用均{since_zh}注销。"),
    )


def _not_double_counted(
    claim: Claim, retirements: Sequence[RetiredCredits], policy: OffsetPolicy
) -> RuleResult:
    titles = ("No credit is counted twice", "碳信用未被重复计算")
    listed = Counter(c.retirement_id for c in retirements)
    ranges = Counter((c.serial_start, c.serial_end) for c in retirements)
    reasons: dict[int, tuple[str, str]] = {}
    for c in retirements:
        if c.claim_id is not None and c.claim_id != claim.claim_id:
            reasons[c.retirement_id] = (
                f"already backs claim {c.claim_id}",
                f"已用于声明 {c.claim_id}",
            )
        elif listed[c.retirement_id] > 1:
            reasons[c.retirement_id] = ("listed more than once", "被重复列出")
        elif ranges[(c.serial_start, c.serial_end)] > 1:
            serials = f"{c.serial_start}–{c.serial_end}"
            reasons[c.retirement_id] = (
                f"serials {serials} listed under another retirement too",
                f"序列号 {serials} 在另一笔注销中重复出现",
            )
    if not reasons:
        return RuleResult(
            "offsets.not_double_counted",
            True,
            *titles,
            "Each retirement is listed once and backs no other claim.",
            "每笔注销仅列出一次，且未用于其他声明。",
        )
    return RuleResult(
        "offsets.not_double_counted",
        False,
        *titles,
        "; ".join(f"#{rid}: {en}" for rid, (en, _) in reasons.items()),
        "；".join(f"#{rid}：{zh}" for rid, (_, zh) in reasons.items()),
        tuple(reasons),
    )


def margin(claim: Claim, policy: OffsetPolicy) -> Decimal:
    """The margin credits must cover beyond the residual: the guide's ``coverage_margin``,
    or — where the guide sets it from the uncertainty (guide 2) — the residual's relative
    uncertainty if that is larger, so that credits cover the range's upper end."""
    if policy.margin_from_uncertainty:
        return max(policy.coverage_margin, claim.relative_uncertainty)
    return policy.coverage_margin


def required_tco2e(claim: Claim, policy: OffsetPolicy) -> Decimal:
    """Residual emissions with the margin: what retired credits must cover."""
    return claim.residual_tco2e * (1 + margin(claim, policy))


def provided_tco2e(retirements: Sequence[RetiredCredits]) -> Decimal:
    """Whole-tonne credits presented, each retirement counted once however often listed."""
    unique = {c.retirement_id: c.quantity for c in retirements}
    return Decimal(sum(unique.values()))


def _coverage(
    claim: Claim, retirements: Sequence[RetiredCredits], policy: OffsetPolicy
) -> RuleResult:
    titles = (
        "Retired credits cover the residual emissions with the margin",
        "注销量覆盖剩余排放量及安全裕度",
    )
    required, provided = required_tco2e(claim, policy), provided_tco2e(retirements)
    applied = margin(claim, policy)
    share = f"{(applied * 100).quantize(Decimal('0.1')).normalize():f}"
    raised = applied > policy.coverage_margin
    guide = f"{(policy.coverage_margin * 100).normalize():f}"
    why = f": the residual's uncertainty, above the guide's {guide} %" if raised else ""
    why_zh = f"：剩余排放的不确定度，高于指南的 {guide}%" if raised else ""
    whole = required.to_integral_value(rounding=ROUND_CEILING)
    shown = present_text(required, TONNE_PLACES) if raised else required
    basis = (
        f"Residual {claim.residual_tco2e} tCO2e × (1 + {share} %{why}) = {shown} tCO2e "
        f"required (at least {whole} whole credits); {provided} tCO2e retired"
    )
    basis_zh = (
        f"剩余排放 {claim.residual_tco2e} tCO2e ×（1 + {share}%{why_zh}）= 需 {shown} tCO2e"
        f"（至少 {whole} 个整吨碳信用）；已注销 {provided} tCO2e"
    )
    if provided >= required:
        return RuleResult("offsets.coverage", True, *titles, basis + ".", basis_zh + "。")
    short = present_text(required - provided, TONNE_PLACES) if raised else required - provided
    return RuleResult(
        "offsets.coverage",
        False,
        *titles,
        f"{basis}: {short} tCO2e short.",
        f"{basis_zh}：尚缺 {short} tCO2e。",
    )


RULES: tuple[Callable[[Claim, Sequence[RetiredCredits], OffsetPolicy], RuleResult], ...] = (
    _some_retired,
    _standard,
    _project_type,
    _region,
    _vintage,
    _beneficiary,
    _retirement_window,
    _not_double_counted,
    _coverage,
)


def evaluate(
    claim: Claim, retirements: Iterable[RetiredCredits], policy: OffsetPolicy
) -> OffsetReport:
    """Apply every offset rule of the guide, in the order of `RULE_IDS`."""
    retirements = tuple(retirements)
    results = tuple(rule(claim, retirements, policy) for rule in RULES)
    assert tuple(r.rule_id for r in results) == RULE_IDS
    return OffsetReport(
        claim=claim,
        rules=results,
        provided_tco2e=provided_tco2e(retirements),
        required_tco2e=required_tco2e(claim, policy),
        margin=margin(claim, policy),
    )
