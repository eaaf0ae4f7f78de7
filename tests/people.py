"""People who sign in to the pages: a user with a password, made straight through the
accounts package (the API's tests make token holders instead)."""

from __future__ import annotations

from flask import Flask

from footprint.accounts.models import Role
from footprint.accounts.users import create_user, set_password
from footprint.platform.db import db

PASSWORD = "correct horse battery"


def add_person(app: Flask, email: str, *, role: str = "operator", organisation: str) -> None:
    """A user of ``role`` in ``organisation`` who signs in with `PASSWORD`."""
    with app.app_context():
        user, _ = create_user(email, role=Role(role), organisation_name=organisation)
        set_password(user, password=PASSWORD)
        db.session.commit()
