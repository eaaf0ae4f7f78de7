"""Forms on pages that stand on the API's schemas: a form's fields loaded by the very
marshmallow schema the API uses, and its errors said in the page's language beside the
field they belong to.

The schemas' messages are marshmallow's (and `footprint.platform.fields`') English;
`messages` says each known one in the page's language (with its bounds), and keeps any
other — a service's own message, such as "no organisation 7" — as written.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import Any

import marshmallow as ma
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from footprint.platform.db import db
from footprint.platform.problems import Problem, flatten_errors

_KNOWN: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"Missing data for required field\."), lambda m: _("This field is required.")),
    (re.compile(r"Field may not be null\."), lambda m: _("This field is required.")),
    (re.compile(r"Must not be blank\."), lambda m: _("Enter more than spaces.")),
    (re.compile(r"required for a certificate"), lambda m: _("Required for a certificate.")),
    (re.compile(r"a reason is required"), lambda m: _("Give a reason.")),
    (
        re.compile(r"a nonconformity needs findings"),
        lambda m: _("A nonconformity needs its findings."),
    ),
    (re.compile(r"the file is empty"), lambda m: _("The file is empty.")),
    (re.compile(r"larger than (\d+) MB: .*"), lambda m: _("At most %(mb)s MB a file.", mb=m[1])),
    (
        re.compile(r"not a PDF, PNG, JPEG, CSV or XLSX file.*"),
        lambda m: _("Attach a PDF, PNG, JPEG, CSV or XLSX file."),
    ),
    (re.compile(r"Not a valid (number|integer|decimal)\."), lambda m: _("Enter a number.")),
    (re.compile(r"Not a valid date\."), lambda m: _("Enter a date (YYYY-MM-DD).")),
    (re.compile(r"Must be one of: .*"), lambda m: _("Choose one of the options.")),
    (
        re.compile(r"Must be greater than or equal to (\S+) and less than or equal to (\S+)\."),
        lambda m: _("From %(low)s to %(high)s.", low=m[1], high=m[2]),
    ),
    (
        re.compile(r"Must be greater than (\S+) and less than or equal to (\S+)\."),
        lambda m: _("More than %(low)s, at most %(high)s.", low=m[1], high=m[2]),
    ),
    (  # a present value can only fail "between 1 and N" by its length: too long
        re.compile(r"Length must be between 1 and (\d+)\."),
        lambda m: _("At most %(high)s characters.", high=m[1]),
    ),
    (
        re.compile(r"Length must be between (\d+) and (\d+)\."),
        lambda m: _("Between %(low)s and %(high)s characters.", low=m[1], high=m[2]),
    ),
    (
        re.compile(r"Longer than maximum length (\d+)\."),
        lambda m: _("At most %(high)s characters.", high=m[1]),
    ),
    (
        re.compile(r"Shorter than minimum length (\d+)\."),
        lambda m: _("At least %(low)s characters.", low=m[1]),
    ),
)


def message(text: str) -> str:
    """One error message in the page's language (as written if it is not a known one)."""
    for pattern, say in _KNOWN:
        found = pattern.fullmatch(text)
        if found:
            return say(found)
    return text


def messages(errors: Mapping[str, Any]) -> dict[str, str]:
    """Field path → its first message, in the page's language."""
    return {path: message(str(found[0])) for path, found in flatten_errors(errors).items() if found}


def number(text: str) -> Any:
    """A number typed in a form as the JSON body would carry it: a whole number as an
    int, one with decimals as a float (which the API's `Quantity` fields read back exactly,
    by its shortest decimal form, as they read JSON); anything else as typed, for the
    schema to name the field."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        return text
    return value if math.isfinite(value) else text


_STEP = re.compile(r"([A-Za-z_]\w*)|\[(\d+)\]")


def nested(flat: Mapping[str, str], *, numbers: frozenset[str] = frozenset()) -> dict[str, Any]:
    """The body a form's fields spell out, each field named by its path in the body
    (``plan.targets[0].year``), so that an error's path is its field's name. Blank fields
    are left out; a field whose last name is in ``numbers`` is read by `number`; list
    items keep their order, the gaps of blank rows closed up (show the form again from
    `flat` of the body, so that its rows and the errors' paths agree)."""
    body: dict[str, Any] = {}
    for path, text in flat.items():
        value = text.strip()
        steps = [(name, int(index) if index else None) for name, index in _STEP.findall(path)]
        if not value or not steps:
            continue
        node: Any = body
        field = next((name for name, _ in reversed(steps) if name), "")  # ``ids[0]``: "ids"
        for position, (name, index) in enumerate(steps):
            key: Any = name if name else index
            if not isinstance(node, dict):
                break  # a path that crosses another field's value: not the form's own
            if position == len(steps) - 1:
                node[key] = number(value) if field in numbers else value
            else:
                node = node.setdefault(key, {})
    return _listed(body)


def _listed(node: Any) -> Any:
    """Dicts keyed by row numbers become lists, in row order."""
    if not isinstance(node, dict):
        return node
    if node and all(isinstance(key, int) for key in node):
        return [_listed(node[key]) for key in sorted(node)]
    return {key: _listed(value) for key, value in node.items()}


def flat(body: Any, prefix: str = "") -> dict[str, str]:
    """`nested`'s inverse: each value of ``body`` as text under its path."""
    if isinstance(body, dict):
        found: dict[str, str] = {}
        for key, value in body.items():
            found |= flat(value, f"{prefix}.{key}" if prefix else str(key))
        return found
    if isinstance(body, list):
        found = {}
        for index, value in enumerate(body):
            found |= flat(value, f"{prefix}[{index}]")
        return found
    return {} if body is None else {prefix: str(body)}


def values(form: MultiDict[str, str], names: tuple[str, ...]) -> dict[str, str]:
    """The named fields as typed, stripped of surrounding white space; blank ones left out."""
    return {name: form.get(name, "").strip() for name in names if form.get(name, "").strip()}


def submit(
    schema: ma.Schema, data: dict[str, Any], act: Callable[[dict[str, Any]], Any]
) -> tuple[Any, dict[str, str]]:
    """``act(schema.load(data))``, or its errors by field in the page's language: the
    schema's field errors, or a service's (a `Problem`: its field errors, or else its
    detail under ``"form"``, for the page to show above the form). The result is None
    when there are errors. A service's refusal rolls the session back: what it locked or
    began is undone before the page is shown again."""
    try:
        loaded = schema.load(data)
    except ma.ValidationError as error:
        return None, messages(error.normalized_messages())
    try:
        return act(loaded), {}
    except Problem as problem:
        if problem.status >= 500:
            raise
        db.session.rollback()
        return None, messages(problem.errors) if problem.errors else {"form": problem.detail}
