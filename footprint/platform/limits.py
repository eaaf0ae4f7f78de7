"""Input limits, in one place: what any request may contain before a view sees it.

An outside client (a fuzzer, schemathesis) must meet a 4xx problem saying what is wrong,
never a 500 from the database, the JSON parser or the interpreter. The limits:

- **Ids and integers** fit the ``Integer`` column they are looked up in or stored to:
  −2³¹ … 2³¹−1 (`MIN_INTEGER`, `MAX_INTEGER`), ids 1 … `MAX_ID`. The same bound on SQLite
  (which would take 2⁶³−1) and PostgreSQL keeps the two identical. In a path (`IdConverter`,
  every ``<int:…>``) a larger id is a 404; in a body or query string
  (`footprint.platform.fields.StrictInteger`, `~footprint.platform.fields.Id`) a 422
  naming the field.
- **JSON** (`loads`, for webargs and for the app's JSON provider): nested at most
  `MAX_JSON_DEPTH` deep, integers of at most `MAX_INTEGER_DIGITS` digits (Python itself
  refuses 4 300); beyond either, a 400 problem saying which.
- **Text** holds no NUL (PostgreSQL cannot store one) and no lone surrogate (no encoding
  can write one): `text_errors`, applied by the API's webargs parser
  (`footprint.platform.api_blueprint`) to every body, form and query string it loads,
  a 422 naming the field; in a path (`TextConverter`) a 404; in a page's form or query
  string (`Request`, `refuse_bad_text_in_pages`), the 422 error page naming the fields in the
  page's language.
- **Units** are at most `footprint.core.units.MAX_UNIT_LENGTH` characters and parse or
  are refused (422 naming the line's unit), never an exception from pint's parser.

Set elsewhere, and documented with these in the README's "Limits:": request bodies at most
1 MiB (``MAX_CONTENT_LENGTH``, `footprint.platform.config`), and the caps on what one
trip or inventory may state (`footprint.core.quantities`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import flask
from flask import Flask, request
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict
from werkzeug.routing import IntegerConverter, Map, UnicodeConverter, ValidationError

from footprint.platform.problems import API_PREFIX, Problem

MAX_INTEGER = 2**31 - 1
"""The largest value of an ``Integer`` column (PostgreSQL's ``integer``)."""
MIN_INTEGER = -(2**31)
MAX_ID = MAX_INTEGER
"""Ids are ``Integer`` primary keys, from 1."""
MAX_JSON_DEPTH = 32
"""Arrays and objects inside each other; the bodies the API reads need a handful."""
MAX_INTEGER_DIGITS = 100
"""Digits of one JSON integer; every integer the API reads has at most 10."""

BAD_TEXT = re.compile("[\x00\ud800-\udfff]")
"""A NUL, or half of a surrogate pair (a lone surrogate once decoded)."""
BAD_TEXT_MESSAGE = "Must not contain a NUL character or a lone surrogate."


class InputLimitError(ValueError):
    """A JSON document beyond `MAX_JSON_DEPTH` or `MAX_INTEGER_DIGITS`."""


def _integer(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise InputLimitError(f"A JSON integer is longer than {MAX_INTEGER_DIGITS} digits.")
    return int(digits)


TOO_DEEP = f"The JSON is nested deeper than {MAX_JSON_DEPTH} levels."


def _depth_within_limit(document: Any) -> None:
    """Raise `InputLimitError` if ``document`` nests deeper than `MAX_JSON_DEPTH`."""
    pending = [(document, 1)]
    while pending:  # a stack, not recursion: any depth the parser took is safe here
        value, depth = pending.pop()
        if not isinstance(value, dict | list):
            continue
        if depth > MAX_JSON_DEPTH:
            raise InputLimitError(TOO_DEEP)
        children = value.values() if isinstance(value, dict) else value
        pending.extend((child, depth + 1) for child in children)


def loads(data: str | bytes) -> Any:
    """JSON within the limits; `InputLimitError` beyond them, ``ValueError`` if not JSON."""
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    try:
        document = json.loads(text, parse_int=_integer)
    except RecursionError as error:  # the parser's own limit, far beyond ours
        raise InputLimitError(TOO_DEEP) from error
    # A document cannot nest deeper than it has brackets (those in strings only add).
    if text.count("{") + text.count("[") > MAX_JSON_DEPTH:
        _depth_within_limit(document)
    return document


def may_hold_bad_text(data: bytes) -> bool:
    """Whether JSON ``data`` may decode to a NUL or a lone surrogate. Neither can be in
    it literally (JSON refuses raw control characters, UTF-8 refuses surrogates), only as
    a ``\\u`` escape: without one, `text_errors` need not walk the document."""
    return b"\\u" in data


def _escaped(text: str) -> str:
    """``text`` with its bad characters written as ``\\uXXXX`` (safe to echo back)."""
    return BAD_TEXT.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def text_errors(value: Any) -> Any:
    """Where ``value`` (loaded JSON, or a query string as a dict) has bad text, nested as
    marshmallow nests its messages (``{"lodging": {1: {"type": [...]}}}``); else None. A
    bad key is named escaped."""
    if isinstance(value, str):
        return [BAD_TEXT_MESSAGE] if BAD_TEXT.search(value) else None
    if isinstance(value, Mapping):
        items: Any = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    errors: dict[Any, Any] = {}
    for key, item in items:
        if isinstance(key, str) and BAD_TEXT.search(key):
            errors[_escaped(key)] = [BAD_TEXT_MESSAGE]
        elif (found := text_errors(item)) is not None:
            errors[key] = found
    return errors or None


def digits_up_to(largest: int) -> str:
    """A regular expression of the decimal numbers 0 … ``largest`` (leading zeros allowed),
    so that a larger one does not match the route at all: a 404, not the 405 werkzeug
    answers when a converter refuses a segment another method's rule would take."""
    top = str(largest)
    shorter = [rf"[0-9]{{1,{len(top) - 1}}}"] if len(top) > 1 else []
    lowest = ["1" if i == 0 and len(top) > 1 else "0" for i in range(len(top))]
    below = [
        rf"{top[:i]}[{lowest[i]}-{int(digit) - 1}][0-9]{{{len(top) - i - 1}}}"
        for i, digit in enumerate(top)
        if digit > lowest[i]
    ]
    return "0*(?:" + "|".join([*shorter, *below, top]) + ")"


class IdConverter(IntegerConverter):
    """``<int:…>``: an id, 0 … `MAX_ID`; beyond the column the route does not match (404)."""

    regex = digits_up_to(MAX_ID)

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


class TextConverter(UnicodeConverter):
    """``<string:…>`` and ``<…>``: a path segment with no NUL or lone surrogate (else 404)."""

    def to_python(self, value: str) -> str:
        if BAD_TEXT.search(value):
            raise ValidationError()
        return value


def _refuse_bad_text_in_page(*sources: MultiDict[str, str]) -> None:
    fields = sorted(
        {
            _escaped(name)
            for source in sources
            for name, value in source.items(multi=True)
            if BAD_TEXT.search(name) or BAD_TEXT.search(value)
        }
    )
    if fields:
        message = _("Must not contain a NUL character or a lone surrogate.")
        detail = _("%(fields)s: %(message)s", fields=", ".join(fields), message=message)
        raise Problem(422, detail, errors={field: [message] for field in fields})


def refuse_bad_text_in_pages() -> None:
    """Before a page's view: a 422 naming each query field with bad text (the API's parser
    names them among its other field errors, after authentication)."""
    if not request.path.startswith(API_PREFIX):
        _refuse_bad_text_in_page(request.args)


class Request(flask.Request):
    """A page's form is checked for bad text when it is first read: by then the view's
    blueprint may have raised the body limit for it (evidence files), which a check
    before every view would not wait for."""

    def _load_form_data(self) -> None:
        super()._load_form_data()
        if not self.path.startswith(API_PREFIX):
            _refuse_bad_text_in_page(self.form)


def init_app(app: Flask) -> None:
    """Every ``<int:…>`` and ``<string:…>`` of the app's routes gets the limits, and pages
    `refuse_bad_text_in_pages`; before any feature adds its routes."""
    app.url_map.converters.update(int=IdConverter, string=TextConverter, default=TextConverter)
    app.request_class = Request
    app.before_request(refuse_bad_text_in_pages)
