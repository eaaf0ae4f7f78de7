"""Evidence on the pages, without JavaScript: the operator attaches files to the
application by a multipart form (errors beside the fields, in Chinese and English),
downloads and removes them; the assigned verifier sees them on the review screen —
description, criterion, size and SHA-256 — and downloads them."""

from __future__ import annotations

import hashlib
import io

from certify.services import evidence
from tests.certify.builders import PDF_FILE
from tests.people import BROWSER, csrf, sign_in_as

OPERATOR = "operator@wulingyuan.example"
HTML_FILE = b"<!doctype html><title>not an invoice</title>"


def page(number: int) -> str:
    return f"/workspace/applications/{number}"


def upload(client, number: int, *, content=PDF_FILE, name="电费 2024.pdf", lang="en", **fields):
    """Post the application page's evidence form, with a file when ``content`` is given."""
    token = csrf(client.get(f"{page(number)}?lang={lang}"))
    data = {"csrf_token": token, "description": "Electricity bills 2024", **fields}
    if content is not None:
        data["file"] = (io.BytesIO(content), name)
    return client.post(f"{page(number)}/evidence?lang={lang}", data=data, headers=BROWSER)


def test_the_operator_attaches_downloads_and_removes_a_file_on_the_application_page(
    app, client, certification
):
    number = certification.apply()["id"]
    sign_in_as(app, client, OPERATOR)
    form = client.get(f"{page(number)}?lang=en").text
    assert 'enctype="multipart/form-data"' in form and 'id="evidence"' in form
    for field in ("evidence-file", "evidence-description", "evidence-criterion_id"):
        assert f'<label for="{field}">' in form
    assert '<option value="Q-1">' in form and "style=" not in form
    attached = upload(client, number, criterion_id="Q-1")
    assert attached.status_code == 303 and attached.location.endswith("#evidence")
    (made,) = client.get(
        f"/api/v1/applications/{number}/evidence", headers=certification.operator
    ).json
    shown = client.get(f"{page(number)}?lang=en&attached=1").text
    link = f'href="{page(number)}/evidence/{made["id"]}"'
    assert link in shown and "电费 2024.pdf" in shown and "The file is attached." in shown
    assert made["sha256"][:12] in shown and "<code>Q-1</code>" in shown
    file = client.get(f"{page(number)}/evidence/{made['id']}", headers=BROWSER)
    assert file.status_code == 200 and file.data == PDF_FILE
    assert file.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''" in file.headers["Content-Disposition"]
    assert file.headers["X-Content-Type-Options"] == "nosniff"
    token = csrf(client.get(page(number)))
    removed = client.post(
        f"{page(number)}/evidence/{made['id']}/remove",
        data={"csrf_token": token},
        headers=BROWSER,
    )
    assert removed.status_code == 303
    assert "No evidence is attached yet." in client.get(f"{page(number)}?lang=en").text


def test_a_refused_file_or_description_is_said_beside_its_field_in_both_languages(
    app, client, certification
):
    number = certification.apply()["id"]
    sign_in_as(app, client, OPERATOR)
    cases = [
        (
            {"content": HTML_FILE, "name": "invoice.pdf"},
            "evidence-file-error",
            "Attach a PDF, PNG, JPEG, CSV or XLSX file.",
            "请附上 PDF、PNG、JPEG、CSV 或 XLSX 文件。",
        ),
        (
            {"content": PDF_FILE + b"0" * evidence.MAX_BYTES},
            "evidence-file-error",
            "At most 10 MB a file.",
            "每个文件最大 10 MB。",
        ),
        ({"content": None}, "evidence-file-error", "This field is required.", "此项为必填。"),
        (
            {"description": ""},
            "evidence-description-error",
            "This field is required.",
            "此项为必填。",
        ),
    ]
    for fields, error_id, english, chinese in cases:
        for lang, said in (("en", english), ("zh", chinese)):
            refused = upload(client, number, lang=lang, **fields)
            assert refused.status_code == 422, (fields.keys(), lang)
            assert f'<p class="field-error" id="{error_id}">{said}</p>' in refused.text
    listed = client.get(f"/api/v1/applications/{number}/evidence", headers=certification.operator)
    assert listed.json == []


def test_after_submission_the_page_offers_no_upload_and_refuses_one(app, client, certification):
    c = certification
    number = c.apply()["id"]
    assert c.attach(number).status_code == 201
    c.ok(number, "submit", c.operator)
    sign_in_as(app, client, OPERATOR)
    shown = client.get(f"{page(number)}?lang=en").text
    assert "electricity-2024.pdf" in shown and 'enctype="multipart/form-data"' not in shown
    assert "/remove" not in shown
    refused = upload(client, number)
    assert refused.status_code == 422 and "submitted" in refused.text


def test_another_organisation_and_anonymous_visitors_reach_no_evidence(
    app, client, sign_in, certification
):
    c = certification
    number = c.apply()["id"]
    made = c.attach(number).json
    download = f"{page(number)}/evidence/{made['id']}"
    anonymous = client.get(download, headers=BROWSER)
    assert anonymous.status_code == 302 and anonymous.location.startswith("/login?next=")
    sign_in("operator", "Tianmen Cableway Co.")
    refused = client.get(download, headers=BROWSER)
    assert refused.status_code == 403 and refused.mimetype == "text/html"
    token = csrf(client.get("/login"))
    attempt = client.post(
        f"{page(number)}/evidence",
        data={"csrf_token": token, "description": "Mine", "file": (io.BytesIO(PDF_FILE), "a.pdf")},
        headers=BROWSER,
    )
    assert attempt.status_code == 403 and attempt.mimetype == "text/html"


def test_the_verifier_sees_each_file_on_the_review_screen_and_downloads_it(
    app, client, sign_in, certification
):
    c = certification
    number = c.apply()["id"]
    made = c.attach(number, criterion_id="Q-1", description="Meter readings, 2024").json
    c.under_review(number)
    sign_in_as(app, client, c.verifier_email)
    screen = client.get(f"/review/applications/{number}?lang=en").text
    link = f'href="/review/applications/{number}/evidence/{made["id"]}"'
    assert 'id="evidence"' in screen and link in screen
    assert "Meter readings, 2024" in screen and "<code>Q-1</code>" in screen
    assert hashlib.sha256(PDF_FILE).hexdigest()[:12] in screen and "KB" in screen
    assert "/remove" not in screen
    file = client.get(f"/review/applications/{number}/evidence/{made['id']}", headers=BROWSER)
    assert file.status_code == 200 and file.data == PDF_FILE
    assert file.headers["Content-Disposition"].startswith("attachment;")
    sign_in("verifier", "Another Verification Body")
    refused = client.get(f"/review/applications/{number}/evidence/{made['id']}", headers=BROWSER)
    assert refused.status_code == 403 and refused.mimetype == "text/html"


def test_a_new_file_shows_on_a_review_screen_that_was_viewed_before(app, client, certification):
    c = certification
    number = c.under_review()
    c.ok(number, "request_changes", c.verifier, reason="Attach the diesel invoices.")
    sign_in_as(app, client, c.verifier_email)
    before = client.get(f"/review/applications/{number}?lang=en")
    assert "No evidence is attached yet." in before.text
    assert client.get(f"/review/applications/{number}?lang=en").data == before.data  # kept
    assert c.attach(number, description="Diesel invoices").status_code == 201
    after = client.get(f"/review/applications/{number}?lang=en").text
    assert "Diesel invoices" in after and "No evidence is attached yet." not in after
