"""The district's published progress (plan §九, 定期评估和公布碳中和进展): the dashboard at
`/progress`, and each year's signed annual report as PDF (`/progress/{year}.pdf`) and
as the signed JSON it prints (`/progress/{year}.json`).

Figures are `certify.services.progress`'s: from verified inventories and issued
documents only. The page rounds them once, as the report does; its charts are the
report's drawings (`certify.pdf.progress`), as inline SVG, each with its table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from certify.pdf.progress import emissions_chart, render_progress_report
from certify.services import data_version, progress
from certify.services.progress import INTENSITY_PLACES, PeriodProgress
from footprint.platform import page_cache
from footprint.platform.charts import inline_svg
from footprint.platform.files import pdf_response
from footprint.platform.pdf.chart import Series, periods_chart
from footprint.platform.pdf.drawing import GREEN, GREY
from footprint.platform.pdf.fonts import cjk_fonts
from footprint.platform.pdf.text import tonnes

pages = Blueprint("progress_pages", __name__)

SCREEN_WIDTH = 340
"""Screen charts are drawn this many units wide with `SCREEN_LABEL` text: about their
size on a 360 px phone, and scaled up to the stylesheet's limit on wider screens."""
SCREEN_LABEL = 13.5
SCREEN_VALUE = 12


