"""The operators' carbon labels at /workspace/labels: a label's PDFs and print sheets."""

from __future__ import annotations

from flask import Blueprint

from footprint.accounts.sessions import protect

pages = Blueprint("label_pages", __name__, url_prefix="/workspace/labels")
protect(pages)
