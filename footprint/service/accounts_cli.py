"""`flask users create EMAIL --role ROLE --org NAME`, printing the new token on the last line."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from footprint.service.accounts import Role, User, create_user
from footprint.service.db import db

users = AppGroup("users", help="Manage user accounts.")


@users.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--org", "organisation", required=True, help="Organisation name (created if new).")
def create(email: str, role: str, organisation: str) -> None:
    """Create a user and print a new API token."""
    if "@" not in email or len(email) > 254:
        raise click.BadParameter("not an e-mail address", param_hint="EMAIL")
    if db.session.scalar(select(User.id).where(User.email == email.lower())) is not None:
        raise click.ClickException(f"user {email} already exists")
    user, token = create_user(email, Role(role), organisation.strip())
    click.echo(f"created {user.role} {user.email} in {organisation}")
    click.echo(token)
