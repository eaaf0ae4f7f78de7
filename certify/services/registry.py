"""The forest-sink credit registry: projects, issuances, transfers, retirements, look-ups.

Every state change runs in one exclusive write transaction (:func:`_atomically`):
the affected serial blocks are read with row locks (PostgreSQL) or under SQLite's
write lock, checked, split, and written with a version check; an event goes to the
append-only ledger in the same transaction. A concurrent change that slips between
read and write makes the version check, the unique (issuance, number_start) constraint
or the coverage check fail, and the whole attempt is rolled back and retried against
the new state — where an overlapping retirement then finds its serials retired (409).
"""

from __future__ import annotations

import math
import tomllib
import uuid
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from flask import current_app
from sqlalchemy import bindparam, func, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import lazyload
from sqlalchemy.orm.exc import StaleDataError

from certify.core import chain
from certify.core.ledger import Record
from certify.core.serials import Block, SerialError, SerialPrefix, parse_range, parse_serial, total
from certify.models.registry import (
    CreditBlock,
    CreditingStandard,
    Issuance,
    LedgerEvent,
    Project,
    Retirement,
    Transfer,
)
from footprint.accounts import organisations
from footprint.accounts.models import Organisation, User
from footprint.platform import activity, metrics
from footprint.platform.db import begin_exclusive, conflict_as, db, get_or_404, paginate, utcnow
from footprint.platform.problems import Problem, invalid
from guides.store import load_guide

STANDARDS = Path(__file__).resolve().parents[1] / "standards.toml"
BUFFER_POOL = "Buffer pool 缓冲池 (reversal risk)"
MAX_ATTEMPTS = 5
T = TypeVar("T")


class _Raced(Exception):
    """The blocks changed between read and write: roll back and try again."""


def _atomically(work: Callable[[], T]) -> T:
    for _ in range(MAX_ATTEMPTS):
        begin_exclusive()
        _lock_ledger()  # every registry write appends to the ledger's chain: one at a time
        try:
            result = work()
            db.session.commit()
            return result
        except (_Raced, StaleDataError, IntegrityError):
            db.session.rollback()
        except DBAPIError as error:  # deadlock or serialization failure: try again
            db.session.rollback()
            if getattr(error.orig, "sqlstate", None) not in ("40001", "40P01"):
                raise
        except BaseException:
            db.session.rollback()
            raise
    raise Problem(409, "The serials changed while this request ran; try again.")


def _programme() -> str:
    return current_app.config.get("REGISTRY_PROGRAMME", "WLY")


def _prefix_of(issuance: Issuance) -> SerialPrefix:
    return SerialPrefix(issuance.programme, issuance.project.code, issuance.vintage)


def serials_of(issuance: Issuance, *, start: int, end: int) -> tuple[str, str]:
    return _prefix_of(issuance).format_block(Block(start, end))


@cache
def _standards_data() -> dict[str, dict[str, str]]:
    return tomllib.loads(STANDARDS.read_text(encoding="utf-8"))["standards"]


def known_standards() -> list[CreditingStandard]:
    """Every standard of ``standards.toml`` (created on first use) and any added since."""
    for code in _standards_data():
        standard(code)
    db.session.commit()
    return list(db.session.scalars(select(CreditingStandard).order_by(CreditingStandard.code)))


def standard(code: str) -> CreditingStandard:
    found = db.session.scalar(select(CreditingStandard).where(CreditingStandard.code == code))
    if found is not None:
        return found
    known = _standards_data()
    if code not in known:
        raise invalid("standard", f"unknown standard {code!r} (known: {', '.join(known)})")
    found = CreditingStandard(code=code, **known[code])
    db.session.add(found)
    db.session.flush()
    return found


# --- projects and issuances -------------------------------------------------------------


