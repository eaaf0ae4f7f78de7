"""Entering an inventory's activity data in the workspace: a form by line kind, or a CSV
file (with a template to download) checked row by row and previewed before it is saved.

Both ways make the very body ``POST /api/v1/venues/{id}/inventories`` takes, loaded by
its schema (`footprint.web.venues.InventoryInSchema`) and priced by the same service:
`inventories.preview` shows the result with nothing saved, `inventories.create` saves
it. Nothing is saved unless every row is good; each error names its row and column (a
CSV's rows are counted as a spreadsheet counts them, the header being row 1).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from typing import Any

from flask import Response, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from footprint.accounts.models import User
from footprint.accounts.sessions import role_required
from footprint.core.inventory import KINDS, METRICS, SCOPE3_CATEGORIES
from footprint.platform import forms
from footprint.services import datasets, inventories, venues
from footprint.web.venues import InventoryInSchema
from footprint.web.workspace import METRICS as METRIC_LABELS
from footprint.web.workspace import OPERATORS, SCOPES, pages

LINE_KINDS = {
    "grid_electricity": _l("Grid electricity"),
    "onsite_pv": _l("On-site solar power"),
    "green_certificates": _l("Green electricity certificates"),
    "purchased_heat": _l("Purchased heat"),
    "fuel": _l("Fuel (boilers, kitchens, generators)"),
    "vehicle_fuel": _l("Fuel of the venue's own vehicles"),
    "refrigerant": _l("Refrigerant"),
    "waste": _l("Waste"),
    "water": _l("Water"),
    "business_travel": _l("Business travel"),
    "employee_commuting": _l("Employee commuting"),
}
SCOPE3 = {
    1: _l("Purchased goods and services (water supply)"),
    5: _l("Waste generated in operations"),
    6: _l("Business travel"),
    7: _l("Employee commuting"),
}
"""The Scope 3 categories an inventory can report (`footprint.core.inventory`'s), in the
page's language: a line of one is refused unless its category is in the boundary."""
COLUMNS = ("kind", "key", "quantity", "unit")
"""The CSV's columns, and each form row's fields."""
ROW_FIELDS = {"kind": "k", "key": "y", "quantity": "q", "unit": "u"}
PERIOD_FIELDS = ("period_start", "period_end")
FIELD_LABELS = {
    "period_start": _l("First day"),
    "period_end": _l("Last day"),
    "csv": _l("The file"),
    **METRIC_LABELS,
}
DEFAULT_ROWS = 5
MAX_ROWS = 500
MAX_UPLOAD = 2_000_000
"""Bytes of CSV accepted: 500 lines fit many times over."""
TEMPLATE = (
    "kind,key,quantity,unit\n"
    "grid_electricity,,820,MWh\n"
    "onsite_pv,,45000,kWh\n"
    "fuel,diesel,3200,L\n"
    "refrigerant,R410A,12,kg\n"
    "waste,landfill,96,t\n"
    "water,water_supply,41000,m3\n"
)
_LINE_PATH = re.compile(r"lines\[(\d+)\](?:\.(\w+))?")


@dataclass
class Entry:
    """An inventory as entered: the fields as typed, the body built from them, and where
    in the form or the file each body line came from."""

    typed: dict[str, str]
    body: dict[str, Any]
    rows: list[int] = field(default_factory=list)
    """Per body line: its form row, or its CSV row number."""
    errors: dict[str, str] = field(default_factory=dict)


def _common(form: Any) -> tuple[dict[str, str], dict[str, Any]]:
    """The period, the metrics and the Scope 3 categories in the boundary, as typed and as
    the body carries them."""
    boundary = [f"scope3_{n}" for n in SCOPE3_CATEGORIES]
    typed = forms.values(form, (*PERIOD_FIELDS, *METRICS, *boundary))
    body: dict[str, Any] = {name: typed[name] for name in PERIOD_FIELDS if name in typed}
    body["metrics"] = {name: forms.number(typed[name]) for name in METRICS if name in typed}
    body["scope3_categories"] = [n for n in SCOPE3_CATEGORIES if f"scope3_{n}" in typed]
    return typed, body


def _line(kind: str, key: str, quantity: str, unit: str) -> dict[str, Any]:
    """A body line; a blank unit is the kind's own (the one its factor is per)."""
    line: dict[str, Any] = {"kind": kind}
    if key:
        line["key"] = key
    if quantity:
        line["quantity"] = forms.number(quantity)
    known = KINDS.get(kind)
    if unit or known:
        line["unit"] = unit or known.unit  # type: ignore[union-attr]
    return line


def from_form(form: Any) -> Entry:
    """The form's filled rows (blank rows are left out)."""
    typed, body = _common(form)
    rows, lines = [], []
    count = _row_count(form)
    for i in range(count):
        values = {name: form.get(f"{prefix}{i}", "").strip() for name, prefix in ROW_FIELDS.items()}
        typed.update({f"{ROW_FIELDS[name]}{i}": value for name, value in values.items() if value})
        if any(values.values()):
            lines.append(_line(**values))
            rows.append(i)
    body["lines"] = lines
    return Entry(typed, body, rows)


def from_csv(form: Any, text: str) -> Entry:
    """The file's rows, by its header's column names; a missing column is an error."""
    typed, body = _common(form)
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in ("kind", "quantity") if name not in header]
    if missing:
        entry = Entry(typed, body)
        entry.errors["csv"] = _(
            "The file needs a header row with the columns %(columns)s.", columns=", ".join(COLUMNS)
        )
        return entry
    reader.fieldnames = header
    rows, lines = [], []
    for number, row in enumerate(reader, start=2):
        values = {name: (row.get(name) or "").strip() for name in COLUMNS}
        if any(values.values()):
            lines.append(_line(**values))
            rows.append(number)
    body["lines"] = lines
    return Entry(typed, body, rows)


