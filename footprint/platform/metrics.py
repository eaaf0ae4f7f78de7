"""Prometheus metrics at ``/metrics``, when ``METRICS_ENABLED`` is set: request rate,
latency and errors per endpoint (prometheus-flask-exporter's ``flask_http_request_*``,
grouped by endpoint so that ids in paths do not multiply the series), and what the
programme does — credits retired and issued, certificates and labels issued, tokens
verified — counted where the services do it (`count`).

Under gunicorn with several workers set ``PROMETHEUS_MULTIPROC_DIR`` (an empty folder
every worker may write) so that ``/metrics`` adds up every worker's figures; without it
each process counts for itself. ``/metrics`` answers anyone who reaches it: expose it to
the monitoring network only (see the README's production layout).
"""

from __future__ import annotations

import os

from flask import Flask, current_app
from prometheus_client import CollectorRegistry, Counter
from prometheus_flask_exporter import PrometheusMetrics
from prometheus_flask_exporter.multiprocess import GunicornInternalPrometheusMetrics

EXTENSION = "scenic_carbon_metrics"
EVENTS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "retirement": ("scenic_carbon_retirements_total", "Credit retirements recorded", ()),
    "credit_issuance": ("scenic_carbon_credit_issuances_total", "Credit issuances recorded", ()),
    "document": (
        "scenic_carbon_documents_issued_total",
        "Certificates and labels issued",
        ("kind",),
    ),
    "verification": (
        "scenic_carbon_verifications_total",
        "Document tokens verified, by kind and outcome",
        ("kind", "status"),
    ),
}
"""The programme's events: name, help and labels of each one's counter."""


def count(event: str, **labels: str) -> None:
    """Count one ``event`` (a key of `EVENTS`) with its ``labels``; nothing without metrics."""
    counters = current_app.extensions.get(EXTENSION)
    if counters is not None:
        counter = counters[event]
        (counter.labels(**labels) if labels else counter).inc()


def init_app(app: Flask) -> None:
    if not app.config.get("METRICS_ENABLED"):
        return
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # every worker writes its values to files there, and /metrics reads them all
        GunicornInternalPrometheusMetrics(app, group_by="endpoint")
        registry = None
    else:  # an app's own registry: more than one app in a process (the tests) each count
        registry = CollectorRegistry(auto_describe=True)
        PrometheusMetrics(app, registry=registry, group_by="endpoint")
    app.extensions[EXTENSION] = {
        event: Counter(name, text, labels, registry=registry)
        for event, (name, text, labels) in EVENTS.items()
    }
