"""Accounts: organisations, users and their roles, passwords, API tokens and web sessions.

- ``models``    Organisation, User (operator, verifier or admin), ApiToken
- ``users``     creating users, their passwords (argon2id)
- ``tokens``    API tokens (shown once, stored as hashes)
- ``auth``      who is calling the API (bearer tokens) and the role and ownership checks
- ``sessions``  who is signed in to the pages (cookie sessions, CSRF)
- ``api``, ``pages``, ``cli``  `/api/v1/tokens`, `/login` and `/account`, `flask users`
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the accounts API, pages and commands (imported here: see `footprint`)."""
    from footprint.accounts import api, cli, pages
    from footprint.platform import openapi

    openapi.register(api.blp)
    app.register_blueprint(pages.pages)
    app.cli.add_command(cli.users)
