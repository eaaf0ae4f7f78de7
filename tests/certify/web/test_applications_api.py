"""Applications through the API: who may do what, in which state, and what it leaves behind."""

from __future__ import annotations

import pytest

from certify.models.applications import Application
from certify.models.audit_chain import AuditChainEntry
from certify.models.documents import Certificate
from footprint.platform.db import db
from tests.certify.builders import LAST_YEAR, application_body, inventory_body, make_user


def get(c, application_id: int, headers=None) -> dict:
    response = c.client.get(f"/api/v1/applications/{application_id}", headers=headers or c.operator)
    assert response.status_code == 200, response.json
    return response.json


def under_review(c) -> int:
    number = c.apply()["id"]
    c.ok(number, "submit", c.operator)
    assert c.assign(number).status_code == 200
    c.ok(number, "start_review", c.verifier)
    return number


def audit_count(app) -> int:
    with app.app_context():
        return db.session.query(AuditChainEntry).count()


def test_an_application_keeps_the_guide_version_and_records_its_creation(certification):
    application = certification.apply()
    assert application["guide_version"] == 1
    assert application["subject_kind"] == "scenic_area"
    assert application["period_start"] == f"{LAST_YEAR}-01-01"
    assert application["allowed_actions"] == ["submit", "withdraw"]
    log = certification.client.get(
        f"/api/v1/applications/{application['id']}/audit", headers=certification.operator
    ).json
    assert [entry["action"] for entry in log] == ["application.created"]
    assert log[0]["actor"].startswith("user:") and "operator@wulingyuan.example" in log[0]["actor"]


def test_only_operators_apply_and_only_for_their_own_inventory(certification, auth):
    c = certification
    body = application_body(c.inventory_id, c.retirement_ids)
    assert c.client.post("/api/v1/applications", json=body, headers=c.verifier).status_code == 403
    rival = auth("operator", "Tianmen Mountain Cableway")
    assert c.client.post("/api/v1/applications", json=body, headers=rival).status_code == 403


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"inventory_id": 0}, "inventory_id"),
        ({"boundary": {"zh": "", "en": "x"}}, "boundary.zh"),
        ({"boundary": {"zh": "x", "en": "x", "sources": ["coal_mine"]}}, "boundary.sources[0]"),
        (
            {
                "management_plan": {
                    "baseline": {
                        "period_start": "2019-12-31",
                        "period_end": "2019-01-01",
                        "tco2e": 1,
                    },
                    "targets": [{"year": 2030, "metric": "total", "reduction_percent": 10}],
                    "measures": [{"title": "t", "responsible": "r", "due": "2027-01-01"}],
                    "offset_strategy": "s",
                    "publication": "p",
                }
            },
            "management_plan.baseline.period_end",
        ),
        ({"management_plan": {"targets": []}}, "management_plan.baseline"),
        ({"retirement_ids": ["1"]}, "retirement_ids[0]"),
    ],
)
def test_a_malformed_application_is_refused_naming_the_field(certification, change, field):
    c = certification
    body = {**application_body(c.inventory_id, c.retirement_ids), **change}
    response = c.client.post("/api/v1/applications", json=body, headers=c.operator)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"], response.json["errors"]


def test_an_illegal_transition_is_a_conflict_and_changes_nothing(app, certification):
    c = certification
    number = c.apply()["id"]
    before = audit_count(app)
    response = c.act(number, "issue", c.admin)
    assert response.status_code == 409
    assert response.json["detail"] == "cannot issue an application in state draft"
    assert get(c, number)["state"] == "draft"
    assert audit_count(app) == before


def test_a_verifier_who_is_not_assigned_is_forbidden(app, certification):
    c = certification
    number = c.apply()["id"]
    c.ok(number, "submit", c.operator)
    other = make_user(app, "verifier", "Hunan Carbon Verification Centre", "other@hncvc.example")
    assert c.act(number, "start_review", other).status_code == 403
    assert c.act(number, "start_review", c.verifier).status_code == 403  # not assigned yet
    assert c.assign(number).status_code == 200
    assert c.act(number, "start_review", other).status_code == 403
    assert c.ok(number, "start_review", c.verifier)["state"] == "in_review"


