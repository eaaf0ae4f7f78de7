"""The programme's home at /admin: what waits for the district, and every section of it,
reached from the admin's account page."""

from __future__ import annotations

import re

from tests.certify.builders import DISTRICT
from tests.people import BROWSER


def waiting(page: str) -> dict[str, int]:
    return {name: int(n) for name, n in re.findall(r'id="waiting-(\w+)">(\d+)<', page)}


def test_the_home_counts_what_waits_for_the_district(client, sign_in, certification):
    unassigned = certification.apply()["id"]
    certification.ok(unassigned, "submit", certification.operator)
    certification.approved()
    sign_in("admin", DISTRICT)
    page = client.get("/admin?lang=en", headers=BROWSER).text
    assert waiting(page) == {"unassigned": 1, "approved": 1, "suspended": 0, "inventories": 1}
    assert 'href="/admin/applications?state=approved"' in page


def test_the_home_links_every_section_and_the_account_page_links_the_home(client, sign_in):
    sign_in("admin", DISTRICT)
    page = client.get("/admin?lang=en", headers=BROWSER).text
    for path in (
        "/admin/applications",
        "/admin/verifiers",
        "/admin/inventories",
        "/admin/accounts",
        "/admin/projects",
        "/admin/imports",
        "/admin/ledger",
        "/admin/audit",
        "/admin/datasets",
        "/admin/guides",
    ):
        assert f'href="{path}"' in page, path
    assert 'href="/admin"' in client.get("/account?lang=en", headers=BROWSER).text


def test_other_roles_are_not_linked_to_the_home(client, sign_in):
    sign_in("operator", "Tianmen Hotel")
    assert 'href="/admin"' not in client.get("/account", headers=BROWSER).text
