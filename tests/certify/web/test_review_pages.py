"""The verifier's review pages without JavaScript: the queue, the review screen with its
judgements, decisions and declaration of a conflict, and what signing needs."""

from __future__ import annotations

import json

from tests.people import BROWSER, post, sign_in_as


def signed_in_verifier(app, client, certification) -> None:
    sign_in_as(app, client, certification.verifier_email)


def test_the_key_page_says_signing_needs_webcrypto_or_the_api(app, client, certification):
    signed_in_verifier(app, client, certification)
    page = client.get("/review/keys?lang=en", headers=BROWSER).text
    assert "<noscript>" in page and "POST /api/v1/verifiers/keys" in page
    assert 'src="/static/review-keys.js"' in page and "style=" not in page
    account = client.get("/account?lang=en", headers=BROWSER).text
    assert 'href="/review/keys"' in account and 'href="/review"' in account


def test_a_public_key_posted_from_the_page_is_registered_and_a_private_one_refused(
    app, client, certification
):
    signed_in_verifier(app, client, certification)
    jwk = certification.public_jwk()
    refused = post(client, "/review/keys", {"jwk": json.dumps({**jwk, "d": "AAAA"})})
    assert refused.status_code == 422 and "private key" in refused.text
    registered = post(client, "/review/keys", {"jwk": json.dumps(jwk)})
    assert registered.status_code == 303
    keys = client.get("/api/v1/verifiers/keys", headers=certification.verifier).json
    assert [k["registered_through"] for k in keys] == ["browser"]


def test_the_queue_shows_the_applications_assigned_to_the_verifier_by_state_and_age(
    app, client, certification
):
    number = certification.under_review()
    signed_in_verifier(app, client, certification)
    queue = client.get("/review?lang=en").text
    assert f'href="/review/applications/{number}"' in queue and "In review" in queue
    assert "Days waiting" in queue
    assert "Nothing is assigned" in client.get("/review?state=approved&lang=en").text
    assert client.get("/review?state=nonsense&lang=en").status_code == 200


def started(certification) -> int:
    """An application submitted, assigned and in review, nothing judged yet."""
    number = certification.apply()["id"]
    certification.ok(number, "submit", certification.operator)
    assert certification.assign(number).status_code == 200
    certification.ok(number, "start_review", certification.verifier)
    return number


def test_the_review_screen_shows_the_subject_with_sources_the_evidence_and_the_offset_report(
    app, client, certification
):
    number = started(certification)
    signed_in_verifier(app, client, certification)
    page = client.get(f"/review/applications/{number}?lang=en", headers=BROWSER)
    assert page.status_code == 200
    text = page.text
    assert "Line by line, with each factor and its source" in text
    assert "Management plan" in text and "Boundary" in text
    assert "Retirements (1)" in text and "offset rules" in text
    assert "Qualifies" in text and "Record the judgement" in text
    assert "style=" not in text and "<script>" not in text
    assert "审核" in client.get(f"/review/applications/{number}?lang=zh").text


def test_a_judgement_on_the_screen_is_recorded_as_the_api_records_it(app, client, certification):
    number = started(certification)
    signed_in_verifier(app, client, certification)
    checklist = client.get(f"/api/v1/applications/{number}", headers=certification.verifier).json[
        "checklist"
    ]
    criterion = next(line["criterion_id"] for line in checklist if line["check"] == "judgement")
    path = f"/review/applications/{number}/criteria/{criterion}"
    form = f"/review/applications/{number}"
    for lang, says in (("en", "A nonconformity needs its findings."), ("zh", "不符合项须写明")):
        refused = post(client, path, {"outcome": "nonconformity"}, lang, form=form)
        assert refused.status_code == 422 and says in refused.text
        assert 'aria-invalid="true"' in refused.text
    unchosen = post(client, path, {"findings": "Seen."}, "zh", form=form)
    assert unchosen.status_code == 422 and "此项为必填" in unchosen.text
    assert "Seen." in unchosen.text  # what was typed is kept
    saved = post(
        client, path, {"outcome": "conforms", "findings": "Meter readings seen."}, form=form
    )
    assert saved.status_code == 303 and saved.location.endswith(f"#criterion-{criterion}")
    recorded = client.get(f"/api/v1/applications/{number}", headers=certification.verifier).json
    line = next(line for line in recorded["checklist"] if line["criterion_id"] == criterion)
    assert (line["outcome"], line["findings"]) == ("conforms", "Meter readings seen.")


def test_requesting_changes_needs_a_reason_and_the_operator_then_sees_it(
    app, client, certification
):
    number = started(certification)
    signed_in_verifier(app, client, certification)
    path, form = f"/review/applications/{number}/actions", f"/review/applications/{number}"
    for lang, says in (("en", "Give a reason."), ("zh", "请说明理由")):
        refused = post(client, path, {"action": "request_changes"}, lang, form=form)
        assert refused.status_code == 422 and says in refused.text
    asked = post(
        client,
        path,
        {"action": "request_changes", "reason": "Attach the 2024 meter readings."},
        form=form,
    )
    assert asked.status_code == 303
    application = client.get(f"/api/v1/applications/{number}", headers=certification.operator)
    assert application.json["state"] == "changes_requested"
    assert application.json["state_reason"] == "Attach the 2024 meter readings."
    assert post(client, path, {"action": "issue"}, form=form).status_code == 422


def test_declaring_a_conflict_of_interest_stops_the_verifier_reviewing_the_client(
    app, client, certification
):
    number = started(certification)
    signed_in_verifier(app, client, certification)
    declared = post(
        client,
        f"/review/applications/{number}/conflict",
        {"note": "We advised them on their 2023 inventory."},
        form=f"/review/applications/{number}",
    )
    assert declared.status_code == 303
    page = client.get(f"/review/applications/{number}?lang=en").text
    assert "You may not review this application" in page
    assert "Declare a conflict of interest" not in page
    refused = certification.act(number, "request_changes", certification.verifier, reason="x")
    assert refused.status_code == 403


def test_another_verifier_gets_no_review_screen(app, client, certification, sign_in):
    number = started(certification)
    sign_in("verifier", "Another Verification Body")
    response = client.get(f"/review/applications/{number}", headers=BROWSER)
    assert response.status_code == 403 and response.mimetype == "text/html"
