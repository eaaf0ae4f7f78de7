"""`certify.services.evidence`: a file's kind is known by its content, never by its
name alone; listings leave the files' bytes in the database."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from certify.services import evidence
from footprint.accounts.users import user_by_email
from footprint.platform.db import db
from tests.certify.builders import PDF_FILE


@pytest.mark.parametrize(
    ("content", "declared", "found"),
    [
        (PDF_FILE, None, evidence.PDF),
        (PDF_FILE, "image/png", evidence.PDF),
        (b"\x89PNG\r\n\x1a\n\x00", None, evidence.PNG),
        (b"\xff\xd8\xff\xdb", None, evidence.JPEG),
        ("月份,电量\n1,1200\n".encode("gb18030"), evidence.CSV, evidence.CSV),
        ("\ufeff月份,电量\n1,1200\n".encode(), evidence.CSV, evidence.CSV),
        ("月份,电量\n1,1200\n".encode(), None, None),
        (b"  <html><body>no</body></html>", evidence.CSV, None),
        (b"a,b\n\x00\x01\x02", evidence.CSV, None),
        (b"PK\x03\x04broken", evidence.XLSX, None),
        (b"GIF89a", None, None),
    ],
)
def test_a_file_is_known_by_its_first_bytes(content, declared, found):
    assert evidence.sniff(content, declared=declared) == found


def test_a_listing_leaves_the_bytes_unloaded_and_a_get_loads_them(app, certification):
    number = certification.apply()["id"]
    assert certification.attach(number).status_code == 201
    with app.app_context():
        operator = user_by_email("operator@wulingyuan.example")
        (listed,) = evidence.listing(operator, application_id=number)
        assert "content" in inspect(listed).unloaded
        db.session.expunge_all()
        one = evidence.get(operator, application_id=number, evidence_id=listed.id)
        assert one.content == PDF_FILE


def test_a_name_keeps_no_folders_and_its_chinese(app, certification):
    number = certification.apply()["id"]
    attached = certification.attach(number, name="账单/电费 2024.pdf")
    assert attached.status_code == 201, attached.json
    assert attached.json["name"] == "电费 2024.pdf"
