"""``/api/v1/applications/{id}/evidence``: the files an application's verifier checks it
against — attached and removed by the applicant's operators while the application may
be changed, listed and downloaded by whoever may read it (`certify.services.evidence`).

An upload is ``multipart/form-data``: ``file``, ``description`` and optionally
``criterion_id``. The request may be larger than the app's usual limit, by one file of
evidence at most (`BODY_LIMIT`); a file is served as a download, never shown.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import Request, Response, request
from flask_smorest.fields import Upload
from marshmallow import fields, validate
from werkzeug.datastructures import CombinedMultiDict, FileStorage

from certify.models.evidence import MEDIA_TYPES, EvidenceDocument
from certify.services import evidence
from footprint.accounts.auth import current_user, secured
from footprint.accounts.models import Role, User
from footprint.platform.api_blueprint import Blueprint, BodyRequiredParser
from footprint.platform.fields import NAME, text_of
from footprint.platform.files import FILE, download
from footprint.platform.openapi import refuses


class MultipartParser(BodyRequiredParser):
    """The API's parser, reading ``location="files"`` as the whole multipart body: its
    files and its other fields together, in one schema (flask-smorest documents that
    location as the ``multipart/form-data`` request body, but reads only the files)."""

    def load_files(self, req: Request, schema: ma.Schema) -> Any:
        return self._makeproxy(CombinedMultiDict([req.files, req.form]), schema)


class MultipartBlueprint(Blueprint):
    """An API blueprint whose endpoints read multipart bodies (`MultipartParser`)."""

    ARGUMENTS_PARSER = MultipartParser()


blp = MultipartBlueprint(
    "evidence",
    __name__,
    url_prefix="/api/v1/applications/<int:application_id>/evidence",
    description="Evidence attached to an application: meter readings, invoices, logs, "
    "certificate records — the files its verifier checks it against.",
)

BODY_LIMIT = evidence.MAX_BYTES + 256 * 1024
"""Bytes of an upload's request: one file of evidence and its form fields."""
DESCRIPTION = text_of(1000)
EXTENSIONS = dict(
    zip((".pdf", ".png", ".jpg", ".csv", ".xlsx"), MEDIA_TYPES, strict=True),
    **{".jpeg": MEDIA_TYPES[2]},
)
"""What a file's name declares it to be; its content must agree (`evidence.sniff`)."""


def room_for_a_file() -> None:
    """Let this request carry a file of evidence (the app's limit is smaller)."""
    request.max_content_length = BODY_LIMIT


blp.before_request(room_for_a_file)


class EvidenceInSchema(ma.Schema):
    """A file of evidence, with what it shows and the criterion it supports."""

    file = Upload(
        required=True,
        metadata={
            "description": f"a PDF, PNG, JPEG, CSV or XLSX file of at most "
            f"{evidence.MAX_MB} MB, judged by its content"
        },
    )
    description = fields.String(
        required=True,
        validate=DESCRIPTION,
        metadata={"description": "what the file shows, e.g. 'electricity bills, 2024'"},
    )
    criterion_id = fields.String(
        load_default=None,
        validate=validate.Length(max=40),
        metadata={"description": "the criterion of the application's guide it supports"},
    )


class EvidenceSchema(ma.Schema):
    id = fields.Integer()
    application_id = fields.Integer()
    name = fields.String(validate=NAME)
    media_type = fields.String(validate=validate.OneOf(MEDIA_TYPES))
    size = fields.Integer(metadata={"description": "bytes"})
    sha256 = fields.String(metadata={"description": "of the file's bytes, hex"})
    description = fields.String()
    criterion_id = fields.String(allow_none=True)
    uploaded_by = fields.String(
        attribute="uploaded_by.email", metadata={"description": "the operator's e-mail"}
    )
    uploaded_at = fields.DateTime()


def declared_type(upload: FileStorage) -> str | None:
    """What the upload says it is: by its name's extension, else the browser's type."""
    name = (upload.filename or "").lower()
    extension = name[name.rfind(".") :] if "." in name else ""
    return EXTENSIONS.get(extension) or upload.mimetype or None


def attach_upload(
    user: User,
    *,
    application_id: int,
    upload: FileStorage,
    description: str,
    criterion_id: str | None,
) -> EvidenceDocument:
    """`evidence.attach` of an uploaded file, read up to one byte past the limit."""
    return evidence.attach(
        user,
        application_id=application_id,
        name=upload.filename or "",
        media_type=declared_type(upload),
        content=upload.stream.read(evidence.MAX_BYTES + 1),
        description=description,
        criterion_id=criterion_id or None,
    )


def file_of(document: EvidenceDocument) -> Response:
    """The file itself, to download."""
    return download(
        document.content, document.name, media_type=document.media_type, sha256=document.sha256
    )


@blp.post("")
@secured(Role.OPERATOR)
@refuses(409)
@blp.arguments(EvidenceInSchema(), location="files")
@blp.response(201, EvidenceSchema)
def attach(body: dict[str, Any], application_id: int) -> EvidenceDocument:
    """Attach a file of evidence (the applicant's operator, as a draft or when changes
    were requested): 422 naming the field, 409 once submitted or at 50 files."""
    return attach_upload(
        current_user(),
        application_id=application_id,
        upload=body["file"],
        description=body["description"],
        criterion_id=body["criterion_id"],
    )


@blp.get("")
@secured()
@refuses(403)
@blp.response(200, EvidenceSchema(many=True))
def listing(application_id: int) -> list[EvidenceDocument]:
    """The application's evidence, oldest first (whoever may read the application)."""
    return evidence.listing(current_user(), application_id=application_id)


@blp.get("/<int:evidence_id>")
@secured()
@refuses(403)
@blp.response(200, FILE, content_type="application/octet-stream")
def get(application_id: int, evidence_id: int) -> Response:
    """The file, as its media type, to download (whoever may read the application)."""
    return file_of(
        evidence.get(current_user(), application_id=application_id, evidence_id=evidence_id)
    )


@blp.delete("/<int:evidence_id>")
@secured(Role.OPERATOR)
@refuses(409)
@blp.response(204)
def remove(application_id: int, evidence_id: int) -> None:
    """Remove a file (the applicant's operator, as a draft or when changes were
    requested); the audit chain keeps its SHA-256."""
    evidence.remove(current_user(), application_id=application_id, evidence_id=evidence_id)
