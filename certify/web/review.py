"""The verifier's pages at ``/review``: their queue, the review screen of an application,
their signing key, and signing off in the browser.

The review screen shows what the verifier examines — the subject, its inventory (each
line's factor and source) or product footprint, the boundary and management plan, the
retirements and the offset report rule by rule, the evidence the operator attached
(each file downloaded from here, `certify.services.evidence`) — and the guide's
checklist, with a form
for their judgement of each judgement criterion (`certify.services.applications.judge`,
as ``PUT /api/v1/applications/{id}/criteria/{criterion}``), the workflow's verifier
actions (start the review, request changes, reject; approving is the sign-off), and the
declaration of a conflict of interest (`certify.services.verifiers.declare_advice`, as
``POST /api/v1/verifiers/declarations``) that keeps them from reviewing the client.

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

from certify.core.checklist import JUDGEMENTS
from certify.core.workflow import Action, allowed_actions
from certify.services import (
    applications,
    checklists,
    data_version,
    evidence,
    offsets,
    verifier_keys,
    verifiers,
)
from certify.services.applications import JUDGEABLE
from certify.web.application_pages import OUTCOMES, STATES
from certify.web.applications import JudgementSchema, TransitionSchema
from certify.web.evidence import file_of
from certify.web.registry.present import present_retirement
from certify.web.verifiers import DeclarationSchema
from footprint.accounts import links
from footprint.accounts.models import Role, User
from footprint.accounts.sessions import protect, role_required
from footprint.platform import forms, page_cache
from footprint.platform.db import db, utcnow
from footprint.platform.pagination import page_asked, page_count
from footprint.platform.problems import Problem
from footprint.services import inventories, products
from footprint.web.workspace import METRICS, STATUSES, result_tables, signed_in

pages = Blueprint("review", __name__, url_prefix="/review")
protect(pages)

LEVELS = {"limited": _l("Limited assurance"), "reasonable": _l("Reasonable assurance")}
REVIEW_ACTIONS = {
    Action.START_REVIEW: _l("Start the review"),
    Action.REQUEST_CHANGES: _l("Request changes"),
    Action.REJECT: _l("Reject"),
}
"""The verifier's workflow actions taken on the review screen (approving is signing off)."""
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


def _assigned(user: User, application_id: int) -> Any:
    """The application, if it is assigned to ``user``: 403 for any other verifier."""
    application = applications.get(user, application_id=application_id)
    if application.verifier_id != user.id:
        raise Problem(403, "Only the verifier assigned to this application reviews it.")
    return application


def _subject(user: User, application: Any) -> dict[str, Any]:
    """What the verifier examines: the inventory's report and the offset report, or the
    product footprint's result; and the retirements claimed."""
    if application.inventory is None:
        footprint = products.get_footprint(user, footprint_id=application.product_footprint_id)
        return {"footprint": footprint, "product": products.compute(footprint)}
    report = inventories.report_of(application.inventory)
    claimed = offsets.retirements_of(application.organisation_id, application.retirement_ids)
    return {
        "inventory": report.inventory,
        "result": report.result,
        "tables": result_tables(report),
        "offset_report": checklists.offset_report(application).to_dict(),
        "retirements": [present_retirement(claimed[i]) for i in application.retirement_ids],
    }