def test_an_operator_cannot_review_and_a_verifier_cannot_submit(certification):
    c = certification
    number = c.apply()["id"]
    assert c.act(number, "submit", c.verifier).status_code == 403
    c.ok(number, "submit", c.operator)
    assert c.act(number, "start_review", c.operator).status_code == 403


def test_a_verifier_is_never_assigned_to_their_own_organisation_or_an_advised_one(
    app, certification
):
    c = certification
    number = c.apply()["id"]
    c.ok(number, "submit", c.operator)
    colleague = make_user(
        app, "verifier", "Wulingyuan Scenic Area Administration", "inhouse@wulingyuan.example"
    )
    assert colleague
    own = c.assign(number, "inhouse@wulingyuan.example")
    assert own.status_code == 409 and "not accredited" in own.json["detail"]
    declared = c.client.post(
        "/api/v1/verifiers/declarations",
        headers=c.verifier,
        json={
            "client_organisation": "Wulingyuan Scenic Area Administration",
            "note": "We prepared their inventory.",
        },
    )
    assert declared.status_code == 201
    advised = c.assign(number)
    assert advised.status_code == 409 and "advised" in advised.json["detail"]


def test_a_verifier_who_declares_advice_after_assignment_can_no_longer_act(certification):
    c = certification
    number = under_review(c)
    c.client.post(
        "/api/v1/verifiers/declarations",
        headers=c.verifier,
        json={"client_organisation": "Wulingyuan Scenic Area Administration"},
    )
    response = c.act(number, "request_changes", c.verifier, reason="Need meter readings.")
    assert response.status_code == 403 and "advised" in response.json["detail"]
    judged = c.client.put(
        f"/api/v1/applications/{number}/criteria/Q-1",
        json={"outcome": "conforms"},
        headers=c.verifier,
    )
    assert judged.status_code == 403


def test_requesting_changes_needs_a_reason_and_the_operator_then_edits_and_resubmits(certification):
    c = certification
    number = under_review(c)
    assert c.act(number, "request_changes", c.verifier).status_code == 409
    changed = c.ok(number, "request_changes", c.verifier, reason="List the excluded sources.")
    assert changed["state"] == "changes_requested"
    assert changed["state_reason"] == "List the excluded sources."
    patched = c.client.patch(
        f"/api/v1/applications/{number}",
        headers=c.operator,
        json={
            "boundary": {
                "zh": "核心景区",
                "en": "Core area",
                "sources": ["fuel"],
                "exclusions": [
                    {"source": "Visitors' own cars", "reason": "Outside operational control."}
                ],
            }
        },
    )
    assert patched.status_code == 200, patched.json
    assert c.ok(number, "resubmit", c.operator)["state"] == "resubmitted"
    c.judge_all(number)
    assert c.signed_off(number)["state"] == "approved"


def test_an_application_under_review_cannot_be_edited(certification):
    c = certification
    number = under_review(c)
    response = c.client.patch(
        f"/api/v1/applications/{number}", headers=c.operator, json={"beneficiary": "Someone else"}
    )
    assert response.status_code == 409


def test_automatic_criteria_are_not_judged_and_unknown_criteria_are_not_found(certification):
    c = certification
    number = under_review(c)
    automatic = c.client.put(
        f"/api/v1/applications/{number}/criteria/O-9",
        json={"outcome": "conforms"},
        headers=c.verifier,
    )
    assert automatic.status_code == 409 and "offsets.coverage" in automatic.json["detail"]
    unknown = c.client.put(
        f"/api/v1/applications/{number}/criteria/Z-99",
        json={"outcome": "conforms"},
        headers=c.verifier,
    )
    assert unknown.status_code == 404
    product_only = c.client.put(
        f"/api/v1/applications/{number}/criteria/L-1",
        json={"outcome": "conforms"},
        headers=c.verifier,
    )
    assert product_only.status_code == 404


