"""The operators' workspace: their venues registered and edited in pages (the API's
schemas, services and access rules, errors in the page's language, what was typed kept),
and each venue's inventories read as a report."""

from __future__ import annotations

from tests.people import BROWSER, csrf, post

INVENTORY = {
    "period_start": "2024-01-01",
    "period_end": "2024-12-31",
    "metrics": {"room_nights": 20000, "visitors": 30000},
    "lines": [
        {"kind": "grid_electricity", "quantity": 800, "unit": "MWh"},
        {"kind": "fuel", "key": "diesel", "quantity": 2000, "unit": "L"},
    ],
}


def test_an_operator_registers_a_venue_and_sees_it_in_the_workspace(client, sign_in):
    sign_in()
    created = post(client, "/workspace/venues/new", {"name": "Tianzi Lodge", "kind": "hotel"})
    assert created.status_code == 303
    venue = client.get(created.location + "?lang=en").text
    assert "<h1>Tianzi Lodge</h1>" in venue and "Hotel" in venue
    home = client.get("/workspace?lang=en").text
    assert "Tianzi Lodge" in home and "Venues (1)" in home


def test_bad_fields_are_named_in_the_pages_language_and_what_was_typed_is_kept(client, sign_in):
    sign_in()
    english = post(
        client, "/workspace/venues/new", {"name": " ", "kind": "castle", "region": "Wulingyuan"}
    )
    assert english.status_code == 422
    assert 'id="name-error">This field is required.<' in english.text
    assert 'id="kind-error">Choose one of the options.<' in english.text
    assert 'value="Wulingyuan"' in english.text and 'aria-invalid="true"' in english.text
    chinese = post(client, "/workspace/venues/new", {"name": "x" * 201, "kind": "hotel"}, "zh")
    assert chinese.status_code == 422 and "最多 200 个字符" in chinese.text
    assert '<option value="hotel" selected>' in chinese.text


def test_an_operator_edits_their_venue_and_the_change_is_kept(client, sign_in):
    sign_in()
    created = post(client, "/workspace/venues/new", {"name": "Tianzi Lodge", "kind": "hotel"})
    edit = created.location + "/edit"
    form = client.get(edit + "?lang=en").text
    assert 'value="Tianzi Lodge"' in form
    saved = post(client, edit, {"name": "Tianzi Mountain Lodge", "kind": "hotel", "address": ""})
    assert saved.status_code == 303
    assert "<h1>Tianzi Mountain Lodge</h1>" in client.get(saved.location).text
    refused = post(client, edit, {"name": "", "kind": "hotel"})
    assert refused.status_code == 422 and "This field is required." in refused.text


def test_the_account_page_leads_operators_to_their_workspace(client, sign_in):
    sign_in()
    assert 'href="/workspace"' in client.get("/account?lang=en").text


def test_anyone_signed_out_is_sent_to_sign_in_and_back(client):
    response = client.get("/workspace/venues/new", headers=BROWSER)
    assert response.status_code == 302
    assert response.location == "/login?next=/workspace/venues/new"


def test_a_verifier_gets_the_403_page(client, sign_in):
    sign_in("verifier", "Hunan Carbon Verification Centre")
    response = client.get("/workspace?lang=en", headers=BROWSER)
    assert response.status_code == 403 and response.mimetype == "text/html"


def test_another_organisations_venue_is_refused_as_the_api_refuses_it(client, sign_in, auth):
    other = auth("operator", "Tianmen Cableway Co.")
    venue = client.post(
        "/api/v1/venues", json={"name": "Tianmen Cableway", "kind": "cable_car"}, headers=other
    ).json
    sign_in()
    for path in (f"/workspace/venues/{venue['id']}", f"/workspace/venues/{venue['id']}/edit"):
        assert client.get(path, headers=BROWSER).status_code == 403
    changed = post(client, "/workspace/venues/new", {"name": "x", "kind": "hotel"})
    assert changed.status_code == 303
    refused = client.post(
        f"/workspace/venues/{venue['id']}/edit",
        data={
            "csrf_token": csrf(client.get("/workspace/venues/new")),
            "name": "Mine",
            "kind": "hotel",
        },
        headers=BROWSER,
    )
    assert refused.status_code == 403
    assert "Tianmen Cableway" not in client.get("/workspace").text


def test_a_form_without_its_csrf_token_is_refused(client, sign_in):
    sign_in()
    response = client.post("/workspace/venues/new", data={"name": "x", "kind": "hotel"})
    assert response.status_code == 400


def test_the_inventory_page_shows_scopes_lines_sources_and_the_change_against_last_period(
    app, client, sign_in, auth
):
    sign_in(organisation="Tianzi Hotel")
    created = post(client, "/workspace/venues/new", {"name": "Tianzi Lodge", "kind": "hotel"})
    venue_id = int(created.location.rsplit("/", 1)[1])
    operator = auth("operator", "Tianzi Hotel")
    first = client.post(
        f"/api/v1/venues/{venue_id}/inventories", json=INVENTORY, headers=operator
    ).json
    later = {
        **INVENTORY,
        "period_start": "2025-01-01",
        "period_end": "2025-12-31",
        "lines": [{"kind": "grid_electricity", "quantity": 600, "unit": "MWh"}],
    }
    second = client.post(
        f"/api/v1/venues/{venue_id}/inventories", json=later, headers=operator
    ).json
    report = client.get(f"/api/v1/inventories/{second['id']}", headers=operator).json
    page = client.get(f"/workspace/inventories/{second['id']}?lang=en").text
    assert "Scope 2" in page and "Previous period (market-based)" in page
    assert "kgCO2e per unit" in page and "Room-night" in page
    for line in report["lines"]:
        assert line["factor_id"] in page
    venue = client.get(f"/workspace/venues/{venue_id}?lang=en").text
    assert venue.count("<svg") == 1 and "Emissions by period, tCO2e" in venue
    assert f"/workspace/inventories/{first['id']}" in venue
