"""Credits in the operators' workspace: holdings by project and vintage, retiring and
transferring a serial range by form — the registry's own services, exactly once."""

from __future__ import annotations

from tests.certify.builders import HOLDER, serial
from tests.people import BROWSER, post

PAGE = "/workspace/credits"


def test_the_holdings_are_summed_by_project_and_vintage(client, sign_in, registry):
    sign_in("operator", HOLDER)
    page = client.get(f"{PAGE}?lang=en").text
    assert "SXY01" in page and "2023" in page
    assert registry.issuance["serial_start"] in page


def test_an_operator_retires_credits_by_form_and_sees_the_record(client, sign_in, registry):
    sign_in("operator", HOLDER)
    retired = post(
        client,
        f"{PAGE}/retire",
        {
            "serial_start": serial(1),
            "serial_end": serial(10),
            "beneficiary": "  Tianzi Lodge 2024  ",
            "purpose": "Offsetting the 2024 inventory",
        },
        form=PAGE,
    )
    assert retired.status_code == 303
    page = client.get(retired.location + "&lang=en").text
    assert "Retired 10 credits for Tianzi Lodge 2024." in page
    records = client.get("/api/v1/registry/retirements?beneficiary=Tianzi").json["items"]
    assert [(r["quantity"], r["beneficiary"]) for r in records] == [(10, "Tianzi Lodge 2024")]


def test_retiring_a_retired_range_says_why_beside_the_form(client, sign_in, registry):
    sign_in("operator", HOLDER)
    body = {"serial_start": serial(1), "serial_end": serial(5), "beneficiary": "A", "purpose": "B"}
    assert post(client, f"{PAGE}/retire", body, form=PAGE).status_code == 303
    again = post(client, f"{PAGE}/retire", body, form=PAGE)
    assert again.status_code == 422 and 'class="errors"' in again.text
    assert len(client.get("/api/v1/registry/retirements").json["items"]) == 1


def test_bad_fields_are_named_and_what_was_typed_is_kept(client, sign_in, registry):
    sign_in("operator", HOLDER)
    refused = post(
        client, f"{PAGE}/retire", {"serial_start": "WLY-1", "purpose": "kept"}, "zh", form=PAGE
    )
    assert refused.status_code == 422
    assert 'id="retire-serial_end-error">此项为必填。<' in refused.text
    assert 'id="retire-beneficiary-error">此项为必填。<' in refused.text
    assert 'value="kept"' in refused.text


def test_an_operator_transfers_credits_to_another_organisation(client, sign_in, registry, auth):
    receiver = auth("operator", "Tianmen Cableway Co.")
    sign_in("operator", HOLDER)
    moved = post(
        client,
        f"{PAGE}/transfer",
        {"serial_start": serial(1), "serial_end": serial(20), "to_org": "Tianmen Cableway Co."},
        form=PAGE,
    )
    assert moved.status_code == 303
    held = client.get("/api/v1/registry/holdings", headers=receiver).json["items"]
    assert sum(h["quantity"] for h in held) == 20


def test_credits_pages_are_for_holders_only(client, sign_in, registry):
    assert client.get(PAGE, headers=BROWSER).status_code == 302
    sign_in("verifier", "Hunan Carbon Verification Centre")
    assert client.get(PAGE, headers=BROWSER).status_code == 403
