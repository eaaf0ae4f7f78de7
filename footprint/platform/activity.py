"""The activity log: who changed what, when — the ordinary history of every record.

One of two trails. This one (table ``audit_events``) notes every change to venues,
inventories, products, credits, accounts and logins, and is written in the same
transaction as the change. Certification decisions go to the other one, the
tamper-evident hash chain of `certify.services.audit_chain`, which third parties verify.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from footprint.platform.db import db, utcnow


class ActivityEvent(db.Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(64))
    entity_id: Mapped[str] = mapped_column(String(64), index=True)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


def record(
    action: str, entity: str, entity_id: object, actor_id: int | None = None, **detail: Any
) -> None:
    """Add an activity event to the current transaction (it commits with the change)."""
    db.session.add(
        ActivityEvent(
            action=action, entity=entity, entity_id=str(entity_id), actor_id=actor_id, detail=detail
        )
    )