def create_project(user: User, *, data: dict[str, Any]) -> Project:
    data = dict(data)
    code = data.pop("code", None)
    project = Project(
        code=code or uuid.uuid4().hex[:12].upper(),
        standard_id=standard(data.pop("standard")).id,
        **data,
    )
    db.session.add(project)
    with conflict_as("A project with this code or external id exists."):
        db.session.flush()
        if code is None:
            project.code = f"P{project.id:04d}"
        activity.record(
            "project.created", "project", project.id, user.id, code=project.code, name=project.name
        )
        db.session.commit()
    return project


def get_project(project_id: int) -> Project:
    return get_or_404(Project, project_id, "project")


def project_by_code(code: str) -> Project | None:
    return db.session.scalar(select(Project).where(Project.code == code))


def _buffer_share(project: Project) -> Any:
    return load_guide().offsets.buffer_share.get(project.project_type, 0)


def issue(
    user: User,
    *,
    project_id: int,
    vintage: int,
    quantity: int,
    holder: str,
    external_ref: str | None = None,
) -> Issuance:
    """Issue the verified ``quantity``: serials for exactly that many credits, of which
    the guide's buffer share is withheld to the pool and the rest go to ``holder``."""
    project = db.session.get(Project, project_id)
    if project is None:
        raise invalid("project_id", f"no project {project_id}")
    if (project.crediting_start and vintage < project.crediting_start.year) or (
        project.crediting_end and vintage > project.crediting_end.year
    ):
        raise invalid("vintage", "outside the project's crediting period")
    buffer = math.ceil(quantity * _buffer_share(project))
    if buffer >= quantity:
        raise invalid(
            "quantity",
            f"the buffer pool withholds {buffer} of {quantity}: nothing would be left to issue",
        )
    actor = user.id

    def work() -> Issuance:
        holder_org = organisations.named_or_created(holder)
        last = db.session.scalar(
            select(func.max(Issuance.number_end)).where(
                Issuance.project_id == project_id, Issuance.vintage == vintage
            )
        )
        start = (last or 0) + 1
        issuance = Issuance(
            project_id=project_id,
            vintage=vintage,
            programme=_programme(),
            number_start=start,
            number_end=start + quantity - 1,
            quantity=quantity,
            buffer_quantity=buffer,
            issued_by_id=actor,
            external_ref=external_ref,
        )
        db.session.add(issuance)
        db.session.flush()
        grant(
            issuance,
            block=Block(start, issuance.number_end - buffer),
            holder_id=holder_org.id,
            kind="issue",
            actor=actor,
        )
        if buffer:
            pool = organisations.named_or_created(BUFFER_POOL)
            grant(
                issuance,
                block=Block(issuance.number_end - buffer + 1, issuance.number_end),
                holder_id=pool.id,
                kind="buffer",
                actor=actor,
            )
        return issuance

    issuance = _atomically(work)
    metrics.count("credit_issuance")
    return issuance


def grant(
    issuance: Issuance, *, block: Block, holder_id: int, kind: str, actor: int | None
) -> None:
    db.session.add(
        CreditBlock(
            issuance_id=issuance.id,
            number_start=block.start,
            number_end=block.end,
            holder_id=holder_id,
        )
    )
    ledger_event(
        kind, issuance=issuance, block=block, actor=actor, to_id=holder_id, reference_id=issuance.id
    )


def ledger_event(
    kind: str,
    *,
    issuance: Issuance,
    block: Block,
    actor: int | None,
    detail: dict[str, Any] | None = None,
    **fields: Any,
) -> None:
    """Append an event to the ledger's hash chain, in the caller's (exclusive) transaction;
    ``detail`` holds what else it reports (a retirement's beneficiary and purpose)."""
    start, end = serials_of(issuance, start=block.start, end=block.end)
    record = Record(
        at=utcnow(),
        actor_id=actor,
        kind=kind,
        issuance_id=issuance.id,
        number_start=block.start,
        number_end=block.end,
        quantity=block.count,
        detail={"serial_start": start, "serial_end": end, **(detail or {})},
        **fields,
    )
    entry = record.link(_ledger_head())
    db.session.add(
        LedgerEvent(
            sequence=entry.sequence,
            previous_hash=entry.previous_hash,
            hash=entry.hash,
            **{name: getattr(record, name) for name in RECORD_COLUMNS},
        )
    )
    db.session.info[LEDGER_HEAD] = (db.session().get_transaction(), entry)


