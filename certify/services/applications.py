"""Certification applications: making them, moving them through the workflow, judging them.

Every change runs in one exclusive transaction (the application row is locked with
``FOR UPDATE`` on PostgreSQL; SQLite's write lock is taken when the request starts),
asks `certify.core.workflow.transition` whether it may happen, and appends what it did
to the hash-chained audit log. A refused change writes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select

from certify.core import chain, workflow
from certify.core.checklist import JUDGEMENTS, Checklist, Outcome
from certify.core.workflow import Action, Facts, Requirement, State
from certify.models.applications import Application, CriterionResult
from certify.models.documents import Certificate, Label
from certify.services import (
    audit_chain,
    certificates,
    checklists,
    documents,
    labels,
    offsets,
    verifier_keys,
    verifiers,
)
from certify.services.documents import DocumentKind
from footprint.accounts import access
from footprint.accounts.models import Role, User
from footprint.accounts.users import user_by_email
from footprint.platform.db import begin_exclusive, db, paginate
from footprint.platform.problems import Problem, invalid
from footprint.services import inventories, products
from guides.store import load_guide

EDITABLE = (State.DRAFT, State.CHANGES_REQUESTED)
ASSIGNABLE = (State.SUBMITTED, State.IN_REVIEW, State.CHANGES_REQUESTED, State.RESUBMITTED)
JUDGEABLE = (State.IN_REVIEW, State.RESUBMITTED)
EVALUATED_ON = frozenset({Action.SUBMIT, Action.RESUBMIT, Action.START_REVIEW, Action.APPROVE})


def subject(application: Application) -> str:
    return f"application:{application.id}"


def kind_of(application: Application) -> DocumentKind[Certificate] | DocumentKind[Label]:
    """What attests and issues this application's kind of document."""
    return labels if application.subject_kind == "product" else certificates


def _snapshot(application: Application) -> dict[str, Any]:
    """What the audit log records of an application, before and after a change."""
    return {
        "state": application.state,
        "reason": application.state_reason,
        "verifier_id": application.verifier_id,
        "inventory_id": application.inventory_id,
        "product_footprint_id": application.product_footprint_id,
        "retirement_ids": list(application.retirement_ids),
    }


def _subject(user: User, data: dict[str, Any], application: Application) -> None:
    """Point ``application`` at the inventory or footprint study ``data`` names: one of
    the caller's organisation, and of the same subject as the application already has."""
    if data.get("product_footprint_id") is not None:
        field = "product_footprint_id"
        footprint = products.get_footprint(user, footprint_id=data[field], field=field)
        access.require_write(user, footprint.product.organisation_id, field)
        same = application.inventory is None and (
            application.product_footprint is None
            or application.product_footprint.product_id == footprint.product_id
        )
        application.subject_kind, application.product_footprint = "product", footprint
        application.organisation_id = footprint.product.organisation_id
        name = footprint.product.name_zh
    else:
        field = "inventory_id"
        inventory = inventories.get(user, inventory_id=data[field])
        access.require_write(user, inventory.venue.organisation_id, field)
        same = application.product_footprint is None and application.venue_id in (
            None,
            inventory.venue_id,
        )
        application.subject_kind = (
            "scenic_area" if inventory.venue.kind == "scenic_area" else "venue"
        )
        application.inventory, application.venue = inventory, inventory.venue
        application.organisation_id = inventory.venue.organisation_id
        name = inventory.venue.name
    if not same:
        raise invalid(field, "must be of the same subject as the application")
    application.beneficiary = application.beneficiary or name


def _apply(application: Application, data: dict[str, Any]) -> None:
    if data.get("retirement_ids"):
        offsets.retirements_of(application.organisation_id, data["retirement_ids"])
    if "beneficiary" in data:
        application.beneficiary = data["beneficiary"].strip()
    for name in ("retirement_ids", "boundary", "management_plan"):
        if name in data:
            setattr(application, name, chain.plain(data[name]))


def create(
    user: User, *, data: dict[str, Any], renewal_of: Application | None = None
) -> Application:
    """A draft application for the subject of an inventory (a certificate) or of a
    product footprint study (a label), under the current guide."""
    application = Application(
        guide_version=load_guide().version,
        state=State.DRAFT.value,
        created_by_id=user.id,
        beneficiary="",
        retirement_ids=[],
        renewal_of_id=None if renewal_of is None else renewal_of.id,
        venue_id=None if renewal_of is None else renewal_of.venue_id,
        product_footprint=None if renewal_of is None else renewal_of.product_footprint,
    )
    _subject(user, data, application)
    _apply(application, data)
    db.session.add(application)
    db.session.flush()
    audit_chain.append(
        user,
        action="application.created",
        subject=subject(application),
        before=None,
        after=_snapshot(application),
    )
    db.session.commit()
    return application


def get(user: User, *, application_id: int) -> Application:
    return access.readable_one(
        user,
        "application",
        Application,
        application_id,
        what="application",
        id_column=Application.id,
        organisation_column=Application.organisation_id,
    )


