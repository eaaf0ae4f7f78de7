"""Product carbon labels and print sheets read back with poppler and zbar."""

from __future__ import annotations

import io
import re
from datetime import date, datetime
from decimal import Decimal
from itertools import combinations
from pathlib import Path

import pytest
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics

from certify.pdf import label
from certify.pdf.fonts import cjk_fonts
from certify.pdf.label import (
    SIZES,
    LabelContent,
    label_layout,
    render_label,
    render_sheets,
    sheet_layout,
)
from certify.pdf.qr import QUIET_ZONE, encode
from tests.certify.pdf import tools
from tests.certify.pdf.conftest import verification_url

URL = verification_url(7)


def make(n: int = 0, **changes: object) -> LabelContent:
    """Label ``n`` of a batch of vine tea: its own number and verification URL."""
    fields: dict[str, object] = dict(
        number=f"CL-2026-{n + 1:06d}", product_name_zh="武陵源莓茶",
        product_name_en="Wulingyuan Vine Tea", figure=Decimal("1.85"),
        functional_unit_zh="每袋（250克）", functional_unit_en="per 250 g pack",
        boundary="cradle_to_gate", valid_until=date(2026, 12, 31),
        verification_url=URL if n == 0 else verification_url(1000 + n))
    fields.update(changes)
    return LabelContent(**fields)  # type: ignore[arg-type]


def qr_codes(pdf: Path, dpi: int, page: int = 1) -> list[str]:
    """The QR codes zbar reads on ``page`` rendered at ``dpi`` (QR only: no false
    one-dimensional barcodes in the text), one per symbol."""
    image = tools.run("pdftoppm", "-r", str(dpi), "-gray", "-singlefile", "-f", str(page),
                      "-l", str(page), str(pdf)).stdout
    pgm = pdf.with_suffix(f".{page}.pgm")
    pgm.write_bytes(image)
    read = tools.run("zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(pgm),
                     check=False)
    return read.stdout.decode("utf-8").splitlines()


def page_size(pdf: Path) -> tuple[float, float]:
    info = tools.run("pdfinfo", str(pdf)).stdout.decode()
    found = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert found, info
    return float(found.group(1)), float(found.group(2))


def pages(pdf: Path) -> int:
    info = tools.run("pdfinfo", str(pdf)).stdout.decode()
    found = re.search(r"Pages:\s+(\d+)", info)
    assert found, info
    return int(found.group(1))


def words(pdf: Path, page: int = 1) -> list[tuple[str, float, float, float, float]]:
    """Each word poppler finds on ``page``: text, x0, y0, x1, y1 in points from the top left."""
    html = tools.text(pdf, "-bbox", "-f", str(page), "-l", str(page))
    return [(match.group(5), *map(float, match.groups()[:4]))
            for match in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                                     r'yMax="([\d.]+)">(.*?)</word>', html)]


def sheets(contents: list[LabelContent], size: str, **options: object) -> bytes:
    out = io.BytesIO()
    assert render_sheets(contents, size, out, **options) == len(contents)  # type: ignore[arg-type]
    return out.getvalue()


def _label_is_exactly_its_size_and_its_qr_reads_back(size: str, write_pdf) -> None:
    pdf = write_pdf(render_label(make(), size), f"{size}.pdf")
    width, height = (float(side) * 72 / 25.4 for side in size.split("x"))
    assert page_size(pdf) == pytest.approx((width, height), abs=0.01)
    assert pages(pdf) == 1
    assert qr_codes(pdf, 600) == [URL]


def test_a_40_by_30_label_is_exactly_that_size_and_its_qr_reads_back(write_pdf):
    _label_is_exactly_its_size_and_its_qr_reads_back("40x30", write_pdf)


def test_a_60_by_40_label_is_exactly_that_size_and_its_qr_reads_back(write_pdf):
    _label_is_exactly_its_size_and_its_qr_reads_back("60x40", write_pdf)


def test_the_qr_code_of_a_40_by_30_label_still_reads_at_300_dpi(write_pdf):
    pdf = write_pdf(render_label(make(), "40x30"))
    assert qr_codes(pdf, 300) == [URL]


def test_the_longest_url_allowed_reads_back_on_the_smallest_label(write_pdf):
    longest = URL + "x" * (label.MAX_URL_LENGTH - len(URL))
    pdf = write_pdf(render_label(make(verification_url=longest), "40x30"))
    assert qr_codes(pdf, 600) == [longest]


