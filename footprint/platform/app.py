"""The application factory (as in the Flask tutorial): configuration, extensions, features.

The platform knows no feature. ``create_app`` sets up what every feature stands on —
the database, problem responses (error pages for browsers), security headers, the two
languages of the pages, the OpenAPI document, `/healthz` — and then calls
``init_app(app)`` on each package named by the ``FEATURES`` setting, in order; each
registers its own blueprints, pages and commands (see `footprint.platform.config`).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from flask_migrate import Migrate
from werkzeug.middleware.proxy_fix import ProxyFix

from footprint.platform import (
    checks,
    headers,
    health,
    i18n,
    logs,
    metrics,
    openapi,
    problems,
    rate_limits,
    upgrade,
)
from footprint.platform.config import from_environment, resolve_secret
from footprint.platform.db import db, exclusive_writes
from footprint.platform.json_provider import JSONProvider

HERE = Path(__file__).parent
"""Beside this module, in a checkout and in an installed package alike: ``static``, and
``templates`` and ``migrations`` (links to the repository's top-level folders, which the
wheel carries as this package's data: pyproject.toml)."""
migrate = Migrate()


def instance_path() -> str:
    """``INSTANCE_PATH``, or ``instance`` in the working directory: the database, the
    generated secret and the key store live there by default, never in the source tree
    or an installed package."""
    return str(Path(os.environ.get("INSTANCE_PATH") or "instance").resolve())


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app; ``config`` overrides the environment (tests use it)."""
    app = Flask(
        "scenic_carbon",
        instance_path=instance_path(),
        template_folder=str(HERE / "templates"),
        static_folder=str(HERE / "static"),
    )
    app.config.from_mapping(from_environment(app.instance_path))
    if config:
        app.config.update(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config["SECRET_KEY_SOURCE"] = "configured" if app.config.get("SECRET_KEY") else "generated"
    app.config["SECRET_KEY"] = resolve_secret(app.config, app.instance_path)
    app.json = JSONProvider(app)
    if hops := app.config.get("TRUSTED_PROXIES", 0):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]

    logs.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(HERE / "migrations"), render_as_batch=True)
    upgrade.init_app(app)
    problems.init_app(app)
    headers.init_app(app)
    i18n.init_app(app)
    app.before_request(exclusive_writes)
    openapi.init_app(app)
    health.init_app(app)
    checks.init_app(app)
    for name in app.config["FEATURES"]:
        importlib.import_module(name).init_app(app)
    metrics.init_app(app)  # after the features: their endpoints are known
    rate_limits.init_app(app)  # last: it puts the views the features registered under limits
    return app