RECORD_COLUMNS = tuple(Record.__dataclass_fields__)
LEDGER_LOCK = 0x5C_1ED6_E400
"""PostgreSQL advisory lock id taken while appending to the ledger's chain."""
LEDGER_HEAD = "ledger_head"
"""In the session's info: the transaction that last appended, and the entry it appended."""


def _lock_ledger() -> None:
    """Serialise appends to the ledger's chain for the rest of the transaction: SQLite's
    write lock is already held; on PostgreSQL, writers of different issuances would
    otherwise read the same head."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": LEDGER_LOCK})


def _ledger_head() -> chain.Entry | None:
    """The newest event: the one this transaction appended last, or else read under the
    ledger's lock (taken once a transaction)."""
    appended = db.session.info.get(LEDGER_HEAD)
    if appended is not None and appended[0] is db.session().get_transaction():
        return appended[1]
    _lock_ledger()
    last = db.session.scalar(select(LedgerEvent).order_by(LedgerEvent.sequence.desc()).limit(1))
    return None if last is None else last.entry()


# --- serial ranges ----------------------------------------------------------------------


def _resolve_range(serial_start: str, *, serial_end: str) -> tuple[Issuance, Block]:
    """The issuance a serial range lies in, or a 422 naming the field at fault."""
    try:
        prefix, block = parse_range(serial_start, serial_end)
    except SerialError as error:
        raise invalid(error.field or "serial_start", str(error)) from error
    issuance = _issuance_at(prefix, block.start, "serial_start")
    if block.end > issuance.number_end:
        raise invalid(
            "serial_end",
            "the range runs past its issuance: a range must lie "
            f"inside one issuance (which ends at "
            f"{serials_of(issuance, start=1, end=issuance.number_end)[1]})",
        )
    return issuance, block


# Look-ups are built once: the last issuance (block) starting at or before the number is
# one index probe, however many issuances (blocks) the project and vintage have.
_ISSUANCE_AT = (
    select(Issuance)
    .where(
        Issuance.project_id
        == select(Project.id).where(Project.code == bindparam("project")).scalar_subquery(),
        Issuance.vintage == bindparam("vintage"),
        Issuance.number_start <= bindparam("number"),
    )
    .order_by(Issuance.number_start.desc())
    .limit(1)
)
_BLOCK_AT = (
    select(CreditBlock)
    .options(lazyload(CreditBlock.issuance), lazyload(CreditBlock.holder))
    .where(
        CreditBlock.issuance_id == bindparam("issuance"),
        CreditBlock.number_start <= bindparam("number"),
    )
    .order_by(CreditBlock.number_start.desc())
    .limit(1)
)


def _issuance_at(prefix: SerialPrefix, number: int, field: str) -> Issuance:
    issuance = db.session.scalar(
        _ISSUANCE_AT, {"project": prefix.project, "vintage": prefix.vintage, "number": number}
    )
    if issuance is None or issuance.number_end < number or issuance.programme != prefix.programme:
        raise Problem(
            404,
            f"{field}: no issued credit has the serial {prefix.format(number)}",
            errors={field: ["unknown serial"]},
        )
    return issuance


