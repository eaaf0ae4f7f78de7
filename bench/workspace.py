"""The workspaces under load, against ``/healthz``: an operator's inventory page and the
verifier's review screen, both for an inventory of 500 lines (the API's most), signed
in with a session cookie, in wrk runs alternating with ``/healthz`` on the gunicorn of
`bench.http`, in a database of its own with the demo's data. And a CSV upload of 10,000
rows checked row by row (`CSV_ROWS`), timed over `CSV_ROUNDS` requests.

The pages are rendered for each request (nothing of a signed-in page is cached whole);
what their views keep is the inventory's result and its tables, under the inventory's
``updated_at`` (`footprint.services.inventories.compute`,
`footprint.web.workspace.result_tables`).
"""

from __future__ import annotations

import json
import re
import statistics
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import date
from http.cookiejar import CookieJar
from typing import Any

from bench import http
from bench.environment import Environment, prepared

TARGET_RATIO = 0.40
CSV_ROWS = 10_000
CSV_SECONDS = 2.0
CSV_ROUNDS = 5
PART = "workspace"
PASSWORD = "bench horse battery staple"
OPERATOR, ADMIN, VERIFIER = (
    "operator@scenic.example",
    "admin@wulingyuan.example",
    "auditor@hncvc.example",
)
LINES = (
    {"kind": "grid_electricity", "unit": "MWh"},
    {"kind": "fuel", "key": "diesel", "unit": "L"},
    {"kind": "refrigerant", "key": "r410a", "unit": "kg"},
    {"kind": "waste", "key": "landfill", "unit": "t"},
    {"kind": "water", "key": "water_supply", "unit": "m3"},
)
"""The kinds the 500 lines cycle through, each line a quantity of its own."""


def _inventory(lines: int) -> dict[str, Any]:
    year = date.today().year - 1
    return {
        "period_start": f"{year}-01-01",
        "period_end": f"{year}-12-31",
        "scope3_categories": [1, 5],
        "metrics": {"room_nights": 30000, "visitors": 50000},
        "lines": [{**LINES[i % len(LINES)], "quantity": 10 + i} for i in range(lines)],
    }


def _application(inventory_id: int) -> dict[str, Any]:
    return {
        "inventory_id": inventory_id,
        "retirement_ids": [],
        "boundary": {"zh": "基准酒店：客房与餐厅。", "en": "The lodge: rooms and restaurant."},
        "management_plan": {
            "baseline": {"period_start": "2019-01-01", "period_end": "2019-12-31", "tco2e": 900},
            "targets": [{"year": 2030, "metric": "room_nights", "reduction_percent": 30}],
            "measures": [{"title": "Heat pumps", "responsible": "Facilities", "due": "2028-06-30"}],
            "offset_strategy": "Wulingyuan forest-sink credits",
            "publication": "Every year on the lodge's website.",
        },
    }


class Session:
    """A browser's cookie session with the server: signs in through the login form."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            return str(response.read().decode("utf-8"))

    def token(self, path: str) -> str:
        found = re.search(r'name="csrf_token" value="([^"]+)"', self.get(path))
        if found is None:
            raise SystemExit(f"{PART}: no form on {path}")
        return found[1]

    def sign_in(self, email: str) -> None:
        fields = {"email": email, "password": PASSWORD, "csrf_token": self.token("/login")}
        data = urllib.parse.urlencode(fields).encode()
        self.opener.open(self.base + "/login", data, timeout=30).close()

    def post_file(self, path: str, fields: dict[str, str], content: bytes) -> tuple[int, bytes]:
        """A multipart form with one file field (``file``), as the upload form sends it."""
        boundary = "benchboundary7d1f"
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            for name, value in fields.items()
        ]
        body = (
            "".join(parts).encode()
            + f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="lines.csv"\r\nContent-Type: text/csv\r\n\r\n'.encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        outgoing = urllib.request.Request(
            self.base + path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        )
        try:
            with self.opener.open(outgoing, timeout=60) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    @property
    def cookie(self) -> tuple[tuple[str, str], ...]:
        return (("Cookie", "; ".join(f"{c.name}={c.value}" for c in self.jar)),)


def _tokens(demo_output: str) -> dict[str, str]:
    """The demo's users' API tokens, by e-mail, as it printed them."""
    return dict(re.findall(r"^\w+ (\S+@\S+): API token (\S+)", demo_output, re.MULTILINE))


def _api(server: http.Server, token: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
    status, payload = http.request(
        server.base + path, body, headers={"Authorization": f"Bearer {token}"}
    )
    if status not in (200, 201):
        raise SystemExit(f"{PART}: POST {path} answered {status}: {payload[:300]!r}")
    return dict(json.loads(payload))


def _prepare(environment: Environment, server: http.Server) -> tuple[int, int, int]:
    """A venue with an inventory of 500 lines, applied for, assigned and in review: the
    venue's, the inventory's and the application's ids."""
    tokens = _tokens(environment.run_flask("demo"))
    operator, admin, verifier = tokens[OPERATOR], tokens[ADMIN], tokens[VERIFIER]
    venue = _api(server, operator, "/api/v1/venues", {"name": "Bench Lodge", "kind": "hotel"})
    inventory = _api(server, operator, f"/api/v1/venues/{venue['id']}/inventories", _inventory(500))
    number = _api(server, operator, "/api/v1/applications", _application(inventory["id"]))["id"]
    transitions = f"/api/v1/applications/{number}/transitions"
    _api(server, operator, transitions, {"action": "submit"})
    _api(server, admin, f"/api/v1/applications/{number}/assignment", {"verifier": VERIFIER})
    _api(server, verifier, transitions, {"action": "start_review"})
    return venue["id"], inventory["id"], number


