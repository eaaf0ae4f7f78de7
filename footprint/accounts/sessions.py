"""Who is signed in to the web pages: cookie sessions, `login_required`, CSRF protection.

The session is Flask's signed cookie holding the user's id, the user's session generation
when it began, and a CSRF token. A cookie cannot be taken back, so it is checked against
the user's current generation on every request: signing out, a new password and an
admin's "sign out everywhere" bump the generation, and every earlier cookie stops working
(`end_sessions`). Pages that
accept form posts call :func:`protect` on their blueprint: every write must then carry
the session's token in the hidden form field ``csrf_token`` (templates get it from
``csrf_token()``). The JSON API authenticates with bearer tokens, not cookies, so it
needs none of this.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, TypeVar

from flask import Blueprint, redirect, request, session, url_for
from werkzeug.wrappers import Response

from footprint.accounts.models import Role, User
from footprint.accounts.users import end_sessions
from footprint.platform.db import WRITE_METHODS, db
from footprint.platform.problems import Problem

CSRF_FIELD = "csrf_token"
GENERATION = "generation"
LOGIN_ENDPOINT = "account.login"

P = ParamSpec("P")
R = TypeVar("R")


def session_user() -> User | None:
    """The signed-in user, or None (also when the session was ended since it began)."""
    user_id, generation = session.get("user_id"), session.get(GENERATION)
    if not isinstance(user_id, int) or not isinstance(generation, int):
        return None
    user = db.session.get(User, user_id)
    return user if user is not None and user.session_generation == generation else None


def log_in(user: User) -> None:
    """Start a new session for ``user``; nothing from before (CSRF token included) survives."""
    session.clear()
    session["user_id"] = user.id
    session[GENERATION] = user.session_generation
    session.permanent = True


def log_out() -> None:
    """Sign out: this session and every other one of the same user end."""
    user = session_user()
    if user is not None:
        end_sessions(user)
        db.session.commit()
    session.clear()


def login_required(view: Callable[Concatenate[User, P], R]) -> Callable[P, R | Response]:
    """Call ``view`` with the signed-in user first; send anyone else to the login page."""

    @wraps(view)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R | Response:
        user = session_user()
        if user is None:
            here = request.full_path if request.query_string else request.path
            return redirect(url_for(LOGIN_ENDPOINT, next=here))
        return view(user, *args, **kwargs)

    return wrapper


def role_required(
    *roles: Role,
) -> Callable[[Callable[Concatenate[User, P], R]], Callable[P, R | Response]]:
    """`login_required`, and one of ``roles``: anyone else signed in gets the 403 page."""

    def decorate(view: Callable[Concatenate[User, P], R]) -> Callable[P, R | Response]:
        @wraps(view)
        def checked(user: User, *args: P.args, **kwargs: P.kwargs) -> R:
            if user.role not in roles:
                raise Problem(403, f"This page is for the role {', '.join(sorted(roles))}.")
            return view(user, *args, **kwargs)

        wrapper = login_required(checked)
        wrapper.roles = roles  # type: ignore[attr-defined]  # for tests that walk the pages
        return wrapper

    return decorate


def local_target(target: str | None, default: str) -> str:
    """``target`` if it is a path on this site, else ``default``: no open redirects.

    "//host" and "/\\host" are other sites to a browser, which also drops tabs and
    newlines from URLs, hence the printable check.
    """
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and target.isprintable()
    ):
        return target
    return default


def csrf_token() -> str:
    """This session's CSRF token, created on first use."""
    token = session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = session[CSRF_FIELD] = secrets.token_urlsafe(32)
    return token


def check_csrf() -> None:
    """Refuse (400) a write whose form does not carry this session's CSRF token."""
    if request.method not in WRITE_METHODS:
        return
    expected = session.get(CSRF_FIELD)
    sent = request.form.get(CSRF_FIELD, "")
    if not isinstance(expected, str) or not hmac.compare_digest(expected.encode(), sent.encode()):
        raise Problem(
            400,
            "The form's CSRF token is missing or out of date: "
            "reload the page and try again. 表单已过期，请刷新页面后重试。",
        )


def protect(blueprint: Blueprint) -> None:
    """Check the CSRF token on every write to ``blueprint`` and offer ``csrf_token()``
    to templates."""
    blueprint.before_request(check_csrf)
    blueprint.add_app_template_global(csrf_token)
