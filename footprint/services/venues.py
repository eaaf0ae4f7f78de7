"""Registering venues and reading them, as `footprint.accounts.access` allows."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from footprint.accounts import access
from footprint.accounts.models import Organisation, User
from footprint.models import Venue
from footprint.platform import activity
from footprint.platform.db import db, get_or_404, paginate
from footprint.platform.problems import invalid

VENUE_KINDS = (
    "scenic_area",
    "hotel",
    "cable_car",
    "elevator",
    "shuttle",
    "restaurant",
    "shop",
    "producer",
)


def create(user: User, *, data: dict[str, Any]) -> Venue:
    organisation_id = data.pop("organisation_id", None) or user.organisation_id
    access.require_write(user, organisation_id)
    if db.session.get(Organisation, organisation_id) is None:
        raise invalid("organisation_id", f"no organisation {organisation_id}")
    venue = Venue(organisation_id=organisation_id, **data)
    db.session.add(venue)
    db.session.flush()
    activity.record("venue.created", "venue", venue.id, user.id, **data)
    db.session.commit()
    return venue


def get(user: User, *, venue_id: int) -> Venue:
    venue = get_or_404(Venue, venue_id, "venue")
    access.require_read(user, "venue", record_id=venue.id, organisation_id=venue.organisation_id)
    return venue


def update(user: User, *, venue_id: int, changes: dict[str, Any]) -> Venue:
    venue = get(user, venue_id=venue_id)
    access.require_write(user, venue.organisation_id)
    for name, value in changes.items():
        setattr(venue, name, value)
    activity.record("venue.updated", "venue", venue.id, user.id, **changes)
    db.session.commit()
    return venue


def listing(user: User, *, kind: str | None, page: int, per_page: int) -> tuple[list[Venue], int]:
    query = access.readable(
        user, "venue", select(Venue), id_column=Venue.id, organisation_column=Venue.organisation_id
    )
    if kind:
        query = query.where(Venue.kind == kind)
    return paginate(query.order_by(Venue.id), page, per_page)