def _csv(rows: int) -> bytes:
    lines = ["kind,key,quantity,unit"]
    for i in range(rows):
        line = LINES[i % len(LINES)]
        lines.append(f"{line['kind']},{line.get('key', '')},{10 + i},{line['unit']}")
    return ("\n".join(lines) + "\n").encode()


def _csv_check(session: Session, venue_id: int) -> dict[str, Any]:
    """The upload of `CSV_ROWS` rows, checked and refused (the API takes 500 lines at
    most, and every row is checked and reported first): seconds per request."""
    form = f"/workspace/venues/{venue_id}/inventories/new"
    year = date.today().year - 2
    fields = {
        "csrf_token": session.token(form),
        "period_start": f"{year}-01-01",
        "period_end": f"{year}-12-31",
        "scope3_1": "on",
        "scope3_5": "on",
    }
    content = _csv(CSV_ROWS)
    seconds = []
    for _ in range(CSV_ROUNDS):
        start = time.perf_counter()
        status, body = session.post_file(
            f"/workspace/venues/{venue_id}/inventories/upload", fields, content
        )
        seconds.append(round(time.perf_counter() - start, 3))
        if status != 422 or b"500" not in body:
            raise SystemExit(f"{PART}: the {CSV_ROWS}-row upload answered {status}")
    median = statistics.median(seconds)
    return {
        "rows": CSV_ROWS,
        "bytes": len(content),
        "seconds_per_round": seconds,
        "seconds": median,
        "target_seconds": CSV_SECONDS,
        "ok": median <= CSV_SECONDS,
    }


def run(load: http.Load) -> dict[str, Any]:
    """The two pages against /healthz and the CSV check, in a database of their own."""
    results: dict[str, Any] = {}
    with prepared() as environment, http.serving(environment, PART) as server:
        venue_id, inventory_id, number = _prepare(environment, server)
        operator, verifier = Session(server.base), Session(server.base)
        for email, session in ((OPERATOR, operator), (VERIFIER, verifier)):
            environment.run_flask(
                "users", "set-password", email, "--password-stdin", stdin=PASSWORD
            )
            session.sign_in(email)
        pages = (
            http.Endpoint(
                "inventory_page", f"/workspace/inventories/{inventory_id}", headers=operator.cookie
            ),
            http.Endpoint(
                "review_screen", f"/review/applications/{number}", headers=verifier.cookie
            ),
        )
        for page in pages:
            status, body = http.request(server.url(page), headers=dict(page.headers))
            if status != 200 or body.count(b"<tr>") < 500:
                raise SystemExit(f"{PART}: {page.path} answered {status} without its 500 lines")
            runs = http.alternate(server, (http.HEALTHZ, page), load, environment.tmp)
            results[page.name] = http.summary(runs, load, page.name, TARGET_RATIO)
        results["csv_check"] = _csv_check(operator, venue_id)
    return {**results, "ok": all(result["ok"] for result in results.values())}
