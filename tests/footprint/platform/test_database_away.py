"""The database goes away and comes back: every request that needs it is a 503 with
``Retry-After`` meanwhile (a problem for API clients, the error page in the page's
language for a browser), and the same app process answers normally again once it is back.

The end-to-end tests stop and start a real PostgreSQL of their own (initdb in a
temporary directory, on a free port; never the machine's shared server) under a running
app. They run in the PostgreSQL run of the suite (TEST_DATABASE_URL) where PostgreSQL
15's binaries are installed. The others raise the errors a lost database raises, in the
shapes that reach the error handlers other than directly, on SQLite.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
import sqlalchemy.exc
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import text

from certify.core.signing import document_token
from certify.services import keys
from footprint.accounts.models import Role
from footprint.accounts.users import create_user, set_password
from footprint.platform import activity, page_cache
from footprint.platform.app import create_app
from footprint.platform.config import engine_options
from footprint.platform.db import db
from footprint.services import datasets
from tests.people import BROWSER, PASSWORD, csrf
from tests.ports import free_port

PG_BIN = Path("/usr/lib/postgresql/15/bin")
EMAIL = "away@example.com"
TRIP = {"lodging": [{"venue_id": 424242, "nights": 1}]}
"""A trip naming a venue, which only the database knows (trips that name none are priced
from the datasets kept in memory, database or not): 422, there is no such venue."""
UNAVAILABLE_TITLE = {"en": "The service is briefly unavailable", "zh": "服务暂时不可用"}


def assert_unavailable(response, *, page: bool = False, lang: str = "en", what: str = "") -> None:
    assert response.status_code == 503, (what, response.status_code)
    assert response.headers.get("Retry-After", "").isdigit(), what
    if page:
        assert response.mimetype == "text/html", what
        assert UNAVAILABLE_TITLE[lang] in response.text, what
    else:
        assert response.mimetype == "application/problem+json", what
        assert response.json["status"] == 503, what


# --- a PostgreSQL of the test's own, stopped and started under a running app --------


class Server:
    """A PostgreSQL cluster of this test's own, in a temporary directory."""

    def __init__(self, base: Path) -> None:
        self.data = base / "data"
        self.log = base / "server.log"
        self.socket_dir = base
        self.port = free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str) -> None:
        as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        done = subprocess.run(
            [*as_postgres, *command], capture_output=True, text=True, timeout=60, check=False
        )
        assert done.returncode == 0, (command, done.stdout, done.stderr)

    def init(self) -> None:
        self._run(
            str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "--encoding=UTF8", "--no-sync",
        )  # fmt: skip

    def start(self) -> None:
        options = f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", str(self.log),
            "-w", "start",
        )  # fmt: skip

    def stop(self) -> None:
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    if not os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"):
        pytest.skip("runs once, in the PostgreSQL run of the suite (TEST_DATABASE_URL)")
    if not (PG_BIN / "initdb").exists():
        pytest.skip(f"needs PostgreSQL 15's binaries in {PG_BIN}")
    base = Path(tempfile.mkdtemp(prefix="scenic-away-"))
    if os.geteuid() == 0:  # initdb and the server refuse to run as root
        shutil.chown(base, "postgres", "postgres")
    server = Server(base)
    try:
        server.init()
        server.start()
        yield server
    finally:
        if server.running():
            server.stop()
        shutil.rmtree(base, ignore_errors=True)


@dataclass
class Callers:
    app: Flask
    token: dict[str, str]
    signed_in: FlaskClient
    verify_token: str


def _lose_the_database(server: Server) -> Callable[[str], str]:
    """A view of the test's own: it opens a transaction (a write, for ``commit``), the
    database goes away, and then the view reads, commits, or answers at once (so that
    only the session's end, after the response, meets the lost connection)."""

    def lose(then: str) -> str:
        db.session.execute(text("SELECT 1"))
        if then == "commit":
            activity.record("test.lost", "test", 1)
            db.session.flush()
        server.stop()
        if then == "read":
            db.session.execute(text("SELECT 1"))
        elif then == "commit":
            db.session.commit()
        return then

    return lose


