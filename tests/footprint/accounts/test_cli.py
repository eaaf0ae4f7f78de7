"""`flask users create`: the token alone on the last line, stored only as a hash."""

from sqlalchemy import select

from footprint.accounts.models import ApiToken, Organisation, User
from footprint.accounts.tokens import hash_token
from footprint.platform.db import db


def run(app, *args):
    return app.test_cli_runner().invoke(args=["users", "create", *args])


def test_creating_a_user_prints_a_token_alone_on_the_last_line(app, client):
    result = run(app, "op@example.com", "--role", "operator", "--org", "Tianmen Hotel")
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("sc_") and " " not in token
    assert (
        client.get("/api/v1/venues", headers={"Authorization": f"Bearer {token}"}).status_code
        == 200
    )
    with app.app_context():
        stored = db.session.scalars(select(ApiToken.token_hash)).all()
        assert stored == [hash_token(token)]
        assert token not in stored


def test_the_organisation_is_created_once_and_shared(app):
    run(app, "a@example.com", "--role", "operator", "--org", "Tianmen Hotel")
    run(app, "b@example.com", "--role", "verifier", "--org", "Tianmen Hotel")
    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(Organisation)) == 1
        assert {u.role for u in db.session.scalars(select(User))} == {"operator", "verifier"}


def test_a_duplicate_user_or_a_bad_role_is_refused(app):
    run(app, "a@example.com", "--role", "operator", "--org", "X")
    assert run(app, "A@example.com", "--role", "operator", "--org", "X").exit_code != 0
    assert run(app, "c@example.com", "--role", "king", "--org", "X").exit_code != 0
    assert run(app, "not-an-email", "--role", "admin", "--org", "X").exit_code != 0
