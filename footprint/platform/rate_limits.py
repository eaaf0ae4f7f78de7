"""Rate limits, from one place, with Flask-Limiter: who may ask how often.

A view says which limit it is under with ``@limited(SETTING, key=…)``, right under its
route decorator, so that the limit is checked before anything else (authentication,
the body); the limits themselves are settings (``RATE_LIMIT_*``, see ``DEFAULTS``), so
that an operator — or a benchmark — may change them without touching code.

Each app gets its own ``Limiter`` (``init_app``, called once every feature has
registered its views), kept in ``app.extensions``: Flask-Limiter keeps its storage and
settings on the instance, so one instance shared by several apps (the tests make many)
would let the last app's settings govern them all.

Counts are kept in Redis when ``REDIS_URL`` is set (production: the limits hold across
workers and nodes), in memory otherwise (one process: the embedded default). Should
Redis become unreachable, requests go on, limited in memory, rather than fail. Two
strategies, so two limiters an app: the tight limits (sign-in, tokens, sheets) count
exactly, each request in a moving window (the 6th wrong password within any 15 minutes
is refused); the generous one (``GENEROUS``) keeps two counters a key in a sliding
window, so ten requests a second cost what one does, and in Redis takes its requests a
few at a time (`footprint.platform.reserved_counts`): most public requests ask Redis
nothing.

A refused request is a ``429`` problem (``footprint.platform.problems``; a page for a
browser) that says when to try again, in its detail and in ``Retry-After``.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, Response, current_app, request
from flask_babel import gettext as _
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address

from footprint.platform.openapi import add_doc, problem_responses
from footprint.platform.problems import problem_response, wants_page
from footprint.platform.reserved_counts import reserving

DEFAULTS = {
    "RATE_LIMIT_SIGN_IN_ACCOUNT": "5 per 15 minutes",
    "RATE_LIMIT_SIGN_IN_ADDRESS": "20 per 15 minutes",
    "RATE_LIMIT_TOKENS": "20 per hour",
    "RATE_LIMIT_PUBLIC": "600 per minute",
    "RATE_LIMIT_SHEETS": "60 per hour",
}
"""Each limit's setting and its default (``N per [N] second|minute|hour|day``):

- ``SIGN_IN_ACCOUNT``: wrong passwords for one e-mail address, from anywhere (the 6th
  wrong try within 15 minutes is refused, whatever the password);
- ``SIGN_IN_ADDRESS``: wrong passwords from one client address, whichever accounts;
- ``TOKENS``: API tokens created from one client address (API and account page);
- ``PUBLIC``: the public trip calculator and verification (API and `/v/` page), per
  client address — generous: ten a second, for a kiosk or a visitor Wi-Fi behind one
  address;
- ``SHEETS``: print-sheet PDFs per client address (API and workspace page; each at most
  `certify.web.labels.MAX_SHEET_LABELS` labels; bigger print runs: `flask labels sheets`).