def test_a_nonconformity_needs_findings_and_blocks_approval(certification):
    c = certification
    number = under_review(c)
    c.judge_all(number)
    bare = c.client.put(
        f"/api/v1/applications/{number}/criteria/P-1",
        json={"outcome": "nonconformity"},
        headers=c.verifier,
    )
    assert bare.status_code == 422 and "findings" in bare.json["errors"]
    c.client.put(
        f"/api/v1/applications/{number}/criteria/P-1",
        headers=c.verifier,
        json={"outcome": "nonconformity", "findings": "No published commitment."},
    )
    refused = c.sign_off(number)
    assert refused.status_code == 409 and "P-1" in refused.json["detail"]
    assert get(c, number)["open_criteria"] == ["P-1"]


def test_approval_needs_the_verifiers_statement(certification):
    c = certification
    number = under_review(c)
    c.judge_all(number)
    response = c.prepare(number, {"conclusion": "Fine."})
    assert response.status_code == 422 and "statement.assurance_level" in response.json["errors"]


def test_credits_that_do_not_cover_the_residual_fail_the_automatic_criteria(
    app, client, certification
):
    c = certification
    small = client.post(
        "/api/v1/registry/retirements",
        headers=c.operator,
        json={
            "serial_start": f"WLY-TZS01-{LAST_YEAR}-{61:09d}",
            "serial_end": f"WLY-TZS01-{LAST_YEAR}-{62:09d}",
            "beneficiary": "Wulingyuan Scenic Area 武陵源风景名胜区",
            "purpose": "too few",
        },
    ).json
    number = c.apply(retirement_ids=[small["id"]])["id"]
    c.ok(number, "submit", c.operator)
    c.assign(number)
    review = c.ok(number, "start_review", c.verifier)
    outcomes = {line["criterion_id"]: line["outcome"] for line in review["checklist"]}
    assert outcomes["O-9"] == "fail" and outcomes["O-1"] == "pass"
    c.judge_all(number)
    refused = c.sign_off(number)
    assert refused.status_code == 409 and "automatic criterion" in refused.json["detail"]


def test_suspension_shows_at_once_and_reinstatement_restores_validity(certification, client):
    c = certification
    issued = c.issued()
    token = client.get(f"/api/v1/certificates/{issued['certificate_id']}").json["token"]
    assert c.act(issued["id"], "suspend", c.admin).status_code == 409  # a reason is required
    c.ok(issued["id"], "suspend", c.admin, reason="Complaint under investigation.")
    scan = client.get(f"/api/v1/verify/{token}").json
    assert scan["status"] == "suspended" and scan["reason"] == "Complaint under investigation."
    c.ok(issued["id"], "reinstate", c.admin)
    assert client.get(f"/api/v1/verify/{token}").json["status"] == "valid"
    c.ok(issued["id"], "expire", c.admin)
    assert client.get(f"/api/v1/verify/{token}").json["status"] == "expired"


def test_a_revoked_certificate_stays_revoked(certification):
    c = certification
    issued = c.issued()
    c.ok(issued["id"], "revoke", c.admin, reason="Falsified meter readings.")
    for action in ("reinstate", "suspend", "issue", "revoke"):
        assert c.act(issued["id"], action, c.admin, reason="again").status_code == 409


def test_issuing_twice_is_a_conflict_and_makes_one_certificate(app, certification):
    c = certification
    issued = c.issued()
    assert c.act(issued["id"], "issue", c.admin).status_code == 409
    with app.app_context():
        assert db.session.query(Certificate).count() == 1