@pytest.mark.parametrize("size", sorted(SIZES))
def test_the_label_says_in_both_languages_what_was_measured(size, write_pdf):
    text = tools.text(write_pdf(render_label(make(), size)))
    for expected in ("碳足迹", "Carbon footprint", "CL-2026-000001", "1.85", "kg CO₂e",
                     "每袋（250克）", "per 250 g pack", "从摇篮到大门", "Cradle-to-gate",
                     "有效期至", "Valid until", "2026-12-31"):
        assert expected in text, (expected, text)
    assert ("武陵源莓茶" in text and "Wulingyuan Vine Tea" in text) == SIZES[size].names


def test_cradle_to_grave_is_printed_as_such(write_pdf):
    text = tools.text(write_pdf(render_label(make(boundary="cradle_to_grave"), "40x30")))
    assert "从摇篮到坟墓" in text and "Cradle-to-grave" in text
    assert "大门" not in text


def test_the_figure_is_printed_as_attested_with_thousands_separators(write_pdf):
    text = tools.text(write_pdf(render_label(make(figure=Decimal("1234.500")), "40x30")))
    assert "1,234.500" in text and "…" not in text


@pytest.mark.parametrize("size", sorted(SIZES))
def test_every_font_is_the_cjk_font_embedded_as_a_subset(size, write_pdf):
    fonts = tools.fonts(write_pdf(render_label(make(), size)))
    assert len(fonts) == 1, fonts
    font = fonts[0]
    assert font.embedded and font.subset and font.unicode and font.type == "TrueType"
    face = pdfmetrics.getFont(cjk_fonts().regular).face.name.decode()
    assert font.name.split("+", 1)[1].rsplit("-", 1)[0] == face


@pytest.mark.parametrize("size", sorted(SIZES))
def test_text_stays_on_the_label_and_clear_of_the_qr_code(size, write_pdf):
    long_names = make(product_name_zh="张家界武陵源天子山土家族手工莓茶特级礼盒装限量版",
                      product_name_en="Zhangjiajie Wulingyuan Tianzi Mountain Tujia Handmade "
                                      "Vine Tea, Premium Gift Box",
                      functional_unit_en="per 250 g pack (net)", figure=Decimal("12.345"))
    pdf = write_pdf(render_label(long_names, size))
    layout = label_layout(SIZES[size])
    width, height = layout.size.width, layout.size.height
    qr_x, qr_y, qr_width = layout.qr
    qr_top = height - (qr_y + qr_width)  # from the top, as poppler gives it
    found = words(pdf)
    assert len(found) > 15
    for word, x0, y0, x1, y1 in found:
        assert x0 >= 0 and y0 >= 0 and x1 <= width + 0.01 and y1 <= height + 0.01, word
        clear = x1 <= qr_x + 0.01 or y1 <= qr_top + 0.01
        assert clear, (word, (x0, y0, x1, y1), layout.qr)


def test_a_long_product_name_is_cut_short_and_the_rest_stays_whole(write_pdf):
    content = make(product_name_en="Wulingyuan Tianzi Mountain Tujia Handmade Vine Tea, "
                                   "Premium Gift Box of Twelve")
    text = tools.text(write_pdf(render_label(content, "60x40")))
    assert "Wulingyuan Tianzi" in text and "…" in text and "Twelve" not in text
    assert "1.85" in text and "per 250 g pack" in text


@pytest.mark.parametrize("change, field", [
    ({"figure": Decimal("123456789.123")}, "figure"),
    ({"functional_unit_en": "per gift box of twelve 250 g packs, with its tin"},
     "functional_unit_en"),
    ({"functional_unit_zh": "每礼盒（十二袋，每袋250克，含铁罐）"}, "functional_unit_zh"),
    ({"number": "CL-2026-000001-REPRINT-0042"}, "number"),
])
def test_text_that_must_be_printed_whole_and_does_not_fit_is_refused(change, field):
    with pytest.raises(ValueError, match=field):
        render_label(make(**change), "40x30")


def test_a_status_note_is_stamped_across_the_label_and_its_qr_still_reads(write_pdf):
    for size in SIZES:
        pdf = write_pdf(render_label(make(status_note="已撤销 REVOKED"), size), f"{size}.pdf")
        assert "已撤销 REVOKED" in tools.text(pdf)
        assert qr_codes(pdf, 600) == [URL]  # to the verification page, which says the same


def test_without_a_status_note_nothing_is_stamped(write_pdf):
    assert "REVOKED" not in tools.text(write_pdf(render_label(make(), "40x30")))


def test_the_same_label_gives_the_same_bytes():
    assert render_label(make(), "40x30") == render_label(make(), "40x30")
    batch = [make(n) for n in range(3)]
    assert sheets(batch, "60x40") == sheets(batch, "60x40")


