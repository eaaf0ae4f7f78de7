"""Applications in the operators' workspace, at ``/workspace/applications``: start one
for an inventory's subject and period, fill in its boundary, management plan and
retirements, see the guide's checklist with the automatic results and the offset report
rule by rule, submit, answer a verifier's requested changes and resubmit, withdraw;
reach the issued certificate or label, and renew for the next period. Its evidence:
the files attached for the verifier (`certify.services.evidence`), downloaded from here,
attached by a form (``multipart/form-data``, fields as ``POST …/{id}/evidence``) and
removed while the application may be changed.

Forms over `certify.services.applications` and the API's schemas: each field is named
by its path in ``PATCH /api/v1/applications/{id}``'s body (`footprint.platform.forms.nested`),
so a schema's or a service's error lands beside the field it names.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l

from certify.core.checklist import SOURCE_KINDS
from certify.core.workflow import Action, allowed_actions
from certify.services import applications, checklists, evidence, registry
from certify.services.applications import EDITABLE
from certify.web.applications import ApplicationInSchema, ApplicationPatchSchema
from certify.web.evidence import EvidenceInSchema, attach_upload, file_of, room_for_a_file
from certify.web.registry.present import present_retirement
from footprint.accounts.models import Role, User
from footprint.accounts.sessions import protect, role_required
from footprint.platform import forms
from footprint.platform.db import db
from footprint.platform.pagination import page_asked, page_count
from footprint.platform.problems import Problem
from footprint.services import inventories, venues
from footprint.web.workspace import METRICS as METRIC_LABELS
from guides.store import load_guide


def _room_for_evidence() -> None:
    """An evidence upload may be larger than the app's request limit, by one file: said
    before the CSRF check reads the form."""
    if request.endpoint == "application_pages.attach_evidence":
        room_for_a_file()


pages = Blueprint("application_pages", __name__, url_prefix="/workspace/applications")
pages.before_request(_room_for_evidence)
protect(pages)

APPLICANTS = (Role.OPERATOR,)
"""Who applies: the role the applications API lets create and change applications."""
PER_PAGE = 20
OPERATOR_ACTIONS = (Action.SUBMIT, Action.RESUBMIT, Action.WITHDRAW)
NUMBERS = frozenset(
    {"inventory_id", "tco2e", "year", "reduction_percent", "estimated_tco2e", "retirement_ids"}
)
TARGET_ROWS, MEASURE_ROWS, EXCLUSION_ROWS = 3, 5, 3
STATES = {
    "draft": _l("Draft"),
    "submitted": _l("Submitted"),
    "in_review": _l("In review"),
    "changes_requested": _l("Changes requested"),
    "resubmitted": _l("Resubmitted"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
    "issued": _l("Certificate issued"),
    "suspended": _l("Suspended"),
    "revoked": _l("Revoked"),
    "expired": _l("Expired"),
    "withdrawn": _l("Withdrawn"),
}
ACTIONS = {
    Action.SUBMIT: _l("Submit for review"),
    Action.RESUBMIT: _l("Resubmit"),
    Action.WITHDRAW: _l("Withdraw"),
}
SOURCES = {
    "fuel": _l("Fuels"),
    "vehicle_fuel": _l("Fuels of own vehicles"),
    "refrigerant": _l("Refrigerants"),
    "purchased_heat": _l("Purchased heat"),
}
OUTCOMES = {
    "pass": _l("Pass"),
    "fail": _l("Fail"),
    "conforms": _l("Conforms"),
    "nonconformity": _l("Nonconformity"),
    "not_applicable": _l("Not applicable"),
}


def _inventories(user: User) -> list[Any]:
    """The organisation's inventories that an application can be for, newest first."""
    found = []
    for venue in venues.listing(user, kind=None, page=1, per_page=100)[0]:
        found += inventories.listing(user, venue_id=venue.id, page=1, per_page=100)[0]
    return sorted(found, key=lambda inventory: inventory.period_end, reverse=True)


@pages.get("")
@role_required(*APPLICANTS)
def listing(user: User) -> str:
    page = page_asked(request.args)
    rows, total = applications.listing(user, state=None, page=page, per_page=PER_PAGE)
    return render_template(
        "workspace/applications.html",
        rows=rows,
        page=page,
        pages=page_count(total, PER_PAGE),
        states=STATES,
        inventories=_inventories(user),
    )


def _form_context(user: User, organisation_id: int) -> dict[str, Any]:
    """What the application form offers: the organisation's retirements, the sources
    and metrics, and its number of rows."""
    retired, _ = registry.list_retirements(
        {"organisation_id": organisation_id}, page=1, per_page=100
    )
    return {
        "retirements": [present_retirement(r) for r in retired],
        "sources": SOURCES,
        "source_kinds": SOURCE_KINDS,
        "metrics": {"total": _l("Total emissions"), **METRIC_LABELS},
        "rows": {"targets": TARGET_ROWS, "measures": MEASURE_ROWS, "exclusions": EXCLUSION_ROWS},
    }


