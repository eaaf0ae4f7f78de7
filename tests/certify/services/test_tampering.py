"""Changes made behind the service's back, straight in the database, are noticed: what
verification reports is checked against what was signed."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select, update

from certify.models.applications import Application
from certify.models.documents import Certificate
from footprint.platform.db import db


def scan(client, token: str) -> dict:
    response = client.get(f"/api/v1/verify/{token}")
    assert response.status_code == 200, response.json
    return response.json


def tamper(app, certificate_id: int, **columns: Any) -> None:
    """UPDATE the certificate row directly, as someone with database access could."""
    with app.app_context():
        db.session.execute(
            update(Certificate).where(Certificate.id == certificate_id).values(**columns)
        )
        db.session.commit()


def stored_content(app, certificate_id: int) -> dict:
    with app.app_context():
        return db.session.scalar(
            select(Certificate.content).where(Certificate.id == certificate_id)
        )


def test_an_issued_certificates_figures_changed_in_the_database_scan_invalid(
    app, client, certificate
):
    """Hole: the stored figures could be changed and verify served them as valid."""
    content = stored_content(app, certificate["id"])
    content["attestation"]["content"]["emissions_tco2e"]["total"] = "1"
    tamper(app, certificate["id"], content=content)
    body = scan(client, certificate["token"])
    assert body["status"] == "invalid"
    assert "signature" in body["reason"]
    assert "total_tco2e" not in body


def test_a_validity_extended_in_the_database_scans_invalid(app, client, certificate):
    later = date.fromisoformat(certificate["valid_until"]) + timedelta(days=3650)
    tamper(app, certificate["id"], valid_until=later)
    body = scan(client, certificate["token"])
    assert body["status"] == "invalid" and "valid_until" in body["reason"]


def test_a_number_changed_in_the_database_scans_invalid(app, client, certificate):
    tamper(app, certificate["id"], number="SC-2099-999999")
    body = scan(client, certificate["token"])
    assert body["status"] == "invalid" and "number" in body["reason"]


def test_an_untouched_certificate_still_scans_valid(client, certificate):
    assert scan(client, certificate["token"])["status"] == "valid"


def revoke(client, certification, application_id: int) -> None:
    response = certification.act(
        application_id, "revoke", certification.admin, reason="Credits double counted"
    )
    assert response.status_code == 200, response.json


def test_a_revoked_application_turned_back_to_issued_scans_invalid_and_fails_the_audit(
    app, client, certification, issued, certificate
):
    """Hole: UPDATE applications SET state = 'issued' made a revoked certificate scan
    valid, and `flask audit verify` still said intact."""
    revoke(client, certification, issued["id"])
    assert scan(client, certificate["token"])["status"] == "revoked"
    with app.app_context():
        db.session.execute(
            update(Application).where(Application.id == issued["id"]).values(state="issued")
        )
        db.session.commit()
    body = scan(client, certificate["token"])
    assert body["status"] == "invalid" and "audit chain" in body["reason"]
    audit = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert audit.exit_code != 0
    assert f"application {issued['id']}" in audit.output and "'revoked'" in audit.output


def test_the_audit_passes_while_nothing_was_changed_behind_its_back(app, issued):
    audit = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert audit.exit_code == 0, audit.output
