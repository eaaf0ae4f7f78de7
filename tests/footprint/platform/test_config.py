"""Configuration that cannot be forged: the session secret, the cookie's Secure flag."""

from __future__ import annotations

import pytest

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
