"""Every page of the workspaces — the operators' ``/workspace``, the verifiers' ``/review``
and the district's ``/admin`` — for every role and relation to the record it shows: the
same access rules as the API (`footprint.accounts.access`, the workflow's), walked over
the app's own list of routes so that a new page is walked too."""

from __future__ import annotations

from typing import Any

import pytest

from tests.certify.builders import DISTRICT, OPERATOR_ORG, VERIFIER_ORG
from tests.people import BROWSER, csrf, sign_in_as

PREFIXES = ("/workspace", "/review", "/admin")
RECORD_PAGES = frozenset(
    {"venue_id", "inventory_id", "application_id", "product_id", "footprint_id", "label_id"}
)
"""Path parameters naming an organisation's record: such pages are its owner's (for an
application under review, its assigned verifier's) and the district's only."""


@pytest.fixture
def records(app, client, certification, labelling) -> dict[str, Any]:
    """One record of each kind a page names, all the operator's organisation's; the
    application, with a file of evidence, is under review by the certification's verifier."""
    c = certification
    admin = c.admin
    application_id = c.apply()["id"]
    attached = c.attach(application_id)
    assert attached.status_code == 201, attached.json
    project = client.get("/api/v1/registry/projects", headers=admin).json["items"][0]
    accreditation = client.get("/api/v1/verifiers/accreditations", headers=admin).json
    return {
        "venue_id": c.venue_id,
        "inventory_id": c.inventory_id,
        "application_id": c.under_review(application_id),
        "evidence_id": attached.json["id"],
        "product_id": labelling.product_id,
        "footprint_id": labelling.footprint["id"],
        "label_id": labelling.issued()["label_id"],
        "project_id": project["id"],
        "accreditation_id": accreditation["items"][0]["id"],
        "code": "CN-2024",
        "criterion_id": "Q-1",
        "user_id": 1,
    }


def pages(app, records: dict[str, Any], method: str) -> list[tuple[str, bool, tuple[str, ...]]]:
    """Each workspace route of ``method``, filled in with the records: its path, whether
    it names a record, and the roles it is for."""
    found = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(PREFIXES) and method in rule.methods:
            path = rule.build({name: records[name] for name in rule.arguments})[1]
            roles = app.view_functions[rule.endpoint].roles
            found.append((path, bool(RECORD_PAGES & rule.arguments), roles))
    assert len(found) >= 30
    return sorted(found)


@pytest.mark.parametrize(
    ("role", "organisation", "related"),
    [
        (None, None, False),
        ("operator", OPERATOR_ORG, True),
        ("operator", "Tianmen Cableway Co.", False),
        ("verifier", VERIFIER_ORG, True),
        ("verifier", "Another Verification Body", False),
        ("admin", DISTRICT, True),
    ],
)
def test_every_page_answers_each_role_as_the_access_rules_say(
    app, client, sign_in, certification, records, role, organisation, related
):
    if role == "verifier" and related:
        sign_in_as(app, client, certification.verifier_email)  # the one assigned
    elif role:
        sign_in(role, organisation)
    for path, names_a_record, roles in pages(app, records, "GET"):
        if role is None:
            expected = 302
        elif role not in roles:
            expected = 403
        else:
            expected = 403 if names_a_record and not related else 200
        response = client.get(path, headers=BROWSER)
        assert response.status_code == expected, (path, role)
        if expected == 302:
            assert response.location.startswith("/login?next=")
        if expected == 403:
            assert response.mimetype == "text/html"


@pytest.mark.parametrize(
    ("role", "organisation"),
    [("operator", "Tianmen Cableway Co."), ("verifier", "Another Verification Body")],
)
def test_no_form_changes_another_organisations_records(
    app, client, sign_in, certification, records, role, organisation
):
    sign_in(role, organisation)
    token = csrf(client.get("/login"))
    for path, names_a_record, _roles in pages(app, records, "POST"):
        if names_a_record or path.startswith("/admin"):
            response = client.post(
                path, data={"csrf_token": token, "name": "Mine", "kind": "hotel"}, headers=BROWSER
            )
            assert response.status_code == 403, path
    venue = client.get(f"/api/v1/venues/{records['venue_id']}", headers=certification.operator)
    assert venue.json["name"] != "Mine"
