"""The registry ledger as a hash chain: changes made straight in the database — to a
ledger row, a retirement, a transfer — are found by `flask registry check`."""

from __future__ import annotations

from itertools import pairwise

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select, text

from certify.models.registry import LedgerEvent, Retirement
from certify.services import ledger
from certify.services import registry as registry_service
from footprint.accounts.models import Role
from footprint.accounts.users import create_user
from footprint.platform.app import create_app
from footprint.platform.db import db
from tests.certify.builders import FOREST, serial

RETIRE = "/api/v1/registry/retirements"
LEDGER_TRIGGERS = (
    "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'ledger_events'"
)


@pytest.fixture
def retired(client, registry) -> int:
    response = client.post(
        RETIRE,
        headers=registry.holder,
        json={
            "serial_start": serial(1),
            "serial_end": serial(10),
            "beneficiary": "Huangshizhai Scenic Spot",
            "purpose": "Carbon neutrality 2023",
        },
    )
    assert response.status_code == 201, response.json
    return response.json["id"]


def check(app) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=["registry", "check"])
    return result.exit_code, result.output


def without_triggers(statements: list[str]) -> None:
    """Run ``statements`` as someone with database access would, the ledger's append-only
    triggers lifted for them and put back in the same transaction."""
    postgres = db.engine.dialect.name == "postgresql"
    if postgres:
        statements = [
            "ALTER TABLE ledger_events DISABLE TRIGGER ledger_events_append_only",
            *statements,
            "ALTER TABLE ledger_events ENABLE TRIGGER ledger_events_append_only",
        ]
    else:
        triggers = db.session.execute(text(LEDGER_TRIGGERS)).all()
        statements = [
            *(f"DROP TRIGGER {name}" for name, _ in triggers),
            *statements,
            *(sql for _, sql in triggers),
        ]
    for statement in statements:
        db.session.execute(text(statement))
    db.session.commit()


def test_every_event_is_chained_and_a_retirement_records_beneficiary_and_purpose(app, retired):
    with app.app_context():
        events = db.session.scalars(select(LedgerEvent).order_by(LedgerEvent.sequence)).all()
        assert [e.sequence for e in events] == list(range(1, len(events) + 1))
        assert all(later.previous_hash == earlier.hash for earlier, later in pairwise(events))
        assert events[-1].detail["beneficiary"] == "Huangshizhai Scenic Spot"
        assert events[-1].detail["purpose"] == "Carbon neutrality 2023"
    assert check(app)[0] == 0


def test_a_ledger_rows_quantity_changed_breaks_the_chain(app, retired):
    """Hole: with the triggers lifted, a ledger row's quantity could be changed unseen."""
    with app.app_context():
        without_triggers([f"UPDATE ledger_events SET quantity = 5 WHERE reference_id = {retired}"])
    code, output = check(app)
    assert code == 1 and "chain broken at event" in output and "hash mismatch" in output


def test_a_retirements_beneficiary_changed_is_found(app, retired):
    """Hole: a retirement's beneficiary could be changed and the register showed it."""
    with app.app_context():
        db.session.execute(
            text(f"UPDATE retirements SET beneficiary = 'Someone Else' WHERE id = {retired}")
        )
        db.session.commit()
    code, output = check(app)
    assert code == 1 and f"retirement {retired}: records beneficiary 'Someone Else'" in output


def test_a_forged_transfer_with_its_holder_change_and_ledger_row_is_found(app, registry):
    """Hole: a transfer row, the matching holder change and a ledger row slipped in went
    unnoticed by the replay, which they agree with."""
    with app.app_context():
        thief = db.session.execute(text("SELECT MIN(id) FROM organisations")).scalar()
        holder, issuance = db.session.execute(
            text("SELECT holder_id, issuance_id FROM credit_blocks ORDER BY id LIMIT 1")
        ).one()
        last = db.session.scalar(select(func.max(LedgerEvent.sequence)))
        without_triggers(
            [
                f"UPDATE credit_blocks SET holder_id = {thief} WHERE holder_id = {holder}",
                "INSERT INTO transfers (issuance_id, number_start, number_end, quantity, "
                f"from_id, to_id, transferred_at) VALUES ({issuance}, 1, 100, 100, {holder}, "
                f"{thief}, CURRENT_TIMESTAMP)",
                "INSERT INTO ledger_events (sequence, previous_hash, hash, at, kind, "
                "issuance_id, number_start, number_end, quantity, from_id, to_id, "
                f"reference_id, detail) VALUES ({last + 1}, 'x', 'y', CURRENT_TIMESTAMP, "
                f"'transfer', {issuance}, 1, 100, 100, {holder}, {thief}, "
                "(SELECT MAX(id) FROM transfers), '{}')",
            ]
        )
    code, output = check(app)
    assert code == 1 and f"chain broken at event {last + 1}" in output


def test_a_forged_transfer_without_a_ledger_row_is_found(app, registry):
    with app.app_context():
        thief = db.session.execute(text("SELECT MIN(id) FROM organisations")).scalar()
        holder, issuance = db.session.execute(
            text("SELECT holder_id, issuance_id FROM credit_blocks ORDER BY id LIMIT 1")
        ).one()
        db.session.execute(
            text(f"UPDATE credit_blocks SET holder_id = {thief} WHERE holder_id = {holder}")
        )
        db.session.execute(
            text(
                "INSERT INTO transfers (issuance_id, number_start, number_end, quantity, "
                f"from_id, to_id, transferred_at) VALUES ({issuance}, 1, 100, 100, {holder}, "
                f"{thief}, CURRENT_TIMESTAMP)"
            )
        )
        db.session.commit()
    code, output = check(app)
    assert code == 1 and "no ledger event records it" in output


def test_an_unchained_ledger_is_chained_by_the_migration(tmp_path, monkeypatch):
    """Events written before the chain get their place, hashes and the beneficiary and
    purpose of their retirement; the ledger then checks clean."""
    monkeypatch.setenv("DATABASE_URL", "sqlite:///" + str(tmp_path / "old.sqlite"))
    app = create_app({"TESTING": True, "KEY_STORE": str(tmp_path / "keys")})
    with app.app_context():
        upgrade()
        admin, _ = create_user("admin@d.example", role=Role.ADMIN, organisation_name="District")
        holder, _ = create_user("op@h.example", role=Role.OPERATOR, organisation_name="Holder")
        project = registry_service.create_project(
            admin,
            data={**FOREST, "code": "OLD01"},
        )
        registry_service.issue(
            admin, project_id=project.id, vintage=2024, quantity=50, holder="Holder"
        )
        registry_service.retire(
            holder,
            serial_start="WLY-OLD01-2024-000000001",
            serial_end="WLY-OLD01-2024-000000005",
            beneficiary="Old Beneficiary",
            purpose="Before the chain",
        )
        downgrade(revision="d41e7a2c9b10")
        upgrade()
        db.session.remove()
        assert ledger.check() == []
        events = db.session.scalars(select(LedgerEvent).order_by(LedgerEvent.sequence)).all()
        assert [e.sequence for e in events] == list(range(1, len(events) + 1))
        retire = next(e for e in events if e.kind == "retire")
        assert retire.detail["beneficiary"] == "Old Beneficiary"
        assert db.session.get(Retirement, retire.reference_id).purpose == "Before the chain"
