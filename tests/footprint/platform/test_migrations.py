"""Alembic owns the schema: the migrations match the models and run up and down."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from footprint.platform.app import create_app
from footprint.platform.db import db


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
