"""The district's forest as the registry knows it: the verified sequestration of its
forest-sink projects — credits issued per hectare and year — which trips measure their
plain-language forest equivalent against where an edition's rules say so
(`footprint.services.forest_sinks`; it never feeds a credit quantity).

A project counts when its type is one the current guide accepts for offsetting (the
forest-sink types) and it states its area. Each vintage is a year of sequestration
verified on that area, so the rate is the projects' credits over their hectare-years:
Σ credits / Σ (area × vintages issued), an issuance's whole verified quantity counted
(the buffer pool's share is withheld from it, not from the sequestration).
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import distinct, func, select

from certify.models.registry import Issuance, Project
from footprint.core.trips import ForestSink
from footprint.platform.db import db
from guides.store import load_guide


def verified_sink() -> ForestSink | None:
    """The forest-sink projects' sequestration per hectare-year, with its basis; None
    while no such project with an area has an issuance."""
    types = load_guide().offsets.eligible_project_types
    rows = db.session.execute(
        select(
            Project.code,
            Project.area_ha,
            func.count(distinct(Issuance.vintage)),
            func.sum(Issuance.quantity),
        )
        .join(Issuance, Issuance.project_id == Project.id)
        .where(Project.project_type.in_(types), Project.area_ha > 0)
        .group_by(Project.id, Project.code, Project.area_ha)
        .order_by(Project.code)
    ).all()
    if not rows:
        return None
    credits = sum((Decimal(row[3]) for row in rows), Decimal(0))
    hectare_years = sum((Decimal(row[1]) * row[2] for row in rows), Decimal(0))
    codes = ", ".join(row[0] for row in rows)
    return ForestSink(
        credits / hectare_years,
        f"verified sequestration of the district's forest-sink projects ({codes}) in the "
        f"registry: {credits} tCO2 of credits issued over {hectare_years.normalize():f} "
        "hectare-years",
    )
