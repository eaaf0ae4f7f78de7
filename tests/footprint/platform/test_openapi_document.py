"""The served OpenAPI document is valid and honest (issue 13): numbers as numbers, decimals
as the strings they are served as, problems as problem+json, required bodies required.

Found by an outside client: `openapi-spec-validator` failed at ``components/schemas/Leg``
(24 bounds were strings such as ``"maximum": "50000"``), decimals were documented as
numbers but served as strings (``"4E+4"`` on PostgreSQL), errors were documented as
``application/json``, "greater than 0" as ``minimum: 0``, and an empty POST to the trip
endpoint answered 200 with a zero footprint.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from openapi_spec_validator import validate

from footprint.platform.fields import DECIMAL_PATTERN, DecimalText, Quantity

BOUNDS = {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"}
BOUNDS |= {"minLength", "maxLength", "minItems", "maxItems"}
METHODS = {"get", "put", "post", "patch", "delete"}


@pytest.fixture
def spec(client) -> dict[str, Any]:
    return client.get("/api/openapi.json").json


def walk(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every object of the document with its JSON pointer."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from walk(value, f"{path}/{index}")


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield method, path, operation


def test_the_served_document_validates(spec):
    validate(spec)


def test_no_bound_anywhere_is_a_string(spec):
    strings = [
        (f"{path}/{key}", value)
        for path, node in walk(spec)
        for key, value in node.items()
        if key in BOUNDS and not isinstance(value, int | float)
    ]
    assert strings == []


def test_decimals_are_documented_as_the_strings_they_are_served_as(spec):
    schemas = spec["components"]["schemas"]
    for schema, field in [
        ("Factor", "value"),
        ("Factor", "uncertainty"),
        ("PricedLine", "quantity"),
    ]:
        assert schemas[schema]["properties"][field]["type"] == "string"
    decimals = [node for _, node in walk(spec) if node.get("format") == "decimal"]
    assert len(decimals) > 10
    for node in decimals:
        assert node["type"] == "string" and node["pattern"] == DECIMAL_PATTERN
    assert not [
        path for path, node in walk(spec) if node.get("type") == "number" and "format" in node
    ]


def test_a_quantity_is_a_number_in_requests_and_its_decimal_string_in_responses(spec):
    distance = spec["components"]["schemas"]["Leg"]["properties"]["distance_km"]
    number, text = distance["anyOf"]
    assert number == {"type": "number", "minimum": 0, "exclusiveMinimum": True, "maximum": 50000}
    assert text == {"type": "string", "format": "decimal", "pattern": DECIMAL_PATTERN}
    area = spec["components"]["schemas"]["Project"]["properties"]["area_ha"]
    assert all(branch["nullable"] for branch in area["anyOf"])


def test_greater_than_is_an_exclusive_minimum_and_at_least_an_inclusive_one(spec):
    schemas = spec["components"]["schemas"]
    reduction = schemas["Target"]["properties"]["reduction_percent"]["anyOf"][0]
    assert reduction["exclusiveMinimum"] is True and reduction["minimum"] == 0
    tonnes = schemas["Baseline"]["properties"]["tco2e"]["anyOf"][0]
    assert "exclusiveMinimum" not in tonnes and tonnes["minimum"] == 0


def test_every_error_response_is_documented_as_a_problem(spec):
    responses = spec["components"]["responses"]
    for method, path, operation in operations(spec):
        for status, response in operation["responses"].items():
            if status == "default" or int(status) >= 400:
                response = responses[response["$ref"].rsplit("/", 1)[1]]
                content = response["content"]
                assert list(content) == ["application/problem+json"], (method, path, status)
                assert content["application/problem+json"]["schema"] == {
                    "$ref": "#/components/schemas/Problem"
                }


def test_every_request_body_is_required(spec):
    bodies = [op["requestBody"] for _, _, op in operations(spec) if "requestBody" in op]
    assert bodies and all(body["required"] is True for body in bodies)


@pytest.mark.parametrize(
    "headers", [{}, {"Content-Type": "application/json"}, {"Content-Type": "text/plain"}]
)
def test_an_empty_trip_post_is_a_422_problem_not_a_zero_footprint(client, headers):
    response = client.post("/api/v1/footprints/trips", headers=headers)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.json["errors"] == {"body": ["A JSON body is required."]}


def test_an_empty_patch_with_a_token_is_a_422_problem(client, auth):
    headers = auth("operator", "Tianmen Hotel")
    venue = client.post(
        "/api/v1/venues", json={"name": "Tianmen Inn", "kind": "hotel"}, headers=headers
    )
    assert venue.status_code == 201, venue.json
    response = client.patch(f"/api/v1/venues/{venue.json['id']}", headers=headers)
    assert response.status_code == 422 and response.json["errors"]["body"]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("4E+4"), "40000"),
        (Decimal("1.2E+3"), "1200"),
        (Decimal("5.96E-8"), "0.0000000596"),
        (Decimal("0.53660"), "0.5366"),
        (Decimal("-2.5"), "-2.5"),
        (Decimal("0E-12"), "0"),
    ],
)
def test_decimals_are_served_in_plain_notation(app, value, text):
    assert DecimalText().serialize("v", {"v": value}) == text
    assert Quantity(10**9).serialize("v", {"v": value}) == text
    with app.app_context():
        assert app.json.dumps({"v": value}) == f'{{"v": "{text}"}}'
    assert re.fullmatch(DECIMAL_PATTERN, text)


def test_served_factor_values_are_plain_on_this_database(client):
    page = client.get("/api/v1/factors/datasets/CN-2024/factors?per_page=200").json
    assert page["items"]
    for factor in page["items"]:
        for value in (factor["value"], factor["uncertainty"]):
            assert re.fullmatch(DECIMAL_PATTERN, value), factor
