"""``scenic-carbon``: the console script of an installed service. Every command of
``flask --app wsgi`` (``db upgrade``, ``demo``, ``users create``, ``doctor``, ``run``, …)
without naming the app or finding the right ``flask`` on the PATH, and ``serve``:
gunicorn with sane defaults."""

from __future__ import annotations

import os
import sys

import click
from flask.cli import FlaskGroup

from footprint.platform.app import create_app

APP = "footprint.platform.app:create_app()"
"""The app for gunicorn (its factory-call syntax): no ``wsgi.py`` in an installed package."""

cli = FlaskGroup(create_app=create_app, help="Scenic Carbon: the service's commands.")


@cli.command("serve", with_appcontext=False)
@click.option(
    "--bind",
    default=lambda: os.environ.get("BIND", "127.0.0.1:8000"),
    show_default="$BIND or 127.0.0.1:8000",
)
@click.option(
    "--workers",
    type=click.IntRange(1),
    default=lambda: int(os.environ.get("WEB_CONCURRENCY", "2")),
    show_default="$WEB_CONCURRENCY or 2",
)
@click.option("--timeout", type=click.IntRange(1), default=30, show_default=True)
def serve(bind: str, workers: int, timeout: int) -> None:
    """Serve with gunicorn: sync workers on BIND, the access log on standard output."""
    arguments = ["--bind", bind, "--workers", str(workers), "--timeout", str(timeout)]
    command = [sys.executable, "-m", "gunicorn", *arguments, "--access-logfile", "-", APP]
    os.execv(sys.executable, command)


def main() -> None:
    cli()
