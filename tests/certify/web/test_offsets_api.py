"""Offset verification through the API: the report rule by rule, claims used once."""

from __future__ import annotations

import re

from tests.certify.builders import serial

VENUE = {"name": "Huangshizhai Scenic Spot 黄石寨景区", "kind": "scenic_area"}
# 100 MWh of grid electricity, market-based 100 000 × 0.5856 = 58.56 t;
# with the guide's 5 % margin 61.488 t, so 62 whole credits are needed.
INVENTORY = {
    "period_start": "2026-01-01",
    "period_end": "2026-06-30",
    "metrics": {"visitors": 100000},
    "lines": [{"kind": "grid_electricity", "quantity": 100, "unit": "MWh"}],
}


def inventory_of(client, headers, body=INVENTORY, venue=VENUE) -> int:
    venue_id = client.post("/api/v1/venues", json=venue, headers=headers).json["id"]
    response = client.post(f"/api/v1/venues/{venue_id}/inventories", json=body, headers=headers)
    assert response.status_code == 201, response.json
    return response.json["id"]


def retire(client, headers, start, end, beneficiary=VENUE["name"]) -> int:
    response = client.post(
        "/api/v1/registry/retirements",
        headers=headers,
        json={
            "serial_start": serial(start),
            "serial_end": serial(end),
            "beneficiary": beneficiary,
            "purpose": "Carbon neutrality of the first half of 2026",
        },
    )
    assert response.status_code == 201, response.json
    return response.json["id"]


def report_for(client, registry, body=INVENTORY, credits: int = 62) -> dict:
    """The offset report for a new inventory of ``body`` and a retirement of ``credits``."""
    inventory = inventory_of(client, registry.holder, body)
    retirement = retire(client, registry.holder, 1, credits)
    response = client.post(
        "/api/v1/offsets/reports",
        headers=registry.holder,
        json={"inventory_id": inventory, "retirement_ids": [retirement]},
    )
    assert response.status_code == 200, response.json
    return response.json


def test_enough_eligible_retirements_qualify_rule_by_rule(client, registry):
    report = report_for(client, registry)
    assert report["qualifies"] is True
    assert report["required_tco2e"] == "61.488" and report["provided_tco2e"] == "62"
    assert {r["rule_id"] for r in report["rules"]} >= {
        "offsets.standard",
        "offsets.project_type",
        "offsets.vintage",
        "offsets.beneficiary",
        "offsets.retirement_window",
        "offsets.not_double_counted",
        "offsets.coverage",
    }
    assert all(r["passed"] and r["detail_zh"] and r["detail_en"] for r in report["rules"])


def test_one_credit_short_fails_coverage_and_says_why(client, registry):
    inventory = inventory_of(client, registry.holder)
    retirement = retire(client, registry.holder, 1, 61)
    report = client.post(
        "/api/v1/offsets/reports",
        headers=registry.holder,
        json={"inventory_id": inventory, "retirement_ids": [retirement]},
    ).json
    assert report["qualifies"] is False
    failed = [r for r in report["rules"] if not r["passed"]]
    assert [r["rule_id"] for r in failed] == ["offsets.coverage"]


def test_a_retirement_for_someone_else_fails_the_beneficiary_rule(client, registry):
    inventory = inventory_of(client, registry.holder)
    retirement = retire(client, registry.holder, 1, 70, beneficiary="Another Scenic Area")
    report = client.post(
        "/api/v1/offsets/reports",
        headers=registry.holder,
        json={"inventory_id": inventory, "retirement_ids": [retirement]},
    ).json
    assert [r["rule_id"] for r in report["rules"] if not r["passed"]] == ["offsets.beneficiary"]


def test_a_recorded_claim_spends_its_retirements_for_every_other_claim(client, registry):
    first = inventory_of(client, registry.holder)
    retirement = retire(client, registry.holder, 1, 70)
    claim = client.post(
        "/api/v1/offsets/claims",
        headers=registry.holder,
        json={"inventory_id": first, "retirement_ids": [retirement]},
    )
    assert claim.status_code == 201, claim.json
    assert claim.json["report"]["qualifies"] is True
    second = inventory_of(client, registry.holder, venue={**VENUE, "name": "Second Spot"})
    again = client.post(
        "/api/v1/offsets/claims",
        headers=registry.holder,
        json={"inventory_id": second, "retirement_ids": [retirement], "beneficiary": VENUE["name"]},
    )
    assert again.status_code == 422
    assert "offsets.not_double_counted" in again.json["detail"]
    page = client.get(f"/offsets/claims/{claim.json['id']}").get_data(as_text=True)
    assert "符合要求" in page and VENUE["name"] in page
    english = client.get(f"/offsets/claims/{claim.json['id']}?lang=en").get_data(as_text=True)
    assert "Qualifies" in english and VENUE["name"] in english
    # its tonnes rounded to the kilogram, in the facts and in the rules' explanations
    assert "<dd>61.488 tCO2e</dd>" in english and "<dd>70 tCO2e</dd>" in english
    assert "Residual 58.56 tCO2e" in english
    assert not re.search(r"\d\.\d{4,}", english), "a figure with more than three decimals"
    said = 'id="margin-and-uncertainty" class="pass">The 5 % margin covers the residual'
    assert said in english
    assert "5% 的安全裕度足以覆盖剩余排放的不确定度" in page


