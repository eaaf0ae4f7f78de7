"""The carbon neutrality certificate as a one-page A4 PDF, in Chinese and English.

`render_certificate` draws straight onto a reportlab canvas (no platypus flowables: a
fixed layout needs no pagination, and drawing directly is several times faster): the
title, the subject and period, the boundary, a table and a bar chart of emissions by
scope, the retired credits with their serials, the verifier and signing key, the dates,
and the QR code of the verification URL with the URL printed beneath it. All text is in
the one embedded CJK font (`footprint.platform.pdf.fonts`), so the file looks the same in
any viewer.

Text flows down from the title; the verification block is fixed at the foot of the page,
and content that would run into it is refused with a ``ValueError`` rather than printed
over: with a boundary of two lines in each language, six credit lines fit.
"""

from __future__ import annotations

import io

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from certify.pdf.content import KINDS, CertificateContent, RetiredCreditsLine
from certify.pdf.qr import draw_qr
from footprint.platform.pdf.chart import Bar, bar_chart, draw_chart
from footprint.platform.pdf.drawing import GREEN, GREY, INK, PALE, RED, Pen
from footprint.platform.pdf.fonts import cjk_fonts
from footprint.platform.pdf.text import count, en_date, tonnes, width, wrap, zh_date

__all__ = ["CertificateContent", "RetiredCreditsLine", "render_certificate"]

COMPRESS = False
"""Streams (page and font subset) uncompressed by default: about 80 KB instead of 45 KB,
and some 2 ms less a certificate (`bench.pdf` measures both)."""

TITLE_ZH = "碳中和证书"
TITLE_EN = "Carbon Neutrality Certificate"
PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT = 20 * mm
RIGHT = PAGE_WIDTH - 20 * mm
CONTENT_WIDTH = RIGHT - LEFT
QR_WIDTH = 40 * mm
"""The QR code with its quiet zone: about 3 pixels a module at 150 dpi for a 240-character URL."""
FOOT_TOP = 80 * mm
"""Where the fixed verification block starts; flowing content must stay above it."""

SCOPE_COLOURS = (GREEN, Color(0.62, 0.70, 0.65), Color(0.24, 0.56, 0.38), Color(0.47, 0.72, 0.45))


def render_certificate(content: CertificateContent, *, compress: bool = COMPRESS) -> bytes:
    """The certificate as PDF bytes (deterministic: the same content gives the same bytes);
    ``compress`` deflates its streams, for a smaller file that takes longer to make."""
    fonts = cjk_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=A4,
        pageCompression=int(compress),
        invariant=True,
        initialFontName=fonts.regular,
        initialFontSize=10,
    )
    canvas.setTitle(f"{TITLE_ZH} {TITLE_EN} {content.number}")
    canvas.setAuthor(content.verifier_organisation)
    canvas.setSubject(f"{content.subject_name_zh} {content.subject_name_en}")
    pen = Pen(canvas, fonts)
    _frame(pen, content)
    y = _subject(pen, content, PAGE_HEIGHT - 50 * mm)
    y = _boundary(pen, content, y - 7 * mm)
    y = _emissions(pen, content, y - 6 * mm)
    y = _credits(pen, content, y - 6 * mm)
    if y < FOOT_TOP + 4 * mm:
        raise ValueError(
            "the certificate's boundary and credits do not fit on one page: "
            "shorten the boundary text or merge credit lines"
        )
    _verification(pen, content)
    if content.status_note:
        _stamp(pen, content.status_note)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _frame(pen: Pen, content: CertificateContent) -> None:
    canvas = pen.canvas
    canvas.setStrokeColor(GREEN)
    canvas.setLineWidth(1.8)
    canvas.rect(8 * mm, 8 * mm, PAGE_WIDTH - 16 * mm, PAGE_HEIGHT - 16 * mm)
    canvas.setLineWidth(0.5)
    canvas.rect(10 * mm, 10 * mm, PAGE_WIDTH - 20 * mm, PAGE_HEIGHT - 20 * mm)
    top = PAGE_HEIGHT - 17 * mm
    pen.text(
        LEFT,
        top,
        "武陵源风景名胜区 · 碳中和认证 Wulingyuan Carbon Neutral Certification",
        7.5,
        colour=GREY,
    )
    pen.text(RIGHT, top, f"证书编号 Certificate No. {content.number}", 8, colour=INK, align="right")
    pen.text(
        PAGE_WIDTH / 2, PAGE_HEIGHT - 35 * mm, TITLE_ZH, 30, bold=True, colour=GREEN, align="centre"
    )
    pen.text(PAGE_WIDTH / 2, PAGE_HEIGHT - 42.5 * mm, TITLE_EN, 14, colour=GREEN, align="centre")
    if content.status_note:
        pen.text(
            PAGE_WIDTH / 2,
            PAGE_HEIGHT - 23 * mm,
            f"状态 Status: {content.status_note}",
            9,
            bold=True,
            colour=RED,
            align="centre",
        )


