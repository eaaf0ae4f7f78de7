"""The district's registry and audit pages under /admin: forest-sink projects and issuance,
registry imports, the ledger and the audit chain with their checks.

Forms over the registry's services with the API's own schemas
(`certify.web.registry.schemas`): a project registered, credits issued or an export
imported here is the very one ``POST /api/v1/registry/projects``, ``/issuances`` or
``/imports`` makes, its fields named as the API's body and query name them. The checks
shown are those of `flask registry check` and `flask audit verify`.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import marshmallow as ma
from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from certify.core.chain import Fault
from certify.services import audit_chain, imports, ledger, registry
from certify.services.imports import ImportReport
from certify.web.registry.present import present_issuance, present_project
from certify.web.registry.schemas import ImportArgs, IssuanceInSchema, ProjectSchema
from footprint.accounts.models import Role, User
from footprint.accounts.sessions import protect, role_required
from footprint.platform import forms
from footprint.platform.pagination import page_asked, page_count
from footprint.platform.problems import Problem

pages = Blueprint("admin_registry", __name__, url_prefix="/admin")
protect(pages)

PER_PAGE = 20
PROJECT_TYPES = {
    "afforestation": _l("Afforestation"),
    "reforestation": _l("Reforestation"),
    "forest_management": _l("Improved forest management"),
    "bamboo": _l("Bamboo forest"),
    "forest_sink": _l("Forest carbon sink"),
    "renewable_energy": _l("Renewable energy"),
    "methane": _l("Methane recovery"),
    "other": _l("Other"),
}
"""`certify.web.registry.schemas.PROJECT_TYPES`, in the page's language."""
DOCUMENT_ROWS = 2
PROJECT_NUMBERS = frozenset({"area_ha"})
ISSUE_FIELDS = ("vintage", "quantity", "holder_org")
ISSUE_NUMBERS = frozenset({"vintage", "quantity"})
IMPORT_FIELDS = ("format", "holder", "dry_run")
IMPORT_RESULTS = ("created", "credits", "retired", "unchanged")
FORMATS = {
    "verra": _l("Verra VCU export"),
    "scenic": _l("This registry's own export"),
}
MAX_UPLOAD = 400_000
"""Bytes of CSV taken from the browser: the checked text comes back in a form field,
which the request's form-size limit (500 kB) bounds. Larger files: `flask registry import`."""
EVENT_KINDS = {
    "issue": _l("Issuance"),
    "buffer": _l("Withheld to the buffer pool"),
    "retire": _l("Retirement"),
    "transfer": _l("Transfer"),
    "cancel": _l("Cancellation"),
}
FAULTS = {
    Fault.HASH_MISMATCH: _l("its fields or its hash were changed"),
    Fault.BROKEN_LINK: _l("it does not link to the entry before it"),
    Fault.SEQUENCE_GAP: _l("an entry is missing, moved or slipped in here"),
}
SAID = {
    "required for Verra exports": _l("Required for Verra exports."),
    "outside the project's crediting period": _l("Outside the project's crediting period."),
    "is empty": _l("is empty"),
    "missing column(s)": _l("missing column(s)"),
}
"""The services' own messages that the pages say in their language (others as written)."""


def _submitted(
    schema: ma.Schema, body: dict[str, Any], act: Callable[[dict[str, Any]], Any], *, fields: Any
) -> tuple[Any, dict[str, str], int]:
    """`forms.submit`, and the status to show its errors with: a service's refusal keeps
    its own (409, 403…), after its transaction is rolled back. Errors are in the page's
    language, those of no field on the form (in ``fields``) under ``"form"``."""
    status = 422

    def acting(data: dict[str, Any]) -> Any:
        nonlocal status
        try:
            return act(data)
        except Problem as problem:
            status = problem.status
            raise

    made, errors = forms.submit(schema, body, acting)
    said: dict[str, str] = {}
    for path, text in errors.items():
        said.setdefault(path if path in fields else "form", str(SAID.get(text, text)))
    return made, said, status


# --- projects and issuances ------------------------------------------------------------


def _project_fields() -> tuple[str, ...]:
    documents = (
        f"documents[{row}].{part}" for row in range(DOCUMENT_ROWS) for part in ("title", "url")
    )
    return (*ProjectSchema().load_fields, *documents)


