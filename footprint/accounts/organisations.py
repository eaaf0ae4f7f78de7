"""Organisations by name: looking one up where a request names it, and creating one,
which only an admin's act (or the system's own pool) may do.

A name a caller types is looked up, never created: a typo in a transfer or a declaration
must be refused (422), not become an organisation that then holds credits.
"""

from __future__ import annotations

from sqlalchemy import select

from footprint.accounts.models import Organisation
from footprint.platform.db import db
from footprint.platform.problems import invalid


def find(name: str) -> Organisation | None:
    return db.session.scalar(select(Organisation).where(Organisation.name == name))


def named(name: str, *, field: str) -> Organisation:
    """The organisation called ``name``; 422 naming ``field`` if there is none."""
    organisation = find(name)
    if organisation is None:
        raise invalid(field, f"no organisation is called {name!r}")
    return organisation


def named_or_created(name: str) -> Organisation:
    """The organisation called ``name``, created if it is new: for admins' acts (creating
    a user, issuing or importing credits to a holder, accrediting) and the buffer pool."""
    organisation = find(name)
    if organisation is None:
        organisation = Organisation(name=name)
        db.session.add(organisation)
        db.session.flush()
    return organisation
