"""The flask-smorest Api: OpenAPI generated from the marshmallow schemas, errors as problems.

Error responses are documented as they are served, ``application/problem+json`` with
`ProblemSchema`; fields read as `footprint.platform.openapi_fields` says.

Each operation lists the status codes it may answer, and no catch-all ``default``
(schemathesis checks every answer against the list, ``tests/footprint/platform/
test_api_fuzzing.py``). Where they come from:

- its shape (`ImpliedResponses`): 404 where the path names a record, 400 and 413 where
  it reads a JSON body (not JSON, beyond `footprint.platform.limits`; larger than
  ``MAX_CONTENT_LENGTH``), 413 for any other body, 503 for every operation (the
  database unreachable, `footprint.platform.db`);
- flask-smorest: the success response, and 422 where the view reads arguments;
- the decorators that refuse: ``secured`` (401, and 403 with roles), ``limited`` (429);
- the view itself, for what its service refuses (`refuses`: 403 for another's record,
  404 for an id in the body, 409 for the wrong state).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from copy import deepcopy
from http import HTTPStatus
from typing import Any, TypeVar

import flask_smorest
import marshmallow as ma
from apispec import BasePlugin
from flask import Blueprint, Flask, send_from_directory
from flask_smorest.spec.plugins import (
    integerconverter2paramschema,
    unicodeconverter2paramschema,
)
from flask_smorest.utils import deepupdate, prepare_response
from swagger_ui_bundle import swagger_ui_path

from footprint.platform import api_blueprint, limits
from footprint.platform.openapi_fields import ATTRIBUTE_FUNCTIONS
from footprint.platform.problems import PROBLEM_JSON

SECURED = {"security": [{"bearer": []}]}
"""``@blp.doc(**SECURED)``: the endpoint needs ``Authorization: Bearer TOKEN``."""
JSON = "application/json"
F = TypeVar("F", bound=Callable[..., Any])


def problem_responses(*statuses: int) -> dict[str, dict[str, str]]:
    """The documentation of problem responses with ``statuses`` (their components are
    named after the status: ``CONFLICT``)."""
    return {"responses": {str(status): HTTPStatus(status).name for status in statuses}}


def add_doc(view: F, doc: Mapping[str, Any]) -> F:
    """``view`` with ``doc`` merged into its OpenAPI documentation. flask-smorest reads
    ``_apidoc["manual_doc"]``, as its ``Blueprint.doc`` writes it; the copy leaves the
    documentation of a view ``view`` wraps untouched."""
    apidoc = deepcopy(getattr(view, "_apidoc", {}))
    apidoc["manual_doc"] = deepupdate(apidoc.get("manual_doc", {}), deepcopy(dict(doc)))
    view._apidoc = apidoc  # type: ignore[attr-defined]
    return view


def refuses(*statuses: int) -> Callable[[F], F]:
    """A view that may also answer each of ``statuses`` with a problem, beyond what its
    shape and its other decorators document (see the module's docstring)."""
    return lambda view: add_doc(view, problem_responses(*statuses))


class ImpliedResponses(BasePlugin):
    """The problem responses an operation's shape implies (see the module's docstring)."""

    def operation_helper(
        self, path: str | None = None, operations: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        for operation in (operations or {}).values():
            statuses = [HTTPStatus.SERVICE_UNAVAILABLE]
            if path and "{" in path:
                statuses.append(HTTPStatus.NOT_FOUND)
            body = operation.get("requestBody")
            if body is not None:
                statuses.append(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
                if JSON in body.get("content", {}):
                    statuses.append(HTTPStatus.BAD_REQUEST)
            responses = operation.setdefault("responses", {})
            for status, name in problem_responses(*statuses)["responses"].items():
                responses.setdefault(status, name)


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details (documentation only)."""

    type = ma.fields.String()
    title = ma.fields.String()
    status = ma.fields.Integer()
    detail = ma.fields.String()
    instance = ma.fields.String()
    request_id = ma.fields.String()
    errors = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.String()),
        metadata={"description": "Field path → messages, for invalid input."},
    )


class Api(flask_smorest.Api):
    ERROR_SCHEMA = ProblemSchema
    DEFAULT_ERROR_RESPONSE_NAME = None  # each operation lists its own (module docstring)

    def _register_error_handlers(self) -> None:
        """Error handling belongs to ``problems.init_app`` (problem+json for every error)."""

    def _init_spec(self, **kwargs: Any) -> None:
        kwargs["extra_plugins"] = [*kwargs.get("extra_plugins", ()), ImpliedResponses()]
        super()._init_spec(**kwargs)
        for function in ATTRIBUTE_FUNCTIONS:
            self.ma_plugin.converter.add_attribute_function(function)

    def _register_responses(self) -> None:
        """The responses operations refer to by status name (``UNPROCESSABLE_ENTITY``):
        errors as problems, the others without a body."""
        for status in HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)


api = Api(
    spec_kwargs={
        "info": {
            "description": "Carbon footprints, forest-sink credits and certification "
            "for a carbon-neutral scenic area. Authenticate with `Authorization: Bearer TOKEN`."
        },
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }
)

api.register_converter(limits.IdConverter, integerconverter2paramschema)
api.register_converter(limits.TextConverter, unicodeconverter2paramschema)

docs_assets = Blueprint("docs_assets", __name__)


@docs_assets.get("/api/docs/assets/<path:filename>")
def swagger_asset(filename: str):
    """Swagger UI is served from the installed bundle: the docs page works offline."""
    return send_from_directory(str(swagger_ui_path), filename, max_age=86400)


def init_app(app: Flask) -> None:
    """The Api, with the path converters of `limits` (before any feature's routes)."""
    limits.init_app(app)
    api.init_app(app)
    app.register_blueprint(docs_assets)


def register(*blueprints: api_blueprint.Blueprint) -> None:
    """Serve ``blueprints`` as part of the API and its OpenAPI document (after `init_app`);
    each is an `api_blueprint.Blueprint`, so that the bodies it reads are required."""
    for blueprint in blueprints:
        if not isinstance(blueprint, api_blueprint.Blueprint):
            raise TypeError(f"{blueprint.name}: an API module uses api_blueprint.Blueprint")
        api.register_blueprint(blueprint)
