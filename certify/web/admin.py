"""The district's pages at /admin: the programme's home, verifiers and assignments, issuing
and the documents' lifecycle, inventories to mark verified, and accounts to sign out.
"""

from __future__ import annotations

from flask import Blueprint

from footprint.accounts.sessions import protect

pages = Blueprint("admin", __name__, url_prefix="/admin")
protect(pages)
