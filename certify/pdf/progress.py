"""The district's annual carbon-neutral progress report as an A4 PDF, in Chinese and English.

`render_progress_report` prints the signed disclosure of one year exactly as signed (the
``content`` that `certify.services.progress.report_content` makes, with the district's
``signature`` record over its canonical JSON): the year's figures, a column chart and a
table of every year up to it, the year's certificates and labels with their status, the
guide and factor-dataset versions behind the figures, and, last, the SHA-256 of the
content, the signature and its key, with where to check them. Every label is Chinese
beside English. Text and tables flow down the pages; each page's footer carries the
report's year and the page number. The same signed report always gives the same bytes.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject

from certify.pdf.content import KINDS
from footprint.platform.pdf.chart import (
    LABEL_SIZE,
    VALUE_SIZE,
    Series,
    draw_chart,
    periods_chart,
)
from footprint.platform.pdf.drawing import GREEN, GREY, INK, PALE, RED, Pen
from footprint.platform.pdf.fonts import cjk_fonts
from footprint.platform.pdf.text import en_date, fit, tonnes, width, wrap, zh_date

COMPRESS = False
"""Uncompressed, as the certificate: a few milliseconds less for a somewhat larger file."""
PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT = 18 * mm
RIGHT = PAGE_WIDTH - 18 * mm
CONTENT_WIDTH = RIGHT - LEFT
TOP = PAGE_HEIGHT - 18 * mm
BOTTOM = 20 * mm
FOOTER = 11 * mm
ROW = 4.4 * mm
MISSING = "—"

STATUSES = {
    "valid": ("有效", "Valid"),
    "suspended": ("已暂停", "Suspended"),
    "revoked": ("已撤销", "Revoked"),
    "expired": ("已过期", "Expired"),
    "invalid": ("无效", "Invalid"),
}
WITHDRAWN = ("suspended", "revoked", "invalid")
SUBJECTS = {**KINDS, "product": ("产品", "Product")}
SERIES_COLOURS = (GREEN, Color(0.47, 0.72, 0.45), Color(0.55, 0.35, 0.10))
BASIS_ZH = "本报告的数据仅来自经核证的排放清单和已颁发的证书与碳标签。"
BASIS_EN = "Figures come only from verified inventories and issued certificates and labels."
METHOD_ZH = (
    "按温室气体核算体系（GHG Protocol）与 ISO 14064-1 核算范围一、二、三；范围二同时报告基于位置"
    "与基于市场的结果。净排放 = 基于市场的排放总量 − 注销的林业碳汇；减排量以各主体首个经核证"
    "核算期为基准；强度为基于市场的排放除以游客人次或间夜数。"
)
METHOD_EN = (
    "Scopes 1, 2 and 3 per the GHG Protocol and ISO 14064-1, Scope 2 both location- and "
    "market-based. Net = market-based gross less forest-sink credits retired; reductions "
    "against each subject's first verified period; intensities are market-based emissions "
    "per visitor or per room-night."
)


def _number(text: str | int | None, places: str = "t") -> str:
    """A published figure (decimal text) for print: tonnes to the kilogram, or counts."""
    if text is None:
        return MISSING
    value = Decimal(text)
    if places == "t":
        return tonnes(value)
    return f"{value:,f}" if value != value.to_integral_value() else f"{value:,.0f}"


@dataclass(frozen=True)
class Column:
    """A table column: its header in both languages, width, alignment and cell text."""

    zh: str
    en: str
    share: float
    """Of the content width."""
    cell: Callable[[Mapping[str, Any]], str]
    right: bool = False
    second: Callable[[Mapping[str, Any]], str] | None = None
    """A second, grey line under the cell (an organisation, a date)."""


@functools.lru_cache(maxsize=512)
def _lines(text: str, font: str, size: float, limit: float) -> tuple[str, ...]:
    """`wrap`, remembered: most paragraphs (the basis, the method) are the same each time."""
    return tuple(wrap(text, font, size, limit))


@functools.lru_cache(maxsize=2048)
def _fitted(text: str, font: str, size: float, limit: float) -> tuple[str, float, float]:
    """`fit` down to 70 %, remembered (headers, labels and units recur): the line, its
    size and its width."""
    line, fitted_size = fit(text, font, size, limit, size * 0.7)
    return line, fitted_size, width(line, font, fitted_size)


@dataclass
class _Page:
    """A cursor running down the pages: what would fall below `BOTTOM` moves to a new page,
    after the footer of the page it leaves.

    Plain text (`put`) goes into one text object a page, drawn over the page's shapes when
    the page is done: a report sets a few hundred strings, and a text object each (what
    `Pen.text` makes, as it must for bold) would cost a third of the time. Bold text is
    the pen's."""

    pen: Pen
    year: int
    y: float = TOP
    number: int = 1
    _text: PDFTextObject | None = None
    _style: tuple[float, Color] | None = None

    def put(
        self,
        x: float,
        y: float,
        text: str,
        size: float,
        colour: Color = INK,
        *,
        bold: bool = False,
        align: str = "left",
        limit: float | None = None,
    ) -> None:
        """``text`` with its baseline at ``y``, left or right on ``x``; within ``limit``
        points if given (shrunk to 70 %, then cut with an ellipsis). Bold is the pen's."""
        if bold:
            self.pen.fitted(x, y, text, size, limit or 1e9, bold=True, colour=colour, align=align)
            return
        font = self.pen.fonts.regular
        line, size, wide = _fitted(text, font, size, limit if limit is not None else 1e9)
        if self._text is None:
            self._text = self.pen.canvas.beginText()
        if self._style != (size, colour):
            self._text.setFont(font, size)
            self._text.setFillColor(colour)
            self._style = (size, colour)
        self._text.setTextOrigin(x - wide if align == "right" else x, y)
        self._text.textOut(line)

    def finish_page(self) -> None:
        """The footer, the page's text, and the page."""
        self.put(
            LEFT,
            FOOTER,
            f"武陵源区{self.year}年度碳中和进展报告 Carbon-neutral progress report {self.year}",
            7,
            GREY,
        )
        self.put(RIGHT, FOOTER, f"第 {self.number} 页 Page {self.number}", 7, GREY, align="right")
        if self._text is not None:
            self.pen.canvas.drawText(self._text)
        self._text, self._style = None, None
        self.pen.canvas.showPage()

    def need(self, height: float) -> None:
        if self.y - height < BOTTOM and self.y < TOP:
            self.finish_page()
            self.number += 1
            self.y = TOP

    def heading(self, zh: str, en: str, keep: float = 20 * mm) -> None:
        """A section heading, kept on the page with ``keep`` points of what follows."""
        self.need(9 * mm + keep)
        self.y -= 7 * mm
        self.pen.text(LEFT, self.y, zh, 11, bold=True, colour=GREEN)
        self.put(LEFT + width(zh, self.pen.fonts.regular, 11) + 6, self.y, en, 9.5, GREEN)
        self.y -= 2.2 * mm
        self.pen.rule(LEFT, self.y, RIGHT)

    def paragraph(self, text: str, size: float, colour: Color = INK) -> None:
        for line in _lines(text, self.pen.fonts.regular, size, CONTENT_WIDTH):
            self.need(size * 1.5)
            self.y -= size * 1.5
            self.put(LEFT, self.y, line, size, colour)

    def table(self, columns: Sequence[Column], rows: Sequence[Mapping[str, Any]]) -> None:
        """Headers (Chinese over English), then a row a line or two, repeated headers on
        every page the table runs on to."""
        edges = [LEFT]
        for column in columns:
            edges.append(edges[-1] + column.share * CONTENT_WIDTH)
        two_lines = any(column.second for column in columns)
        height = ROW * (1.75 if two_lines else 1)

        def header() -> None:
            self.y -= 3.6 * mm
            for column, left, right in zip(columns, edges, edges[1:], strict=False):
                self._cell(column, left, right, column.zh, 7, GREY)
            for column, left, right in zip(columns, edges, edges[1:], strict=False):
                self._cell(column, left, right, column.en, 6.5, GREY, below=3 * mm)
            self.y -= 3 * mm + 1.2 * mm
            self.pen.rule(LEFT, self.y, RIGHT, colour=GREY, thickness=0.4)

        self.need(8 * mm + height)
        header()
        if not rows:
            self.y -= ROW
            self.put(LEFT + 1.5 * mm, self.y, "无 None", 8)
        for index, row in enumerate(rows):
            if self.y - height < BOTTOM:
                self.need(BOTTOM + 1)
                header()
            self.y -= ROW
            if index % 2 == 0:
                self.pen.canvas.setFillColor(PALE)
                self.pen.canvas.rect(
                    LEFT, self.y - height + ROW - 1.3 * mm, CONTENT_WIDTH, height, stroke=0, fill=1
                )
            cells = list(zip(columns, edges, edges[1:], strict=False))
            for column, left, right in cells:  # the row's first lines, then its grey ones
                self._cell(column, left, right, column.cell(row), 7.5, INK)
            for column, left, right in cells:
                if column.second:
                    self._cell(column, left, right, column.second(row), 6.5, GREY, below=3.2 * mm)
            self.y -= height - ROW

    def _cell(
        self,
        column: Column,
        left: float,
        right: float,
        text: str,
        size: float,
        colour: Color,
        below: float = 0.0,
    ) -> None:
        pad = 1.2 * mm
        x = right - pad if column.right else left + pad
        align = "right" if column.right else "left"
        self.put(x, self.y - below, text, size, colour, align=align, limit=right - left - 2 * pad)


