"""The service installed as a wheel (issue 15): it carries its templates, migrations,
datasets, guide versions, translations and static files, keeps its instance folder in
the working directory, and its console script runs the contract's commands and serves
— from an empty directory, in a fresh venv that has no view of the checkout.

The fresh venv borrows the dependencies of the project's own (a ``.pth`` naming its
site-packages: the project itself is not importable through it, its editable-install
hook being a ``.pth`` of that folder, which Python reads only in a site folder). Runs
once, in the SQLite run of the suite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import time
import urllib.request
from pathlib import Path

import pytest

from tests.ports import free_port

pytestmark = [pytest.mark.slow, pytest.mark.processes]
ROOT = Path(__file__).resolve().parents[3]


def run(command: list[str], cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, (command, done.stdout[-3000:], done.stderr[-3000:])
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel built from the checkout installed in it."""
    if os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("runs once, in the SQLite run of the suite")
    base = tmp_path_factory.mktemp("installed")
    env = {**os.environ}
    run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(base), str(ROOT)],
        base,
        env,
    )
    (wheel,) = base.glob("scenic_carbon-*.whl")
    venv = base / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)], base, env)
    python = venv / "bin" / "python"
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "-q",
            "--no-deps",
            str(wheel),
        ],
        base,
        env,
    )
    site = Path(
        run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], base, env
        ).strip()
    )
    (site / "borrowed-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return venv


def test_the_wheel_runs_the_contracts_commands_and_serves_from_an_empty_directory(
    installed: Path, tmp_path: Path
) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "KEY_STORE")},
        "DATABASE_URL": f"sqlite:///{tmp_path}/service.sqlite",
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    script = str(installed / "bin" / "scenic-carbon")
    where = run(
        [str(installed / "bin" / "python"), "-c", "import footprint; print(footprint.__file__)"],
        tmp_path,
        env,
    )
    assert where.startswith(str(installed)), where

    upgraded = run([script, "db", "upgrade"], tmp_path, env)
    assert "dataset CN-2024: published" in upgraded and "signing key" in upgraded
    created = run(
        [script, "users", "create", "op@example.com", "--role", "operator", "--org", "Inn"],
        tmp_path,
        env,
    )
    token = created.strip().splitlines()[-1]
    assert token.startswith("sc_")
    assert "ok    keys" in run([script, "doctor"], tmp_path, env)
    assert (
        tmp_path / "instance" / "keys"
    ).is_dir()  # the instance folder is the working directory's

    port = free_port()
    server = subprocess.Popen(
        [script, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}"
        assert json.loads(wait_for(f"{base}/healthz")) == {"status": "ok"}
        assert "碳" in fetch(f"{base}/calculator", headers={"Accept-Language": "zh-CN"})
        assert "Carbon" in fetch(f"{base}/calculator?lang=en")
        assert fetch(f"{base}/static/site.css")
        request = {"Authorization": f"Bearer {token}"}
        assert '"items"' in fetch(f"{base}/api/v1/venues", headers=request)
        assert '"keys"' in fetch(f"{base}/api/v1/keys")
    finally:
        server.terminate()
        server.wait(timeout=30)


def fetch(url: str, headers: dict[str, str] | None = None) -> str:
    with urllib.request.urlopen(
        urllib.request.Request(url, headers=headers or {}), timeout=10
    ) as r:
        return r.read().decode("utf-8")


def wait_for(url: str) -> str:
    for _ in range(100):
        try:
            return fetch(url)
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")
