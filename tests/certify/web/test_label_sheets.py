"""Print sheets through the API: for the label's owner and the district only, at most
`MAX_SHEET_LABELS` a request (hole: one anonymous request for 100 000 labels held a
worker 38 s and returned 44 MB); bigger print runs are the CLI's."""

from __future__ import annotations

import pytest

from certify.web.labels import MAX_SHEET_LABELS
from tests.certify.builders import make_user


@pytest.fixture
def sheets_url(labelling) -> str:
    return f"/api/v1/labels/{labelling.issued()['label_id']}/sheets?size=60x40&count=2"


def test_sheets_are_for_the_owner_and_the_district(app, client, labelling, sheets_url):
    c = labelling.certification
    assert client.get(sheets_url).status_code == 401
    for caller in (c.operator, c.admin):
        answered = client.get(sheets_url, headers=caller)
        assert answered.status_code == 200 and answered.data.startswith(b"%PDF")
    rival = make_user(app, "operator", "Tianmen Tea Co.", "rival@tea.example")
    assert client.get(sheets_url, headers=rival).status_code == 403
    assert client.get(sheets_url, headers=c.verifier).status_code == 403


def test_a_request_asks_for_at_most_the_maximum(client, labelling, sheets_url):
    owner = labelling.certification.operator
    too_many = sheets_url.replace("count=2", f"count={MAX_SHEET_LABELS + 1}")
    refused = client.get(too_many, headers=owner)
    assert refused.status_code == 422 and "count" in refused.json["errors"]
    assert client.get(too_many).status_code == 401  # who asks comes before what is asked
