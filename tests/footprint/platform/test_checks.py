"""A clean first start (issue 15): what the service needs is checked before a request
finds it missing — `/healthz` says ``degraded`` and what, ``flask doctor`` prints it."""

from __future__ import annotations

from footprint.platform import checks
from footprint.platform.app import create_app
from footprint.platform.db import db
from tests.database import empty_database


def new_app(url, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", url)
    return create_app(
        {"TESTING": True, "KEY_STORE": str(tmp_path / "keys"), "HEALTH_RECHECK_SECONDS": 0}
    )


def test_before_db_upgrade_health_is_degraded_naming_the_database_and_the_key(
    tmp_path, monkeypatch
):
    with empty_database(tmp_path) as url:
        app = new_app(url, tmp_path, monkeypatch)
        health = app.test_client().get("/healthz")
        assert health.status_code == 200 and health.json["status"] == "degraded"
        assert "run db upgrade" in health.json["failing"]["database"]
        assert "no active signing key" in health.json["failing"]["keys"]
        doctor = app.test_cli_runner().invoke(args=["doctor"])
        assert doctor.exit_code == 1 and "FAIL  database: at revision empty" in doctor.output

        assert app.test_cli_runner().invoke(args=["db", "upgrade"]).exit_code == 0
        assert app.test_client().get("/healthz").json == {"status": "ok"}
        doctor = app.test_cli_runner().invoke(args=["doctor"])
        assert doctor.exit_code == 0, doctor.output
        assert "ok    keys: active signing key" in doctor.output
        assert "ok    font: " in doctor.output and "ok    secret: " in doctor.output
        with app.app_context():
            db.engine.dispose()


def test_a_missing_cjk_font_is_named_before_the_first_pdf_is_asked_for(app, client, monkeypatch):
    monkeypatch.setenv("CJK_FONT_PATH", "/nowhere/font.ttc")
    app.config["HEALTH_RECHECK_SECONDS"] = 0
    try:
        health = client.get("/healthz").json
    finally:
        app.config.pop("HEALTH_RECHECK_SECONDS")
        app.extensions.pop(checks.LAST)  # the session's app checks anew
    assert health["status"] == "degraded"
    assert "/nowhere/font.ttc" in health["failing"]["font"]


def test_an_unsafe_key_store_is_named(tmp_path, monkeypatch):
    with empty_database(tmp_path) as url:
        app = new_app(url, tmp_path, monkeypatch)
        assert app.test_cli_runner().invoke(args=["db", "upgrade"]).exit_code == 0
        (tmp_path / "keys").chmod(0o755)
        failing = app.test_client().get("/healthz").json["failing"]
        assert set(failing) == {"keys"} and "key store cannot be used" in failing["keys"]
        with app.app_context():
            db.engine.dispose()
