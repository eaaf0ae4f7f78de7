"""The Blueprint of every API module: flask-smorest's, with JSON bodies required.

flask-smorest documents a body as ``requestBody.required`` (its default), but webargs
reads a missing body as ``{}``: an empty POST to the trip endpoint priced a trip of
nothing. Here a POST, PUT or PATCH without a JSON body is a 422 problem naming ``body``.
"""

from __future__ import annotations

from typing import Any

import flask_smorest
import marshmallow as ma
from flask import Request
from webargs.core import missing
from webargs.flaskparser import FlaskParser

BODY_REQUIRED = "A JSON body is required."


class BodyRequiredParser(FlaskParser):
    """webargs' Flask parser, refusing a request without a JSON body where one is read."""

    def load_json(self, req: Request, schema: ma.Schema) -> Any:
        data = super().load_json(req, schema)
        if data is missing:
            raise ma.ValidationError(BODY_REQUIRED)
        return data


class Blueprint(flask_smorest.Blueprint):
    """Use for every ``/api/v1`` module (`footprint.platform.openapi.register` checks)."""

    ARGUMENTS_PARSER = BodyRequiredParser()
