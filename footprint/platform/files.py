"""Responses that are files (PDFs, downloads) rather than JSON, and how the OpenAPI
document says so."""

from __future__ import annotations

import io
from collections.abc import Iterable

from flask import Response, send_file

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


FILE = PDF
"""The response schema of an endpoint serving a stored file of any media type."""


def download(body: bytes, filename: str, *, media_type: str, sha256: str) -> Response:
    """A stored file to save, never to show: ``Content-Disposition: attachment`` (its
    name, non-ASCII too, per RFC 6266), its media type with ``nosniff``, revalidated
    against its SHA-256 as a strong ETag, and private to the reader."""
    response = send_file(
        io.BytesIO(body),
        mimetype=media_type,
        as_attachment=True,
        download_name=filename,
        etag=sha256,
        conditional=True,
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.cache_control.private = True
    return response
