"""`GET /healthz`: 200 once the database answers (``ok``, or ``degraded`` with what
`footprint.platform.checks` finds missing), else 503 with ``Retry-After``, as is every
request made while the database cannot be reached.

A lost database reaches the error handlers in many shapes: SQLAlchemy's
``OperationalError``, ``InterfaceError`` or pool timeout, a connection invalidated under
a ``DatabaseError``, the driver's own error, an error a broad ``except`` raised in its
place, ``PendingRollbackError`` after a failed flush, or an error raised after the view
that Flask hands over inside a 500. Rather than list them all, an error that nothing
else explains is a 503 when its chain holds a connection error or, failing that, when
the database does not answer a probe now; otherwise it stays the 500 it is. The probe
costs a connection only on the way to a 500.

The session of a request whose database went away cannot be rolled back (the
connection is gone): it is invalidated instead, so that neither the error handler nor
the end of the request raises again, and the pool opens new connections once the
database is back (``pool_pre_ping``, `footprint.platform.config.engine_options`).
"""

from __future__ import annotations

from collections.abc import Iterator

from flask import Blueprint, Flask, Response
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import InternalServerError

from footprint.platform import checks, problems
from footprint.platform.db import db, unavailable

health = Blueprint("health", __name__)
CONNECTION_ERRORS = (OperationalError, InterfaceError, PoolTimeout)


@health.get("/healthz")
def healthz() -> dict[str, object] | Response:
    """``ok``; ``degraded`` naming what `footprint.platform.checks` found missing; or 503."""
    if not answers():
        return unavailable()
    failing = {check.name: check.detail for check in checks.recent() if not check.ok}
    if failing:
        return {"status": "degraded", "failing": failing}
    return {"status": "ok"}


def answers() -> bool:
    """Whether the database answers now, on the request's session."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any driver error means "not answering"
        discard_session()
        return False
    return True


def discard_session() -> None:
    """Roll the session back, or invalidate it where its connection is gone."""
    try:
        db.session.rollback()
    except Exception:
        db.session().invalidate()


def _chain(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        pending += [current.__cause__, current.__context__]
        if isinstance(current, InternalServerError):
            pending.append(current.original_exception)


def database_lost(error: BaseException) -> bool:
    """Whether ``error`` comes of a database that cannot be reached (module docstring)."""
    for cause in _chain(error):
        if isinstance(cause, CONNECTION_ERRORS):
            return True
        if isinstance(cause, DBAPIError) and cause.connection_invalidated:
            return True
    discard_session()
    return not answers()


def _unexpected(error: Exception) -> Response:
    if database_lost(error):
        discard_session()
        return unavailable()
    if isinstance(error, InternalServerError):
        return problems.unexpected(error.original_exception or error)
    return problems.unexpected(error)


def _close_session(_: BaseException | None) -> None:
    """Before Flask-SQLAlchemy's own teardown: end the session without raising when its
    connection is gone (the response may already be sent)."""
    try:
        db.session.remove()
    except Exception:
        db.session().invalidate()
        db.session.remove()


def init_app(app: Flask) -> None:
    """`/healthz`, and a 503 with ``Retry-After`` for any request the database cannot
    serve because it cannot be reached. After `db.init_app`: teardowns run last first."""
    app.register_blueprint(health)
    for error in (Exception, InternalServerError):
        app.register_error_handler(error, _unexpected)
    app.teardown_appcontext(_close_session)
