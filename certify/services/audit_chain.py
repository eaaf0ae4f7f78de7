"""The certification audit chain: appending to the tamper-evident hash chain, and reading it.

This is one of the two trails, for a different purpose than the other: the chain
(`certify.models.audit_chain`) records certification decisions — workflow
transitions, judgements, sign-offs, status changes — so that a third party can prove
nothing was changed unseen. Ordinary "who changed what" history of every other record
goes to the activity log (`footprint.platform.activity`).

Every workflow transition, judgement, sign-off and certificate status change is
appended as a `certify.core.chain` entry. Appends are serialised — SQLite's write lock
(the request already holds it, see `footprint.platform.db.exclusive_writes`), a
transaction-scoped advisory lock on PostgreSQL — so two writers never read the same head;
the primary key on ``sequence`` would refuse a fork anyway. The table is append-only:
the migration installs triggers that refuse UPDATE and DELETE.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, Select, String, cast, literal, or_, select, text

from certify.core import chain
from certify.models.applications import Application
from certify.models.audit_chain import AuditChainEntry
from footprint.accounts.models import User
from footprint.platform.db import db, paginate, utcnow

ADVISORY_LOCK = 0x5C_A0D1_7106
"""PostgreSQL advisory lock id taken while appending (any constant unique to this use)."""


def _actor_of(user: User | None) -> str:
    """How an actor is named in the log: stable id, role and e-mail at the time."""
    return "system" if user is None else f"user:{user.id} {user.role} {user.email}"


def _head() -> chain.Entry | None:
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": ADVISORY_LOCK})
    last = db.session.scalar(
        select(AuditChainEntry).order_by(AuditChainEntry.sequence.desc()).limit(1)
    )
    return None if last is None else last.entry()


def append(
    user: User | None,
    *,
    action: str,
    subject: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
) -> chain.Entry:
    """Append an entry in the current transaction; it commits (or not) with the change."""
    entry = chain.link(
        _head(),
        at=utcnow(),
        actor=_actor_of(user),
        action=action,
        subject=subject,
        before=before,
        after=after,
    )
    db.session.add(
        AuditChainEntry(**entry.fields(), previous_hash=entry.previous_hash, hash=entry.hash)
    )
    db.session.flush()
    return entry


def entries(subject: str | None = None) -> Iterator[chain.Entry]:
    """The log in order, streamed; if ``subject`` is given, only its entries and those of
    its parts (``application:7`` and ``application:7/Q-1``)."""
    query = _about(select(AuditChainEntry), subject).order_by(AuditChainEntry.sequence)
    for row in db.session.scalars(query.execution_options(yield_per=500)):
        yield row.entry()


def listing(*, subject: str | None, page: int, per_page: int) -> tuple[list[AuditChainEntry], int]:
    """A page of the log, newest first; ``subject`` narrows it as in `entries`."""
    query = _about(select(AuditChainEntry), subject)
    return paginate(query.order_by(AuditChainEntry.sequence.desc()), page, per_page)


def _about(query: Select[Any], subject: str | None) -> Select[Any]:
    if subject is None:
        return query
    return query.where(
        or_(
            AuditChainEntry.subject == subject,
            AuditChainEntry.subject.startswith(subject + "/", autoescape=True),
        )
    )


def verify(anchor: str | None = None) -> chain.ChainReport:
    """Check the whole chain (see `certify.core.chain.verify`)."""
    return chain.verify(entries(), anchor=anchor)


def chained_after(subject_id: ColumnElement[Any], kind: str = "application") -> ScalarSelect[Any]:
    """The ``after`` of the newest entry about ``kind:{subject_id}`` itself, as a scalar
    subquery to put beside the row: what the chain says the row should now be."""
    subject = literal(f"{kind}:") + cast(subject_id, String)
    return (
        select(AuditChainEntry.after)
        .where(AuditChainEntry.subject == subject)
        .order_by(AuditChainEntry.sequence.desc())
        .limit(1)
        .scalar_subquery()
    )


def state_mismatches() -> list[str]:
    """Every application whose stored state is not the state its last chained entry
    recorded: a change made behind the service's back."""
    rows = db.session.execute(
        select(Application.id, Application.state, chained_after(Application.id)).order_by(
            Application.id
        )
    )
    return [
        f"application {number}: state {state!r}, but the audit chain says "
        f"{(after or {}).get('state')!r}"
        for number, state, after in rows
        if (after or {}).get("state") != state
    ]