"""
GENEROUS = frozenset({"RATE_LIMIT_PUBLIC"})
"""Limits counted approximately (sliding-window counters); the others exactly."""
EXACT, APPROXIMATE = "moving-window", "sliding-window-counter"
KEY_PREFIX = "scenic-carbon"
EXTENSION = "scenic_carbon_limiter"
RULES = "_rate_limits"
"""On a view: the ``Rule``s it is under (read by ``init_app``)."""

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Rule:
    """One limit a view is under: the setting holding it, whose requests count together,
    the bucket it shares with other views (``None``: its own; the key is the client's
    address unless said otherwise), and which responses
    count (``None``: all; else only those for which ``counts`` is true)."""

    setting: str
    key: Callable[[], str]
    shared: str | None = None
    counts: Callable[[Response], bool] | None = None


def submitted_account() -> str:
    """The e-mail address a sign-in form names, normalised and hashed (no address in
    the counters' storage)."""
    email = request.form.get("email", "").strip().lower()
    return "account:" + hashlib.sha256(email.encode("utf-8", "replace")).hexdigest()[:32]


def refused(response: Response) -> bool:
    """Whether a sign-in failed (only failures count towards the sign-in limits)."""
    return response.status_code == 401


def limited(
    setting: str,
    *,
    key: Callable[[], str] = get_remote_address,
    shared: str | None = None,
    counts: Callable[[Response], bool] | None = None,
) -> Callable[[F], F]:
    """Put a view under the limit ``setting`` (one of ``DEFAULTS``); stackable. Placed
    right under the route decorator, the limit is checked before the view's others."""
    if setting not in DEFAULTS:
        raise ValueError(f"unknown rate limit setting {setting!r}")

    def decorate(view: F) -> F:
        rules = (*getattr(view, RULES, ()), Rule(setting, key, shared, counts))
        setattr(view, RULES, rules)
        return add_doc(view, problem_responses(429))

    return decorate


def _limiters_of(app: Flask) -> dict[str, Limiter]:
    limiters: dict[str, Limiter] = app.extensions[EXTENSION]
    return limiters


def _apply(app: Flask, view: Callable[..., Any], rule: Rule) -> Any:
    """``view`` under ``rule`` in this app's limiter of the rule's strategy
    (Flask-Limiter's decorators). The limit is the app's setting as a string, which
    Flask-Limiter parses once (a callable it would call and parse on every request)."""
    limiter = _limiters_of(app)[APPROXIMATE if rule.setting in GENEROUS else EXACT]
    limit = app.config[rule.setting]
    options: dict[str, Any] = {"key_func": rule.key, "deduct_when": rule.counts}
    if rule.shared:
        return limiter.shared_limit(limit, rule.shared, **options)(view)
    return limiter.limit(limit, **options)(view)


def _wait(error: RateLimitExceeded) -> int:
    """Whole seconds until the breached limit lets a request through again."""
    limits = [limiter.current_limit for limiter in _limiters_of(current_app).values()]
    breached = [limit for limit in limits if limit is not None and limit.breached]
    if not breached:  # the counters' storage failed meanwhile: a window's worth
        return max(1, int(error.limit.limit.get_expiry()))
    return max(1, math.ceil(max(limit.reset_at for limit in breached) - time.time()))


def _too_many(error: RateLimitExceeded) -> Response:
    seconds = _wait(error)
    if wants_page():
        if seconds < 120:
            detail = _("Please try again in %(seconds)s seconds.", seconds=seconds)
        else:
            detail = _("Please try again in %(minutes)s minutes.", minutes=math.ceil(seconds / 60))
    else:
        detail = (
            f"Too many requests: at most {error.limit.limit}. "
            f"Retry after {seconds} seconds (Retry-After)."
        )
    return problem_response(
        429, detail, title="Too Many Requests", headers={"Retry-After": str(seconds)}
    )


def settings(environ: Mapping[str, str], redis_url: str | None) -> dict[str, Any]:
    """The limiter's configuration: each limit from the environment or its default."""
    return {
        **{name: environ.get(name) or default for name, default in DEFAULTS.items()},
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_KEY_PREFIX": environ.get("RATE_LIMIT_KEY_PREFIX") or KEY_PREFIX,
        "RATELIMIT_HEADERS_ENABLED": False,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
    }


def init_app(app: Flask) -> None:
    """This app's limiters, and every registered view under the limits it declared."""
    storage = {EXACT: None, APPROXIMATE: reserving(app.config["RATELIMIT_STORAGE_URI"])}
    limiters = {
        kind: Limiter(get_remote_address, strategy=kind, storage_uri=uri)
        for kind, uri in storage.items()
    }
    for limiter in limiters.values():
        limiter.init_app(app)
    app.extensions[EXTENSION] = limiters  # Flask-Limiter holds its decorators' weakly
    app.register_error_handler(RateLimitExceeded, _too_many)
    for endpoint, view in list(app.view_functions.items()):
        rules: tuple[Rule, ...] = getattr(view, RULES, ())
        for rule in rules:  # the limits stack: each wraps what the previous one gave
            view = _apply(app, view, rule)
        app.view_functions[endpoint] = view