def emissions_chart(
    years: Sequence[int],
    *,
    gross: Sequence[Decimal],
    credits: Sequence[Decimal],
    net: Sequence[Decimal],
    labels: tuple[str, str, str],
    font: str,
    chart_width: float,
    chart_height: float,
    label_size: float = LABEL_SIZE,
    value_size: float = VALUE_SIZE,
) -> Drawing:
    """Columns of the market-based gross, the credits retired and the net, tCO2e, year by
    year: the report's chart, and the dashboard's (larger text for screens)."""
    return periods_chart(
        [str(year) for year in years],
        tuple(
            Series(label, tuple(values), colour)
            for label, values, colour in zip(
                labels, (gross, credits, net), SERIES_COLOURS, strict=True
            )
        ),
        font,
        chart_width,
        chart_height,
        GREY,
        label_size=label_size,
        value_size=value_size,
    )


def render_progress_report(
    report: Mapping[str, Any], *, json_url: str, keys_url: str, compress: bool = COMPRESS
) -> bytes:
    """The signed report ``{"content", "signature", "fingerprint"}`` as PDF bytes;
    ``json_url`` is where the signed content is served, ``keys_url`` the public keys."""
    content, signature = report["content"], report["signature"]
    fonts = cjk_fonts()
    buffer = io.BytesIO()
    font = fonts.regular
    canvas = Canvas(buffer, A4, pageCompression=int(compress), invariant=True, initialFontName=font)
    year = content["year"]
    canvas.setTitle(f"{year}年度碳中和进展报告 Carbon-neutral progress report {year}")
    canvas.setAuthor(f"{content['issuer']['zh']} {content['issuer']['en']}")
    canvas.setSubject(f"sha256 {signature['sha256']}")
    page = _Page(Pen(canvas, fonts), year)
    _title(page, content)
    _figures(page, content["figures"])
    _series(page, content["series"])
    _documents(page, content["documents"])
    _method(page, content["method"])
    _signature(page, report, json_url=json_url, keys_url=keys_url)
    page.finish_page()
    canvas.save()
    return buffer.getvalue()


