"""An issued certificate's PDF, fetched through the API and read back with poppler and zbar."""

from __future__ import annotations

from pathlib import Path

from certify.pdf.certificate import TITLE_EN, TITLE_ZH
from tests.certify.builders import LAST_YEAR, SCENIC_AREA, VERIFIER_ORG
from tests.certify.pdf import tools

NOTES = ("已撤销 REVOKED", "暂停 SUSPENDED", "已过期 EXPIRED")
STAMP_BAND = (40, 330, 515, 150)
"""Where the status stamp goes: across the middle of the A4 page, in points from the top left."""


def fetch_pdf(client, certificate: dict, folder: Path, name: str = "certificate.pdf") -> Path:
    response = client.get(f"/api/v1/certificates/{certificate['id']}/pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    path = folder / name
    path.write_bytes(response.data)
    return path


def one_line(text: str) -> str:
    """pdftotext's text with its line breaks removed, for long values it wraps, and
    without hyphens: pdftotext drops one that ends a line (a URL wrapped after a ``-`` of
    its token), taking it for a word's hyphenation."""
    return "".join(text.split()).replace("-", "")


def test_the_issued_certificate_pdf_shows_the_subject_the_credits_and_the_verifier_in_both_languages(  # noqa: E501
    client, issued, certificate, tmp_path
):
    text = tools.text(fetch_pdf(client, certificate, tmp_path))
    assert certificate["number"] in text
    assert SCENIC_AREA["name"] in text
    assert f"WLY-TZS01-{LAST_YEAR}-{1:09d}" in text
    assert f"WLY-TZS01-{LAST_YEAR}-{60:09d}" in text
    assert VERIFIER_ORG in text
    version = issued["guide_version"]
    assert f"第{version}版" in text and f"version {version}" in text
    assert TITLE_ZH in text and TITLE_EN in text
    for chinese in ("武陵源风景名胜区", "注销的碳信用", "核证机构", "有效期至"):
        assert chinese in text
    assert one_line(certificate["verification_url"]) in one_line(text)
    assert not any(note in text for note in NOTES), "a valid certificate carries no stamp"


def test_the_qr_code_on_the_certificate_reads_back_as_its_verification_url(
    client, certificate, tmp_path
):
    pdf = fetch_pdf(client, certificate, tmp_path)
    assert tools.decode_qr_pages(pdf, 150) == [certificate["verification_url"]]
    assert certificate["verification_url"].endswith(f"/v/{certificate['token']}")


def test_the_cjk_font_is_embedded_and_the_first_page_renders(client, certificate, tmp_path):
    pdf = fetch_pdf(client, certificate, tmp_path)
    fonts = tools.fonts(pdf)
    assert fonts, "pdffonts lists no font"
    assert all(font.embedded and font.unicode for font in fonts), fonts
    page = tools.parse_pgm(
        tools.run(
            "pdftoppm", "-r", "50", "-gray", "-singlefile", "-f", "1", "-l", "1", str(pdf)
        ).stdout
    )
    assert page.width < page.height  # portrait
    assert 0.01 * len(page.pixels) < page.dark() < 0.5 * len(page.pixels)


def status_of(client, certificate: dict) -> str:
    return client.get(f"/api/v1/certificates/{certificate['id']}").json["status"]


def assert_stamped(pdf: Path, note: str, valid_pdf: Path, verification_url: str) -> None:
    text = tools.text(pdf)
    assert text.count(note) == 2, text  # the status line at the top, and the stamp
    assert f"状态 Status: {note}" in text
    assert not any(other in text for other in NOTES if other != note)
    assert "Valid\n" not in text and "有效\n" not in text  # no "valid" status anywhere
    stamp, clean = tools.crop(pdf, 72, STAMP_BAND), tools.crop(valid_pdf, 72, STAMP_BAND)
    assert stamp.pixels != clean.pixels, "the stamp is not drawn on the page"
    # the stamp leaves the QR code readable, so a phone still learns the status
    assert tools.decode_qr_pages(pdf, 150) == [verification_url]


def test_a_revoked_certificate_pdf_is_stamped_revoked_and_never_claims_validity(
    client, certification, issued, certificate, tmp_path
):
    valid = fetch_pdf(client, certificate, tmp_path, "valid.pdf")
    certification.ok(
        issued["id"], "revoke", certification.admin, reason="Credits were counted twice."
    )
    assert status_of(client, certificate) == "revoked"
    revoked = fetch_pdf(client, certificate, tmp_path, "revoked.pdf")
    assert_stamped(revoked, "已撤销 REVOKED", valid, certificate["verification_url"])


def test_a_suspended_certificate_pdf_is_stamped_suspended_and_never_claims_validity(
    client, certification, issued, certificate, tmp_path
):
    valid = fetch_pdf(client, certificate, tmp_path, "valid.pdf")
    certification.ok(
        issued["id"],
        "suspend",
        certification.admin,
        reason="The verifier's accreditation is under review.",
    )
    assert status_of(client, certificate) == "suspended"
    suspended = fetch_pdf(client, certificate, tmp_path, "suspended.pdf")
    assert_stamped(suspended, "暂停 SUSPENDED", valid, certificate["verification_url"])


def test_after_reinstating_a_suspended_certificate_its_pdf_has_no_stamp(
    client, certification, issued, certificate, tmp_path
):
    valid = fetch_pdf(client, certificate, tmp_path, "valid.pdf")
    certification.ok(issued["id"], "suspend", certification.admin, reason="Under review.")
    certification.ok(issued["id"], "reinstate", certification.admin, reason="Review closed.")
    assert status_of(client, certificate) == "valid"
    again = fetch_pdf(client, certificate, tmp_path, "again.pdf")
    text = tools.text(again)
    assert not any(note in text for note in NOTES) and "Status:" not in text
    assert tools.crop(again, 72, STAMP_BAND).pixels == tools.crop(valid, 72, STAMP_BAND).pixels


def test_the_pdf_and_the_page_name_the_verifiers_sign_off_key_and_the_districts_issuing_key(
    client, certificate, tmp_path
):
    """Hole: the PDF showed the verifier's key and the /v/ page the district's, both
    labelled "Signing key"."""
    text = tools.text(fetch_pdf(client, certificate, tmp_path))
    assert "Signing key" not in text
    assert "核查机构签署密钥" in text and "Verifier's sign-off key" in text
    scanned = client.get("/api/v1/verify/" + certificate["token"]).json
    chinese = client.get("/v/" + certificate["token"]).get_data(as_text=True)
    assert "区碳办颁发密钥" in chinese and "核查机构签署密钥" in chinese
    assert scanned["verifier_key_fingerprint"] in chinese
    english = client.get("/v/" + certificate["token"] + "?lang=en").get_data(as_text=True)
    assert "Signing key" not in english
    assert "District's issuing key" in english and "Verifier's sign-off key" in english
    assert scanned["verifier_key_fingerprint"] in english
