"""Who is calling the API: bearer-token authentication and role checks (what each role
may read and change is `footprint.accounts.access`'s)."""

from __future__ import annotations

from flask import request

from footprint.accounts.models import Role, User
from footprint.accounts.tokens import user_for_token
from footprint.platform.problems import Problem


def current_user() -> User:
    """The authenticated user, or 401."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    user = user_for_token(token.strip()) if scheme.lower() == "bearer" and token else None
    if user is None:
        raise Problem(401, "A valid API token is required (Authorization: Bearer TOKEN).")
    return user


def require_role(*roles: Role) -> User:
    """The authenticated user if their role is one of ``roles``, else 401/403."""
    user = current_user()
    if user.role not in roles:
        allowed = ", ".join(sorted(roles))
        raise Problem(403, f"This action needs the role {allowed}; you are {user.role}.")
    return user
