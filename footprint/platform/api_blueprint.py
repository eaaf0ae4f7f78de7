"""The Blueprint of every API module: flask-smorest's, with authentication first, JSON
bodies required and the input limits of `footprint.platform.limits` applied.

- **Authentication first, by construction.** A view that declares who may call it
  (`footprint.accounts.auth.secured`) carries its check as the attribute `AUTHENTICATE`
  (``functools.wraps`` in every decorator above it copies it up). `Blueprint` runs that
  check before anything else of the view, so an anonymous caller gets 401 and a wrong role
  403, never a 422 about a body it may not send, whatever the order of the decorators.
- **A body is required.** flask-smorest documents a body as ``requestBody.required`` (its
  default), but webargs reads a missing body as ``{}``: an empty POST to the trip endpoint
  priced a trip of nothing. Here a POST, PUT or PATCH without a JSON body is a 422 problem
  naming ``body``.
- **The input limits.** JSON is parsed by `limits.loads` (depth, integer size: 400), and
  every body, form and query string is walked for NULs and lone surrogates
  (`limits.text_errors`: 422 naming the field). This parser is the one place: it sees the
  raw data of every location the API reads, before any schema, whereas a marshmallow
  String subclass would cover only the fields declared with it — not ``fields.Email``,
  ``fields.Url``, dict keys, or a schema that forgets it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

import flask_smorest
import marshmallow as ma
from flask import Request
from webargs.core import missing
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.datastructures import MultiDict

from footprint.platform import limits

BODY_REQUIRED = "A JSON body is required."
AUTHENTICATE = "_authenticate"
"""On a view: the zero-argument check (raising 401/403) to run before anything else."""


def _fields(multidict: MultiDict[str, str]) -> dict[str, Any]:
    """A query string or form as its fields: one value, or a list of repeated ones."""
    return {key: v[0] if len(v) == 1 else v for key, v in multidict.lists()}


def _refuse_bad_text(data: Any) -> Any:
    errors = limits.text_errors(data)
    if errors is not None:
        raise ma.ValidationError(errors)
    return data


class BodyRequiredParser(FlaskParser):
    """webargs' Flask parser, refusing a request without a JSON body where one is read,
    and input beyond `footprint.platform.limits`."""

    def _raw_load_json(self, req: Request) -> Any:
        if not is_json_request(req):
            return missing
        return limits.loads(req.get_data(cache=True))

    def load_json(self, req: Request, schema: ma.Schema) -> Any:
        try:
            data = super().load_json(req, schema)
        except limits.InputLimitError as error:
            flask_smorest.abort(400, message=str(error))
        if data is missing:
            raise ma.ValidationError(BODY_REQUIRED)
        return _refuse_bad_text(data) if limits.may_hold_bad_text(req.get_data()) else data

    def load_querystring(self, req: Request, schema: ma.Schema) -> Any:
        _refuse_bad_text(_fields(req.args))
        return super().load_querystring(req, schema)

    def load_form(self, req: Request, schema: ma.Schema) -> Any:
        _refuse_bad_text(_fields(req.form))
        return super().load_form(req, schema)


def authenticated_first(view: Callable[..., Any]) -> Callable[..., Any]:
    """``view``, running its `AUTHENTICATE` check (if it has one) before anything else."""
    check = getattr(view, AUTHENTICATE, None)
    if check is None:
        return view

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        check()
        return view(*args, **kwargs)

    return wrapper


class Blueprint(flask_smorest.Blueprint):
    """Use for every ``/api/v1`` module (`footprint.platform.openapi.register` checks)."""

    ARGUMENTS_PARSER = BodyRequiredParser()

    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: Any = None,
        provide_automatic_options: bool | None = None,
        **options: Any,
    ) -> None:
        """flask-smorest's, with the view authenticating first (`authenticated_first`)."""
        if callable(view_func) and not isinstance(view_func, type):
            view_func = authenticated_first(view_func)
        super().add_url_rule(rule, endpoint, view_func, provide_automatic_options, **options)