def test_a_change_to_the_inventory_after_approval_voids_the_sign_off(app, client, certification):
    c = certification
    approved = c.approved()
    changed = client.put(
        f"/api/v1/inventories/{c.inventory_id}",
        headers=c.operator,
        json=inventory_body(electricity_mwh=51),
    )
    assert changed.status_code == 200, changed.json
    refused = c.act(approved["id"], "issue", c.admin)
    assert refused.status_code == 409 and "signature" in refused.json["detail"]
    with app.app_context():
        assert db.session.query(Certificate).count() == 0


def test_renewal_starts_a_linked_draft_for_the_next_period(client, certification):
    c = certification
    issued = c.issued()
    inventory = client.post(
        f"/api/v1/venues/{c.venue_id}/inventories",
        headers=c.operator,
        json=inventory_body(LAST_YEAR + 1, electricity_mwh=40),
    ).json
    body = application_body(inventory["id"], [])
    renewal = client.post(
        f"/api/v1/applications/{issued['id']}/renewals", json=body, headers=c.operator
    )
    assert renewal.status_code == 201, renewal.json
    assert renewal.json["renewal_of_id"] == issued["id"]
    assert renewal.json["state"] == "draft"
    assert get(c, issued["id"])["state"] == "issued"
    draft = client.post(
        f"/api/v1/applications/{renewal.json['id']}/renewals", json=body, headers=c.operator
    )
    assert draft.status_code == 409


def test_a_second_period_must_show_a_reduction(client, certification):
    c = certification
    c.issued()
    more = client.post(
        f"/api/v1/venues/{c.venue_id}/inventories",
        headers=c.operator,
        json={**inventory_body(LAST_YEAR + 1, electricity_mwh=80), "metrics": {"visitors": 100000}},
    ).json
    number = c.apply(inventory_id=more["id"], retirement_ids=[])["id"]
    c.ok(number, "submit", c.operator)
    c.assign(number)
    review = c.ok(number, "start_review", c.verifier)
    line = next(x for x in review["checklist"] if x["criterion_id"] == "P-3")
    assert line["outcome"] == "fail" and "No reduction" in line["findings"]


def test_listings_show_operators_their_own_and_verifiers_their_assignments(app, certification):
    c = certification
    first = c.apply()["id"]
    c.ok(first, "submit", c.operator)
    c.assign(first)
    c.apply()
    mine = c.client.get("/api/v1/applications", headers=c.operator).json
    assert mine["total"] == 2
    assigned = c.client.get("/api/v1/applications", headers=c.verifier).json
    assert [a["id"] for a in assigned["items"]] == [first]
    drafts = c.client.get("/api/v1/applications?state=draft", headers=c.admin).json
    assert drafts["total"] == 1
    rival = make_user(app, "operator", "Tianmen Hotel", "rival@example.com")
    assert c.client.get("/api/v1/applications", headers=rival).json["total"] == 0
    assert c.client.get(f"/api/v1/applications/{first}", headers=rival).status_code == 403
    with app.app_context():
        assert db.session.query(Application).count() == 2


def test_a_patch_replaces_a_part_whole_so_it_must_be_complete(certification):
    c = certification
    number = c.apply()["id"]
    response = c.client.patch(
        f"/api/v1/applications/{number}",
        headers=c.operator,
        json={"boundary": {"en": "Core area only"}},
    )
    assert response.status_code == 422 and "boundary.zh" in response.json["errors"]


def test_an_application_cannot_name_another_organisations_retirements(client, certification):
    """Hole: org A's application could carry org B's retirements and pass O-1…O-9."""
    other = make_user(client.application, "operator", "Another Hotel 另一家酒店", "a@h.example")
    venue = client.post(
        "/api/v1/venues", headers=other, json={"name": "Another Hotel 另一家酒店", "kind": "hotel"}
    ).json["id"]
    inventory = client.post(
        f"/api/v1/venues/{venue}/inventories", headers=other, json=inventory_body()
    ).json["id"]
    theirs = certification.retirement_ids
    response = client.post(
        "/api/v1/applications", headers=other, json=application_body(inventory, theirs)
    )
    assert response.status_code == 403, response.json
    assert "retirement_ids" in response.json["errors"]
