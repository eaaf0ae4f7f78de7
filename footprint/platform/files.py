"""Responses that are files (PDFs) rather than JSON, and how the OpenAPI document says so."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Response

PDF = {"format": "binary", "type": "string"}
"""The response schema of a PDF endpoint (``@blp.response(200, PDF, content_type=…)``)."""


def pdf_response(
    body: bytes | Iterable[bytes], filename: str, *, attachment: bool = False, live: bool = False
) -> Response:
    """A PDF, shown in the browser or (``attachment``) downloaded as ``filename``.
    ``live``: the file shows a status that may change, so caches must revalidate."""
    disposition = "attachment" if attachment else "inline"
    headers = {"Content-Disposition": f'{disposition}; filename="{filename}"'}
    if live:
        headers["Cache-Control"] = "no-cache"
    return Response(body, mimetype="application/pdf", headers=headers)
