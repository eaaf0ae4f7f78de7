"""Pages for people under load, against ``/healthz``: the trip calculator (the empty form,
and a submitted result) and the progress dashboard, each in wrk runs alternating with
``/healthz`` on the gunicorn of `bench.http` (2 sync workers), in a database of its own
with the demo's data. The verdict is each page's median ratio over the calm rounds.

The same address asked again is served from the workers' page cache
(`footprint.platform.page_cache`) while the data stands, as a shared link or the
dashboard is in use; `FRESH` measures a result rendered anew for every request, and is
reported beside the verdict.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from bench import http
from bench.environment import prepared

TARGET_RATIO = 0.50
PART = "pages"
RESULT_QUERY = {
    "t": 2,
    "m0": "flight",
    "d0": 1100,
    "r0": 1,
    "m1": "high_speed_rail",
    "d1": 600,
    "s0": "type:hotel",
    "n0": 3,
    "a0": "type:cable_car",
    "c0": 2,
}
"""The API example trip (`bench.example`) as the calculator's form submits it."""
PAGES = (
    http.Endpoint("calculator", "/calculator"),
    http.Endpoint("calculator_result", f"/calculator?{urlencode(RESULT_QUERY)}"),
    http.Endpoint("progress", "/progress"),
)
FRESH = http.Endpoint(
    "calculator_result_fresh",
    f"/calculator?{urlencode({k: v for k, v in RESULT_QUERY.items() if k != 'd1'})}",
    fresh="d1",
)
"""The submitted result again, each request with a distance of its own (a page never
asked for before, so rendered, not served from memory): reported beside the verdict,
not part of it — what a visitor's first look at their own trip costs."""


def run(load: http.Load) -> dict[str, Any]:
    """Each page against /healthz, in a database of its own with the demo loaded; a page
    that does not answer 200 is an error."""
    results: dict[str, Any] = {}
    with prepared() as environment, http.serving(environment, PART) as server:
        environment.run_flask("demo")
        for page in PAGES:
            status, body = http.request(server.url(page))
            if status != 200 or (page.name == "calculator_result" and b"data-total-kg" not in body):
                raise SystemExit(f"{PART}: {page.path} answered {status}")
            runs = http.alternate(server, (http.HEALTHZ, page), load, environment.tmp)
            results[page.name] = http.summary(runs, load, page.name, TARGET_RATIO)
        runs = http.alternate(server, (http.HEALTHZ, FRESH), load, environment.tmp)
        fresh = http.summary(runs, load, FRESH.name, TARGET_RATIO)
    return {
        **results,
        FRESH.name: {**fresh, "in_verdict": False},
        "ok": all(result["ok"] for result in results.values()),
    }
