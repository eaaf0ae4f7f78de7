"""Signing in through the form in a real browser, on a phone-sized screen."""

from footprint.accounts.models import Role
from footprint.accounts.users import create_user, set_password
from footprint.platform.db import db

EMAIL = "walker@example.com"
PASSWORD = "correct horse battery"


def test_a_person_signs_in_on_a_phone_and_sees_their_account(app, live_server, page):
    with app.app_context():
        user, _ = create_user(EMAIL, role=Role.OPERATOR, organisation_name="Tianmen Hotel")
        set_password(user, password=PASSWORD)
        db.session.commit()
    page.goto(f"{live_server}/account")
    assert page.url.startswith(f"{live_server}/login")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server}/account")
    assert "我的账户" in page.locator("h1").inner_text()
    assert EMAIL in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
