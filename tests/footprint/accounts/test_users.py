"""Passwords: stored as argon2id hashes only, checked in constant time, upgraded on sign-in."""

import pytest
from argon2 import PasswordHasher

from footprint.accounts import users as accounts
from footprint.accounts.models import Role
from footprint.accounts.sessions import local_target
from footprint.accounts.users import check_password, create_user, set_password
from footprint.platform.problems import Problem

PASSWORD = "correct horse battery"


@pytest.fixture
def user(app_context):
    user, _ = create_user(
        "walker@example.com", role=Role.OPERATOR, organisation_name="Tianmen Hotel"
    )
    return user


def test_only_an_argon2id_hash_of_the_password_is_stored(user):
    set_password(user, password=PASSWORD)
    assert user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash


def test_a_password_shorter_than_ten_characters_is_refused(user):
    with pytest.raises(Problem) as refused:
        set_password(user, password="123456789")
    assert refused.value.status == 422 and "password" in refused.value.errors
    assert user.password_hash is None


def test_the_right_password_matches_and_any_other_does_not(user):
    set_password(user, password=PASSWORD)
    assert check_password(user, password=PASSWORD)
    assert not check_password(user, password=PASSWORD.upper())
    assert not check_password(user, password="")


def test_a_user_without_a_password_never_matches(user):
    assert not check_password(user, password="")
    assert not check_password(user, password=PASSWORD)


def test_a_hash_made_with_weaker_parameters_is_upgraded_when_the_password_matches(user):
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    user.password_hash = weak
    assert not check_password(user, password="wrong password") and user.password_hash == weak
    assert check_password(user, password=PASSWORD)
    assert user.password_hash != weak
    assert not PasswordHasher().check_needs_rehash(user.password_hash)
    assert check_password(user, password=PASSWORD)


def test_an_unknown_email_costs_the_same_argon2_work_as_a_wrong_password(user, monkeypatch):
    set_password(user, password=PASSWORD)
    verified = []
    real_verify = accounts._verify

    def spy(stored: str, password: str) -> bool:
        verified.append(stored)
        return real_verify(stored, password)

    monkeypatch.setattr(accounts, "_verify", spy)
    assert accounts.authenticate("nobody@example.com", password=PASSWORD) is None
    assert accounts.authenticate("walker@example.com", password="wrong password") is None
    assert [h[:10] for h in verified] == ["$argon2id$"] * 2
    assert accounts.authenticate(" Walker@Example.com ", password=PASSWORD) == user


@pytest.mark.parametrize("target", ["/account", "/registry/retirements?q=a%20b"])
def test_a_path_on_this_site_is_a_safe_place_to_go_next(target):
    assert local_target(target, "/account") == target


@pytest.mark.parametrize(
    "target",
    [
        None,
        "",
        "https://evil.example/",
        "//evil.example",
        "/\\evil.example",
        "/\t/evil.example",
        "account",
    ],
)
def test_anywhere_else_is_replaced_by_the_default(target):
    assert local_target(target, "/account") == "/account"
