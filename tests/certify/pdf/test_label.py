"""Product carbon labels read back with poppler and zbar."""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal

import pytest
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics

from certify.pdf import label
from certify.pdf.label import (
    QR_QUIET_ZONE,
    QR_VERSION,
    SIZES,
    label_layout,
    render_label,
)
from certify.pdf.qr import encode, strongest_level
from certify.pdf.sheets import render_sheets
from footprint.platform.pdf.fonts import cjk_fonts
from tests.certify.pdf import tools
from tests.certify.pdf.builders import URL, label_content


def _label_is_exactly_its_size_and_its_qr_reads_back(size: str, write_pdf) -> None:
    pdf = write_pdf(render_label(label_content(), size), f"{size}.pdf")
    width, height = (float(side) * 72 / 25.4 for side in size.split("x"))
    assert tools.page_size(pdf) == pytest.approx((width, height), abs=0.01)
    assert tools.pages(pdf) == 1
    assert tools.qr_codes(pdf, 600) == [URL]


def test_a_40_by_30_label_is_exactly_that_size_and_its_qr_reads_back(write_pdf):
    _label_is_exactly_its_size_and_its_qr_reads_back("40x30", write_pdf)


def test_a_60_by_40_label_is_exactly_that_size_and_its_qr_reads_back(write_pdf):
    _label_is_exactly_its_size_and_its_qr_reads_back("60x40", write_pdf)


def test_the_qr_code_of_a_40_by_30_label_still_reads_at_300_dpi(write_pdf):
    pdf = write_pdf(render_label(label_content(), "40x30"))
    assert tools.qr_codes(pdf, 300) == [URL]


PRODUCTION = "https://carbon.wulingyuan.gov.cn/v/"
"""A district's public address, longer than the tests' localhost one."""


def test_a_labels_qr_code_is_version_9_at_most_for_a_real_url():
    """Issue 15: a 264-character URL took version 14 (0.33 mm modules)."""
    url = PRODUCTION + URL.rsplit("/v/", 1)[1]
    assert encode(url, strongest_level(url, QR_VERSION)).version <= 9


def test_the_longest_url_allowed_reads_back_on_the_smallest_label(write_pdf):
    longest = URL + "x" * (label.MAX_URL_LENGTH - len(URL))
    pdf = write_pdf(render_label(label_content(verification_url=longest), "40x30"))
    assert tools.qr_codes(pdf, 600) == [longest]


@pytest.mark.parametrize("size", sorted(SIZES))
def test_the_label_says_in_both_languages_what_was_measured(size, write_pdf):
    text = tools.text(write_pdf(render_label(label_content(), size)))
    for expected in (
        "碳足迹",
        "Carbon footprint",
        "CL-2026-000001",
        "1.85",
        "kg CO₂e",
        "每袋（250克）",
        "per 250 g pack",
        "从摇篮到大门",
        "Cradle-to-gate",
        "有效期至",
        "Valid until",
        "2026-12-31",
    ):
        assert expected in text, (expected, text)
    assert ("武陵源莓茶" in text and "Wulingyuan Vine Tea" in text) == SIZES[size].names


def test_cradle_to_grave_is_printed_as_such(write_pdf):
    text = tools.text(write_pdf(render_label(label_content(boundary="cradle_to_grave"), "40x30")))
    assert "从摇篮到坟墓" in text and "Cradle-to-grave" in text
    assert "大门" not in text


def test_the_figure_is_printed_as_attested_with_thousands_separators(write_pdf):
    text = tools.text(write_pdf(render_label(label_content(figure=Decimal("1234.500")), "40x30")))
    assert "1,234.500" in text and "…" not in text


@pytest.mark.parametrize("size", sorted(SIZES))
def test_every_font_is_the_cjk_font_embedded_as_a_subset(size, write_pdf):
    fonts = tools.fonts(write_pdf(render_label(label_content(), size)))
    assert len(fonts) == 1, fonts
    font = fonts[0]
    assert font.embedded and font.subset and font.unicode and font.type == "TrueType"
    face = pdfmetrics.getFont(cjk_fonts().regular).face.name.decode()
    assert font.name.split("+", 1)[1].rsplit("-", 1)[0] == face


@pytest.mark.parametrize("size", sorted(SIZES))
def test_text_stays_on_the_label_and_clear_of_the_qr_code(size, write_pdf):
    long_names = label_content(
        product_name_zh="张家界武陵源天子山土家族手工莓茶特级礼盒装限量版",
        product_name_en="Zhangjiajie Wulingyuan Tianzi Mountain Tujia Handmade "
        "Vine Tea, Premium Gift Box",
        functional_unit_en="per 250 g pack (net)",
        figure=Decimal("12.345"),
    )
    pdf = write_pdf(render_label(long_names, size))
    layout = label_layout(SIZES[size])
    width, height = layout.size.width, layout.size.height
    qr_x, qr_y, qr_width = layout.qr
    qr_top = height - (qr_y + qr_width)  # from the top, as poppler gives it
    found = tools.words(pdf)
    assert len(found) > 15
    for word, x0, y0, x1, y1 in found:
        assert x0 >= 0 and y0 >= 0 and x1 <= width + 0.01 and y1 <= height + 0.01, word
        clear = x1 <= qr_x + 0.01 or y1 <= qr_top + 0.01
        assert clear, (word, (x0, y0, x1, y1), layout.qr)


