"""The operators' workspace at ``/workspace``: their organisation's venues (register,
edit) and each venue's inventories (scopes, lines with their factors and sources,
intensities, the trend over periods and the change against the last period).

Pages for people over the services the API calls, with the API's own schemas
(`footprint.web.venues`): what a form sends is loaded exactly as the JSON body would
be, the same access rules apply (`footprint.accounts.access`, through the services), and
errors are said beside their field in the page's language with what was typed kept.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from footprint.accounts.models import Role, User
from footprint.accounts.sessions import csrf_token, protect, role_required
from footprint.core.inventory import InventoryResult
from footprint.models import Inventory
from footprint.platform import forms, page_cache
from footprint.platform.charts import inline_svg
from footprint.platform.db import db
from footprint.platform.i18n import language
from footprint.platform.pagination import page_asked, page_count
from footprint.platform.pdf.chart import Series, periods_chart
from footprint.platform.pdf.drawing import GREEN, GREY
from footprint.platform.pdf.fonts import cjk_fonts
from footprint.services import inventories, venues
from footprint.web.venues import VenueSchema

pages = Blueprint("workspace", __name__, url_prefix="/workspace")
protect(pages)

OPERATORS = (Role.OPERATOR, Role.ADMIN)
"""Who works here: the roles the venues API lets register and change venues."""
PER_PAGE = 20
VENUE_FIELDS = ("name", "kind", "region", "address")
VENUE_KINDS = {
    "scenic_area": _l("Scenic area"),
    "hotel": _l("Hotel"),
    "cable_car": _l("Cable car"),
    "elevator": _l("Sightseeing elevator"),
    "shuttle": _l("Shuttle bus"),
    "restaurant": _l("Restaurant"),
    "shop": _l("Shop"),
    "producer": _l("Producer"),
}
STATUSES = {"draft": _l("Draft"), "submitted": _l("Submitted"), "verified": _l("Verified")}
SCOPES = {1: _l("Scope 1"), 2: _l("Scope 2"), 3: _l("Scope 3")}
METRICS = {"visitors": _l("Visitor"), "room_nights": _l("Room-night"), "rides": _l("Ride")}
CHART_WIDTH = 340


@pages.get("")
@role_required(*OPERATORS)
def home(user: User) -> str:
    """The organisation's venues, newest first, a page at a time."""
    page = page_asked(request.args)
    found, total = venues.listing(user, kind=None, page=page, per_page=PER_PAGE)
    return render_template(
        "workspace/home.html",
        user=user,
        venues=found,
        page=page,
        pages=page_count(total, PER_PAGE),
        total=total,
        kinds=VENUE_KINDS,
    )


def _venue_form(
    *, venue: Any, typed: dict[str, str], errors: dict[str, str], status: int = 200
) -> ResponseReturnValue:
    return (
        render_template(
            "workspace/venue_form.html", venue=venue, typed=typed, errors=errors, kinds=VENUE_KINDS
        ),
        status,
    )


@pages.get("/venues/new")
@role_required(*OPERATORS)
def new_venue(user: User) -> ResponseReturnValue:
    return _venue_form(venue=None, typed={}, errors={})


@pages.post("/venues/new")
@role_required(*OPERATORS)
def create_venue(user: User) -> ResponseReturnValue:
    typed = forms.values(request.form, VENUE_FIELDS)
    venue, errors = forms.submit(VenueSchema(), typed, lambda data: venues.create(user, data=data))
    if errors:
        return _venue_form(venue=None, typed=typed, errors=errors, status=422)
    return redirect(url_for("workspace.venue", venue_id=venue.id), 303)


def _inventory_rows(user: User, venue_id: int) -> list[tuple[Inventory, InventoryResult]]:
    found, _total = inventories.listing(user, venue_id=venue_id, page=1, per_page=100)
    return [(inventory, inventories.compute(inventory)) for inventory in reversed(found)]


def _trend(rows: list[tuple[Inventory, InventoryResult]]) -> Markup | None:
    """The venue's totals over its periods, location- and market-based, in tCO2e."""
    if len(rows) < 2:
        return None
    tonnes = Decimal("0.001")
    drawing = periods_chart(
        [f"{inventory.period_start:%Y-%m}" for inventory, _result in rows],
        (
            Series(
                str(_("Location-based")), tuple(r.total_location * tonnes for _i, r in rows), GREY
            ),
            Series(str(_("Market-based")), tuple(r.total_market * tonnes for _i, r in rows), GREEN),
        ),
        cjk_fonts().regular,
        CHART_WIDTH,
        200,
        GREY,
        label_size=13,
        value_size=12,
    )
    return inline_svg(
        drawing,
        title=_("Emissions by period, tCO2e"),
        description=_(
            "Columns for each period: location- and market-based totals. "
            "The table below gives the figures."
        ),
    )


