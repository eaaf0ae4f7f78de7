"""The public pages of footprints: the home page, and the trip calculator at
``/calculator`` — the API's trip footprint as a form for people.

A plain GET form, so it works without JavaScript and the address of a result reproduces
it. Its fields are read into the very body ``POST /api/v1/footprints/trips`` takes,
loaded by the same schema, priced by the same service and rounded by the same
`present`: the page and the API always give the same numbers. Where scripts run,
``calculator.js`` fills in a picked origin's mode and distance and refreshes the result
as you type, by fetching ``/calculator/result`` (the result part of this page): no
figure is ever computed in the browser.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import marshmallow as ma
from flask import Blueprint, Response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from reportlab.lib.colors import HexColor
from werkzeug.datastructures import MultiDict

from footprint.core import quantities as q
from footprint.core.trips import PASSENGER_MODES, VEHICLE_MODES, Trip
from footprint.platform import forms, page_cache
from footprint.platform.charts import inline_svg
from footprint.platform.db import db
from footprint.platform.i18n import language
from footprint.platform.pdf import fonts
from footprint.platform.pdf.chart import Bar, bar_chart
from footprint.platform.pdf.drawing import GREY
from footprint.platform.problems import Problem, flatten_errors
from footprint.services import datasets, trips
from footprint.web.trips import TripSchema, present

pages = Blueprint("public_pages", __name__)

SECTIONS = ("transport", "lodging", "attractions")
DEFAULT_ROWS = {"transport": 2, "lodging": 1, "attractions": 1}
MAX_ROWS = 12
ROW_COUNTS = {"transport": "legs", "lodging": "stays", "attractions": "visits"}
"""Per section, the query parameter that says how many rows the form shows."""
MODES = {
    "flight": _l("Flight"),
    "high_speed_rail": _l("High-speed rail"),
    "rail": _l("Conventional rail"),
    "coach": _l("Long-distance coach"),
    "bus": _l("Bus"),
    "shuttle_bus": _l("Scenic-area shuttle bus"),
    "boat": _l("Boat or ferry"),
    "car_petrol": _l("Car, petrol"),
    "car_diesel": _l("Car, diesel"),
    "car_hybrid": _l("Car, hybrid"),
    "car_electric": _l("Car, electric"),
    "taxi": _l("Taxi"),
}
COLOURS = {
    "transport": HexColor("#1d6b3a"),
    "lodging": HexColor("#8a5700"),
    "attractions": HexColor("#2f5f8a"),
}
CHART_WIDTH = 340
CATEGORIES = {
    "transport": _l("Transport"),
    "lodging": _l("Lodging"),
    "attractions": _l("Attractions"),
}
MESSAGES = {
    "t": _l("Travellers: a whole number from 1 to %(max)s.", max=q.MAX_TRAVELLERS),
    "m": _l("Choose how you travel, or a common origin."),
    "d": _l(
        "Distance in km: more than 0, at most %(max)s; or leave it empty and give where the "
        "leg starts and ends.",
        max=format(q.MAX_DISTANCE_KM, ","),
    ),
    "f": _l(
        "From: a place of the list — an airport for a flight, a station for a train, any "
        "place by road."
    ),
    "g": _l("To: a place of the list, of the same kind as From for a flight or a train."),
    "p": _l("People in the vehicle: a whole number from 1 to %(max)s.", max=q.MAX_OCCUPANTS),
    "s": _l("Choose a kind of lodging or a certified hotel."),
    "n": _l("Nights: a whole number from 1 to %(max)s.", max=q.MAX_NIGHTS),
    "k": _l("Rooms: a whole number from 1 to %(max)s.", max=q.MAX_ROOMS),
    "a": _l("Choose a kind of attraction or a certified venue."),
    "c": _l("Rides or visits: a whole number from 1 to %(max)s.", max=q.MAX_RIDES),
}
"""What each field must be, in the page's language: shown beside the field at fault."""
BODY_FIELDS = {
    "travellers": "t",
    "mode": "m",
    "distance_km": "d",
    "from": "f",
    "to": "g",
    "occupants": "p",
    "round_trip": "r",
    "nights": "n",
    "rooms": "k",
    "type": None,
    "venue_id": None,
    "rides": "c",
    "visits": "c",
}
"""A body field of the API and the form field it comes from (None: the row's choice)."""
MAX_PLACES = 1000
"""More than the places data holds: the form's list offers every one."""
ROW_FIELD = re.compile(r"[mdfgosnac][0-9]{1,2}")