def _projects_page(
    *, typed: dict[str, str], errors: dict[str, str], status: int = 200
) -> ResponseReturnValue:
    page = page_asked(request.args)
    rows, total = registry.list_projects({}, page=page, per_page=PER_PAGE)
    return (
        render_template(
            "admin_registry/projects.html",
            projects=rows,
            issued=registry.issued_by_project(project_ids=[p.id for p in rows]),
            total=total,
            page=page,
            pages=page_count(total, PER_PAGE),
            standards={s.code: f"{s.code} · {s.name}" for s in registry.known_standards()},
            types=PROJECT_TYPES,
            document_rows=DOCUMENT_ROWS,
            typed=typed,
            errors=errors,
        ),
        status,
    )


@pages.get("/projects")
@role_required(Role.ADMIN)
def projects(user: User) -> ResponseReturnValue:
    """The registry's projects, a page at a time, and the form to register one."""
    return _projects_page(typed={}, errors={})


@pages.post("/projects")
@role_required(Role.ADMIN)
def register_project(user: User) -> ResponseReturnValue:
    body = forms.nested(request.form, numbers=PROJECT_NUMBERS)
    body.pop("csrf_token", None)
    made, errors, status = _submitted(
        ProjectSchema(),
        body,
        lambda data: registry.create_project(user, data=data),
        fields=_project_fields(),
    )
    if errors:
        return _projects_page(typed=forms.flat(body), errors=errors, status=status)
    return redirect(url_for("admin_registry.project", project_id=made.id), 303)


def _just_issued(project_id: int) -> dict[str, Any] | None:
    """The issuance the redirect after issuing names (``?issued=``), if it is this project's."""
    asked = request.args.get("issued", type=int)
    if asked is None:
        return None
    try:
        issuance = registry.get_issuance(asked)
    except Problem:
        return None
    return present_issuance(issuance) if issuance.project_id == project_id else None


def _project_page(
    project_id: int, *, typed: dict[str, str], errors: dict[str, str], status: int = 200
) -> ResponseReturnValue:
    project = registry.get_project(project_id)
    page = page_asked(request.args)
    rows, total = registry.list_issuances({"project_id": project_id}, page=page, per_page=PER_PAGE)
    return (
        render_template(
            "admin_registry/project.html",
            project=present_project(project),
            types=PROJECT_TYPES,
            issuances=[present_issuance(i) for i in rows],
            total=total,
            page=page,
            per_page=PER_PAGE,
            just_issued=_just_issued(project_id),
            typed=typed,
            errors=errors,
        ),
        status,
    )


@pages.get("/projects/<int:project_id>")
@role_required(Role.ADMIN)
def project(user: User, project_id: int) -> ResponseReturnValue:
    """A project, its issuances (the holder's serials and the buffer's), and the form to
    issue a vintage's credits."""
    return _project_page(project_id, typed={}, errors={})


@pages.post("/projects/<int:project_id>/issuances")
@role_required(Role.ADMIN)
def issue(user: User, project_id: int) -> ResponseReturnValue:
    registry.get_project(project_id)
    typed = forms.values(request.form, ISSUE_FIELDS)
    body = {k: forms.number(v) if k in ISSUE_NUMBERS else v for k, v in typed.items()}
    made, errors, status = _submitted(
        IssuanceInSchema(),
        {**body, "project_id": project_id},
        lambda data: registry.issue(
            user,
            project_id=data["project_id"],
            vintage=data["vintage"],
            quantity=data["quantity"],
            holder=data["holder_org"],
        ),
        fields=ISSUE_FIELDS,
    )
    if errors:
        return _project_page(project_id, typed=typed, errors=errors, status=status)
    return redirect(url_for("admin_registry.project", project_id=project_id, issued=made.id), 303)


# --- imports ----------------------------------------------------------------------------


