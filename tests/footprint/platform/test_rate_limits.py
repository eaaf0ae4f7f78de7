"""Rate limits with their real counters (the suite's shared app runs without them):
wrong passwords per account and per address, token creation, the public endpoints,
the 429 problem and page, two app instances sharing the sign-in limit in Redis, and the
public limit's reservations in Redis.

The Redis tests use ``TEST_REDIS_URL`` (`tests.redis_server`), each under a key prefix of
its own, deleted afterwards; they are skipped if Redis is unreachable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from limits import RateLimitItem, parse
from limits.storage import RedisStorage, storage_from_string
from limits.strategies import SlidingWindowCounterRateLimiter

from footprint.platform.app import create_app
from footprint.platform.db import db
from footprint.platform.problems import PROBLEM_JSON
from footprint.platform.rate_limits import APPROXIMATE, EXACT, EXTENSION
from footprint.platform.reserved_counts import ReservingRedisStorage, reserving
from tests.people import PASSWORD, add_person, csrf
from tests.redis_server import REDIS_URL, own_prefix, redis_or_skip

EMAIL = "keeper@example.com"
JSON = {"Accept": "application/json"}

LimitedApp = Callable[..., Flask]


@pytest.fixture
def limited_app(app: Flask) -> Iterator[LimitedApp]:
    """``limited_app(**config)``: another app on the test database, with its limits on
    (in memory unless ``RATELIMIT_STORAGE_URI`` says otherwise)."""
    made: list[Flask] = []

    def make(**config: Any) -> Flask:
        shared = ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "KEY_STORE")
        limited = create_app(
            {
                **{name: app.config[name] for name in shared},
                "TESTING": True,
                "RATELIMIT_ENABLED": True,
                "RATELIMIT_STORAGE_URI": "memory://",
                **config,
            }
        )
        made.append(limited)
        return limited

    yield make
    for limited in made:
        with limited.app_context():
            db.session.remove()
            db.engine.dispose()


def try_password(
    client: FlaskClient, email: str, password: str, address: str = "127.0.0.1", lang: str = ""
) -> Any:
    """One sign-in attempt through the form, from ``address``; a browser's if ``lang``."""
    query = f"?lang={lang}" if lang else ""
    token = csrf(client.get(f"/login{query}"))
    return client.post(
        f"/login{query}",
        data={"csrf_token": token, "email": email, "password": password},
        headers={"Accept": "text/html"} if lang else JSON,
        environ_base={"REMOTE_ADDR": address},
    )


def wrong_tries(client: FlaskClient, email: str, times: int) -> list[int]:
    return [try_password(client, email, "wrong password").status_code for _ in range(times)]


def assert_retry_problem(response: Any) -> None:
    """A 429 problem that says when to try again, in its detail and in Retry-After."""
    assert response.status_code == 429
    assert response.content_type == PROBLEM_JSON
    wait = int(response.headers["Retry-After"])
    assert wait > 0
    body = response.json
    assert body["status"] == 429 and body["title"] == "Too Many Requests"
    assert f"Retry after {wait} seconds" in body["detail"]


def test_the_sixth_wrong_password_within_the_window_is_refused(app, limited_app):
    add_person(app, EMAIL, organisation="Tianmen Hotel")
    client = limited_app().test_client()
    assert wrong_tries(client, EMAIL, 11) == [401] * 5 + [429] * 6
    assert_retry_problem(try_password(client, EMAIL, "wrong password"))
    assert try_password(client, EMAIL, PASSWORD).status_code == 429  # even the right one
    # the account's limit: from another address and in capitals too, but not another's
    assert try_password(client, EMAIL.upper(), PASSWORD, address="192.0.2.7").status_code == 429
    add_person(app, "other@example.com", organisation="Tianmen Hotel")
    assert try_password(client, "other@example.com", PASSWORD).status_code == 303


def test_signing_in_does_not_count_and_one_address_is_limited_across_accounts(app, limited_app):
    add_person(app, EMAIL, organisation="Tianmen Hotel")
    client = limited_app(RATE_LIMIT_SIGN_IN_ADDRESS="3 per 15 minutes").test_client()
    for _ in range(4):  # more than the address's 3: signing in never counts
        assert try_password(client, EMAIL, PASSWORD).status_code == 303
    statuses = [wrong_tries(client, f"guess{n}@example.com", 1)[0] for n in range(5)]
    assert statuses == [401, 401, 401, 429, 429]
    assert try_password(client, "guess9@example.com", "x", address="192.0.2.8").status_code == 401


def test_a_browser_gets_the_error_page_in_its_language(limited_app):
    client = limited_app(RATE_LIMIT_SIGN_IN_ACCOUNT="1 per 15 minutes").test_client()
    assert wrong_tries(client, EMAIL, 1) == [401]
    page = try_password(client, EMAIL, "wrong", lang="zh")
    assert page.status_code == 429 and page.mimetype == "text/html"
    assert int(page.headers["Retry-After"]) > 0
    html = page.get_data(as_text=True)
    assert "请求过于频繁" in html and "后再试" in html
    english = try_password(client, EMAIL, "wrong", lang="en").get_data(as_text=True)
    assert "Too many requests: wait a moment" in english and "Please try again in" in english


