"""`GET /healthz`: 200 once the database answers."""

from __future__ import annotations

from flask import Blueprint, Flask
from sqlalchemy import text

from footprint.platform.db import db
from footprint.platform.problems import Problem

health = Blueprint("health", __name__)


@health.get("/healthz")
def healthz() -> dict[str, str]:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as error:  # any driver error means "not healthy"
        raise Problem(503, "The database does not answer.") from error
    return {"status": "ok"}


def init_app(app: Flask) -> None:
    app.register_blueprint(health)
