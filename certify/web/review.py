"""The verifier's pages at ``/review``: their queue, their signing key, and signing off
in the browser.

The key page lets the browser make an Ed25519 key pair with WebCrypto, keep it
non-extractable in IndexedDB, and post only its public JWK (a hidden field) to register
it. The sign-off page takes the verifier's statement, has the service prepare the
attestation (`certify.services.applications.prepare_sign_off`, as the API does), gives
the script its signing input in data attributes, and approves with the detached JWS the
script posts back. The private key never leaves the browser; without JavaScript the
pages say that signing needs a browser with WebCrypto, or the API.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from certify.core.workflow import Action
from certify.services import applications, verifier_keys
from certify.web.application_pages import STATES
from footprint.accounts import links
from footprint.accounts.models import Role, User
from footprint.accounts.sessions import protect, role_required
from footprint.platform.db import db, utcnow
from footprint.platform.pagination import page_asked, page_count
from footprint.platform.problems import Problem

pages = Blueprint("review", __name__, url_prefix="/review")
protect(pages)

LEVELS = {"limited": _l("Limited assurance"), "reasonable": _l("Reasonable assurance")}
KEY_PAGE_LINK = _l("Your signing key for sign-offs")
QUEUE_LINK = _l("Your review queue")


def register_links() -> None:
    """Link verifiers' account pages to their queue and their key page."""
    links.link_through(
        roles=(Role.VERIFIER,), text=lambda: str(QUEUE_LINK), endpoint="review.queue"
    )
    links.link_through(
        roles=(Role.VERIFIER,), text=lambda: str(KEY_PAGE_LINK), endpoint="review.keys"
    )


def _keys_page(user: User, *, error: str | None = None, status: int = 200) -> ResponseReturnValue:
    active = verifier_keys.active(user=user)
    return (
        render_template(
            "review/keys.html",
            active=active,
            active_fingerprint=None if active is None else verifier_keys.fingerprint_of(active),
            keys=[
                (key, verifier_keys.fingerprint_of(key)) for key in verifier_keys.of_user(user=user)
            ],
            error=error,
        ),
        status,
    )


QUEUE_SIZE = 50


@pages.get("")
@role_required(Role.VERIFIER)
def queue(user: User) -> ResponseReturnValue:
    """The applications assigned to the verifier (the access rules' own choice), those
    waiting longest first, with how many days each has waited since it last changed;
    ``state`` narrows it to one state."""
    state = request.args.get("state") or None
    if state is not None and state not in STATES:
        state = None
    page = page_asked(request.args)
    rows, total = applications.listing(user, state=state, page=page, per_page=QUEUE_SIZE)
    now = utcnow()
    waiting = sorted(rows, key=lambda application: application.updated_at)
    return render_template(
        "review/queue.html",
        rows=[(application, (now - application.updated_at).days) for application in waiting],
        states=STATES,
        state=state,
        page=page,
        pages=page_count(total, QUEUE_SIZE),
        total=total,
    )


@pages.get("/keys")
@role_required(Role.VERIFIER)
def keys(user: User) -> ResponseReturnValue:
    return _keys_page(user)


@pages.post("/keys")
@role_required(Role.VERIFIER)
def register(user: User) -> ResponseReturnValue:
    """Register the public JWK the page's script made; a refusal is shown on the page."""
    try:
        jwk = json.loads(request.form.get("jwk", ""))
        verifier_keys.register(user=user, jwk=jwk, through="browser")
    except ValueError:
        return _keys_page(user, error=str(_l("The key could not be read.")), status=422)
    except Problem as problem:
        if problem.status >= 500:
            raise
        db.session.rollback()
        return _keys_page(user, error=problem.detail, status=problem.status)
    return redirect(url_for("review.keys"), 303)


def _sign_off_page(
    user: User,
    application_id: int,
    *,
    prepared: dict[str, Any] | None = None,
    entered: dict[str, str] | None = None,
    error: str | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    application = applications.get(user, application_id=application_id)
    if application.verifier_id != user.id:
        raise Problem(403, "Only the verifier assigned to this application signs it off.")
    return (
        render_template(
            "review/sign_off.html",
            application=application,
            active=verifier_keys.active(user=user),
            levels=LEVELS,
            prepared=prepared,
            entered=entered or {"assurance_level": "limited", "conclusion": ""},
            error=error,
        ),
        status,
    )


@pages.get("/applications/<int:application_id>/sign-off")
@role_required(Role.VERIFIER)
def sign_off(user: User, application_id: int) -> ResponseReturnValue:
    return _sign_off_page(user, application_id)


@pages.post("/applications/<int:application_id>/sign-off")
@role_required(Role.VERIFIER)
def prepare(user: User, application_id: int) -> ResponseReturnValue:
    """Prepare the attestation for the statement entered: the page then signs it."""
    entered = {
        "assurance_level": request.form.get("assurance_level", ""),
        "conclusion": request.form.get("conclusion", ""),
    }
    try:
        prepared = applications.prepare_sign_off(
            user, application_id=application_id, statement=entered, today=date.today()
        )
    except Problem as problem:
        if problem.status >= 500:
            raise
        db.session.rollback()
        return _sign_off_page(
            user, application_id, entered=entered, error=problem.detail, status=problem.status
        )
    return _sign_off_page(user, application_id, prepared=prepared, entered=entered)


@pages.post("/applications/<int:application_id>/approve")
@role_required(Role.VERIFIER)
def approve(user: User, application_id: int) -> ResponseReturnValue:
    """Approve with the detached JWS the page's script made (the API's approve service)."""
    try:
        applications.act(
            user,
            application_id=application_id,
            action=Action.APPROVE,
            today=date.today(),
            jws=request.form.get("jws") or None,
        )
    except Problem as problem:
        if problem.status >= 500:
            raise
        db.session.rollback()
        return _sign_off_page(user, application_id, error=problem.detail, status=problem.status)
    return redirect(url_for("review.signed", application_id=application_id), 303)


@pages.get("/applications/<int:application_id>/signed")
@role_required(Role.VERIFIER)
def signed(user: User, application_id: int) -> ResponseReturnValue:
    application = applications.get(user, application_id=application_id)
    return render_template("review/signed.html", application=application)