def _imports_page(
    *,
    typed: dict[str, str],
    text: str = "",
    errors: dict[str, str] | None = None,
    report: ImportReport | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    done = {name: request.args.get(name, type=int) for name in IMPORT_RESULTS}
    return (
        render_template(
            "admin_registry/imports.html",
            formats=FORMATS,
            typed=typed,
            text=text,
            errors=errors or {},
            report=report,
            row_errors=[
                {**error, "message": str(SAID.get(error["message"], error["message"]))}
                for error in (report.errors if report else [])
            ],
            done=done if done["created"] is not None else None,
            max_kb=MAX_UPLOAD // 1000,
        ),
        status,
    )


@pages.get("/imports", endpoint="imports")
@role_required(Role.ADMIN)
def imports_form(user: User) -> ResponseReturnValue:
    """Upload a registry export to check; after an import, what it did."""
    return _imports_page(typed={})


def _uploaded_text() -> str | None:
    """The file chosen, as text (None if it is empty, too large or not UTF-8); with no file
    chosen, the text the check kept in its hidden field."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return request.form.get("csv_text") or None
    raw = upload.read(MAX_UPLOAD + 1)
    if not raw or len(raw) > MAX_UPLOAD:
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _run(user: User, text: str, args: dict[str, Any]) -> ImportReport:
    imports.require_holder(fmt=args["format"], holder=args["holder"])
    return imports.run(
        io.StringIO(text),
        fmt=args["format"],
        holder=args["holder"],
        user=user,
        dry_run=args["dry_run"],
    )


@pages.post("/imports")
@role_required(Role.ADMIN)
def run_import(user: User) -> ResponseReturnValue:
    """Check an export (``dry_run``: the service applies it and rolls it back) or, once
    checked, import it: the checked text comes back in a hidden field, so the file is
    uploaded once. The service refuses the whole file if any row is bad."""
    typed = forms.values(request.form, IMPORT_FIELDS)
    text = _uploaded_text()
    if text is None:
        message = _("Choose a CSV file (UTF-8, at most %(size)s kB).", size=MAX_UPLOAD // 1000)
        return _imports_page(typed=typed, errors={"file": message}, status=422)
    report, errors, status = _submitted(
        ImportArgs(), typed, lambda args: _run(user, text, args), fields=IMPORT_FIELDS
    )
    if errors:
        return _imports_page(typed=typed, text=text, errors=errors, status=status)
    if report.ok and not report.dry_run:
        done = {name: getattr(report, name) for name in IMPORT_RESULTS}
        return redirect(url_for("admin_registry.imports", **done), 303)
    return _imports_page(typed=typed, text=text, report=report, status=200 if report.ok else 422)


# --- the two chains ---------------------------------------------------------------------


@pages.get("/ledger", endpoint="ledger")
@role_required(Role.ADMIN)
def ledger_events(user: User) -> ResponseReturnValue:
    """`flask registry check`'s result and head hash, then the ledger, newest first."""
    page = page_asked(request.args)
    events, total = registry.ledger(page=page, per_page=PER_PAGE, newest_first=True)
    parties = {o for event in events for o in (event.from_id, event.to_id) if o is not None}
    return render_template(
        "admin_registry/ledger.html",
        problems=ledger.check(),
        head=ledger.head(),
        events=events,
        names=registry.organisation_names(*parties),
        kinds=EVENT_KINDS,
        total=total,
        page=page,
        pages=page_count(total, PER_PAGE),
    )


@pages.get("/audit", endpoint="audit")
@role_required(Role.ADMIN)
def audit_entries(user: User) -> ResponseReturnValue:
    """`flask audit verify`'s report, then the chain's entries, newest first; ``subject``
    narrows them to one record and its parts."""
    subject = request.args.get("subject", "").strip()[:64]
    page = page_asked(request.args)
    entries, total = audit_chain.listing(subject=subject or None, page=page, per_page=PER_PAGE)
    report = audit_chain.verify()

    def query(to_page: int) -> str:
        return "?" + urlencode({**({"subject": subject} if subject else {}), "page": to_page})

    return render_template(
        "admin_registry/audit.html",
        report=report,
        reason=FAULTS.get(report.reason, report.reason) if report.reason else None,
        mismatches=audit_chain.state_mismatches() if report.ok else [],
        entries=entries,
        subject=subject,
        total=total,
        page=page,
        per_page=PER_PAGE,
        query=query,
    )
