"""Every page of the district's blueprint (`certify.web.admin`), walked over the app's own
routes so that a new page is walked too: the admin sees it, an operator and a verifier get
the HTML 403 page, anyone signed out is sent to sign in; and no form of it changes
anything for another role."""

from __future__ import annotations

import pytest

from tests.certify.builders import DISTRICT, OPERATOR_ORG, VERIFIER_ORG
from tests.people import BROWSER, csrf


@pytest.fixture
def records(client, certification) -> dict[str, int]:
    accreditations = client.get("/api/v1/verifiers/accreditations").json["items"]
    return {
        "application_id": certification.apply()["id"],
        "accreditation_id": accreditations[0]["id"],
        "inventory_id": certification.inventory_id,
        "user_id": 1,
    }


def admin_pages(app, records: dict[str, int], method: str) -> list[str]:
    found = [
        rule.build({name: records[name] for name in rule.arguments})[1]
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("admin.") and method in rule.methods
    ]
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("admin."):
            assert app.view_functions[rule.endpoint].roles == ("admin",), rule.endpoint
    return sorted(found)


def test_the_admin_pages_are_the_ones_the_programme_needs(app, records):
    assert admin_pages(app, records, "GET") == sorted(
        [
            "/admin",
            "/admin/accounts",
            f"/admin/applications/{records['application_id']}",
            "/admin/applications",
            "/admin/inventories",
            f"/admin/verifiers/{records['accreditation_id']}/withdraw",
            "/admin/verifiers",
        ]
    )


@pytest.mark.parametrize(
    ("role", "organisation", "status"),
    [(None, None, 302), ("operator", OPERATOR_ORG, 403), ("verifier", VERIFIER_ORG, 403)],
)
def test_only_the_admin_sees_the_admin_pages(
    app, client, sign_in, records, role, organisation, status
):
    if role:
        sign_in(role, organisation)
    for path in admin_pages(app, records, "GET"):
        response = client.get(path, headers=BROWSER)
        assert response.status_code == status, path
        if status == 302:
            assert response.location == f"/login?next={path}"
        else:
            assert response.mimetype == "text/html" and "<h1" in response.text, path


def test_the_admin_sees_every_admin_page(app, client, sign_in, records):
    sign_in("admin", DISTRICT)
    for path in admin_pages(app, records, "GET"):
        response = client.get(path, headers=BROWSER)
        assert response.status_code == 200, path
        assert "style=" not in response.text and "<script" not in response.text, path


@pytest.mark.parametrize(
    ("role", "organisation"), [("operator", OPERATOR_ORG), ("verifier", VERIFIER_ORG)]
)
def test_no_admin_form_works_for_another_role(
    app, client, sign_in, records, certification, role, organisation
):
    sign_in(role, organisation)
    token = csrf(client.get("/login"))
    for path in admin_pages(app, records, "POST"):
        response = client.post(
            path,
            data={"csrf_token": token, "reason": "Mine", "action": "withdraw"},
            headers=BROWSER,
        )
        assert response.status_code == 403, path
    application = client.get(
        f"/api/v1/applications/{records['application_id']}", headers=certification.admin
    ).json
    assert application["state"] == "draft"