def _review_page(
    user: User,
    application_id: int,
    *,
    errors: dict[str, dict[str, str]] | None = None,
    typed: dict[str, dict[str, str]] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    """The review screen; ``errors`` and ``typed`` are by form: a criterion's id, or
    ``"action"`` and ``"conflict"``. Shown as it stands, it is kept while nothing it
    shows has moved (`footprint.platform.page_cache`,
    `certify.services.data_version.review`)."""
    application = _assigned(user, application_id)
    today = date.today()

    def render() -> str:
        allowed = allowed_actions(application.state, user.role)
        return render_template(
            "review/application.html",
            application=application,
            checklist=checklists.current(application),
            judgeable=application.state in JUDGEABLE,
            judgements={outcome.value: OUTCOMES[outcome.value] for outcome in JUDGEMENTS},
            actions=[action for action in allowed if action in REVIEW_ACTIONS],
            action_labels=REVIEW_ACTIONS,
            may_approve=Action.APPROVE in allowed,
            conflict=verifiers.conflict(user, client=application.organisation, day=today),
            states=STATES,
            outcomes=OUTCOMES,
            statuses=STATUSES,
            metric_labels=METRICS,
            errors=errors or {},
            typed=typed or {},
            evidence=evidence.listing(user, application_id=application.id),
            **_subject(user, application),
        )

    if errors:
        return render(), status
    version = (*signed_in(user), data_version.review(application_id=application.id, today=today))
    return page_cache.page(version, render, private=True)


@pages.get("/applications/<int:application_id>")
@role_required(Role.VERIFIER)
def application(user: User, application_id: int) -> ResponseReturnValue:
    return _review_page(user, application_id)


@pages.get("/applications/<int:application_id>/evidence/<int:evidence_id>")
@role_required(Role.VERIFIER)
def evidence_file(user: User, application_id: int, evidence_id: int) -> ResponseReturnValue:
    """A file of the application's evidence, to download (its assigned verifier)."""
    _assigned(user, application_id)
    return file_of(evidence.get(user, application_id=application_id, evidence_id=evidence_id))


def _refused(
    user: User, application_id: int, form: str, typed: dict[str, str], errors: dict[str, str]
) -> ResponseReturnValue:
    return _review_page(
        user, application_id, errors={form: errors}, typed={form: typed}, status=422
    )


@pages.post("/applications/<int:application_id>/criteria/<string:criterion_id>")
@role_required(Role.VERIFIER)
def judge(user: User, application_id: int, criterion_id: str) -> ResponseReturnValue:
    """Record the verifier's judgement of one criterion, with their findings."""
    _assigned(user, application_id)
    typed = forms.values(request.form, ("outcome", "findings"))
    _, errors = forms.submit(
        JudgementSchema(),
        typed,
        lambda data: applications.judge(
            user,
            application_id=application_id,
            criterion_id=criterion_id,
            outcome=data["outcome"],
            findings=data["findings"],
            today=date.today(),
        ),
    )
    if errors:
        return _refused(user, application_id, criterion_id, typed, errors)
    target = url_for("review.application", application_id=application_id, saved=criterion_id)
    return redirect(f"{target}#criterion-{criterion_id}", 303)


@pages.post("/applications/<int:application_id>/actions")
@role_required(Role.VERIFIER)
def act(user: User, application_id: int) -> ResponseReturnValue:
    """Start the review, request changes or reject (the last two with a reason)."""
    _assigned(user, application_id)
    typed = forms.values(request.form, ("action", "reason"))
    if typed.get("action") not in {action.value for action in REVIEW_ACTIONS}:
        typed.pop("action", None)
    _, errors = forms.submit(
        TransitionSchema(),
        typed,
        lambda data: applications.act(
            user,
            application_id=application_id,
            action=data["action"],
            reason=data["reason"],
            today=date.today(),
        ),
    )
    if errors:
        return _refused(user, application_id, "action", typed, errors)
    return redirect(url_for("review.application", application_id=application_id), 303)


@pages.post("/applications/<int:application_id>/conflict")
@role_required(Role.VERIFIER)
def declare_conflict(user: User, application_id: int) -> ResponseReturnValue:
    """Declare that the verifier's body advised the applicant: from then on it never
    reviews them, and the district assigns another verifier."""
    application = _assigned(user, application_id)
    typed = forms.values(request.form, ("note",))
    _, errors = forms.submit(
        DeclarationSchema(),
        {"client_organisation": application.organisation.name, **typed},
        lambda data: verifiers.declare_advice(
            user, client=data["client_organisation"], note=data["note"]
        ),
    )
    if errors:
        return _refused(user, application_id, "conflict", typed, errors)
    return redirect(url_for("review.application", application_id=application_id), 303)


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
    application = _assigned(user, application_id)
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
