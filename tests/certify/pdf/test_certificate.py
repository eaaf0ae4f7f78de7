"""The certificate PDF read back with poppler and zbar, as a viewer and a phone would."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import pytest
from reportlab.pdfbase import pdfmetrics

from certify.pdf.certificate import (
    TITLE_EN,
    TITLE_ZH,
    CertificateContent,
    RetiredCreditsLine,
    render_certificate,
)
from footprint.platform.pdf.fonts import cjk_fonts
from tests.certify.pdf import tools
from tests.certify.pdf.builders import SUBJECT_ZH

A4_POINTS = "595.276 x 841.89 pts (A4)"


def test_the_certificate_is_one_a4_portrait_page(certificate_pdf):
    info = tools.run("pdfinfo", str(certificate_pdf)).stdout.decode()
    assert "Pages:           1" in info
    assert A4_POINTS in info


def test_the_chinese_title_and_subject_come_back_out_as_text(certificate_pdf, content):
    text = tools.text(certificate_pdf)
    assert TITLE_ZH in text
    assert TITLE_EN in text
    assert SUBJECT_ZH in text
    assert content.subject_name_en in text
    assert "8ED9 D839 F70E 69D6" in text
    assert "WLY-SXY01-2023-000000001" in text and "WLY-SXY01-2023-000006000" in text


def test_every_font_is_an_embedded_subset_with_a_unicode_map(certificate_pdf):
    fonts = tools.fonts(certificate_pdf)
    assert fonts, "pdffonts lists no font"
    assert all(font.embedded for font in fonts), fonts
    assert all(font.subset and font.unicode for font in fonts), fonts
    face = pdfmetrics.getFont(cjk_fonts().regular).face.name.decode()
    assert {font.name.split("+", 1)[1].rsplit("-", 1)[0] for font in fonts} == {face}
    assert {font.type for font in fonts} == {"TrueType"}


def test_the_certificate_qr_code_reads_back_as_its_verification_url(certificate_pdf, content):
    assert tools.decode_qr_pages(certificate_pdf, 150) == [content.verification_url]


def test_the_chinese_title_is_drawn_as_five_different_glyphs(certificate_pdf):
    x, y, width, height = tools.word_box(certificate_pdf, TITLE_ZH)
    title = tools.crop(certificate_pdf, 150, (x, y, width, height))
    above = tools.crop(certificate_pdf, 150, (x, y - 20, width, 16))  # under the header line
    assert above.dark() == 0
    assert title.dark() > 0.15 * title.width * title.height  # solid strokes, not hairlines
    cell = title.width // len(TITLE_ZH)
    glyphs = [title.columns(i * cell, (i + 1) * cell) for i in range(len(TITLE_ZH))]
    assert all(sum(value < 128 for value in glyph) > 50 for glyph in glyphs)
    assert len(set(glyphs)) == len(TITLE_ZH), "identical cells: missing-glyph boxes?"


def test_a_status_note_is_stamped_across_the_page_as_text(content, write_pdf):
    revoked = dataclasses.replace(content, status_note="REVOKED 已撤销")
    text = tools.text(write_pdf(render_certificate(revoked)))
    assert text.count("REVOKED 已撤销") == 2  # the status line and the stamp


def test_without_a_status_note_there_is_no_stamp(certificate_pdf):
    text = tools.text(certificate_pdf)
    assert "REVOKED" not in text and "Status:" not in text


def test_the_emissions_table_prints_each_scope_and_the_totals(certificate_pdf):
    text = tools.text(certificate_pdf)
    for figure in ("1,234.568", "3,456.789", "2,100.250", "5,678.900", "812.400"):
        assert figure in text
    assert "9,013.718" in text  # 1234.5675 + 2100.25 + 5678.9, rounded once
    assert "9,100.000" in text and "-86.283" in text  # credits, and net after them


def test_the_same_content_gives_the_same_bytes(content):
    assert render_certificate(content) == render_certificate(content)


def test_a_certificate_without_credits_says_so(content, write_pdf):
    text = tools.text(write_pdf(render_certificate(dataclasses.replace(content, credits=()))))
    assert "无 None" in text


def test_six_credit_lines_fit_on_the_page(content, write_pdf):
    six = dataclasses.replace(content, credits=content.credits * 3)
    pdf = write_pdf(render_certificate(six))
    assert tools.text(pdf).count("WLY-TZS02-2024-000003200") == 3
    assert tools.decode_qr_pages(pdf, 150) == [content.verification_url]


def test_content_that_would_run_into_the_verification_block_is_refused(content):
    many = dataclasses.replace(content, credits=content.credits * 4)
    with pytest.raises(ValueError, match="do not fit on one page"):
        render_certificate(many)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"period_end": date(2023, 12, 31)}, "before it starts"),
        ({"valid_until": date(2025, 1, 1)}, "before issued_on"),
        ({"scope1": Decimal(-1)}, "may not be negative"),
        ({"scope3": 12.5}, "finite Decimal"),
        ({"scope2_market": Decimal("NaN")}, "finite Decimal"),
        ({"subject_kind": "hotel"}, "subject_kind"),
        ({"subject_name_zh": " "}, "non-empty"),
        ({"guide_version": 0}, "guide_version"),
        ({"credits": [object()]}, "tuple of RetiredCreditsLine"),
    ],
)
def test_content_that_cannot_be_certified_is_refused(content, change, message):
    with pytest.raises(ValueError, match=message):
        dataclasses.replace(content, **change)


def test_a_credit_line_needs_at_least_one_credit():
    with pytest.raises(ValueError, match="quantity"):
        RetiredCreditsLine("R", "P", "CCER", 2023, "A-1", "A-1", 0)


def test_the_total_uses_market_based_scope_2(content: CertificateContent):
    assert content.total_tco2e == Decimal("9013.7175")
    assert content.credits_tco2e == 9100
    assert content.net_tco2e == Decimal("-86.2825")