@pytest.fixture(scope="module")
def callers(server: Server, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callers]:
    """An app on the server, migrated, with the bundled datasets, an operator who has a
    token and a password, and a client signed in as them."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", server.url)
        app = create_app(
            {
                "TESTING": True,
                "RATELIMIT_ENABLED": False,
                "SECRET_KEY": "test",
                "KEY_STORE": str(tmp_path_factory.mktemp("away-keys") / "store"),
            }
        )
    app.add_url_rule("/test/lose/<then>", view_func=_lose_the_database(server))
    with app.app_context():
        upgrade()
        datasets.publish_bundled()
        user, token = create_user(EMAIL, role=Role.OPERATOR, organisation_name="Tianmen Hotel")
        set_password(user, password=PASSWORD)
        db.session.commit()
        unknown = document_token("certificate", 999_999, datetime.now(UTC), keys.store().active())
    signed_in = app.test_client()
    login = {"csrf_token": csrf(signed_in.get("/login")), "email": EMAIL, "password": PASSWORD}
    assert signed_in.post("/login", data=login).status_code == 303
    try:
        yield Callers(app, {"Authorization": f"Bearer {token}"}, signed_in, unknown)
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        datasets.clear_caches()  # they hold this app's database's datasets, not the suite's
        page_cache.clear()


@dataclass(frozen=True)
class Call:
    name: str
    method: str
    path: str
    up: int
    """The status while the database answers."""
    token: bool = False
    signed_in: bool = False
    page: bool = False
    json: dict[str, object] | None = None


CALLS = [
    Call("health", "GET", "/healthz", 200),
    Call("API GET, anonymous", "GET", "/api/v1/factors/datasets", 200),
    Call("API POST, anonymous", "POST", "/api/v1/footprints/trips", 422, json=TRIP),
    Call("API GET, token", "GET", "/api/v1/venues", 200, token=True),
    Call(
        "API POST, token",
        "POST",
        "/api/v1/venues",
        201,
        token=True,
        json={"name": "Tianmen Inn", "kind": "hotel"},
    ),
    Call("API GET, verification", "GET", "/api/v1/verify/{verify}", 200),
    Call("page, signed in", "GET", "/account?lang=en", 200, signed_in=True, page=True),
    Call("page, calculator", "GET", "/calculator?lang=en", 200, page=True),
    Call("page, verification", "GET", "/v/{verify}?lang=en", 200, page=True),
    Call("page, signing in", "POST", "/login?lang=en", 303, page=True),
]


def call(callers: Callers, request: Call):
    client = callers.signed_in if request.signed_in else callers.app.test_client()
    headers = {**(callers.token if request.token else {}), **(BROWSER if request.page else {})}
    path = request.path.format(verify=callers.verify_token)
    if path.startswith("/login"):  # the form's token first (its page needs no database)
        data = {"csrf_token": csrf(client.get("/login")), "email": EMAIL, "password": PASSWORD}
        return client.post(path, data=data, headers=headers)
    return client.open(path, method=request.method, json=request.json, headers=headers)


@pytest.mark.processes
def test_while_the_database_is_away_every_request_is_503_and_then_it_recovers(
    server: Server, callers: Callers
) -> None:
    for request in CALLS:
        assert call(callers, request).status_code == request.up, request.name

    server.stop()
    try:
        for request in CALLS:
            assert_unavailable(call(callers, request), page=request.page, what=request.name)
        chinese = callers.app.test_client().get("/calculator?lang=zh", headers=BROWSER)
        assert_unavailable(chinese, page=True, lang="zh")
    finally:
        server.start()

    for request in CALLS:  # the same process, its pool holding connections to the old server
        response = call(callers, request)
        assert response.status_code == request.up, (request.name, response.status_code)


@pytest.mark.processes
@pytest.mark.parametrize(
    ("then", "status"),
    [("read", 503), ("commit", 503), ("answer", 200)],
)
def test_a_database_lost_during_a_request_is_a_503_or_spoils_nothing_already_answered(
    server: Server, callers: Callers, then: str, status: int
) -> None:
    try:
        response = callers.app.test_client().get(f"/test/lose/{then}")
    finally:
        server.start()
    assert response.status_code == status
    if status == 503:
        assert_unavailable(response)
    assert callers.app.test_client().get("/api/v1/venues", headers=callers.token).status_code == 200


# --- the shapes in which a lost database reaches the error handlers (SQLite) --------

LOST = sqlalchemy.exc.OperationalError("SELECT 1", {}, psycopg.OperationalError("gone"))


def _wrapped() -> None:
    try:
        raise LOST
    except Exception as error:  # a broad handler that raises its own
        raise RuntimeError("could not load the page's data") from error


def _after_failed_flush() -> None:
    raise sqlalchemy.exc.PendingRollbackError("previous exception during flush")


def _pool_exhausted() -> None:
    raise sqlalchemy.exc.TimeoutError("QueuePool limit reached, connection timed out")


def _raw_driver() -> None:
    raise psycopg.OperationalError("connection failed: Connection refused")


def _invalidated() -> None:
    raise sqlalchemy.exc.DatabaseError(
        "SELECT 1", {}, psycopg.DatabaseError("lost"), connection_invalidated=True
    )


def app_raising(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, raise_: Callable[[], None], *, reachable: bool
) -> Flask:
    """An app whose view ``/test/raise`` calls ``raise_``, on a SQLite database that
    opens (``reachable``) or cannot (its folder does not exist)."""
    folder = tmp_path if reachable else tmp_path / "missing"
    monkeypatch.setenv("DATABASE_URL", "sqlite:///" + str(folder / "away.sqlite"))
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "KEY_STORE": str(tmp_path / "k")})
    app.add_url_rule("/test/raise", view_func=raise_)
    return app


@pytest.mark.parametrize(
    "raise_", [_wrapped, _after_failed_flush, _pool_exhausted, _raw_driver, _invalidated]
)
@pytest.mark.parametrize("page", [False, True], ids=["api", "page"])
def test_every_shape_of_a_lost_database_is_a_503(tmp_path, monkeypatch, raise_, page) -> None:
    client = app_raising(tmp_path, monkeypatch, raise_, reachable=False).test_client()
    response = client.get("/test/raise?lang=zh", headers=BROWSER if page else {})
    assert_unavailable(response, page=page, lang="zh")


def test_a_failed_flush_while_the_database_answers_stays_a_500(tmp_path, monkeypatch) -> None:
    app = app_raising(tmp_path, monkeypatch, _after_failed_flush, reachable=True)
    response = app.test_client().get("/test/raise")
    assert response.status_code == 500 and "Retry-After" not in response.headers


def test_a_lost_database_in_an_after_request_function_is_a_503(tmp_path, monkeypatch) -> None:
    """Outside tests Flask makes a 500 of an error raised after the view (or by an error
    handler), with the error inside; that one is answered for what it is."""
    app = app_raising(tmp_path, monkeypatch, lambda: "answered", reachable=False)
    app.config.update(TESTING=False, PROPAGATE_EXCEPTIONS=False)

    @app.after_request
    def lose(response):
        raise LOST

    assert_unavailable(app.test_client().get("/test/raise"))


def test_postgresql_connections_are_checked_and_do_not_wait_longer_than_a_worker() -> None:
    """A database host that drops packets (rather than refusing) would hold every request
    for the TCP timeout, minutes, past gunicorn's 30 s worker timeout: no 503 at all."""
    options = engine_options("postgresql+psycopg://postgres@db.example/scenic")
    assert options["pool_pre_ping"] is True
    assert 0 < options["connect_args"]["connect_timeout"] < 30