def _title(page: _Page, content: Mapping[str, Any]) -> None:
    pen, year = page.pen, content["year"]
    as_of = date.fromisoformat(content["as_of"])
    page.put(
        LEFT,
        TOP,
        "武陵源区 · 碳中和景区 Wulingyuan District · Carbon-neutral scenic areas",
        7.5,
        GREY,
    )
    page.put(RIGHT, TOP, f"报告年度 Report year {year}", 8, align="right")
    page.y = TOP - 14 * mm
    pen.text(LEFT, page.y, f"{year}年度碳中和进展报告", 22, bold=True, colour=GREEN)
    page.y -= 8 * mm
    page.put(LEFT, page.y, f"Carbon-neutral progress report {year}", 13, GREEN)
    page.y -= 7 * mm
    issuer = content["issuer"]
    page.y += 8.5 * 1.5
    page.paragraph(f"发布 Issued by: {issuer['zh']}", 8.5)
    page.paragraph(issuer["en"], 8.5)
    page.paragraph(f"数据截至 Status as of: {zh_date(as_of)} {en_date(as_of)}", 8.5)
    page.y -= 1.5 * mm
    page.paragraph(BASIS_ZH, 8.5, GREEN)
    page.paragraph(BASIS_EN, 8.5, GREEN)


FIGURES = {
    "scenic_areas_certified": ("获证景区", "Certified scenic areas"),
    "venues_certified": ("获证场馆", "Certified venues"),
    "products_labelled": ("获碳标签产品", "Products with a carbon label"),
    "inventories_verified": ("经核证的排放清单", "Verified inventories"),
    "gross_location_tco2e": ("排放总量（基于位置）", "Gross emissions, location-based"),
    "gross_market_tco2e": ("排放总量（基于市场）", "Gross emissions, market-based"),
    "reductions_tco2e": ("较首个核算期减排", "Reductions against each subject's first period"),
    "credits_retired_tco2e": ("注销林业碳汇", "Forest-sink credits retired"),
    "net_tco2e": ("净排放", "Net emissions"),
    "visitors": ("游客人次", "Visitors"),
    "room_nights": ("间夜数", "Room-nights"),
    "per_visitor_kgco2e": ("单位游客排放", "Per visitor"),
    "per_room_night_kgco2e": ("单位间夜排放", "Per room-night"),
}
"""The year's figures as the report lists them, by their names in the content: each in
Chinese and English; the unit is the name's ending (``_tco2e``, ``_kgco2e``)."""
UNITS = {"_tco2e": "tCO2e", "_kgco2e": "kgCO2e"}
STRONG = "net_tco2e"


