"""The version of the published data: one cheap query whose answer moves whenever a
public figure could have changed — the open data package (`certify.services.open_data`)
and the progress dashboard are remade when, and only when, it moves.

Each part is read by an index (the newest row by id), but for the small tables of
inventories and venues: the highest retirement, certificate and label ids and the
audit-chain sequence with those rows' times, the verified inventories' count and latest
verification, the venues' count and latest edit (their names), and the day (statuses
turn ``expired`` at midnight). Why that suffices: retirements, documents and chain
entries are only ever appended, never changed; every change of a document's status
appends to the audit chain; the figures of a verified inventory are frozen. So a
version that did not move means figures that did not, and any new record or state
change moves it. A change made behind the service's back, straight in the database,
moves nothing until the next real change or the next day (`flask audit verify` is where
such changes are caught).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, func, select

from certify.models.applications import Application
from certify.models.audit_chain import AuditChainEntry
from certify.models.documents import Certificate, Label
from certify.models.offsets import OffsetClaim
from certify.models.registry import Retirement
from certify.models.verifiers import AdvisoryDeclaration, VerifierAccreditation
from footprint.models import Inventory, Venue
from footprint.platform.db import db


@dataclass(frozen=True)
class Version:
    """What the files read, in one cheap query: any new record or state change moves it."""

    today: date
    counts: tuple[int, ...]
    """The highest retirement, certificate and label ids, the audit chain's length, the
    number of verified inventories and the number of venues."""
    stamps: tuple[datetime | None, ...]
    """When the newest retirement, certificate, label, chain entry and verification were
    made, and when a venue was last edited."""

    @property
    def latest(self) -> datetime | None:
        """The newest record's time: the release's ``created``."""
        found = [stamp for stamp in self.stamps if stamp is not None]
        return max(found) if found else None

    @property
    def label(self) -> str:
        """Semantic-versioning build metadata naming the data."""
        retirement, certificate, label, chained, verified, venues = self.counts
        return (
            f"{self.today:%Y%m%d}.r{retirement}.c{certificate}.l{label}"
            f".a{chained}.i{verified}.v{venues}"
        )


_NEWEST = (
    (Retirement.id, Retirement.retired_at),
    (Certificate.id, Certificate.issued_at),
    (Label.id, Label.issued_at),
    (AuditChainEntry.sequence, AuditChainEntry.at),
)
_VERIFIED = Inventory.status == "verified"
_VERSION = select(
    *(select(func.max(key)).scalar_subquery() for key, _ in _NEWEST),
    select(func.count(Inventory.id)).where(_VERIFIED).scalar_subquery(),
    select(func.count(Venue.id)).scalar_subquery(),
    *(select(stamp).order_by(key.desc()).limit(1).scalar_subquery() for key, stamp in _NEWEST),
    select(func.max(Inventory.verified_at)).where(_VERIFIED).scalar_subquery(),
    select(func.max(Venue.updated_at)).scalar_subquery(),
)
"""Built once: the statement is asked for by every dashboard request."""


def version(*, today: date) -> Version:
    """The data's version now (see the module docstring)."""
    row = db.session.execute(_VERSION).one()
    width = len(_NEWEST) + 2
    return Version(
        today,
        tuple(count or 0 for count in row[:width]),
        tuple(row[width:]),  # UtcDateTime: aware, in UTC, on either database
    )


_APPLICATION = bindparam("application_id")
_VENUE_OF = (
    select(Inventory.venue_id)
    .where(
        Inventory.id
        == select(Application.inventory_id).where(Application.id == _APPLICATION).scalar_subquery()
    )
    .scalar_subquery()
)
_REVIEW = select(
    select(Application.updated_at).where(Application.id == _APPLICATION).scalar_subquery(),
    select(func.max(Inventory.updated_at)).where(Inventory.venue_id == _VENUE_OF).scalar_subquery(),
    select(Venue.updated_at).where(Venue.id == _VENUE_OF).scalar_subquery(),
    select(func.max(AuditChainEntry.sequence)).scalar_subquery(),
    select(func.max(OffsetClaim.id)).scalar_subquery(),
    select(func.max(AdvisoryDeclaration.id)).scalar_subquery(),
    select(func.max(VerifierAccreditation.id)).scalar_subquery(),
    select(func.max(VerifierAccreditation.withdrawn_at)).scalar_subquery(),
)
"""Built once, like `_VERSION`: asked for by every review screen."""


def review(*, application_id: int, today: date) -> tuple[object, ...]:
    """What an application's review screen shows moves with, in one cheap query: the
    application's row; its venue's and the venue's inventories' edit times (its own and
    the previous period's, beside which it is shown); the audit chain's length (every
    judgement, assignment and transition appends to it); the newest offset claim (a
    retirement spent on another claim changes an offset report), declaration of advice
    and accreditation, the latest withdrawal; and the day (an accreditation lapses at
    midnight). A product's footprint study never changes once made."""
    return (today, *db.session.execute(_REVIEW, {"application_id": application_id}).one())
