"""`flask --app wsgi demo`: a realistic, idempotent demo built through the real services.

It publishes the bundled datasets, creates the organisations, users, venues and
inventories of ``demo.toml`` that do not exist yet (matched by e-mail, name and
period), verifies the inventories marked so, accredits the verification body, issues
the forest-sink credits, retires what each offset claim needs, and takes each
certification application as far as ``demo.toml`` says (issued, or issued and then
revoked), resuming one a previous run left half-way. Every run ends by printing each
certificate's verification URL alone on its own line.

The demo verifier signs off as a verifier's own tool would: with an Ed25519 key of
their own, kept in a file beside the key store (``DEMO_VERIFIER_KEY``, default
``demo-verifier-key.pem`` next to ``KEY_STORE``) and never in it. Its public JWK is
registered; each sign-off is prepared by the service, signed with that key, and
approved with the detached JWS.

Years in ``demo.toml`` are relative to the year the demo runs (see its header), so that
the credits it retires today always qualify for the periods it certifies.
"""

from __future__ import annotations

import math
import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import click
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from certify.core.signing import b64url_encode, sign_signing_input, thumbprint
from certify.core.workflow import Action, State
from certify.models.applications import Application
from certify.models.documents import Certificate, Label
from certify.models.offsets import OffsetClaim
from certify.models.registry import Project
from certify.services import (
    applications,
    checklists,
    documents,
    offsets,
    registry,
    verifier_keys,
    verifiers,
)
from footprint.accounts import organisations
from footprint.accounts.models import Role, User
from footprint.accounts.users import create_user
from footprint.models import Inventory, Product, ProductFootprint, Venue
from footprint.platform.db import db
from footprint.services import datasets, inventories, products, venues

DEMO = Path(__file__).with_name("demo.toml")

Step = Callable[[int], Application]
"""One step of the certification workflow, given the application's id."""


def _year(offset: int, today: date) -> int:
    """The absolute year of a relative ``year``/``vintage`` of ``demo.toml``."""
    return today.year + offset


def _period(offset: int, today: date) -> tuple[date, date]:
    """The calendar year ``offset`` years from ``today``'s: its first and last day."""
    year = _year(offset, today)
    return date(year, 1, 1), date(year, 12, 31)


def _decimals(mapping: dict[str, Any]) -> dict[str, Any]:
    return {
        k: Decimal(v) if k in ("quantity", "visitors", "room_nights", "rides") else v
        for k, v in mapping.items()
    }


QUANTITIES = frozenset({"tco2e", "reduction_percent", "estimated_tco2e"})
"""The quantities of a management plan, which the services take as exact decimals."""


def _exact(value: Any) -> Any:
    """``value`` with the quantities of a plan, wherever they are, as Decimals (TOML gives
    ints and floats), as the API's schema hands them to the services."""
    if isinstance(value, dict):
        return {k: Decimal(str(v)) if k in QUANTITIES else _exact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_exact(item) for item in value]
    return value


