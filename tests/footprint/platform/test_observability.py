"""Operable (issue 15): JSON-lines logs that carry the request id, and Prometheus metrics
at /metrics behind a setting — per endpoint, and the programme's own events."""

from __future__ import annotations

import io
import json
import logging

import pytest
from flask import Flask

from footprint.platform.app import create_app
from footprint.platform.logs import HANDLER
from footprint.platform.problems import log


def make_app(tmp_path, **config) -> Flask:
    """An app on an empty SQLite database of its own (whatever the suite runs on)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/observed.sqlite")
        return create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "test",
                "KEY_STORE": str(tmp_path / "keys"),
                "RATELIMIT_ENABLED": False,
                **config,
            }
        )


@pytest.fixture
def log_lines(tmp_path):
    """What the service's log handler (put there by any app) writes, for the test."""
    make_app(tmp_path)
    handler = next(h for h in log.handlers if h.get_name() == HANDLER)
    stream = io.StringIO()
    before = handler.setStream(stream)
    yield lambda: [line for line in stream.getvalue().splitlines() if line]
    handler.setStream(before)


def test_an_unexpected_error_is_one_json_line_with_the_request_id(tmp_path, log_lines):
    app = make_app(tmp_path, PROPAGATE_EXCEPTIONS=False)

    @app.get("/test/boom")
    def boom():
        raise RuntimeError("boom")

    answered = app.test_client().get("/test/boom", headers={"X-Request-ID": "req-42"})
    assert answered.status_code == 500 and answered.json["request_id"] == "req-42"
    (line,) = [json.loads(line) for line in log_lines()]
    assert line["level"] == "ERROR" and line["logger"] == "scenic_carbon"
    assert line["request_id"] == "req-42" and line["method"] == "GET"
    assert line["path"] == "/test/boom" and "RuntimeError: boom" in line["exc_info"]
    assert line["time"]


def test_text_logs_are_for_a_person_at_a_terminal(tmp_path, log_lines):
    app = make_app(tmp_path, LOG_FORMAT="text")
    with app.app_context():
        logging.getLogger("scenic_carbon").warning("disk nearly full")
    (line,) = log_lines()
    assert line.endswith("WARNING scenic_carbon disk nearly full")
    make_app(tmp_path)  # back to JSON for the tests after


def test_an_unknown_log_format_is_refused_at_start(tmp_path):
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        make_app(tmp_path, LOG_FORMAT="xml")


def test_without_the_setting_there_are_no_metrics(tmp_path):
    assert make_app(tmp_path).test_client().get("/metrics").status_code == 404


def test_metrics_count_requests_per_endpoint_and_the_programmes_events(tmp_path):
    app = make_app(tmp_path, METRICS_ENABLED=True)
    client = app.test_client()
    trip = {"transport": [{"mode": "rail", "distance_km": 10}]}
    client.post("/api/v1/footprints/trips", json=trip)  # no dataset in this database: 503
    client.get("/api/v1/verify/not-a-token")
    client.get("/api/v1/verify/not-a-token")

    exported = client.get("/metrics").text
    assert (
        'flask_http_request_duration_seconds_count{endpoint="trips.trip_footprint",'
        'method="POST",status="503"} 1.0' in exported
    )
    assert 'scenic_carbon_verifications_total{kind="none",status="invalid"} 2.0' in exported
    for counted in ("retirements", "credit_issuances", "documents_issued"):
        assert f"# TYPE scenic_carbon_{counted}_total counter" in exported
