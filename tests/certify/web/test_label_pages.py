"""Carbon labels in the operators' workspace: applying for one from a footprint study
(the applications service the API calls), the organisation's labels, and an issued
label's PDFs and print sheets (the labels services the API uses)."""

from __future__ import annotations

import pytest

from certify.web.labels import MAX_SHEET_LABELS
from tests.certify.builders import OPERATOR_ORG
from tests.people import BROWSER, csrf

PAGES = "/workspace/labels"


def study_page(labelling) -> str:
    return f"/workspace/products/footprints/{labelling.footprint['id']}"


def apply(client, footprint_id: int, page: str):
    token = csrf(client.get(page, headers=BROWSER))
    return client.post(
        f"{PAGES}/apply?lang=en",
        data={"csrf_token": token, "product_footprint_id": str(footprint_id)},
        headers=BROWSER,
    )


@pytest.fixture
def label_id(labelling) -> int:
    """A label the district has issued on the tea maker's footprint study."""
    return labelling.issued()["label_id"]


def test_applying_for_a_label_from_the_study_starts_the_application(client, labelling, sign_in):
    sign_in("operator", OPERATOR_ORG)
    applied = apply(client, labelling.footprint["id"], study_page(labelling))
    assert applied.status_code == 303 and applied.location.startswith("/workspace/applications/")
    application_id = applied.location.rsplit("/", 1)[1]
    operator = labelling.certification.operator
    api = client.get(f"/api/v1/applications/{application_id}", headers=operator).json
    assert api["subject_kind"] == "product" and api["state"] == "draft"
    assert api["product_footprint_id"] == labelling.footprint["id"]


def test_another_organisations_study_is_not_applied_for(client, labelling, sign_in):
    sign_in("operator", "Tianmen Tea Co.")
    refused = apply(client, labelling.footprint["id"], "/workspace/products")
    assert refused.status_code == 403 and refused.mimetype == "text/html"
    operator = labelling.certification.operator
    assert client.get("/api/v1/applications", headers=operator).json["total"] == 0


def test_an_issued_label_offers_its_pdfs_and_print_sheets(client, label_id, sign_in):
    sign_in("operator", OPERATOR_ORG)
    label = client.get(f"/api/v1/labels/{label_id}").json
    listed = client.get(f"{PAGES}?lang=en", headers=BROWSER).text
    assert label["number"] in listed and "Valid" in listed
    page = client.get(f"{PAGES}/{label_id}?lang=en", headers=BROWSER)
    assert page.status_code == 200 and label["verification_url"] in page.text
    for size in ("40x30", "60x40"):
        assert f"{PAGES}/{label_id}/pdf?size={size}" in page.text
        pdf = client.get(f"{PAGES}/{label_id}/pdf?size={size}", headers=BROWSER)
        assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert 'id="sheet-form"' in page.text
    sheets = client.get(f"{PAGES}/{label_id}/sheets?size=60x40&count=20", headers=BROWSER)
    assert sheets.status_code == 200 and sheets.data.startswith(b"%PDF")
    assert sheets.headers["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize(
    ("lang", "message"),
    [("en", f"From 1 to {MAX_SHEET_LABELS}."), ("zh", f"1 至 {MAX_SHEET_LABELS}")],
)
def test_a_print_sheet_count_out_of_bounds_is_named_beside_it(
    client, label_id, sign_in, lang, message
):
    sign_in("operator", OPERATOR_ORG)
    refused = client.get(
        f"{PAGES}/{label_id}/sheets?size=60x40&count=0&lang={lang}", headers=BROWSER
    )
    assert refused.status_code == 422 and refused.mimetype == "text/html"
    assert 'id="count-error">' in refused.text and message in refused.text
    assert 'value="0"' in refused.text


def test_a_label_is_its_owners_and_the_districts(client, label_id, sign_in):
    pages = (PAGES, f"{PAGES}/{label_id}", f"{PAGES}/{label_id}/pdf?size=60x40")
    anonymous = client.application.test_client()
    for path in pages:
        answered = anonymous.get(path, headers=BROWSER)
        assert answered.status_code == 302 and answered.location.startswith("/login?next=")
    sign_in("admin", "Wulingyuan District")
    assert all(client.get(path, headers=BROWSER).status_code == 200 for path in pages)
    sign_in("operator", "Tianmen Tea Co.")
    assert client.get(PAGES, headers=BROWSER).status_code == 200
    for path in pages[1:]:
        answered = client.get(path, headers=BROWSER)
        assert answered.status_code == 403 and answered.mimetype == "text/html", path
    sign_in("verifier", "Hunan Carbon Verification Centre")
    assert all(client.get(path, headers=BROWSER).status_code == 403 for path in pages)
