"""Inventories the district marks verified at /admin/inventories: the service
``POST /api/v1/inventories/{id}/verify`` calls, checked through the API."""

from __future__ import annotations

import pytest

from tests.certify.builders import DISTRICT, LAST_YEAR, SCENIC_AREA, inventory_body
from tests.people import post

PAGE = "/admin/inventories"


@pytest.fixture
def admin(sign_in):
    return sign_in("admin", DISTRICT)


def test_the_inventories_not_yet_verified_are_listed_with_venue_organisation_period_and_total(
    admin, certification
):
    page = admin.get(f"{PAGE}?lang=en").text
    assert SCENIC_AREA["name"] in page and "Wulingyuan Scenic Area Administration" in page
    assert f'id="verify-{certification.inventory_id}"' in page


def test_marking_an_inventory_verified_verifies_it(admin, certification):
    earlier = admin.post(
        f"/api/v1/venues/{certification.venue_id}/inventories",
        json=inventory_body(LAST_YEAR - 1),
        headers=certification.operator,
    ).json
    path = f"{PAGE}/{certification.inventory_id}/verify"
    verified = post(admin, path, {}, form=PAGE)
    assert verified.status_code == 303
    inventory = admin.get(
        f"/api/v1/inventories/{certification.inventory_id}", headers=certification.admin
    ).json
    assert inventory["status"] == "verified"
    page = admin.get(verified.location + "&lang=en").text
    assert "is verified." in page and f'id="verify-{earlier["id"]}"' in page
    assert f'id="verify-{certification.inventory_id}"' not in page
    again = post(admin, path, {}, form=PAGE)
    assert again.status_code == 409 and "is already verified" in again.text