def test_each_size_lays_out_with_the_qr_code_filling_the_height_below_the_heading():
    for spec in SIZES.values():
        layout = label_layout(spec)
        qr_x, qr_y, qr_width = layout.qr
        inset = spec.qr_inset_mm * mm
        assert qr_x + qr_width == pytest.approx(spec.width - inset)
        assert qr_y == pytest.approx(inset)
        assert layout.rule_y - 1 * mm < qr_y + qr_width < layout.rule_y
        assert layout.column_left + layout.column_width < qr_x
        modules = encode(URL).size + 2 * QUIET_ZONE
        assert qr_width / modules >= 0.3 * mm, "modules too small to scan on a package"
        assert all(layout.size.margin_mm * mm * 0.99 <= y for _, y, _ in layout.lines)


@pytest.mark.parametrize("change, field", [
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
])
def test_content_that_cannot_be_labelled_is_refused_naming_the_field(change, field):
    with pytest.raises(ValueError, match=field):
        make(**change)


def test_an_unknown_size_is_refused():
    with pytest.raises(ValueError, match="size must be one of 40x30, 60x40"):
        render_label(make(), "50x30")
    out = io.BytesIO()
    with pytest.raises(ValueError, match="size"):
        render_sheets([make()], "A4", out)
    assert out.getvalue() == b""


# --- print sheets ------------------------------------------------------------------------

@pytest.mark.parametrize("size, per_page", [("40x30", 32), ("60x40", 18)])
def test_a_batch_fills_the_expected_sheets_and_the_first_reads_back(size, per_page, write_pdf):
    batch = [make(n) for n in range(2 * per_page + 5)]
    calls: list[int] = []
    pdf = write_pdf(sheets(batch, size, on_page=calls.append), f"sheets-{size}.pdf")
    assert sheet_layout(size).per_page == per_page
    assert pages(pdf) == 3
    assert page_size(pdf) == pytest.approx((595.276, 841.89), abs=0.01)
    assert calls == [per_page, 2 * per_page, 2 * per_page + 5]
    # 400 dpi: at 300, zbar misses the odd one of 32 symbols on a page (at 4 pixels a
    # module, it depends on how the modules fall on the pixel grid), which it reads alone
    read = qr_codes(pdf, 400)
    assert sorted(read) == sorted(content.verification_url for content in batch[:per_page])
    assert sorted(qr_codes(pdf, 400, page=3)) == sorted(
        content.verification_url for content in batch[2 * per_page:])


def test_a_sheet_embeds_the_font_subset_once_for_all_its_pages(write_pdf):
    pdf = write_pdf(sheets([make(n) for n in range(40)], "40x30"))
    assert pages(pdf) == 2
    fonts = tools.fonts(pdf)
    assert len(fonts) == 1 and fonts[0].embedded and fonts[0].subset, fonts


def test_each_label_is_drawn_in_its_rectangle_of_the_layout(write_pdf):
    batch = [make(n) for n in range(32)]
    pdf = write_pdf(sheets(batch, "40x30"))
    height = 841.89
    numbers: dict[str, tuple[float, float, float, float]] = {}
    for word, x0, y0, x1, y1 in words(pdf):
        if word.startswith("CL-") and y1 < height - 8 * mm:  # not the footer's
            assert word not in numbers
            numbers[word] = (x0, y0, x1, y1)
    for content, (x, y, w, h) in zip(batch, sheet_layout("40x30").labels, strict=True):
        x0, y0, x1, y1 = numbers[content.number]
        top = height - (y + h)
        assert x < x0 < x1 < x + w and top < y0 < y1 < top + h, content.number


def test_sheets_text_has_every_number_and_a_footer(write_pdf):
    batch = [make(n) for n in range(20)]
    text = tools.text(write_pdf(sheets(batch, "60x40")), "-f", "2", "-l", "2")
    assert "CL-2026-000019" in text and "CL-2026-000001" not in text
    assert "第2页 sheet 2" in text and "CL-2026-000019 – CL-2026-000020" in text


def _inside(px: float, py: float, rect: tuple[float, float, float, float]) -> bool:
    x, y, w, h = rect
    return x - 1e-6 <= px <= x + w + 1e-6 and y - 1e-6 <= py <= y + h + 1e-6