def carve(
    issuance_id: int, *, target: Block, holder_id: int, change: Callable[[CreditBlock], None]
) -> None:
    """Split the blocks under ``target`` so that exactly ``target`` gets ``change``d.

    Refuses (409) if any serial in it is retired or cancelled, and (403) if any is held
    by another organisation than ``holder_id``; raises _Raced if the blocks moved under us.
    """
    rows = db.session.scalars(
        select(CreditBlock)
        .where(
            CreditBlock.issuance_id == issuance_id,
            CreditBlock.number_end >= target.start,
            CreditBlock.number_start <= target.end,
        )
        .order_by(CreditBlock.number_start)
        .with_for_update(of=CreditBlock)
    ).all()
    owned = [Block(r.number_start, r.number_end) for r in rows]
    if total([b.intersection(target) for b in owned if b.overlaps(target)]) != target.count:
        raise _Raced
    for row in rows:
        if row.status != "active":
            first = _prefix_of(row.issuance).format(max(row.number_start, target.start))
            raise Problem(
                409,
                f"serial {first} is already retired (retirement {row.retirement_id})."
                if row.status == "retired"
                else f"serial {first} was cancelled: it is no longer a credit.",
            )
    for row in rows:
        if row.holder_id != holder_id:
            raise Problem(403, "Some of these serials are not held by your organisation.")
    for row, block in zip(rows, owned, strict=True):
        inside = block.intersection(target)
        assert inside is not None
        row.number_start, row.number_end = inside.start, inside.end
        change(row)
        for piece in block.subtract(target):
            db.session.add(
                CreditBlock(
                    issuance_id=issuance_id,
                    number_start=piece.start,
                    number_end=piece.end,
                    holder_id=holder_id,
                )
            )
    db.session.flush()


def retire(
    user: User, *, serial_start: str, serial_end: str, beneficiary: str, purpose: str
) -> Retirement:
    issuance, block = _resolve_range(serial_start, serial_end=serial_end)
    issuance_id, organisation_id, actor = issuance.id, user.organisation_id, user.id
    beneficiary = beneficiary.strip()

    def work() -> Retirement:
        retirement = Retirement(
            issuance_id=issuance_id,
            number_start=block.start,
            number_end=block.end,
            quantity=block.count,
            organisation_id=organisation_id,
            beneficiary=beneficiary,
            purpose=purpose,
            retired_by_id=actor,
        )
        db.session.add(retirement)
        db.session.flush()

        def retired(row: CreditBlock) -> None:
            row.status, row.retirement_id = "retired", retirement.id

        carve(issuance_id, target=block, holder_id=organisation_id, change=retired)
        ledger_event(
            "retire",
            issuance=retirement.issuance,
            block=block,
            actor=actor,
            from_id=organisation_id,
            reference_id=retirement.id,
            detail={"beneficiary": beneficiary, "purpose": purpose},
        )
        return retirement

    retirement = _atomically(work)
    metrics.count("retirement")
    return retirement


def transfer(user: User, *, serial_start: str, serial_end: str, to: str) -> Transfer:
    issuance, block = _resolve_range(serial_start, serial_end=serial_end)
    issuance_id, organisation_id, actor = issuance.id, user.organisation_id, user.id

    def work() -> Transfer:
        found = organisations.find(to)
        if found is not None and found.id == organisation_id:
            raise invalid("to_org", "the receiver is the sender")

        def moved(row: CreditBlock) -> None:
            if found is not None:
                row.holder_id = found.id

        # The sender's holding is checked (403) before the receiver's name (422).
        carve(issuance_id, target=block, holder_id=organisation_id, change=moved)
        receiver = found or organisations.named(to, field="to_org")
        record = Transfer(
            issuance_id=issuance_id,
            number_start=block.start,
            number_end=block.end,
            quantity=block.count,
            from_id=organisation_id,
            to_id=receiver.id,
            transferred_by_id=actor,
        )
        db.session.add(record)
        db.session.flush()
        ledger_event(
            "transfer",
            issuance=record.issuance,
            block=block,
            actor=actor,
            from_id=organisation_id,
            to_id=receiver.id,
            reference_id=record.id,
        )
        return record

    return _atomically(work)


def lookup(serial: str) -> tuple[Issuance, int, CreditBlock]:
    try:
        prefix, number = parse_serial(serial)
    except SerialError as error:
        raise invalid("serial", str(error)) from error
    issuance = _issuance_at(prefix, number, "serial")
    block = db.session.scalar(_BLOCK_AT, {"issuance": issuance.id, "number": number})
    assert block is not None and block.number_end >= number, "blocks partition an issuance"
    return issuance, number, block


