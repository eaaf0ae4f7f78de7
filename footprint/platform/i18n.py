"""Two languages for the pages: Simplified Chinese by default, and English (Flask-Babel).

The language of a request is, in order: ``?lang=zh|en`` (then remembered in a cookie for
a year), the cookie, the browser's ``Accept-Language``, Chinese. Pages are written in
English inside ``_()``/``{% trans %}`` and each feature package keeps the Chinese of its
own strings in ``<package>/translations`` (`footprint.platform.catalogues` extracts,
checks and compiles them); Flask-Babel merges the packages' catalogues. Official PDFs
are not pages: they stay bilingual side by side.
"""

from __future__ import annotations

import importlib.util
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from urllib.parse import urlencode

from flask import Flask, Response, request
from flask_babel import Babel, format_decimal, get_locale

from footprint.platform.catalogues import translations_cli

LANGUAGES = {"zh": "zh-CN", "en": "en"}
"""Each language's Babel locale and its tag in ``<html lang>``."""
NAMES = {"zh": "中文", "en": "English"}
DEFAULT = "zh"
COOKIE = "lang"
COOKIE_AGE = 365 * 24 * 3600

babel = Babel()


def select_locale() -> str:
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return asked
    remembered = request.cookies.get(COOKIE)
    if remembered in LANGUAGES:
        return remembered
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT


def language() -> str:
    """This request's language: ``zh`` or ``en``."""
    return str(get_locale() or DEFAULT)


def _remember(response: Response) -> Response:
    """Remember a language asked for; say that a page's language follows the request's
    ``Accept-Language`` and cookie, so that no cache between serves one for the other."""
    if response.mimetype == "text/html":
        response.vary.update(("Accept-Language", "Cookie"))
    asked = request.args.get("lang")
    if asked in LANGUAGES and request.cookies.get(COOKIE) != asked:
        response.set_cookie(COOKIE, asked, max_age=COOKIE_AGE, samesite="Lax", httponly=True)
    return response


def switch_url(code: str) -> str:
    """This page in language ``code``: the same path and query, with ``lang`` set."""
    query = {key: value for key, value in request.args.items(multi=True) if key != "lang"}
    return f"{request.path}?{urlencode([*query.items(), ('lang', code)])}"


def _page_context() -> dict[str, object]:
    current = language()
    return {
        "lang": current,
        "html_lang": LANGUAGES[current],
        "other_languages": [
            (code, NAMES[code], switch_url(code)) for code in LANGUAGES if code != current
        ],
    }


def translation_directories(app: Flask) -> list[str]:
    """Every compiled catalogue of the platform's and the features' packages."""
    folders = set()
    for package in ["footprint.platform", *app.config["FEATURES"]]:
        spec = importlib.util.find_spec(package)
        if spec and spec.origin:
            translations = Path(spec.origin).parent / "translations"
            folders |= {str(mo.parents[2]) for mo in translations.rglob("messages.mo")}
    return sorted(folders)


def number(value: object, places: int = 3) -> str:
    """A figure for a page, in the page's language: grouped, at most ``places`` decimals,
    rounded half up as the PDFs round (figures mostly arrive rounded once already)."""
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return format_decimal(rounded, format="#,##0." + "#" * places if places else "#,##0")


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(translation_directories(app))
    babel.init_app(app, locale_selector=select_locale)
    app.cli.add_command(translations_cli)
    app.after_request(_remember)
    app.context_processor(_page_context)
    app.add_template_filter(number)
