"""Health, the generated OpenAPI document, and the docs page that works offline."""

from footprint.platform.app import create_app


def test_health_is_ok_once_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}


def test_health_is_a_503_problem_when_the_database_does_not_answer(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "sqlite:///" + str(tmp_path / "missing" / "x.sqlite"))
    response = create_app().test_client().get("/healthz")
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"


def test_the_openapi_document_covers_every_api_v1_endpoint_with_schemas(app, client):
    spec = client.get("/api/openapi.json").json
    assert spec["openapi"].startswith("3.")
    routes = {
        rule.rule.replace("<int:", "{").replace("<string:", "{").replace(">", "}")
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1")
    }
    documented = set(spec["paths"])
    assert routes <= documented, routes - documented
    trip = spec["paths"]["/api/v1/footprints/trips"]["post"]
    assert trip["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("Trip")
    assert "Trip" in spec["components"]["schemas"]


def test_the_docs_page_serves_swagger_ui_from_the_app_itself(client):
    page = client.get("/api/docs")
    assert page.status_code == 200
    assert b"/api/docs/assets/swagger-ui-bundle.js" in page.data
    assert client.get("/api/docs/assets/swagger-ui-bundle.js").status_code == 200


def test_with_the_database_unreachable_requests_are_503_with_retry_after(tmp_path, monkeypatch):
    """Found by an outside client: with the database down /healthz said 503, but every
    request that needed the database was a 500."""
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:9/unreachable")
    app = create_app({"TESTING": True, "KEY_STORE": str(tmp_path / "keys")})
    client = app.test_client()
    for path in ("/healthz", "/api/v1/factors/datasets", "/api/v1/registry/projects"):
        response = client.get(path)
        assert response.status_code == 503, (path, response.status_code)
        assert response.headers["Retry-After"].isdigit()
        assert response.mimetype == "application/problem+json"