# --- reading ----------------------------------------------------------------------------


def list_projects(
    filters: dict[str, Any], *, page: int, per_page: int
) -> tuple[list[Project], int]:
    query = select(Project)
    if filters.get("standard"):
        query = query.join(CreditingStandard).where(CreditingStandard.code == filters["standard"])
    for name in ("project_type", "region"):
        if filters.get(name):
            query = query.where(getattr(Project, name) == filters[name])
    return paginate(query.order_by(Project.id), page, per_page)


def list_issuances(
    filters: dict[str, Any], *, page: int, per_page: int
) -> tuple[list[Issuance], int]:
    query = select(Issuance)
    for name in ("project_id", "vintage"):
        if filters.get(name) is not None:
            query = query.where(getattr(Issuance, name) == filters[name])
    return paginate(query.order_by(Issuance.id), page, per_page)


def get_issuance(issuance_id: int) -> Issuance:
    return get_or_404(Issuance, issuance_id, "issuance")


def list_retirements(
    filters: dict[str, Any], *, page: int, per_page: int
) -> tuple[list[Retirement], int]:
    """Retirements, newest first; by beneficiary (substring), project, or a serial inside."""
    query = select(Retirement)
    if filters.get("beneficiary"):
        wanted = filters["beneficiary"].strip().lower()  # % and _ are taken as written
        query = query.where(func.lower(Retirement.beneficiary).contains(wanted, autoescape=True))
    if filters.get("project_id") is not None:
        query = query.join(Issuance).where(Issuance.project_id == filters["project_id"])
    if filters.get("organisation_id") is not None:
        query = query.where(Retirement.organisation_id == filters["organisation_id"])
    if filters.get("serial"):
        *_, block = lookup(filters["serial"])
        query = query.where(Retirement.id == (block.retirement_id or 0))
    return paginate(query.order_by(Retirement.id.desc()), page, per_page)


def get_retirement(retirement_id: int) -> Retirement:
    return get_or_404(Retirement, retirement_id, "retirement")


def list_transfers(
    organisation_id: int | None, *, page: int, per_page: int
) -> tuple[list[Transfer], int]:
    query = select(Transfer)
    if organisation_id is not None:
        query = query.where(
            (Transfer.from_id == organisation_id) | (Transfer.to_id == organisation_id)
        )
    return paginate(query.order_by(Transfer.id.desc()), page, per_page)


def holdings(
    organisation_id: int | None, *, page: int, per_page: int
) -> tuple[list[CreditBlock], int]:
    """Active blocks held (by one organisation, or by all)."""
    query = select(CreditBlock).where(CreditBlock.status == "active")
    if organisation_id is not None:
        query = query.where(CreditBlock.holder_id == organisation_id)
    return paginate(
        query.order_by(CreditBlock.issuance_id, CreditBlock.number_start), page, per_page
    )


def ledger(
    *, page: int, per_page: int, newest_first: bool = False
) -> tuple[list[LedgerEvent], int]:
    order = LedgerEvent.sequence.desc() if newest_first else LedgerEvent.id
    return paginate(select(LedgerEvent).order_by(order), page, per_page)


def issued_by_project(*, project_ids: Iterable[int]) -> dict[int, int]:
    """The credits issued (verified quantities, buffer included) to each of the projects
    that has any."""
    rows = db.session.execute(
        select(Issuance.project_id, func.sum(Issuance.quantity))
        .where(Issuance.project_id.in_(list(project_ids)))
        .group_by(Issuance.project_id)
    )
    return {project_id: int(issued) for project_id, issued in rows}


def organisation_names(*ids: int) -> dict[int, str]:
    rows = db.session.execute(
        select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))
    )
    return {organisation_id: name for organisation_id, name in rows}