def _entered() -> tuple[dict[str, Any], dict[str, str], set[int]]:
    """The form's body, its fields as typed (rows closed up), and the retirements ticked."""
    body = forms.nested(request.form, numbers=NUMBERS)
    body.pop("csrf_token", None)
    body["retirement_ids"] = [i for i in body.get("retirement_ids", []) if isinstance(i, int)]
    typed = forms.flat({k: v for k, v in body.items() if k != "retirement_ids"})
    return body, typed, set(body["retirement_ids"])


def _new(
    user: User,
    *,
    typed: dict[str, str],
    chosen: set[int],
    errors: dict[str, str],
    status: int,
    renewal_of: Any = None,
) -> ResponseReturnValue:
    """The form to start an application, or (``renewal_of``) to renew a certified one."""
    return (
        render_template(
            "workspace/application_new.html",
            renewal_of=renewal_of,
            inventories=_inventories(user),
            typed=typed,
            chosen=chosen,
            errors=errors,
            sources_chosen=_sources(typed),
            **_form_context(user, user.organisation_id),
        ),
        status,
    )


def _sources(typed: dict[str, str]) -> set[str]:
    return {value for key, value in typed.items() if key.startswith("boundary.sources[")}


@pages.get("/new")
@role_required(*APPLICANTS)
def new(user: User) -> ResponseReturnValue:
    chosen = request.args.get("inventory", "")
    return _new(user, typed={"inventory_id": chosen}, chosen=set(), errors={}, status=200)


@pages.post("")
@role_required(*APPLICANTS)
def start(user: User) -> ResponseReturnValue:
    """A draft for the chosen inventory's subject and period."""
    body, typed, chosen = _entered()
    made, errors = forms.submit(
        ApplicationInSchema(), body, lambda data: applications.create(user, data=data)
    )
    if errors:
        return _new(user, typed=typed, chosen=chosen, errors=errors, status=422)
    return redirect(url_for("application_pages.application", application_id=made.id), 303)


@pages.get("/<int:application_id>/renew")
@role_required(*APPLICANTS)
def renewal(user: User, application_id: int) -> ResponseReturnValue:
    """The next period's application for a certified subject, its boundary and plan
    carried over from the one it renews."""
    found = applications.get(user, application_id=application_id)
    return _new(user, typed=_typed(found), chosen=set(), errors={}, status=200, renewal_of=found)


@pages.post("/<int:application_id>/renew")
@role_required(*APPLICANTS)
def renew(user: User, application_id: int) -> ResponseReturnValue:
    found = applications.get(user, application_id=application_id)
    body, typed, chosen = _entered()
    made, errors = forms.submit(
        ApplicationInSchema(),
        body,
        lambda data: applications.renew(user, application_id=application_id, data=data),
    )
    if errors:
        return _new(user, typed=typed, chosen=chosen, errors=errors, status=422, renewal_of=found)
    return redirect(url_for("application_pages.application", application_id=made.id), 303)


def _typed(application: Any) -> dict[str, str]:
    """The application's fields as its form shows them."""
    return forms.flat(
        {
            "beneficiary": application.beneficiary,
            "boundary": application.boundary,
            "management_plan": application.management_plan,
        }
    )


def _detail(
    user: User,
    application: Any,
    *,
    typed: dict[str, str],
    chosen: set[int],
    errors: dict[str, str],
    status: int = 200,
    evidence_typed: dict[str, str] | None = None,
    evidence_errors: dict[str, str] | None = None,
) -> ResponseReturnValue:
    """The application's page; ``evidence_typed`` and ``evidence_errors`` are the
    evidence form's."""
    return (
        render_template(
            "workspace/application.html",
            application=application,
            evidence=evidence.listing(user, application_id=application.id),
            evidence_editable=application.state in EDITABLE,
            evidence_criteria=[
                criterion
                for criterion in load_guide(application.guide_version).criteria_for(
                    application.subject_kind
                )
                if not criterion.automatic
            ],
            evidence_typed=evidence_typed or {},
            evidence_errors=evidence_errors or {},
            max_mb=evidence.MAX_MB,
            editable=application.state in EDITABLE and application.inventory_id is not None,
            checklist=checklists.current(application),
            actions=[
                a for a in allowed_actions(application.state, user.role) if a in OPERATOR_ACTIONS
            ],
            action_labels=ACTIONS,
            states=STATES,
            outcomes=OUTCOMES,
            typed=typed,
            errors=errors,
            chosen=chosen,
            sources_chosen=_sources(typed),
            document=applications.document_of(application),
            renewable=Action.RENEW in allowed_actions(application.state, user.role),
            offset_report=(
                None
                if application.inventory_id is None
                else checklists.offset_report(application).to_dict()
            ),
            inventories=[],
            **_form_context(user, application.organisation_id),
        ),
        status,
    )


