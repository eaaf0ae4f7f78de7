"""`flask demo`: realistic venues and verified inventories, idempotent."""

from sqlalchemy import func, select

from certify.models import OffsetClaim
from certify.services import ledger
from footprint.models import Inventory, Venue
from footprint.service.db import db


def test_the_demo_loads_once_and_prices_trips_at_its_verified_hotel(app, client):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    assert "API token sc_" in first.output
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0 and "API token" not in second.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Venue)) == 3
        assert db.session.scalar(select(func.count()).select_from(Inventory)) == 4
        hotel = db.session.scalar(select(Venue).where(Venue.kind == "hotel"))
        cable = db.session.scalar(select(Venue).where(Venue.kind == "cable_car"))
    body = client.post("/api/v1/footprints/trips", json={
        "travellers": 2, "lodging": [{"venue_id": hotel.id, "nights": 2}],
        "attractions": [{"venue_id": cable.id, "visits": 1}]}).json
    assert 0 < body["lines"][0]["factor_kgco2e_per_unit"] < 53.5
    assert body["lines"][1]["unit"] == "visit"


def test_the_demo_offsets_the_scenic_area_with_forest_credits_that_qualify(app):
    runner = app.test_cli_runner()
    output = runner.invoke(args=["demo"]).output
    assert "issued 20000 credits of WLYAF01 2024" in output and "offset claim" in output
    with app.app_context():
        claim = db.session.scalar(select(OffsetClaim))
        assert claim.report["qualifies"] is True
        assert ledger.check() == []
    assert runner.invoke(args=["registry", "check"]).exit_code == 0
