"""The verifier's review pages without JavaScript: they render and say what signing needs."""

from __future__ import annotations

import json

from footprint.accounts.users import set_password, user_by_email
from footprint.platform.db import db
from tests.people import BROWSER, PASSWORD, post


def signed_in_verifier(app, client, certification) -> None:
    with app.app_context():
        set_password(user_by_email(certification.verifier_email), password=PASSWORD)
        db.session.commit()
    post(
        client,
        "/login",
        {"email": certification.verifier_email, "password": PASSWORD},
        form="/login",
    )


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
    assert f"/review/applications/{number}/sign-off" in queue and "In review" in queue
    assert "Days waiting" in queue
    assert "Nothing is assigned" in client.get("/review?state=approved&lang=en").text
    assert client.get("/review?state=nonsense&lang=en").status_code == 200