def test_a_long_product_name_is_cut_short_and_the_rest_stays_whole(write_pdf):
    content = label_content(
        product_name_en="Wulingyuan Tianzi Mountain Tujia Handmade Vine Tea, "
        "Premium Gift Box of Twelve"
    )
    text = tools.text(write_pdf(render_label(content, "60x40")))
    assert "Wulingyuan Tianzi" in text and "…" in text and "Twelve" not in text
    assert "1.85" in text and "per 250 g pack" in text


@pytest.mark.parametrize(
    "change, field",
    [
        ({"figure": Decimal("123456789.123")}, "figure"),
        (
            {"functional_unit_en": "per gift box of twelve 250 g packs, with its tin"},
            "functional_unit_en",
        ),
        ({"functional_unit_zh": "每礼盒（十二袋，每袋250克，含铁罐）"}, "functional_unit_zh"),
        ({"number": "CL-2026-000001-REPRINT-0042"}, "number"),
    ],
)
def test_text_that_must_be_printed_whole_and_does_not_fit_is_refused(change, field):
    with pytest.raises(ValueError, match=field):
        render_label(label_content(**change), "40x30")


def test_a_status_note_is_stamped_across_the_label_and_its_qr_still_reads(write_pdf):
    for size in SIZES:
        pdf = write_pdf(
            render_label(label_content(status_note="已撤销 REVOKED"), size), f"{size}.pdf"
        )
        assert "已撤销 REVOKED" in tools.text(pdf)
        assert tools.qr_codes(pdf, 600) == [URL]  # to the verification page, which says the same


def test_without_a_status_note_nothing_is_stamped(write_pdf):
    assert "REVOKED" not in tools.text(write_pdf(render_label(label_content(), "40x30")))


def test_the_same_label_gives_the_same_bytes():
    assert render_label(label_content(), "40x30") == render_label(label_content(), "40x30")


def test_each_size_lays_out_with_the_qr_code_filling_the_height_below_the_heading():
    for spec in SIZES.values():
        layout = label_layout(spec)
        qr_x, qr_y, qr_width = layout.qr
        inset = spec.qr_inset_mm * mm
        assert qr_x + qr_width == pytest.approx(spec.width - inset)
        assert qr_y == pytest.approx(inset)
        assert layout.rule_y - 1 * mm < qr_y + qr_width < layout.rule_y
        assert layout.column_left + layout.column_width < qr_x
        modules = encode(URL, strongest_level(URL, QR_VERSION)).size + 2 * QR_QUIET_ZONE
        assert qr_width / modules >= 0.4 * mm, "modules too small to scan on a package"
        light = qr_width / modules * QR_QUIET_ZONE + inset
        assert light >= 4 * qr_width / modules, "less than 4 light modules to the edge"
        assert all(layout.size.margin_mm * mm * 0.99 <= y for _, y, _ in layout.lines)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"figure": Decimal(0)}, "figure"),
        ({"figure": Decimal("-1.2")}, "figure"),
        ({"figure": 1.85}, "figure"),
        ({"figure": Decimal("NaN")}, "figure"),
        ({"figure": Decimal("Infinity")}, "figure"),
        ({"boundary": "gate_to_gate"}, "boundary"),
        ({"number": " "}, "number"),
        ({"product_name_zh": ""}, "product_name_zh"),
        ({"functional_unit_en": None}, "functional_unit_en"),
        ({"valid_until": datetime(2026, 12, 31, 12)}, "valid_until"),
        ({"valid_until": "2026-12-31"}, "valid_until"),
        ({"verification_url": "ftp://example.org/v/x"}, "verification_url"),
        ({"verification_url": URL + "x" * 100}, "verification_url"),
        ({"status_note": ""}, "status_note"),
    ],
)
def test_content_that_cannot_be_labelled_is_refused_naming_the_field(change, field):
    with pytest.raises(ValueError, match=field):
        label_content(**change)


def test_an_unknown_size_is_refused():
    with pytest.raises(ValueError, match="size must be one of 40x30, 60x40"):
        render_label(label_content(), "50x30")
    out = io.BytesIO()
    with pytest.raises(ValueError, match="size"):
        render_sheets([label_content()], "A4", out)
    assert out.getvalue() == b""
