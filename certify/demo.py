"""`flask --app wsgi demo`: a realistic, idempotent demo built through the real services.

It publishes the bundled datasets, creates the organisations, users, venues and
inventories of ``demo.toml`` that it has not made yet, verifies the inventories marked
so, accredits the verification body, issues the forest-sink credits, retires what each
offset claim needs, and takes each certification application as far as ``demo.toml``
says (issued, or issued and then revoked), resuming one a previous run left half-way.
Every run ends by printing each certificate's verification URL alone on its own line.

What it made it finds again by stable keys of its own (`certify.models.demo`: users by
e-mail, the rest by what ``demo.toml`` calls them), never by display names: a second run
changes nothing, even after the demo's venues were renamed or its credits spent. A
claim the credits left cannot back is said and skipped, with the application that
needs it; the demo never stops `make run`. (A database the demo filled before it kept
keys is matched by names once, and its keys kept from then on.)

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
from typing import Any, TypeVar

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
from certify.models.demo import DemoRecord
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
Record = TypeVar("Record", bound=db.Model)


def _kept(
    key: str,
    model: type[Record],
    *,
    found: Callable[[], Record | None],
    made: Callable[[], Record | None],
) -> Record | None:
    """The record the demo keeps under ``key``; else the one ``found`` by the names of an
    earlier demo, or else the one ``made`` now (None: it could not be), kept under ``key``."""
    record = _keyed(key, model)
    if record is None:
        record = found() or made()
        if record is not None:
            db.session.merge(DemoRecord(key=key, record_id=record.id))
            db.session.commit()  # now: the registry's next write begins a transaction anew
    return record


def _keyed(key: str, model: type[Record]) -> Record | None:
    """The record the demo keeps under ``key``, if it made one."""
    kept = db.session.get(DemoRecord, key)
    return db.session.get(model, kept.record_id) if kept is not None else None


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


def _inventory_key(venue: str, offset: int, today: date) -> str:
    return f"inventory:{venue}:{_year(offset, today)}"


def _inventory(
    user: User, admin: User, venue: Venue, venue_key: str, spec: dict[str, Any], today: date
) -> None:
    start, end = _period(spec["year"], today)

    def made() -> Inventory:
        data = {
            **{k: v for k, v in spec.items() if k != "year"},
            "period_start": start,
            "period_end": end,
            "metrics": _decimals(spec.get("metrics", {})),
            "lines": [_decimals(line) for line in spec["lines"]],
        }
        inventory = inventories.create(user, venue_id=venue.id, data=data)
        click.echo(f"inventory {venue.name} {start}..{end}")
        return inventory

    inventory = _kept(
        _inventory_key(venue_key, spec["year"], today),
        Inventory,
        found=lambda: db.session.scalar(
            select(Inventory).where(
                Inventory.venue_id == venue.id,
                Inventory.period_start == start,
                Inventory.period_end == end,
            )
        ),
        made=made,
    )
    assert inventory is not None
    if spec.get("verify") and inventory.status != "verified":
        inventories.verify(admin, inventory_id=inventory.id)


def _inventory_of(venue: str, offset: int, today: date) -> Inventory:
    inventory = _keyed(_inventory_key(venue, offset, today), Inventory)
    assert inventory is not None, f"demo.toml: no inventory of {venue} for {offset}"
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
        code = project_spec["code"]
        _kept(
            f"project:{code}",
            Project,
            found=lambda code=code: db.session.scalar(select(Project).where(Project.code == code)),
            made=lambda project_spec=project_spec: _project(issuer, project_spec, today),
        )
    for claim in spec.get("claims", []):
        inventory = _inventory_of(claim["venue"], claim["year"], today)
        _kept(
            f"claim:{claim['venue']}:{_year(claim['year'], today)}",
            OffsetClaim,
            found=lambda inventory=inventory: db.session.scalar(
                select(OffsetClaim).where(OffsetClaim.inventory_id == inventory.id)
            ),
            made=lambda claim=claim, inventory=inventory: _claim(claim, inventory),
        )


def _project(issuer: User, spec: dict[str, Any], today: date) -> Project:
    data = {k: v for k, v in spec.items() if k != "issuances"}
    project = registry.create_project(issuer, data={**data, "area_ha": Decimal(data["area_ha"])})
    for issuance in spec["issuances"]:
        issued = registry.issue(
            issuer,
            project_id=project.id,
            vintage=_year(issuance["vintage"], today),
            quantity=issuance["quantity"],
            holder=issuance["holder"],
        )
        click.echo(f"issued {issued.quantity} credits of {project.code} {issued.vintage}")
    return project


def _claim(spec: dict[str, Any], inventory: Inventory) -> OffsetClaim | None:
    """Retire the credits ``inventory``'s residual needs from the operator's first holding
    and record the claim; None, said, when the holding is too small."""
    operator = _existing_user(spec["operator"])
    report, _ = offsets.assess(
        operator, inventory_id=inventory.id, retirement_ids=[], beneficiary=None
    )
    needed = math.ceil(report.required_tco2e)
    held = registry.holdings(operator.organisation_id, page=1, per_page=1)[0]
    if not held or held[0].number_end - held[0].number_start + 1 < needed:
        click.echo(
            f"skipped the offset claim of {inventory.venue.name} {inventory.period_start.year}:"
            f" not enough credits ({needed} needed in one holding)"
        )
        return None
    first = held[0]
    start, end = registry.serials_of(
        first.issuance, start=first.number_start, end=first.number_start + needed - 1
    )
    retirement = registry.retire(
        operator,
        serial_start=start,
        serial_end=end,
        beneficiary=inventory.venue.name,
        purpose=spec["purpose"].format(year=inventory.period_start.year),
    )
    recorded = offsets.record(
        operator, inventory_id=inventory.id, retirement_ids=[retirement.id], beneficiary=None
    )
    click.echo(f"retired {needed} credits for {inventory.venue.name}: offset claim {recorded.id}")
    return recorded


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

    def certificate(self, spec: dict[str, Any]) -> Certificate | Label | None:
        """The certificate of ``spec``'s application, made (or finished) if need be; None,
        said, without the offset claim it needs."""
        year = _year(spec["year"], self.today)
        inventory = _inventory_of(spec["venue"], spec["year"], self.today)
        operator = _existing_user(spec["operator"])
        claim = _keyed(f"claim:{spec['venue']}:{year}", OffsetClaim)
        if claim is None:
            click.echo(f"skipped the application of {spec['venue']} {year}: no offset claim")
            return None
        application = _kept(
            f"application:{spec['venue']}:{year}",
            Application,
            found=lambda: _latest_application(Application.inventory_id == inventory.id),
            made=lambda: applications.create(
                operator,
                data={
                    "inventory_id": inventory.id,
                    "retirement_ids": [r.retirement_id for r in claim.retirements],
                    "boundary": spec["boundary"],
                    "management_plan": _exact(spec["management_plan"]),
                },
            ),
        )
        assert application is not None
        return self._advance(application, operator, spec.get("revoke"), f"{spec['venue']} {year}")

    def label(self, spec: dict[str, Any]) -> Certificate | Label:
        """The label of ``spec``'s product footprint study, made (or finished) if need be."""
        year = _year(spec["year"], self.today)
        footprint = _keyed(f"footprint:{spec['product']}:{year}", ProductFootprint)
        assert footprint is not None, f"demo.toml: no footprint of {spec['product']} for {year}"
        operator = _existing_user(spec["operator"])
        application = _kept(
            f"label application:{spec['product']}:{year}",
            Application,
            found=lambda: _latest_application(Application.product_footprint_id == footprint.id),
            made=lambda: applications.create(operator, data={"product_footprint_id": footprint.id}),
        )
        assert application is not None
        return self._advance(application, operator, spec.get("revoke"), f"{spec['product']} {year}")


