"""People who sign in to the pages: a user with a password, made straight through the
accounts package (the API's tests make token holders instead), and the forms they post
with the session's CSRF token."""

from __future__ import annotations

import re

from flask import Flask

from footprint.accounts.models import Role
from footprint.accounts.users import create_user, set_password
from footprint.platform.db import db

PASSWORD = "correct horse battery"
BROWSER = {"Accept": "text/html"}


def add_person(app: Flask, email: str, *, role: str = "operator", organisation: str) -> None:
    """A user of ``role`` in ``organisation`` who signs in with `PASSWORD`."""
    with app.app_context():
        user, _ = create_user(email, role=Role(role), organisation_name=organisation)
        set_password(user, password=PASSWORD)
        db.session.commit()


def csrf(response) -> str:
    """The CSRF token of the form on a page."""
    return re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)


def post(client, path: str, data: dict[str, str], lang: str = "en"):
    """Post ``data`` to the form at ``path`` as a browser would, with the page's token."""
    token = csrf(client.get(f"{path}?lang={lang}"))
    return client.post(f"{path}?lang={lang}", data={"csrf_token": token, **data}, headers=BROWSER)
