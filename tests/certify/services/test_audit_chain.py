"""The hash-chained audit log as stored: appended by the workflow, append-only, checkable."""

from __future__ import annotations

from itertools import pairwise

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from certify.core.chain import GENESIS, Fault
from certify.services import audit_chain
from footprint.platform.db import db


def test_every_transition_is_chained_with_actor_and_before_after(app, certification):
    c = certification
    issued = c.issued()
    log = c.client.get(f"/api/v1/applications/{issued['id']}/audit", headers=c.admin).json
    actions = [entry["action"] for entry in log]
    assert actions[:4] == [
        "application.created",
        "application.submit",
        "application.assigned",
        "application.start_review",
    ]
    assert actions[-2:] == ["application.approve", "application.issue"]
    assert "criterion.judged" in actions
    issue = log[-1]
    assert issue["before"]["state"] == "approved" and issue["after"]["state"] == "issued"
    assert "admin@district.example" in issue["actor"]
    for earlier, later in pairwise(log):
        assert later["sequence"] > earlier["sequence"]
    with app.app_context():
        report = audit_chain.verify()
        registered = [e for e in audit_chain.entries() if e.action == "verifier_key.registered"]
    assert [entry.subject for entry in registered] == ["verifier:3"]
    assert report.ok and report.count == len(log) + 1 and report.head == log[-1]["hash"]


def test_the_audit_command_reports_an_intact_chain_and_a_missing_anchor(app, certification):
    certification.apply()
    runner = app.test_cli_runner()
    intact = runner.invoke(args=["audit", "verify"])
    assert intact.exit_code == 0 and "1 entries" in intact.output
    head = intact.output.rsplit("head ", 1)[1].strip()
    assert runner.invoke(args=["audit", "verify", "--anchor", head]).exit_code == 0
    missing = runner.invoke(args=["audit", "verify", "--anchor", "f" * 64])
    assert missing.exit_code == 1 and "anchor missing" in missing.output


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"]
)
def test_the_database_refuses_to_change_or_delete_audit_entries(app, certification, statement):
    certification.apply()
    with app.app_context():
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text(statement))
        db.session.rollback()
        assert audit_chain.verify().count == 1


def test_an_entry_changed_behind_the_triggers_breaks_the_chain_there(app, certification):
    c = certification
    number = c.apply()["id"]
    c.ok(number, "submit", c.operator)
    with app.app_context():
        # DDL is transactional on SQLite and PostgreSQL: all of this is rolled back.
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("DROP TRIGGER audit_log_append_only ON audit_log"))
        else:
            db.session.execute(text("DROP TRIGGER audit_log_append_only_update"))
        db.session.execute(
            text("UPDATE audit_log SET after = :after WHERE sequence = 2"),
            {"after": '{"state": "approved"}'},
        )
        report = audit_chain.verify()
        db.session.rollback()
        assert not report.ok
        assert report.first_bad_sequence == 2 and report.reason is Fault.HASH_MISMATCH
        assert audit_chain.verify().ok


def test_an_empty_log_verifies_with_the_genesis_head(app):
    with app.app_context():
        report = audit_chain.verify()
    assert report.ok and report.count == 0 and report.head == GENESIS
