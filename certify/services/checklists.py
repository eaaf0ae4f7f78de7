"""An application's checklist: gathering the facts the guide's automatic rules need,
recording their verdicts, and putting them together with the verifier's judgements."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from certify.core import checklist
from certify.core.checklist import Checklist, Coverage, Judgement, Outcome, PeriodFigures
from certify.core.eligibility import OffsetReport, RuleResult
from certify.models.applications import Application, CriterionResult
from certify.services import offsets, verifiers
from footprint.core.inventory import KINDS, InventoryResult, PricedLine
from footprint.core.products import BOUNDARIES, ProductLine
from footprint.models import Inventory
from footprint.platform.db import db
from footprint.services import inventories, products
from guides.core import Guide
from guides.store import load_guide

HOLDS_CERTIFICATE = ("issued", "suspended", "expired")
"""States in which an application's period counts as certified for later periods."""


def _figures(inventory: Inventory, *, result: InventoryResult) -> PeriodFigures:
    return PeriodFigures(
        inventory.period_end,
        result.total_market,
        {metric: values["market_based"] for metric, values in result.intensities.items()},
    )


def _coverage(inventory: Inventory, declared: list[str]) -> Coverage:
    quantities: dict[str, Decimal] = defaultdict(Decimal)
    for line in inventory.lines:
        quantities[line.kind] += line.quantity
    return Coverage(inventory.period_start, inventory.period_end, dict(quantities), tuple(declared))


def _priced(position: int, line: PricedLine | ProductLine) -> checklist.PricedFactor:
    """Inventory lines (some kinds need no factor) or product lines (each names one)."""
    if isinstance(line, PricedLine):
        kind, needs = line.kind, KINDS[line.kind].group is not None
    else:
        kind, needs = line.stage, True
    return checklist.PricedFactor(
        position,
        kind,
        needs,
        line.factor.id if line.factor else None,
        line.factor.source.citation if line.factor else "",
    )


def _factors(lines: Sequence[PricedLine | ProductLine]) -> list[checklist.PricedFactor]:
    return [_priced(i, line) for i, line in enumerate(lines)]


def _previous_certified(application: Application) -> Application | None:
    """The subject's latest certified application for a period before this one."""
    return db.session.scalar(
        select(Application)
        .join(Inventory, Application.inventory_id == Inventory.id)
        .where(
            Application.venue_id == application.venue_id,
            Application.state.in_(HOLDS_CERTIFICATE),
            Inventory.period_end < application.period[0],
        )
        .order_by(Inventory.period_end.desc())
        .limit(1)
    )


def _independence(application: Application, day: date) -> RuleResult:
    verifier = application.verifier
    conflict = (
        None
        if verifier is None
        else verifiers.conflict(verifier, client=application.organisation, day=day)
    )
    return checklist.inventory_verified(verifier is not None, conflict)


def offset_report(application: Application, *, guide: Guide | None = None) -> OffsetReport:
    """The offset report of a certificate application: its retirements against its
    inventory, under its guide version (``guide``, if the caller has it loaded)."""
    assert application.inventory is not None
    report, _ = offsets.assess_inventory(
        application.inventory,
        retirement_ids=application.retirement_ids,
        beneficiary=application.beneficiary,
        guide=guide or load_guide(application.guide_version),
    )
    return report


def _inventory_rules(application: Application, guide: Guide, day: date) -> list[RuleResult]:
    inventory = application.inventory
    assert inventory is not None
    result = inventories.compute(inventory)
    previous = _previous_certified(application)
    prior = None
    if previous is not None and previous.inventory is not None:
        prior = _figures(previous.inventory, result=inventories.compute(previous.inventory))
    report = offset_report(application, guide=guide)
    return [
        checklist.scope1_scope2_complete(
            _coverage(inventory, (application.boundary or {}).get("sources", []))
        ),
        checklist.factors_cited(result.dataset, True, _factors(result.lines)),
        checklist.reduction_after_first_period(
            _figures(inventory, result=result),
            prior,
            (application.management_plan or {}).get("intensity_metric"),
        ),
        _independence(application, day),
        *report.rules,
    ]


def _product_rules(application: Application) -> list[RuleResult]:
    footprint = application.product_footprint
    assert footprint is not None
    result = products.compute(footprint)
    return [
        checklist.factors_cited(result.dataset, True, _factors(result.lines)),
        checklist.product_footprint_quantified(
            footprint.product.functional_unit_en,
            BOUNDARIES[result.boundary],
            (line.stage for line in result.lines),
            result.per_unit,
        ),
    ]


def _evaluate_rules(application: Application, *, guide: Guide, day: date) -> list[RuleResult]:
    """Every automatic rule the guide's criteria name for this application, evaluated now."""
    if application.subject_kind == "product":
        return _product_rules(application)
    return _inventory_rules(application, guide, day)


def refresh(application: Application, *, day: date) -> Checklist:
    """Re-evaluate the automatic criteria, store their verdicts, and return the checklist."""
    guide = load_guide(application.guide_version)
    rules = {rule.rule_id: rule for rule in _evaluate_rules(application, guide=guide, day=day)}
    stored = {r.criterion_id: r for r in application.results}
    for criterion in guide.criteria_for(application.subject_kind):
        rule = rules.get(criterion.rule or "")
        if not criterion.automatic or rule is None:
            continue
        row = stored.get(criterion.id)
        if row is None:
            row = CriterionResult(criterion_id=criterion.id, check="automatic")
            application.results.append(row)
        row.outcome = Outcome.PASS if rule.passed else Outcome.FAIL
        row.findings, row.detail = rule.detail_en, rule.to_dict()
        row.recorded_by_id = None
    db.session.flush()
    return current(application)


def current(application: Application) -> Checklist:
    """The checklist as recorded (automatic verdicts from the last refresh)."""
    guide = load_guide(application.guide_version)
    rules, judgements = {}, {}
    for row in application.results:
        if row.check == "automatic":
            rules[row.detail["rule_id"]] = RuleResult.from_dict(row.detail)
        else:
            judgements[row.criterion_id] = Judgement(Outcome(row.outcome), row.findings)
    return checklist.build(guide.criteria_for(application.subject_kind), rules, judgements)
