"""The district accredits verification bodies and withdraws accreditations on
/admin/verifiers: the very services ``/api/v1/verifiers/accreditations`` calls, with its
schemas' field names."""

from __future__ import annotations

import pytest

from tests.certify.builders import DISTRICT, LAST_YEAR, VERIFIER_ORG
from tests.people import post

PAGE = "/admin/verifiers"
BODY = {
    "organisation": "Changsha Carbon Audit 长沙碳核查",
    "scope": "ISO 14064-3",
    "valid_from": f"{LAST_YEAR}-01-01",
    "valid_until": f"{LAST_YEAR + 2}-12-31",
}


@pytest.fixture
def admin(sign_in):
    return sign_in("admin", DISTRICT)


def accreditations(client) -> list[dict]:
    return client.get("/api/v1/verifiers/accreditations").json["items"]


def test_the_list_shows_each_accreditation_with_its_scope_validity_and_standing(
    admin, certification
):
    page = admin.get(f"{PAGE}?lang=en").text
    assert VERIFIER_ORG in page and "ISO 14064-3" in page and "Accredited" in page
    assert f"{LAST_YEAR}-01-01 – {LAST_YEAR + 3}-12-31" in page


def test_accrediting_a_body_through_the_form_makes_the_accreditation(admin):
    made = post(admin, PAGE, BODY)
    assert made.status_code == 303 and made.location.startswith(f"{PAGE}?accredited=")
    [accreditation] = accreditations(admin)
    assert {k: accreditation[k] for k in BODY} == BODY
    shown = admin.get(made.location + "&lang=en").text
    assert "Changsha Carbon Audit 长沙碳核查 is accredited from" in shown


@pytest.mark.parametrize(
    ("lang", "required", "order"),
    [("en", "This field is required.", "must not be before valid_from"), ("zh", "此项为必填", "")],
)
def test_a_bad_accreditation_form_names_its_fields_and_keeps_what_was_typed(
    admin, lang, required, order
):
    missing = post(admin, PAGE, {"scope": "ISO 14065"}, lang=lang)
    assert missing.status_code == 422
    assert missing.text.count(required) == 3 and 'value="ISO 14065"' in missing.text
    backwards = post(admin, PAGE, {**BODY, "valid_until": f"{LAST_YEAR - 1}-12-31"}, lang=lang)
    assert backwards.status_code == 422 and 'id="valid_until-error"' in backwards.text
    assert order in backwards.text
    assert accreditations(admin) == []


def test_withdrawing_an_accreditation_with_a_reason_withdraws_it(admin, certification):
    [accreditation] = accreditations(admin)
    path = f"{PAGE}/{accreditation['id']}/withdraw"
    withdrawn = post(admin, path, {"reason": "Its ISO 14065 accreditation lapsed."})
    assert withdrawn.status_code == 303
    [after] = accreditations(admin)
    assert after["withdrawal_reason"] == "Its ISO 14065 accreditation lapsed."
    shown = admin.get(withdrawn.location + "&lang=en").text
    assert "is withdrawn" in shown and "Accreditation withdrawn" in shown
    again = post(admin, path, {"reason": "Twice."})
    assert again.status_code == 409 and "already withdrawn" in again.text


@pytest.mark.parametrize(
    ("lang", "message"), [("en", "This field is required."), ("zh", "此项为必填")]
)
def test_withdrawing_an_accreditation_needs_a_reason(admin, certification, lang, message):
    [accreditation] = accreditations(admin)
    refused = post(admin, f"{PAGE}/{accreditation['id']}/withdraw", {"reason": " "}, lang=lang)
    assert refused.status_code == 422
    assert 'id="reason-error"' in refused.text and message in refused.text
    assert accreditations(admin)[0]["withdrawn_at"] is None
