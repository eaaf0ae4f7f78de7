"""The HTTP service under load: gunicorn (2 sync workers) driven by wrk on loopback.

``GET /healthz`` (one database round trip) is the yardstick; ``POST`` of the API example
trip is measured in runs that alternate with it, so each trips/healthz ratio compares
runs made under the same conditions.

The server, the wrk runs and the alternating rounds are shared with `bench.verify`, which
measures ``GET /api/v1/verify/{token}`` against ``/healthz`` the same way.
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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import cpu
from bench.environment import BIN, ROOT, Environment
from bench.example import BODY, EXPECTED_TOTAL_KG

TARGET_RATIO = 0.70
DISTURBED_SHARE = 0.10  # a run during which others took over 10 % of the machine's CPU
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


@dataclass(frozen=True)
class Endpoint:
    """One URL wrk requests over and over: a GET, or a POST of ``body`` as JSON.

    With ``fresh``, each request adds that query parameter with a value of its own (a
    whole number from 1 to `FRESH_VALUES`, each wrk thread counting from a different
    start): no two requests of a run ask for the same page, so none is served from a
    cache of pages."""

    name: str
    path: str
    body: dict[str, Any] | None = None
    fresh: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    """Sent with every request besides the JSON content type: a signed-in page's
    ``Cookie``, say."""


HEALTHZ = Endpoint("healthz", "/healthz")
TRIPS = Endpoint("trips", "/api/v1/footprints/trips", BODY)


@dataclass(frozen=True)
class Server:
    """A running gunicorn: where it listens, its process, and the benchmark part's name."""

    base: str
    process: subprocess.Popen[bytes]
    part: str

    def url(self, endpoint: Endpoint) -> str:
        return self.base + endpoint.path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


FRESH_VALUES = 49_999
FRESH = """\
threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("counted", threads * 20000)
end
request = function()
  counted = counted + 1
  return wrk.format(nil, wrk.path .. "&{parameter}=" .. (1 + counted % {values}))
end
"""


def _script(tmp: Path, endpoint: Endpoint) -> Path:
    path = tmp / f"{endpoint.name}.lua"
    body = "" if endpoint.body is None else f"wrk.body = [==[{json.dumps(endpoint.body)}]==]"
    for name, value in endpoint.headers:
        body += f'\nwrk.headers["{name}"] = [==[{value}]==]'
    if endpoint.fresh:
        body += "\n" + FRESH.format(parameter=endpoint.fresh, values=FRESH_VALUES)
    path.write_text(LUA.format(method="POST" if endpoint.body else "GET", body=body))
    return path


