"""The application factory (as in the Flask tutorial): configuration, extensions, blueprints."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from flask_migrate import Migrate

from footprint.service import openapi, problems
from footprint.service.config import from_environment
from footprint.service.db import db, exclusive_writes

ROOT = Path(__file__).resolve().parents[2]
migrate = Migrate()


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app; ``config`` overrides the environment (tests use it)."""
    app = Flask(
        "scenic_carbon",
        instance_path=str(ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
        static_folder=None,
    )
    app.config.from_mapping(from_environment(app.instance_path))
    if config:
        app.config.update(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.json.ensure_ascii = False  # type: ignore[attr-defined]

    # Imported here so every model is on the metadata before Alembic or the API look at it.
    from certify import auditlog, certification  # noqa: F401
    from certify import cli as certify_cli
    from certify import models as certify_models  # noqa: F401
    from certify.web import (
        applications,
        certificates,
        keys,
        labels,
        offsets,
        registry,
        verifiers,
    )
    from footprint import cli as footprint_cli
    from footprint import (
        demo,
        models,  # noqa: F401
    )
    from footprint.service import accounts_cli, audit  # noqa: F401
    from footprint.service.health import health
    from footprint.web import factors, products, session, tokens, trips, venues
    from guides import web as guides_web

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True)
    problems.init_app(app)
    app.before_request(exclusive_writes)
    openapi.init_app(app, [factors.blp, trips.blp, venues.blp, tokens.blp, registry.blp,
                           offsets.blp, keys.blp, verifiers.blp, guides_web.blp,
                           applications.blp, certificates.blp, products.blp, labels.blp])
    app.register_blueprint(health)
    app.register_blueprint(registry.pages)
    app.register_blueprint(offsets.pages)
    app.register_blueprint(guides_web.pages)
    app.register_blueprint(certificates.pages)
    app.register_blueprint(session.pages)

    app.cli.add_command(accounts_cli.users)
    app.cli.add_command(footprint_cli.factors)
    app.cli.add_command(footprint_cli.footprints)
    app.cli.add_command(demo.demo)
    app.cli.add_command(certify_cli.registry)
    app.cli.add_command(certify_cli.keys_group)
    app.cli.add_command(certify_cli.audit)
    app.cli.add_command(certify_cli.labels_group)
    return app
