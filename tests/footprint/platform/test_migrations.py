"""Alembic owns the schema: the migrations match the models and run up and down."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from footprint.platform.app import create_app
from footprint.platform.db import db
from footprint.services import datasets
from tests.database import empty_database


def test_the_migrations_build_exactly_the_schema_of_the_models(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        assert compare_metadata(context, db.metadata) == []


def test_an_empty_database_upgrades_and_an_older_one_catches_up(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:///" + str(tmp_path / "fresh.sqlite"))
    app = create_app()
    with app.app_context():
        upgrade()
        assert "inventories" in inspect(db.engine).get_table_names()
        downgrade(revision="base")
        assert "inventories" not in inspect(db.engine).get_table_names()
        upgrade()
        assert "inventories" in inspect(db.engine).get_table_names()


def test_db_upgrade_publishes_the_bundled_datasets_and_makes_the_signing_key(tmp_path, monkeypatch):
    """Issue 14: after `db upgrade` on a fresh database every trip answered 503 until an
    undocumented `factors load --publish`."""
    with empty_database(tmp_path) as url:
        monkeypatch.setenv("DATABASE_URL", url)
        app = create_app({"TESTING": True, "KEY_STORE": str(tmp_path / "keys")})
        first = app.test_cli_runner().invoke(args=["db", "upgrade"])
        assert first.exit_code == 0, first.output
        assert "dataset CN-2024: published" in first.output
        assert "signing key " in first.output and ": created" in first.output  # issue 15
        listed = app.test_client().get("/api/v1/keys").json["keys"]
        assert len({jwk["x"] for jwk in listed}) == 1  # one key, under its kid and short kid
        trip = {"transport": [{"mode": "rail", "distance_km": 100}]}
        priced = app.test_client().post("/api/v1/footprints/trips", json=trip)
        assert priced.status_code == 200 and priced.json["dataset"] == "CN-2024"

        again = app.test_cli_runner().invoke(args=["db", "upgrade"])
        assert again.exit_code == 0 and "dataset CN-2024: unchanged" in again.output
        assert ": active" in again.output and ": created" not in again.output
        only_sql = app.test_cli_runner().invoke(args=["db", "upgrade", "--sql"])
        assert "dataset CN-2024" not in only_sql.output
        with app.app_context():
            db.engine.dispose()
        datasets.clear_caches()