def request(
    url: str, body: dict[str, Any] | None = None, headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    """One request with urllib: the status and the body, whatever the status."""
    data = json.dumps(body).encode() if body is not None else None
    outgoing = urllib.request.Request(
        url, data, {"Content-Type": "application/json", **(headers or {})}
    )
    try:
        with urllib.request.urlopen(outgoing, timeout=5) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _wait_until_up(server: Server, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(
                f"{server.part}: gunicorn exited with status {server.process.returncode}"
            )
        try:
            if request(server.url(HEALTHZ))[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{server.part}: gunicorn did not answer /healthz in time")


@contextmanager
def serving(environment: Environment, part: str, workers: int = 2) -> Iterator[Server]:
    """gunicorn (``workers`` sync workers) on a free loopback port, up; always stopped after."""
    if shutil.which("wrk") is None:
        raise SystemExit(f"{part}: wrk is not installed (apt-get install wrk)")
    base = f"http://127.0.0.1:{_free_port()}"
    command = [
        str(BIN / "gunicorn"),
        "-w",
        str(workers),
        "-k",
        "sync",
        "-b",
        base.removeprefix("http://"),
        "--log-level",
        "warning",
        "wsgi:app",
    ]  # without --access-logfile: no access log
    with (environment.tmp / f"gunicorn-{part}.log").open("wb") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=environment.env, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            server = Server(base, process, part)
            _wait_until_up(server)
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # of the children reaped so far
    return usage.ru_utime + usage.ru_stime


@dataclass(frozen=True)
class Target:
    """What one measurement asks: ``endpoint`` of ``servers``, by ``ways`` wrk processes
    at once that share the load's threads and connections, the i-th asking
    ``servers[i % len(servers)]`` (two nodes behind no balancer; or one node asked the
    same way, to compare with)."""

    name: str
    servers: tuple[Server, ...]
    endpoint: Endpoint
    ways: int = 1
    helpers: tuple[int, ...] = ()
    """Processes whose children do the servers' work besides them (a database server:
    its backends), so that their CPU counts as ours, not others'."""


def _wrk(target: Target, script: Path, seconds: int, load: Load) -> dict[str, Any]:
    """One measurement: its counts (summed over its wrk processes) and latencies (the
    slowest process's), and the share of CPU others took meanwhile."""
    ways = target.ways
    commands = [
        [
            "wrk",
            f"-t{max(1, load.threads // ways)}",
            f"-c{max(1, load.connections // ways)}",
            f"-d{seconds}s",
            "-s",
            str(script),
            target.servers[i % len(target.servers)].url(target.endpoint),
        ]
        for i in range(ways)
    ]
    pids = {server.process.pid for server in target.servers} | set(target.helpers)

    def served() -> float | None:
        counted = [cpu.tree_cpu(pid) for pid in pids]
        return None if None in counted else sum(c for c in counted if c is not None)

    busy, served_before, client = cpu.machine_busy(), served(), _children_cpu()
    start = time.perf_counter()
    processes = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for command in commands
    ]
    outputs = [process.communicate() for process in processes]
    wall = time.perf_counter() - start
    busy_after, served_after = cpu.machine_busy(), served()
    parts = [
        _parsed(target, process.returncode, *output)
        for process, output in zip(processes, outputs, strict=True)
    ]
    run: dict[str, Any] = {
        name: sum(part[name] for part in parts)
        for name in ("requests", "bad_status", "connect", "read", "write", "timeout", "non_2xx")
    }
    run["duration_us"] = max(part["duration_us"] for part in parts)
    run["p50_ms"] = max(part["p50_ms"] for part in parts)
    run["p99_ms"] = max(part["p99_ms"] for part in parts)
    run["requests_per_second"] = round(sum(part["requests_per_second"] for part in parts), 1)
    if ways > 1:
        run["per_process_requests_per_second"] = [part["requests_per_second"] for part in parts]
    ours = None
    if served_before is not None and served_after is not None:
        ours = served_after - served_before + _children_cpu() - client  # gunicorn's and wrk's
    run["others_cpu_share"] = cpu.others_share((busy, busy_after), ours, wall)
    return run


def _parsed(target: Target, status: int, stdout: str, stderr: str) -> dict[str, Any]:
    """One wrk process's summary line, and its rate and non-2xx count."""
    match = re.search(r"^BENCH (\{.*\})$", stdout, re.MULTILINE)
    if status or match is None:
        raise SystemExit(f"{target.name}: wrk failed:\n{stdout}{stderr}")
    part: dict[str, Any] = json.loads(match.group(1))
    part["requests_per_second"] = round(part["requests"] / (part["duration_us"] / 1e6), 1)
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", stdout)
    part["non_2xx"] = int(non_2xx.group(1)) if non_2xx else 0
    return part


def alternate(
    server: Server, endpoints: tuple[Endpoint, Endpoint], load: Load, tmp: Path
) -> list[dict[str, Any]]:
    """`compare` two endpoints of one server (the yardstick first)."""
    return compare(tuple(Target(e.name, (server,), e) for e in endpoints), load, tmp)


def compare(targets: tuple[Target, ...], load: Load, tmp: Path) -> list[dict[str, Any]]:
    """Warm up each target, then alternate wrk runs of them (the yardstick first).

    A round during which other processes took CPU is run again, up to twice as many
    rounds in all.
    """
    scripts = {target.name: _script(tmp, target.endpoint) for target in targets}
    for target in targets:
        _wrk(target, scripts[target.name], load.warmup_seconds, load)
    runs: list[dict[str, Any]] = []
    calm = rounds = 0
    while calm < load.rounds and rounds < 2 * load.rounds:  # disturbed rounds are redone
        rounds += 1
        pair = [
            {
                "round": rounds,
                "endpoint": target.name,
                **_wrk(target, scripts[target.name], load.seconds, load),
            }
            for target in targets
        ]
        runs += pair
        calm += not any(map(_disturbed, pair))
    return runs


def run(environment: Environment, load: Load) -> dict[str, Any]:
    """Serve the app with gunicorn, check the example trip, measure; gunicorn always stops."""
    with serving(environment, "http") as server:
        status, payload = request(server.url(TRIPS), BODY)
        total = json.loads(payload).get("total_kgco2e") if status == 200 else None
        if status != 200 or total != float(round(EXPECTED_TOTAL_KG, 3)):
            raise SystemExit(f"http: the example trip answered {status}: {payload[:300]!r}")
        runs = alternate(server, (HEALTHZ, TRIPS), load, environment.tmp)
    return summary(runs, load, TRIPS.name, TARGET_RATIO)


def _disturbed(run: dict[str, Any]) -> bool:
    share = run["others_cpu_share"]
    return share is not None and share > DISTURBED_SHARE


def summary(
    runs: list[dict[str, Any]],
    load: Load,
    measured: str,
    target_ratio: float,
    baseline: str = HEALTHZ.name,
) -> dict[str, Any]:
    """Per-round ratios measured/baseline; the verdict on their median over the calm rounds."""
    rounds = [(h, t) for h, t in zip(runs[::2], runs[1::2], strict=True)]
    ratios = [round(t["requests_per_second"] / h["requests_per_second"], 3) for h, t in rounds]
    calm = [i for i, pair in enumerate(rounds) if not any(map(_disturbed, pair))]
    counted = calm or list(range(len(rounds)))
    ratio = statistics.median(ratios[i] for i in counted)
    errors = sum(
        r["non_2xx"] + r["bad_status"] + r["connect"] + r["read"] + r["write"] + r["timeout"]
        for r in runs
    )

    def rate(endpoint: int) -> float:
        return round(
            statistics.median(rounds[i][endpoint]["requests_per_second"] for i in counted), 1
        )

    return {
        "wrk": {
            "threads": load.threads,
            "connections": load.connections,
            "seconds": load.seconds,
            "warmup_seconds": load.warmup_seconds,
        },
        "measured": measured,
        "baseline": baseline,
        "runs": runs,
        "ratio_per_round": ratios,
        "rounds_counted": [i + 1 for i in counted],
        "disturbed_rounds": [i + 1 for i in range(len(rounds)) if i not in calm],
        f"{baseline}_requests_per_second": rate(0),
        f"{measured}_requests_per_second": rate(1),
        "ratio": ratio,
        "target_ratio": target_ratio,
        f"{baseline}_non_2xx": sum(r["non_2xx"] for r in runs if r["endpoint"] == baseline),
        f"{measured}_non_2xx": sum(r["non_2xx"] for r in runs if r["endpoint"] == measured),
        "errors": errors,
        "ok": ratio >= target_ratio and errors == 0,
    }
