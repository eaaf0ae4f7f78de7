"""Two app nodes on one PostgreSQL database and one Redis, as the README's production
layout runs them: each node a ``scenic-carbon serve`` (gunicorn, several workers) on a
port of its own, with the same secret, database, Redis and key store, and nothing else
in common. What one node does, the other sees at once: a race for one range of credits
has one winner whichever nodes its requests reach, a certificate issued through one
verifies on the other (also after the district's key was rotated), a revocation through
one shows on the other's `/v/` page at the next request, and wrong passwords count
together.

Needs ``TEST_DATABASE_URL`` on PostgreSQL and the test Redis (`tests.redis_server`);
skipped otherwise.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from flask import Flask

from certify.services import keys
from tests.certify.conftest import Certification
from tests.certify.races import assert_exactly_one_won, overlapping
from tests.people import PASSWORD, add_person, csrf
from tests.ports import free_port
from tests.redis_server import REDIS_URL, own_prefix

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.processes]

WORKERS = 3
"""Per node: with two nodes, six processes that may take a request at the same moment."""
CONTENDERS = 16
SECRET = "two-nodes-share-this-secret-of-32-characters-or-more"


@dataclass(frozen=True)
class Node:
    """One running node: where it answers, and its gunicorn."""

    base: str
    process: subprocess.Popen[bytes]
    log: Path

    def url(self, path: str) -> str:
        return self.base + path


def _start(environment: dict[str, str], directory: Path) -> Node:
    port = free_port()
    log = directory / f"node-{port}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "scenic-carbon"),
                "serve",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(WORKERS),
            ],
            cwd=directory,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    return Node(f"http://127.0.0.1:{port}", process, log)


def _wait_until_up(node: Node, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert node.process.poll() is None, node.log.read_text()
        try:
            if requests.get(node.url("/healthz"), timeout=2).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or its workers still starting
            pass
        time.sleep(0.2)
    pytest.fail(f"{node.base} did not answer /healthz in time:\n{node.log.read_text()}")


def _stop(node: Node) -> None:
    node.process.terminate()
    try:
        node.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        node.process.kill()
        node.process.wait()


@pytest.fixture(scope="module")
def nodes(_app: Flask, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Node, Node]]:
    """Two nodes on the suite's database and key store, sharing a Redis key prefix."""
    database = _app.config["SQLALCHEMY_DATABASE_URI"]
    if not database.startswith("postgresql"):
        pytest.skip("two nodes share one PostgreSQL database: set TEST_DATABASE_URL")
    directory = tmp_path_factory.mktemp("nodes")
    with own_prefix() as prefix:
        environment = {
            **os.environ,
            "DATABASE_URL": database,
            "SECRET_KEY": SECRET,
            "KEY_STORE": _app.config["KEY_STORE"],
            "REDIS_URL": REDIS_URL,
            "RATE_LIMIT_KEY_PREFIX": prefix,
            "INSTANCE_PATH": str(directory / "instance"),
            "LOG_LEVEL": "WARNING",
        }
        started = (_start(environment, directory), _start(environment, directory))
        try:
            for node in started:
                _wait_until_up(node)
            yield started
        finally:
            for node in started:
                _stop(node)


def test_sixteen_retirements_of_one_range_split_across_two_nodes_let_exactly_one_win(
    app, registry, nodes
):
    barrier = threading.Barrier(CONTENDERS)

    def attempt(i: int) -> int:
        url = nodes[i % 2].url("/api/v1/registry/retirements")
        with requests.Session() as session:
            session.get(nodes[i % 2].url("/healthz"), timeout=10)  # connected before the race
            barrier.wait()
            return session.post(
                url, json=overlapping(i), headers=registry.holder, timeout=30
            ).status_code

    with ThreadPoolExecutor(CONTENDERS) as pool:
        statuses = list(pool.map(attempt, range(CONTENDERS)))
    assert_exactly_one_won(app, statuses)


def _issue_through(node: Node, c: Certification) -> dict[str, Any]:
    """An application approved (in process), issued through ``node``: its certificate."""
    application = c.approved()
    issued = requests.post(
        node.url(f"/api/v1/applications/{application['id']}/transitions"),
        json={"action": "issue"},
        headers=c.admin,
        timeout=30,
    )
    assert issued.status_code == 200, issued.text
    shown = requests.get(
        node.url(f"/api/v1/certificates/{issued.json()['certificate_id']}"), timeout=10
    )
    assert shown.status_code == 200, shown.text
    return {"application_id": application["id"], **shown.json()}


def _scan(node: Node, token: str) -> str:
    answer = requests.get(node.url(f"/api/v1/verify/{token}"), timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()["status"]


def _page_statuses(node: Node, token: str, times: int = 2 * WORKERS) -> set[str]:
    """What the node's `/v/` page says, asked often enough to reach each of its workers."""
    said = set()
    for _ in range(times):
        page = requests.get(node.url(f"/v/{token}"), timeout=10)
        assert page.status_code == 200, page.text
        said |= set(re.findall(r'data-status="(\w+)"', page.text))
    return said


def test_a_certificate_issued_through_one_node_verifies_on_the_other_even_after_a_key_rotation(
    app, certification, nodes
):
    first, second = nodes
    before = _issue_through(first, certification)
    assert _scan(second, before["token"]) == "valid"
    with app.app_context():
        rotated = keys.store().rotate()
    after = _issue_through(first, certification)
    assert before["token"] != after["token"]
    assert _scan(second, after["token"]) == "valid"
    assert _scan(second, before["token"]) == "valid"  # the retired key still verifies
    published = requests.get(second.url("/api/v1/keys"), timeout=10).json()["keys"]
    assert rotated.kid in {key["kid"] for key in published}


def test_a_revocation_through_one_node_shows_on_the_others_page_at_once(app, certification, nodes):
    first, second = nodes
    certificate = _issue_through(first, certification)
    token = certificate["token"]
    assert _page_statuses(first, token) == {"valid"}  # each worker has seen it valid
    revoked = requests.post(
        second.url(f"/api/v1/applications/{certificate['application_id']}/transitions"),
        json={"action": "revoke", "reason": "Credits were counted twice."},
        headers=certification.admin,
        timeout=30,
    )
    assert revoked.status_code == 200, revoked.text
    assert _page_statuses(first, token) == {"revoked"}
    assert _scan(first, token) == "revoked"


def test_wrong_passwords_count_together_whichever_node_they_reach(app, nodes):
    email = "keeper-of-two-nodes@example.com"
    add_person(app, email, organisation="Tianmen Hotel")

    def sign_in(session: requests.Session, node: Node, password: str) -> int:
        form = session.get(node.url("/login"), timeout=10)
        return session.post(
            node.url("/login"),
            data={"csrf_token": csrf(form), "email": email, "password": password},
            headers={"Accept": "application/json"},
            allow_redirects=False,
            timeout=10,
        ).status_code

    with requests.Session() as session:  # one cookie jar, as behind one load balancer
        tries = [sign_in(session, nodes[i % 2], "wrong password") for i in range(6)]
        assert tries == [401] * 5 + [429]
        assert sign_in(session, nodes[0], PASSWORD) == 429
        assert sign_in(session, nodes[1], PASSWORD) == 429