@pages.get("/<int:application_id>")
@role_required(*APPLICANTS)
def application(user: User, application_id: int) -> ResponseReturnValue:
    found = applications.get(user, application_id=application_id)
    return _detail(user, found, typed=_typed(found), chosen=set(found.retirement_ids), errors={})


@pages.post("/<int:application_id>")
@role_required(*APPLICANTS)
def update(user: User, application_id: int) -> ResponseReturnValue:
    """Save the form (a draft, or after a verifier asked for changes)."""
    found = applications.get(user, application_id=application_id)
    body, typed, chosen = _entered()
    schema = ApplicationPatchSchema(partial=tuple(ApplicationInSchema().fields))
    _, errors = forms.submit(
        schema,
        body,
        lambda data: applications.update(user, application_id=application_id, data=data),
    )
    if errors:
        return _detail(user, found, typed=typed, chosen=chosen, errors=errors, status=422)
    return redirect(
        url_for("application_pages.application", application_id=application_id, saved=1), 303
    )


@pages.post("/<int:application_id>/actions")
@role_required(*APPLICANTS)
def act(user: User, application_id: int) -> ResponseReturnValue:
    """Submit, resubmit or withdraw; a refusal (criteria still open, say) is shown."""
    found = applications.get(user, application_id=application_id)
    action = request.form.get("action", "")
    if action not in {a.value for a in OPERATOR_ACTIONS}:
        return _detail(
            user,
            found,
            typed=_typed(found),
            chosen=set(found.retirement_ids),
            errors={"action": str(_l("Choose one of the options."))},
            status=422,
        )
    try:
        applications.act(user, application_id=application_id, action=action, today=date.today())
    except Problem as problem:
        if problem.status >= 500:
            raise
        db.session.rollback()  # the application was locked for the refused action
        return _detail(
            user,
            applications.get(user, application_id=application_id),
            typed=_typed(found),
            chosen=set(found.retirement_ids),
            errors={"action": problem.detail},
            status=problem.status,
        )
    return redirect(url_for("application_pages.application", application_id=application_id), 303)


def _unchanged(user: User, application: Any, **evidence_form: Any) -> ResponseReturnValue:
    """The application's page as it stands, with the evidence form's errors."""
    db.session.rollback()  # a refused change may have locked the application
    return _detail(
        user,
        application,
        typed=_typed(application),
        chosen=set(application.retirement_ids),
        errors={},
        **evidence_form,
    )


@pages.get("/<int:application_id>/evidence/<int:evidence_id>")
@role_required(*APPLICANTS)
def evidence_file(user: User, application_id: int, evidence_id: int) -> ResponseReturnValue:
    """A file of the application's evidence, to download."""
    return file_of(evidence.get(user, application_id=application_id, evidence_id=evidence_id))


@pages.post("/<int:application_id>/evidence")
@role_required(*APPLICANTS)
def attach_evidence(user: User, application_id: int) -> ResponseReturnValue:
    """Attach a file of evidence (the API's schema and service); errors beside the fields."""
    found = applications.get(user, application_id=application_id)
    typed = forms.values(request.form, ("description", "criterion_id"))
    upload = request.files.get("file")
    body: dict[str, Any] = {**typed, **({"file": upload} if upload and upload.filename else {})}
    _, errors = forms.submit(
        EvidenceInSchema(),
        body,
        lambda data: attach_upload(
            user,
            application_id=application_id,
            upload=data["file"],
            description=data["description"],
            criterion_id=data["criterion_id"],
        ),
    )
    if errors:
        return _unchanged(user, found, evidence_typed=typed, evidence_errors=errors, status=422)
    target = url_for("application_pages.application", application_id=application_id, attached=1)
    return redirect(f"{target}#evidence", 303)


@pages.post("/<int:application_id>/evidence/<int:evidence_id>/remove")
@role_required(*APPLICANTS)
def remove_evidence(user: User, application_id: int, evidence_id: int) -> ResponseReturnValue:
    """Remove a file of evidence, while the application may be changed."""
    found = applications.get(user, application_id=application_id)
    evidence.get(user, application_id=application_id, evidence_id=evidence_id)  # or 404
    try:
        evidence.remove(user, application_id=application_id, evidence_id=evidence_id)
    except Problem as problem:
        if problem.status >= 500:
            raise
        return _unchanged(
            user, found, evidence_errors={"form": problem.detail}, status=problem.status
        )
    target = url_for("application_pages.application", application_id=application_id)
    return redirect(f"{target}#evidence", 303)