@dataclass
class Form:
    """What the visitor typed, row by row, and the errors found, by parameter name."""

    values: MultiDict[str, str]
    rows: dict[str, int]
    errors: dict[str, str] = field(default_factory=dict)

    def value(self, name: str) -> str:
        return self.values.get(name, "").strip()

    def filled(self) -> bool:
        """Whether any row has something in it (an empty form asks, it does not answer)."""
        return any(ROW_FIELD.fullmatch(name) and self.value(name) for name in self.values)


def _rows(values: MultiDict[str, str]) -> dict[str, int]:
    rows = {}
    for section, parameter in ROW_COUNTS.items():
        try:
            count = int(values.get(parameter, DEFAULT_ROWS[section]))
        except ValueError:
            count = DEFAULT_ROWS[section]
        if values.get("add") == parameter:
            count += 1
        rows[section] = max(1, min(count, MAX_ROWS))
    return rows


def _choice(text: str) -> dict[str, Any]:
    kind, _, key = text.partition(":")
    if kind == "venue" and key.isdigit():
        return {"venue_id": int(key)}
    return {"type": key or text}


def _body(form: Form) -> tuple[dict[str, Any], dict[tuple[str, int], int]]:
    """The API body of the form's filled rows, and each body row's form row."""
    body: dict[str, Any] = {section: [] for section in SECTIONS}
    if form.value("t"):
        body["travellers"] = forms.number(form.value("t"))
    rows: dict[tuple[str, int], int] = {}
    picker = trips.origins()
    for i in range(form.rows["transport"]):
        mode, distance = form.value(f"m{i}"), form.value(f"d{i}")
        origin = picker.leg(form.value(f"o{i}"))
        if origin is not None and not distance:
            mode, distance = mode or origin.mode, str(origin.distance_km)
            form.values[f"m{i}"], form.values[f"d{i}"] = mode, distance  # shown as used
        ends = {"from": form.value(f"f{i}"), "to": form.value(f"g{i}")}
        if not (mode or distance or any(ends.values())):
            continue
        leg: dict[str, Any] = {"mode": mode}
        if distance:
            leg["distance_km"] = forms.number(distance)
        leg.update({end: code for end, code in ends.items() if code})
        if form.value(f"r{i}"):
            leg["round_trip"] = True
        if form.value(f"p{i}"):
            leg["occupants"] = forms.number(form.value(f"p{i}"))
        rows[("transport", len(body["transport"]))] = i
        body["transport"].append(leg)
    for section, choice in (("lodging", "s"), ("attractions", "a")):
        for i in range(form.rows[section]):
            picked = form.value(f"{choice}{i}")
            if not picked:
                continue
            line = _choice(picked)
            if section == "lodging":
                line["nights"] = forms.number(form.value(f"n{i}") or "1")
                if form.value(f"k{i}"):
                    line["rooms"] = forms.number(form.value(f"k{i}"))
            else:
                line["visits" if "venue_id" in line else "rides"] = forms.number(
                    form.value(f"c{i}") or "1"
                )
            rows[(section, len(body[section]))] = i
            body[section].append(line)
    return body, rows


def _parameter(path: str, rows: Mapping[tuple[str, int], int]) -> str:
    """The form parameter of an API field path such as ``transport[0].distance_km``."""
    head, _, name = path.partition(".")
    section, _, index = head.partition("[")
    if not index:
        return "t"
    choice = {"lodging": "s", "attractions": "a"}.get(section, "m")
    prefix = BODY_FIELDS.get(name) or choice
    return f"{prefix}{rows.get((section, int(index.rstrip(']'))), 0)}"


def _errors(paths: Mapping[str, Any], rows: Mapping[tuple[str, int], int]) -> dict[str, str]:
    errors = {}
    for path in paths:
        parameter = _parameter(path, rows)
        errors[parameter] = str(MESSAGES.get(parameter[:1], MESSAGES["m"]))
    return errors


def calculate(values: MultiDict[str, str]) -> tuple[Form, dict[str, Any] | None]:
    """The form as typed and, when it is filled and valid, the result as the API gives it."""
    form = Form(MultiDict(values), _rows(values))
    if not form.filled():
        return form, None
    body, rows = _body(form)
    try:
        loaded = TripSchema().load(body)
    except ma.ValidationError as error:
        form.errors = _errors(flatten_errors(error.messages), rows)
        return form, None
    dataset = loaded.pop("dataset", None)
    try:
        return form, present(trips.price(Trip(**loaded), dataset_code=dataset))
    except Problem as problem:
        form.errors = _errors(problem.errors or {"body": []}, rows)
        return form, None


