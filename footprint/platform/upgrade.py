"""``flask db upgrade``: Flask-Migrate's, then what each feature needs in every database at
the head, so that a fresh database serves after the quick start's two commands (the
bundled factor datasets published, issue 14; later, the district's first signing key).

Flask-Migrate offers no hook after an upgrade, and its ``db`` group is registered on the
app by name, so `init_app` registers in its place a group with the same commands whose
``upgrade`` also runs the features' `after_upgrade` steps — only for a real upgrade to
the head (not ``--sql``, not to an older revision). Each step is idempotent and says
what it did; it runs in the app context, and is committed by the command.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import click
from flask import Flask, current_app
from flask_migrate.cli import db as migrate_group

from footprint.platform.db import db

Step = Callable[[], Iterable[str]]
STEPS = "scenic_carbon_after_upgrade"


def after_upgrade(app: Flask, step: Step) -> None:
    """Run ``step`` after every ``db upgrade`` to the head; it yields lines to print."""
    app.extensions.setdefault(STEPS, []).append(step)


def run_steps() -> None:
    """Each registered step, in order of registration, then one commit."""
    for step in current_app.extensions.get(STEPS, []):
        for line in step():
            click.echo(line)
    db.session.commit()


def _upgrade(**arguments: Any) -> None:
    click.get_current_context().invoke(migrate_group.commands["upgrade"], **arguments)
    if arguments["revision"] == "head" and not arguments["sql"]:
        run_steps()


def init_app(app: Flask) -> None:
    """Put the ``db`` group, with its ``upgrade`` running the steps, on the app's CLI;
    after `flask_migrate.Migrate.init_app`."""
    migrated = migrate_group.commands["upgrade"]
    upgrade = click.Command(
        "upgrade",
        callback=_upgrade,
        params=migrated.params,
        help=f"{migrated.help} Then the features' steps for a database at the head.",
    )
    group = click.Group(
        "db",
        commands={**migrate_group.commands, "upgrade": upgrade},
        callback=migrate_group.callback,
        params=migrate_group.params,
        help=migrate_group.help,
    )
    app.cli.add_command(group)
