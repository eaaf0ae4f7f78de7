"""The test database: migrated once per session by Alembic (exactly as `flask db upgrade`
does), then restored to that fresh state before each test, with every bundled dataset
published (CN-2024, the default for trips and inventories, and CN-2024-P, which extends it).
On SQLite a copy of the migrated file is put back; on PostgreSQL the tables are truncated.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, make_url, text

from footprint.platform import page_cache
from footprint.platform.db import db
from footprint.services import datasets, forest_sinks

BUNDLED = Path(__file__).resolve().parents[1] / "footprint" / "datasets" / "CN-2024.toml"


def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")


@contextmanager
def empty_database(tmp_path: Path) -> Iterator[str]:
    """The URL of a new, empty database of the kind under test, dropped afterwards: a
    file on SQLite; on PostgreSQL, a database of its own beside the shared test one."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield "sqlite:///" + str(tmp_path / "empty.sqlite")
        return
    with scratch_postgres(url) as scratch:
        yield scratch


@contextmanager
def scratch_postgres(url: str, prefix: str = "scenic") -> Iterator[str]:
    """The URL of a new, empty database on the PostgreSQL server of ``url``, dropped
    afterwards (also by the benchmarks: `bench.nodes`)."""
    server = make_url(url)
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def sqlite_file(app: Flask) -> Path | None:
    url = db.engine.url
    return Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None


def fresh_database(app: Flask) -> None:
    """SQLite: restore the migrated copy. PostgreSQL: TRUNCATE (row triggers do not fire)."""
    db.session.remove()
    path = sqlite_file(app)
    if path is not None:
        db.engine.dispose()
        for suffix in ("-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        shutil.copyfile(path.with_suffix(".template"), path)
    else:
        tables = ", ".join(t.name for t in db.metadata.sorted_tables)
        db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.session.commit()
        datasets.publish_bundled()
    datasets.clear_caches()
    forest_sinks.clear()
    page_cache.clear()
