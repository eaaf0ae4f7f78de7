"""Security headers on every response, and a strict Content-Security-Policy.

Pages load scripts and styles from this origin only, never inline (no ``<script>``
bodies, ``<style>`` blocks or ``style=`` attributes: the CSS is ``static/site.css``);
charts are inline SVG drawn with presentation attributes, which CSP allows. Only the
Swagger UI page relaxes one thing, inline styles, which its React widgets set. When the
service's public address is https, browsers are told to come back over https only
(HSTS, a year); over plain http that header would mean nothing, so it is not sent.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request

POLICY = {
    "default-src": "'none'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
    "base-uri": "'none'",
}
DOCS_PATH = "/api/docs"


def _policy(**changes: str) -> str:
    return "; ".join(f"{name} {value}" for name, value in {**POLICY, **changes}.items())


CSP = _policy()
DOCS_CSP = _policy(**{"style-src": "'self' 'unsafe-inline'"})
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"


def _secure(response: Response) -> Response:
    response.headers.update(HEADERS)
    docs = request.path.startswith(DOCS_PATH)
    response.headers.setdefault("Content-Security-Policy", DOCS_CSP if docs else CSP)
    if current_app.config["PUBLIC_BASE_URL"].startswith("https://"):
        response.headers["Strict-Transport-Security"] = HSTS
    return response


def init_app(app: Flask) -> None:
    app.after_request(_secure)
