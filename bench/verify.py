"""Scanning a certificate: ``GET /api/v1/verify/{token}`` under load, against ``/healthz``.

In a database and key store of its own (a fresh temporary directory): ``flask db upgrade``
and ``flask demo``, whose output names each certificate's verification URL alone on a line
(``…/v/{token}``). If the demo prints none, one certificate is issued through the API the
way the certification tests do (`issue_certificate`, run in a child process); if the demo
fails, the same happens in a database made afresh (migrated, datasets published), and
the results say why (``token_source``, ``demo_error``). The first
token that verifies as ``valid`` (checked with one request before the rounds) is then
requested by wrk in runs alternating with ``/healthz``, on the gunicorn of `bench.http`;
the verdict is the median verify/healthz ratio of the calm rounds.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from typing import Any

from bench import http
from bench.environment import ROOT, Environment, prepared

TARGET_RATIO = 0.60
PART = "verify"


def tokens_shown(output: str) -> list[str]:
    """The tokens of the verification URLs printed alone on a line (``…/v/{token}``)."""
    found = []
    for line in output.splitlines():
        line = line.strip()
        if "/v/" in line and " " not in line:
            token = line.rsplit("/v/", 1)[1]
            if token.count(".") == 2:
                found.append(token)
    return found


def issue_certificate() -> None:
    """Issue one certificate through the API (Flask's test client) and print its
    verification URL: the sequence of the ``certification`` fixture of
    ``tests/certify/conftest.py``, then ``Certification.issued()``.

    Runs in the child process `_issued_through_api` starts, with the benchmark's
    ``DATABASE_URL`` and ``KEY_STORE``.
    """
    from footprint.platform.app import create_app
    from tests.certify.conftest import (
        DISTRICT,
        LAST_YEAR,
        OPERATOR_ORG,
        PROJECT,
        SCENIC_AREA,
        VERIFIER_ORG,
        Certification,
        inventory_body,
        make_user,
    )

    app = create_app()
    client = app.test_client()

    def created(response: Any) -> dict[str, Any]:
        if response.status_code != 201:
            raise SystemExit(
                f"{PART}: {response.request.path} answered "
                f"{response.status_code}: {response.get_data(as_text=True)[:300]}"
            )
        return dict(response.json)

    admin = make_user(app, "admin", DISTRICT, "bench-admin@district.example")
    operator = make_user(app, "operator", OPERATOR_ORG, "bench-operator@wulingyuan.example")
    verifier_email = "bench-auditor@hncvc.example"
    verifier = make_user(app, "verifier", VERIFIER_ORG, verifier_email)
    created(
        client.post(
            "/api/v1/verifiers/accreditations",
            headers=admin,
            json={
                "organisation": VERIFIER_ORG,
                "valid_from": f"{LAST_YEAR}-01-01",
                "valid_until": f"{LAST_YEAR + 3}-12-31",
                "scope": "ISO 14064-3",
            },
        )
    )
    venue = created(client.post("/api/v1/venues", json=SCENIC_AREA, headers=operator))
    inventory = created(
        client.post(
            f"/api/v1/venues/{venue['id']}/inventories", json=inventory_body(), headers=operator
        )
    )
    project = created(
        client.post(
            "/api/v1/registry/projects",
            headers=admin,
            json={**PROJECT, "code": "BENCHV01", "name": "Bench verification forest"},
        )
    )
    issuance = created(
        client.post(
            "/api/v1/registry/issuances",
            headers=admin,
            json={
                "project_id": project["id"],
                "vintage": LAST_YEAR,
                "quantity": 200,
                "holder_org": OPERATOR_ORG,
            },
        )
    )
    retired = created(
        client.post(
            "/api/v1/registry/retirements",
            headers=operator,
            json={
                "serial_start": issuance["serial_start"],
                "serial_end": f"WLY-BENCHV01-{LAST_YEAR}-{60:09d}",
                "beneficiary": SCENIC_AREA["name"],
                "purpose": f"Carbon neutrality {LAST_YEAR}",
            },
        )
    )
    certification = Certification(
        client,
        admin,
        operator,
        verifier,
        verifier_email,
        venue["id"],
        inventory["id"],
        [retired["id"]],
    )
    issued = certification.issued()
    certificate = client.get(f"/api/v1/certificates/{issued['certificate_id']}").json
    print(certificate["verification_url"])


def _issued_through_api(environment: Environment, demo_error: str | None) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", "from bench.verify import issue_certificate as i; i()"],
        cwd=ROOT,
        env=environment.env,
        text=True,
        capture_output=True,
        check=False,
    )
    if done.returncode:
        why = "it printed no verification URL" if demo_error is None else f"it failed: {demo_error}"
        raise SystemExit(
            f"{PART}: the demo gave no certificate ({why}), and issuing one "
            f"through the API failed too:\n{done.stdout}{done.stderr}"
        )
    return tokens_shown(done.stdout)


def _demo(environment: Environment) -> tuple[list[str], str | None]:
    """The tokens the demo prints, and why it failed (then the database is made afresh)."""
    try:
        return tokens_shown(environment.run_flask("demo")), None
    except SystemExit as error:
        lines = str(error).strip().splitlines()
        raised = [line for line in lines if re.match(r"[\w.]+(Error|Exception)\b", line)]
        why = f"{lines[0]} … {(raised or lines)[-1][:300]}" if len(lines) > 1 else lines[0]
    database = environment.database
    for path in (
        database,
        database.with_name(database.name + "-wal"),
        database.with_name(database.name + "-shm"),
    ):
        path.unlink(missing_ok=True)
    environment.run_flask("db", "upgrade")
    environment.run_flask("factors", "load", "--publish")
    return [], why


def valid(server: http.Server, tokens: list[str]) -> tuple[str, dict[str, Any]]:
    """The first token whose verification answers 200 with status valid, and its answer."""
    answers = []
    for token in tokens:
        status, payload = http.request(server.url(endpoint(token)))
        answer = json.loads(payload) if status == 200 else {}
        if answer.get("status") == "valid":
            return token, answer
        answers.append(f"{status} {payload[:200]!r}")
    raise SystemExit(f"{PART}: no token verifies as valid:\n" + "\n".join(answers))


def endpoint(token: str) -> http.Endpoint:
    return http.Endpoint(PART, f"/api/v1/verify/{token}")


def run(load: http.Load) -> dict[str, Any]:
    """Set up the demo in a fresh database and key store, then measure under gunicorn."""
    with prepared(database=False) as environment:
        environment.run_flask("db", "upgrade")
        tokens, demo_error = _demo(environment)
        source = "demo"
        if not tokens:
            tokens, source = _issued_through_api(environment, demo_error), "api"
        if not tokens:
            raise SystemExit(f"{PART}: neither the demo nor the API gave a verification URL")
        with http.serving(environment, PART) as server:
            token, answer = valid(server, tokens)
            runs = http.alternate(server, (http.HEALTHZ, endpoint(token)), load, environment.tmp)
    return {
        "token_source": source,
        "demo_error": demo_error,
        "tokens_offered": len(tokens),
        "token_length": len(token),
        "checked": {k: answer.get(k) for k in ("status", "kind", "number", "kid")},
        **http.summary(runs, load, PART, TARGET_RATIO),
    }