def _choices() -> dict[str, Any]:
    """What the form offers, in the page's language: modes, common origins, lodging and
    attraction kinds (the dataset's own labels) and the venues with verified figures."""
    dataset = datasets.published(None)
    lang = language()
    kinds: dict[str, list[tuple[str, str]]] = {"lodging": [], "attraction": []}
    for factor in dataset.factors.values():
        if factor.group in kinds:
            kinds[factor.group].append(
                (f"type:{factor.key}", factor.label_zh if lang == "zh" else factor.label_en)
            )
    venues: dict[str, list[tuple[str, str]]] = {"lodging": [], "attractions": []}
    for choice in trips.venue_choices():
        venues[choice.section].append((f"venue:{choice.venue_id}", choice.name))
    return {
        "modes": [(key, str(label)) for key, label in MODES.items()],
        "origins": [
            (
                leg.id,
                leg.mode,
                leg.distance_km,
                f"{leg.origin.name(lang)} → {leg.destination.name(lang)} · {MODES[leg.mode]}"
                f" · {leg.distance_km} km",
            )
            for leg in trips.origins().legs
        ],
        "places": [
            (place.code, f"{place.name(lang)} ({place.code})")
            for place in sorted(
                trips.places(per_page=MAX_PLACES)[0], key=lambda place: (place.kind, place.code)
            )
        ],
        "vehicle_modes": VEHICLE_MODES,
        "passenger_modes": PASSENGER_MODES,
        "lodging_kinds": kinds["lodging"],
        "attraction_kinds": kinds["attraction"],
        "venues": venues,
        "dataset": dataset,
    }


def _options(version: Hashable) -> dict[str, Any]:
    """`_choices`, made once per language and data version, and shared by every address."""
    key = ("calculator choices", str(db.engine.url), language(), version)
    return page_cache.kept(key, _choices)


def _labels(result: dict[str, Any]) -> dict[str, str]:
    """Each line's item in the page's language: its factor's label, or the venue's name."""
    factors = datasets.published(result["dataset"]).factors
    zh = language() == "zh"
    labels = {}
    for line in result["lines"]:
        factor = factors.get(line["factor_id"])
        labels[line["factor_id"]] = (
            (factor.label_zh if zh else factor.label_en) if factor else line["item"]
        )
    return labels


def _charts(result: dict[str, Any], labels: Mapping[str, str]) -> list[Markup]:
    """The result by category and by line, drawn by the PDFs' chart code as inline SVG
    (their figures are in the tables beside them)."""
    font = fonts.cjk_fonts().regular

    def chart(bars: list[Bar], title: str) -> Markup:
        drawing = bar_chart(
            bars, font, CHART_WIDTH, 16, GREY, label_size=13, value_size=12, labels_above=True
        )
        figures = "; ".join(f"{bar.label} {bar.value} kgCO2e" for bar in bars)
        return inline_svg(drawing, title=title, description=figures)

    categories = [
        Bar(str(CATEGORIES[name]), Decimal(str(kg)), COLOURS[name])
        for name, kg in result["by_category"].items()
    ]
    lines = [
        Bar(labels[line["factor_id"]], Decimal(str(line["kgco2e"])), COLOURS[line["category"]])
        for line in result["lines"]
    ]
    return [chart(categories, _("By category")), chart(lines, _("By line"))]


def _page(template: str, version: Hashable) -> str:
    form, result = calculate(request.args)
    labels = _labels(result) if result else {}
    return render_template(
        template,
        form=form,
        result=result,
        labels=labels,
        categories=CATEGORIES,
        share_url=f"/calculator?{request.query_string.decode()}" if result else None,
        charts=_charts(result, labels) if result else [],
        **_options(version),
    )


@pages.get("/")
def home() -> str:
    """The home page: what the programme is, and the way to each public page."""
    return render_template("public/home.html")


def _served(template: str) -> Response:
    """The page from the page cache while the calculator's data stands, else rendered."""
    version = trips.choices_version()
    return page_cache.page(version, lambda: _page(template, version))


@pages.get("/calculator")
def calculator() -> Response:
    return _served("public/calculator.html")


@pages.get("/calculator/result")
def result() -> Response:
    """The result part of the page alone, for ``calculator.js``."""
    return _served("public/calculator_result.html")
