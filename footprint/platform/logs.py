"""The service's log, as JSON lines on standard error (``LOG_FORMAT=json``, the default) or
as plain text (``LOG_FORMAT=text``, for a person at a terminal).

Each line carries the time, level, logger and message and, inside a request, the request
id that problems and ``X-Request-ID`` carry (`footprint.platform.problems`), the method
and the path, so that a client's report of a problem finds its line. python-json-logger
writes the JSON; this module only decides the fields. Access logs are gunicorn's.
"""

from __future__ import annotations

import logging
import sys

from flask import Flask, g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter

from footprint.platform.problems import log

FIELDS = ["asctime", "levelname", "name", "message"]
RENAMED = {"asctime": "time", "levelname": "level", "name": "logger"}
FORMATS = ("json", "text")
HANDLER = "scenic_carbon_log"
"""The name of the handler this module puts on the service's logger (set once)."""


class RequestFields(logging.Filter):
    """Adds the request id, method and path to records made inside a request."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context():
            record.request_id = g.get("request_id", "")
            record.method, record.path = request.method, request.path
        return True


def formatter(kind: str) -> logging.Formatter:
    if kind == "text":
        return logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s")
    return JsonFormatter(FIELDS, rename_fields=RENAMED, json_ensure_ascii=False)


def init_app(app: Flask) -> None:
    """The service's logger (``scenic_carbon``, which Flask's ``app.logger`` is) writes
    lines of ``LOG_FORMAT`` to standard error, at ``LOG_LEVEL`` (default INFO)."""
    kind = app.config.get("LOG_FORMAT", "json")
    if kind not in FORMATS:
        raise ValueError(f"LOG_FORMAT must be one of {', '.join(FORMATS)}, not {kind!r}")
    handler = next((h for h in log.handlers if h.get_name() == HANDLER), None)
    if handler is None:
        handler = logging.StreamHandler(sys.stderr)
        handler.set_name(HANDLER)
        handler.addFilter(RequestFields())
        log.addHandler(handler)
    handler.setFormatter(formatter(kind))
    log.setLevel(app.config.get("LOG_LEVEL", "INFO"))
