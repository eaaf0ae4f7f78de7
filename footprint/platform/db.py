"""The database handle, the typed declarative base, and column types shared by all models."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar

from flask import Response, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import (
    DateTime,
    MetaData,
    Numeric,
    Select,
    String,
    TypeDecorator,
    event,
    func,
    select,
)
from sqlalchemy.engine import Dialect, Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import DeclarativeBase, registry

from footprint.core.quantities import plain
from footprint.platform.problems import Problem, problem_response

EXCLUSIVE_WRITE = "scenic_exclusive_write"


class ExactDecimal(TypeDecorator[Decimal]):
    """A Decimal stored exactly: NUMERIC on PostgreSQL, canonical text on SQLite.

    SQLite has no exact decimal type (NUMERIC columns become floats), and quantities
    here must round-trip to the last digit.
    """

    impl = String(48)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> Any:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(Numeric(38, 12))
        return dialect.type_descriptor(String(48))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        value = Decimal(value)
        return value if dialect.name == "postgresql" else plain(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return Decimal(value).normalize() if isinstance(value, Decimal) else Decimal(value)


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC timestamps on every backend (SQLite drops the zone otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def paginate(query: Select[Any], page: int, per_page: int) -> tuple[list[Any], int]:
    """One page of ``query``'s rows (1-based) and the total number of rows."""
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).all()
    return list(rows), total


M = TypeVar("M")


def get_or_404(model: type[M], ident: object, what: str) -> M:
    """The ``model`` row with primary key ``ident``, or a 404 problem naming ``what``."""
    found = db.session.get(model, ident)
    if found is None:
        raise Problem(404, f"no {what} {ident}")
    return found


@contextmanager
def conflict_as(detail: str) -> Iterator[None]:
    """Inside, a constraint the database refuses (a duplicate, most often) rolls the
    transaction back and is a 409 problem saying ``detail``."""
    try:
        yield
    except IntegrityError as error:
        db.session.rollback()
        raise Problem(409, detail) from error


def insert_or_conflict(row: object, *, conflict: str) -> None:
    """Add ``row`` and flush it, so it has its id; a duplicate is a 409 saying ``conflict``."""
    db.session.add(row)
    with conflict_as(conflict):
        db.session.flush()


RETRY_AFTER_SECONDS = 10
UNAVAILABLE = "The database does not answer; try again shortly."


def unavailable() -> Response:
    """A database that cannot be reached is a 503 with ``Retry-After``, not a 500: the
    request was fine, the service is not (yet) able to answer it."""
    return problem_response(503, UNAVAILABLE, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(
            naming_convention={
                "ix": "ix_%(column_0_label)s",
                "uq": "uq_%(table_name)s_%(column_0_N_name)s",
                "ck": "ck_%(table_name)s_%(constraint_name)s",
                "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
                "pk": "pk_%(table_name)s",
            }
        ),
        type_annotation_map={Decimal: ExactDecimal(), datetime: UtcDateTime()},
    )


db = SQLAlchemy(model_class=Base)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, connection_record: Any) -> None:
    """Enforce foreign keys, let readers proceed while one writer commits, and let
    SQLAlchemy (not pysqlite) emit BEGIN, so that a transaction can take the write
    lock up front (see :func:`begin_exclusive`)."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection: Any) -> None:
    if connection.dialect.name == "sqlite":
        immediate = connection.get_execution_options().get(EXCLUSIVE_WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
READ_ONLY_ENDPOINTS: set[str] = set()
"""Endpoints that take a request body but never write (e.g. the trip calculator)."""


def read_only(endpoint: str) -> None:
    """Declare that ``endpoint`` ("blueprint.view") never writes, whatever its method."""
    READ_ONLY_ENDPOINTS.add(endpoint)


def exclusive_writes() -> None:
    """Before a request that may write: on SQLite, take the write lock up front.

    SQLite refuses ("database is locked") a transaction that read a snapshot and then
    tries to write after another writer committed; taking the lock first makes
    concurrent writers wait their turn instead. PostgreSQL needs nothing here.
    """
    if (
        request.method in WRITE_METHODS
        and request.endpoint not in READ_ONLY_ENDPOINTS
        and db.engine.dialect.name == "sqlite"
    ):
        begin_exclusive()


def begin_exclusive() -> None:
    """Start the session's next transaction as a writer that excludes other writers.

    On SQLite this is BEGIN IMMEDIATE (its only lock is the database's); on PostgreSQL
    a plain transaction, whose queries take row locks with ``with_for_update``.
    Whatever the session had open is rolled back first.
    """
    db.session.rollback()
    db.session.connection(execution_options={EXCLUSIVE_WRITE: True})