def _kg(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{value.quantize(INTENSITY_PLACES, rounding=ROUND_HALF_UP):,}"


def _count(value: Decimal | int) -> str:
    return f"{Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP):,}"


def _emissions_svg(periods: Sequence[PeriodProgress]) -> Markup:
    drawing = emissions_chart(
        [p.year for p in periods],
        gross=[p.gross_market_tco2e for p in periods],
        credits=[Decimal(p.credits_retired_tco2e) for p in periods],
        net=[p.net_tco2e for p in periods],
        labels=(_("Gross (market-based)"), _("Credits retired"), _("Net")),
        font=cjk_fonts().regular,
        chart_width=SCREEN_WIDTH,
        chart_height=230,
        label_size=SCREEN_LABEL,
        value_size=SCREEN_VALUE,
    )
    first, last = periods[0].year, periods[-1].year
    return inline_svg(
        drawing,
        title=_("Emissions, credits retired and net emissions by year, tCO2e"),
        description=_(
            "Columns for each year from %(first)s to %(last)s: gross emissions "
            "(market-based), forest-sink credits retired and net emissions. The table "
            "below gives the figures.",
            first=first,
            last=last,
        ),
    )


def _intensity_svg(
    periods: Sequence[PeriodProgress], values: Sequence[Decimal | None], label: str
) -> Markup:
    drawing = periods_chart(
        [str(p.year) for p in periods],
        (Series(label, tuple(values), GREEN),),
        cjk_fonts().regular,
        SCREEN_WIDTH,
        170,
        GREY,
        style="lines",
        label_size=SCREEN_LABEL,
        value_size=SCREEN_VALUE,
    )
    return inline_svg(
        drawing,
        title=label,
        description=_("A line through each year's figure. The table below gives the figures."),
    )


@dataclass(frozen=True)
class Figure:
    """How the page shows one of `PeriodProgress`'s figures: its label, its text, unit."""

    label: str
    text: Callable[[Any], str]
    unit: str = ""


T, KG = "tCO2e", "kgCO2e"
FIGURES = {
    "scenic_areas_certified": Figure(_l("Certified scenic areas"), str),
    "venues_certified": Figure(_l("Certified venues"), str),
    "products_labelled": Figure(_l("Products with a carbon label"), str),
    "inventories_verified": Figure(_l("Verified inventories"), str),
    "certificates_issued": Figure(_l("Certificates issued"), str),
    "labels_issued": Figure(_l("Labels issued"), str),
    "gross_location_tco2e": Figure(_l("Gross emissions, location-based"), tonnes, T),
    "gross_market_tco2e": Figure(_l("Gross emissions, market-based"), tonnes, T),
    "reductions_tco2e": Figure(_l("Reductions against each subject's first year"), tonnes, T),
    "credits_retired_tco2e": Figure(_l("Forest-sink credits retired"), _count, T),
    "net_tco2e": Figure(_l("Net emissions"), tonnes, T),
    "visitors": Figure(_l("Visitors"), _count),
    "room_nights": Figure(_l("Room-nights"), _count),
    "per_visitor_kgco2e": Figure(_l("Per visitor"), _kg, KG),
    "per_room_night_kgco2e": Figure(_l("Per room-night"), _kg, KG),
}
LATEST = (
    "scenic_areas_certified",
    "venues_certified",
    "products_labelled",
    "gross_market_tco2e",
    "gross_location_tco2e",
    "reductions_tco2e",
    "credits_retired_tco2e",
    "net_tco2e",
    "per_visitor_kgco2e",
    "per_room_night_kgco2e",
)
"""The newest year's key figures, in the order of the cards."""


@dataclass(frozen=True)
class Column:
    """A column of a table of the years: its header, each year's cell, alignment."""

    label: str
    cell: Callable[[PeriodProgress], str]
    numeric: bool = True


def _columns(*names: str) -> tuple[Column, ...]:
    return tuple(
        Column(str(FIGURES[name].label), lambda p, name=name: FIGURES[name].text(getattr(p, name)))
        for name in names
    )


@dataclass(frozen=True)
class Section:
    """A part of the dashboard: a heading, charts over the years, and their table."""

    id: str
    heading: str
    caption: str
    columns: tuple[Column, ...]
    charts: tuple[Markup, ...] = ()


def _reports(period: PeriodProgress) -> Markup:
    year = period.year
    return Markup(
        '<a href="/progress/{0}.pdf">{1}</a> · <a href="/progress/{0}.json">{2}</a>'
    ).format(year, _("%(year)s report (PDF)", year=year), _("signed data (JSON)"))


def _sections(periods: Sequence[PeriodProgress]) -> list[Section]:
    visitor = [p.per_visitor_kgco2e for p in periods]
    room_night = [p.per_room_night_kgco2e for p in periods]
    intensities = [
        _intensity_svg(periods, values, label)
        for values, label in (
            (visitor, _("kgCO2e per visitor")),
            (room_night, _("kgCO2e per room-night")),
        )
        if any(value is not None for value in values)
    ]
    return [
        Section(
            "emissions",
            _("Emissions and credits by year"),
            _("Emissions, reductions and credits by year, tCO2e"),
            _columns(
                "gross_location_tco2e",
                "gross_market_tco2e",
                "reductions_tco2e",
                "credits_retired_tco2e",
                "net_tco2e",
            ),
            (_emissions_svg(periods),),
        ),
        Section(
            "intensity",
            _("Intensity by year"),
            _("Market-based emissions per visitor and per room-night, kgCO2e"),
            _columns("visitors", "per_visitor_kgco2e", "room_nights", "per_room_night_kgco2e"),
            tuple(intensities),
        ),
        Section(
            "certified",
            _("Certified by year, and the annual reports"),
            _("Subjects certified and documents issued, by year"),
            (
                *_columns(
                    "scenic_areas_certified",
                    "venues_certified",
                    "products_labelled",
                    "inventories_verified",
                    "certificates_issued",
                    "labels_issued",
                ),
                Column(_("Annual report"), _reports, numeric=False),
            ),
        ),
    ]


def _latest(period: PeriodProgress) -> list[tuple[str, str, str, str]]:
    """The newest year's key figures: name, label, text and unit."""
    return [
        (
            name,
            str(FIGURES[name].label),
            FIGURES[name].text(getattr(period, name)),
            FIGURES[name].unit,
        )
        for name in LATEST
    ]


def _dashboard(today: date) -> str:
    periods = progress.periods(today=today)
    newest = periods[-1] if periods else None
    return render_template(
        "progress/dashboard.html",
        periods=periods,
        newest=newest,
        latest=_latest(newest) if newest else [],
        sections=_sections(periods) if periods else [],
    )


@pages.get("/progress")
def dashboard() -> Response:
    """The newest year's key figures, then charts and tables of every year, oldest first,
    with links to each year's annual report; an empty state while nothing counts. Made
    again only when the published data moved (`footprint.platform.page_cache`)."""
    today = date.today()
    return page_cache.page(data_version.version(today=today), lambda: _dashboard(today))


def _urls(year: int) -> tuple[str, str]:
    base = str(current_app.config["PUBLIC_BASE_URL"]).rstrip("/")
    return f"{base}/progress/{year}.json", f"{base}/api/v1/keys"


@pages.get("/progress/<int:year>.json")
def report_json(year: int) -> Response:
    """The year's report as the district signed it: ``content``, and ``signature`` (its
    detached Ed25519 signature over the RFC 8785 canonical JSON of ``content``, with
    ``sha256`` of those bytes and the ``kid`` of a key at `/api/v1/keys`)."""
    response = jsonify(progress.signed_report(year, today=date.today()))
    response.headers["Cache-Control"] = "no-cache"
    return response


@pages.get("/progress/<int:year>.pdf")
def report_pdf(year: int) -> Response:
    """The year's annual report, bilingual, with the hash and signature of its content."""
    signed: dict[str, Any] = progress.signed_report(year, today=date.today())
    json_url, keys_url = _urls(year)
    body = render_progress_report(signed, json_url=json_url, keys_url=keys_url)
    return pdf_response(body, f"progress-{year}.pdf", live=True)
