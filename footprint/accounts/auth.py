"""Who is calling the API: bearer-token authentication and role checks (what each role
may read and change is `footprint.accounts.access`'s)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import g, request

from footprint.accounts.models import Role, User
from footprint.accounts.tokens import user_for_token
from footprint.platform.api_blueprint import AUTHENTICATE
from footprint.platform.openapi import SECURED, add_doc, problem_responses
from footprint.platform.problems import Problem

USER = "api_user"
"""On ``g``: the Authorization header of this request and the user it named."""
F = TypeVar("F", bound=Callable[..., Any])


def current_user() -> User:
    """The authenticated user (looked up once a request), or 401."""
    header = request.headers.get("Authorization", "")
    remembered = g.get(USER)
    if remembered is not None and remembered[0] == header:
        return remembered[1]
    scheme, _, token = header.partition(" ")
    user = user_for_token(token.strip()) if scheme.lower() == "bearer" and token else None
    if user is None:
        raise Problem(401, "A valid API token is required (Authorization: Bearer TOKEN).")
    setattr(g, USER, (header, user))
    return user


def require_role(*roles: Role) -> User:
    """The authenticated user if their role is one of ``roles``, else 401/403."""
    user = current_user()
    if user.role not in roles:
        allowed = ", ".join(sorted(roles))
        raise Problem(403, f"This action needs the role {allowed}; you are {user.role}.")
    return user


def secured(*roles: Role) -> Callable[[F], F]:
    """A view that needs a token, and one of ``roles`` if any are given, checked before
    anything else, so that an anonymous caller gets 401 and a wrong role 403, never a 422
    about a body it may not send: on an `api_blueprint.Blueprint` by construction (it
    runs the check first wherever this decorator is placed; by convention right under the
    route decorator). Says so in the OpenAPI document (``security: bearer``, 401, 403)."""

    def check() -> None:
        if roles:
            require_role(*roles)
        else:
            current_user()

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            check()
            return view(*args, **kwargs)

        # `api_blueprint.Blueprint` runs the check first, wherever this decorator is.
        setattr(wrapper, AUTHENTICATE, check)

        refusals = (401, 403) if roles else (401,)
        return add_doc(wrapper, {**SECURED, **problem_responses(*refusals)})  # type: ignore[return-value]

    return decorate
