"""RFC 9457 problem responses for every error, and the exception services raise to produce one.

A browser asking for a page (``Accept`` preferring ``text/html``, outside ``/api/``) gets
the same error as a page in its language instead (``templates/errors/error.html``),
with a title and a way home; API clients always get ``application/problem+json``.

Validation messages from marshmallow/webargs arrive nested (``{"json": {"transport":
{0: {"mode": [...]}}}}``); they are flattened to field paths such as
``transport[0].mode`` so that a client can point at the offending field.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from flask import Flask, Response, current_app, g, json, render_template, request
from werkzeug.exceptions import HTTPException

PROBLEM_JSON = "application/problem+json"
API_PREFIX = "/api/"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
log = logging.getLogger("scenic_carbon")

FieldErrors = dict[str, list[str]]


class Problem(Exception):
    """Raised by services for a client error; becomes a problem+json response."""

    def __init__(
        self, status: int, detail: str, *, errors: FieldErrors | None = None, title: str = ""
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors
        self.title = title or HTTPStatus(status).phrase


def invalid(field: str, message: str, status: int = 422) -> Problem:
    """A validation problem naming one field."""
    return Problem(status, f"{field}: {message}", errors={field: [message]})


def flatten_errors(messages: Any, prefix: str = "") -> FieldErrors:
    """Turn nested marshmallow messages into ``{"a.b[0].c": [...]}``."""
    if isinstance(messages, Mapping):
        flat: FieldErrors = {}
        for key, value in messages.items():
            if isinstance(key, int):
                path = f"{prefix}[{key}]"
            elif key == "_schema":
                path = prefix or "body"
            else:
                path = f"{prefix}.{key}" if prefix else str(key)
            for field, errs in flatten_errors(value, path).items():
                flat.setdefault(field, []).extend(errs)
        return flat
    if isinstance(messages, list | tuple) and all(isinstance(m, str) for m in messages):
        return {prefix or "body": list(messages)}
    if isinstance(messages, list | tuple):
        flat = {}
        for index, value in enumerate(messages):
            flat.update(flatten_errors(value, f"{prefix}[{index}]"))
        return flat
    return {prefix or "body": [str(messages)]}


def problem_response(
    status: int,
    detail: str,
    *,
    title: str = "",
    errors: FieldErrors | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.path,
        "request_id": g.get("request_id"),
    }
    if errors:
        body["errors"] = errors
    if wants_page():
        return _page(body, headers)
    response = current_app.response_class(json.dumps(body), status=status, mimetype=PROBLEM_JSON)
    response.headers.update(headers or {})
    return response


def wants_page() -> bool:
    """Whether this request is a person's browser asking for a page."""
    if request.path.startswith(API_PREFIX):
        return False
    accepted = request.accept_mimetypes
    return accepted.best_match(["application/json", "text/html"]) == "text/html"


def _page(problem: dict[str, Any], headers: Mapping[str, str] | None) -> Response:
    try:
        html = render_template("errors/error.html", problem=problem)
    except Exception:  # an error page must never fail: the problem, as JSON, then
        log.exception("error page failed request_id=%s", g.get("request_id"))
        html = json.dumps(problem)
    response = current_app.response_class(html, status=problem["status"], mimetype="text/html")
    response.headers.update(headers or {})
    return response


def _from_http_exception(error: HTTPException) -> Response:
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    errors = None
    if "messages" in data:
        messages = data["messages"]
        # webargs nests messages under the location they were read from ("json", "query").
        if isinstance(messages, Mapping) and len(messages) == 1:
            messages = next(iter(messages.values()))
        errors = flatten_errors(messages)
    detail = data.get("message") or error.description or HTTPStatus(status).phrase
    if errors:
        detail = "The request has invalid fields: " + ", ".join(sorted(errors))
    headers = dict(data.get("headers") or {})
    allow = error.get_response().headers.get("Allow") if status == 405 else None
    if allow:
        headers["Allow"] = allow
    return problem_response(status, detail, title=error.name, errors=errors, headers=headers)


def _from_problem(error: Problem) -> Response:
    return problem_response(error.status, error.detail, title=error.title, errors=error.errors)


def unexpected(error: Exception) -> Response:
    """The 500 problem for an error nothing else explains (logged with the request id)."""
    log.exception("unhandled error request_id=%s path=%s", g.get("request_id"), request.path)
    return problem_response(
        500,
        "An unexpected error occurred. Quote the request id when reporting it.",
    )


def _assign_request_id() -> None:
    supplied = request.headers.get("X-Request-ID", "")
    g.request_id = supplied if _REQUEST_ID.match(supplied) else uuid.uuid4().hex


def _echo_request_id(response: Response) -> Response:
    response.headers["X-Request-ID"] = g.get("request_id", "")
    return response


def init_app(app: Flask) -> None:
    app.before_request(_assign_request_id)
    app.after_request(_echo_request_id)
    app.register_error_handler(Problem, _from_problem)
    app.register_error_handler(HTTPException, _from_http_exception)
    app.register_error_handler(Exception, unexpected)
