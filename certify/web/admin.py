"""The district's pages at /admin: the programme's home, verifiers and assignments, issuing
and the documents' lifecycle, inventories to mark verified, and accounts to sign out.

Forms over the services the API calls, with the API's own schemas (each field named by
its path in the API's body): accrediting and withdrawing verification bodies
(`certify.services.verifiers`), assigning a verifier and the admin's workflow actions
(`certify.services.applications`), marking an inventory verified
(`footprint.services.inventories.verify`), and signing a compromised account out
everywhere (`footprint.accounts.users.sign_out_everywhere`). A refusal is shown on the
page with the service's status; a success redirects to the updated page, which says what
was done.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import marshmallow as ma
from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from certify.core.workflow import TABLE, Action, Requirement, State, allowed_actions
from certify.models.applications import Application
from certify.models.documents import Certificate, Label
from certify.models.verifiers import VerifierAccreditation
from certify.services import applications, audit_chain, checklists, verifiers
from certify.web.application_pages import OUTCOMES, STATES
from certify.web.applications import AssignmentSchema, TransitionSchema
from certify.web.verifiers import AccreditationSchema, WithdrawalSchema
from footprint.accounts import links, users
from footprint.accounts.models import Role, User
from footprint.accounts.sessions import protect, role_required
from footprint.accounts.tokens import tokens_of
from footprint.accounts.users import sign_out_everywhere
from footprint.models import Inventory
from footprint.platform import forms
from footprint.platform.db import db, get_or_404
from footprint.platform.pagination import page_asked, page_count
from footprint.platform.problems import Problem
from footprint.services import inventories

pages = Blueprint("admin", __name__, url_prefix="/admin")
protect(pages)

PER_PAGE = 20
MAX_CANDIDATES = 200
HOME_LINK = _l("Programme administration")
ACCREDITATION_FIELDS = ("organisation", "scope", "valid_from", "valid_until")
STANDINGS = {
    "current": _l("Accredited"),
    "future": _l("Not yet valid"),
    "lapsed": _l("Accreditation lapsed"),
    "withdrawn": _l("Accreditation withdrawn"),
}
ACTIONS = {
    Action.ISSUE: _l("Issue the certificate or label"),
    Action.SUSPEND: _l("Suspend"),
    Action.REINSTATE: _l("Reinstate"),
    Action.REVOKE: _l("Revoke"),
    Action.EXPIRE: _l("Expire"),
}
DONE = {
    "assigned": _l("The verifier is assigned."),
    Action.ISSUE: _l("Issued: the document is signed and published."),
    Action.SUSPEND: _l("Suspended."),
    Action.REINSTATE: _l("Reinstated."),
    Action.REVOKE: _l("Revoked."),
    Action.EXPIRE: _l("Expired."),
}
ROLES = {
    Role.OPERATOR: _l("Operator"),
    Role.VERIFIER: _l("Verifier"),
    Role.ADMIN: _l("Administrator"),
}


def register_links() -> None:
    """Link admins' account pages to the programme's home."""
    links.link_through(roles=(Role.ADMIN,), text=lambda: str(HOME_LINK), endpoint="admin.home")


def _posted(
    schema: ma.Schema, names: tuple[str, ...], act: Callable[[dict[str, Any]], Any]
) -> tuple[Any, dict[str, str], dict[str, str], int]:
    """`forms.submit` of the form's fields ``names``: what ``act`` made, the fields as
    typed, their errors, and the status the page answers with when there are errors (422
    for what the schema refuses, the service's own for its refusal, after a rollback)."""
    typed = forms.values(request.form, names)
    refused: list[int] = []

    def attempt(loaded: dict[str, Any]) -> Any:
        try:
            return act(loaded)
        except Problem as problem:
            refused.append(problem.status)
            raise

    made, errors = forms.submit(schema, typed, attempt)
    return made, typed, errors, refused[0] if refused else 422


def _paged(
    fetch: Callable[[int, int], tuple[list[Any], int]], each: Callable[[Any], Any] = lambda row: row
) -> dict[str, Any]:
    """The page of ``fetch(page, per_page)`` the query asks for, each row as ``each``
    shows it, and the pager's numbers."""
    page = page_asked(request.args)
    rows, total = fetch(page, PER_PAGE)
    return {
        "rows": [each(row) for row in rows],
        "total": total,
        "page": page,
        "pages": page_count(total, PER_PAGE),
    }


def _state_asked() -> str | None:
    state = request.args.get("state") or None
    return state if state in STATES else None


def _total(user: User, state: State) -> int:
    return applications.listing(user, state=state, page=1, per_page=1)[1]


@pages.get("")
@role_required(Role.ADMIN)
def home(user: User) -> str:
    """What needs the district's action, and every section of the programme."""
    unassigned = applications.awaiting_assignment()
    return render_template(
        "admin/home.html",
        waiting={
            "unassigned": unassigned,
            "approved": _total(user, State.APPROVED),
            "suspended": _total(user, State.SUSPENDED),
            "inventories": inventories.unverified(page=1, per_page=1)[1],
        },
    )


# --- verification bodies --------------------------------------------------------------


def _standing(accreditation: VerifierAccreditation, today: date) -> str:
    if accreditation.withdrawn_at is not None:
        return "withdrawn"
    if today < accreditation.valid_from:
        return "future"
    return "lapsed" if accreditation.valid_until < today else "current"


def _verifiers_page(
    *, typed: dict[str, str], errors: dict[str, str], status: int = 200
) -> ResponseReturnValue:
    today = date.today()
    done = request.args.get("accredited", type=int) or request.args.get("withdrawn", type=int)
    return (
        render_template(
            "admin/verifiers.html",
            **_paged(
                lambda page, per_page: verifiers.listing(page=page, per_page=per_page),
                lambda accreditation: (accreditation, _standing(accreditation, today)),
            ),
            standings=STANDINGS,
            typed=typed,
            errors=errors,
            done=db.session.get(VerifierAccreditation, done) if done else None,
            withdrawn="withdrawn" in request.args,
        ),
        status,
    )


@pages.get("/verifiers")
@role_required(Role.ADMIN)
def verifier_bodies(user: User) -> ResponseReturnValue:
    """The accreditations, with their scope, validity and standing today; accrediting."""
    return _verifiers_page(typed={}, errors={})


@pages.post("/verifiers")
@role_required(Role.ADMIN)
def accredit(user: User) -> ResponseReturnValue:
    made, typed, errors, status = _posted(
        AccreditationSchema(),
        ACCREDITATION_FIELDS,
        lambda data: verifiers.accredit(user, data=data),
    )
    if errors:
        return _verifiers_page(typed=typed, errors=errors, status=status)
    return redirect(url_for("admin.verifier_bodies", accredited=made.id), 303)


def _withdrawal_page(
    accreditation_id: int, *, typed: dict[str, str], errors: dict[str, str], status: int = 200
) -> ResponseReturnValue:
    accreditation = get_or_404(VerifierAccreditation, accreditation_id, "accreditation")
    return (
        render_template(
            "admin/withdrawal.html", accreditation=accreditation, typed=typed, errors=errors
        ),
        status,
    )


@pages.get("/verifiers/<int:accreditation_id>/withdraw")
@role_required(Role.ADMIN)
def withdrawal(user: User, accreditation_id: int) -> ResponseReturnValue:
    return _withdrawal_page(accreditation_id, typed={}, errors={})


@pages.post("/verifiers/<int:accreditation_id>/withdraw")
@role_required(Role.ADMIN)
def withdraw(user: User, accreditation_id: int) -> ResponseReturnValue:
    """Withdraw an accreditation, with the reason the public list shows."""
    _, typed, errors, status = _posted(
        WithdrawalSchema(),
        ("reason",),
        lambda data: verifiers.withdraw(
            user, accreditation_id=accreditation_id, reason=data["reason"]
        ),
    )
    if errors:
        return _withdrawal_page(accreditation_id, typed=typed, errors=errors, status=status)
    return redirect(url_for("admin.verifier_bodies", withdrawn=accreditation_id), 303)


# --- applications -------------------------------------------------------------------


@pages.get("/applications")
@role_required(Role.ADMIN)
def application_list(user: User) -> str:
    """Every application, newest first; ``state`` narrows it to one state."""
    state = _state_asked()
    return render_template(
        "admin/applications.html",
        **_paged(
            lambda page, per_page: applications.listing(
                user, state=state, page=page, per_page=per_page
            )
        ),
        states=STATES,
        state=state,
    )


def _candidates(application: Application, today: date) -> list[User]:
    """The verifiers whom the service would let review ``application`` today."""
    return verifiers.candidates(client=application.organisation, day=today, limit=MAX_CANDIDATES)


def _document_links(document: Certificate | Label | None) -> dict[str, str] | None:
    """The issued document's PDF (the API's own, public) and its public verification page."""
    if document is None:
        return None
    pdf = (
        url_for("labels.pdf", label_id=document.id)
        if document.kind == "label"
        else url_for("certificates.pdf", certificate_id=document.id)
    )
    return {
        "number": document.number,
        "pdf": pdf,
        "page": url_for("verification_pages.verify_page", token=document.token),
    }


def _application_page(
    user: User,
    application_id: int,
    *,
    form: str = "",
    typed: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    """The application, its checklist and audit trail, and the forms of what the admin
    may do now; ``form`` names the one posted, shown again with ``typed`` and ``errors``."""
    application = applications.get(user, application_id=application_id)
    state = State(application.state)
    assignable = state in applications.ASSIGNABLE
    actions = allowed_actions(state, Role.ADMIN)
    if form not in {*actions, "assign" if assignable else ""}:
        form = ""  # a form the page no longer shows: its errors go above the forms
    return (
        render_template(
            "admin/application.html",
            application=application,
            states=STATES,
            outcomes=OUTCOMES,
            checklist=checklists.current(application),
            trail=list(audit_chain.entries(applications.subject(application))),
            assignable=assignable,
            candidates=_candidates(application, date.today()) if assignable else [],
            actions=[
                (action, Requirement.REASON in TABLE[(state, action)].requires)
                for action in actions
            ],
            action_labels=ACTIONS,
            document=_document_links(applications.document_of(application)),
            done=DONE.get(request.args.get("done", "")),
            form=form,
            typed=typed or {},
            errors=errors or {},
        ),
        status,
    )


@pages.get("/applications/<int:application_id>")
@role_required(Role.ADMIN)
def application(user: User, application_id: int) -> ResponseReturnValue:
    return _application_page(user, application_id)


@pages.post("/applications/<int:application_id>/assignment")
@role_required(Role.ADMIN)
def assign(user: User, application_id: int) -> ResponseReturnValue:
    """Assign the reviewing verifier by e-mail; a conflict of interest is refused (409)."""
    _, typed, errors, status = _posted(
        AssignmentSchema(),
        ("verifier",),
        lambda data: applications.assign(
            user, application_id=application_id, email=data["verifier"], today=date.today()
        ),
    )
    if errors:
        return _application_page(
            user, application_id, form="assign", typed=typed, errors=errors, status=status
        )
    return redirect(
        url_for("admin.application", application_id=application_id, done="assigned"), 303
    )


@pages.post("/applications/<int:application_id>/transitions")
@role_required(Role.ADMIN)
def act(user: User, application_id: int) -> ResponseReturnValue:
    """Issue, suspend, reinstate, revoke or expire, with the reason where the workflow
    needs one; a refusal (409 for a state that does not allow it) is shown."""
    _, typed, errors, status = _posted(
        TransitionSchema(),
        ("action", "reason"),
        lambda data: applications.act(
            user,
            application_id=application_id,
            action=data["action"],
            today=date.today(),
            reason=data["reason"],
        ),
    )
    if errors:
        return _application_page(
            user,
            application_id,
            form=typed.get("action", ""),
            typed=typed,
            errors=errors,
            status=status,
        )
    done = typed["action"]
    return redirect(url_for("admin.application", application_id=application_id, done=done), 303)


# --- inventories --------------------------------------------------------------------


def _inventories_page(*, error: str | None = None, status: int = 200) -> ResponseReturnValue:
    verified = request.args.get("verified", type=int)
    return (
        render_template(
            "admin/inventories.html",
            **_paged(
                lambda page, per_page: inventories.unverified(page=page, per_page=per_page),
                lambda inventory: (inventory, inventories.compute(inventory)),
            ),
            verified=db.session.get(Inventory, verified) if verified else None,
            error=error,
        ),
        status,
    )


@pages.get("/inventories")
@role_required(Role.ADMIN)
def inventory_list(user: User) -> ResponseReturnValue:
    """The inventories not yet verified, with venue, organisation, period and total."""
    return _inventories_page()


@pages.post("/inventories/<int:inventory_id>/verify")
@role_required(Role.ADMIN)
def verify_inventory(user: User, inventory_id: int) -> ResponseReturnValue:
    """Mark verified, as ``POST /api/v1/inventories/{id}/verify`` does."""
    _, _, errors, status = _posted(
        ma.Schema(), (), lambda _: inventories.verify(user, inventory_id=inventory_id)
    )
    if errors:
        return _inventories_page(error=errors["form"], status=status)
    return redirect(url_for("admin.inventory_list", verified=inventory_id), 303)


# --- accounts -----------------------------------------------------------------------


@pages.get("/accounts")
@role_required(Role.ADMIN)
def accounts(user: User) -> str:
    """Every account, by e-mail; ``email`` narrows the list to addresses containing it."""
    email = request.args.get("email", "").strip().lower()[:254]
    signed_out = request.args.get("signed_out", type=int)
    return render_template(
        "admin/accounts.html",
        **_paged(
            lambda page, per_page: users.listing(email=email, page=page, per_page=per_page),
            lambda account: (account, sum(t.revoked_at is None for t in tokens_of(account))),
        ),
        roles=ROLES,
        email=email,
        signed_out=db.session.get(User, signed_out) if signed_out else None,
        revoked=request.args.get("revoked", 0, type=int),
    )


@pages.post("/accounts/<int:user_id>/sign-out")
@role_required(Role.ADMIN)
def sign_out(user: User, user_id: int) -> ResponseReturnValue:
    """Sign a compromised account out everywhere: its web sessions end, its tokens are revoked."""
    account = get_or_404(User, user_id, "user")
    revoked = sign_out_everywhere(account, by=user)
    return redirect(
        url_for("admin.accounts", email=account.email, signed_out=account.id, revoked=revoked),
        303,
    )
