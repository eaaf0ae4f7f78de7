"""The ledger and audit pages: each chain's check at the top — intact on a clean
database, the problem named when a row was changed behind the services' back — and the
chain's entries below, newest first."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from certify.services import audit_chain
from footprint.platform.db import db
from tests.certify.builders import DISTRICT, HOLDER, serial

LEDGER, AUDIT = "/admin/ledger", "/admin/audit"


@pytest.fixture
def district(client, sign_in):
    return sign_in("admin", DISTRICT)


def behind_the_triggers(table: str, statement: str) -> None:
    """Run ``statement`` as someone with database access would, the table's append-only
    triggers lifted for it and put back in the same transaction."""
    if db.engine.dialect.name == "postgresql":
        trigger = f"{table}_append_only"
        statements = [
            f"ALTER TABLE {table} DISABLE TRIGGER {trigger}",
            statement,
            f"ALTER TABLE {table} ENABLE TRIGGER {trigger}",
        ]
    else:
        triggers = db.session.execute(
            text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"),
            {"t": table},
        ).all()
        statements = [*(f"DROP TRIGGER {n}" for n, _ in triggers), statement]
        statements += [sql for _, sql in triggers]
    for each in statements:
        db.session.execute(text(each))
    db.session.commit()


def test_a_clean_ledger_is_intact_in_both_languages(client, district):
    assert "Intact: the ledger" in client.get(f"{LEDGER}?lang=en").text
    assert "完好" in client.get(f"{LEDGER}?lang=zh").text


def test_the_ledger_lists_its_events_newest_first_with_serials_and_parties(
    client, district, registry
):
    page = client.get(f"{LEDGER}?lang=en").text
    buffer, issue = page.index("Withheld to the buffer pool"), page.index(">Issuance<")
    assert buffer < issue  # the buffer's event came second
    assert serial(91) in page and serial(100) in page and HOLDER in page
    assert "Intact: the ledger" in page
    assert registry.issuance["serial_start"] in page


def test_a_block_changed_behind_the_ledgers_back_is_named_at_the_top(
    app, client, district, registry
):
    with app.app_context():
        db.session.execute(
            text("UPDATE credit_blocks SET holder_id = (SELECT MIN(id) FROM organisations)")
        )
        db.session.commit()
    page = client.get(f"{LEDGER}?lang=en").text
    assert "The registry does not agree with its ledger" in page
    assert '<li lang="en">issuance' in page and "Intact" not in page


def test_an_event_changed_behind_the_triggers_breaks_the_chain_shown(
    app, client, district, registry
):
    with app.app_context():
        behind_the_triggers(
            "ledger_events", "UPDATE ledger_events SET quantity = 5 WHERE sequence = 2"
        )
    page = client.get(f"{LEDGER}?lang=en").text
    assert "chain broken at event 2" in page


def test_a_clean_audit_chain_is_intact(client, district):
    assert "Intact: 0 entries" in client.get(f"{AUDIT}?lang=en").text
    assert "完好" in client.get(f"{AUDIT}?lang=zh").text


def test_the_audit_chain_lists_entries_and_narrows_them_to_a_subject(
    client, district, certification
):
    number = certification.apply()["id"]
    certification.ok(number, "submit", certification.operator)
    page = client.get(f"{AUDIT}?lang=en").text
    assert page.index("application.submit") < page.index("application.created")
    assert "Intact: 2 entries" in page and "operator@wulingyuan.example" in page
    about = client.get(f"{AUDIT}?subject=application:{number}&lang=en").text
    assert f"Entries about application:{number} (2)" in about
    nothing = client.get(f"{AUDIT}?subject=application:999&lang=en").text
    assert "No entries." in nothing


def test_an_entry_changed_behind_the_triggers_is_where_the_chain_breaks(
    app, client, district, certification
):
    number = certification.apply()["id"]
    certification.ok(number, "submit", certification.operator)
    with app.app_context():
        behind_the_triggers(
            "audit_log", "UPDATE audit_log SET actor = 'someone' WHERE sequence = 2"
        )
    page = client.get(f"{AUDIT}?lang=en").text
    assert "Broken at entry 2: its fields or its hash were changed." in page
    assert "The 1 entries before it verify" in page
    assert "中断" in client.get(f"{AUDIT}?lang=zh").text


def test_the_audit_listing_pages_newest_first_and_keeps_a_subjects_parts(app, certification):
    number = certification.apply()["id"]
    with app.app_context():
        for part in ("Q-1", "Q-2"):
            audit_chain.append(
                None,
                action="criterion.judged",
                subject=f"application:{number}/{part}",
                before=None,
                after={"outcome": "conforms"},
            )
        db.session.commit()
        rows, total = audit_chain.listing(subject=f"application:{number}", page=1, per_page=2)
        assert total == 3 and [r.sequence for r in rows] == [3, 2]
        rows, total = audit_chain.listing(subject=None, page=2, per_page=2)
        assert total == 3 and [r.sequence for r in rows] == [1]