def _subject(pen: Pen, content: CertificateContent, y: float) -> float:
    middle = PAGE_WIDTH / 2
    pen.text(middle, y, "兹证明 This is to certify that", 9.5, colour=GREY, align="centre")
    y -= 10 * mm
    pen.fitted(middle, y, content.subject_name_zh, 22, CONTENT_WIDTH, bold=True, align="centre")
    y -= 6.5 * mm
    if content.subject_name_en != content.subject_name_zh:  # one bilingual name: print once
        pen.fitted(middle, y, content.subject_name_en, 13, CONTENT_WIDTH, align="centre")
    kind_zh, kind_en = KINDS[content.subject_kind]
    y -= 5 * mm
    pen.text(middle, y, f"{kind_zh} {kind_en}", 8.5, colour=GREY, align="centre")
    y -= 8.5 * mm
    start, end = content.period_start, content.period_end
    pen.fitted(
        middle,
        y,
        f"在{zh_date(start)}至{zh_date(end)}核算期内实现碳中和",
        11,
        CONTENT_WIDTH,
        align="centre",
    )
    y -= 5.5 * mm
    pen.fitted(
        middle,
        y,
        f"has achieved carbon neutrality for the period {en_date(start)} to {en_date(end)}",
        10,
        CONTENT_WIDTH,
        align="centre",
    )
    return y


def _heading(pen: Pen, y: float, zh: str, en: str) -> float:
    pen.text(LEFT, y, zh, 10, bold=True, colour=GREEN)
    pen.text(LEFT + width(zh, pen.fonts.regular, 10) + 5, y, en, 8.5, colour=GREEN)
    pen.rule(LEFT, y - 2.2 * mm, RIGHT)
    return y - 2.2 * mm


def _boundary(pen: Pen, content: CertificateContent, y: float) -> float:
    y = _heading(pen, y, "核算边界", "Boundary")
    for text, size in ((content.boundary_zh, 8.5), (content.boundary_en, 8)):
        for line in wrap(text, pen.fonts.regular, size, CONTENT_WIDTH):
            y -= size * 1.45
            pen.text(LEFT, y, line, size)
        y -= 1 * mm
    return y


def _emissions(pen: Pen, content: CertificateContent, y: float) -> float:
    y = _heading(pen, y, "温室气体排放", "Greenhouse gas emissions (tCO2e)")
    rows = (
        ("范围一 Scope 1", content.scope1, False),
        ("范围二（基于位置）Scope 2, location-based", content.scope2_location, False),
        ("范围二（基于市场）Scope 2, market-based", content.scope2_market, False),
        ("范围三 Scope 3", content.scope3, False),
        ("排放总量 Total (Scope 2 market-based)", content.total_tco2e, True),
        ("较基准减排 Reduction against baseline", content.reductions_tco2e, False),
        ("注销碳信用 Credits retired", content.credits_tco2e, False),
        ("抵消后净排放 Net after credits", content.net_tco2e, True),
    )
    table_right = LEFT + 96 * mm
    pitch = 4.3 * mm
    top = y
    canvas = pen.canvas
    for i, (label, value, strong) in enumerate(rows):
        y -= pitch
        if i % 2 == 0:
            canvas.setFillColor(PALE)
            canvas.rect(LEFT, y - 1.4 * mm, table_right - LEFT, pitch, stroke=0, fill=1)
        if strong:
            pen.rule(LEFT, y + pitch - 1.4 * mm, table_right, colour=GREY, thickness=0.4)
        pen.text(LEFT + 1.5 * mm, y, label, 8, bold=strong)
        pen.text(table_right - 1.5 * mm, y, tonnes(value), 8, bold=strong, align="right")
    bars = (
        Bar("范围一 S1", content.scope1, SCOPE_COLOURS[0]),
        Bar("范围二 S2 位置 loc.", content.scope2_location, SCOPE_COLOURS[1]),
        Bar("范围二 S2 市场 mkt.", content.scope2_market, SCOPE_COLOURS[2]),
        Bar("范围三 S3", content.scope3, SCOPE_COLOURS[3]),
    )
    chart_left = table_right + 6 * mm
    chart = bar_chart(bars, pen.fonts.regular, RIGHT - chart_left, 4.2 * mm, GREY)
    draw_chart(canvas, chart, chart_left, top - 2 * mm - chart.height)
    return min(y - 1.4 * mm, top - 2 * mm - chart.height)


