"""The guide as a printable PDF (`/guide.pdf`), read back with poppler's tools."""

import re
import shutil
import subprocess
from pathlib import Path

from PIL import Image

from guides.core import load_guide
from guides.pdf import render_guide


def _poppler(tool: str, *args: str) -> str:
    assert shutil.which(tool), f"{tool} is needed: apt-get install poppler-utils"
    return subprocess.run([tool, *args], check=True, capture_output=True, text=True).stdout


def _saved_pdf(client, tmp_path: Path, url: str = "/guide.pdf") -> Path:
    response = client.get(url)
    assert response.status_code == 200
    path = tmp_path / "guide.pdf"
    path.write_bytes(response.data)
    return path


def test_the_guide_pdf_is_served_inline_under_its_version(client):
    latest = client.get("/guide.pdf")
    first = client.get("/guide/1.pdf")
    assert latest.mimetype == first.mimetype == "application/pdf"
    assert latest.headers["Content-Disposition"] == 'inline; filename="scenic-carbon-guide-v1.pdf"'
    assert first.headers["Content-Disposition"] == latest.headers["Content-Disposition"]
    assert first.data == latest.data and first.data.startswith(b"%PDF-")


def test_the_guide_pdf_names_every_criterion(client, tmp_path):
    guide = load_guide()
    text = _poppler("pdftotext", str(_saved_pdf(client, tmp_path)), "-")
    assert guide.title_zh in text and guide.title_en in text and guide.checksum in text
    for section in guide.sections:
        assert section.title_zh in text and section.title_en in text
    missing = [c.id for c in guide.criteria if not re.search(rf"\b{re.escape(c.id)}\b", text)]
    assert missing == []


def test_every_page_of_the_guide_pdf_carries_its_number_and_the_guide_version(client, tmp_path):
    text = _poppler("pdftotext", str(_saved_pdf(client, tmp_path)), "-")
    pages = text.split("\f")[:-1]
    assert len(pages) > 3
    for number, page in enumerate(pages, start=1):
        assert f"第 {number} 页 / Page {number}" in page
        assert "版本 Version 1" in page


def test_the_guide_pdf_embeds_its_cjk_font_as_a_truetype_subset(client, tmp_path):
    listing = _poppler("pdffonts", str(_saved_pdf(client, tmp_path)))
    rows = [line.split() for line in listing.splitlines()[2:]]
    assert rows
    for name, kind, _encoding, embedded, subset, *_ in rows:
        assert re.fullmatch(r"[A-Z]{6}\+WenQuanYiZenHei-\d+", name)
        assert (kind, embedded, subset) == ("TrueType", "yes", "yes")


def test_the_first_page_of_the_guide_pdf_renders_with_ink_on_it(client, tmp_path):
    pdf = _saved_pdf(client, tmp_path)
    _poppler(
        "pdftoppm",
        "-r",
        "50",
        "-png",
        "-f",
        "1",
        "-l",
        "1",
        "-singlefile",
        str(pdf),
        str(tmp_path / "page"),
    )
    with Image.open(tmp_path / "page.png") as image:
        grey = image.convert("L")
        inked = sum(grey.histogram()[:200])
        assert inked > 0.01 * grey.width * grey.height


def test_an_unknown_guide_version_has_no_pdf(client):
    response = client.get("/guide/999.pdf")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.json["detail"] == "no guide version 999"


def test_the_guide_page_links_to_its_pdf(client):
    page = client.get("/guide").get_data(as_text=True)
    assert 'href="/guide/1.pdf"' in page and "下载 PDF" in page
    english = client.get("/guide?lang=en").get_data(as_text=True)
    assert 'href="/guide/1.pdf"' in english and "Download the PDF" in english


def test_the_same_guide_always_gives_the_same_pdf():
    guide = load_guide()
    assert render_guide(guide) == render_guide(guide)
