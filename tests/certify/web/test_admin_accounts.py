"""Accounts at /admin/accounts: finding one by e-mail and signing a compromised one out
everywhere — its web sessions end and its API tokens are revoked, by the one service the
command ``flask users sign-out`` uses too."""

from __future__ import annotations

import pytest

from footprint.platform.activity import ActivityEvent
from footprint.platform.db import db
from tests.certify.builders import DISTRICT, make_user
from tests.people import BROWSER, add_person, post

PAGE = "/admin/accounts"


@pytest.fixture
def admin(sign_in):
    return sign_in("admin", DISTRICT)


def events(app, action: str) -> list[ActivityEvent]:
    with app.app_context():
        return list(db.session.scalars(db.select(ActivityEvent).filter_by(action=action)))


def test_an_account_is_found_by_its_email(app, admin):
    make_user(app, "operator", "Tianmen Hotel", "front.desk@tianmen.example")
    make_user(app, "operator", "Tianzi Lodge", "manager@tianzi.example")
    found = admin.get(f"{PAGE}?email=TIANMEN&lang=en").text
    assert "front.desk@tianmen.example" in found and "manager@tianzi.example" not in found
    assert "No account matches." in admin.get(f"{PAGE}?email=nobody&lang=en").text


def test_signing_out_everywhere_ends_the_sessions_and_revokes_the_tokens(app, client, admin):
    token = make_user(app, "operator", "Tianmen Hotel", "front.desk@tianmen.example")
    other = app.test_client()
    add_person(app, "manager@tianmen.example", organisation="Tianmen Hotel")
    post(
        other,
        "/login",
        {"email": "manager@tianmen.example", "password": "correct horse battery"},
        form="/login",
    )
    assert other.get("/account", headers=BROWSER).status_code == 200
    for email, who in (("front.desk@tianmen.example", token), ("manager@tianmen.example", None)):
        page = admin.get(f"{PAGE}?email={email}").text
        user_id = int(page.split('id="sign-out-')[1].split('"')[0])
        done = post(admin, f"{PAGE}/{user_id}/sign-out", {}, form=PAGE)
        assert done.status_code == 303
        if who:
            assert client.get("/api/v1/tokens", headers=who).status_code == 401
    assert other.get("/account", headers=BROWSER).status_code == 302
    shown = admin.get(done.location + "&lang=en").text
    assert "manager@tianmen.example is signed out everywhere" in shown
    assert len(events(app, "user.signed_out_everywhere")) == 2
    assert len(events(app, "token.revoked")) == 2


def test_the_command_signs_out_everywhere_too(app, client):
    token = make_user(app, "operator", "Tianmen Hotel", "front.desk@tianmen.example")
    result = app.test_cli_runner().invoke(args=["users", "sign-out", "front.desk@tianmen.example"])
    assert result.exit_code == 0 and "1 API token(s) revoked" in result.output
    assert client.get("/api/v1/tokens", headers=token).status_code == 401
