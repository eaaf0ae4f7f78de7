"""Pages served again from memory while the data they show has not moved.

A public page (the calculator, a shared result, the progress dashboard) is the same for
everyone who asks for the same address in the same language: it shows no account, no
form token, nothing of the visitor. A signed-in person's page (an inventory of hundreds
of lines, a review screen) is kept under a version that names them and their session's
form token besides its data (``private``), so it is only ever served to them again.
Rendering a page again for each request is most of its
cost (a database pass over the verified figures, a template, charts), so each worker
keeps the last pages it rendered (`SIZE`, least recently used first out) under a key of
the address, the language, the database and the **data version** its view passes in:
a value, read in one cheap query, that moves whenever anything the page shows could
have changed (`footprint.services.trips.choices_version` for the calculator,
`certify.services.data_version.version` for the dashboard). A request whose version
matches a kept page is answered from it; any other renders and keeps the new page.

Every page served this way has a strong ``ETag`` (the SHA-256 of its bytes) and
``Cache-Control: no-cache``: a browser may keep it but asks each time, and gets a 304
when nothing changed. Two workers or two nodes render the same bytes for the same
version, so their ETags agree.

A hand-written LRU rather than Flask-Caching: the whole need is a bounded dictionary per
process keyed by a value the caller reads anyway; a shared cache server would add a
round trip to every hit and a service to run, for pages a worker renders in a few ms.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Response, request

from footprint.platform.db import db
from footprint.platform.i18n import language

SIZE = 256
"""Pages (and the parts views keep with `kept`) per worker: about 5 MB at 20 kB each."""
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Page:
    body: bytes
    etag: str
    mimetype: str


_kept: OrderedDict[Hashable, Any] = OrderedDict()
_lock = threading.Lock()


def clear() -> None:
    """Forget every kept page (for a process whose database was replaced under it)."""
    with _lock:
        _kept.clear()


def kept(key: Hashable, make: Callable[[], T]) -> T:
    """``make()``'s value, kept under ``key`` beside the pages (and dropped with them):
    for a part of a page that many addresses share, such as a form's choices, keyed by
    the same data version. ``key`` must name the database and anything else it varies by."""
    with _lock:
        if key in _kept:
            _kept.move_to_end(key)
            return _kept[key]  # type: ignore[no-any-return]
    value = make()
    with _lock:
        _kept[key] = value
        _kept.move_to_end(key)
        while len(_kept) > SIZE:
            _kept.popitem(last=False)
    return value


def _made(render: Callable[[], str], mimetype: str) -> _Page:
    body = render().encode("utf-8")
    return _Page(body, hashlib.sha256(body).hexdigest(), mimetype)


def page(
    version: Hashable,
    render: Callable[[], str],
    *,
    mimetype: str = "text/html",
    private: bool = False,
) -> Response:
    """This request's page: the kept one if it was rendered for ``version`` (in this
    language, at this address, on this database), else ``render()``'s, then kept.

    A ``private`` page is a signed-in person's: its ``version`` names them and their
    session (its form token), and the response says ``Cache-Control: private``."""
    key = ("page", str(db.engine.url), language(), request.full_path, mimetype, version)
    made = kept(key, lambda: _made(render, mimetype))
    response = Response(made.body, mimetype=made.mimetype)
    response.set_etag(made.etag)
    response.cache_control.no_cache = True
    response.cache_control.private = private or None
    return response.make_conditional(request)
