"""QR codes: the same symbols as the ``qrcode`` package, drawn as vectors, read back by zbar."""

from __future__ import annotations

import io
import random
import string

import pytest
import qrcode
from qrcode import util
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from certify.pdf import qr
from certify.pdf.qrlayout import layout
from tests.certify.pdf import tools
from tests.certify.pdf.builders import verification_url

URLS = [verification_url(seed) for seed in range(40)]
LABEL_WIDTH = 18 * mm
"""A label's QR code, quiet zone included."""
CERTIFICATE_WIDTH = 40 * mm


def reference(
    data: str, mask: int | None = None, level: int = qrcode.constants.ERROR_CORRECT_M
) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=level, border=0, mask_pattern=mask)
    code.add_data(util.QRData(data.encode("utf-8"), mode=util.MODE_8BIT_BYTE))
    code.make(fit=True)
    return code


def rows(code: qrcode.QRCode) -> tuple[str, ...]:
    return tuple("".join("1" if module else "0" for module in row) for row in code.modules)


def pdf_of(urls: list[str], width: float) -> bytes:
    """One small page per code, so each image holds one symbol with room around it."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width + 10 * mm, width + 10 * mm))
    for url in urls:
        qr.draw_qr(canvas, url, 5 * mm, 5 * mm, width)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_verification_urls_are_realistic():
    """Tokens name their key by a short kid (issue 15): 199–210 characters, not 264."""
    assert all(195 <= len(url) <= 215 for url in URLS)
    assert {qr.encode(url).version for url in URLS} == {10}


def test_a_small_symbol_takes_the_strongest_level_that_fits_its_version():
    assert {qr.strongest_level(url, 9) for url in URLS} == {qrcode.constants.ERROR_CORRECT_L}
    assert {qr.encode(url, qr.strongest_level(url, 9)).version for url in URLS} == {9}
    short = "https://example.org/v/abc"
    assert qr.strongest_level(short, 9) == qrcode.constants.ERROR_CORRECT_H
    assert qr.strongest_level("x" * 400, 9) == qrcode.constants.ERROR_CORRECT_L  # too long


@pytest.mark.parametrize(
    "level",
    [qrcode.constants.ERROR_CORRECT_L, qrcode.constants.ERROR_CORRECT_Q],
    ids=["L", "Q"],
)
def test_symbols_at_other_levels_are_those_of_qrcode(level):
    for data in (URLS[0], URLS[1], "https://example.org/v/abc"):
        expected = reference(data, level=level)
        code = qr.encode(data, level)
        assert (code.version, code.rows) == (expected.version, rows(expected)), data


@pytest.mark.slow
def test_symbols_are_module_for_module_those_of_qrcode_with_its_best_mask():
    rnd = random.Random(7)
    alphabet = string.ascii_letters + string.digits + "-_.~/:?=&"
    samples = URLS + [
        "".join(rnd.choice(alphabet) for _ in range(length))
        for length in (1, 9, 30, 77, 150, 300, 600, 1200, 2300)
    ]
    for data in samples:
        expected = reference(data)
        code = qr.encode(data)
        assert (code.version, code.rows) == (expected.version, rows(expected)), data
        assert code.mask == reference(data).best_mask_pattern()


def test_every_mask_is_scored_as_qrcode_scores_it():
    url = URLS[1]
    for mask in range(8):
        expected = reference(url, mask)
        expected.makeImpl(True, mask)  # as qrcode scores it: no format information
        plane = sum(
            1 << (r * (expected.modules_count + 1) + c)
            for r, row in enumerate(expected.modules)
            for c, dark in enumerate(row)
            if dark
        )
        assert qr.penalty(plane, layout(expected.version, qr.ERROR_CORRECTION)) == util.lost_point(
            expected.modules
        )


def test_non_ascii_data_is_encoded_as_utf8():
    data = "http://localhost:5000/v/碳中和"
    assert qr.encode(data).rows == rows(reference(data))


def test_data_beyond_version_40_is_refused():
    with pytest.raises(ValueError, match="do not fit"):
        qr.encode("x" * 2400)


def test_each_run_of_dark_modules_is_one_rectangle():
    code = qr.encode(URLS[0])
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pageCompression=0)
    qr.draw_qr(canvas, URLS[0], 0, 0, CERTIFICATE_WIDTH)
    canvas.showPage()
    canvas.save()
    runs = sum(
        1
        for row in code.rows
        for c, module in enumerate(row)
        if module == "1" and (c == 0 or row[c - 1] == "0")
    )
    assert runs == len(list(code.runs()))
    assert buffer.getvalue().count(b" 1 re ") == runs
    assert b"/Subtype /Image" not in buffer.getvalue()


def test_codes_at_certificate_size_read_back_at_150_dpi(write_pdf):
    pdf = write_pdf(pdf_of(URLS, CERTIFICATE_WIDTH))
    assert tools.decode_qr_pages(pdf, 150) == URLS


def test_codes_at_label_size_read_back_at_print_resolution(write_pdf):
    """18 mm for 73 modules is 0.25 mm a module: 2.9 pixels at 300 dpi. At 150 dpi (1.5
    pixels a module) no decoder can be relied on; a label is printed at 300 dpi or more."""
    pdf = write_pdf(pdf_of(URLS, LABEL_WIDTH))
    assert tools.decode_qr_pages(pdf, 300) == URLS
