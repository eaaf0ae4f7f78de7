"""``flask footprints batch`` end to end: wall time and peak memory against the file size.

Each file is generated into the temporary directory, priced by a fresh ``flask``
process, and deleted. The peak RSS is that process's own (``os.wait4``), so runs do not
mask each other. A header-only file measures the fixed cost of starting the app. Each
file is priced a few times and the fastest run kept, leaving out runs during which other
processes took CPU.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
from pathlib import Path
from typing import Any

from bench import cpu
from bench.environment import ROOT, Environment
from bench.tripfile import write_trip_file

SIZES = (100_000, 1_000_000, 2_000_000)
TARGET_LINES, TARGET_SECONDS = 1_000_000, 5.0
FLAT_RSS_GROWTH = 0.10  # the largest file may peak at most 10 % above the smallest
DISTURBED_SHARE = 0.10
REPEATS = 3  # this machine's speed varies from run to run: the best of a few
PRICED = re.compile(r"^dataset (\S+): (\d+) of (\d+) rows priced$", re.MULTILINE)


def _time(environment: Environment, path: Path, lines: int) -> dict[str, Any]:
    """One run of the command on ``path``: wall and CPU seconds, peak RSS, others' CPU."""
    out, err = environment.tmp / "batch.out", environment.tmp / "batch.err"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        busy, start = cpu.machine_busy(), time.perf_counter()
        process = subprocess.Popen(
            environment.flask("footprints", "batch", str(path)),
            cwd=ROOT,
            env=environment.env,
            stdout=stdout,
            stderr=stderr,
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds, busy_after = time.perf_counter() - start, cpu.machine_busy()
        process.returncode = os.waitstatus_to_exitcode(status)
    report = out.read_text()
    priced = PRICED.search(report)
    all_priced = priced is not None and int(priced.group(2)) == int(priced.group(3)) == lines
    if process.returncode or not all_priced:
        raise SystemExit(
            f"batch: {lines} lines: exit {process.returncode}\n{report}{err.read_text()[:2000]}"
        )
    used = usage.ru_utime + usage.ru_stime
    return {
        "lines": lines,
        "exit_code": process.returncode,
        "wall_seconds": round(seconds, 3),
        "cpu_seconds": round(used, 3),
        "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),  # ru_maxrss is in KiB on Linux
        "others_cpu_share": cpu.others_share((busy, busy_after), used, seconds),
        "report": report.strip().splitlines(),
    }


def _price(environment: Environment, lines: int, repeats: int) -> dict[str, Any]:
    """Generate a file of ``lines`` lines and time the command on it: the fastest of the
    calm runs (of all, if none was calm) and the highest peak RSS of them all."""
    path = environment.tmp / f"trips-{lines}.csv"
    trips = write_trip_file(path, lines)
    size = path.stat().st_size
    try:
        runs = [_time(environment, path, lines) for _ in range(repeats)]
    finally:
        path.unlink()
    calm = [r for r in runs if (r["others_cpu_share"] or 0) <= DISTURBED_SHARE]
    best = min(calm or runs, key=lambda r: r["wall_seconds"])
    return {
        **best,
        "peak_rss_mib": max(r["peak_rss_mib"] for r in runs),
        "trips": trips,
        "file_bytes": size,
        "all_wall_seconds": [r["wall_seconds"] for r in runs],
        "disturbed_runs": len(runs) - len(calm),
    }


def run(
    environment: Environment, sizes: tuple[int, ...] = SIZES, repeats: int = REPEATS
) -> dict[str, Any]:
    """Price a header-only file, then each size; the targets on time and memory."""
    startup = _price(environment, 0, repeats)
    runs = [_price(environment, lines, repeats) for lines in sorted(sizes)]
    rss = [r["peak_rss_mib"] for r in runs]
    growth = (max(rss) - rss[0]) / rss[0]
    timed = next((r for r in runs if r["lines"] == TARGET_LINES), None)
    fast = timed is None or timed["wall_seconds"] <= TARGET_SECONDS
    return {
        "startup": startup,
        "runs": runs,
        "rss_growth": round(growth, 3),
        "target_rss_growth": FLAT_RSS_GROWTH,
        "target": f"{TARGET_LINES:,} lines in ≤ {TARGET_SECONDS} s"
        + ("" if timed else " (not measured)"),
        "ok": fast and growth <= FLAT_RSS_GROWTH,
    }