def _latest_application(subject: Any) -> Application | None:
    """The newest application for a subject (an earlier demo's, matched by its subject)."""
    return db.session.scalar(
        select(Application).where(subject).order_by(Application.id.desc()).limit(1)
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
    made = [certification.certificate(s) for s in spec["applications"]]
    made += [certification.label(s) for s in spec.get("labels", [])]
    for document in filter(None, made):
        attested = document.content["attestation"]["content"]
        period = attested["period"]
        click.echo(
            f"{documents.status(document, today=today)} {document.kind} {document.number}: "
            f"{attested['subject']['name']} {period['start']}..{period['end']}"
        )
        click.echo(documents.verification_url(document))


def _product(user: User, spec: dict[str, Any], today: date) -> None:
    """The product of ``spec`` and its footprint studies, unless the demo made them."""
    name = spec["name_zh"]

    def made() -> Product:
        fields = {k: v for k, v in spec.items() if k != "footprints"}
        product = products.create(
            user, data={**fields, "unit_mass_kg": Decimal(fields["unit_mass_kg"])}
        )
        click.echo(f"product {product.id}: {product.name_zh} {product.name_en}")
        return product

    product = _kept(
        f"product:{name}",
        Product,
        found=lambda: db.session.scalar(
            select(Product).where(
                Product.organisation_id == user.organisation_id, Product.name_zh == name
            )
        ),
        made=made,
    )
    assert product is not None
    for study in spec.get("footprints", []):
        start, end = _period(study["year"], today)
        _kept(
            f"footprint:{name}:{start.year}",
            ProductFootprint,
            found=lambda start=start: db.session.scalar(
                select(ProductFootprint).where(
                    ProductFootprint.product_id == product.id,
                    ProductFootprint.period_start == start,
                )
            ),
            made=lambda study=study, start=start, end=end: _footprint(
                user, product, study, start, end
            ),
        )


def _footprint(
    user: User, product: Product, study: dict[str, Any], start: date, end: date
) -> ProductFootprint:
    footprint = products.add_footprint(
        user,
        product_id=product.id,
        data={
            **{k: v for k, v in study.items() if k != "year"},
            "period_start": start,
            "period_end": end,
            "output_units": Decimal(study["output_units"]),
            "lines": [{**line, "quantity": Decimal(line["quantity"])} for line in study["lines"]],
        },
    )
    click.echo(f"footprint {footprint.id}: {product.name_zh} {start.year}")
    return footprint


def _venue(user: User, spec: dict[str, Any]) -> Venue:
    venue = venues.create(user, data={k: v for k, v in spec.items() if k != "inventories"})
    click.echo(f"venue {venue.id}: {venue.name} ({venue.kind})")
    return venue


def load_demo() -> None:
    today = date.today()
    datasets.publish_bundled()
    spec = tomllib.loads(DEMO.read_text(encoding="utf-8"))
    admin: User | None = None
    for organisation in spec["organisations"]:
        users = [_user(u["email"], u["role"], organisation["name"]) for u in organisation["users"]]
        admin = admin or next((u for u in users if u.role == Role.ADMIN), None)
        assert admin is not None, "demo.toml lists the admin's organisation first"
        if "accreditation" in organisation:
            _accredit(admin, organisation["name"], organisation["accreditation"], today)
        for venue_spec in organisation.get("venues", []):
            name = venue_spec["name"]
            venue = _kept(
                f"venue:{name}",
                Venue,
                found=lambda name=name: db.session.scalar(select(Venue).where(Venue.name == name)),
                made=lambda venue_spec=venue_spec, user=users[0]: _venue(user, venue_spec),
            )
            assert venue is not None
            for inventory in venue_spec.get("inventories", []):
                _inventory(users[0], admin, venue, name, inventory, today)
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