def _user(email: str, role: str, organisation: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user, token = create_user(email, role=Role(role), organisation_name=organisation)
        click.echo(f"{role} {email}: API token {token} (shown once)")
    return user


def _existing_user(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    assert user is not None, f"demo.toml names an unknown user {email}"
    return user


def _inventory(user: User, admin: User, venue: Venue, spec: dict[str, Any], today: date) -> None:
    start, end = _period(spec["year"], today)
    existing = db.session.scalar(
        select(Inventory).where(
            Inventory.venue_id == venue.id,
            Inventory.period_start == start,
            Inventory.period_end == end,
        )
    )
    if existing is None:
        data = {
            **{k: v for k, v in spec.items() if k != "year"},
            "period_start": start,
            "period_end": end,
            "metrics": _decimals(spec.get("metrics", {})),
            "lines": [_decimals(line) for line in spec["lines"]],
        }
        existing = inventories.create(user, venue_id=venue.id, data=data)
        click.echo(f"inventory {venue.name} {start}..{end}")
    if spec.get("verify") and existing.status != "verified":
        inventories.verify(admin, inventory_id=existing.id)


def _inventory_of(venue_name: str, offset: int, today: date) -> Inventory:
    start, _ = _period(offset, today)
    inventory = db.session.scalar(
        select(Inventory)
        .join(Venue)
        .where(Venue.name == venue_name, Inventory.period_start == start)
    )
    assert inventory is not None, f"demo.toml: no inventory of {venue_name} for {start.year}"
    return inventory


def _accredit(admin: User, organisation: str, spec: dict[str, Any], today: date) -> None:
    """Accredit ``organisation`` unless it already is on ``today``."""
    accredited = organisations.named_or_created(organisation)
    if verifiers.accredited_on(accredited.id, day=today) is not None:
        return
    valid_from = _period(spec["from_year"], today)[0]
    valid_until = _period(spec["until_year"], today)[1]
    verifiers.accredit(
        admin,
        data={
            "organisation": organisation,
            "scope": spec["scope"],
            "valid_from": valid_from,
            "valid_until": valid_until,
        },
    )
    click.echo(f"accredited {organisation} {valid_from}..{valid_until}")


def _registry(spec: dict[str, Any], today: date) -> None:
    """Projects, issuances, and offset claims backed by exactly the credits they need."""
    issuer = _existing_user(spec["issuer"])
    for project_spec in spec.get("projects", []):
        project = db.session.scalar(select(Project).where(Project.code == project_spec["code"]))
        if project is not None:
            continue
        data = {k: v for k, v in project_spec.items() if k != "issuances"}
        project = registry.create_project(
            issuer, data={**data, "area_ha": Decimal(data["area_ha"])}
        )
        for issuance in project_spec["issuances"]:
            issued = registry.issue(
                issuer,
                project_id=project.id,
                vintage=_year(issuance["vintage"], today),
                quantity=issuance["quantity"],
                holder=issuance["holder"],
            )
            click.echo(f"issued {issued.quantity} credits of {project.code} {issued.vintage}")
    for claim in spec.get("claims", []):
        operator = _existing_user(claim["operator"])
        inventory = _inventory_of(claim["venue"], claim["year"], today)
        if (
            db.session.scalar(
                select(OffsetClaim.id).where(OffsetClaim.inventory_id == inventory.id)
            )
            is not None
        ):
            continue
        report, _ = offsets.assess(
            operator, inventory_id=inventory.id, retirement_ids=[], beneficiary=None
        )
        needed = math.ceil(report.required_tco2e)
        holding = registry.holdings(operator.organisation_id, page=1, per_page=1)[0][0]
        start, _ = registry.serials_of(
            holding.issuance, start=holding.number_start, end=holding.number_start
        )
        _, end = registry.serials_of(
            holding.issuance,
            start=holding.number_start + needed - 1,
            end=holding.number_start + needed - 1,
        )
        retirement = registry.retire(
            operator,
            serial_start=start,
            serial_end=end,
            beneficiary=inventory.venue.name,
            purpose=claim["purpose"].format(year=inventory.period_start.year),
        )
        recorded = offsets.record(
            operator, inventory_id=inventory.id, retirement_ids=[retirement.id], beneficiary=None
        )
        click.echo(
            f"retired {needed} credits for {inventory.venue.name}: offset claim {recorded.id}"
        )


def _verifier_key_file() -> Path:
    configured = current_app.config.get("DEMO_VERIFIER_KEY")
    if configured:
        return Path(configured)
    return Path(current_app.config["KEY_STORE"]).parent / "demo-verifier-key.pem"


def _verifier_private_key() -> Ed25519PrivateKey:
    """The demo verifier's own private key, from its file (made, readable by the owner
    only, on the first run): the district's key store never holds it."""
    path = _verifier_key_file()
    if path.exists():
        key = load_pem_private_key(path.read_bytes(), password=None)
        assert isinstance(key, Ed25519PrivateKey), f"{path} holds no Ed25519 key"
        return key
    key = Ed25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(pem)
    click.echo(f"demo verifier key: {path}")
    return key


def _registered(verifier: User, key: Ed25519PrivateKey) -> None:
    """Register ``key``'s public JWK as the verifier's active key, unless it is."""
    active = verifier_keys.active(user=verifier)
    if active is None or active.kid != thumbprint(key.public_key()):
        raw = key.public_key().public_bytes_raw()
        verifier_keys.register(
            user=verifier,
            jwk={"kty": "OKP", "crv": "Ed25519", "x": b64url_encode(raw)},
            through="api",
        )


@dataclass(frozen=True)
class _Certification:
    """Who takes an application through the workflow on ``today``, and what the verifier
    finds and states."""

    admin: User
    verifier: User
    findings: str
    statement: dict[str, Any]
    today: date

    def _review(self, application_id: int) -> Application:
        application = applications.get(self.admin, application_id=application_id)
        if application.verifier_id != self.verifier.id:
            applications.assign(
                self.admin,
                application_id=application_id,
                email=self.verifier.email,
                today=self.today,
            )
        return applications.act(
            self.verifier,
            application_id=application_id,
            action=Action.START_REVIEW,
            today=self.today,
        )

    def _approve(self, application_id: int) -> Application:
        application = applications.get(self.verifier, application_id=application_id)
        for line in checklists.current(application).lines:
            if not line.criterion.automatic and line.outcome is None:
                applications.judge(
                    self.verifier,
                    application_id=application_id,
                    criterion_id=line.criterion.id,
                    outcome="conforms",
                    findings=self.findings,
                    today=self.today,
                )
        key = _verifier_private_key()
        _registered(self.verifier, key)
        request = applications.prepare_sign_off(
            self.verifier,
            application_id=application_id,
            statement=self.statement,
            today=self.today,
        )
        return applications.act(
            self.verifier,
            application_id=application_id,
            action=Action.APPROVE,
            today=self.today,
            jws=sign_signing_input(request["signing_input"], key),
        )

    def steps(self, operator: User, revoke: str | None) -> dict[str, Step]:
        """The next step from each state on the way to issued (and revoked, if asked)."""
        steps: dict[str, Step] = {
            State.DRAFT: lambda i: applications.act(
                operator, application_id=i, action=Action.SUBMIT, today=self.today
            ),
            State.SUBMITTED: self._review,
            State.IN_REVIEW: self._approve,
            State.APPROVED: lambda i: applications.act(
                self.admin, application_id=i, action=Action.ISSUE, today=self.today
            ),
        }
        if revoke is not None:
            steps[State.ISSUED] = lambda i: applications.act(
                self.admin, application_id=i, action=Action.REVOKE, today=self.today, reason=revoke
            )
        return steps

    def _advance(
        self, application: Application, operator: User, revoke: str | None, what: str
    ) -> Certificate | Label:
        """Take ``application`` as far as the demo wants it; its document."""
        steps = self.steps(operator, revoke)
        state = application.state
        while (step := steps.get(application.state)) is not None:
            application = step(application.id)
        if application.state != state:
            click.echo(f"application {application.id} {what}: {application.state}")
        document = applications.document_of(application)
        assert document is not None, f"application {application.id} has no document"
        return document

    def certificate(self, spec: dict[str, Any]) -> Certificate | Label:
        """The certificate of ``spec``'s application, made (or finished) if need be."""
        inventory = _inventory_of(spec["venue"], spec["year"], self.today)
        operator = _existing_user(spec["operator"])
        application = db.session.scalar(
            select(Application)
            .where(Application.inventory_id == inventory.id)
            .order_by(Application.id.desc())
            .limit(1)
        )
        if application is None:
            claim = db.session.scalar(
                select(OffsetClaim).where(OffsetClaim.inventory_id == inventory.id)
            )
            assert claim is not None, f"demo.toml: no registry claim for {spec['venue']}"
            application = applications.create(
                operator,
                data={
                    "inventory_id": inventory.id,
                    "retirement_ids": [r.retirement_id for r in claim.retirements],
                    "boundary": spec["boundary"],
                    "management_plan": _exact(spec["management_plan"]),
                },
            )
        return self._advance(
            application,
            operator,
            spec.get("revoke"),
            f"{spec['venue']} {inventory.period_start.year}",
        )

    def label(self, spec: dict[str, Any]) -> Certificate | Label:
        """The label of ``spec``'s product footprint study, made (or finished) if need be."""
        footprint = _footprint_of(spec["product"], spec["year"], self.today)
        operator = _existing_user(spec["operator"])
        application = db.session.scalar(
            select(Application)
            .where(Application.product_footprint_id == footprint.id)
            .order_by(Application.id.desc())
            .limit(1)
        )
        if application is None:
            application = applications.create(operator, data={"product_footprint_id": footprint.id})
        return self._advance(
            application,
            operator,
            spec.get("revoke"),
            f"{spec['product']} {footprint.period_start.year}",
        )


def _certify(spec: dict[str, Any], today: date) -> None:
    """Certify and label what ``spec`` lists; print each document's verification URL."""
    certification = _Certification(
        _existing_user(spec["admin"]),
        _existing_user(spec["verifier"]),
        spec["findings"],
        spec["statement"],
        today,
    )
    documents_made = [certification.certificate(s) for s in spec["applications"]]
    documents_made += [certification.label(s) for s in spec.get("labels", [])]
    for document in documents_made:
        attested = document.content["attestation"]["content"]
        period = attested["period"]
        click.echo(
            f"{documents.status(document, today=today)} {document.kind} {document.number}: "
            f"{attested['subject']['name']} {period['start']}..{period['end']}"
        )
        click.echo(documents.verification_url(document))


def _product(user: User, spec: dict[str, Any], today: date) -> None:
    """The product of ``spec`` and its footprint studies, unless they exist."""
    product = db.session.scalar(
        select(Product).where(
            Product.organisation_id == user.organisation_id, Product.name_zh == spec["name_zh"]
        )
    )
    if product is None:
        fields = {k: v for k, v in spec.items() if k != "footprints"}
        product = products.create(
            user, data={**fields, "unit_mass_kg": Decimal(fields["unit_mass_kg"])}
        )
        click.echo(f"product {product.id}: {product.name_zh} {product.name_en}")
    for study in spec.get("footprints", []):
        start, end = _period(study["year"], today)
        if (
            db.session.scalar(
                select(ProductFootprint.id).where(
                    ProductFootprint.product_id == product.id,
                    ProductFootprint.period_start == start,
                )
            )
            is not None
        ):
            continue
        footprint = products.add_footprint(
            user,
            product_id=product.id,
            data={
                **{k: v for k, v in study.items() if k != "year"},
                "period_start": start,
                "period_end": end,
                "output_units": Decimal(study["output_units"]),
                "lines": [
                    {**line, "quantity": Decimal(line["quantity"])} for line in study["lines"]
                ],
            },
        )
        click.echo(f"footprint {footprint.id}: {product.name_zh} {start.year}")


def _footprint_of(product_name: str, offset: int, today: date) -> ProductFootprint:
    start, _ = _period(offset, today)
    footprint = db.session.scalar(
        select(ProductFootprint)
        .join(Product)
        .where(Product.name_zh == product_name, ProductFootprint.period_start == start)
    )
    assert footprint is not None, f"demo.toml: no footprint of {product_name} for {start.year}"
    return footprint


def load_demo() -> None:
    today = date.today()
    for path in datasets.bundled_documents():
        datasets.load(path.read_bytes(), publish=True)
    spec = tomllib.loads(DEMO.read_text(encoding="utf-8"))
    admin: User | None = None
    for organisation in spec["organisations"]:
        users = [_user(u["email"], u["role"], organisation["name"]) for u in organisation["users"]]
        admin = admin or next((u for u in users if u.role == Role.ADMIN), None)
        assert admin is not None, "demo.toml lists the admin's organisation first"
        if "accreditation" in organisation:
            _accredit(admin, organisation["name"], organisation["accreditation"], today)
        for venue_spec in organisation.get("venues", []):
            venue = db.session.scalar(select(Venue).where(Venue.name == venue_spec["name"]))
            if venue is None:
                fields = {k: v for k, v in venue_spec.items() if k != "inventories"}
                venue = venues.create(users[0], data=fields)
                click.echo(f"venue {venue.id}: {venue.name} ({venue.kind})")
            for inventory in venue_spec.get("inventories", []):
                _inventory(users[0], admin, venue, inventory, today)
        for product_spec in organisation.get("products", []):
            _product(users[0], product_spec, today)
    _registry(spec["registry"], today)
    _certify(spec["certification"], today)


@click.command("demo")
@with_appcontext
def demo() -> None:
    """Load the demo (idempotent): venues, inventories, a product, credits, certificates
    and a label."""
    load_demo()
    click.echo("demo ready")
