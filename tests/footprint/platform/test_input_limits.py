"""Bad input is a 4xx problem naming what is wrong, never a 500 (issue 13), with the limits
of `footprint.platform.limits`: ids within the Integer column, JSON depth and integer
size, text without lone surrogates or NULs, units that parse."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from footprint.platform.limits import MAX_ID, MAX_INTEGER_DIGITS, MAX_JSON_DEPTH
from tests.certify.builders import TEA, tea_footprint_body
from tests.footprint.web.test_venues_api import INVENTORY, make_venue, submit
from tests.people import BROWSER, post

TRIPS = "/api/v1/footprints/trips"
BEYOND = [MAX_ID + 1, 2**63]
"""Just past the Integer column (PostgreSQL's limit), and past SQLite's."""


def api_rules(app: Flask) -> list[tuple[str, str]]:
    """Every ``(method, rule)`` of the API."""
    return sorted(
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    )


def concrete(rule: str, number: int = 1) -> str:
    """``rule`` with ``number`` for every int and ``x`` for every other path parameter."""
    return re.sub(r"<[^>]+>", "x", re.sub(r"<int:\w+>", str(number), rule))


def assert_problem(response, status: int, field: str | None = None) -> None:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    if field is not None:
        assert field in response.json["errors"], response.json


# --- ids beyond the column --------------------------------------------------------------


@pytest.mark.parametrize("number", BEYOND)
def test_an_id_beyond_the_column_in_a_path_is_not_found(app, client, auth, number):
    admin = auth("admin", "District")
    walked = [(m, r) for m, r in api_rules(app) if "<int:" in r]
    assert len(walked) > 25
    for method, rule in walked:
        response = client.open(concrete(rule, number), method=method, json={}, headers=admin)
        assert_problem(response, 404)


def test_the_largest_id_is_still_looked_up(client):
    assert_problem(client.get(f"/api/v1/certificates/{MAX_ID}"), 404)


def test_path_ids_are_documented_with_their_bounds(client):
    document = client.get("/api/openapi.json").json
    parameter = document["paths"]["/api/v1/certificates/{certificate_id}"]["get"]
    (schema,) = [p["schema"] for p in parameter.get("parameters", [])] or [
        p["schema"]
        for p in document["paths"]["/api/v1/certificates/{certificate_id}"]["parameters"]
    ]
    assert schema["maximum"] == MAX_ID


@pytest.mark.parametrize("number", BEYOND)
def test_an_id_beyond_the_column_in_a_trip_is_refused_naming_it(client, number):
    trip = {"lodging": [{"venue_id": number, "nights": 1}]}
    assert_problem(client.post(TRIPS, json=trip), 422, "lodging[0].venue_id")


@pytest.mark.parametrize("number", BEYOND)
@pytest.mark.parametrize(
    "role, method, path, body, field",
    [
        ("admin", "POST", "/api/v1/venues", {"organisation_id": "N"}, "organisation_id"),
        ("operator", "POST", "/api/v1/applications", {"inventory_id": "N"}, "inventory_id"),
        ("operator", "POST", "/api/v1/offsets/reports", {"inventory_id": "N"}, "inventory_id"),
        ("admin", "POST", "/api/v1/registry/issuances", {"project_id": "N"}, "project_id"),
        ("admin", "GET", "/api/v1/registry/issuances?project_id=N", None, "project_id"),
        ("admin", "GET", "/api/v1/registry/retirements?project_id=N", None, "project_id"),
        ("admin", "GET", "/api/v1/registry/holdings?organisation_id=N", None, "organisation_id"),
    ],
)
def test_an_id_beyond_the_column_in_a_body_or_query_is_refused_naming_it(
    client, auth, number, role, method, path, body, field
):
    headers = auth(role, "District" if role == "admin" else "Tianmen Hotel")
    if body is not None:
        body = {**{k: number for k in body}}
    response = client.open(
        path.replace("=N", f"={number}"), method=method, json=body, headers=headers
    )
    assert_problem(response, 422, field)


# --- JSON depth and integer size --------------------------------------------------------


def test_json_nested_too_deep_is_refused_saying_so(client):
    deep = "[" * 1000 + "]" * 1000
    response = client.post(TRIPS, data=f'{{"transport": {deep}}}', content_type="application/json")
    assert_problem(response, 400)
    assert "deep" in response.json["detail"]


def test_json_at_the_depth_limit_is_read(client):
    nested = "[" * (MAX_JSON_DEPTH - 1) + "]" * (MAX_JSON_DEPTH - 1)
    response = client.post(TRIPS, data=nested, content_type="application/json")
    assert_problem(response, 422)


def test_an_integer_of_thousands_of_digits_is_refused_saying_so(client):
    huge = "9" * 5000
    response = client.post(TRIPS, data=f'{{"travellers": {huge}}}', content_type="application/json")
    assert_problem(response, 400)
    assert str(MAX_INTEGER_DIGITS) in response.json["detail"]


# --- text: lone surrogates and NULs -----------------------------------------------------


@pytest.mark.parametrize("bad", ["\\ud800", "\\u0000", "a\\udfffb"])
def test_a_lone_surrogate_or_nul_in_a_stored_string_is_refused_naming_it(client, auth, bad):
    body = '{"name": "Hotel BAD", "kind": "hotel", "region": "CN-HN"}'.replace("BAD", bad)
    response = client.post(
        "/api/v1/venues", data=body, content_type="application/json", headers=auth()
    )
    assert_problem(response, 422, "name")


def test_a_bad_string_deep_in_a_body_is_named_by_its_path(client, auth):
    body = '{"lodging": [{"type": "hotel", "nights": 1}, {"type": "\\u0000", "nights": 1}]}'
    response = client.post(TRIPS, data=body, content_type="application/json")
    assert_problem(response, 422, "lodging[1].type")


@pytest.mark.parametrize(
    "path, field",
    [
        ("/api/v1/registry/retirements?beneficiary=a%00b", "beneficiary"),
        ("/api/v1/registry/projects?region=%00", "region"),
        ("/api/v1/factors/datasets/CN-2024/factors?group=%00", "group"),
    ],
)
def test_a_nul_in_a_search_parameter_is_refused_naming_it(client, path, field):
    assert_problem(client.get(path), 422, field)


def test_a_nul_in_a_path_is_not_found(client):
    assert_problem(client.get("/api/v1/factors/datasets/CN%00"), 404)
    assert_problem(client.get("/api/v1/registry/serials/a%00b"), 404)


def test_a_nul_in_a_page_form_is_refused_naming_it(client, sign_in):
    """(A form cannot carry a lone surrogate: werkzeug decodes bad UTF-8 as U+FFFD.)"""
    sign_in(organisation="Tianzi Hotel")
    refused = post(client, "/workspace/venues/new", {"name": "Lodge\x00", "kind": "hotel"})
    assert refused.status_code == 422 and refused.mimetype == "text/html"
    assert "name" in refused.text and "NUL" in refused.text


def test_a_nul_in_a_page_search_is_refused_naming_it_in_the_page_language(client):
    refused = client.get("/registry/retirements?q=a%00b&lang=zh", headers=BROWSER)
    assert refused.status_code == 422 and refused.mimetype == "text/html"
    assert "q" in refused.text and "空字符" in refused.text


# --- units ------------------------------------------------------------------------------


@pytest.mark.parametrize("unit", ["(", ")", "kg(", "1/0", "kg**kg", "m" * 500])
def test_a_unit_that_does_not_parse_in_an_inventory_is_refused_naming_it(client, auth, unit):
    operator = auth("operator", "Wulingyuan Hotel Co.")
    venue_id = make_venue(client, operator)
    lines = [{**INVENTORY["lines"][0], "unit": unit}]
    assert_problem(
        submit(client, operator, venue_id, {**INVENTORY, "lines": lines}), 422, "lines[0].unit"
    )


@pytest.mark.parametrize("unit", ["(", "1/0", "kg**kg"])
def test_a_unit_that_does_not_parse_in_a_product_line_is_refused_naming_it(client, auth, unit):
    operator = auth("operator", "Zhangjiajie Tea Co.")
    product = client.post("/api/v1/products", json=TEA, headers=operator)
    assert product.status_code == 201, product.json
    body = tea_footprint_body()
    body["lines"][0]["unit"] = unit
    response = client.post(
        f"/api/v1/products/{product.json['id']}/footprints", json=body, headers=operator
    )
    assert_problem(response, 422, "lines[0].unit")


# --- authentication before validation ---------------------------------------------------


def operations(client: FlaskClient, *, secured: bool) -> list[tuple[str, str]]:
    """``(METHOD, path template)`` of every operation the OpenAPI document says is
    secured (or, with ``secured=False``, is not)."""
    document = client.get("/api/openapi.json").json
    return [
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
        and bool(operation.get("security")) == secured
    ]


def test_every_protected_operation_answers_an_anonymous_bad_request_with_401(client):
    protected = operations(client, secured=True)
    assert len(protected) > 40
    query = "?page=x&per_page=0&state=x&kind=x&organisation_id=x&format=x"
    for method, template in protected:
        path = re.sub(r"\{\w+\}", "1", template) + query
        for body in ({"stray": [1]}, [1], None):
            response = client.open(path, method=method, json=body)
            assert_problem(response, 401)
        malformed = client.open(path, method=method, data="{", content_type="application/json")
        assert_problem(malformed, 401)


def test_no_operation_asks_for_a_token_without_saying_so(client):
    """An operation that authenticated inside its view, past `secured`, would validate
    first; every one that answers 401 is documented as secured."""
    for method, template in operations(client, secured=False):
        path = re.sub(r"\{\w+\}", "1", template)
        with client.open(path, method=method, json={}) as response:  # closes a stream
            assert response.status_code != 401, (method, template)


def test_authentication_comes_first_whatever_the_order_of_the_decorators():
    """`secured` under ``@blp.arguments`` (the wrong way round) still answers 401 first."""
    import marshmallow as ma

    from footprint.accounts.auth import secured
    from footprint.platform import problems
    from footprint.platform.api_blueprint import Blueprint

    blp = Blueprint("order", __name__)

    class Body(ma.Schema):
        name = ma.fields.String(required=True)

    @blp.post("/order")
    @blp.arguments(Body())
    @secured()
    def view(body: dict) -> dict:
        return body

    app = Flask("order")
    problems.init_app(app)
    app.register_blueprint(blp)
    response = app.test_client().post("/order", json={"stray": 1})
    assert_problem(response, 401)


@pytest.mark.parametrize("largest", [0, 7, 9, 10, 20, 1099, 2999, MAX_ID])
def test_the_path_id_pattern_takes_exactly_the_numbers_up_to_the_largest(largest):
    from footprint.platform.limits import digits_up_to

    pattern = re.compile(digits_up_to(largest) + r"\Z")
    edges = {0, 1, largest - 1, largest, largest + 1, largest * 10, 10 ** len(str(largest))}
    numbers = set(range(min(largest * 3 + 12, 4000))) | {n for n in edges if n >= 0}
    assert [n for n in sorted(numbers) if bool(pattern.match(str(n))) != (n <= largest)] == []
