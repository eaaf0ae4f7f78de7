"""Applications in the operators' workspace: started for an inventory, filled in by form
(each field named by its path in the API's body), checked against the guide, submitted —
the applications service the API calls."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape

from tests.certify.builders import (
    HOLDER,
    LAST_YEAR,
    SCENIC_AREA,
    application_body,
    inventory_body,
    serial,
)
from tests.people import BROWSER, csrf, post, sign_in_as

PAGES = "/workspace/applications"


@pytest.fixture
def operator(client, sign_in, registry):
    """A scenic area's operator, signed in, with an inventory and a retirement of 60."""
    area = client.post("/api/v1/venues", json=SCENIC_AREA, headers=registry.holder).json
    inventory = client.post(
        f"/api/v1/venues/{area['id']}/inventories", json=inventory_body(), headers=registry.holder
    ).json
    retired = client.post(
        "/api/v1/registry/retirements",
        json={
            "serial_start": serial(1),
            "serial_end": serial(60),
            "beneficiary": SCENIC_AREA["name"],
            "purpose": "Offsetting the scenic area's inventory",
        },
        headers=registry.holder,
    ).json
    sign_in("operator", HOLDER)
    return {"inventory_id": inventory["id"], "retirement_id": retired["id"]}


def form_of(body: dict, retirement_ids: list[int]) -> dict[str, str]:
    """The application body as the page's fields carry it."""
    plan, boundary = body["management_plan"], body["boundary"]
    fields = {
        "boundary.zh": boundary["zh"],
        "boundary.en": boundary["en"],
        "boundary.sources[0]": "fuel",
        "management_plan.offset_strategy": plan["offset_strategy"],
        "management_plan.publication": plan["publication"],
    }
    for name, value in plan["baseline"].items():
        fields[f"management_plan.baseline.{name}"] = str(value)
    for name, value in plan["targets"][0].items():
        fields[f"management_plan.targets[0].{name}"] = str(value)
    for name, value in plan["measures"][0].items():
        fields[f"management_plan.measures[0].{name}"] = str(value)
    for i, retirement_id in enumerate(retirement_ids):
        fields[f"retirement_ids[{i}]"] = str(retirement_id)
    return fields


def start(client, inventory_id: int, retirement_ids: list[int] = ()) -> str:
    body = application_body(inventory_id, list(retirement_ids))
    fields = {"inventory_id": str(inventory_id), **form_of(body, list(retirement_ids))}
    started = post(client, PAGES, fields, form=f"{PAGES}/new")
    assert started.status_code == 303, re.findall(r'field-error" id="[^"]*">[^<]*', started.text)
    return started.location


def test_an_operator_starts_fills_in_and_submits_an_application(client, operator, registry):
    page = start(client, operator["inventory_id"])
    body = application_body(operator["inventory_id"], [operator["retirement_id"]])
    saved = post(client, page, form_of(body, [operator["retirement_id"]]))
    assert saved.status_code == 303
    api = client.get(f"/api/v1/applications/{page.rsplit('/', 1)[1]}", headers=registry.holder).json
    assert api["boundary"]["sources"] == ["fuel"]
    assert api["management_plan"]["targets"][0]["reduction_percent"] == "40"
    assert api["retirement_ids"] == [operator["retirement_id"]]
    shown = client.get(f"{page}?lang=en").text
    assert "Checklist of the guide" in shown and "Submit for review" in shown
    submitted = client.post(
        f"{page}/actions",
        data={"csrf_token": csrf(client.get(page)), "action": "submit"},
        headers=BROWSER,
    )
    assert submitted.status_code == 303
    api = client.get(f"/api/v1/applications/{page.rsplit('/', 1)[1]}", headers=registry.holder).json
    assert api["state"] == "submitted"


def test_a_bad_field_of_the_plan_is_named_beside_it_and_what_was_typed_is_kept(client, operator):
    page = start(client, operator["inventory_id"])
    body = application_body(operator["inventory_id"], [])
    fields = form_of(body, [])
    fields["management_plan.targets[0].year"] = "soon"
    refused = post(client, page, fields)
    assert refused.status_code == 422
    assert 'id="management_plan.targets[0].year-error">Enter a number.<' in refused.text
    assert 'value="soon"' in refused.text and "武陵源核心景区" in refused.text


def test_an_action_the_state_does_not_allow_is_refused_on_the_page(client, operator):
    page = start(client, operator["inventory_id"])
    for expected in (303, 409):
        answered = client.post(
            f"{page}/actions?lang=en",
            data={"csrf_token": csrf(client.get(page)), "action": "submit"},
            headers=BROWSER,
        )
        assert answered.status_code == expected
    assert 'class="errors"' in answered.text and "Submit for review" not in answered.text


def test_applications_are_the_operators_own(client, operator, sign_in):
    page = start(client, operator["inventory_id"])
    sign_in("operator", "Tianmen Cableway Co.")
    assert client.get(page, headers=BROWSER).status_code == 403
    sign_in("verifier", "Hunan Carbon Verification Centre")
    assert client.get(PAGES, headers=BROWSER).status_code == 403


def test_the_application_shows_its_offset_report_rule_by_rule(client, operator):
    page = client.get(
        start(client, operator["inventory_id"], [operator["retirement_id"]]) + "?lang=en"
    )
    assert "Offset report" in page.text and "Qualifies" in page.text
    assert "Credit vintages fall within the vintage window" in page.text
    assert "抵消核验报告" in client.get(page.request.path + "?lang=zh").text


def test_a_certified_application_is_renewed_for_the_next_period_with_its_plan_carried_over(
    app, client, certification
):
    issued = certification.issued()
    later = client.post(
        f"/api/v1/venues/{certification.venue_id}/inventories",
        headers=certification.operator,
        json=inventory_body(LAST_YEAR + 1, electricity_mwh=40),
    ).json
    sign_in_as(app, client, "operator@wulingyuan.example")
    detail = client.get(f"{PAGES}/{issued['id']}?lang=en").text
    assert f'href="{PAGES}/{issued["id"]}/renew"' in detail
    form = client.get(f"{PAGES}/{issued['id']}/renew?lang=en")
    assert form.status_code == 200 and "Renew:" in form.text
    assert str(escape(application_body(0, [])["boundary"]["en"])) in form.text  # carried over
    fields = form_of(application_body(later["id"], []), [])
    missing = post(client, f"{PAGES}/{issued['id']}/renew", {**fields, "boundary.en": ""})
    assert missing.status_code == 422 and "This field is required." in missing.text
    renewed = post(
        client, f"{PAGES}/{issued['id']}/renew", {**fields, "inventory_id": str(later["id"])}
    )
    assert renewed.status_code == 303
    number = int(renewed.location.rsplit("/", 1)[1])
    made = client.get(f"/api/v1/applications/{number}", headers=certification.operator).json
    assert (made["renewal_of_id"], made["state"], made["inventory_id"]) == (
        issued["id"],
        "draft",
        later["id"],
    )
