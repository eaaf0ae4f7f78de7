"""Every API operation, fuzzed by schemathesis from the served OpenAPI document (issue 13):
anonymous and with each role's token, against the demo's data, never a 5xx, and every
response as documented — its status code, its content type and its schema.

The run is reproducible and bounded: a fixed seed, deterministic generation, at most
`EXAMPLES` generated examples an operation and caller (plus the boundary cases of
schemathesis' coverage phase). The demo is loaded once for the module; the examples
change it as they go (venues created, inventories verified, applications moved on) and
the API must stay within its document whatever state they leave. Each operation and
caller gets a user and token of its own, so that an example revoking its token cannot
leave the next operation anonymous.

The schema is loaded at import, from an app of its own (schemathesis collects one test
an operation from it); requests go to the session's test app.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Iterator
from itertools import count
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from certify.demo import DEMO, load_demo
from footprint.accounts.models import Role
from footprint.accounts.users import create_user
from footprint.platform.app import create_app
from footprint.platform.db import db
from tests.database import fresh_database

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
"""Generated examples an operation and caller (schemathesis' fuzzing phase)."""
SEED = 13
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
CALLERS = ("anonymous", "operator", "verifier", "admin")
CONFIG: dict[str, Any] = {
    "seed": SEED,
    "generation": {"deterministic": True, "max-examples": EXAMPLES, "database": "none"},
}


def served_document() -> dict[str, Any]:
    """The OpenAPI document as the app serves it (no database needed to build it)."""
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "fuzz", "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )
    return app.test_client().get("/api/openapi.json").json


schema = schemathesis.openapi.from_dict(
    served_document(), config=SchemathesisConfig.from_dict(CONFIG)
)


def organisation_of(role: str) -> str:
    """The first demo organisation with a user of ``role``: its records are the caller's."""
    spec = tomllib.loads(DEMO.read_text(encoding="utf-8"))
    return next(
        organisation["name"]
        for organisation in spec["organisations"]
        if any(user["role"] == role for user in organisation["users"])
    )


@pytest.fixture(scope="module")
def demo_app(_app: Flask) -> Iterator[Flask]:
    """The session's app on a fresh database with the demo loaded, for the whole module."""
    with _app.app_context():
        fresh_database(_app)
        load_demo()
        db.session.commit()
    yield _app


callers = count()


@pytest.fixture(params=CALLERS)
def caller(request: pytest.FixtureRequest, demo_app: Flask) -> dict[str, str]:
    """The headers of a new caller (none for the anonymous one) of a demo organisation."""
    if request.param == "anonymous":
        return {}
    with demo_app.app_context():
        _, token = create_user(
            f"fuzz{next(callers)}@example.com",
            role=Role(request.param),
            organisation_name=organisation_of(request.param),
        )
    return {"Authorization": f"Bearer {token}"}


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # `caller`: on purpose
def test_every_operation_answers_as_documented(case, caller, demo_app):
    case.call_and_validate(app=demo_app, headers=caller, checks=CHECKS)