@pages.get("/venues/<int:venue_id>")
@role_required(*OPERATORS)
def venue(user: User, venue_id: int) -> str:
    """A venue: its details (with the form to change them) and its inventories."""
    found = venues.get(user, venue_id=venue_id)
    rows = _inventory_rows(user, venue_id)
    return render_template(
        "workspace/venue.html",
        venue=found,
        kinds=VENUE_KINDS,
        statuses=STATUSES,
        rows=rows,
        trend=_trend(rows),
    )


@pages.get("/venues/<int:venue_id>/edit")
@role_required(*OPERATORS)
def edit_venue(user: User, venue_id: int) -> ResponseReturnValue:
    found = venues.get(user, venue_id=venue_id)
    typed = {name: str(getattr(found, name) or "") for name in VENUE_FIELDS}
    return _venue_form(venue=found, typed=typed, errors={})


@pages.post("/venues/<int:venue_id>/edit")
@role_required(*OPERATORS)
def update_venue(user: User, venue_id: int) -> ResponseReturnValue:
    found = venues.get(user, venue_id=venue_id)
    typed = forms.values(request.form, VENUE_FIELDS)
    _, errors = forms.submit(
        VenueSchema(), typed, lambda data: venues.update(user, venue_id=venue_id, changes=data)
    )
    if errors:
        return _venue_form(venue=found, typed=typed, errors=errors, status=422)
    return redirect(url_for("workspace.venue", venue_id=venue_id), 303)


def result_tables(report: inventories.Report) -> Markup:
    """A stored inventory's result tables (``workspace/result_tables.html``), kept per
    language while the inventory and the one before it stand: for an inventory of
    hundreds of lines, most of what its pages cost to render."""
    key = ("result tables", str(db.engine.url), language(), *stamps(report))
    return page_cache.kept(
        key,
        lambda: Markup(
            render_template(
                "workspace/result_tables.html",
                result=report.result,
                previous=report.previous,
                scopes=SCOPES,
                metric_labels=METRICS,
            )
        ),
    )


@pages.app_template_global()
def cited(lines: list[Any]) -> tuple[list[str], dict[str, int]]:
    """The distinct sources of the lines' factors (and of the parameters their quantities
    were converted by, and of their well-to-tank parts), in order of first use, and each
    one's number: a result's lines cite their sources as numbered notes, not each in full."""
    numbered: dict[str, int] = {}
    for line in lines:
        wtt = line.well_to_tank
        for factor in (line.factor, line.conversion, wtt.factor if wtt else None):
            if factor is not None and factor.source is not None:
                numbered.setdefault(factor.source.citation, len(numbered) + 1)
    return list(numbered), numbered


def stamps(report: inventories.Report) -> tuple[object, ...]:
    """What moves when anything an inventory's report shows changes: the inventory's,
    its venue's and the previous period's inventory's ids and edit times."""
    inventory, previous = report.inventory, report.previous
    return (
        inventory.id,
        inventory.updated_at,
        inventory.venue.updated_at,
        None if previous is None else (previous[0].id, previous[0].updated_at),
    )


def signed_in(user: User) -> tuple[object, ...]:
    """The part of a private page's version that names its reader and their session."""
    return (user.id, user.role, csrf_token())


@pages.get("/inventories/<int:inventory_id>")
@role_required(*OPERATORS)
def inventory(user: User, inventory_id: int) -> ResponseReturnValue:
    """An inventory: its scopes (location- and market-based), intensities, each line's
    factor and source, and what changed against the venue's previous period (kept while
    it stands: `footprint.platform.page_cache`)."""
    report = inventories.report(user, inventory_id=inventory_id)
    return page_cache.page(
        (*signed_in(user), *stamps(report)),
        lambda: render_template(
            "workspace/inventory.html",
            report=report,
            inventory=report.inventory,
            result=report.result,
            tables=result_tables(report),
            statuses=STATUSES,
            user_role=user.role,
        ),
        private=True,
    )
