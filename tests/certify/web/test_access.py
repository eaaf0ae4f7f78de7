"""The access table walked endpoint by endpoint, from the OpenAPI document: a new
endpoint without a row here fails `test_every_operation_has_a_row`.

Rows say who may call an operation: ``public`` (no token), ``token`` (any signed-in
caller, for their own things), ``admin``, or a record kind whose readers are
`footprint.accounts.access`'s: its organisation's operators, the verifier an
application about it is assigned to, and admins. Reads are walked for every caller:
anonymous, the owner, another organisation's operator, an unassigned verifier, the
assigned verifier and an admin. Writes say their roles for the README's table; their
refusals are tested with each feature.
"""

from __future__ import annotations

import re

import pytest

from tests.certify.builders import make_user

READS = {
    "/api/v1/applications": "list:application",
    "/api/v1/applications/{application_id}": "application",
    "/api/v1/applications/{application_id}/audit": "application",
    "/api/v1/applications/{application_id}/evidence": "application",
    "/api/v1/applications/{application_id}/evidence/{evidence_id}": "application",
    "/api/v1/venues": "list:venue",
    "/api/v1/venues/{venue_id}": "venue",
    "/api/v1/venues/{venue_id}/inventories": "venue",
    "/api/v1/inventories/{inventory_id}": "inventory",
    "/api/v1/products": "list:product",
    "/api/v1/products/{product_id}": "product",
    "/api/v1/products/footprints/{footprint_id}": "product_footprint",
    "/api/v1/offsets/claims/{claim_id}": "offset_claim",
    "/api/v1/registry/holdings": "token",
    "/api/v1/registry/transfers": "token",
    "/api/v1/tokens": "token",
    "/api/v1/registry/ledger": "admin",
    "/api/v1/labels/{label_id}/sheets": "label",  # walked in test_label_sheets.py
    **{
        path: "public"
        for path in (
            "/api/v1/certificates",
            "/api/v1/certificates/{certificate_id}",
            "/api/v1/certificates/{certificate_id}/pdf",
            "/api/v1/factors/datasets",
            "/api/v1/factors/datasets/{code}",
            "/api/v1/factors/datasets/{code}/factors",
            "/api/v1/guides",
            "/api/v1/places",
            "/api/v1/guides/{version}",
            "/api/v1/keys",
            "/api/v1/keys/verifiers",
            "/api/v1/labels",
            "/api/v1/labels/{label_id}",
            "/api/v1/labels/{label_id}/pdf",
            "/api/v1/registry/issuances",
            "/api/v1/registry/issuances/{issuance_id}",
            "/api/v1/registry/projects",
            "/api/v1/registry/projects/{project_id}",
            "/api/v1/registry/retirements",
            "/api/v1/registry/retirements/{retirement_id}",
            "/api/v1/registry/serials/{serial}",
            "/api/v1/registry/standards",
            "/api/v1/verifiers/accreditations",
            "/api/v1/verify/{token}",
            "/api/v1/status-list",
            "/api/v1/open-data/datapackage.json",
            "/api/v1/open-data/datapackage.json.jws",
            "/api/v1/open-data/documents.csv",
            "/api/v1/open-data/retirements.csv",
            "/api/v1/open-data/inventories.csv",
            "/api/v1/open-data/progress.csv",
        )
    },
}
WRITES = {
    ("POST", "/api/v1/applications"): "operator",
    ("PATCH", "/api/v1/applications/{application_id}"): "operator",
    ("POST", "/api/v1/applications/{application_id}/assignment"): "admin",
    ("PUT", "/api/v1/applications/{application_id}/criteria/{criterion_id}"): "verifier",
    ("POST", "/api/v1/applications/{application_id}/renewals"): "operator",
    ("POST", "/api/v1/applications/{application_id}/evidence"): "operator",
    ("DELETE", "/api/v1/applications/{application_id}/evidence/{evidence_id}"): "operator",
    ("POST", "/api/v1/applications/{application_id}/transitions"): "operator, verifier, admin",
    ("POST", "/api/v1/footprints/trips"): "public",
    ("PUT", "/api/v1/inventories/{inventory_id}"): "operator, admin",
    ("POST", "/api/v1/inventories/{inventory_id}/verify"): "admin",
    ("POST", "/api/v1/offsets/claims"): "operator, admin",
    ("POST", "/api/v1/offsets/reports"): "operator, verifier, admin",
    ("POST", "/api/v1/products"): "operator",
    ("POST", "/api/v1/products/{product_id}/footprints"): "operator",
    ("POST", "/api/v1/registry/imports"): "admin",
    ("POST", "/api/v1/registry/issuances"): "admin",
    ("POST", "/api/v1/registry/projects"): "admin",
    ("POST", "/api/v1/registry/retirements"): "operator, admin",
    ("POST", "/api/v1/registry/transfers"): "operator, admin",
    ("POST", "/api/v1/tokens"): "token",
    ("DELETE", "/api/v1/tokens/{token_id}"): "token",
    ("POST", "/api/v1/venues"): "operator, admin",
    ("PATCH", "/api/v1/venues/{venue_id}"): "operator, admin",
    ("POST", "/api/v1/venues/{venue_id}/inventories"): "operator, admin",
    ("POST", "/api/v1/verifiers/accreditations"): "admin",
    ("POST", "/api/v1/verifiers/accreditations/{accreditation_id}/withdraw"): "admin",
    ("POST", "/api/v1/verifiers/declarations"): "verifier",
    ("POST", "/api/v1/verifiers/keys"): "verifier",
    ("GET", "/api/v1/verifiers/keys"): "verifier",
    ("POST", "/api/v1/applications/{application_id}/sign-off"): "verifier",
}
CALLERS = ("anonymous", "owner", "other_operator", "unassigned_verifier", "verifier", "admin")
READERS = {
    "public": set(CALLERS),
    "token": set(CALLERS) - {"anonymous"},
    "admin": {"admin"},
    "record": {"owner", "verifier", "admin"},
}


