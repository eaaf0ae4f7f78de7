"""Evidence through the API: the applicant's operator attaches files to a draft (or when
changes were requested), whoever may read the application lists and downloads them, and
each attachment is in the audit chain with its SHA-256."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest

from certify.services import evidence
from tests.certify.builders import PDF_FILE, make_user

PNG_FILE = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
HTML_FILE = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


def workbook() -> bytes:
    """The smallest thing that is an XLSX by its parts."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return out.getvalue()


def url(application_id: int, evidence_id: int | None = None) -> str:
    tail = "" if evidence_id is None else f"/{evidence_id}"
    return f"/api/v1/applications/{application_id}/evidence{tail}"


def test_an_operator_attaches_lists_downloads_and_removes_a_file(client, certification):
    c = certification
    number = c.apply()["id"]
    attached = c.attach(number, criterion_id="Q-1")
    assert attached.status_code == 201, attached.json
    made = attached.json
    assert made["name"] == "electricity-2024.pdf" and made["media_type"] == "application/pdf"
    assert made["size"] == len(PDF_FILE) and made["criterion_id"] == "Q-1"
    assert made["sha256"] == hashlib.sha256(PDF_FILE).hexdigest()
    assert made["uploaded_by"] == "operator@wulingyuan.example"
    assert client.get(url(number), headers=c.operator).json == [made]
    file = client.get(url(number, made["id"]), headers=c.operator)
    assert file.status_code == 200 and file.data == PDF_FILE
    assert file.mimetype == "application/pdf"
    assert file.headers["Content-Disposition"].startswith("attachment;")
    assert file.headers["X-Content-Type-Options"] == "nosniff"
    assert "private" in file.headers["Cache-Control"]
    again = client.get(
        url(number, made["id"]), headers={**c.operator, "If-None-Match": f'"{made["sha256"]}"'}
    )
    assert again.status_code == 304
    assert client.delete(url(number, made["id"]), headers=c.operator).status_code == 204
    assert client.get(url(number), headers=c.operator).json == []
    assert client.get(url(number, made["id"]), headers=c.operator).status_code == 404


@pytest.mark.parametrize(
    ("content", "name", "media_type"),
    [
        (PNG_FILE, "pv-output.png", "image/png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 16, "meter.jpg", "image/jpeg"),
        ("日期,电量 kWh\n2024-01,1200\n".encode(), "meter.csv", "text/csv"),
        (workbook(), "refrigerant-log.xlsx", evidence.XLSX),
    ],
)
def test_each_accepted_kind_is_known_by_its_content(certification, content, name, media_type):
    attached = certification.attach(certification.apply()["id"], content, name)
    assert attached.status_code == 201, attached.json
    assert attached.json["media_type"] == media_type


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (HTML_FILE, "invoice.pdf"),
        (HTML_FILE, "invoice.csv"),
        (PDF_FILE, "photo.png"),
        (b"PK\x03\x04not really a workbook", "log.xlsx"),
        (b"MZ\x90\x00\x03\x00", "setup.exe"),
        (b"", "empty.pdf"),
    ],
)
def test_a_file_that_is_not_what_it_may_be_is_refused_naming_the_file(certification, content, name):
    refused = certification.attach(certification.apply()["id"], content, name)
    assert refused.status_code == 422
    assert list(refused.json["errors"]) == ["file"]


def test_a_file_larger_than_ten_megabytes_is_refused_naming_the_file(certification):
    too_large = PDF_FILE + b"0" * (evidence.MAX_BYTES + 1 - len(PDF_FILE))
    refused = certification.attach(certification.apply()["id"], too_large)
    assert refused.status_code == 422
    assert "10 MB" in refused.json["errors"]["file"][0]


def test_a_missing_description_or_file_or_an_unknown_criterion_is_refused_by_name(
    client, certification
):
    c = certification
    number = c.apply()["id"]
    blank = c.attach(number, description="  ")
    assert blank.status_code == 422 and list(blank.json["errors"]) == ["description"]
    no_file = client.post(url(number), data={"description": "Bills"}, headers=c.operator)
    assert no_file.status_code == 422 and list(no_file.json["errors"]) == ["file"]
    unknown = c.attach(number, criterion_id="Z-99")
    assert unknown.status_code == 422 and list(unknown.json["errors"]) == ["criterion_id"]
    assert client.get(url(number), headers=c.operator).json == []


def test_evidence_is_attached_and_removed_only_while_the_application_may_change(
    client, certification
):
    c = certification
    number = c.apply()["id"]
    kept = c.attach(number).json
    c.ok(number, "submit", c.operator)
    late = c.attach(number)
    assert late.status_code == 409, late.json
    assert client.delete(url(number, kept["id"]), headers=c.operator).status_code == 409
    assert c.assign(number).status_code == 200
    c.ok(number, "start_review", c.verifier)
    c.ok(number, "request_changes", c.verifier, reason="Add the diesel invoices.")
    assert c.attach(number, description="Diesel invoices").status_code == 201


def test_an_application_holds_at_most_its_limit_of_files(certification, monkeypatch):
    monkeypatch.setattr(evidence, "MAX_FILES", 2)
    number = certification.apply()["id"]
    for _ in range(2):
        assert certification.attach(number).status_code == 201
    assert certification.attach(number).status_code == 409


def test_the_assigned_verifier_and_the_district_read_it_and_no_one_else(app, client, certification):
    c = certification
    number = c.apply()["id"]
    made = c.attach(number).json
    c.ok(number, "submit", c.operator)
    assert c.assign(number).status_code == 200
    rival = make_user(app, "operator", "Tianmen Cableway Co.", "rival@cableway.example")
    stranger = make_user(app, "verifier", "Another Verifier Ltd.", "other@verifier.example")
    for headers in (c.verifier, c.admin):
        assert client.get(url(number), headers=headers).json == [made]
        assert client.get(url(number, made["id"]), headers=headers).data == PDF_FILE
    for headers in (rival, stranger):
        assert client.get(url(number), headers=headers).status_code == 403
        assert client.get(url(number, made["id"]), headers=headers).status_code == 403
    assert client.get(url(number)).status_code == 401
    assert client.get(url(number, made["id"])).status_code == 401


def test_only_the_applicants_operators_attach_or_remove(app, client, certification):
    c = certification
    number = c.apply()["id"]
    made = c.attach(number).json
    rival = make_user(app, "operator", "Tianmen Cableway Co.", "rival@cableway.example")
    assert c.attach(number, headers=rival).status_code == 403
    assert client.delete(url(number, made["id"]), headers=rival).status_code == 403
    for headers in (c.verifier, c.admin):
        assert c.attach(number, headers=headers).status_code == 403
        assert client.delete(url(number, made["id"]), headers=headers).status_code == 403
    assert c.attach(number, headers={}).status_code == 401
    assert client.delete(url(number, made["id"])).status_code == 401


def test_attaching_and_removing_are_in_the_audit_chain_with_the_files_hash(client, certification):
    c = certification
    number = c.apply()["id"]
    made = c.attach(number).json
    assert client.delete(url(number, made["id"]), headers=c.operator).status_code == 204
    trail = client.get(f"/api/v1/applications/{number}/audit", headers=c.operator).json
    attached, removed = (e for e in trail if e["action"].startswith("evidence."))
    assert attached["action"] == "evidence.attached"
    assert attached["subject"] == f"application:{number}/evidence:{made['id']}"
    assert attached["after"]["sha256"] == hashlib.sha256(PDF_FILE).hexdigest()
    assert removed["action"] == "evidence.removed" and removed["after"] is None
    assert removed["before"]["sha256"] == made["sha256"]