def _locked(user: User, application_id: int) -> Application:
    """The application, row-locked for the rest of the (exclusive) transaction."""
    begin_exclusive()
    get(user, application_id=application_id)
    return db.session.scalars(
        select(Application).where(Application.id == application_id).with_for_update(of=Application)
    ).one()


def listing(
    user: User, *, state: str | None, page: int, per_page: int
) -> tuple[list[Application], int]:
    query = access.readable(
        user,
        "application",
        select(Application).order_by(Application.id.desc()),
        id_column=Application.id,
        organisation_column=Application.organisation_id,
    )
    if state:
        query = query.where(Application.state == state)
    return paginate(query, page, per_page)


def editing(user: User, *, application_id: int) -> Application:
    """The application, row-locked, for ``user`` to change now: 403 unless they may
    change its organisation's records, 409 unless it is a draft or changes were
    requested (`EDITABLE`)."""
    application = _locked(user, application_id)
    access.require_write(user, application.organisation_id)
    if application.state not in EDITABLE:
        raise Problem(
            409,
            f"application {application_id} is {application.state}: it can be "
            "changed only as a draft or when changes were requested",
        )
    return application


def update(user: User, *, application_id: int, data: dict[str, Any]) -> Application:
    application = editing(user, application_id=application_id)
    before = _snapshot(application)
    if data.get("inventory_id") is not None or data.get("product_footprint_id") is not None:
        _subject(user, data, application)
    _apply(application, data)
    audit_chain.append(
        user,
        action="application.updated",
        subject=subject(application),
        before=before,
        after=_snapshot(application),
    )
    db.session.commit()
    return application


def assign(admin: User, *, application_id: int, email: str, today: date) -> Application:
    """Assign the verifier who reviews the application (admin), if they may review it."""
    application = _locked(admin, application_id)
    if application.state not in ASSIGNABLE:
        raise Problem(
            409,
            f"a verifier is assigned to a submitted application under review, "
            f"not one that is {application.state}",
        )
    verifier = user_by_email(email)
    if verifier is None:
        raise invalid("verifier", f"no user {email}")
    reason = verifiers.conflict(verifier, client=application.organisation, day=today)
    if reason is not None:
        raise Problem(
            409, f"{email} may not review this application: {reason}", errors={"verifier": [reason]}
        )
    before = _snapshot(application)
    application.verifier_id = verifier.id
    db.session.flush()
    db.session.refresh(application, ["verifier"])
    audit_chain.append(
        admin,
        action="application.assigned",
        subject=subject(application),
        before=before,
        after=_snapshot(application),
    )
    db.session.commit()
    return application


def _forbidden_verifier(user: User, application: Application, today: date) -> None:
    """A verifier's independence is checked at each act: an accreditation may have been
    withdrawn, or a declaration of advice made, since the assignment."""
    reason = verifiers.conflict(user, client=application.organisation, day=today)
    if reason is not None:
        raise Problem(403, f"You may not review this application: {reason}.")


def _facts(
    user: User,
    application: Application,
    checklist: Checklist | None,
    reason: str | None,
    signed: bool = False,
) -> Facts:
    return Facts(
        reason=reason,
        judgements_complete=checklist is not None and checklist.judgements_complete,
        automatic_pass=checklist is not None and checklist.automatic_pass,
        signed=signed,
        is_assigned_verifier=application.verifier_id == user.id,
        own_organisation=application.organisation_id == user.organisation_id,
    )


def _transition(
    user: User,
    application: Application,
    action: Action,
    facts: Facts,
    checklist: Checklist | None = None,
) -> workflow.Transition:
    """`workflow.transition` with its refusals as problems: 403, or 409 naming the
    criteria still open when the requirements are unmet."""
    try:
        return workflow.transition(application.state, action, user.role, facts)
    except workflow.Forbidden as error:
        raise Problem(403, error.message) from error
    except workflow.IllegalTransition as error:
        missing = getattr(error, "missing", ())
        open_items = checklist.open_items() if checklist and missing else ()
        raise Problem(
            409,
            error.message + (f" (open criteria: {', '.join(open_items)})" if open_items else ""),
            errors=(
                {"reason": [Requirement.REASON.description]}
                if Requirement.REASON in missing
                else None
            ),
        ) from error


