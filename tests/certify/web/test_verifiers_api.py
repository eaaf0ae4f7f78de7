"""Accrediting verification bodies, declarations of advice, and who may review whom."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from certify.services import verifiers
from footprint.accounts import organisations
from footprint.accounts.models import Organisation, User
from footprint.platform.db import db

BODY = "Hunan Low-Carbon Certification Centre 湖南省低碳认证中心"
PERIOD = {"valid_from": "2026-01-01", "valid_until": "2028-12-31"}


def conflict(app, verifier_email: str, client: str, day: date) -> str | None:
    with app.app_context():
        verifier = db.session.scalar(select(User).where(User.email == verifier_email))
        organisation = db.session.scalar(select(Organisation).where(Organisation.name == client))
        return verifiers.conflict(verifier, client=organisation, day=day)


def test_an_accredited_verifier_may_review_others_but_not_their_own_or_advised(app, client, auth):
    admin = auth("admin", "District")
    verifier = auth("verifier", BODY)
    auth("operator", "Tianmen Hotel")
    auth("operator", "Advised Hotel")
    accredited = client.post(
        "/api/v1/verifiers/accreditations",
        headers=admin,
        json={"organisation": BODY, "scope": "scenic areas", **PERIOD},
    )
    assert accredited.status_code == 201, accredited.json
    declared = client.post(
        "/api/v1/verifiers/declarations",
        headers=verifier,
        json={"client_organisation": "Advised Hotel", "note": "2025 audit"},
    )
    assert declared.status_code == 201
    email = "user1@example.com"  # the verifier created second by `auth`
    day = date(2026, 6, 1)
    assert conflict(app, email, "Tianmen Hotel", day) is None
    assert "own organisation" in conflict(app, email, BODY, day)
    assert "advised" in conflict(app, email, "Advised Hotel", day)
    assert "not accredited" in conflict(app, email, "Tianmen Hotel", date(2030, 1, 1))
    public = client.get("/api/v1/verifiers/accreditations").json
    assert public["items"][0]["organisation"] == BODY


def test_a_withdrawn_accreditation_ends_the_right_to_review(app, client, auth):
    admin = auth("admin", "District")
    auth("verifier", BODY)
    auth("operator", "Tianmen Hotel")
    accreditation = client.post(
        "/api/v1/verifiers/accreditations", headers=admin, json={"organisation": BODY, **PERIOD}
    ).json
    withdrawn = client.post(
        f"/api/v1/verifiers/accreditations/{accreditation['id']}/withdraw",
        headers=admin,
        json={"reason": "impartiality breach"},
    )
    assert withdrawn.status_code == 200 and withdrawn.json["withdrawal_reason"]
    assert "not accredited" in conflict(app, "user1@example.com", "Tianmen Hotel", date(2026, 6, 1))
    again = client.post(
        f"/api/v1/verifiers/accreditations/{accreditation['id']}/withdraw",
        headers=admin,
        json={"reason": "twice"},
    )
    assert again.status_code == 409


def test_only_admins_accredit_and_only_verifiers_declare(client, auth):
    operator = auth("operator", "Tianmen Hotel")
    assert (
        client.post(
            "/api/v1/verifiers/accreditations",
            headers=operator,
            json={"organisation": BODY, **PERIOD},
        ).status_code
        == 403
    )
    assert (
        client.post(
            "/api/v1/verifiers/declarations", headers=operator, json={"client_organisation": "X"}
        ).status_code
        == 403
    )
    admin = auth("admin", "District")
    backwards = client.post(
        "/api/v1/verifiers/accreditations",
        headers=admin,
        json={"organisation": BODY, "valid_from": "2027-01-01", "valid_until": "2026-01-01"},
    )
    assert backwards.status_code == 422 and "valid_until" in backwards.json["errors"]


def test_declaring_the_same_advice_twice_is_a_conflict(client, auth):
    verifier = auth("verifier", BODY)
    auth("operator", "Advised Hotel")  # clients are organisations that exist
    body = {"client_organisation": "Advised Hotel"}
    assert (
        client.post("/api/v1/verifiers/declarations", headers=verifier, json=body).status_code
        == 201
    )
    assert (
        client.post("/api/v1/verifiers/declarations", headers=verifier, json=body).status_code
        == 409
    )
    own = client.post(
        "/api/v1/verifiers/declarations", headers=verifier, json={"client_organisation": BODY}
    )
    assert own.status_code == 422


def test_a_declaration_naming_an_unknown_organisation_is_refused_and_creates_none(
    app, client, auth
):
    """Hole: a declaration of advice to a misspelt client created that organisation."""
    verifier = auth("verifier", BODY)
    declared = client.post(
        "/api/v1/verifiers/declarations",
        headers=verifier,
        json={"client_organisation": "Advisd Hotel", "note": "2025 audit"},
    )
    assert declared.status_code == 422, declared.json
    assert "client_organisation" in declared.json["errors"]
    with app.app_context():
        assert organisations.find("Advisd Hotel") is None
