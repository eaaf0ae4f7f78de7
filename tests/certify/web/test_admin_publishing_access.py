"""The district's publishing pages (`certify.web.admin_publishing`) are the admin's: each
answers the admin, sends anyone signed out to sign in, and gives operators and verifiers
the HTML 403 page — walked over the blueprint's own routes, so that a new page is too."""

from __future__ import annotations

import pytest

from tests.certify.builders import DISTRICT, OPERATOR_ORG, VERIFIER_ORG
from tests.people import BROWSER, csrf

PATHS = ("/admin/datasets", "/admin/guides")
"""The paths the admin home links to."""


def publishing_pages(app, method: str = "GET") -> list[str]:
    return sorted(
        rule.build({name: "CN-2024" for name in rule.arguments})[1]
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("admin_publishing.") and method in rule.methods
    )


def test_the_pages_are_the_datasets_and_the_guides_and_only_for_admins(app):
    assert set(PATHS) < set(publishing_pages(app))
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("admin_publishing."):
            assert app.view_functions[rule.endpoint].roles == ("admin",), rule.endpoint


def test_the_district_sees_every_page(app, client, sign_in):
    sign_in("admin", DISTRICT)
    for path in publishing_pages(app):
        response = client.get(path, headers=BROWSER)
        assert response.status_code == 200, path
        assert "style=" not in response.text and "<script" not in response.text, path


def test_anyone_signed_out_is_sent_to_sign_in(app, client):
    for path in publishing_pages(app):
        response = client.get(path, headers=BROWSER)
        assert response.status_code == 302, path
        assert response.location == f"/login?next={path}"


@pytest.mark.parametrize(
    ("role", "organisation"), [("operator", OPERATOR_ORG), ("verifier", VERIFIER_ORG)]
)
def test_operators_and_verifiers_get_the_forbidden_page_and_post_nothing(
    app, client, sign_in, role, organisation
):
    sign_in(role, organisation)
    for path in publishing_pages(app):
        response = client.get(path, headers=BROWSER)
        assert response.status_code == 403, path
        assert response.mimetype == "text/html" and "<h1" in response.text, path
    token = csrf(client.get("/login"))
    for path in publishing_pages(app, "POST"):
        response = client.post(path, data={"csrf_token": token}, headers=BROWSER)
        assert response.status_code == 403, path
