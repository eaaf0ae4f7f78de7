"""Entering an inventory in the workspace: by a form of lines, or by a CSV file checked
row by row and previewed before it is saved; either way the API's body, schema and
service, so the figures are the API's."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import func, select

from footprint.models import Inventory
from footprint.platform.db import db
from tests.footprint.web.test_editions_api import publish_second_edition
from tests.people import BROWSER, csrf, post

PERIOD = {
    "period_start": "2024-01-01",
    "period_end": "2024-12-31",
    "room_nights": "20000",
    "scope3_1": "1",
}
CSV = (
    "kind,key,quantity,unit\n"
    "grid_electricity,,800,MWh\n"
    "fuel,diesel,2000,L\n"
    "water,water_supply,41000,m3\n"
)
SAME_BODY = {
    "period_start": "2024-01-01",
    "period_end": "2024-12-31",
    "metrics": {"room_nights": 20000},
    "scope3_categories": [1],
    "lines": [
        {"kind": "grid_electricity", "quantity": 800, "unit": "MWh"},
        {"kind": "fuel", "key": "diesel", "quantity": 2000, "unit": "L"},
        {"kind": "water", "key": "water_supply", "quantity": 41000, "unit": "m3"},
    ],
}


@pytest.fixture
def venue_id(client, sign_in) -> int:
    sign_in(organisation="Tianzi Hotel")
    created = post(client, "/workspace/venues/new", {"name": "Tianzi Lodge", "kind": "hotel"})
    return int(created.location.rsplit("/", 1)[1])


def inventories(app, venue_id: int) -> int:
    with app.app_context():
        count = select(func.count(Inventory.id)).where(Inventory.venue_id == venue_id)
        return db.session.scalar(count)


def upload(client, venue_id: int, text: str, lang: str = "en", **fields: str):
    token = csrf(client.get(f"/workspace/venues/{venue_id}/inventories/new"))
    data = {
        "csrf_token": token,
        **PERIOD,
        **fields,
        "file": (io.BytesIO(text.encode()), "lines.csv"),
    }
    return client.post(
        f"/workspace/venues/{venue_id}/inventories/upload?lang={lang}",
        data=data,
        content_type="multipart/form-data",
        headers=BROWSER,
    )


def api_totals(client, auth, body) -> dict:
    scratch = auth("operator", "Scratch Hotel")
    venue = client.post(
        "/api/v1/venues", json={"name": "Scratch", "kind": "hotel"}, headers=scratch
    ).json
    return client.post(f"/api/v1/venues/{venue['id']}/inventories", json=body, headers=scratch).json


def test_an_inventory_entered_by_form_is_saved_with_the_apis_figures(client, venue_id, auth):
    lines = {
        "k0": "grid_electricity",
        "q0": "800",
        "u0": "MWh",
        "k1": "fuel",
        "y1": "diesel",
        "q1": "2000",
        "u1": "L",
        "k2": "water",
        "y2": "water_supply",
        "q2": "41000",
    }
    saved = post(client, f"/workspace/venues/{venue_id}/inventories/new", {**PERIOD, **lines})
    assert saved.status_code == 303, re.findall(r'field-error"[^>]*>([^<]*)', saved.text)
    page = client.get(saved.location + "?lang=en").text
    expected = api_totals(client, auth, SAME_BODY)
    market = expected["scopes"]["total_market_based"]
    assert f"{market:,.3f}".rstrip("0").rstrip(".") in page


def test_a_bad_row_in_the_form_is_named_and_nothing_is_saved(app, client, venue_id):
    lines = {"k0": "grid_electricity", "q0": "800", "k1": "fuel", "y1": "diesel", "q1": "lots"}
    refused = post(client, f"/workspace/venues/{venue_id}/inventories/new", {**PERIOD, **lines})
    assert refused.status_code == 422
    assert 'id="q1-error">Enter a number.<' in refused.text
    assert 'value="lots"' in refused.text and 'value="800"' in refused.text
    assert inventories(app, venue_id) == 0


def test_adding_a_line_keeps_what_was_typed(client, venue_id):
    more = post(
        client,
        f"/workspace/venues/{venue_id}/inventories/new",
        {**PERIOD, "rows": "1", "k0": "fuel", "y0": "diesel", "q0": "12", "add": "1"},
    )
    assert more.status_code == 200 and 'id="k1"' in more.text and 'value="diesel"' in more.text


def test_the_csv_template_has_the_columns_the_upload_reads(client, venue_id):
    template = client.get("/workspace/inventories/template.csv")
    assert template.mimetype == "text/csv"
    assert template.text.splitlines()[0] == "kind,key,quantity,unit"


def test_an_uploaded_csv_is_previewed_then_saved_as_previewed(app, client, venue_id, auth):
    preview = upload(client, venue_id, CSV)
    assert preview.status_code == 200 and "Every row is good" in preview.text
    assert inventories(app, venue_id) == 0
    expected = api_totals(client, auth, SAME_BODY)
    market = expected["scopes"]["total_market_based"]
    shown = f"{market:,.3f}".rstrip("0").rstrip(".")
    assert shown in preview.text
    text = re.search(r'name="csv_text" value="([^"]*)"', preview.text).group(1)
    assert text.replace("&#10;", "\n").startswith("kind,key")
    token = csrf(preview)
    saved = client.post(
        f"/workspace/venues/{venue_id}/inventories/upload",
        data={"csrf_token": token, "save": "1", "csv_text": CSV, **PERIOD},
    )
    assert saved.status_code == 303 and inventories(app, venue_id) == 1
    assert shown in client.get(saved.location + "?lang=en").text


def test_each_bad_row_of_a_csv_is_named_by_row_and_column_and_nothing_is_saved(
    app, client, venue_id
):
    bad = CSV + "fuel,unobtainium,5,kg\nrefrigerant,R410A,-3,kg\ngrid_electricity,,ten,MWh\n"
    refused = upload(client, venue_id, bad)
    assert refused.status_code == 422 and inventories(app, venue_id) == 0
    assert "Row 6, column quantity" in refused.text and "Row 7, column quantity" in refused.text
    chinese = upload(client, venue_id, bad, lang="zh")
    assert "第 7 行，quantity 列" in chinese.text and "请输入数字。" in chinese.text


def test_a_csv_without_the_header_or_a_file_is_refused_plainly(client, venue_id):
    assert "header row" in upload(client, venue_id, "800,MWh\n").text
    token = csrf(client.get(f"/workspace/venues/{venue_id}/inventories/new"))
    empty = client.post(
        f"/workspace/venues/{venue_id}/inventories/upload?lang=en",
        data={"csrf_token": token, **PERIOD},
        headers=BROWSER,
    )
    assert empty.status_code == 422 and "Choose a CSV file" in empty.text


def test_the_result_shows_the_gases_of_each_line_that_states_them(app, client, venue_id):
    publish_second_edition(app)
    form = client.get(f"/workspace/venues/{venue_id}/inventories/new?lang=en").text
    assert "own vehicles (kg)" in form, re.findall(r"<option[^>]*>[^<]*", form)
    lines = {"k0": "vehicle_fuel", "y0": "diesel", "q0": "1000", "u0": "kg"}
    saved = post(client, f"/workspace/venues/{venue_id}/inventories/new", {**PERIOD, **lines})
    assert saved.status_code == 303, re.findall(r'field-error"[^>]*>([^<]*)', saved.text)
    page = client.get(saved.location + "?lang=en").text
    gases = page[page.index('id="gases"') :]
    gases = gases[: gases.index("</table>")]
    # 1000 kg × 42.652 / 10⁶ TJ/kg × 3.9 kg/TJ = 0.166 kg each of CH4 and N2O
    assert "Diesel burnt in road vehicles" in gases
    assert "3,095.9" in gases and gases.count("0.166") == 4  # the line and the total
    assert "各行的温室气体" in client.get(saved.location + "?lang=zh").text


def test_a_travel_lines_well_to_tank_part_is_shown_and_cited(app, client, venue_id):
    publish_second_edition(app)
    lines = {"k0": "employee_commuting", "y0": "coach", "q0": "10000", "u0": "km"}
    scope3 = {"scope3_7": "1"}
    saved = post(
        client, f"/workspace/venues/{venue_id}/inventories/new", {**PERIOD, **scope3, **lines}
    )
    assert saved.status_code == 303, re.findall(r'field-error"[^>]*>([^<]*)', saved.text)
    page = client.get(saved.location + "?lang=en").text
    # 10 000 passenger-km × 0.00656 (DESNZ 2025 WTT, coach) = 65.6 kg of 343.2
    assert "+ well-to-tank 0.00656 kgCO2e/passenger-km: 65.6 kg of the line" in page
    assert "343.2" in page and "Transport is counted well-to-wheel" in page
    assert "conversion factors 2025" in page  # its source, numbered with the others
