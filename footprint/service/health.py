"""`GET /healthz`: 200 once the database answers."""

from __future__ import annotations

from flask import Blueprint
from sqlalchemy import text

from footprint.service.db import db
from footprint.service.problems import Problem

health = Blueprint("health", __name__)


@health.get("/healthz")
def healthz() -> dict[str, str]:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as error:  # any driver error means "not healthy"
        raise Problem(503, "The database does not answer.") from error
    return {"status": "ok"}