def _figures(page: _Page, figures: Mapping[str, Any]) -> None:
    page.heading("本年度数据", f"Figures for {figures['year']}", keep=60 * mm)
    value_right = LEFT + 128 * mm
    for index, (name, (zh, en)) in enumerate(FIGURES.items()):
        unit = next((u for ending, u in UNITS.items() if name.endswith(ending)), "")
        page.need(ROW)
        page.y -= ROW
        if index % 2 == 0:
            page.pen.canvas.setFillColor(PALE)
            page.pen.canvas.rect(LEFT, page.y - 1.3 * mm, CONTENT_WIDTH, ROW, stroke=0, fill=1)
        strong = name == STRONG
        kind = "count" if name == "credits_retired_tco2e" or not unit else "t"  # whole credits
        page.put(LEFT + 1.5 * mm, page.y, zh, 8.5, bold=strong)
        en_limit = value_right - LEFT - 66 * mm
        page.put(LEFT + 36 * mm, page.y, en, 8, bold=strong, limit=en_limit)
        value = _number(figures[name], kind)
        page.put(value_right, page.y, value, 8.5, bold=strong, align="right")
        page.put(value_right + 2 * mm, page.y, unit, 7.5, GREY)


def _series(page: _Page, series: Sequence[Mapping[str, Any]]) -> None:
    page.heading("历年进展", "Progress over the years", keep=70 * mm)
    page.paragraph("单位：吨二氧化碳当量；强度为千克。Unit: tCO2e; intensities in kgCO2e.", 7, GREY)
    chart = emissions_chart(
        [row["year"] for row in series],
        gross=[Decimal(row["gross_market_tco2e"]) for row in series],
        credits=[Decimal(row["credits_retired_tco2e"]) for row in series],
        net=[Decimal(row["net_tco2e"]) for row in series],
        labels=(
            "排放总量（市场）Gross, market-based",
            "注销碳汇 Credits retired",
            "净排放 Net",
        ),
        font=page.pen.fonts.regular,
        chart_width=CONTENT_WIDTH,
        chart_height=58 * mm,
    )
    page.need(chart.height + 8 * mm)
    page.y -= 3 * mm + chart.height
    draw_chart(page.pen.canvas, chart, LEFT, page.y)
    page.y -= 3 * mm
    columns = (
        Column("年度", "Year", 0.08, lambda r: str(r["year"])),
        Column(
            "总量（位置）",
            "Gross, location",
            0.14,
            lambda r: _number(r["gross_location_tco2e"]),
            True,
        ),
        Column(
            "总量（市场）", "Gross, market", 0.14, lambda r: _number(r["gross_market_tco2e"]), True
        ),
        Column("减排", "Reductions", 0.13, lambda r: _number(r["reductions_tco2e"]), True),
        Column(
            "注销碳汇",
            "Credits",
            0.11,
            lambda r: _number(r["credits_retired_tco2e"], "count"),
            True,
        ),
        Column("净排放", "Net", 0.14, lambda r: _number(r["net_tco2e"]), True),
        Column("kg/游客", "kg/visitor", 0.13, lambda r: _number(r["per_visitor_kgco2e"]), True),
        Column(
            "kg/间夜", "kg/room-night", 0.13, lambda r: _number(r["per_room_night_kgco2e"]), True
        ),
    )
    page.table(columns, series)


def _status(row: Mapping[str, Any]) -> str:
    zh, en = STATUSES.get(row["status"], (row["status"], row["status"]))
    return f"{zh} {en}"


def _subject_kind(row: Mapping[str, Any]) -> str:
    zh, en = SUBJECTS.get(row.get("subject_kind", ""), ("", ""))
    return f"{zh} {en} · {row.get('organisation', '')}".strip(" ·")


