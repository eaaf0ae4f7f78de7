"""Offset verification: do the retirements claimed for an inventory qualify under the guide?

The rules and their parameters are the guide's (``guides/versions``); this module only
gathers the facts — the inventory's residual emissions and each retirement's project,
vintage, beneficiary, date and prior use — and records a qualifying claim so that its
retirements can back no other claim (a unique constraint, not only a rule).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select

from certify.core.eligibility import Claim, OffsetReport, RetiredCredits, evaluate
from certify.models.offsets import ClaimRetirement, OffsetClaim
from certify.models.registry import Retirement
from certify.services.registry import serials_of
from footprint.accounts import access
from footprint.accounts.models import User
from footprint.models import Inventory
from footprint.platform import activity
from footprint.platform.db import begin_exclusive, db, get_or_404, insert_or_conflict
from footprint.platform.problems import Problem, invalid
from footprint.services import inventories
from guides.core import Guide
from guides.store import load_guide

KG_PER_TONNE = Decimal(1000)


def retirements_of(organisation_id: int, retirement_ids: list[int]) -> dict[int, Retirement]:
    """The retirements ``retirement_ids``, each of which must exist (else 422) and have
    been made by ``organisation_id`` (else 403, naming the field): a retirement offsets
    the emissions of the organisation that retired it, nobody else's."""
    found = {
        r.id: r
        for r in db.session.scalars(select(Retirement).where(Retirement.id.in_(retirement_ids)))
    }
    missing = [i for i in retirement_ids if i not in found]
    if missing:
        raise invalid("retirement_ids", f"unknown retirements: {missing}")
    foreign = [i for i in retirement_ids if found[i].organisation_id != organisation_id]
    if foreign:
        message = (
            f"retirements {foreign} were made by another organisation: a retirement counts "
            f"only for the organisation that retired it"
        )
        raise Problem(403, message, errors={"retirement_ids": [message]})
    return found


def _retired_credits(organisation_id: int, retirement_ids: list[int]) -> list[RetiredCredits]:
    found = retirements_of(organisation_id, retirement_ids)
    used = {
        retirement: claim
        for retirement, claim in db.session.execute(
            select(ClaimRetirement.retirement_id, ClaimRetirement.claim_id).where(
                ClaimRetirement.retirement_id.in_(retirement_ids)
            )
        )
    }
    credits = []
    for retirement_id in retirement_ids:
        retirement = found[retirement_id]
        issuance = retirement.issuance
        start, end = serials_of(issuance, start=retirement.number_start, end=retirement.number_end)
        project = issuance.project
        claim = used.get(retirement_id)
        credits.append(
            RetiredCredits(
                retirement_id=retirement.id,
                serial_start=start,
                serial_end=end,
                quantity=retirement.quantity,
                standard=project.standard.code,
                project_type=project.project_type,
                region=project.region,
                vintage=issuance.vintage,
                beneficiary=retirement.beneficiary,
                purpose=retirement.purpose,
                retired_at=retirement.retired_at.date(),
                claim_id=None if claim is None else str(claim),
            )
        )
    return credits


def _claim_for(inventory: Inventory, beneficiary: str | None, claim_id: str | None) -> Claim:
    result = inventories.compute(inventory)
    return Claim(
        claim_id=claim_id,
        beneficiary=beneficiary or inventory.venue.name,
        period_start=inventory.period_start,
        period_end=inventory.period_end,
        residual_tco2e=result.total_market / KG_PER_TONNE,
        residual_half_width_tco2e=result.half_width_market / KG_PER_TONNE,
    )


def assess(
    user: User, *, inventory_id: int, retirement_ids: list[int], beneficiary: str | None
) -> tuple[OffsetReport, Guide]:
    """Evaluate without recording anything."""
    return assess_inventory(
        inventories.get(user, inventory_id=inventory_id),
        retirement_ids=retirement_ids,
        beneficiary=beneficiary,
    )


def assess_inventory(
    inventory: Inventory,
    *,
    retirement_ids: list[int],
    beneficiary: str | None,
    guide: Guide | None = None,
) -> tuple[OffsetReport, Guide]:
    """The offset report for ``inventory`` under ``guide`` (default: the current one)."""
    guide = guide or load_guide()
    existing = db.session.scalar(
        select(OffsetClaim.id).where(OffsetClaim.inventory_id == inventory.id)
    )
    claim = _claim_for(inventory, beneficiary, None if existing is None else str(existing))
    credits = _retired_credits(inventory.venue.organisation_id, retirement_ids)
    return evaluate(claim, credits, guide.offsets), guide


def record(
    user: User, *, inventory_id: int, retirement_ids: list[int], beneficiary: str | None
) -> OffsetClaim:
    """Record a qualifying claim; its retirements are then spent for every other claim."""
    inventory = inventories.get(user, inventory_id=inventory_id)
    access.require_write(user, inventory.venue.organisation_id)
    begin_exclusive()
    claim = add_claim(
        user, inventory=inventory, retirement_ids=retirement_ids, beneficiary=beneficiary
    )
    db.session.commit()
    return claim


def add_claim(
    user: User,
    *,
    inventory: Inventory,
    retirement_ids: list[int],
    beneficiary: str | None,
    guide: Guide | None = None,
) -> OffsetClaim:
    """Add a qualifying claim to the caller's (exclusive) transaction, or raise a 422
    naming the failed rules or a 409 if the inventory or a retirement is already claimed.
    On a problem the transaction is rolled back."""
    report, guide = assess_inventory(
        inventory, retirement_ids=retirement_ids, beneficiary=beneficiary, guide=guide
    )
    if not report.qualifies:
        db.session.rollback()
        failed = [rule.rule_id for rule in report.rules if not rule.passed]
        raise Problem(
            422,
            "The retirements do not qualify: " + ", ".join(failed),
            errors={"retirement_ids": [f"fails {rule}" for rule in failed]},
        )
    claim = OffsetClaim(
        inventory_id=inventory.id,
        beneficiary=report.claim.beneficiary,
        guide_version=guide.version,
        report=report.to_dict(),
        created_by_id=user.id,
        retirements=[ClaimRetirement(retirement_id=i) for i in retirement_ids],
    )
    insert_or_conflict(
        claim,
        conflict="The inventory already has a claim, or a retirement already backs another claim.",
    )
    activity.record(
        "offset_claim.recorded",
        "offset_claim",
        claim.id,
        user.id,
        inventory_id=inventory.id,
        retirement_ids=retirement_ids,
    )
    return claim


def get(user: User, *, claim_id: int) -> OffsetClaim:
    claim = public(claim_id)
    inventories.get(user, inventory_id=claim.inventory_id)  # ownership
    return claim


def public(claim_id: int) -> OffsetClaim:
    return get_or_404(OffsetClaim, claim_id, "offset claim")


def as_dict(claim: OffsetClaim) -> dict[str, Any]:
    return {
        "id": claim.id,
        "inventory_id": claim.inventory_id,
        "beneficiary": claim.beneficiary,
        "guide_version": claim.guide_version,
        "retirement_ids": [r.retirement_id for r in claim.retirements],
        "created_at": claim.created_at,
        "report": claim.report,
    }
