"""The version of the published data: it moves whenever a public figure could have changed."""

from __future__ import annotations

from datetime import date, timedelta

from certify.services import data_version


def test_the_version_moves_with_every_state_change_and_with_the_day(app, certification):
    issued = certification.issued()
    with app.test_request_context():
        before = data_version.version(today=date.today())
        tomorrow = data_version.version(today=date.today() + timedelta(days=1))
    assert tomorrow != before and before.latest is not None
    certification.ok(issued["id"], "suspend", certification.admin, reason="Meters under review.")
    with app.test_request_context():
        after = data_version.version(today=date.today())
    assert after != before and after.counts[3] > before.counts[3]  # the audit chain grew


def test_renaming_a_venue_moves_the_version(app, client, certification):
    with app.test_request_context():
        before = data_version.version(today=date.today())
    renamed = client.patch(
        f"/api/v1/venues/{certification.venue_id}",
        json={"name": "Tianzi Mountain Lodge"},
        headers=certification.operator,
    )
    assert renamed.status_code == 200, renamed.get_json()
    with app.test_request_context():
        after = data_version.version(today=date.today())
    assert after != before and after.latest >= before.latest
