"""People who sign in to the pages: a user with a password, made straight through the
accounts package (the API's tests make token holders instead), and the forms they post
with the session's CSRF token."""

from __future__ import annotations

import re

from flask import Flask

from footprint.accounts.models import Role
from footprint.accounts.users import create_user, set_password, user_by_email
from footprint.platform.db import db

PASSWORD = "correct horse battery"
BROWSER = {"Accept": "text/html"}


def add_person(app: Flask, email: str, *, role: str = "operator", organisation: str) -> None:
    """A user of ``role`` in ``organisation`` who signs in with `PASSWORD`."""
    with app.app_context():
        user, _ = create_user(email, role=Role(role), organisation_name=organisation)
        set_password(user, password=PASSWORD)
        db.session.commit()


def sign_in_as(app: Flask, client, email: str) -> None:
    """Sign ``client`` in as the existing user ``email`` (given `PASSWORD` first)."""
    with app.app_context():
        set_password(user_by_email(email), password=PASSWORD)
        db.session.commit()
    post(client, "/login", {"email": email, "password": PASSWORD}, form="/login")


def csrf(response) -> str:
    """The CSRF token of the form on a page."""
    return re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)


def post(client, path: str, data: dict[str, str], lang: str = "en", *, form: str = ""):
    """Post ``data`` to ``path`` as a browser would, with the token of the page the form
    is on (``form``, default ``path`` itself)."""
    token = csrf(client.get(f"{form or path}?lang={lang}"))
    return client.post(f"{path}?lang={lang}", data={"csrf_token": token, **data}, headers=BROWSER)


def sign_in_browser(phone, live_server: str, path: str, email: str) -> None:
    """In a browser set to Chinese: open ``path``, be sent to sign in, sign in as
    ``email``, and be back on ``path``."""
    phone.goto(f"{live_server}{path}")
    phone.get_by_label("邮箱").fill(email)
    phone.get_by_label("密码").fill(PASSWORD)
    phone.get_by_role("button", name="登录").click()
    phone.wait_for_url(f"{live_server}{path}")
