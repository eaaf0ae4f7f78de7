"""Persistence of the certification audit chain: one table of hash-chained entries.

Each row is a `certify.core.chain.Entry`; the migration installs triggers that refuse
UPDATE and DELETE. Append and read it through `certify.services.audit_chain`; the
activity log (`footprint.platform.activity`) is the other, unchained trail.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from certify.core import chain
from footprint.platform.db import db


class AuditChainEntry(db.Model):
    __tablename__ = "audit_log"

    sequence: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(300))
    action: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(64), index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    previous_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    def entry(self) -> chain.Entry:
        return chain.Entry(
            sequence=self.sequence,
            at=self.at,
            actor=self.actor,
            action=self.action,
            subject=self.subject,
            before=self.before,
            after=self.after,
            previous_hash=self.previous_hash,
            hash=self.hash,
        )
