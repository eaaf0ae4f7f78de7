"""Configuration read from the environment (see the README's configuration table)."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from footprint.platform import rate_limits

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
        "SECRET_KEY": os.environ.get("SECRET_KEY") or None,
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
        "TRUSTED_PROXIES": trusted_proxies(os.environ.get("TRUSTED_PROXIES", "0")),
        "METRICS_ENABLED": os.environ.get("METRICS_ENABLED", "").lower() in ("1", "true", "yes"),
        "LOG_FORMAT": os.environ.get("LOG_FORMAT", "json"),
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
        **rate_limits.settings(os.environ, os.environ.get("REDIS_URL") or None),
    }


def trusted_proxies(value: str) -> int:
    """How many reverse proxies in front of the app add ``X-Forwarded-*`` headers
    (werkzeug's ``ProxyFix`` then believes that many hops, for the client's address, the
    scheme and the host); 0 believes none, since anyone can send those headers."""
    if not value.strip().isdigit():
        raise UnsafeConfiguration(
            f"TRUSTED_PROXIES must be a count of proxies (0, 1, …), not {value!r}"
        )
    return int(value)


MIN_SECRET_LENGTH = 32
SECRET_FILE = "secret_key"
"""In the instance folder: the secret generated on the first start without ``SECRET_KEY``."""


class UnsafeConfiguration(RuntimeError):
    """The service refuses to start: its configuration would make it forgeable."""


def resolve_secret(config: dict[str, Any], instance_path: str) -> str:
    """The secret that signs session cookies: ``SECRET_KEY`` if set (strong, unless the
    app is in debug or test mode), else one generated once into the instance folder
    (mode 0600) and read from there on every later start. Never a known constant."""
    configured = config.get("SECRET_KEY")
    relaxed = config.get("TESTING") or config.get("DEBUG")
    if configured:
        if len(configured) < MIN_SECRET_LENGTH and not relaxed:
            raise UnsafeConfiguration(
                f"SECRET_KEY is {len(configured)} characters long; use at least "
                f"{MIN_SECRET_LENGTH} random ones (python -c 'import secrets; "
                f"print(secrets.token_urlsafe(48))'), or unset it to have one generated"
            )
        return configured
    path = Path(instance_path) / SECRET_FILE
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        mode = path.stat().st_mode & 0o777
        if mode & 0o077:
            raise UnsafeConfiguration(
                f"{path} may be read by others (mode {mode:o}): chmod 600 it"
            ) from None
        return path.read_text(encoding="ascii").strip()
    secret = secrets.token_urlsafe(48)
    with os.fdopen(descriptor, "w", encoding="ascii") as out:
        out.write(secret + "\n")
    return secret


CONNECT_TIMEOUT_SECONDS = 5
"""How long a new PostgreSQL connection may take: well inside gunicorn's 30 s worker
timeout, so that a database host that drops packets is a 503, not a killed worker."""


def engine_options(database_url: str) -> dict[str, Any]:
    """SQLite waits for writers instead of failing at once; PostgreSQL checks pooled
    connections and gives up connecting after `CONNECT_TIMEOUT_SECONDS`."""
    if database_url.startswith("sqlite"):
        return {"connect_args": {"timeout": 30}}
    return {"pool_pre_ping": True, "connect_args": {"connect_timeout": CONNECT_TIMEOUT_SECONDS}}
