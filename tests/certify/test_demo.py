"""`flask demo`: realistic venues, verified inventories, credits and certificates, idempotent."""

import tomllib
from datetime import date

from sqlalchemy import func, select

from certify.demo import DEMO
from certify.models.applications import Application
from certify.models.audit_chain import AuditChainEntry
from certify.models.documents import Certificate
from certify.models.offsets import OffsetClaim
from certify.models.registry import CreditBlock, Retirement
from certify.services import ledger
from footprint.models import Inventory, Product, Venue
from footprint.platform.db import db

SPEC = tomllib.loads(DEMO.read_text(encoding="utf-8"))
COUNTED = (Venue, Inventory, OffsetClaim, Retirement, Application, Certificate, AuditChainEntry)


def urls_in(output: str) -> list[str]:
    """The verification URLs the demo printed, each alone on its line."""
    return [line for line in output.splitlines() if "/v/" in line]


def counts(app) -> dict[str, int]:
    with app.app_context():
        return {
            model.__name__: db.session.scalar(select(func.count()).select_from(model))
            for model in COUNTED
        }


def test_the_demo_loads_once_and_prices_trips_at_its_verified_hotel(app, client):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "API token sc_" in first.output
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0 and "API token" not in second.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Venue)) == 3
        assert db.session.scalar(select(func.count()).select_from(Inventory)) == 5
        hotel = db.session.scalar(select(Venue).where(Venue.kind == "hotel"))
        cable = db.session.scalar(select(Venue).where(Venue.kind == "cable_car"))
    body = client.post(
        "/api/v1/footprints/trips",
        json={
            "travellers": 2,
            "lodging": [{"venue_id": hotel.id, "nights": 2}],
            "attractions": [{"venue_id": cable.id, "visits": 1}],
        },
    ).json
    assert 0 < body["lines"][0]["factor_kgco2e_per_unit"] < 53.5
    assert body["lines"][1]["unit"] == "visit"


def test_the_demo_offsets_last_year_with_forest_credits_that_qualify(app):
    runner = app.test_cli_runner()
    output = runner.invoke(args=["demo"]).output
    vintage = date.today().year - 2
    assert f"issued 20000 credits of WLYAF01 {vintage}" in output and "offset claim" in output
    with app.app_context():
        claims = db.session.scalars(select(OffsetClaim)).all()
        assert len(claims) == len(SPEC["registry"]["claims"])
        assert all(claim.report["qualifies"] for claim in claims)
        periods = db.session.scalars(
            select(Inventory.period_start).where(
                Inventory.id.in_([claim.inventory_id for claim in claims])
            )
        ).all()
        assert {start.year for start in periods} == {vintage + 1}
        assert ledger.check() == []
    assert runner.invoke(args=["registry", "check"]).exit_code == 0


def test_the_demo_prints_a_valid_and_a_revoked_certificate_and_a_valid_label_every_run(app, client):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    urls = urls_in(first.output)
    assert len(urls) == 3 and all(url.startswith("http") and " " not in url for url in urls)
    scans = [client.get(f"/api/v1/verify/{url.rsplit('/v/', 1)[1]}").json for url in urls]
    assert sorted((scan["kind"], scan["status"]) for scan in scans) == [
        ("certificate", "revoked"),
        ("certificate", "valid"),
        ("label", "valid"),
    ]
    revoked = next(scan for scan in scans if scan["status"] == "revoked")
    wanted = next(a["revoke"] for a in SPEC["certification"]["applications"] if "revoke" in a)
    assert revoked["reason"] == wanted
    certificates = [scan for scan in scans if scan["kind"] == "certificate"]
    assert {scan["period_start"] for scan in certificates} == {f"{date.today().year - 1}-01-01"}
    label = next(scan for scan in scans if scan["kind"] == "label")
    assert label["category_range"]["position"] == "within", label

    before = counts(app)
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0, second.output
    assert urls_in(second.output) == urls
    assert counts(app) == before
    audit = runner.invoke(args=["audit", "verify"])
    assert audit.exit_code == 0, audit.output


def test_a_second_run_changes_nothing_even_after_the_demo_data_was_edited_or_spent(
    app, tmp_path, monkeypatch
):
    """Issue 15: renamed, the demo venue got a second set of credits retired and a second
    valid certificate; with the credits gone the demo crashed (IndexError)."""
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        for venue in db.session.scalars(select(Venue)):
            venue.name = f"{venue.name} (renamed)"
        for product in db.session.scalars(select(Product)):
            product.name_zh = f"{product.name_zh}（改名）"
        db.session.commit()
    before = counts(app)
    renamed = runner.invoke(args=["demo"])
    assert renamed.exit_code == 0, renamed.output
    assert counts(app) == before

    with app.app_context():  # every credit still held, spent elsewhere
        for block in db.session.scalars(select(CreditBlock).where(CreditBlock.status == "active")):
            block.status = "cancelled"
        db.session.commit()
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert counts(app) == before

    # a claim added to the demo that the credits left cannot back: said, and skipped
    more = DEMO.read_text(encoding="utf-8") + CABLEWAY_EARLIER_CLAIM
    monkeypatch.setattr("certify.demo.DEMO", tmp_path / "demo.toml")
    (tmp_path / "demo.toml").write_text(more, encoding="utf-8")
    short = runner.invoke(args=["demo"])
    assert short.exit_code == 0, short.output
    assert "not enough credits" in short.output
    assert counts(app) == before


CABLEWAY_EARLIER_CLAIM = """
[[registry.claims]]
venue = "Tianzishan Cableway 天子山索道"
year = -2
operator = "operator@cableway.example"
purpose = "{year} carbon neutrality of the Tianzishan Cableway"
"""
