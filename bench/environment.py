"""The benchmark's own world: a temporary directory with a migrated SQLite database and a
key store of its own (so no benchmark ever touches ``instance/keys``)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DATABASE = "bench.sqlite"


@dataclass(frozen=True)
class Environment:
    """Where the benchmark works and the environment its subprocesses get."""

    tmp: Path
    env: dict[str, str]

    @property
    def database(self) -> Path:
        """The SQLite file of ``DATABASE_URL``."""
        return self.tmp / DATABASE

    def flask(self, *args: str) -> list[str]:
        """The command line of ``flask --app wsgi ARGS``."""
        return [str(BIN / "flask"), "--app", "wsgi", *args]

    def run_flask(self, *args: str, stdin: str | None = None) -> str:
        """Run a flask command to completion (``stdin`` its input); its stdout, or
        SystemExit with its stderr."""
        done = subprocess.run(
            self.flask(*args),
            cwd=ROOT,
            env=self.env,
            input=stdin,
            text=True,
            capture_output=True,
            check=False,
        )
        if done.returncode:
            raise SystemExit(
                f"`flask {' '.join(args)}` failed ({done.returncode}):\n{done.stdout}{done.stderr}"
            )
        return done.stdout


@contextmanager
def prepared(database: bool = True) -> Iterator[Environment]:
    """A temporary directory, with (if ``database``) a migrated database and CN-2024 published."""
    with tempfile.TemporaryDirectory(prefix="footprint-bench-") as name:
        tmp = Path(name)
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp / DATABASE}",
            "KEY_STORE": str(tmp / "keys"),
            # wrk sends thousands a second from one address: the limits stay on (their
            # cost is measured, in Redis when REDIS_URL is set) but are never reached
            "RATE_LIMIT_PUBLIC": "100000000 per minute",
        }
        environment = Environment(tmp, env)
        if database:
            environment.run_flask("db", "upgrade")
            environment.run_flask("factors", "load", "--publish")
        yield environment
