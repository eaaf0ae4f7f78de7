"""Who may read and change what: the access rules of the service, written once and
enforced from here (services call `require_read`, `readable`, `readable_one` and
`require_write`).

| role     | reads an organisation's records¹                  | changes them           |
|----------|---------------------------------------------------|------------------------|
| operator | its own organisation's                            | its own organisation's |
| verifier | those in the applications assigned to it²         | none³                  |
| admin    | any                                               | any                    |

¹ venues, inventories, products, product footprint studies, offset claims and
  certification applications. Public records (factors, the registry's projects,
  issuances, retirements and serials, issued certificates and labels, the guide,
  verification) are everyone's, without a token.
² assigned: the applications assigned to the verifier, and the venue, the inventory or
  the product and footprint study each is about; an offset claim goes with its
  inventory. Which records those are is known to certification, which plugs it in
  with `assign_through` (this package sits below it).
³ a verifier acts only on applications assigned to it (judgements, sign-off), which
  the certification workflow checks.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any, NoReturn, TypeVar

from sqlalchemy import ColumnElement, Select, false, literal, select

from footprint.accounts.models import Role, User
from footprint.platform.db import db, get_or_404
from footprint.platform.problems import Problem


class Scope(StrEnum):
    OWN = "own"
    ASSIGNED = "assigned"
    ANY = "any"
    NONE = "none"


READ = {Role.OPERATOR: Scope.OWN, Role.VERIFIER: Scope.ASSIGNED, Role.ADMIN: Scope.ANY}
WRITE = {Role.OPERATOR: Scope.OWN, Role.VERIFIER: Scope.NONE, Role.ADMIN: Scope.ANY}
RESOURCES = ("venue", "inventory", "product", "product_footprint", "application")

Assigned = Callable[[User], Select[Any]]
"""The ids of one resource's records in the applications assigned to a verifier."""
_assigned: dict[str, Assigned] = {}


def assign_through(resource: str, ids: Assigned) -> None:
    """Say which records of ``resource`` are in the applications assigned to a verifier."""
    if resource not in RESOURCES:
        raise ValueError(f"unknown resource {resource!r}")
    _assigned[resource] = ids


def _assigned_ids(user: User, resource: str) -> Select[Any] | None:
    ids = _assigned.get(resource)
    return None if ids is None else ids(user)


def may_read(user: User, resource: str, *, record_id: int, organisation_id: int) -> bool:
    scope = READ[Role(user.role)]
    if scope is Scope.ANY:
        return True
    if scope is Scope.OWN:
        return user.organisation_id == organisation_id
    ids = _assigned_ids(user, resource)
    return ids is not None and bool(db.session.scalar(select(literal(record_id).in_(ids))))


def require_read(
    user: User, resource: str, *, record_id: int, organisation_id: int, field: str | None = None
) -> None:
    """403 (naming ``field``, the request field that pointed here) unless ``user`` may
    read this record of ``resource``."""
    if not may_read(user, resource, record_id=record_id, organisation_id=organisation_id):
        _refuse_read(user, field)


def _refuse_read(user: User, field: str | None) -> NoReturn:
    message = (
        "This is neither your organisation's nor in an application assigned to you."
        if user.role == Role.VERIFIER
        else "This belongs to another organisation."
    )
    raise Problem(403, message, errors={field: [message]} if field else None)


def readable(
    user: User,
    resource: str,
    query: Select[Any],
    *,
    id_column: ColumnElement[Any],
    organisation_column: ColumnElement[Any],
) -> Select[Any]:
    """``query`` narrowed to the records of ``resource`` that ``user`` may read."""
    scope = READ[Role(user.role)]
    if scope is Scope.ANY:
        return query
    if scope is Scope.OWN:
        return query.where(organisation_column == user.organisation_id)
    ids = _assigned_ids(user, resource)
    return query.where(false()) if ids is None else query.where(id_column.in_(ids))


R = TypeVar("R")


def readable_one(
    user: User,
    resource: str,
    model: type[R],
    record_id: int,
    *,
    what: str,
    id_column: ColumnElement[Any],
    organisation_column: ColumnElement[Any],
) -> R:
    """The ``model`` record ``record_id`` if ``user`` may read it, in one query (the rule
    of `readable` in its WHERE clause) where `require_read` after a lookup takes two:
    for the records read on every request of a page. Else a 404 naming ``what``, or the
    403 of `require_read` for a record that exists."""
    query = readable(
        user,
        resource,
        select(model).where(id_column == record_id),
        id_column=id_column,
        organisation_column=organisation_column,
    )
    found = db.session.scalars(query).first()
    if found is None:
        get_or_404(model, record_id, what)
        _refuse_read(user, None)
    return found


def require_write(user: User, organisation_id: int, field: str | None = None) -> None:
    """Operators change only their own organisation's records; admins any; verifiers
    none. ``field`` names the request field that pointed at another's record."""
    scope = WRITE[Role(user.role)]
    if scope is Scope.ANY or (scope is Scope.OWN and user.organisation_id == organisation_id):
        return
    message = (
        "Verifiers review; they do not change an organisation's records."
        if scope is Scope.NONE
        else "This belongs to another organisation."
    )
    raise Problem(403, message, errors={field: [message]} if field else None)
