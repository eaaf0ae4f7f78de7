"""Persistence of what the demo made: each record under the stable key the demo gives it
(``venue:<its name in demo.toml>``, ``claim:<venue>:<year>``, …), so that a later run of
``flask demo`` finds it whatever was renamed or spent since, and changes nothing."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from footprint.platform.db import db


class DemoRecord(db.Model):
    __tablename__ = "demo_records"

    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    record_id: Mapped[int]
