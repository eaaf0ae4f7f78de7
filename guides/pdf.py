"""The implementation guide as a printable A4 PDF, in Chinese and English (`/guide.pdf`).

`render_guide` draws one published guide version onto a reportlab canvas, flowing the
text down the page and on to new pages: the title page (both titles, version, date,
issuer, summary and checksum), each section in Chinese then in English, the criteria as a
checklist under their sections, and the standards cited. Every page's footer carries its
number and the guide's version. All text is set in the embedded CJK TrueType font of the
certificate (`footprint.platform.pdf.fonts`), drawn with its pen
(`footprint.platform.pdf.drawing`) and wrapped by `footprint.platform.pdf.text.wrap`, so
Chinese shows in any viewer; the same guide always gives the same bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from footprint.platform.pdf.drawing import GREEN, GREY, INK, Pen
from footprint.platform.pdf.fonts import CjkFonts, cjk_fonts
from footprint.platform.pdf.text import en_date, wrap, zh_date
from guides.core import Criterion, Guide, Section, Standard

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT = 20 * mm
RIGHT = PAGE_WIDTH - 20 * mm
TOP = PAGE_HEIGHT - 20 * mm
BOTTOM = 20 * mm
"""Flowing text stays above this line; the footer is drawn below it."""
FOOTER = 12 * mm
INDENT = 7 * mm
"""Where a criterion's text starts, right of its check box."""


@dataclass(frozen=True)
class Style:
    size: float
    leading: float
    colour: Color = INK
    bold: bool = False


TITLE_ZH = Style(24, 34, GREEN, bold=True)
TITLE_EN = Style(15, 22, GREEN)
HEADING_ZH = Style(14, 22, GREEN, bold=True)
HEADING_EN = Style(11, 16, GREEN)
SUBHEADING = Style(10.5, 17, GREEN, bold=True)
LABEL = Style(8.5, 15, GREY)
BODY_ZH = Style(10, 16)
BODY_EN = Style(9.5, 13.5)
SMALL_ZH = Style(8.5, 12.5)
SMALL_EN = Style(8, 11)
CRITERION_ID = Style(9.5, 15, bold=True)
FOOT = Style(7.5, 0, GREY)
PARAGRAPH_GAP = 4.0
RULE_GAP = 3.0
BLOCK_GAP = 8.0


@dataclass
class _Flow:
    """A cursor running down the pages: each line goes below the last, and one that would
    fall under `BOTTOM` starts a new page, after the footer of the page it leaves."""

    canvas: Canvas
    fonts: CjkFonts
    guide: Guide
    y: float = TOP
    page: int = 1

    def lines(self, text: str, style: Style, indent: float = 0.0) -> list[str]:
        return wrap(text, self.fonts.regular, style.size, RIGHT - LEFT - indent)

    def need(self, height: float) -> None:
        """Start a new page unless ``height`` points still fit above the bottom margin (or
        the page is still empty: what is taller than a page then breaks where it must)."""
        if self.y - height < BOTTOM and self.y < TOP:
            self.new_page()

    def new_page(self) -> None:
        self._footer()
        self.canvas.showPage()
        self.page += 1
        self.y = TOP

    def line(self, text: str, style: Style, indent: float = 0.0) -> None:
        self.y -= style.leading
        self.draw(LEFT + indent, self.y, text, style)

    def paragraph(self, text: str, style: Style, after: float = PARAGRAPH_GAP) -> None:
        for line in self.lines(text, style):
            self.need(style.leading)
            self.line(line, style)
        self.y -= after

    def draw(self, x: float, y: float, text: str, style: Style, align: str = "left") -> None:
        Pen(self.canvas, self.fonts).text(
            x, y, text, style.size, bold=style.bold, colour=style.colour, align=align
        )

    def rule(self) -> None:
        self.y -= RULE_GAP
        Pen(self.canvas, self.fonts).rule(LEFT, self.y, RIGHT)
        self.y -= RULE_GAP

    def finish(self) -> None:
        self._footer()
        self.canvas.showPage()
        self.canvas.save()

    def _footer(self) -> None:
        self.draw(LEFT, FOOTER, f"{self.guide.title_zh} · 版本 Version {self.guide.version}", FOOT)
        self.draw(RIGHT, FOOTER, f"第 {self.page} 页 / Page {self.page}", FOOT, align="right")


def render_guide(guide: Guide) -> bytes:
    """The guide as PDF bytes, deterministic for a given guide."""
    fonts = cjk_fonts()
    buffer = io.BytesIO()
    # Compressed, unlike the certificate: a guide is rendered once a version and then served.
    canvas = Canvas(
        buffer,
        pagesize=A4,
        pageCompression=1,
        invariant=True,
        initialFontName=fonts.regular,
        initialFontSize=10,
    )
    canvas.setTitle(f"{guide.title_zh} {guide.title_en} v{guide.version}")
    canvas.setAuthor(guide.issuer_en)
    canvas.setSubject(guide.summary_en)
    flow = _Flow(canvas, fonts, guide)
    _title_page(flow, guide)
    for section in guide.sections:
        _section(flow, section)
    flow.new_page()
    _checklist(flow, guide)
    _standards(flow, guide.standards)
    flow.finish()
    return buffer.getvalue()


