"""`GET /healthz`: 200 once the database answers, else 503 with ``Retry-After``, as is every
request made while the database cannot be reached."""

from __future__ import annotations

from flask import Blueprint, Flask, Response
from sqlalchemy import text
from sqlalchemy.exc import InterfaceError, OperationalError

from footprint.platform.db import db, unavailable

health = Blueprint("health", __name__)


@health.get("/healthz")
def healthz() -> dict[str, str] | Response:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any driver error means "not healthy"
        db.session.rollback()
        return unavailable()
    return {"status": "ok"}


def _database_unavailable(_: Exception) -> Response:
    db.session.rollback()
    return unavailable()


def init_app(app: Flask) -> None:
    """`/healthz`, and a 503 with ``Retry-After`` for any request the database cannot
    serve because it cannot be reached."""
    app.register_blueprint(health)
    for error in (OperationalError, InterfaceError):
        app.register_error_handler(error, _database_unavailable)