def _credits(pen: Pen, content: CertificateContent, y: float) -> float:
    y = _heading(pen, y, "注销的碳信用", "Retired carbon credits")
    columns = (
        (LEFT + 1.5 * mm, "项目 Project / 登记簿 Registry", "left"),
        (LEFT + 70 * mm, "标准 Standard", "left"),
        (LEFT + 92 * mm, "年份 Vintage", "left"),
        (LEFT + 110 * mm, "序列号 Serial numbers", "left"),
        (RIGHT - 1.5 * mm, "数量 Quantity (t)", "right"),
    )
    y -= 4.2 * mm
    for x, title, align in columns:
        pen.text(x, y, title, 7, colour=GREY, align=align)
    if not content.credits:
        y -= 5 * mm
        pen.text(LEFT + 1.5 * mm, y, "无 None", 8)
    for line in content.credits:
        y -= 4.2 * mm
        pen.fitted(columns[0][0], y, line.project_name, 8, 66 * mm)
        pen.fitted(columns[1][0], y, line.standard, 8, 20 * mm)
        pen.text(columns[2][0], y, str(line.vintage), 8)
        pen.fitted(columns[3][0], y, line.serial_start, 7.5, RIGHT - columns[3][0] - 20 * mm)
        pen.text(columns[4][0], y, count(line.quantity), 8, align="right")
        y -= 3.3 * mm
        pen.fitted(columns[0][0], y, line.registry, 7, 66 * mm, colour=GREY)
        pen.fitted(
            columns[3][0], y, f"至 to {line.serial_end}", 7.5, RIGHT - columns[3][0] - 20 * mm
        )
        pen.rule(LEFT, y - 1.6 * mm, RIGHT, colour=PALE, thickness=0.5)
    return y - 1.6 * mm


def _verification(pen: Pen, content: CertificateContent) -> None:
    y = _heading(pen, FOOT_TOP, "核证与签名", "Verification and signature")
    qr_left = RIGHT - QR_WIDTH
    limit = qr_left - LEFT - 6 * mm
    lines = (
        (
            f"核证指南 Guide: 第{content.guide_version}版 {content.guide_title_zh} / "
            f"version {content.guide_version}, {content.guide_title_en}",
            8,
            False,
        ),
        (f"核证机构 Verifier: {content.verifier_organisation}", 8, False),
        (f"核证人 Verified by: {content.verifier_person}", 8, False),
        (f"核查机构签署密钥 Verifier's sign-off key: {content.signature_kid}", 8, False),
        (f"签署密钥指纹 Sign-off key fingerprint: {content.signature_fingerprint}", 9.5, True),
        (
            f"颁发日期 Issued on: {zh_date(content.issued_on)} {en_date(content.issued_on)}",
            8,
            False,
        ),
        (
            f"有效期至 Valid until: {zh_date(content.valid_until)} {en_date(content.valid_until)}",
            8,
            False,
        ),
    )
    y -= 2 * mm
    for text, size, strong in lines:
        y -= 5 * mm
        pen.fitted(LEFT, y, text, size, limit, bold=strong)
    qr_bottom = FOOT_TOP - 6 * mm - QR_WIDTH
    draw_qr(pen.canvas, content.verification_url, qr_left, qr_bottom, QR_WIDTH)
    pen.text(
        qr_left + QR_WIDTH / 2,
        FOOT_TOP - 5.5 * mm,
        "扫码验证 Scan to verify",
        7.5,
        colour=GREY,
        align="centre",
    )
    y = qr_bottom - 3 * mm
    pen.text(LEFT, y, "验证网址 Verification URL:", 7, colour=GREY)
    for line in wrap(content.verification_url, pen.fonts.regular, 6.5, CONTENT_WIDTH):
        y -= 3 * mm
        pen.text(LEFT, y, line, 6.5)
    pen.text(
        PAGE_WIDTH / 2,
        13 * mm,
        "本证书的真实性与状态以验证网址所示为准。"
        "Authenticity and current status are as shown at the verification URL.",
        7,
        colour=GREY,
        align="centre",
    )


def _stamp(pen: Pen, note: str) -> None:
    """The status note across the middle of the page, translucent, in a stamp's box.

    Horizontal, not diagonal, so that text extraction (and so search, and screen
    readers) reads it as one line."""
    canvas = pen.canvas
    size = min(64, 0.8 * CONTENT_WIDTH / max(width(note, pen.fonts.regular, 1), 1))
    wide = width(note, pen.fonts.regular, size)
    middle_y = PAGE_HEIGHT * 0.52
    canvas.saveState()
    canvas.setStrokeColor(RED, alpha=0.45)
    canvas.setLineWidth(3)
    canvas.roundRect(
        PAGE_WIDTH / 2 - wide / 2 - 5 * mm,
        middle_y - size * 0.55,
        wide + 10 * mm,
        size * 1.35,
        3 * mm,
    )
    canvas.setFillColor(RED, alpha=0.3)
    canvas.setFont(pen.fonts.regular, size)
    canvas.drawCentredString(PAGE_WIDTH / 2, middle_y - size * 0.5 + size * 0.35, note)
    canvas.restoreState()