def _title_page(flow: _Flow, guide: Guide) -> None:
    flow.y = TOP - 30 * mm
    flow.paragraph(guide.title_zh, TITLE_ZH)
    flow.paragraph(guide.title_en, TITLE_EN)
    flow.rule()
    facts = (
        ("版本 Version", f"第{guide.version}版 / version {guide.version}"),
        ("发布日期 Published", f"{zh_date(guide.published)} / {en_date(guide.published)}"),
        ("发布机构 Issued by", guide.issuer_zh),
        ("", guide.issuer_en),
    )
    for label, value in facts:
        if label:
            flow.line(label, LABEL)
        flow.paragraph(value, BODY_EN)
    flow.y -= BLOCK_GAP
    _heading(flow, "摘要", "Summary")
    _paragraphs(flow, guide.summary_zh, BODY_ZH)
    _paragraphs(flow, guide.summary_en, BODY_EN)
    flow.y -= BLOCK_GAP
    flow.line("校验值 Checksum (SHA-256 of the guide document)", LABEL)
    flow.paragraph(guide.checksum, SMALL_EN)
    flow.new_page()


def _heading(
    flow: _Flow,
    zh: str,
    en: str,
    style_zh: Style = HEADING_ZH,
    style_en: Style = HEADING_EN,
    keep: float = 4 * BODY_ZH.leading,
) -> None:
    """A heading in both languages, on the page of the ``keep`` points that follow it."""
    flow.need(style_zh.leading + style_en.leading + 2 * RULE_GAP + keep)
    flow.paragraph(zh, style_zh, after=0)
    flow.paragraph(en, style_en, after=0)
    flow.rule()


def _paragraphs(flow: _Flow, text: str, style: Style) -> None:
    for paragraph in text.split("\n\n"):
        flow.paragraph(paragraph.strip(), style)


def _section(flow: _Flow, section: Section) -> None:
    _heading(flow, section.title_zh, section.title_en)
    _paragraphs(flow, section.text_zh, BODY_ZH)
    flow.y -= PARAGRAPH_GAP
    _paragraphs(flow, section.text_en, BODY_EN)
    flow.y -= BLOCK_GAP


def _checklist(flow: _Flow, guide: Guide) -> None:
    _heading(flow, "准则核查清单", "Checklist of criteria")
    flow.paragraph("每条准则注明核查方式：自动（由系统按所列规则核查）或核查员判断。", SMALL_ZH)
    flow.paragraph(
        "Each criterion says how it is checked: automatically (by the system, "
        "under the rule named) or by the verifier's judgement.",
        SMALL_EN,
    )
    for section in guide.sections:
        blocks = [_criterion_lines(flow, c) for c in guide.criteria_in(section.id)]
        if blocks:
            flow.y -= PARAGRAPH_GAP
            _heading(
                flow,
                section.title_zh,
                section.title_en,
                SUBHEADING,
                SMALL_EN,
                keep=_height(blocks[0]),
            )
        for lines in blocks:
            _criterion(flow, lines)


def _check_kind(criterion: Criterion) -> str:
    if criterion.automatic:
        return f"自动 automatic: {criterion.rule}"
    return "核查员判断 verifier's judgement"


def _criterion_lines(flow: _Flow, criterion: Criterion) -> list[tuple[str, Style]]:
    parts = (
        (f"{criterion.id}    {_check_kind(criterion)}", CRITERION_ID),
        (f"要求：{criterion.requirement_zh}", SMALL_ZH),
        (f"Requirement: {criterion.requirement_en}", SMALL_EN),
        (f"证据：{criterion.evidence_zh}", SMALL_ZH),
        (f"Evidence: {criterion.evidence_en}", SMALL_EN),
        (f"依据 Clause: {criterion.clause}", SMALL_EN),
    )
    return [(line, style) for text, style in parts for line in flow.lines(text, style, INDENT)]


def _height(lines: list[tuple[str, Style]]) -> float:
    return sum(style.leading for _, style in lines)


def _criterion(flow: _Flow, lines: list[tuple[str, Style]]) -> None:
    """One criterion's lines, kept whole on a page, with an empty box to tick."""
    flow.need(_height(lines))
    box = CRITERION_ID.size * 0.9
    flow.canvas.setStrokeColor(GREEN)
    flow.canvas.setLineWidth(0.8)
    flow.canvas.rect(LEFT, flow.y - CRITERION_ID.leading - 1, box, box)
    for line, style in lines:
        flow.line(line, style, INDENT)
    flow.y -= BLOCK_GAP


def _standards(flow: _Flow, standards: tuple[Standard, ...]) -> None:
    flow.y -= BLOCK_GAP
    _heading(flow, "引用标准", "Standards cited")
    for standard in standards:
        flow.need(2 * SMALL_EN.leading)
        lines = (standard.citation, standard.title_zh, standard.url)
        for text in filter(None, lines):
            flow.paragraph(text, SMALL_EN, after=0)
        flow.y -= PARAGRAPH_GAP
