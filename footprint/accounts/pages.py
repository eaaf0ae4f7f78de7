"""Account pages: `/login`, `/logout`, and `/account` (who you are, your API tokens)."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from footprint.accounts import links, tokens, users
from footprint.accounts.models import User
from footprint.accounts.sessions import local_target, log_in, log_out, login_required, protect
from footprint.platform import activity
from footprint.platform.db import db
from footprint.platform.rate_limits import limited, refused, submitted_account

pages = Blueprint("account", __name__)
protect(pages)


@pages.get("/login", endpoint="login")
def login_form() -> str:
    return render_template(
        "account/login.html",
        email="",
        failed=False,
        next=local_target(request.args.get("next"), ""),
    )


@pages.post("/login")
@limited("RATE_LIMIT_SIGN_IN_ACCOUNT", key=submitted_account, counts=refused)
@limited("RATE_LIMIT_SIGN_IN_ADDRESS", counts=refused)
def submit_login() -> ResponseReturnValue:
    """Sign in; a failure says the same thing, equally slowly, whichever part was wrong."""
    email = request.form.get("email", "").strip()
    next_url = local_target(request.form.get("next"), "")
    user = users.authenticate(email, password=request.form.get("password", ""))
    if user is None:
        activity.record("login.failed", "login", email.lower()[:64])
        db.session.commit()
        return render_template("account/login.html", email=email, failed=True, next=next_url), 401
    log_in(user)
    activity.record("login.succeeded", "user", user.id, user.id)
    db.session.commit()  # with the activity event, any rehashed password
    return redirect(next_url or url_for("account.account"), 303)


@pages.post("/logout")
def logout() -> ResponseReturnValue:
    log_out()
    return redirect(url_for("account.login"), 303)


@pages.get("/account")
@login_required
def account(user: User) -> str:
    return render_template(
        "account/account.html",
        user=user,
        tokens=tokens.tokens_of(user),
        new_token=None,
        links=links.links_for(user),
    )


@pages.post("/account/tokens")
@limited("RATE_LIMIT_TOKENS", shared="token-creation")
@login_required
def create_token(user: User) -> str:
    """Rendered rather than redirected: the new token exists only in this response."""
    _, token = tokens.create_token(user)
    return render_template(
        "account/account.html",
        user=user,
        tokens=tokens.tokens_of(user),
        new_token=token,
        links=links.links_for(user),
    )


@pages.post("/account/tokens/<int:token_id>/revoke")
@login_required
def revoke_token(user: User, token_id: int) -> ResponseReturnValue:
    tokens.revoke_token(user, token_id=token_id)
    return redirect(url_for("account.account"), 303)
