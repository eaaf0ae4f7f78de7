"""Credits in the operators' workspace, at ``/workspace/credits``: the organisation's
holdings by project and vintage, retiring (for a beneficiary and a purpose) and
transferring a serial range, and the organisation's retirement records.

Forms over the registry's services and the API's schemas (`certify.web.registry.schemas`):
a retirement or transfer made here is the very one ``POST /api/v1/registry/retirements``
or ``/transfers`` makes, atomic and exactly once.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from certify.services import registry
from certify.web.registry.present import present_holding, present_retirement
from certify.web.registry.schemas import RetirementInSchema, TransferInSchema
from footprint.accounts.models import Role, User
from footprint.accounts.sessions import protect, role_required
from footprint.platform import forms
from footprint.platform.pagination import page_asked, page_count

pages = Blueprint("credits_pages", __name__, url_prefix="/workspace/credits")
protect(pages)

HOLDERS = (Role.OPERATOR, Role.ADMIN)
"""Who holds, retires and transfers credits: the roles the registry API lets do so."""
PER_PAGE = 50
FORMS = {
    "retire": ("serial_start", "serial_end", "beneficiary", "purpose"),
    "transfer": ("serial_start", "serial_end", "to_org"),
}


def _by_project(holdings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Holdings summed by project and vintage."""
    totals: dict[tuple[str, int], dict[str, Any]] = defaultdict(dict)
    for held in holdings:
        row = totals[(held["project"]["code"], held["vintage"])]
        row.setdefault("project", held["project"])
        row["vintage"] = held["vintage"]
        row["quantity"] = row.get("quantity", 0) + held["quantity"]
    return [totals[key] for key in sorted(totals)]


def _page(
    user: User,
    *,
    typed: dict[str, dict[str, str]],
    errors: dict[str, dict[str, str]],
    status: int = 200,
) -> ResponseReturnValue:
    page = page_asked(request.args)
    blocks, total = registry.holdings(user.organisation_id, page=page, per_page=PER_PAGE)
    holdings = [present_holding(block) for block in blocks]
    retired, _ = registry.list_retirements(
        {"organisation_id": user.organisation_id}, page=1, per_page=PER_PAGE
    )
    done = request.args.get("retired", type=int)
    return (
        render_template(
            "workspace/credits.html",
            holdings=holdings,
            summary=_by_project(holdings),
            total=total,
            page=page,
            pages=page_count(total, PER_PAGE),
            retirements=[present_retirement(r) for r in retired],
            typed=typed,
            errors=errors,
            just_retired=next((r for r in retired if r.id == done), None) if done else None,
            transferred=request.args.get("transferred", type=int),
        ),
        status,
    )


@pages.get("")
@role_required(*HOLDERS)
def credits(user: User) -> ResponseReturnValue:
    """The holdings; ``start`` and ``end`` fill both forms with a block's serials."""
    chosen = {
        "serial_start": request.args.get("start", "")[:40],
        "serial_end": request.args.get("end", "")[:40],
    }
    return _page(user, typed={"retire": dict(chosen), "transfer": dict(chosen)}, errors={})


def _submitted(user: User, action: str) -> ResponseReturnValue:
    typed = forms.values(request.form, FORMS[action])
    if action == "retire":
        made, errors = forms.submit(
            RetirementInSchema(), typed, lambda data: registry.retire(user, **data)
        )
        target = {"retired": made.id} if made else {}
    else:
        made, errors = forms.submit(
            TransferInSchema(),
            typed,
            lambda data: registry.transfer(
                user,
                serial_start=data["serial_start"],
                serial_end=data["serial_end"],
                to=data["to_org"],
            ),
        )
        target = {"transferred": made.quantity} if made else {}
    if errors:
        return _page(user, typed={action: typed}, errors={action: errors}, status=422)
    return redirect(url_for("credits_pages.credits", **target), 303)


@pages.post("/retire")
@role_required(*HOLDERS)
def retire(user: User) -> ResponseReturnValue:
    return _submitted(user, "retire")


@pages.post("/transfer")
@role_required(*HOLDERS)
def transfer(user: User) -> ResponseReturnValue:
    return _submitted(user, "transfer")
