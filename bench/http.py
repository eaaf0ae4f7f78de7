"""The HTTP service under load: gunicorn (2 sync workers) driven by wrk on loopback.

``GET /healthz`` (one database round trip) is the yardstick; ``POST`` of the API example
trip is measured in runs that alternate with it, so each trips/healthz ratio compares
runs made under the same conditions.
"""

from __future__ import annotations

import json
import re
import resource
import shutil
import socket
import statistics
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import cpu
from bench.environment import BIN, ROOT, Environment
from bench.example import BODY, EXPECTED_TOTAL_KG

TARGET_RATIO = 0.70
DISTURBED_SHARE = 0.10  # a run during which others took over 10 % of the machine's CPU
ENDPOINTS = ("healthz", "trips")
PATHS = {"healthz": "/healthz", "trips": "/api/v1/footprints/trips"}
# done() prints one machine-readable line; errors.status counts responses with status > 399.
LUA = """\
wrk.method = "{method}"
wrk.headers["Content-Type"] = "application/json"
{body}
done = function(summary, latency, requests)
  io.write(string.format(
    'BENCH {{"requests": %d, "duration_us": %d, "bad_status": %d, "connect": %d, '
    .. '"read": %d, "write": %d, "timeout": %d, "p50_ms": %.3f, "p99_ms": %.3f}}\\n',
    summary.requests, summary.duration, summary.errors.status, summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


@dataclass(frozen=True)
class Load:
    """What wrk does: ``rounds`` runs of ``seconds`` per endpoint, after a warm-up of each."""

    seconds: int = 10
    rounds: int = 3
    threads: int = 2
    connections: int = 8
    warmup_seconds: int = 2


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _script(tmp: Path, name: str) -> Path:
    path = tmp / f"{name}.lua"
    body = f"wrk.body = [==[{json.dumps(BODY)}]==]" if name == "trips" else ""
    path.write_text(LUA.format(method="POST" if body else "GET", body=body))
    return path


def _request(url: str, body: dict[str, Any] | None = None) -> tuple[int, bytes]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data, {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _wait_until_up(base: str, server: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"http: gunicorn exited with status {server.returncode}")
        try:
            if _request(base + PATHS["healthz"])[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("http: gunicorn did not answer /healthz in time")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # of the children reaped so far
    return usage.ru_utime + usage.ru_stime


def _wrk(url: str, script: Path, seconds: int, load: Load, server_pid: int) -> dict[str, Any]:
    """One wrk run: its counts and latencies, and the share of CPU others took meanwhile."""
    command = ["wrk", f"-t{load.threads}", f"-c{load.connections}", f"-d{seconds}s",
               "-s", str(script), url]
    busy, served, client = cpu.machine_busy(), cpu.tree_cpu(server_pid), _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    busy_after, served_after = cpu.machine_busy(), cpu.tree_cpu(server_pid)
    match = re.search(r"^BENCH (\{.*\})$", done.stdout, re.MULTILINE)
    if done.returncode or match is None:
        raise SystemExit(f"http: wrk failed:\n{done.stdout}{done.stderr}")
    run: dict[str, Any] = json.loads(match.group(1))
    run["requests_per_second"] = round(run["requests"] / (run["duration_us"] / 1e6), 1)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", done.stdout)
    run["non_2xx"] = int(non_2xx.group(1)) if non_2xx else 0
    ours = None
    if served is not None and served_after is not None:
        ours = served_after - served + _children_cpu() - client  # gunicorn's and wrk's
    run["others_cpu_share"] = cpu.others_share((busy, busy_after), ours, wall)
    return run


def _measure(base: str, scripts: dict[str, Path], load: Load,
             server: subprocess.Popen[bytes]) -> list[dict[str, Any]]:
    """Check the example answers 200 with its total, warm up, then alternate the runs.

    A round (healthz then trips) during which other processes took CPU is run again,
    up to twice as many rounds in all.
    """
    _wait_until_up(base, server)
    status, payload = _request(base + PATHS["trips"], BODY)
    total = json.loads(payload).get("total_kgco2e") if status == 200 else None
    if status != 200 or total != float(round(EXPECTED_TOTAL_KG, 3)):
        raise SystemExit(f"http: the example trip answered {status}: {payload[:300]!r}")
    for name in ENDPOINTS:
        _wrk(base + PATHS[name], scripts[name], load.warmup_seconds, load, server.pid)
    runs: list[dict[str, Any]] = []
    calm = rounds = 0
    while calm < load.rounds and rounds < 2 * load.rounds:  # disturbed rounds are redone
        rounds += 1
        pair = [{"round": rounds, "endpoint": name,
                 **_wrk(base + PATHS[name], scripts[name], load.seconds, load, server.pid)}
                for name in ENDPOINTS]
        runs += pair
        calm += not any(map(_disturbed, pair))
    return runs


def run(environment: Environment, load: Load) -> dict[str, Any]:
    """Serve the app with gunicorn, measure, and always stop gunicorn."""
    if shutil.which("wrk") is None:
        raise SystemExit("http: wrk is not installed (apt-get install wrk)")
    base = f"http://127.0.0.1:{_free_port()}"
    scripts = {name: _script(environment.tmp, name) for name in ENDPOINTS}
    command = [str(BIN / "gunicorn"), "-w", "2", "-k", "sync", "-b", base.removeprefix("http://"),
               "--log-level", "warning", "wsgi:app"]  # without --access-logfile: no access log
    with (environment.tmp / "gunicorn.log").open("wb") as log:
        server = subprocess.Popen(command, cwd=ROOT, env=environment.env, stdout=log,
                                  stderr=subprocess.STDOUT)
        try:
            runs = _measure(base, scripts, load, server)
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    return _summary(runs, load)


def _disturbed(run: dict[str, Any]) -> bool:
    share = run["others_cpu_share"]
    return share is not None and share > DISTURBED_SHARE


def _summary(runs: list[dict[str, Any]], load: Load) -> dict[str, Any]:
    """Per-round ratios; the verdict on their median over the undisturbed rounds."""
    rounds = [(h, t) for h, t in zip(runs[::2], runs[1::2], strict=True)]
    ratios = [round(t["requests_per_second"] / h["requests_per_second"], 3) for h, t in rounds]
    calm = [i for i, pair in enumerate(rounds) if not any(map(_disturbed, pair))]
    counted = calm or list(range(len(rounds)))
    ratio = statistics.median(ratios[i] for i in counted)
    errors = sum(r["non_2xx"] + r["bad_status"] + r["connect"] + r["read"] + r["write"]
                 + r["timeout"] for r in runs)

    def rate(endpoint: int) -> float:
        return round(statistics.median(rounds[i][endpoint]["requests_per_second"]
                                       for i in counted), 1)

    return {
        "wrk": {"threads": load.threads, "connections": load.connections,
                "seconds": load.seconds, "warmup_seconds": load.warmup_seconds},
        "runs": runs,
        "ratio_per_round": ratios,
        "rounds_counted": [i + 1 for i in counted],
        "disturbed_rounds": [i + 1 for i in range(len(rounds)) if i not in calm],
        "healthz_requests_per_second": rate(0),
        "trips_requests_per_second": rate(1),
        "ratio": ratio,
        "target_ratio": TARGET_RATIO,
        "trips_non_2xx": sum(r["non_2xx"] for r in runs if r["endpoint"] == "trips"),
        "errors": errors,
        "ok": ratio >= TARGET_RATIO and errors == 0,
    }