@pytest.mark.parametrize("size", sorted(SIZES))
@pytest.mark.parametrize("count", [None, 1, 7])
def test_cut_marks_lie_outside_every_label_at_every_corner(size, count):
    layout = sheet_layout(size, count)
    assert len(layout.labels) == (layout.per_page if count is None else count)
    assert len(layout.marks) == 8 * len(layout.labels)
    for x1, y1, x2, y2 in layout.marks:
        assert x1 == x2 or y1 == y2, "marks are horizontal or vertical"
        assert min(x1, x2) > 0 and min(y1, y2) > 0
        assert max(x1, x2) < 595.28 and max(y1, y2) < 841.89
        for rect in layout.labels:  # a straight segment misses a rectangle if 11 points do
            for k in range(11):
                px, py = x1 + (x2 - x1) * k / 10, y1 + (y2 - y1) * k / 10
                assert not _inside(px, py, rect), ((x1, y1, x2, y2), rect)
    for x, y, w, h in layout.labels:  # two marks on the lines of each corner, pointing out
        for cx, cy in ((x, y), (x + w, y), (x, y + h), (x + w, y + h)):
            near = [m for m in layout.marks
                    if min(abs(m[0] - cx) + abs(m[1] - cy), abs(m[2] - cx) + abs(m[3] - cy))
                    <= label.MARK_OFFSET + 1e-6]
            assert len(near) >= 2
    for a, b in combinations(layout.marks, 2):  # neighbours' marks do not touch
        if a[1] == a[3] == b[1] == b[3]:
            assert max(a[0], a[2]) < min(b[0], b[2]) or max(b[0], b[2]) < min(a[0], a[2])
        if a[0] == a[2] == b[0] == b[2]:
            assert max(a[1], a[3]) < min(b[1], b[3]) or max(b[1], b[3]) < min(a[1], a[3])


def test_the_cut_marks_are_drawn_where_the_layout_puts_them(write_pdf):
    pdf = write_pdf(sheets([make(n) for n in range(3)], "60x40"))
    for x1, y1, x2, y2 in sheet_layout("60x40", 3).marks[:8]:
        middle_x, middle_y = (x1 + x2) / 2, 841.89 - (y1 + y2) / 2
        box = (middle_x - 1, middle_y - 1, 2, 2)
        assert tools.crop(pdf, 300, box).dark(200) > 0, (x1, y1, x2, y2)
    x, y, w, _ = sheet_layout("60x40", 3).labels[0]
    corner = (x + w + 0.3 * mm, 841.89 - y - 0.3 * mm, 0.3 * mm, 0.3 * mm)  # short of the mark
    assert tools.crop(pdf, 300, corner).dark(200) == 0


def test_the_sheet_file_is_well_formed(write_pdf):
    data = sheets([make(n) for n in range(40)], "40x30")
    start = int(re.search(rb"startxref\n(\d+)\n%%EOF\n$", data).group(1))
    assert data[start:start + 5] == b"xref\n"
    count = int(re.match(rb"xref\n0 (\d+)\n", data[start:]).group(1))
    entries = re.findall(rb"(\d{10}) 00000 n \n", data[start:])
    assert len(entries) == count - 1
    for number, offset in enumerate(entries, 1):
        assert data[int(offset):].startswith(f"{number} 0 obj\n".encode()), number
    pdf = write_pdf(data)
    for tool in ("pdfinfo", "pdftotext", "pdffonts"):
        assert tools.run(tool, str(pdf), *(["-"] if tool == "pdftotext" else [])).stderr == b""


def test_sheets_are_written_as_the_labels_come(write_pdf):
    """Page by page: the first page is in ``out`` before the third label of page two is
    even made, so nothing holds the whole batch."""
    made = 0

    def batch():
        nonlocal made
        for n in range(40):
            made += 1
            yield make(n)

    out = io.BytesIO()
    seen: list[tuple[int, int, int]] = []
    written = render_sheets(batch(), "40x30", out,
                            on_page=lambda so_far: seen.append((so_far, made, len(out.getvalue()))))
    assert written == 40
    (first, made_then, size_then), (last, _, _) = seen
    assert (first, made_then, last) == (32, 32, 40)
    assert size_then > 32 * 1000  # the page and its QR codes are in the file already
    assert pages(write_pdf(out.getvalue())) == 2


def test_an_empty_batch_is_refused_before_anything_is_written():
    out = io.BytesIO()
    with pytest.raises(ValueError, match="no label"):
        render_sheets(iter(()), "40x30", out)
    assert out.getvalue() == b""


def test_a_batch_holding_something_else_is_refused():
    with pytest.raises(ValueError, match="LabelContent"):
        render_sheets([make(), {"number": "CL-1"}], "40x30", io.BytesIO())  # type: ignore[list-item]


def test_a_sheet_is_uncompressed_on_request_and_reads_the_same(write_pdf):
    batch = [make(n) for n in range(18)]
    packed, plain = sheets(batch, "60x40"), sheets(batch, "60x40", compress=False)
    assert len(plain) > 2 * len(packed)
    assert tools.text(write_pdf(packed, "a.pdf")) == tools.text(write_pdf(plain, "b.pdf"))
