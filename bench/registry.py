"""Registry benchmark: 1,000,000 issued credits in 10,000 blocks; look-ups and retirements.

The registry is filled through bulk inserts of exactly what ``registry.issue`` writes
(issuances, one block each, ledger events), then ``ledger.check`` confirms it is
consistent. Measured in-process on one connection:

- serial look-ups per second through the service (``registry.lookup``) and through the
  public endpoint ``GET /api/v1/registry/serials/{serial}`` (Flask test client);
- retirements per second through ``registry.retire`` (one write transaction each);
- the query plans of the look-up and retirement queries, which must use indexes.
"""

from __future__ import annotations

import os
import random
import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, text

from bench.environment import Environment

ISSUANCES = 10_000
PER_ISSUANCE = 100
LOOKUPS = 20_000
RETIREMENTS = 2_000
HOLDER = "Bench Holder"


def _fill(registry: Any, models: Any, db: Any, user: Any) -> int:
    project = registry.create_project(
        user,
        data={
            "code": "BENCH01",
            "name": "Bench forest",
            "standard": "WLY",
            "methodology": "CCER-14-001-V01",
            "project_type": "other",
            "region": "CN-HN",
        },
    )
    from certify.core.ledger import Record
    from footprint.accounts import organisations

    holder = organisations.named(HOLDER, field="holder")
    db.session.commit()
    issuances = [
        {
            "id": i + 1,
            "project_id": project.id,
            "vintage": 2024,
            "programme": "WLY",
            "number_start": i * PER_ISSUANCE + 1,
            "number_end": (i + 1) * PER_ISSUANCE,
            "quantity": PER_ISSUANCE,
            "buffer_quantity": 0,
        }
        for i in range(ISSUANCES)
    ]
    db.session.execute(insert(models.Issuance), issuances)
    db.session.execute(
        insert(models.CreditBlock),
        [
            {
                "issuance_id": i["id"],
                "number_start": i["number_start"],
                "number_end": i["number_end"],
                "holder_id": holder.id,
                "version": 1,
            }
            for i in issuances
        ],
    )
    events, previous = [], None
    for i in issuances:  # chained as `registry.ledger_event` chains them, but in bulk
        record = Record(
            at=datetime.now(UTC),
            actor_id=None,
            kind="issue",
            issuance_id=i["id"],
            number_start=i["number_start"],
            number_end=i["number_end"],
            quantity=PER_ISSUANCE,
            to_id=holder.id,
            reference_id=i["id"],
        )
        previous = record.link(previous)
        events.append(
            {
                **{name: getattr(record, name) for name in registry.RECORD_COLUMNS},
                "detail": {},
                "sequence": previous.sequence,
                "previous_hash": previous.previous_hash,
                "hash": previous.hash,
            }
        )
    db.session.execute(insert(models.LedgerEvent), events)
    db.session.commit()
    return project.id


def _plans(db: Any) -> dict[str, list[str]]:
    explain = "EXPLAIN QUERY PLAN " if db.engine.name == "sqlite" else "EXPLAIN "
    queries = {
        "issuance of a serial": (
            "SELECT issuances.id FROM issuances WHERE issuances.project_id = (SELECT projects.id "
            "FROM projects WHERE projects.code = 'BENCH01') AND issuances.vintage = 2024 "
            "AND issuances.number_start <= 500050 ORDER BY issuances.number_start DESC LIMIT 1"
        ),
        "block of a serial": (
            "SELECT id FROM credit_blocks WHERE issuance_id = 5001 AND number_start <= 500050 "
            "ORDER BY number_start DESC LIMIT 1"
        ),
        "blocks under a retirement": (
            "SELECT id FROM credit_blocks WHERE issuance_id = 5001 AND number_end >= 500010 "
            "AND number_start <= 500020 ORDER BY number_start"
        ),
    }
    plans = {}
    for name, query in queries.items():
        rows = db.session.execute(text(explain + query)).all()
        plans[name] = [" ".join(str(c) for c in row) for row in rows]
    return plans


def _uses_indexes(plans: dict[str, list[str]]) -> bool:
    for lines in plans.values():
        joined = " ".join(lines)
        if "Seq Scan on credit_blocks" in joined or "SCAN credit_blocks" in joined.replace(
            "SCAN credit_blocks USING", "SEARCH"
        ):
            return False
        if "SCAN issuances" in joined.replace("SCAN issuances USING", "SEARCH"):
            return False
    return True


def run(environment: Environment) -> dict[str, Any]:
    os.environ.update(environment.env)
    from certify.models import registry as models
    from certify.services import ledger, registry
    from footprint.accounts.models import Role
    from footprint.accounts.users import create_user
    from footprint.platform.app import create_app
    from footprint.platform.db import db

    app = create_app()
    rng = random.Random(7)
    with app.app_context():
        user, _ = create_user(
            "bench-admin@example.com", role=Role.ADMIN, organisation_name="Bench Registry"
        )
        holder, _ = create_user(
            "bench-holder@example.com", role=Role.OPERATOR, organisation_name=HOLDER
        )
        started = time.perf_counter()
        _fill(registry, models, db, user)
        fill_seconds = time.perf_counter() - started
        started = time.perf_counter()
        problems = ledger.check()
        check_seconds = time.perf_counter() - started
        prefix = "WLY-BENCH01-2024-"
        numbers = [rng.randint(1, ISSUANCES * PER_ISSUANCE) for _ in range(LOOKUPS)]

        started = time.perf_counter()
        for number in numbers:
            registry.lookup(f"{prefix}{number:09d}")
        service_lookups = LOOKUPS / (time.perf_counter() - started)

        client = app.test_client()
        started = time.perf_counter()
        for number in numbers[: LOOKUPS // 4]:
            assert client.get(f"/api/v1/registry/serials/{prefix}{number:09d}").status_code == 200
        http_lookups = (LOOKUPS // 4) / (time.perf_counter() - started)

        holder = db.session.get(type(holder), holder.id)
        targets = rng.sample(range(ISSUANCES), RETIREMENTS)
        started = time.perf_counter()
        for issuance in targets:
            first = issuance * PER_ISSUANCE + 1 + rng.randint(0, 80)
            registry.retire(
                holder,
                serial_start=f"{prefix}{first:09d}",
                serial_end=f"{prefix}{first + 9:09d}",
                beneficiary="Bench beneficiary",
                purpose="benchmark",
            )
        retirements = RETIREMENTS / (time.perf_counter() - started)
        plans = _plans(db)
        consistent = ledger.check() == [] and problems == []
        credits = db.session.scalar(select(models.Issuance.quantity).limit(1)) or 0
    indexed = _uses_indexes(plans)
    return {
        "database": environment.env["DATABASE_URL"].split(":")[0],
        "credits": ISSUANCES * PER_ISSUANCE,
        "blocks": ISSUANCES,
        "per_block": credits,
        "fill_seconds": round(fill_seconds, 2),
        "check_seconds": round(check_seconds, 2),
        "service_lookups_per_second": round(service_lookups),
        "http_lookups_per_second": round(http_lookups),
        "retirements_per_second": round(retirements),
        "query_plans": plans,
        "indexed": indexed,
        "consistent": consistent,
        "ok": indexed and consistent,
    }
