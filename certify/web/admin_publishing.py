"""The district's publishing pages under /admin: factor datasets and guide versions,
uploaded, compared with the current one, and published.
"""

from __future__ import annotations

from flask import Blueprint

from footprint.accounts.sessions import protect

pages = Blueprint("admin_publishing", __name__, url_prefix="/admin")
protect(pages)
