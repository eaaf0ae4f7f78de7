"""Registry fixtures: an admin, a holder with an issuance of forest-sink credits."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from certify.core.signing import b64url_encode, sign_signing_input
from tests.certify.builders import (
    DISTRICT,
    HOLDER,
    LAST_YEAR,
    OPERATOR_ORG,
    PDF_FILE,
    PROJECT,
    SCENIC_AREA,
    STATEMENT,
    TEA,
    VERIFIER_ORG,
    application_body,
    inventory_body,
    make_user,
    tea_footprint_body,
)


@dataclass
class Registry:
    admin: dict[str, str]
    holder: dict[str, str]
    project_id: int
    issuance: dict


@pytest.fixture
def registry(client, auth) -> Registry:
    admin = auth("admin", "Wulingyuan District Carbon Office")
    holder = auth("operator", HOLDER)
    project = client.post("/api/v1/registry/projects", json=PROJECT, headers=admin)
    assert project.status_code == 201, project.json
    issuance = client.post(
        "/api/v1/registry/issuances",
        headers=admin,
        json={
            "project_id": project.json["id"],
            "vintage": 2023,
            "quantity": 100,
            "holder_org": HOLDER,
        },
    )
    assert issuance.status_code == 201, issuance.json
    return Registry(admin, holder, project.json["id"], issuance.json)


# --- certification: an operator's scenic area, its inventory and credits, a verifier -----


@dataclass
class Certification:
    """Everyone and everything an application needs, and shortcuts through the API."""

    client: object
    admin: dict[str, str]
    operator: dict[str, str]
    verifier: dict[str, str]
    verifier_email: str
    venue_id: int
    inventory_id: int
    retirement_ids: list[int]
    verifier_key: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)
    """The verifier's own private key, as their tool holds it: never the district's."""
    key_registered: bool = False

    def public_jwk(self, key: Ed25519PrivateKey | None = None) -> dict[str, str]:
        raw = (key or self.verifier_key).public_key().public_bytes_raw()
        return {"kty": "OKP", "crv": "Ed25519", "x": b64url_encode(raw)}

    def register_key(self, key: Ed25519PrivateKey | None = None):
        response = self.client.post(
            "/api/v1/verifiers/keys", json={"jwk": self.public_jwk(key)}, headers=self.verifier
        )
        self.key_registered = self.key_registered or response.status_code == 201
        return response

    def prepare(self, application_id: int, statement: dict | None = None):
        if not self.key_registered:
            assert self.register_key().status_code == 201
        return self.client.post(
            f"/api/v1/applications/{application_id}/sign-off",
            json={"statement": statement or STATEMENT},
            headers=self.verifier,
        )

    def sign_off(self, application_id: int, statement: dict | None = None):
        """Prepare the sign-off, sign it with the verifier's own key, approve with the JWS
        (the approval's response, or the refused preparation's)."""
        prepared = self.prepare(application_id, statement)
        if prepared.status_code != 200:
            return prepared
        jws = sign_signing_input(prepared.json["signing_input"], self.verifier_key)
        return self.act(application_id, "approve", self.verifier, jws=jws)

    def signed_off(self, application_id: int, statement: dict | None = None) -> dict:
        response = self.sign_off(application_id, statement)
        assert response.status_code == 200, response.json
        return response.json

    def apply(self, **changes: object) -> dict:
        body = {**application_body(self.inventory_id, self.retirement_ids), **changes}
        response = self.client.post("/api/v1/applications", json=body, headers=self.operator)
        assert response.status_code == 201, response.json
        return response.json

    def apply_for_label(self, footprint_id: int) -> dict:
        response = self.client.post(
            "/api/v1/applications",
            headers=self.operator,
            json={"product_footprint_id": footprint_id},
        )
        assert response.status_code == 201, response.json
        return response.json

    def act(self, application_id: int, action: str, headers: dict[str, str], **body: object):
        return self.client.post(
            f"/api/v1/applications/{application_id}/transitions",
            json={"action": action, **body},
            headers=headers,
        )

    def ok(self, application_id: int, action: str, headers: dict[str, str], **body: object) -> dict:
        response = self.act(application_id, action, headers, **body)
        assert response.status_code == 200, response.json
        return response.json

    def assign(self, application_id: int, email: str | None = None):
        return self.client.post(
            f"/api/v1/applications/{application_id}/assignment",
            json={"verifier": email or self.verifier_email},
            headers=self.admin,
        )

    def judge_all(self, application_id: int, outcome: str = "conforms") -> None:
        checklist = self.client.get(
            f"/api/v1/applications/{application_id}", headers=self.verifier
        ).json["checklist"]
        for line in checklist:
            if line["check"] == "judgement":
                response = self.client.put(
                    f"/api/v1/applications/{application_id}/criteria/{line['criterion_id']}",
                    json={"outcome": outcome, "findings": "Evidence seen."},
                    headers=self.verifier,
                )
                assert response.status_code == 200, response.json

    def attach(
        self,
        application_id: int,
        content: bytes = PDF_FILE,
        name: str = "electricity-2024.pdf",
        headers: dict[str, str] | None = None,
        **fields: str,
    ):
        """Attach a file of evidence through the API (multipart), as the operator."""
        return self.client.post(
            f"/api/v1/applications/{application_id}/evidence",
            data={
                "file": (io.BytesIO(content), name),
                "description": "Electricity bills 2024",
                **fields,
            },
            headers=self.operator if headers is None else headers,
        )

    def under_review(self, number: int | None = None) -> int:
        """An application (this draft, or a new one) submitted, assigned, in review and
        judged: ready to sign off."""
        number = self.apply()["id"] if number is None else number
        self.ok(number, "submit", self.operator)
        assert self.assign(number).status_code == 200
        self.ok(number, "start_review", self.verifier)
        self.judge_all(number)
        return number

    def approved(self) -> dict:
        return self.signed_off(self.under_review())

    def issued(self) -> dict:
        application = self.approved()
        return self.ok(application["id"], "issue", self.admin)


@pytest.fixture
def certification(app, client) -> Certification:
    admin = make_user(app, "admin", DISTRICT, "admin@district.example")
    operator = make_user(app, "operator", OPERATOR_ORG, "operator@wulingyuan.example")
    verifier_email = "auditor@hncvc.example"
    verifier = make_user(app, "verifier", VERIFIER_ORG, verifier_email)
    accredited = client.post(
        "/api/v1/verifiers/accreditations",
        headers=admin,
        json={
            "organisation": VERIFIER_ORG,
            "valid_from": f"{LAST_YEAR}-01-01",
            "valid_until": f"{LAST_YEAR + 3}-12-31",
            "scope": "ISO 14064-3",
        },
    )
    assert accredited.status_code == 201, accredited.json
    venue = client.post("/api/v1/venues", json=SCENIC_AREA, headers=operator)
    assert venue.status_code == 201, venue.json
    inventory = client.post(
        f"/api/v1/venues/{venue.json['id']}/inventories", json=inventory_body(), headers=operator
    )
    assert inventory.status_code == 201, inventory.json
    project = client.post(
        "/api/v1/registry/projects",
        headers=admin,
        json={**PROJECT, "code": "TZS01", "name": "Tianzishan 天子山碳汇"},
    )
    assert project.status_code == 201, project.json
    issuance = client.post(
        "/api/v1/registry/issuances",
        headers=admin,
        json={
            "project_id": project.json["id"],
            "vintage": LAST_YEAR,
            "quantity": 200,
            "holder_org": OPERATOR_ORG,
        },
    )
    assert issuance.status_code == 201, issuance.json
    retired = client.post(
        "/api/v1/registry/retirements",
        headers=operator,
        json={
            "serial_start": issuance.json["serial_start"],
            "serial_end": f"WLY-TZS01-{LAST_YEAR}-{60:09d}",
            "beneficiary": SCENIC_AREA["name"],
            "purpose": f"Carbon neutrality {LAST_YEAR}",
        },
    )
    assert retired.status_code == 201, retired.json
    return Certification(
        client,
        admin,
        operator,
        verifier,
        verifier_email,
        venue.json["id"],
        inventory.json["id"],
        [retired.json["id"]],
    )


@pytest.fixture
def issued(certification: Certification) -> dict:
    """The application, issued."""
    return certification.issued()


@pytest.fixture
def certificate(client, issued: dict) -> dict:
    """The issued application's certificate, as the API shows it."""
    response = client.get(f"/api/v1/certificates/{issued['certificate_id']}")
    assert response.status_code == 200, response.json
    return response.json


# --- a tea maker's product, its footprint study, and a label --------------------------


@dataclass
class Labelling:
    certification: Certification
    product_id: int
    footprint: dict

    def issued(self) -> dict:
        c = self.certification
        application = c.apply_for_label(self.footprint["id"])
        number = application["id"]
        c.ok(number, "submit", c.operator)
        assert c.assign(number).status_code == 200
        c.ok(number, "start_review", c.verifier)
        c.judge_all(number)
        c.signed_off(number)
        return c.ok(number, "issue", c.admin)


@pytest.fixture
def labelling(client, certification) -> Labelling:
    c = certification
    product = client.post("/api/v1/products", json=TEA, headers=c.operator)
    assert product.status_code == 201, product.json
    footprint = client.post(
        f"/api/v1/products/{product.json['id']}/footprints",
        json=tea_footprint_body(),
        headers=c.operator,
    )
    assert footprint.status_code == 201, footprint.json
    return Labelling(c, product.json["id"], footprint.json)
