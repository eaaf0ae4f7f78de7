"""`flask --app wsgi demo`: a realistic, idempotent demo built through the real services.

It publishes the bundled datasets, creates the organisations, users, venues and
inventories of ``demo.toml`` that do not exist yet (matched by e-mail, name and
period), verifies the inventories marked so, issues the forest-sink credits, and
retires what the scenic area's offset claim needs.
"""

from __future__ import annotations

import math
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from certify.models import OffsetClaim, Project
from certify.services import offsets, registry
from footprint.models import Inventory, Venue
from footprint.service.accounts import Role, User, create_user
from footprint.service.db import db
from footprint.services import datasets, inventories, venues

DEMO = Path(__file__).with_name("demo.toml")


def _decimals(mapping: dict[str, Any]) -> dict[str, Any]:
    return {k: Decimal(v) if k in ("quantity", "visitors", "room_nights", "rides") else v
            for k, v in mapping.items()}


def _user(email: str, role: str, organisation: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user, token = create_user(email, Role(role), organisation)
        click.echo(f"{role} {email}: API token {token} (shown once)")
    return user


def _inventory(user: User, admin: User, venue: Venue, spec: dict[str, Any]) -> None:
    existing = db.session.scalar(select(Inventory).where(
        Inventory.venue_id == venue.id, Inventory.period_start == spec["period_start"],
        Inventory.period_end == spec["period_end"]))
    if existing is None:
        data = {**spec, "metrics": _decimals(spec.get("metrics", {})),
                "lines": [_decimals(line) for line in spec["lines"]]}
        existing = inventories.create(user, venue.id, data)
        click.echo(f"inventory {venue.name} {spec['period_start']}..{spec['period_end']}")
    if spec.get("verify") and existing.status != "verified":
        inventories.verify(admin, existing.id)


def _registry(spec: dict[str, Any]) -> None:
    """Projects, issuances, and offset claims backed by exactly the credits they need."""
    issuer = _existing_user(spec["issuer"])
    for project_spec in spec.get("projects", []):
        project = db.session.scalar(select(Project).where(Project.code == project_spec["code"]))
        if project is not None:
            continue
        data = {k: v for k, v in project_spec.items() if k != "issuances"}
        project = registry.create_project(issuer, {**data, "area_ha": Decimal(data["area_ha"])})
        for issuance in project_spec["issuances"]:
            issued = registry.issue(issuer, project.id, issuance["vintage"],
                                    issuance["quantity"], issuance["holder"])
            click.echo(f"issued {issued.quantity} credits of {project.code} {issued.vintage}")
    for claim in spec.get("claims", []):
        operator = _existing_user(claim["operator"])
        inventory = db.session.scalar(select(Inventory).join(Venue).where(
            Venue.name == claim["venue"], Inventory.period_start == claim["period_start"]))
        assert inventory is not None, f"demo.toml: no inventory for {claim['venue']}"
        if db.session.scalar(select(OffsetClaim.id).where(
                OffsetClaim.inventory_id == inventory.id)) is not None:
            continue
        report, _ = offsets.assess(operator, inventory.id, [], None)
        needed = math.ceil(report.required_tco2e)
        holding = registry.holdings(operator.organisation_id, 1, 1)[0][0]
        start, _ = registry.serials_of(holding.issuance, holding.number_start,
                                       holding.number_start)
        _, end = registry.serials_of(holding.issuance, holding.number_start + needed - 1,
                                     holding.number_start + needed - 1)
        retirement = registry.retire(operator, start, end, inventory.venue.name,
                                     claim["purpose"])
        recorded = offsets.record(operator, inventory.id, [retirement.id], None)
        click.echo(f"retired {needed} credits for {inventory.venue.name}: "
                   f"offset claim {recorded.id}")


def _existing_user(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    assert user is not None, f"demo.toml names an unknown user {email}"
    return user


def load_demo() -> None:
    for path in datasets.bundled_documents():
        datasets.load(path.read_bytes(), publish=True)
    spec = tomllib.loads(DEMO.read_text(encoding="utf-8"))
    admin: User | None = None
    for organisation in spec["organisations"]:
        users = [_user(u["email"], u["role"], organisation["name"])
                 for u in organisation["users"]]
        admin = admin or next((u for u in users if u.role == Role.ADMIN), None)
        for venue_spec in organisation.get("venues", []):
            venue = db.session.scalar(select(Venue).where(Venue.name == venue_spec["name"]))
            if venue is None:
                fields = {k: v for k, v in venue_spec.items() if k != "inventories"}
                venue = venues.create(users[0], fields)
                click.echo(f"venue {venue.id}: {venue.name} ({venue.kind})")
            assert admin is not None, "demo.toml lists the admin's organisation first"
            for inventory in venue_spec.get("inventories", []):
                _inventory(users[0], admin, venue, inventory)
    _registry(spec["registry"])


@click.command("demo")
@with_appcontext
def demo() -> None:
    """Load the demo (idempotent): venues with verified inventories."""
    load_demo()
    click.echo("demo ready")
