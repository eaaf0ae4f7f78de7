"""Importing registry exports: all-or-nothing, row/column errors, dry run, idempotent."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import func, select

from certify.models.registry import Issuance, LedgerEvent, Retirement
from certify.services import imports, ledger
from footprint.accounts.models import Role, User
from footprint.accounts.users import create_user
from footprint.platform.db import db
from tests.database import fresh_database

VERRA = """Serial Number,Name,Project Type,Methodology,Country/Area,Quantity Issued,\
Retirement/Cancellation Date,Retirement Beneficiary,Retirement Reason
9803-153898061-153898160-VCS-VCU-263-VER-CN-14-1115-01012021-31122021-0,\
Hunan Afforestation,Afforestation Reforestation and Revegetation,AR-ACM0003,China,100,,,
9804-153898161-153898170-VCS-VCU-263-VER-CN-14-1115-01012021-31122021-0,\
Hunan Afforestation,Afforestation Reforestation and Revegetation,AR-ACM0003,China,10,\
2022-03-01,Tianmen Hotel,2021 neutrality
"""


@pytest.fixture
def admin(app):
    with app.app_context():
        user, _ = create_user("importer@example.com", role=Role.ADMIN, organisation_name="District")
        yield db.session.get(User, user.id)


def run(text: str, fmt: str = "verra", *, dry_run: bool = False, holder: str = "Holder Co."):
    user = db.session.scalar(select(User).where(User.email == "importer@example.com"))
    return imports.run(io.StringIO(text), fmt=fmt, holder=holder, user=user, dry_run=dry_run)


def counts() -> tuple[int, int, int]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(m))
        for m in (Issuance, Retirement, LedgerEvent)
    )


def test_a_verra_export_imports_blocks_and_their_retirements(app, admin):
    report = run(VERRA)
    assert report.ok, report.errors
    assert (report.created, report.credits, report.retired) == (2, 110, 1)
    assert counts() == (2, 1, 3)
    retirement = db.session.scalar(select(Retirement))
    assert retirement.beneficiary == "Tianmen Hotel" and retirement.quantity == 10
    assert ledger.check() == []


def test_importing_the_same_file_again_changes_nothing(app, admin):
    run(VERRA)
    before = counts()
    again = run(VERRA)
    assert again.ok and again.unchanged == 2 and again.created == 0
    assert counts() == before


def test_a_dry_run_reports_what_would_happen_and_writes_nothing(app, admin):
    report = run(VERRA, dry_run=True)
    assert report.ok and report.created == 2 and report.dry_run
    assert counts() == (0, 0, 0)


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written(app, admin):
    bad = VERRA.replace("153898160-VCS", "153898060-VCS").replace(",China,10,", ",China,11,")
    report = run(bad)
    assert not report.ok
    assert [(e["row"], e["column"]) for e in report.errors] == [
        (2, "Serial Number"),
        (3, "Quantity Issued"),
    ]
    assert counts() == (0, 0, 0)


def test_a_file_without_the_expected_columns_is_refused(app, admin):
    report = run("Serial,Name\n1,2\n")
    assert report.errors[0]["row"] == 1 and "Serial Number" in report.errors[0]["column"]


def export_text() -> str:
    out = io.StringIO()
    csv.writer(out).writerows(imports.export_rows())
    return out.getvalue()


def test_our_own_export_round_trips_into_an_empty_registry(app, admin):
    run(VERRA)
    exported = export_text()
    assert "VCS-VCS1115-2021-153898061,VCS-VCS1115-2021-153898160" in exported
    fresh_database(app)
    with app.app_context():
        create_user("importer@example.com", role=Role.ADMIN, organisation_name="District")
        report = run(exported, "scenic")
        assert report.ok, report.errors
        assert report.created == 2 and report.retired == 1
        assert export_text() == exported
        assert ledger.check() == []


def test_the_import_command_says_what_it_did(app, admin, tmp_path):
    source = tmp_path / "vcu.csv"
    source.write_text(VERRA, encoding="utf-8")
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "registry",
            "import",
            str(source),
            "--format",
            "verra",
            "--holder",
            "Holder Co.",
            "--as",
            "importer@example.com",
            "--dry-run",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "would import 2 blocks (110 credits, 1 retired)" in result.output
    result = runner.invoke(
        args=[
            "registry",
            "import",
            str(source),
            "--format",
            "verra",
            "--holder",
            "Holder Co.",
            "--as",
            "nobody@example.com",
        ]
    )
    assert result.exit_code != 0


def test_the_import_endpoint_takes_a_csv_body_for_admins_only(client, auth):
    admin, operator = auth("admin", "District"), auth("operator", "Holder Co.")
    url = "/api/v1/registry/imports?format=verra&holder=Holder%20Co."
    csv_headers = {"Content-Type": "text/csv"}
    assert client.post(url, data=VERRA, headers={**operator, **csv_headers}).status_code == 403
    dry = client.post(url + "&dry_run=true", data=VERRA, headers={**admin, **csv_headers})
    assert dry.status_code == 200 and dry.json["created"] == 2 and dry.json["dry_run"]
    done = client.post(url, data=VERRA, headers={**admin, **csv_headers})
    assert done.json["created"] == 2
    assert client.post(url, data=VERRA, headers={**admin, **csv_headers}).json["unchanged"] == 2
    bad = client.post(
        url, data=VERRA.replace(",China,100,", ",China,7,"), headers={**admin, **csv_headers}
    )
    assert bad.status_code == 422
    assert "row 2: Quantity Issued" in bad.json["errors"]