def test_a_claim_that_does_not_qualify_is_not_recorded(client, registry):
    inventory = inventory_of(client, registry.holder)
    retirement = retire(client, registry.holder, 1, 10)
    response = client.post(
        "/api/v1/offsets/claims",
        headers=registry.holder,
        json={"inventory_id": inventory, "retirement_ids": [retirement]},
    )
    assert response.status_code == 422
    assert response.json["errors"]["retirement_ids"] == ["fails offsets.coverage"]
    retry = retire(client, registry.holder, 11, 80)
    assert (
        client.post(
            "/api/v1/offsets/claims",
            headers=registry.holder,
            json={"inventory_id": inventory, "retirement_ids": [retirement, retry]},
        ).status_code
        == 201
    )


def test_unknown_retirements_and_other_peoples_inventories_are_refused(client, auth, registry):
    inventory = inventory_of(client, registry.holder)
    unknown = client.post(
        "/api/v1/offsets/reports",
        headers=registry.holder,
        json={"inventory_id": inventory, "retirement_ids": [999]},
    )
    assert unknown.status_code == 422 and "retirement_ids" in unknown.json["errors"]
    stranger = auth("operator", "Stranger")
    assert (
        client.post(
            "/api/v1/offsets/reports",
            headers=stranger,
            json={"inventory_id": inventory, "retirement_ids": [1]},
        ).status_code
        == 403
    )


def test_another_organisations_retirement_cannot_back_a_claim(client, registry, auth):
    """Hole: an operator of org A put org B's retirement in A's claim (201), and B's own
    claim was then refused. A retirement counts only for the organisation that made it."""
    other = auth("operator", "Another Hotel 另一家酒店")
    own_inventory = inventory_of(client, registry.holder)
    theirs = inventory_of(
        client, other, venue={"name": "Another Hotel 另一家酒店", "kind": "hotel"}
    )
    retirement = retire(client, registry.holder, 1, 62)
    for path in ("/api/v1/offsets/reports", "/api/v1/offsets/claims"):
        body = {
            "inventory_id": theirs,
            "retirement_ids": [retirement],
            "beneficiary": VENUE["name"],
        }
        response = client.post(path, headers=other, json=body)
        assert response.status_code == 403, (path, response.json)
        assert "retirement_ids" in response.json["errors"]
    claim = client.post(
        "/api/v1/offsets/claims",
        headers=registry.holder,
        json={"inventory_id": own_inventory, "retirement_ids": [retirement]},
    )
    assert claim.status_code == 201, claim.json


def test_the_report_says_whether_the_margin_covers_the_residuals_uncertainty(client, registry):
    # grid only: 58.56 t ± 5 % (the residual factor's) = ± 2.928 t, which 5 % just covers
    assert report_for(client, registry)["uncertainty"] == {
        "residual_half_width_tco2e": "2.928",
        "relative_half_width": "0.05",
        "margin": "0.05",
        "margin_covers_uncertainty": True,
        "statement_en": "The 5 % margin covers the residual's uncertainty (±5.0 %, ~95 %).",
        "statement_zh": "5% 的安全裕度足以覆盖剩余排放的不确定度（±5.0%，约95%置信）。",
    }


def test_a_residual_less_certain_than_the_margin_is_said_so(client, registry):
    # + 10 kg of R-32 leaked: 10 × 771 = 7.71 t ± 30 % = ± 2.313 t; the residual
    # 58.56 + 7.71 = 66.27 t ± √(2.928² + 2.313²) = ± 3.731 t, 5.63 % of it: over 5 %
    leak = {"kind": "refrigerant", "key": "r32", "quantity": 10, "unit": "kg"}
    body = {**INVENTORY, "lines": [*INVENTORY["lines"], leak]}
    said = report_for(client, registry, body, credits=80)["uncertainty"]
    assert said["residual_half_width_tco2e"] == "3.731"
    assert said["relative_half_width"] == "0.0563"
    assert said["margin_covers_uncertainty"] is False
    assert "does not cover the residual's uncertainty (±5.6 %" in said["statement_en"]
    assert "不足以覆盖" in said["statement_zh"]
