"""Configuration read from the environment (see the README's configuration table)."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

FEATURES = ("footprint.accounts", "footprint", "guides", "certify")
"""The feature packages the app is composed of, in order; each has ``init_app(app)``.

This tuple is the composition root: the only place that names every package. The
platform imports them by name, so that no import points from the kernel upwards.
"""

# Request bodies larger than this are refused with 413 before they are parsed.
MAX_CONTENT_LENGTH = 1024 * 1024


def from_environment(instance_path: str) -> dict[str, Any]:
    """Build the Flask config mapping from environment variables with safe defaults."""
    default_db = "sqlite:///" + str(Path(instance_path) / "scenic-carbon.sqlite")
    database_url = os.environ.get("DATABASE_URL", default_db)
    if database_url.startswith("postgres://"):
        database_url = "postgresql://" + database_url.removeprefix("postgres://")
    if database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    public_base_url = os.environ.get("PUBLIC_BASE_URL", "http://localhost:5000").rstrip("/")
    return {
        "FEATURES": FEATURES,
        "SECRET_KEY": os.environ.get("SECRET_KEY", "dev-only-change-me"),
        "PUBLIC_BASE_URL": public_base_url,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": public_base_url.startswith("https://"),
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
        "KEY_STORE": os.environ.get("KEY_STORE") or str(Path(instance_path) / "keys"),
        "KEY_STORE_PASSPHRASE": os.environ.get("KEY_STORE_PASSPHRASE") or None,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(database_url),
        "MAX_CONTENT_LENGTH": MAX_CONTENT_LENGTH,
        "JSON_SORT_KEYS": False,
        "API_TITLE": "Scenic Carbon",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "docs",
        "OPENAPI_SWAGGER_UI_URL": "/api/docs/assets/",
    }


def engine_options(database_url: str) -> dict[str, Any]:
    """SQLite waits for writers instead of failing at once; PostgreSQL checks pooled connections."""
    if database_url.startswith("sqlite"):
        return {"connect_args": {"timeout": 30}}
    return {"pool_pre_ping": True}