def act(
    user: User,
    *,
    application_id: int,
    action: str,
    today: date,
    reason: str | None = None,
    jws: str | None = None,
) -> Application:
    """Take a workflow ``action``: 409 if the state does not allow it (or its requirements
    are unmet), 403 if this user may not take it; otherwise it happens, atomically.

    To approve, the verifier gives ``jws``: their detached JWS over the sign-off prepared
    by `prepare_sign_off` (see `certify.services.documents.signed_off`)."""
    application = _locked(user, application_id)
    act_on = Action(action)
    if act_on is Action.RENEW:
        raise invalid(
            "action",
            "renew by creating the next period's application "
            "(POST /api/v1/applications/{id}/renewals)",
        )
    checklist = (
        checklists.refresh(application, day=today)
        if act_on in EVALUATED_ON
        else checklists.current(application)
    )
    kind = kind_of(application)
    signed = act_on is Action.ISSUE and documents.sign_off_holds(
        application,
        attested_now=lambda: kind.attested_content(application, verifier=application.verifier),
    )
    step = _transition(
        user, application, act_on, _facts(user, application, checklist, reason, signed), checklist
    )
    if user.role == Role.VERIFIER:
        _forbidden_verifier(user, application, today)
    before = _snapshot(application)
    if act_on is Action.APPROVE:
        application.sign_off = documents.signed_off(
            user,
            pending=application.pending_sign_off,
            jws=jws,
            attested=kind.attested_content(application, verifier=user),
            checklist=checklist,
        )
        application.pending_sign_off = None
    if act_on is Action.ISSUE:
        kind.issue(user, application=application, today=today)
    application.state = step.after.value
    application.state_reason = reason.strip() if reason else None
    audit_chain.append(
        user,
        action=f"application.{act_on.value}",
        subject=subject(application),
        before=before,
        after=_snapshot(application),
    )
    db.session.commit()
    return application


def prepare_sign_off(
    user: User, *, application_id: int, statement: dict[str, Any], today: date
) -> dict[str, Any]:
    """Prepare the assigned verifier's sign-off while they may approve: the attestation
    as it stands, with its signing moment fixed, kept on the application until their
    signature comes back (preparing again replaces it), and what they sign with their
    active key (`certify.services.documents.signing_request`). 409 if they have none."""
    application = _locked(user, application_id)
    checklist = checklists.refresh(application, day=today)
    _transition(
        user, application, Action.APPROVE, _facts(user, application, checklist, None), checklist
    )
    _forbidden_verifier(user, application, today)
    key = verifier_keys.active(user=user)
    if key is None:
        raise Problem(
            409,
            "register your signing key first (your key page, or POST /api/v1/verifiers/keys)",
        )
    application.pending_sign_off = documents.attestation(
        attested=kind_of(application).attested_content(application, verifier=user),
        statement=statement,
        checklist=checklist,
    )
    request = documents.signing_request(application.pending_sign_off, key=key)
    db.session.commit()
    return request


def renew(user: User, *, application_id: int, data: dict[str, Any]) -> Application:
    """Start the next period's application for a certified subject (a new linked draft)."""
    application = _locked(user, application_id)
    _transition(user, application, Action.RENEW, _facts(user, application, None, None))
    return create(user, data=data, renewal_of=application)


def judge(
    user: User, *, application_id: int, criterion_id: str, outcome: str, findings: str, today: date
) -> CriterionResult:
    """The assigned verifier records their judgement of one judgement criterion."""
    application = _locked(user, application_id)
    if application.verifier_id != user.id:
        raise Problem(403, "Only the verifier assigned to this application judges it.")
    _forbidden_verifier(user, application, today)
    if application.state not in JUDGEABLE:
        raise Problem(
            409,
            f"criteria are judged during review, not when the application is {application.state}",
        )
    criterion = load_guide(application.guide_version).criterion(criterion_id)
    if criterion is None or application.subject_kind not in criterion.applies_to:
        raise Problem(
            404,
            f"guide version {application.guide_version} has no criterion "
            f"{criterion_id} for a {application.subject_kind}",
        )
    if criterion.automatic:
        raise Problem(
            409,
            f"criterion {criterion_id} is checked automatically by rule "
            f"{criterion.rule}; it takes no judgement",
        )
    if outcome not in JUDGEMENTS:
        raise invalid("outcome", f"one of {', '.join(JUDGEMENTS)}")
    if outcome == Outcome.NONCONFORMITY and not findings.strip():
        raise invalid("findings", "a nonconformity needs findings")
    row = next((r for r in application.results if r.criterion_id == criterion_id), None)
    before = None if row is None else {"outcome": row.outcome, "findings": row.findings}
    if row is None:
        row = CriterionResult(criterion_id=criterion_id, check="judgement")
        application.results.append(row)
    row.outcome, row.findings, row.recorded_by_id = outcome, findings.strip(), user.id
    db.session.flush()
    audit_chain.append(
        user,
        action="criterion.judged",
        subject=f"{subject(application)}/{criterion_id}",
        before=before,
        after={"outcome": row.outcome, "findings": row.findings},
    )
    db.session.commit()
    return row


def document_of(application: Application) -> Certificate | Label | None:
    """The certificate or label issued on the application, if any."""
    model = kind_of(application).MODEL
    return db.session.scalar(select(model).where(model.application_id == application.id))


def awaiting_assignment() -> int:
    """How many submitted applications wait for the district to assign a verifier."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Application)
            .where(Application.state == State.SUBMITTED, Application.verifier_id.is_(None))
        )
        or 0
    )