def operations(client) -> set[tuple[str, str]]:
    spec = client.get("/api/openapi.json").json
    return {
        (method.upper(), path)
        for path, item in spec["paths"].items()
        for method in item
        if method in ("get", "put", "post", "patch", "delete")
    }


def test_every_operation_has_a_row(client):
    table = {("GET", path) for path in READS} | set(WRITES)
    assert operations(client) == table


@pytest.fixture
def world(app, client, labelling):
    """Records of one organisation, with an application about each assigned to a verifier;
    and callers of every kind."""
    c = labelling.certification
    certificate_application = c.apply()
    label_application = c.apply_for_label(labelling.footprint["id"])
    attached = c.attach(certificate_application["id"])
    assert attached.status_code == 201, attached.json
    for application in (certificate_application, label_application):
        c.ok(application["id"], "submit", c.operator)
        assert c.assign(application["id"]).status_code == 200
    claim = client.post(
        "/api/v1/offsets/claims",
        headers=c.operator,
        json={"inventory_id": c.inventory_id, "retirement_ids": c.retirement_ids},
    )
    assert claim.status_code == 201, claim.json
    callers = {
        "anonymous": {},
        "owner": c.operator,
        "other_operator": make_user(app, "operator", "Tianmen Tea Co.", "rival@tea.example"),
        "unassigned_verifier": make_user(
            app, "verifier", "Another Verifier Ltd.", "other@verifier.example"
        ),
        "verifier": c.verifier,
        "admin": c.admin,
    }
    ids = {
        "application_id": certificate_application["id"],
        "venue_id": c.venue_id,
        "inventory_id": c.inventory_id,
        "product_id": labelling.product_id,
        "footprint_id": labelling.footprint["id"],
        "claim_id": claim.json["id"],
        "evidence_id": attached.json["id"],
    }
    return callers, ids


def test_reads_are_as_the_access_table_says(client, world):
    callers, ids = world
    for path, rule in READS.items():
        if rule in ("public", "label") or rule.startswith("list:"):
            continue
        readers = READERS.get(rule, READERS["record"])
        url = re.sub(r"{(\w+)}", lambda m: str(ids[m.group(1)]), path)
        for caller, headers in callers.items():
            status = client.get(url, headers=headers).status_code
            expected = 200 if caller in readers else (401 if caller == "anonymous" else 403)
            assert status == expected, (path, caller, status)


def test_lists_hold_only_what_the_caller_may_read(client, world):
    callers, _ = world
    for path, rule in READS.items():
        if not rule.startswith("list:"):
            continue
        for caller, headers in callers.items():
            response = client.get(path, headers=headers)
            if caller == "anonymous":
                assert response.status_code == 401, path
                continue
            seen = response.json["total"]
            assert (seen > 0) == (caller in READERS["record"]), (path, caller, seen)


def test_public_reads_need_no_token(client, world):
    for path, rule in READS.items():
        if rule == "public" and "{" not in path:
            assert client.get(path).status_code == 200, path


ROLES = {
    "owner": "operator",
    "other_operator": "operator",
    "unassigned_verifier": "verifier",
    "verifier": "verifier",
    "admin": "admin",
}


def test_writes_refuse_anonymous_and_other_roles_before_reading_the_body(client, world):
    """Hole (found by an outside client): an anonymous caller got field-level 422s about
    a body it may not send. Authentication and the role come first: 401, then 403."""
    callers, ids = world
    ids = {**ids, "criterion_id": "Q-1", "token_id": 999_999, "accreditation_id": 999_999}
    for (method, path), rule in WRITES.items():
        if rule == "public":
            continue
        url = re.sub(r"{(\w+)}", lambda m: str(ids[m.group(1)]), path)
        allowed = set(ROLES.values()) if rule == "token" else set(rule.split(", "))
        for caller, headers in callers.items():
            status = client.open(url, method=method, json={}, headers=headers).status_code
            if caller == "anonymous":
                assert status == 401, (method, path, status)
            elif ROLES[caller] not in allowed:
                assert status == 403, (method, path, caller, status)
            elif caller in READERS["record"]:  # the owner's, assigned or admin: let in
                assert status not in (401, 403), (method, path, caller, status)