def _row_count(form: Any) -> int:
    asked = form.get("rows", "")
    count = int(asked) if asked.isdigit() else DEFAULT_ROWS
    if form.get("add"):
        count += 1
    return max(1, min(count, MAX_ROWS))


def _field_of(path: str, entry: Entry, *, upload: bool) -> str:
    """The form field, or for a file the "row N, column" key, that a body path names."""
    found = _LINE_PATH.fullmatch(path)
    if found and int(found[1]) < len(entry.rows):
        row, column = entry.rows[int(found[1])], found[2] or "kind"
        return f"row {row} {column}" if upload else f"{ROW_FIELDS.get(column, 'k')}{row}"
    if path.startswith("metrics."):
        return path.removeprefix("metrics.")
    return "csv" if upload and path == "lines" else path


def check(user: User, venue_id: int, entry: Entry, *, upload: bool, save: bool) -> Any:
    """The entry checked (and, with ``save``, saved): the new inventory or the previewed
    result; errors, keyed by form field or file row, are left on ``entry``."""
    if entry.errors:
        return None

    def act(data: dict[str, Any]) -> Any:
        if save:
            return inventories.create(user, venue_id=venue_id, data=data)
        return inventories.preview(user, venue_id=venue_id, data=data)

    result, errors = forms.submit(InventoryInSchema(), entry.body, act)
    entry.errors = {_field_of(path, entry, upload=upload): text for path, text in errors.items()}
    return result


def _keys() -> list[str]:
    """Keys the dataset prices lines by (fuels, refrigerants, waste routes …), for the
    key field's suggestions."""
    groups = {kind.group for kind in KINDS.values() if kind.group}
    dataset = datasets.published(None)
    return sorted({f.key for f in dataset.factors.values() if f.group in groups})


