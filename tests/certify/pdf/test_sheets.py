"""Print sheets of labels: the grid, the cut marks, streaming, and what reads back."""

from __future__ import annotations

import io
import re
from itertools import combinations

import pytest
from reportlab.lib.units import mm

from certify.pdf import sheets
from certify.pdf.label import SIZES, LabelContent
from certify.pdf.sheets import render_sheets, sheet_layout
from tests.certify.pdf import tools
from tests.certify.pdf.builders import label_content


def sheet_pdf(contents: list[LabelContent], size: str, **options: object) -> bytes:
    out = io.BytesIO()
    assert render_sheets(contents, size, out, **options) == len(contents)  # type: ignore[arg-type]
    return out.getvalue()


def test_the_same_batch_gives_the_same_sheets():
    batch = [label_content(n) for n in range(3)]
    assert sheet_pdf(batch, "60x40") == sheet_pdf(batch, "60x40")


@pytest.mark.slow
@pytest.mark.parametrize("size, per_page", [("40x30", 32), ("60x40", 18)])
def test_a_batch_fills_the_expected_sheets_and_the_first_reads_back(size, per_page, write_pdf):
    batch = [label_content(n) for n in range(2 * per_page + 5)]
    calls: list[int] = []
    pdf = write_pdf(sheet_pdf(batch, size, on_page=calls.append), f"sheets-{size}.pdf")
    assert sheet_layout(size).per_page == per_page
    assert tools.pages(pdf) == 3
    assert tools.page_size(pdf) == pytest.approx((595.276, 841.89), abs=0.01)
    assert calls == [per_page, 2 * per_page, 2 * per_page + 5]
    # 400 dpi: at 300, zbar misses the odd one of 32 symbols on a page (at 4 pixels a
    # module, it depends on how the modules fall on the pixel grid), which it reads alone
    read = tools.qr_codes(pdf, 400)
    assert sorted(read) == sorted(content.verification_url for content in batch[:per_page])
    assert sorted(tools.qr_codes(pdf, 400, page=3)) == sorted(
        content.verification_url for content in batch[2 * per_page :]
    )


@pytest.mark.slow
def test_every_code_of_a_sheet_of_small_labels_reads_at_150_dpi(write_pdf):
    """Issue 15: zbarimg read 6–7 of 10 codes of a 40 × 30 sheet at 150 dpi."""
    batch = [label_content(n) for n in range(32)]
    pdf = write_pdf(sheet_pdf(batch, "40x30"), "sheet-150dpi.pdf")
    assert sorted(tools.qr_codes(pdf, 150)) == sorted(c.verification_url for c in batch)


def test_a_sheet_embeds_the_font_subset_once_for_all_its_pages(write_pdf):
    pdf = write_pdf(sheet_pdf([label_content(n) for n in range(40)], "40x30"))
    assert tools.pages(pdf) == 2
    fonts = tools.fonts(pdf)
    assert len(fonts) == 1 and fonts[0].embedded and fonts[0].subset, fonts


def test_each_label_is_drawn_in_its_rectangle_of_the_layout(write_pdf):
    batch = [label_content(n) for n in range(32)]
    pdf = write_pdf(sheet_pdf(batch, "40x30"))
    height = 841.89
    numbers: dict[str, tuple[float, float, float, float]] = {}
    for word, x0, y0, x1, y1 in tools.words(pdf):
        if word.startswith("CL-") and y1 < height - 8 * mm:  # not the footer's
            assert word not in numbers
            numbers[word] = (x0, y0, x1, y1)
    for content, (x, y, w, h) in zip(batch, sheet_layout("40x30").labels, strict=True):
        x0, y0, x1, y1 = numbers[content.number]
        top = height - (y + h)
        assert x < x0 < x1 < x + w and top < y0 < y1 < top + h, content.number


def test_sheets_text_has_every_number_and_a_footer(write_pdf):
    batch = [label_content(n) for n in range(20)]
    text = tools.text(write_pdf(sheet_pdf(batch, "60x40")), "-f", "2", "-l", "2")
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
            near = [
                m
                for m in layout.marks
                if min(abs(m[0] - cx) + abs(m[1] - cy), abs(m[2] - cx) + abs(m[3] - cy))
                <= sheets.MARK_OFFSET + 1e-6
            ]
            assert len(near) >= 2
    for a, b in combinations(layout.marks, 2):  # neighbours' marks do not touch
        if a[1] == a[3] == b[1] == b[3]:
            assert max(a[0], a[2]) < min(b[0], b[2]) or max(b[0], b[2]) < min(a[0], a[2])
        if a[0] == a[2] == b[0] == b[2]:
            assert max(a[1], a[3]) < min(b[1], b[3]) or max(b[1], b[3]) < min(a[1], a[3])


def test_the_cut_marks_are_drawn_where_the_layout_puts_them(write_pdf):
    pdf = write_pdf(sheet_pdf([label_content(n) for n in range(3)], "60x40"))
    for x1, y1, x2, y2 in sheet_layout("60x40", 3).marks[:8]:
        middle_x, middle_y = (x1 + x2) / 2, 841.89 - (y1 + y2) / 2
        box = (middle_x - 1, middle_y - 1, 2, 2)
        assert tools.crop(pdf, 300, box).dark(200) > 0, (x1, y1, x2, y2)
    x, y, w, _ = sheet_layout("60x40", 3).labels[0]
    corner = (x + w + 0.3 * mm, 841.89 - y - 0.3 * mm, 0.3 * mm, 0.3 * mm)  # short of the mark
    assert tools.crop(pdf, 300, corner).dark(200) == 0


def test_the_sheet_file_is_well_formed(write_pdf):
    data = sheet_pdf([label_content(n) for n in range(40)], "40x30")
    start = int(re.search(rb"startxref\n(\d+)\n%%EOF\n$", data).group(1))
    assert data[start : start + 5] == b"xref\n"
    count = int(re.match(rb"xref\n0 (\d+)\n", data[start:]).group(1))
    entries = re.findall(rb"(\d{10}) 00000 n \n", data[start:])
    assert len(entries) == count - 1
    for number, offset in enumerate(entries, 1):
        assert data[int(offset) :].startswith(f"{number} 0 obj\n".encode()), number
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
            yield label_content(n)

    out = io.BytesIO()
    seen: list[tuple[int, int, int]] = []
    written = render_sheets(
        batch(),
        "40x30",
        out,
        on_page=lambda so_far: seen.append((so_far, made, len(out.getvalue()))),
    )
    assert written == 40
    (first, made_then, size_then), (last, _, _) = seen
    assert (first, made_then, last) == (32, 32, 40)
    assert size_then > 32 * 1000  # the page and its QR codes are in the file already
    assert tools.pages(write_pdf(out.getvalue())) == 2


def test_an_empty_batch_is_refused_before_anything_is_written():
    out = io.BytesIO()
    with pytest.raises(ValueError, match="no label"):
        render_sheets(iter(()), "40x30", out)
    assert out.getvalue() == b""


def test_a_batch_holding_something_else_is_refused():
    with pytest.raises(ValueError, match="LabelContent"):
        render_sheets([label_content(), {"number": "CL-1"}], "40x30", io.BytesIO())  # type: ignore[list-item]


def test_a_sheet_is_uncompressed_on_request_and_reads_the_same(write_pdf):
    batch = [label_content(n) for n in range(18)]
    packed, plain = sheet_pdf(batch, "60x40"), sheet_pdf(batch, "60x40", compress=False)
    assert len(plain) > 2 * len(packed)
    assert tools.text(write_pdf(packed, "a.pdf")) == tools.text(write_pdf(plain, "b.pdf"))
