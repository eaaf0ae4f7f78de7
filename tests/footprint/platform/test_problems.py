"""Every error is application/problem+json; an unexpected one is logged and leaks nothing."""

from __future__ import annotations

import logging

from footprint.platform.app import create_app


def test_an_unknown_path_is_a_404_problem(client):
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == 404 and response.json["title"] == "Not Found"
    assert response.json["instance"] == "/nowhere"


def test_a_wrong_method_is_a_405_problem_with_allow(client):
    response = client.delete("/api/v1/footprints/trips")
    assert response.status_code == 405
    assert response.mimetype == "application/problem+json"
    assert "POST" in response.headers["Allow"]


def test_every_response_carries_a_request_id_and_echoes_a_sane_one(client):
    assert len(client.get("/healthz").headers["X-Request-ID"]) == 32
    echoed = client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert echoed.headers["X-Request-ID"] == "abc-123"
    hostile = client.get("/healthz", headers={"X-Request-ID": "<script>"})
    assert hostile.headers["X-Request-ID"] != "<script>"


def test_an_unexpected_exception_is_logged_with_the_request_id_and_leaks_nothing(
    _app, caplog, tmp_path, monkeypatch
):
    monkeypatch.setenv("DATABASE_URL", "sqlite:///" + str(tmp_path / "x.sqlite"))
    app = create_app()

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret database password hunter2")

    with caplog.at_level(logging.ERROR, logger="scenic_carbon"):
        response = app.test_client().get("/boom", headers={"X-Request-ID": "req-42"})
    assert response.status_code == 500
    assert response.mimetype == "application/problem+json"
    assert "hunter2" not in response.get_data(as_text=True)
    assert response.json["request_id"] == "req-42"
    assert "req-42" in caplog.text and "hunter2" in caplog.text
