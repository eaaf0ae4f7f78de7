"""Shared fixtures: an app on a migrated database (SQLite, or TEST_DATABASE_URL, see
`tests.database`), tokens, a live server and a real browser.

Markers: tests that drive the browser are marked ``browser`` here, automatically, by the
fixture they use; ``processes`` and ``slow`` are set on the tests themselves. The fast
loop is ``pytest -m "not slow and not browser and not processes"``.
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
from footprint.platform.upgrade import run_steps
from tests.database import BUNDLED, database_url, fresh_database, sqlite_file
from tests.people import PASSWORD, add_person, csrf


@pytest.fixture(scope="session")
def cn2024() -> Dataset:
    """The bundled dataset, parsed without any database."""
    return parse_dataset(BUNDLED.read_bytes())


@pytest.fixture(scope="session")
def cn2025(cn2024: Dataset) -> Dataset:
    """The second edition (a draft), revising CN-2024, parsed without any database."""
    return parse_dataset((BUNDLED.parent / "CN-2025.toml").read_bytes(), cn2024)


@pytest.fixture(scope="session")
def cn2024p(cn2024: Dataset) -> Dataset:
    """The first edition's product life-cycle extension, parsed without any database."""
    return parse_dataset((BUNDLED.parent / "CN-2024-P.toml").read_bytes(), cn2024)


@pytest.fixture(scope="session")
def cn2025p(cn2025: Dataset, cn2024p: Dataset) -> Dataset:
    """The second edition with CN-2024-P's product factors carried onto it (a draft)."""
    return parse_dataset((BUNDLED.parent / "CN-2025-P.toml").read_bytes(), cn2025, cn2024p)


@pytest.fixture(scope="session")
def _app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """Migrate once; on SQLite keep a copy of the fresh database to restore before each test."""
    url = database_url(tmp_path_factory)
    os.environ["DATABASE_URL"] = url
    app = create_app(
        {
            "TESTING": True,
            # limits off for the suite (they would count across tests); their own tests
            # (tests/footprint/platform/test_rate_limits.py) make apps with them on
            "RATELIMIT_ENABLED": False,
            "SECRET_KEY": "test",
            "KEY_STORE": str(tmp_path_factory.mktemp("keys") / "store"),
        }
    )
    with app.app_context():
        if url.startswith("postgres"):
            db.session.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
            db.session.commit()
        upgrade()
        run_steps()  # as `db upgrade` does: the bundled datasets, the district's signing key
        path = sqlite_file(app)
        if path is not None:
            db.session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
            db.session.remove()
            db.engine.dispose()
            shutil.copyfile(path, path.with_suffix(".template"))
    yield app


@pytest.fixture
def app(_app: Flask) -> Flask:
    """The app on a fresh database with the bundled datasets published.

    No app context stays pushed: each request then gets its own, as in production.
    """
    with _app.app_context():
        fresh_database(_app)
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
def sign_in(app, client) -> Callable[..., object]:
    """``sign_in(role, organisation)``: a new user of that role, signed in on ``client``."""
    counter = iter(range(1000))

    def make(role: str = "operator", organisation: str = "Tianmen Hotel"):
        email = f"person{next(counter)}@example.com"
        add_person(app, email, role=role, organisation=organisation)
        token = csrf(client.get("/login"))
        signed = client.post(
            "/login", data={"csrf_token": token, "email": email, "password": PASSWORD}
        )
        assert signed.status_code == 303
        return client

    return make


@pytest.fixture
def auth(app: Flask) -> TokenFactory:
    """``auth("operator", "Org")`` → headers with a new user's bearer token."""
    counter = iter(range(1_000_000))

    def make(role: str = "operator", organisation: str = "Tianmen Hotel") -> dict[str, str]:
        with app.app_context():
            _, token = create_user(
                f"user{next(counter)}@example.com", role=Role(role), organisation_name=organisation
            )
        return {"Authorization": f"Bearer {token}"}

    return make


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that drives the browser ``browser``, by the fixture it uses."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


# --- a live server and a real browser (headless Debian chromium, Playwright) ---------

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


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


@pytest.fixture
def phone(browser: object, request: pytest.FixtureRequest) -> Iterator[object]:
    """The narrowest phone the pages are made for: 360 px wide, set to Chinese. With the
    ``no_script`` marker, JavaScript is off."""
    no_script = request.node.get_closest_marker("no_script") is not None
    context = browser.new_context(
        viewport={"width": 360, "height": 780},
        java_script_enabled=not no_script,
        locale="zh-CN",
    )
    page = context.new_page()
    yield page
    context.close()


AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
"""Screenshots of the browser tests (CI keeps the folder; see the README)."""


def assert_accessible(page: object) -> None:
    """No serious or critical axe-core violation on the page as it stands. axe is
    evaluated through the browser's devtools protocol, which the page's CSP does not
    govern (the page itself never runs inline script)."""
    assert AXE.exists(), "axe-core is needed: make test-setup (npm install --prefix tests/axe)"
    page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate("async () => (await axe.run(document)).violations")
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in found
        if v["impact"] in SERIOUS
    ]
    assert serious == [], serious


def assert_fits(page: object) -> None:
    """No horizontal scroll: nothing wider than the viewport."""
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the page scrolls sideways by {overflow} px"


def screenshot(page: object, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
