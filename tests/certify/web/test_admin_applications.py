"""The district's applications at /admin/applications: the list by state, one
application with its checklist and audit trail, assigning the verifier and the admin's
workflow actions — the services ``/api/v1/applications`` calls, checked through the API."""

from __future__ import annotations

import pytest

from tests.certify.builders import DISTRICT, OPERATOR_ORG, make_user
from tests.people import BROWSER, post

PAGES = "/admin/applications"


@pytest.fixture
def admin(sign_in):
    return sign_in("admin", DISTRICT)


def state_of(certification, number: int) -> dict:
    return certification.client.get(
        f"/api/v1/applications/{number}", headers=certification.admin
    ).json


def act(admin, number: int, action: str, lang: str = "en", **fields: str):
    return post(
        admin,
        f"{PAGES}/{number}/transitions",
        {"action": action, **fields},
        lang=lang,
        form=f"{PAGES}/{number}",
    )


def test_the_list_narrows_to_a_state_and_links_each_application(admin, certification):
    submitted = certification.apply()["id"]
    certification.ok(submitted, "submit", certification.operator)
    draft = certification.apply()["id"]
    listed = admin.get(f"{PAGES}?lang=en").text
    assert f"{PAGES}/{submitted}" in listed and f"{PAGES}/{draft}" in listed
    narrowed = admin.get(f"{PAGES}?state=submitted&lang=en").text
    assert f"{PAGES}/{submitted}" in narrowed and f"{PAGES}/{draft}" not in narrowed
    assert "not yet assigned" in narrowed
    assert admin.get(f"{PAGES}?state=nonsense").status_code == 200


def test_an_application_shows_its_checklist_and_audit_trail(admin, certification):
    number = certification.apply()["id"]
    certification.ok(number, "submit", certification.operator)
    page = admin.get(f"{PAGES}/{number}?lang=en").text
    for line in state_of(certification, number)["checklist"]:
        assert f"<code>{line['criterion_id']}</code>" in page
    assert "application.created" in page and "application.submit" in page
    assert 'id="assign-form"' in page and 'id="issue-form"' not in page


def test_assigning_a_verifier_through_the_form_assigns_them(admin, certification):
    number = certification.apply()["id"]
    certification.ok(number, "submit", certification.operator)
    page = admin.get(f"{PAGES}/{number}?lang=en").text
    assert certification.verifier_email in page  # offered: they may review it today
    assigned = post(
        admin,
        f"{PAGES}/{number}/assignment",
        {"verifier": certification.verifier_email},
        form=f"{PAGES}/{number}",
    )
    assert assigned.status_code == 303
    assert state_of(certification, number)["verifier"] == certification.verifier_email
    assert "The verifier is assigned." in admin.get(assigned.location + "&lang=en").text


def test_a_verifier_with_a_conflict_of_interest_is_refused_on_the_page(app, admin, certification):
    make_user(app, "verifier", OPERATOR_ORG, "insider@wulingyuan.example")
    number = certification.apply()["id"]
    certification.ok(number, "submit", certification.operator)
    path = f"{PAGES}/{number}/assignment"
    refused = post(
        admin, path, {"verifier": "insider@wulingyuan.example"}, form=f"{PAGES}/{number}"
    )
    assert refused.status_code == 409 and 'id="verifier-error"' in refused.text
    assert "not accredited" in refused.text and 'value="insider@wulingyuan.example"' in refused.text
    unknown = post(admin, path, {"verifier": "nobody@example.com"}, form=f"{PAGES}/{number}")
    assert unknown.status_code == 422 and "no user nobody@example.com" in unknown.text
    assert state_of(certification, number)["verifier"] is None


def test_issuing_an_approved_application_makes_its_certificate_and_links_to_it(
    client, admin, certification
):
    number = certification.approved()["id"]
    assert 'id="issue-form"' in admin.get(f"{PAGES}/{number}").text
    issued = act(admin, number, "issue")
    assert issued.status_code == 303
    application = state_of(certification, number)
    assert application["state"] == "issued" and application["certificate_id"]
    page = admin.get(issued.location + "&lang=en").text
    assert "Issued: the document is signed and published." in page
    pdf = f"/api/v1/certificates/{application['certificate_id']}/pdf"
    assert f'href="{pdf}"' in page
    assert client.get(pdf).mimetype == "application/pdf"
    token = client.get(f"/api/v1/certificates/{application['certificate_id']}").json["token"]
    assert f'href="/v/{token}"' in page
    assert client.get(f"/v/{token}", headers=BROWSER).status_code == 200


def test_issuing_a_label_links_to_the_labels_pdf(admin, labelling):
    number = labelling.issued()["id"]
    label_id = state_of(labelling.certification, number)["label_id"]
    assert f'href="/api/v1/labels/{label_id}/pdf"' in admin.get(f"{PAGES}/{number}").text


def test_the_lifecycle_suspend_reinstate_revoke_through_the_forms(admin, certification):
    number = certification.issued()["id"]
    assert act(admin, number, "suspend", reason="Offsets under investigation.").status_code == 303
    suspended = state_of(certification, number)
    assert suspended["state"] == "suspended"
    assert suspended["state_reason"] == "Offsets under investigation."
    assert act(admin, number, "reinstate").status_code == 303
    assert state_of(certification, number)["state"] == "issued"
    assert act(admin, number, "revoke", reason="Double counting found.").status_code == 303
    assert state_of(certification, number)["state"] == "revoked"
    page = admin.get(f"{PAGES}/{number}?lang=en").text
    assert "Double counting found." in page and 'id="suspend-form"' not in page


def test_an_issued_certificate_expires_through_its_form(admin, certification):
    number = certification.issued()["id"]
    assert act(admin, number, "expire").status_code == 303
    assert state_of(certification, number)["state"] == "expired"


@pytest.mark.parametrize(("lang", "message"), [("en", "Give a reason."), ("zh", "请说明理由")])
def test_suspending_needs_a_reason(admin, certification, lang, message):
    number = certification.issued()["id"]
    page = admin.get(f"{PAGES}/{number}?lang={lang}").text
    assert 'id="suspend-reason"' in page and 'id="reinstate-reason"' not in page
    refused = act(admin, number, "suspend", lang=lang)
    assert refused.status_code == 409
    assert 'id="suspend-reason-error"' in refused.text and message in refused.text
    assert state_of(certification, number)["state"] == "issued"


def test_an_action_the_state_does_not_allow_is_refused_with_409(admin, certification):
    number = certification.issued()["id"]
    refused = act(admin, number, "issue")
    assert (
        refused.status_code == 409 and "cannot issue an application in state issued" in refused.text
    )
