"""Where guide versions come from: the bundled files, then the versions the district
published through its pages — and publishing one.

Version 1 (and any version shipped with the code) is a file in ``guides/versions/``,
read by `guides.core`. A version the district publishes later is a row of
``guide_versions`` holding its document, so that every app node sees it the moment it
is committed, without a deployment. `load_guide` and `versions` know both sources, the
files first: every reader of the guide (the certification services, the guide's pages
and API) goes through them.

A published version never changes: a number that exists is refused, and the next
version is the latest plus one. Each is parsed once per process, by its checksum (a
database restored under a running process cannot then serve a stale parse).
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache

from sqlalchemy import ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from footprint.accounts.models import User
from footprint.platform import activity
from footprint.platform.db import db, insert_or_conflict, utcnow
from footprint.platform.problems import Problem, invalid
from guides import core
from guides.core import Guide, GuideError, parse_guide


class PublishedGuide(db.Model):
    """A guide version the district published; its document is the whole version."""

    __tablename__ = "guide_versions"

    version: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    title_zh: Mapped[str] = mapped_column(String(300))
    title_en: Mapped[str] = mapped_column(String(300))
    published_on: Mapped[date]
    """The date the document gives (``guide.published``)."""
    checksum: Mapped[str] = mapped_column(String(64))
    document: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


_parsed: dict[str, Guide] = {}


@cache
def _bundled() -> tuple[int, ...]:
    return core.versions()


def versions() -> tuple[int, ...]:
    """Every published version, oldest first: the bundled ones and the stored ones."""
    stored = db.session.scalars(select(PublishedGuide.version))
    return tuple(sorted({*_bundled(), *stored}))


def load_guide(version: int | None = None) -> Guide:
    """A published guide version, the latest when ``version`` is None; a GuideError
    (as `guides.core.load_guide` raises) for a version that does not exist."""
    known = versions()
    chosen = known[-1] if version is None else version
    if chosen in _bundled():
        return core.load_guide(chosen)
    row = db.session.execute(
        select(PublishedGuide.checksum, PublishedGuide.document).where(
            PublishedGuide.version == chosen
        )
    ).one_or_none()
    if row is None:
        raise GuideError(f"no guide version {chosen}; published: {', '.join(map(str, known))}")
    guide = _parsed.get(row.checksum)
    if guide is None:
        guide = _parsed[row.checksum] = parse_guide(row.document.encode("utf-8"))
    return guide


def candidate(document: bytes) -> Guide:
    """The version ``document`` would publish, checked: a well-formed guide (422 naming
    ``document`` with the parser's reason) numbered one after the latest (409)."""
    try:
        guide = parse_guide(document)
    except GuideError as error:
        raise invalid("document", str(error)) from error
    latest = versions()[-1]
    if guide.version <= latest:
        raise Problem(
            409,
            f"guide version {guide.version} is already published and cannot change: "
            f"number the new version {latest + 1}",
        )
    if guide.version != latest + 1:
        raise Problem(
            409, f"the next guide version is {latest + 1}, not {guide.version}: number it so"
        )
    return guide


def publish(admin: User, *, document: bytes) -> PublishedGuide:
    """Publish a new guide version (see `candidate` for what is refused)."""
    guide = candidate(document)
    record = PublishedGuide(
        version=guide.version,
        title_zh=guide.title_zh,
        title_en=guide.title_en,
        published_on=guide.published,
        checksum=guide.checksum,
        document=document.decode("utf-8"),
        published_by_id=admin.id,
    )
    insert_or_conflict(record, conflict=f"guide version {guide.version} is already published")
    activity.record(
        "guide.published", "guide_version", guide.version, admin.id, checksum=guide.checksum
    )
    db.session.commit()
    return record
