"""Issuing a certificate is all or nothing, and happens once however many ask at once.

Runs on whichever database the suite runs on (SQLite by default, PostgreSQL with
TEST_DATABASE_URL).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from certify.models.applications import Application
from certify.models.audit_chain import AuditChainEntry
from certify.models.documents import Certificate
from certify.models.offsets import OffsetClaim
from certify.services import audit_chain, documents
from footprint.models import Inventory
from footprint.platform.db import db

CONTENDERS = 6


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_failure_in_the_middle_of_issuance_leaves_nothing_half_issued(
    app, certification, monkeypatch
):
    c = certification
    approved = c.approved()
    with app.app_context():
        entries_before = count(AuditChainEntry)

    def broken_signer(*args, **kwargs):
        raise RuntimeError("the signing key became unreadable mid-issue")

    # After the claim, the inventory's verification and the certificate row are written.
    monkeypatch.setattr(documents, "document_token", broken_signer)
    failed = c.act(approved["id"], "issue", c.admin)
    assert failed.status_code == 500 and "mid-issue" not in failed.get_data(as_text=True)
    with app.app_context():
        assert count(Certificate) == 0
        assert count(OffsetClaim) == 0
        assert db.session.get(Application, approved["id"]).state == "approved"
        assert db.session.get(Inventory, c.inventory_id).status == "draft"
        assert count(AuditChainEntry) == entries_before
        assert audit_chain.verify().ok
    monkeypatch.undo()
    assert c.ok(approved["id"], "issue", c.admin)["state"] == "issued"


def test_concurrent_issue_requests_make_exactly_one_certificate(app, certification):
    c = certification
    approved = c.approved()
    barrier = threading.Barrier(CONTENDERS)

    def attempt(_: int) -> int:
        client = app.test_client()
        barrier.wait()
        return client.post(
            f"/api/v1/applications/{approved['id']}/transitions",
            json={"action": "issue"},
            headers=c.admin,
        ).status_code

    with ThreadPoolExecutor(CONTENDERS) as pool:
        statuses = sorted(pool.map(attempt, range(CONTENDERS)))
    assert statuses == [200] + [409] * (CONTENDERS - 1), statuses
    with app.app_context():
        assert count(Certificate) == 1 and count(OffsetClaim) == 1
        assert audit_chain.verify().ok


def test_concurrent_transitions_keep_the_audit_chain_whole(app, certification):
    c = certification
    numbers = [c.apply()["id"] for _ in range(CONTENDERS)]
    barrier = threading.Barrier(CONTENDERS)

    def submit(number: int) -> int:
        client = app.test_client()
        barrier.wait()
        return client.post(
            f"/api/v1/applications/{number}/transitions",
            json={"action": "submit"},
            headers=c.operator,
        ).status_code

    with ThreadPoolExecutor(CONTENDERS) as pool:
        assert set(pool.map(submit, numbers)) == {200}
    with app.app_context():
        report = audit_chain.verify()
        assert report.ok and report.count == 2 * CONTENDERS
