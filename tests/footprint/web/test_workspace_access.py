"""Every workspace page, for every role and owner: the same access rules as the API
(`footprint.accounts.access`), walked over the app's own list of workspace routes so that
a new page is walked too."""

from __future__ import annotations

from typing import Any

import pytest

from tests.certify.builders import application_body
from tests.people import BROWSER, csrf

INVENTORY = {
    "period_start": "2024-01-01",
    "period_end": "2024-12-31",
    "lines": [{"kind": "grid_electricity", "quantity": 800, "unit": "MWh"}],
}
RECORD_PAGES = ("venue_id", "inventory_id", "application_id")
"""Path parameters naming an organisation's record: such pages are the owner's (and the
district's) only."""


@pytest.fixture
def records(client, auth) -> dict[str, Any]:
    owner = auth("operator", "Tianzi Hotel")
    venue = client.post(
        "/api/v1/venues", json={"name": "Tianzi Lodge", "kind": "hotel"}, headers=owner
    ).json
    inventory = client.post(
        f"/api/v1/venues/{venue['id']}/inventories", json=INVENTORY, headers=owner
    ).json
    application = client.post(
        "/api/v1/applications", json=application_body(inventory["id"], []), headers=owner
    ).json
    return {
        "venue_id": venue["id"],
        "inventory_id": inventory["id"],
        "application_id": application["id"],
        "owner": owner,
    }


def workspace_pages(app, records: dict[str, Any]) -> list[tuple[str, bool, tuple[str, ...]]]:
    """Each GET page of the workspace, filled in with the records: its path, whether it
    names a record, and the roles it is for."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/workspace") and "GET" in rule.methods:
            path = rule.build({name: records[name] for name in rule.arguments})[1]
            roles = app.view_functions[rule.endpoint].roles
            found.append((path, any(name in rule.arguments for name in RECORD_PAGES), roles))
    assert len(found) >= 9
    return sorted(found)


@pytest.mark.parametrize(
    ("role", "organisation", "own_page", "record_page"),
    [
        (None, None, 302, 302),
        ("operator", "Tianzi Hotel", 200, 200),
        ("operator", "Tianmen Cableway Co.", 200, 403),
        ("verifier", "Hunan Carbon Verification Centre", 403, 403),
        ("admin", "Wulingyuan District", 200, 200),
    ],
)
def test_every_workspace_page_answers_each_role_as_the_access_rules_say(
    app,
    client,
    sign_in,
    records,
    role,
    organisation,
    own_page,
    record_page,
):
    if role:
        sign_in(role, organisation)
    for path, names_a_record, roles in workspace_pages(app, records):
        expected = record_page if names_a_record else own_page
        if role and role not in roles:
            expected = 403
        response = client.get(path, headers=BROWSER)
        assert response.status_code == expected, path
        if expected == 302:
            assert response.location.startswith("/login?next=")
        if expected == 403:
            assert response.mimetype == "text/html"


@pytest.mark.parametrize(
    ("role", "organisation"),
    [("operator", "Tianmen Cableway Co."), ("verifier", "Hunan Carbon Verification Centre")],
)
def test_no_workspace_form_changes_another_organisations_records(
    app,
    client,
    sign_in,
    records,
    role,
    organisation,
):
    sign_in(role, organisation)
    token = csrf(client.get("/login"))
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/workspace") and "POST" in rule.methods and rule.arguments:
            path = rule.build({name: records[name] for name in rule.arguments})[1]
            response = client.post(
                path, data={"csrf_token": token, "name": "Mine", "kind": "hotel"}, headers=BROWSER
            )
            assert response.status_code == 403, path
    owner_view = client.get(f"/api/v1/venues/{records['venue_id']}", headers=records["owner"])
    assert owner_view.json["name"] == "Tianzi Lodge"
