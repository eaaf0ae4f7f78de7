"""Signing in to the web pages: sessions, CSRF tokens, the account page and its API tokens."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from footprint.accounts.models import Role, User
from footprint.accounts.users import create_user, set_password
from footprint.platform.activity import ActivityEvent
from footprint.platform.db import db
from tests.people import PASSWORD, add_person

EMAIL = "walker@example.com"
GENERIC = "邮箱或密码错误"


@pytest.fixture
def walker(app):
    add_person(app, EMAIL, organisation="Tianmen Hotel")


def form_token(response) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', response.text).group(1)


def log_in(client, email=EMAIL, password=PASSWORD, **extra):
    token = form_token(client.get("/login"))
    return client.post(
        "/login", data={"csrf_token": token, "email": email, "password": password, **extra}
    )


def new_token_on(response) -> str:
    return re.search(r'<code id="new-token">([^<]+)</code>', response.text).group(1)


def audited(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(select(ActivityEvent.action).order_by(ActivityEvent.id)))


def test_signing_in_leads_to_the_account_page_which_shows_who_you_are(client, walker):
    response = log_in(client)
    assert response.status_code == 303 and response.location == "/account"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Expires=" in cookie
    page = client.get("/account")
    assert page.status_code == 200
    assert EMAIL in page.text and "运营方" in page.text and "Tianmen Hotel" in page.text
    english = client.get("/account?lang=en")
    assert "Your account" in english.text and "Operator" in english.text


def test_the_account_page_sends_strangers_to_sign_in_and_back(client, walker):
    response = client.get("/account")
    assert response.status_code == 302
    location = urlsplit(response.location)
    assert location.path == "/login" and parse_qs(location.query) == {"next": ["/account"]}
    form = client.get(response.location)
    assert 'name="next" value="/account"' in form.text
    assert 'autocomplete="username"' in form.text and 'autocomplete="current-password"' in form.text


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client, walker):
    response = log_in(client, password="wrong password")
    assert response.status_code == 401 and GENERIC in response.text
    client.set_cookie("lang", "en")
    assert "Wrong email or password" in log_in(client, password="wrong password").text
    with client.session_transaction() as session:
        assert "user_id" not in session
    assert client.get("/account").status_code == 302


def test_an_unknown_email_gets_exactly_the_same_answer_as_a_wrong_password(client, walker):
    wrong_password = log_in(client, password="wrong password")
    unknown_email = log_in(client, email="nobody@example.com")
    assert unknown_email.status_code == wrong_password.status_code == 401
    assert unknown_email.text.replace("nobody@example.com", "") == wrong_password.text.replace(
        EMAIL, ""
    )


def test_failed_and_successful_sign_ins_are_audited(app, client, walker):
    log_in(client, password="wrong password")
    log_in(client)
    assert audited(app)[-2:] == ["login.failed", "login.succeeded"]


@pytest.mark.parametrize("token", [None, "", "forged", "令牌"])
def test_a_form_post_without_this_sessions_csrf_token_is_refused(client, walker, token):
    client.get("/login")
    data = {"email": EMAIL, "password": PASSWORD}
    if token is not None:
        data["csrf_token"] = token
    response = client.post("/login", data=data)
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"
    assert client.get("/account").status_code == 302


def test_signing_out_needs_the_csrf_token_too(client, walker):
    log_in(client)
    assert client.post("/logout").status_code == 400
    assert client.get("/account").status_code == 200


def test_signing_in_starts_a_fresh_session(client, walker):
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
        before = session["csrf_token"]
    log_in(client)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session.permanent
    assert form_token(client.get("/account")) != before


@pytest.mark.parametrize("target", ["//evil.example", "https://evil.example/", "/\\evil.example"])
def test_next_is_not_followed_off_this_site(client, walker, target):
    assert log_in(client, next=target).location == "/account"


def test_next_is_followed_to_a_page_on_this_site(client, walker):
    assert log_in(client, next="/registry/retirements").location == "/registry/retirements"


def test_signing_out_ends_the_session(client, walker):
    log_in(client)
    response = client.post("/logout", data={"csrf_token": form_token(client.get("/account"))})
    assert response.status_code == 303 and response.location == "/login"
    with client.session_transaction() as session:
        assert dict(session) == {}
    assert client.get("/account").status_code == 302


def test_a_new_token_is_shown_once_and_then_works_as_a_bearer_token(client, walker):
    log_in(client)
    created = client.post(
        "/account/tokens", data={"csrf_token": form_token(client.get("/account"))}
    )
    assert created.status_code == 200
    token = new_token_on(created)
    listed = client.get("/api/v1/tokens", headers={"Authorization": f"Bearer {token}"})
    assert listed.status_code == 200 and len(listed.json) == 2
    assert token not in client.get("/account").text


def test_a_token_is_revoked_with_its_form(client, walker):
    log_in(client)
    page = client.post("/account/tokens", data={"csrf_token": form_token(client.get("/account"))})
    bearer = {"Authorization": f"Bearer {new_token_on(page)}"}
    token_id = client.get("/api/v1/tokens", headers=bearer).json[0]["id"]
    revoked = client.post(
        f"/account/tokens/{token_id}/revoke", data={"csrf_token": form_token(page)}
    )
    assert revoked.status_code == 303 and revoked.location == "/account"
    assert client.get("/api/v1/tokens", headers=bearer).status_code == 401
    assert "已撤销" in client.get("/account").text


def test_someone_elses_token_cannot_be_revoked_from_the_account_page(client, walker, auth):
    theirs = auth("operator", "Other Hotel")
    their_id = client.get("/api/v1/tokens", headers=theirs).json[0]["id"]
    log_in(client)
    response = client.post(
        f"/account/tokens/{their_id}/revoke",
        data={"csrf_token": form_token(client.get("/account"))},
    )
    assert response.status_code == 404
    assert client.get("/api/v1/tokens", headers=theirs).status_code == 200


def test_a_signed_in_browser_does_not_authenticate_the_json_api(client, walker):
    log_in(client)
    assert client.get("/api/v1/tokens").status_code == 401


def set_password_cli(app, email, stdin):
    return app.test_cli_runner().invoke(
        args=["users", "set-password", email, "--password-stdin"], input=stdin
    )


def test_the_cli_sets_a_password_read_from_stdin_and_audits_it(app, client):
    with app.app_context():
        create_user(EMAIL, role=Role.VERIFIER, organisation_name="Verifiers Ltd")
    result = set_password_cli(app, EMAIL, PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    assert audited(app)[-1] == "user.password_set"
    assert log_in(client).location == "/account"


def test_the_cli_asks_twice_without_stdin(app, client):
    with app.app_context():
        create_user(EMAIL, role=Role.VERIFIER, organisation_name="Verifiers Ltd")
    runner = app.test_cli_runner()
    mismatch = runner.invoke(
        args=["users", "set-password", EMAIL], input=f"{PASSWORD}\nsomething else\n"
    )
    assert mismatch.exit_code != 0
    result = runner.invoke(args=["users", "set-password", EMAIL], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert log_in(client).location == "/account"


def test_the_cli_refuses_an_unknown_email_or_a_short_password(app, walker):
    assert set_password_cli(app, "nobody@example.com", PASSWORD + "\n").exit_code != 0
    short = set_password_cli(app, EMAIL, "too short\n")
    assert short.exit_code != 0 and "at least 10" in short.output


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def with_cookie(app, cookie: str):
    """Another browser, presenting a copy of an earlier session cookie."""
    other = app.test_client()
    other.set_cookie("session", cookie)
    return other


def test_signing_out_ends_the_session_even_for_a_kept_copy_of_its_cookie(app, client, walker):
    """Hole: the session was only a signed cookie, so a copy kept from before signing out
    still opened the account."""
    log_in(client)
    copied = session_cookie(client)
    page = client.get("/account")
    client.post("/logout", data={"csrf_token": form_token(page)})
    assert with_cookie(app, copied).get("/account").status_code == 302


def test_signing_out_ends_the_users_sessions_on_every_device(app, walker):
    phone, laptop = app.test_client(), app.test_client()
    log_in(phone)
    log_in(laptop)
    phone.post("/logout", data={"csrf_token": form_token(phone.get("/account"))})
    assert laptop.get("/account").status_code == 302


def test_a_new_password_ends_every_earlier_session(app, client, walker):
    log_in(client)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == EMAIL))
        set_password(user, password="another long password")
        db.session.commit()
    assert client.get("/account").status_code == 302
    assert log_in(client, password="another long password").status_code == 303


def test_an_admin_signs_a_user_out_everywhere(app, client, walker):
    log_in(client)
    result = app.test_cli_runner().invoke(args=["users", "sign-out", EMAIL])
    assert result.exit_code == 0, result.output
    assert client.get("/account").status_code == 302
    assert "user.signed_out_everywhere" in audited(app)
