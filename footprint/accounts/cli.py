"""`flask users create EMAIL --role ROLE --org NAME`, printing the new token on the last line;
`flask users set-password EMAIL` for signing in to the web pages; `flask users sign-out
EMAIL` ends every web session of the user and revokes their API tokens (an admin's "sign
out everywhere", as the district's account page does)."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup

from footprint.accounts.models import Role
from footprint.accounts.users import (
    create_user,
    set_password,
    sign_out_everywhere,
    user_by_email,
)
from footprint.platform import activity
from footprint.platform.db import db
from footprint.platform.problems import Problem

users = AppGroup("users", help="Manage user accounts.")


@users.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--org", "organisation", required=True, help="Organisation name (created if new).")
def create(email: str, role: str, organisation: str) -> None:
    """Create a user and print a new API token."""
    if "@" not in email or len(email) > 254:
        raise click.BadParameter("not an e-mail address", param_hint="EMAIL")
    if user_by_email(email) is not None:
        raise click.ClickException(f"user {email} already exists")
    user, token = create_user(email, role=Role(role), organisation_name=organisation.strip())
    click.echo(f"created {user.role} {user.email} in {organisation}")
    click.echo(token)


@users.command("set-password")
@click.argument("email")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input.",
)
def set_user_password(email: str, password_stdin: bool) -> None:
    """Set or replace a user's password (asked twice, not echoed)."""
    user = user_by_email(email)
    if user is None:
        raise click.ClickException(f"no user {email}")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        set_password(user, password=password)
    except Problem as problem:
        raise click.ClickException(problem.detail) from None
    activity.record("user.password_set", "user", user.id)
    db.session.commit()
    click.echo(f"password set for {user.email}")


@users.command("sign-out")
@click.argument("email")
def sign_out(email: str) -> None:
    """End every web session of a user, on every device, and revoke their API tokens."""
    user = user_by_email(email)
    if user is None:
        raise click.ClickException(f"no user {email}")
    revoked = sign_out_everywhere(user, by=None)
    click.echo(f"every session of {user.email} has ended; {revoked} API token(s) revoked")
