"""The signed status list of issued documents, for checking revocation offline.

Built from the applications' states as the audit chain recorded them (a state changed
behind the service's back does not reach the list), signed by the district's active key
(`certify.core.status_list`), and valid for `LIST_LIFETIME`: an inspector whose cached
copy is older should fetch a new one. Built fresh on each request; it is one query.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select

from certify.core import status_list
from certify.core.signing import sign_detached
from certify.core.workflow import State
from certify.models.applications import Application
from certify.services import audit_chain, keys
from certify.services.verification import KINDS
from footprint.platform.db import db

LIST_LIFETIME = timedelta(hours=24)
LISTED = {State.REVOKED.value: "revocation", State.SUSPENDED.value: "suspension"}


def _flagged(kind: str) -> dict[str, list[int]]:
    model, _ = KINDS[kind]
    rows = db.session.execute(
        select(model.id, audit_chain.chained_after(Application.id)).join(
            Application, model.application_id == Application.id
        )
    )
    flagged: dict[str, list[int]] = {purpose: [] for purpose in status_list.PURPOSES}
    for document_id, chained in rows:
        purpose = LISTED.get((chained or {}).get("state"))
        if purpose is not None:
            flagged[purpose].append(document_id)
    return flagged


def current(*, now: datetime | None = None) -> dict[str, Any]:
    """``{"content": …, "signature": …}``: the list now, signed by the district."""
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    content = status_list.content(
        issuer=str(current_app.config["PUBLIC_BASE_URL"]).rstrip("/"),
        issued_at=now,
        valid_until=now + LIST_LIFETIME,
        lists={kind: _flagged(kind) for kind in KINDS},
    )
    return {"content": content, "signature": sign_detached(content, keys.store().active())}