def test_token_creation_is_limited_through_the_api(limited_app, auth):
    headers = auth("operator", "Tianmen Hotel")
    client = limited_app(RATE_LIMIT_TOKENS="2 per hour").test_client()
    statuses = [client.post("/api/v1/tokens", headers=headers).status_code for _ in range(3)]
    assert statuses == [201, 201, 429]
    assert_retry_problem(client.post("/api/v1/tokens", headers=headers))


def test_the_public_trip_and_verify_endpoints_are_limited_per_address(limited_app):
    client = limited_app(RATE_LIMIT_PUBLIC="3 per minute").test_client()
    trip = {"transport": [{"mode": "bus", "distance_km": 10}]}
    trips = [client.post("/api/v1/footprints/trips", json=trip).status_code for _ in range(4)]
    assert trips[:3] != [429] * 3 and trips[3] == 429
    # verification: the API and the /v/ page share one count
    answers = [client.get("/api/v1/verify/not-a-token").status_code for _ in range(2)]
    answers.append(client.get("/v/not-a-token", headers=JSON).status_code)
    assert 429 not in answers
    assert_retry_problem(client.get("/api/v1/verify/not-a-token"))
    elsewhere = client.get("/api/v1/verify/x", environ_base={"REMOTE_ADDR": "192.0.2.9"})
    assert elsewhere.status_code != 429


def test_the_openapi_document_says_which_operations_may_answer_429(client):
    paths = client.get("/api/openapi.json").json["paths"]
    assert "429" in paths["/api/v1/footprints/trips"]["post"]["responses"]
    assert "429" in paths["/api/v1/verify/{token}"]["get"]["responses"]
    assert "429" in paths["/api/v1/tokens"]["post"]["responses"]
    assert "429" not in paths["/api/v1/labels"]["get"]["responses"]


def test_two_app_instances_share_the_sign_in_limit_through_redis(app, limited_app, redis_prefix):
    config = {"RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": redis_prefix}
    first = limited_app(**config).test_client()
    second = limited_app(**config).test_client()
    assert wrong_tries(first, EMAIL, 3) == [401] * 3
    assert wrong_tries(second, EMAIL, 3) == [401, 401, 429]
    assert_retry_problem(try_password(first, EMAIL, "wrong password"))
    assert any(redis_or_skip().scan_iter(match=f"*{redis_prefix}*"))


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A key prefix of the test's own in the test Redis (`tests.redis_server`)."""
    with own_prefix() as prefix:
        yield prefix


def reserving_limiter(prefix: str) -> SlidingWindowCounterRateLimiter:
    """The public limits' strategy on a reserving storage, as one process holds it."""
    storage = storage_from_string(reserving(REDIS_URL), key_prefix=prefix)
    assert isinstance(storage, ReservingRedisStorage)
    return SlidingWindowCounterRateLimiter(storage)


def counted(limiter: SlidingWindowCounterRateLimiter, limit: RateLimitItem) -> int:
    """What Redis has counted of ``limit`` for the key ``client`` in this window."""
    return limiter.storage.get_sliding_window(limit.key_for("client"), limit.get_expiry())[2]


def test_a_public_request_reserves_ten_and_the_next_nine_ask_redis_nothing(redis_prefix):
    limiter, limit = reserving_limiter(redis_prefix), parse("600 per minute")
    assert limiter.hit(limit, "client")
    assert counted(limiter, limit) == 10
    assert all(limiter.hit(limit, "client") for _ in range(9))
    assert counted(limiter, limit) == 10
    assert limiter.hit(limit, "client")
    assert counted(limiter, limit) == 20


def test_a_limit_under_120_a_window_is_counted_request_by_request(redis_prefix):
    limiter, limit = reserving_limiter(redis_prefix), parse("59 per minute")
    assert limiter.hit(limit, "client")
    assert counted(limiter, limit) == 1


def test_processes_holding_reservations_never_let_more_through_than_the_limit(redis_prefix):
    processes = [reserving_limiter(redis_prefix) for _ in range(3)]
    limit = parse("600 per minute")
    let_through = sum(processes[i % 3].hit(limit, "client") for i in range(700))
    # each process may hold up to 9 requests it reserved and has not used yet
    assert 600 - 3 * 9 <= let_through <= 600
    assert counted(processes[0], limit) <= 600


def test_the_public_limit_reserves_in_redis_and_the_sign_in_limits_count_exactly(
    limited_app, redis_prefix
):
    config = {"RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": redis_prefix}
    limiters = limited_app(**config).extensions[EXTENSION]
    assert type(limiters[APPROXIMATE].storage) is ReservingRedisStorage
    assert type(limiters[EXACT].storage) is RedisStorage