def _documents(page: _Page, documents: Sequence[Mapping[str, Any]]) -> None:
    certificates = [d for d in documents if d["kind"] == "certificate"]
    labels = [d for d in documents if d["kind"] == "label"]
    page.heading("碳中和证书", "Carbon neutrality certificates")
    page.table(
        (
            Column("编号", "Number", 0.17, lambda r: r["number"]),
            Column(
                "主体", "Subject", 0.27, lambda r: r.get("subject", MISSING), second=_subject_kind
            ),
            Column(
                "核算期",
                "Period",
                0.14,
                lambda r: r.get("period_start") or MISSING,
                second=lambda r: f"– {r['period_end']}" if r.get("period_end") else "",
            ),
            Column(
                "状态",
                "Status",
                0.11,
                _status,
                second=lambda r: f"至 until {r['valid_until']}" if r.get("valid_until") else "",
            ),
            Column("排放 t", "Total t", 0.11, lambda r: _number(r.get("total_tco2e")), True),
            Column(
                "碳汇 t",
                "Credits t",
                0.09,
                lambda r: _number(r.get("credits_tco2e"), "count"),
                True,
            ),
            Column("净 t", "Net t", 0.11, lambda r: _number(r.get("net_tco2e")), True),
        ),
        certificates,
    )
    page.heading("产品碳标签", "Product carbon labels")
    page.table(
        (
            Column("编号", "Number", 0.17, lambda r: r["number"]),
            Column(
                "产品",
                "Product",
                0.33,
                lambda r: r.get("subject", MISSING),
                second=lambda r: f"{r.get('subject_en', '')} · {r.get('organisation', '')}",
            ),
            Column(
                "碳足迹 kgCO2e",
                "Footprint kgCO2e",
                0.2,
                lambda r: _number(r.get("kgco2e_per_unit")),
                True,
                second=lambda r: r.get("functional_unit_zh", ""),
            ),
            Column(
                "状态",
                "Status",
                0.3,
                _status,
                second=lambda r: (
                    f"有效期至 Valid until {r['valid_until']}" if r.get("valid_until") else ""
                ),
            ),
        ),
        labels,
    )

    if any(d["status"] in WITHDRAWN for d in documents):
        page.y -= 1.5 * mm
        page.paragraph(
            "已暂停、已撤销或无效的证书与标签不计入获证数量和注销碳汇。"
            "Suspended, revoked and invalid documents count toward neither the certified "
            "subjects nor the credits retired.",
            7.5,
            RED,
        )


def _method(page: _Page, method: Mapping[str, Any]) -> None:
    page.heading("方法与数据版本", "Method and dataset versions")
    page.paragraph(METHOD_ZH, 8)
    page.paragraph(METHOD_EN, 8)
    page.y -= 1.5 * mm
    for guide in method["guides"]:
        page.paragraph(
            f"实施指南 Guide: 第{guide['version']}版 {guide['title_zh']} / version "
            f"{guide['version']}, {guide['title_en']} (SHA-256 {guide['checksum']})",
            8,
        )
    for dataset in method["datasets"]:
        page.paragraph(
            f"排放因子数据集 Emission-factor dataset: {dataset['code']} "
            f"{dataset['title_zh']} / {dataset['title_en']}",
            8,
        )
    if not method["datasets"]:
        page.paragraph("排放因子数据集 Emission-factor dataset: 无 none", 8)


def _signature(page: _Page, report: Mapping[str, Any], *, json_url: str, keys_url: str) -> None:
    signature = report["signature"]
    page.heading("签名与核验", "Signature and how to check it", keep=45 * mm)
    lines = (
        ("内容摘要 SHA-256 of the content (RFC 8785 canonical JSON)", signature["sha256"], 8.5),
        ("区级签名 District's signature (Ed25519, base64url)", signature["signature"], 7.5),
        ("签名密钥 Key id (kid)", signature["kid"], 7.5),
        ("密钥指纹 Key fingerprint", report["fingerprint"], 8.5),
    )
    pen = page.pen
    for label, value, size in lines:
        page.need(4 * mm + 2 * size * 1.4)
        page.y -= 4 * mm
        page.put(LEFT, page.y, label, 7, GREY)
        for line in _lines(value, pen.fonts.regular, size, CONTENT_WIDTH):
            page.y -= size * 1.4
            page.put(LEFT, page.y, line, size, bold=size > 8)
    page.y -= 2 * mm
    page.paragraph(
        f"核验：下载 {json_url}，按 RFC 8785 计算其中 content 的规范 JSON 的 SHA-256，应与上列摘要"
        f"一致；再用 {keys_url} 中同一 kid 的公钥验证 Ed25519 签名。",
        7.5,
    )
    page.paragraph(
        f"To check: download {json_url}; the SHA-256 of the canonical JSON (RFC 8785) of its "
        f"content must equal the digest above, and the signature must verify with the "
        f"Ed25519 public key of the same kid at {keys_url}.",
        7.5,
    )
