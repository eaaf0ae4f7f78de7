"""Shared fixtures: an app on a migrated database (SQLite, or TEST_DATABASE_URL), tokens.

The schema is built once per session by Alembic, exactly as `flask db upgrade` does;
every test then starts from empty tables with every bundled dataset published (CN-2024,
the default for trips and inventories, and CN-2024-P, which extends it).
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text
from werkzeug.serving import make_server

from footprint.accounts.models import Role
from footprint.accounts.users import create_user
from footprint.core.datasets import Dataset, parse_dataset
from footprint.platform.app import create_app
from footprint.platform.db import db
from footprint.services import datasets

BUNDLED = Path(__file__).resolve().parents[1] / "footprint" / "datasets" / "CN-2024.toml"


def _load_bundled() -> None:
    """Load and publish every bundled dataset, each after the one it extends."""
    for path in datasets.bundled_documents():
        datasets.load(path.read_bytes(), publish=True)


def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")


@pytest.fixture(scope="session")
def cn2024() -> Dataset:
    """The bundled dataset, parsed without any database."""
    return parse_dataset(BUNDLED.read_bytes())


def _sqlite_file(app: Flask) -> Path | None:
    url = db.engine.url
    return Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None


@pytest.fixture(scope="session")
def _app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """Migrate once; on SQLite keep a copy of the fresh database to restore before each test."""
    url = database_url(tmp_path_factory)
    os.environ["DATABASE_URL"] = url
    app = create_app({"TESTING": True, "SECRET_KEY": "test",
                      "KEY_STORE": str(tmp_path_factory.mktemp("keys") / "store")})
    with app.app_context():
        if url.startswith("postgres"):
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        upgrade()
        _load_bundled()
        path = _sqlite_file(app)
        if path is not None:
            db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
            db.session.remove()
            db.engine.dispose()
            shutil.copyfile(path, path.with_suffix(".template"))
    yield app


def _fresh_database(app: Flask) -> None:
    """SQLite: restore the migrated copy. PostgreSQL: TRUNCATE (row triggers do not fire)."""
    db.session.remove()
    path = _sqlite_file(app)
    if path is not None:
        db.engine.dispose()
        for suffix in ("-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        shutil.copyfile(path.with_suffix(".template"), path)
    else:
        tables = ", ".join(t.name for t in db.metadata.sorted_tables)
        db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.session.commit()
        _load_bundled()
    datasets._parsed.clear()
    datasets._default.clear()
    datasets._extends.clear()


@pytest.fixture
def app(_app: Flask) -> Flask:
    """The app on a fresh database with the bundled datasets published.

    No app context stays pushed: each request then gets its own, as in production.
    """
    with _app.app_context():
        _fresh_database(_app)
    return _app


@pytest.fixture
def app_context(app: Flask) -> Iterator[None]:
    with app.app_context():
        yield


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


TokenFactory = Callable[..., dict[str, str]]


@pytest.fixture
def auth(app: Flask) -> TokenFactory:
    """``auth("operator", "Org")`` → headers with a new user's bearer token."""
    counter = iter(range(1_000_000))

    def make(role: str = "operator", organisation: str = "Tianmen Hotel") -> dict[str, str]:
        with app.app_context():
            _, token = create_user(f"user{next(counter)}@example.com", Role(role), organisation)
        return {"Authorization": f"Bearer {token}"}

    return make


# --- a live server and a real browser (headless Debian chromium, Playwright) ---------

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), "Debian's chromium is needed: apt-get install chromium"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
    page = context.new_page()
    yield page
    context.close()
