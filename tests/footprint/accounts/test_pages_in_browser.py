"""Signing in through the form in a real browser, on a phone-sized screen."""

import pytest

from tests.conftest import assert_accessible, assert_fits
from tests.people import PASSWORD, add_person

EMAIL = "walker@example.com"


@pytest.fixture
def walker(app):
    add_person(app, EMAIL, organisation="Tianmen Hotel")


def sign_in(phone, live_server: str) -> None:
    """Open the account page, be sent to sign in, and sign in with the labelled fields."""
    phone.goto(f"{live_server}/account")
    assert phone.url.startswith(f"{live_server}/login")
    phone.get_by_label("邮箱").fill(EMAIL)
    phone.get_by_label("密码").fill(PASSWORD)
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_url(f"{live_server}/account")
    assert "我的账户" in phone.locator("h1").inner_text()
    assert EMAIL in phone.locator("main").inner_text()
    assert_fits(phone)


@pytest.mark.no_script
def test_a_person_signs_in_on_a_phone_without_javascript(live_server, phone, walker):
    sign_in(phone, live_server)


def test_the_sign_in_and_account_pages_are_accessible(live_server, phone, walker):
    phone.goto(f"{live_server}/login")
    assert_accessible(phone)
    sign_in(phone, live_server)
    assert_accessible(phone)
