"""Issuances made before the buffer was withheld gave the pool its share on top of the
verified quantity; the migration cancels as many of the holder's credits, in the ledger."""

from __future__ import annotations

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from certify.core.serials import Block
from certify.models.registry import CreditBlock, LedgerEvent
from certify.services import ledger
from certify.services import registry as registry_service
from footprint.accounts import organisations
from footprint.accounts.models import Role, User
from footprint.accounts.users import create_user
from footprint.platform.activity import ActivityEvent
from footprint.platform.app import create_app
from footprint.platform.db import db
from footprint.platform.problems import Problem
from tests.certify.builders import FOREST
from tests.database import empty_database

BEFORE = "e5a9c3f1d7b2"


def serial(number: int, vintage: int) -> str:
    return f"WLY-OLD01-{vintage}-{number:09d}"


def issue_the_old_way(admin: User, project_id: int, vintage: int, monkeypatch) -> int:
    """50 verified: serials 1–50 to the holder and 51–55 to the pool on top, as before."""
    with monkeypatch.context() as patch:
        patch.setattr(registry_service, "_buffer_share", lambda project: 0)
        issuance = registry_service.issue(
            admin, project_id=project_id, vintage=vintage, quantity=50, holder="Holder"
        )
    issuance.number_end, issuance.buffer_quantity = 55, 5
    pool = organisations.named_or_created(registry_service.BUFFER_POOL)
    registry_service.grant(
        issuance, block=Block(51, 55), holder_id=pool.id, kind="buffer", actor=admin.id
    )
    db.session.commit()
    return issuance.id


def blocks(issuance_id: int, status: str) -> list[tuple[int, int]]:
    rows = db.session.scalars(
        select(CreditBlock)
        .where(CreditBlock.issuance_id == issuance_id, CreditBlock.status == status)
        .order_by(CreditBlock.number_start)
    )
    return [(b.number_start, b.number_end) for b in rows]


@pytest.fixture
def old_registry(tmp_path, monkeypatch):
    with empty_database(tmp_path) as url:
        monkeypatch.setenv("DATABASE_URL", url)
        app = create_app({"TESTING": True, "KEY_STORE": str(tmp_path / "keys")})
        with app.app_context():
            upgrade()
            admin, _ = create_user("admin@d.example", role=Role.ADMIN, organisation_name="D")
            holder, _ = create_user("op@h.example", role=Role.OPERATOR, organisation_name="Holder")
            organisations.named_or_created("Buyer")
            project = registry_service.create_project(
                admin,
                data={**FOREST, "code": "OLD01"},
            )
            yield admin, holder, project.id
            db.session.remove()
            db.engine.dispose()


def test_the_holders_highest_active_credits_are_cancelled_in_the_ledger(old_registry, monkeypatch):
    admin, holder, project_id = old_registry
    holder_id = holder.id
    issuance = issue_the_old_way(admin, project_id, 2024, monkeypatch)
    registry_service.retire(
        holder,
        serial_start=serial(1, 2024),
        serial_end=serial(5, 2024),
        beneficiary="B",
        purpose="P",
    )
    registry_service.transfer(
        holder, serial_start=serial(46, 2024), serial_end=serial(50, 2024), to="Buyer"
    )
    downgrade(revision=BEFORE)
    upgrade()
    db.session.remove()

    assert blocks(issuance, "cancelled") == [(41, 45)]
    assert ledger.check() == []
    cancel = db.session.scalars(select(LedgerEvent).where(LedgerEvent.kind == "cancel")).one()
    assert (cancel.number_start, cancel.number_end, cancel.quantity) == (41, 45, 5)
    assert "buffer withheld" in cancel.detail["reason"] and "shortfall" not in cancel.detail
    _, _, found = registry_service.lookup(serial(45, 2024))
    assert found.status == "cancelled"
    holder = db.session.get(User, holder_id)
    with pytest.raises(Problem) as refused:
        registry_service.retire(
            holder,
            serial_start=serial(44, 2024),
            serial_end=serial(45, 2024),
            beneficiary="B",
            purpose="P",
        )
    assert refused.value.status == 409 and "cancelled" in refused.value.detail


def test_what_the_holder_no_longer_holds_is_stated_as_a_shortfall(old_registry, monkeypatch):
    admin, holder, project_id = old_registry
    partly = issue_the_old_way(admin, project_id, 2024, monkeypatch)
    spent = issue_the_old_way(admin, project_id, 2025, monkeypatch)
    for vintage, last in ((2024, 48), (2025, 50)):
        registry_service.retire(
            holder,
            serial_start=serial(1, vintage),
            serial_end=serial(last, vintage),
            beneficiary="B",
            purpose="P",
        )
    downgrade(revision=BEFORE)
    upgrade()
    db.session.remove()

    assert blocks(partly, "cancelled") == [(49, 50)]
    cancel = db.session.scalars(select(LedgerEvent).where(LedgerEvent.kind == "cancel")).one()
    assert cancel.detail["shortfall"] == 3
    assert blocks(spent, "cancelled") == []
    noted = db.session.scalars(
        select(ActivityEvent).where(ActivityEvent.action == "issuance.buffer_uncorrected")
    ).one()
    assert noted.entity_id == str(spent) and noted.detail["shortfall"] == 5
    assert ledger.check() == []


def test_issuances_that_withheld_the_buffer_are_left_alone(old_registry):
    admin, _, project_id = old_registry
    issuance = registry_service.issue(
        admin, project_id=project_id, vintage=2024, quantity=50, holder="Holder"
    ).id
    downgrade(revision=BEFORE)
    upgrade()
    db.session.remove()
    assert blocks(issuance, "cancelled") == []
    assert blocks(issuance, "active") == [(1, 45), (46, 50)]
