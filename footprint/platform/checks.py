"""What the service needs in order to serve, checked before a request finds it missing:
`/healthz` answers ``degraded`` with what is wrong (200: what does not need the missing
part still works; 503 stays for a database that does not answer), and ``flask doctor``
prints the same checks and exits 1 when one fails.

The platform checks the database (reachable, and at the Alembic head), the CJK font the
PDFs embed, and the session secret; features add their own (`register`: the district's
signing key, `certify`). `/healthz` runs them at most every `RECHECK_SECONDS` in each
process (it is asked often, by load balancers and the benchmarks' baseline), the first
time on the first request after start; a failing check is logged then.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import click
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, current_app

from footprint.platform.config import SECRET_FILE
from footprint.platform.db import db
from footprint.platform.pdf.fonts import FontMissing, find_font
from footprint.platform.problems import log

RECHECK_SECONDS = 30
PROBES = "scenic_carbon_checks"
LAST = "scenic_carbon_checked"


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


Probe = Callable[[], Check]


def register(app: Flask, probe: Probe) -> None:
    """Check ``probe`` with the others (in `/healthz` and ``flask doctor``)."""
    app.extensions.setdefault(PROBES, []).append(probe)


def run() -> list[Check]:
    """Every check, now, in order of registration."""
    return [probe() for probe in current_app.extensions.get(PROBES, [])]


def recent() -> list[Check]:
    """The checks of at most `RECHECK_SECONDS` ago (``HEALTH_RECHECK_SECONDS``), run anew
    if older; failing ones logged when run."""
    now = time.monotonic()
    last = current_app.extensions.get(LAST)
    if last is None or now - last[0] >= current_app.config.get(
        "HEALTH_RECHECK_SECONDS", RECHECK_SECONDS
    ):
        checks = run()
        for check in checks:
            if not check.ok:
                log.warning("check failed: %s: %s", check.name, check.detail)
        last = now, checks
        current_app.extensions[LAST] = last
    return last[1]


def database() -> Check:
    migrate = current_app.extensions["migrate"]
    heads = set(ScriptDirectory.from_config(migrate.migrate.get_config()).get_heads())
    with db.engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    if current != heads:
        now = ", ".join(sorted(current)) or "empty"
        return Check(
            "database",
            False,
            f"at revision {now}, not the head {', '.join(sorted(heads))}: run db upgrade",
        )
    return Check("database", True, f"reachable, at the head {', '.join(sorted(heads))}")


def font() -> Check:
    try:
        found = find_font()
    except FontMissing as missing:
        return Check("font", False, f"certificate and label PDFs cannot be made: {missing}")
    return Check("font", True, f"{found.path} (face {found.index})")


def secret() -> Check:
    if current_app.config.get("SECRET_KEY_SOURCE") == "generated":
        where = f"{current_app.instance_path}/{SECRET_FILE}"
        return Check("secret", True, f"generated into {where}; give every node the same one")
    return Check("secret", True, "SECRET_KEY is set")


def doctor() -> None:
    """Check what the service needs (database, font, keys, …); exit 1 if anything fails."""
    checks = run()
    for check in checks:
        click.echo(f"{'ok' if check.ok else 'FAIL':4}  {check.name}: {check.detail}")
    if not all(check.ok for check in checks):
        raise SystemExit(1)


def init_app(app: Flask) -> None:
    for probe in (database, font, secret):
        register(app, probe)
    app.cli.command("doctor")(doctor)
