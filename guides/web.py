"""The implementation guide for people (`/guide`) and as data (`/api/v1/guides`)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import marshmallow as ma
from flask import Blueprint as PageBlueprint
from flask import Response, render_template
from marshmallow import fields

from footprint.platform.api_blueprint import Blueprint
from footprint.platform.files import pdf_response
from footprint.platform.problems import Problem
from guides.core import Guide, GuideError
from guides.pdf import render_guide
from guides.store import load_guide, versions

blp = Blueprint(
    "guides",
    __name__,
    url_prefix="/api/v1/guides",
    description="《碳中和景区实施指南》 — the carbon-neutral scenic area guide.",
)
pages = PageBlueprint("guide_pages", __name__)


class CriterionSchema(ma.Schema):
    id = fields.String()
    section = fields.String()
    requirement_zh = fields.String()
    requirement_en = fields.String()
    evidence_zh = fields.String()
    evidence_en = fields.String()
    clause = fields.String()
    applies_to = fields.List(fields.String())
    check = fields.String(metadata={"description": "automatic or judgement"})
    rule = fields.String(allow_none=True)


class SectionSchema(ma.Schema):
    id = fields.String()
    title_zh = fields.String()
    title_en = fields.String()
    text_zh = fields.String()
    text_en = fields.String()


class GuideSchema(ma.Schema):
    version = fields.Integer()
    title_zh = fields.String()
    title_en = fields.String()
    published = fields.Date()
    issuer_zh = fields.String()
    issuer_en = fields.String()
    summary_zh = fields.String()
    summary_en = fields.String()
    checksum = fields.String()
    sections = fields.List(fields.Nested(SectionSchema))
    criteria = fields.List(fields.Nested(CriterionSchema))
    offsets = fields.Dict()


def guide(version: int | None) -> Guide:
    try:
        return load_guide(version)
    except GuideError as error:
        raise Problem(404, f"no guide version {version}") from error


class VersionSchema(ma.Schema):
    version = fields.Integer()
    url = fields.String()


@blp.get("")
@blp.response(200, VersionSchema(many=True))
def list_versions() -> list[dict[str, Any]]:
    """The published versions."""
    return [{"version": v, "url": f"/api/v1/guides/{v}"} for v in versions()]


@blp.get("/<int:version>")
@blp.response(200, GuideSchema)
def get_guide(version: int) -> dict[str, Any]:
    """One version: sections, criteria (with clause and check) and offset parameters."""
    found = guide(version)
    plain = (
        "version",
        "title_zh",
        "title_en",
        "published",
        "issuer_zh",
        "issuer_en",
        "summary_zh",
        "summary_en",
        "checksum",
        "sections",
        "criteria",
    )
    return {
        **{name: getattr(found, name) for name in plain},
        "offsets": {
            k: list(v) if isinstance(v, tuple) else v for k, v in asdict(found.offsets).items()
        },
    }


@pages.get("/guide")
@pages.get("/guide/<int:version>")
def guide_page(version: int | None = None) -> str:
    """The guide for people, in the visitor's language, criteria under their sections."""
    return render_template("guides/guide.html", guide=guide(version), versions=versions())


_pdfs: dict[str, bytes] = {}


def _guide_pdf(found: Guide) -> bytes:
    # A published version never changes, so its PDF is rendered once per process (by
    # checksum: a stored version's number is only as good as the database under it).
    if found.checksum not in _pdfs:
        _pdfs[found.checksum] = render_guide(found)
    return _pdfs[found.checksum]


@pages.get("/guide.pdf")
@pages.get("/guide/<int:version>.pdf")
def guide_pdf(version: int | None = None) -> Response:
    """The guide as a printable A4 PDF in Chinese and English, criteria as a checklist."""
    found = guide(version)
    return pdf_response(_guide_pdf(found), f"scenic-carbon-guide-v{found.version}.pdf")
