"""The flask-smorest Api: OpenAPI generated from the marshmallow schemas, errors as problems.

Error responses are documented as they are served, ``application/problem+json`` with
`ProblemSchema`; fields read as `footprint.platform.openapi_fields` says.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import flask_smorest
import marshmallow as ma
from flask import Blueprint, Flask, send_from_directory
from flask_smorest.spec.plugins import (
    integerconverter2paramschema,
    unicodeconverter2paramschema,
)
from flask_smorest.utils import prepare_response
from swagger_ui_bundle import swagger_ui_path

from footprint.platform import api_blueprint, limits
from footprint.platform.openapi_fields import ATTRIBUTE_FUNCTIONS
from footprint.platform.problems import PROBLEM_JSON

SECURED = {"security": [{"bearer": []}]}
"""``@blp.doc(**SECURED)``: the endpoint needs ``Authorization: Bearer TOKEN``."""


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

    def _register_error_handlers(self) -> None:
        """Error handling belongs to ``problems.init_app`` (problem+json for every error)."""

    def _init_spec(self, **kwargs: Any) -> None:
        super()._init_spec(**kwargs)
        for function in ATTRIBUTE_FUNCTIONS:
            self.ma_plugin.converter.add_attribute_function(function)

    def _register_responses(self) -> None:
        """The responses operations refer to by status name (``UNPROCESSABLE_ENTITY``,
        ``DEFAULT_ERROR``): errors as problems, the others without a body."""
        for status in HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        default = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(default, self.spec, PROBLEM_JSON)
        self.spec.components.response(self.DEFAULT_ERROR_RESPONSE_NAME, default, lazy=True)


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
