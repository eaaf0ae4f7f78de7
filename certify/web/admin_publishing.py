"""The district's publishing pages under /admin: factor datasets and guide versions,
uploaded, compared with the current one, and published.

``/admin/datasets`` lists the dataset versions. An uploaded dataset document is loaded
as a draft by the very service the ``flask factors load`` command calls
(`footprint.services.datasets.load` with ``publish=False``), which refuses what it would
refuse there (a published code with a different document, a missing parent); the draft's
page then shows what it changes against the current default dataset
(`footprint.core.dataset_diff`) and publishes it (`datasets.publish`). The document
travels between "check" and "publish" as the service's draft record, not as a hidden
field: the service already keeps drafts (as the command line does), so the page that
shows the comparison is an ordinary GET after a redirect, survives a reload, and what is
published is exactly the document that was compared, with the checksum it was given.

``/admin/guides`` lists the guide versions. An uploaded guide document is checked
(`guides.store.candidate`: `guides.core.parse_guide`, and numbered next) and compared
with the latest version (`guides.diff`); publishing stores it (`guides.store.publish`).
A stored guide version is a published one — the store keeps no drafts — so here the
checked document comes back with the publish form, base64-encoded in a hidden field:
the bytes published are the bytes checked (a browser would turn a text field's line
ends into CRLF, and so change the checksum shown).
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from footprint.accounts.models import Role, User
from footprint.accounts.sessions import protect, role_required
from footprint.core.dataset_diff import compare_datasets
from footprint.core.datasets import Dataset, DatasetError
from footprint.platform.db import db
from footprint.platform.pagination import page_asked, page_count
from footprint.platform.problems import Problem
from footprint.services import datasets
from guides import store
from guides.diff import compare_guides

pages = Blueprint("admin_publishing", __name__, url_prefix="/admin")
protect(pages)

PER_PAGE = 20
MAX_UPLOAD = 2_000_000
"""Bytes of an uploaded document: the bundled ones are a few dozen kilobytes."""
FACTOR_FIELDS = {
    "value": _l("the value"),
    "unit": _l("the unit"),
    "source": _l("the source"),
    "region": _l("the region"),
    "year": _l("the year"),
    "uncertainty": _l("the uncertainty"),
    "status": _l("the status"),
}
"""What a changed factor's change is made of (`footprint.core.dataset_diff.COMPARED`)."""


def _uploaded() -> bytes:
    """The chosen file's bytes; a 422 when there is none, or it is too large."""
    upload = request.files.get("document")
    raw = upload.read(MAX_UPLOAD + 1) if upload else b""
    if not raw or len(raw) > MAX_UPLOAD:
        raise _no_file()
    return raw


def _no_file() -> Problem:
    return Problem(422, _("Choose a TOML file (UTF-8, at most 2 MB)."))


def _refusal(error: Exception) -> dict[str, Any]:
    """What a refused document or action shows (``error``) and its ``status``, after
    undoing the transaction: a parser's reason (422), or a service's problem below 500."""
    db.session.rollback()
    if not isinstance(error, Problem):
        return {"error": str(error), "status": 422}
    if error.status >= 500:
        raise error
    reasons = next(iter(error.errors.values()), None) if error.errors else None
    return {"error": reasons[0] if reasons else error.detail, "status": error.status}


def _default() -> Dataset | None:
    """The dataset trips and inventories are priced with; None before any is published."""
    try:
        return datasets.published()
    except Problem:
        return None


# --- emission-factor datasets -------------------------------------------------------


def _datasets_page(*, error: str = "", status: int = 200) -> ResponseReturnValue:
    page = page_asked(request.args)
    records, total = datasets.list_records(page=page, per_page=PER_PAGE)
    current = _default()
    return (
        render_template(
            "admin_publishing/datasets.html",
            records=records,
            page=page,
            pages=page_count(total, PER_PAGE),
            default_code=current.code if current else None,
            error=error,
        ),
        status,
    )


@pages.get("/datasets")
@role_required(Role.ADMIN)
def datasets_list(user: User) -> ResponseReturnValue:
    return _datasets_page()


@pages.post("/datasets")
@role_required(Role.ADMIN)
def upload_dataset(user: User) -> ResponseReturnValue:
    """Load the uploaded document as a draft, then show what it changes."""
    try:
        record, _outcome = datasets.load(_uploaded(), publish=False, actor_id=user.id)
    except (DatasetError, Problem) as refused:
        return _datasets_page(**_refusal(refused))
    return redirect(url_for("admin_publishing.dataset", code=record.code), 303)


def _dataset_page(code: str, *, error: str = "", status: int = 200) -> ResponseReturnValue:
    record = datasets.get_record(code)
    current = _default()
    parsed = datasets.version(record)
    diff = None
    if not record.published and current is not None:
        diff = compare_datasets(current, parsed)
    return (
        render_template(
            "admin_publishing/dataset.html",
            record=record,
            parsed=parsed,
            extends=datasets.extends_of(record),
            is_default=current is not None and current.code == record.code,
            diff=diff,
            field_names=FACTOR_FIELDS,
            just_published=request.args.get("published") == "1",
            error=error,
        ),
        status,
    )


@pages.get("/datasets/<string:code>")
@role_required(Role.ADMIN)
def dataset(user: User, code: str) -> ResponseReturnValue:
    """One version; a draft with what it changes against the default, and its Publish."""
    return _dataset_page(code)


@pages.post("/datasets/<string:code>/publish")
@role_required(Role.ADMIN)
def publish_dataset(user: User, code: str) -> ResponseReturnValue:
    try:
        datasets.publish(code, actor_id=user.id)
    except Problem as refused:
        return _dataset_page(code, **_refusal(refused))
    return redirect(url_for("admin_publishing.dataset", code=code, published=1), 303)


# --- guide versions -------------------------------------------------------------------


def _guides_page(*, error: str = "", status: int = 200) -> ResponseReturnValue:
    return (
        render_template(
            "admin_publishing/guides.html",
            guides=[store.load_guide(number) for number in reversed(store.versions())],
            just_published=request.args.get("published", type=int),
            error=error,
        ),
        status,
    )


@pages.get("/guides")
@role_required(Role.ADMIN)
def guides_list(user: User) -> ResponseReturnValue:
    return _guides_page()


@pages.post("/guides/check")
@role_required(Role.ADMIN)
def check_guide(user: User) -> ResponseReturnValue:
    """The uploaded version checked and compared with the latest, with nothing stored."""
    try:
        document = _uploaded()
        guide = store.candidate(document)
    except Problem as refused:
        return _guides_page(**_refusal(refused))
    return render_template(
        "admin_publishing/guide_check.html",
        guide=guide,
        diff=compare_guides(store.load_guide(), guide),
        encoded=base64.b64encode(document).decode("ascii"),
    )


def _checked_document() -> bytes:
    """The document the check page sends back (base64, see the module docstring)."""
    try:
        document = base64.b64decode(request.form.get("document", ""), validate=True)
    except binascii.Error:
        document = b""
    if not document:
        raise _no_file()
    return document


@pages.post("/guides/publish")
@role_required(Role.ADMIN)
def publish_guide(user: User) -> ResponseReturnValue:
    try:
        record = store.publish(user, document=_checked_document())
    except Problem as refused:
        return _guides_page(**_refusal(refused))
    return redirect(url_for("admin_publishing.guides_list", published=record.version), 303)
