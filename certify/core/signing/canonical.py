"""Canonical JSON (RFC 8785) and unpadded base64url: the bytes that get signed.

Also the two small helpers the sibling modules share for their checks and messages:
`show` and `is_int`.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from decimal import Decimal

MAX_SAFE_INTEGER = 2**53 - 1
MAX_DEPTH = 32
MAX_DECIMAL_EXPONENT = 100

_B64URL = re.compile(r"[A-Za-z0-9_-]*")
_ESCAPED = re.compile(r'["\\\x00-\x1f]')
_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def show(value: object, limit: int = 24) -> str:
    """``value`` quoted for a message, cut short if long (inputs may be anything)."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


def is_int(value: object) -> bool:
    """Whether ``value`` is an integer, and not a ``bool`` (which Python counts as one)."""
    return isinstance(value, int) and not isinstance(value, bool)


# --- canonical JSON ------------------------------------------------------------------


def _utf16(text: str, where: str) -> bytes:
    try:
        return text.encode("utf-16-be")
    except UnicodeEncodeError:
        raise ValueError(
            f"{where}: text must be valid Unicode, not hold a lone surrogate"
        ) from None


def _string(text: str, where: str) -> str:
    _utf16(text, where)
    return '"' + _ESCAPED.sub(lambda m: _ESCAPES.get(m[0]) or f"\\u{ord(m[0]):04x}", text) + '"'


def _decimal_text(value: Decimal, where: str) -> str:
    if not value.is_finite():
        raise ValueError(f"{where}: Decimal {value} is not a finite number")
    if value.is_zero():
        return "0"
    if abs(value.adjusted()) > MAX_DECIMAL_EXPONENT:
        raise ValueError(f"{where}: Decimal {show(value)} is beyond 10**±{MAX_DECIMAL_EXPONENT}")
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _write(value: object, out: list[str], where: str, depth: int) -> None:
    if depth > MAX_DEPTH:
        raise ValueError(f"{where}: nested deeper than {MAX_DEPTH}")
    if value is None:
        out.append("null")
    elif value is True or value is False:
        out.append("true" if value else "false")
    elif isinstance(value, int):
        if not -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
            raise ValueError(f"{where}: integer {show(value)} is beyond ±(2**53 − 1)")
        out.append(str(int(value)))
    elif isinstance(value, str):
        out.append(_string(value, where))
    elif isinstance(value, Decimal):
        out.append(_string(_decimal_text(value, where), where))
    elif isinstance(value, float):
        raise ValueError(f"{where}: {value!r} is a float; use an int or a Decimal")
    elif isinstance(value, Mapping):
        members = []
        for key in value:
            if not isinstance(key, str):
                raise ValueError(f"{where}: object keys must be text, not {show(key)}")
            members.append((_utf16(key, where), key))
        members.sort(key=lambda member: member[0])
        out.append("{")
        for i, (_, key) in enumerate(members):
            if i:
                out.append(",")
            out.append(_string(key, where))
            out.append(":")
            _write(value[key], out, f"{where}[{show(key)}]", depth + 1)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _write(item, out, f"{where}[{i}]", depth + 1)
        out.append("]")
    else:
        raise ValueError(f"{where}: {type(value).__name__} has no canonical JSON form")


def canonical_json(value: object) -> bytes:
    """The RFC 8785 canonical JSON of ``value`` as UTF-8 (see `certify.core.signing`)."""
    out: list[str] = []
    _write(value, out, "$", 0)
    return "".join(out).encode("utf-8")


# --- base64url -----------------------------------------------------------------------


def b64url_encode(data: bytes) -> str:
    """``data`` in base64url without padding (RFC 7515 §2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """The bytes of unpadded base64url ``text``; refuses any other spelling of them.

    Padding, ``+``/``/``, whitespace and unused low bits that are not zero are all
    refused (`ValueError`), so no two texts decode to the same bytes.
    """
    if not isinstance(text, str) or not _B64URL.fullmatch(text) or len(text) % 4 == 1:
        raise ValueError("not base64url without padding")
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if b64url_encode(data) != text:
        raise ValueError("not the canonical base64url of its bytes (stray bits at the end)")
    return data
