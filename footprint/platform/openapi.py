"""The flask-smorest Api: OpenAPI generated from the marshmallow schemas, errors as problems."""

from __future__ import annotations

import flask_smorest
import marshmallow as ma
from flask import Blueprint, Flask, send_from_directory
from swagger_ui_bundle import swagger_ui_path

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


api = Api(
    spec_kwargs={
        "info": {
            "description": "Carbon footprints, forest-sink credits and certification "
            "for a carbon-neutral scenic area. Authenticate with `Authorization: Bearer TOKEN`."
        },
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }
)

docs_assets = Blueprint("docs_assets", __name__)


@docs_assets.get("/api/docs/assets/<path:filename>")
def swagger_asset(filename: str):
    """Swagger UI is served from the installed bundle: the docs page works offline."""
    return send_from_directory(str(swagger_ui_path), filename, max_age=86400)


def init_app(app: Flask) -> None:
    api.init_app(app)
    app.register_blueprint(docs_assets)


def register(*blueprints: flask_smorest.Blueprint) -> None:
    """Serve ``blueprints`` as part of the API and its OpenAPI document (after `init_app`)."""
    for blueprint in blueprints:
        api.register_blueprint(blueprint)
