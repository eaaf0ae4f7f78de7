"""GET /api/v1/factors: datasets and their factors, each with its source."""


def test_datasets_are_listed_with_pagination(client):
    body = client.get("/api/v1/factors/datasets?per_page=1").json
    assert body["total"] == 4 and body["page"] == 1 and body["per_page"] == 1
    assert body["items"][0]["code"] == "CN-2024"
    assert body["items"][0]["published"] is True
    every = client.get("/api/v1/factors/datasets").json["items"]
    assert {d["code"]: d["published"] for d in every} == {
        "CN-2024": True,
        "CN-2024-P": True,
        "CN-2025": False,  # the second edition, a draft until it is complete
        "CN-2025-P": False,  # and its product life-cycle extension with it
    }


def test_factors_carry_value_unit_source_and_can_be_filtered_by_group(client):
    body = client.get("/api/v1/factors/datasets/CN-2024/factors?group=fuel").json
    by_key = {f["key"]: f for f in body["items"]}
    assert by_key["diesel"]["value"] == "3.0959"
    assert by_key["diesel"]["unit"] == "kgCO2/kg"
    assert "32150" in by_key["diesel"]["source_citation"] + by_key["diesel"]["derivation"]
    assert all(f["group"] == "fuel" for f in body["items"])


def test_an_unknown_dataset_is_404(client):
    response = client.get("/api/v1/factors/datasets/NOPE")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def test_an_unknown_group_filter_is_422(client):
    response = client.get("/api/v1/factors/datasets/CN-2024/factors?group=magic")
    assert response.status_code == 422
    assert "group" in response.json["errors"]
