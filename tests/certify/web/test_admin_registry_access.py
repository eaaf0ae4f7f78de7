"""The district's registry pages are the admin's: each answers the admin, sends anyone
signed out to sign in, and gives operators and verifiers the HTML 403 page — walked over
the blueprint's own routes, so that a new page is walked too."""

from __future__ import annotations

import pytest

from tests.people import BROWSER

PATHS = ("/admin/projects", "/admin/imports", "/admin/ledger", "/admin/audit")


def registry_pages(app, project_id: int) -> list[str]:
    found = sorted(
        rule.build({name: project_id for name in rule.arguments})[1]
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("admin_registry.") and "GET" in rule.methods
    )
    assert set(PATHS) < set(found)  # the paths the admin home links to
    return found


def test_every_page_is_marked_for_admins_only(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("admin_registry."):
            assert app.view_functions[rule.endpoint].roles == ("admin",), rule.endpoint


def test_the_district_sees_every_page(app, client, sign_in, registry):
    sign_in("admin", "Wulingyuan District Carbon Office")
    for path in registry_pages(app, registry.project_id):
        assert client.get(path, headers=BROWSER).status_code == 200, path


def test_anyone_signed_out_is_sent_to_sign_in(app, client, registry):
    for path in registry_pages(app, registry.project_id):
        response = client.get(path, headers=BROWSER)
        assert response.status_code == 302, path
        assert response.location.startswith("/login?next=")


@pytest.mark.parametrize(
    ("role", "organisation"),
    [("operator", "Tianmen Hotel"), ("verifier", "Hunan Carbon Verification Centre")],
)
def test_operators_and_verifiers_get_the_forbidden_page(
    app, client, sign_in, registry, role, organisation
):
    sign_in(role, organisation)
    for path in registry_pages(app, registry.project_id):
        response = client.get(path, headers=BROWSER)
        assert response.status_code == 403, path
        assert response.mimetype == "text/html"