def _form_page(
    venue: Any, entry: Entry, *, status: int = 200, result: Any = None
) -> ResponseReturnValue:
    return (
        render_template(
            "workspace/activity_form.html",
            venue=venue,
            entry=entry,
            rows=max(_row_count(request.form or request.args), max(entry.rows, default=-1) + 1),
            kinds=LINE_KINDS,
            units={name: kind.unit for name, kind in KINDS.items()},
            keys=_keys(),
            metric_labels=METRIC_LABELS,
            metrics=METRICS,
            scope3=SCOPE3,
            result=result,
            scopes=SCOPES,
        ),
        status,
    )


@pages.get("/venues/<int:venue_id>/inventories/new")
@role_required(*OPERATORS)
def new_inventory(user: User, venue_id: int) -> ResponseReturnValue:
    return _form_page(venues.get(user, venue_id=venue_id), Entry({}, {}))


@pages.post("/venues/<int:venue_id>/inventories/new")
@role_required(*OPERATORS)
def create_inventory(user: User, venue_id: int) -> ResponseReturnValue:
    """Save the form's lines; ``add`` shows one more row instead, keeping what was typed."""
    venue = venues.get(user, venue_id=venue_id)
    entry = from_form(request.form)
    if request.form.get("add"):
        return _form_page(venue, entry)
    saved = check(user, venue_id, entry, upload=False, save=True)
    if entry.errors:
        return _form_page(venue, entry, status=422)
    return redirect(url_for("workspace.inventory", inventory_id=saved.id), 303)


@pages.get("/inventories/template.csv")
@role_required(*OPERATORS)
def csv_template(user: User) -> Response:
    return Response(
        TEMPLATE,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="inventory-lines.csv"'},
    )


@pages.post("/venues/<int:venue_id>/inventories/upload")
@role_required(*OPERATORS)
def upload_inventory(user: User, venue_id: int) -> ResponseReturnValue:
    """A CSV file checked row by row and previewed; or, once previewed (the file's text
    comes back in a hidden field), saved."""
    venue = venues.get(user, venue_id=venue_id)
    text = request.form.get("csv_text")
    if text is None:
        upload = request.files.get("file")
        raw = upload.read(MAX_UPLOAD + 1) if upload else b""
        text = _decoded(raw)
    entry = Entry({}, {}) if text is None else from_csv(request.form, text)
    if text is None:
        entry.errors["csv"] = _("Choose a CSV file (UTF-8, at most 2 MB).")
    save = request.form.get("save") == "1"
    result = check(user, venue_id, entry, upload=True, save=save)
    if entry.errors:
        return _upload_page(venue, entry, text or "", status=422)
    if save:
        return redirect(url_for("workspace.inventory", inventory_id=result.id), 303)
    return _upload_page(venue, entry, text or "", result=result)


def _decoded(raw: bytes) -> str | None:
    if not raw or len(raw) > MAX_UPLOAD:
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _upload_page(
    venue: Any, entry: Entry, text: str, *, status: int = 200, result: Any = None
) -> ResponseReturnValue:
    return (
        render_template(
            "workspace/activity_upload.html",
            venue=venue,
            entry=entry,
            text=text,
            result=result,
            kinds=LINE_KINDS,
            metric_labels=METRIC_LABELS,
            scopes=SCOPES,
            row_errors=_row_errors(entry.errors),
        ),
        status,
    )


def _row_errors(errors: dict[str, str]) -> list[tuple[str, str]]:
    """A file's errors as (where, message), where in the page's language, in row order."""
    found = []
    for key, text in errors.items():
        match = re.fullmatch(r"row (\d+) (\w+)", key)
        if match:
            where = _("Row %(row)s, column %(column)s", row=match[1], column=match[2])
            found.append(((0, int(match[1])), where, text))
        else:
            found.append(((-1 if key == "csv" else 1, 0), str(FIELD_LABELS.get(key, key)), text))
    return [(where, text) for _order, where, text in sorted(found, key=lambda item: item[0])]
