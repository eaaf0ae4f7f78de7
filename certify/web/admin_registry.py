"""The district's registry and audit pages under /admin: forest-sink projects and issuance,
registry imports, the ledger and the audit chain with their checks.
"""

from __future__ import annotations

from flask import Blueprint

from footprint.accounts.sessions import protect

pages = Blueprint("admin_registry", __name__, url_prefix="/admin")
protect(pages)
