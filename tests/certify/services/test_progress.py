"""The district's progress per year: only verified inventories and issued documents count,
and the figures are the hand calculations from the published factors."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import update

from certify.core.signing import verify_detached
from certify.models.documents import Certificate
from certify.services import keys, progress
from certify.services.progress import DocumentLine, InventoryFigures, tally
from footprint.platform.db import db
from footprint.platform.problems import Problem
from tests.certify.builders import LAST_YEAR, inventory_body

VISITORS = Decimal(100000)


def by_hand(cn2024, *, electricity_mwh: int = 50) -> tuple[Decimal, Decimal]:
    """kgCO2e, location- and market-based, of `inventory_body`: grid electricity, 2 t of
    diesel and 10 t of waste to landfill, from the published factors."""
    factor = {
        key: cn2024.get(group, key).value
        for group, key in (
            ("electricity", "grid_cn"),
            ("electricity", "grid_cn_residual"),
            ("fuel", "diesel"),
            ("waste", "landfill"),
        )
    }
    kwh = Decimal(electricity_mwh * 1000)
    rest = 2000 * factor["diesel"] + 10 * factor["landfill"]
    return kwh * factor["grid_cn"] + rest, kwh * factor["grid_cn_residual"] + rest


def verified_inventory(certification, year: int, electricity_mwh: int) -> int:
    """An inventory of the certification's scenic area for ``year``, verified by the admin
    (no certificate)."""
    c = certification
    created = c.client.post(
        f"/api/v1/venues/{c.venue_id}/inventories",
        json=inventory_body(year, electricity_mwh),
        headers=c.operator,
    )
    assert created.status_code == 201, created.json
    verified = c.client.post(f"/api/v1/inventories/{created.json['id']}/verify", headers=c.admin)
    assert verified.status_code == 200, verified.json
    return created.json["id"]


def periods(app) -> list[progress.PeriodProgress]:
    with app.app_context():
        return progress.periods()


def test_nothing_counts_toward_progress_before_anything_is_verified(app, certification):
    assert periods(app) == []


def test_only_verified_inventories_count_toward_progress(app, certification, cn2024):
    draft = certification.client.post(
        f"/api/v1/venues/{certification.venue_id}/inventories",
        json=inventory_body(LAST_YEAR - 2, 500),
        headers=certification.operator,
    )
    assert draft.status_code == 201
    verified_inventory(certification, LAST_YEAR - 1, 80)
    (period,) = periods(app)  # the draft inventories (two years) are not there
    location, market = by_hand(cn2024, electricity_mwh=80)
    assert period.year == LAST_YEAR - 1
    assert period.inventories_verified == 1
    assert period.gross_location_tco2e == location / 1000
    assert period.gross_market_tco2e == market / 1000
    assert period.net_tco2e == market / 1000  # verified, but not certified: nothing offset
    assert period.credits_retired_tco2e == 0
    assert (period.scenic_areas_certified, period.certificates_issued) == (0, 0)
    assert period.reductions_tco2e == 0  # the subject's first period


def test_an_issued_certificate_counts_its_scenic_area_and_its_credits(app, issued, cn2024):
    (period,) = periods(app)
    location, market = by_hand(cn2024)
    assert period.year == LAST_YEAR
    assert (period.scenic_areas_certified, period.venues_certified) == (1, 0)
    assert (period.certificates_issued, period.labels_issued) == (1, 0)
    assert period.gross_location_tco2e == location / 1000
    assert period.gross_market_tco2e == market / 1000
    assert period.credits_retired_tco2e == 60
    assert period.net_tco2e == market / 1000 - 60
    assert period.visitors == VISITORS
    assert period.per_visitor_kgco2e == market / VISITORS
    assert period.per_room_night_kgco2e is None and period.room_nights == 0


def test_reductions_are_against_each_subjects_first_verified_period(app, certification, cn2024):
    verified_inventory(certification, LAST_YEAR - 1, 80)
    certification.issued()
    first, second = periods(app)
    _, market_first = by_hand(cn2024, electricity_mwh=80)
    _, market_now = by_hand(cn2024)
    assert (first.year, second.year) == (LAST_YEAR - 1, LAST_YEAR)
    assert first.reductions_tco2e == 0
    assert second.reductions_tco2e == (market_first - market_now) / 1000
    assert second.reductions_tco2e == Decimal("17.568")  # 30 MWh at 0.5856 kg/kWh


def test_a_revoked_certificate_no_longer_counts_but_its_verified_emissions_do(
    app, certification, issued, cn2024
):
    certification.ok(issued["id"], "revoke", certification.admin, reason="Counted twice.")
    (period,) = periods(app)
    _, market = by_hand(cn2024)
    assert period.certificates_issued == 1
    assert period.scenic_areas_certified == 0
    assert period.credits_retired_tco2e == 0
    assert period.gross_market_tco2e == period.net_tco2e == market / 1000


def test_a_suspended_certificate_does_not_count_while_suspended(app, certification, issued):
    certification.ok(issued["id"], "suspend", certification.admin, reason="Under review.")
    assert periods(app)[0].scenic_areas_certified == 0
    certification.ok(issued["id"], "reinstate", certification.admin)
    assert periods(app)[0].scenic_areas_certified == 1


def test_a_certificate_changed_behind_the_services_back_counts_for_nothing(
    app, issued, certificate
):
    with app.app_context():
        row = db.session.get(Certificate, certificate["id"])
        content = copy.deepcopy(row.content)
        content["attestation"]["content"]["credits"][0]["quantity"] = 6000
        db.session.execute(
            update(Certificate).where(Certificate.id == row.id).values(content=content)
        )
        db.session.commit()
        (period,) = progress.periods()
        (document,) = progress.report_content(LAST_YEAR)["documents"]
    assert period.year == LAST_YEAR and period.certificates_issued == 1
    assert period.credits_retired_tco2e == 0 and period.scenic_areas_certified == 0
    assert document == {"kind": "certificate", "number": certificate["number"], "status": "invalid"}


def test_an_issued_carbon_label_counts_its_product(app, labelling):
    labelling.issued()
    (period,) = periods(app)
    assert (period.products_labelled, period.labels_issued) == (1, 1)
    assert period.inventories_verified == 0 and period.gross_market_tco2e == 0


def test_the_annual_report_is_signed_by_the_district_and_reads_the_same_all_day(app, issued):
    with app.app_context():
        signed = progress.signed_report(LAST_YEAR, today=date.today())
        again = progress.signed_report(LAST_YEAR, today=date.today())
        assert signed == again
        assert verify_detached(signed["content"], signed["signature"], keys.verifying_keys())
        content = signed["content"]
        assert signed["signature"]["sha256"] == progress.content_sha256(content)
        assert content["figures"] == progress.published_figures(progress.periods()[0])
        assert content["figures"]["credits_retired_tco2e"] == 60
        (document,) = content["documents"]
        assert document["number"] == f"SC-{date.today().year}-{issued['id']:06d}"
        assert document["status"] == "valid" and document["credits_tco2e"] == 60
        assert [d["code"] for d in content["method"]["datasets"]] == ["CN-2024"]
        assert [g["version"] for g in content["method"]["guides"]] == [1]


def test_a_year_without_data_has_no_report(app, issued):
    with app.app_context(), pytest.raises(Problem) as refused:
        progress.report_content(LAST_YEAR - 5)
    assert refused.value.status == 404


# --- the pure tally ------------------------------------------------------------------


def figures(
    inventory_id: int, venue_id: int, year: int, market: str, **metrics
) -> InventoryFigures:
    return InventoryFigures(
        inventory_id=inventory_id,
        venue_id=venue_id,
        period_start=date(year, 1, 1),
        period_end=date(year, 12, 31),
        dataset="CN-2024",
        location_kg=Decimal(market) * 2,
        market_kg=Decimal(market),
        visitors=metrics.get("visitors"),
        room_nights=metrics.get("room_nights"),
    )


def certificate(number: str, inventory_id: int, venue_id: int, credits: int, status: str = "valid"):
    return DocumentLine(
        kind="certificate",
        id=inventory_id,
        number=number,
        status=status,
        year=2024,
        subject_kind="venue",
        subject_id=venue_id,
        inventory_id=inventory_id,
        total_tco2e=Decimal(1),
        credits_tco2e=credits,
    )


def test_intensities_divide_the_emissions_of_those_reporting_visitors_by_their_visitors():
    (period,) = tally(
        inventories=[
            figures(1, 1, 2024, "3000", visitors=Decimal(1000)),
            figures(2, 2, 2024, "5000", room_nights=Decimal(250)),
            figures(3, 3, 2024, "7000"),
        ],
        documents=[],
    )
    assert period.per_visitor_kgco2e == Decimal(3)
    assert period.per_room_night_kgco2e == Decimal(20)
    assert period.gross_market_tco2e == Decimal(15) and period.gross_location_tco2e == 30


def test_one_inventorys_credits_count_once_however_many_certificates_name_it():
    (period,) = tally(
        inventories=[figures(1, 7, 2024, "40000")],
        documents=[
            certificate("SC-2025-000001", 1, 7, 60),
            certificate("SC-2025-000002", 1, 7, 60),
            certificate("SC-2025-000003", 1, 7, 60, status="revoked"),
        ],
    )
    assert period.credits_retired_tco2e == 60 and period.net_tco2e == Decimal(-20)
    assert period.venues_certified == 1 and period.certificates_issued == 3
