"""Configuration that cannot be forged: the session secret, the cookie's Secure flag."""

from __future__ import annotations

import pytest
from flask import request

from footprint.platform.app import create_app
from footprint.platform.config import (
    MIN_SECRET_LENGTH,
    UnsafeConfiguration,
    from_environment,
    resolve_secret,
)

OLD_DEFAULT = "dev-only-change-me"


def test_without_a_secret_key_the_environment_names_no_known_constant(monkeypatch, tmp_path):
    """Hole: with SECRET_KEY unset the service signed cookies with a published constant."""
    monkeypatch.delenv("SECRET_KEY", raising=False)
    config = from_environment(str(tmp_path))
    assert config["SECRET_KEY"] is None
    assert resolve_secret(config, str(tmp_path)) != OLD_DEFAULT


def test_without_a_secret_key_one_is_generated_once_into_the_instance_folder(tmp_path):
    first = resolve_secret({}, str(tmp_path))
    assert len(first) >= MIN_SECRET_LENGTH
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert resolve_secret({}, str(tmp_path)) == first  # and kept across restarts
    other = tmp_path / "other"
    other.mkdir()
    assert resolve_secret({}, str(other)) != first  # random, not derived


def test_a_generated_secret_others_may_read_is_refused(tmp_path):
    resolve_secret({}, str(tmp_path))
    (tmp_path / "secret_key").chmod(0o644)
    with pytest.raises(UnsafeConfiguration, match="chmod 600"):
        resolve_secret({}, str(tmp_path))


def test_a_weak_secret_key_is_refused_outside_debug_and_tests(tmp_path):
    with pytest.raises(UnsafeConfiguration, match="at least"):
        resolve_secret({"SECRET_KEY": OLD_DEFAULT}, str(tmp_path))
    assert resolve_secret({"SECRET_KEY": "short", "TESTING": True}, str(tmp_path)) == "short"
    strong = "x" * MIN_SECRET_LENGTH
    assert resolve_secret({"SECRET_KEY": strong}, str(tmp_path)) == strong


@pytest.mark.parametrize(
    ("url", "secure"),
    [("https://carbon.wulingyuan.example", True), ("http://localhost:5000", False)],
)
def test_the_session_cookie_is_secure_whenever_the_public_url_is_https(
    monkeypatch, tmp_path, url, secure
):
    monkeypatch.setenv("PUBLIC_BASE_URL", url)
    assert from_environment(str(tmp_path))["SESSION_COOKIE_SECURE"] is secure


def test_without_trusted_proxies_a_forwarded_address_is_not_believed(tmp_path):
    app = proxied_app(tmp_path, proxies=0)
    seen = app.test_client().get("/test/address", headers={"X-Forwarded-For": "203.0.113.9"})
    assert seen.text == "127.0.0.1"


def test_behind_trusted_proxies_the_client_address_and_scheme_are_the_forwarded_ones(tmp_path):
    app = proxied_app(tmp_path, proxies=1)
    forwarded = {"X-Forwarded-For": "198.51.100.7, 203.0.113.9", "X-Forwarded-Proto": "https"}
    seen = app.test_client().get("/test/address", headers=forwarded)
    assert seen.text == "203.0.113.9 https"  # the last hop's: only one proxy is trusted


@pytest.mark.parametrize("value", ["-1", "two"])
def test_a_trusted_proxies_setting_that_is_not_a_count_is_refused(monkeypatch, tmp_path, value):
    monkeypatch.setenv("TRUSTED_PROXIES", value)
    with pytest.raises(UnsafeConfiguration, match="TRUSTED_PROXIES"):
        from_environment(str(tmp_path))


def proxied_app(tmp_path, *, proxies: int):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/proxied.sqlite",
            "KEY_STORE": str(tmp_path / "keys"),
            "TRUSTED_PROXIES": proxies,
        }
    )

    @app.get("/test/address")
    def address() -> str:
        return request.remote_addr + (f" {request.scheme}" if proxies else "")

    return app
