"""Fixtures of the footprint pages' tests: a person of any role signed in on the client."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.people import PASSWORD, add_person, csrf


@pytest.fixture
def sign_in(app, client) -> Callable[..., object]:
    """``sign_in(role, organisation)``: a new user of that role, signed in on ``client``."""
    counter = iter(range(1000))

    def make(role: str = "operator", organisation: str = "Tianmen Hotel"):
        email = f"person{next(counter)}@example.com"
        add_person(app, email, role=role, organisation=organisation)
        token = csrf(client.get("/login"))
        signed = client.post(
            "/login", data={"csrf_token": token, "email": email, "password": PASSWORD}
        )
        assert signed.status_code == 303
        return client

    return make
