"""How much CPU others took during a measurement: the machine's busy time minus ours.

Read from Linux's /proc; elsewhere nothing is measured (the functions return None).
A run during which other processes (or the hypervisor, as steal time) took a noticeable
share of the CPU is reported as disturbed, because its rate says little.
"""

from __future__ import annotations

import os
from pathlib import Path

PROC = Path("/proc")
TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def machine_busy() -> float | None:
    """Busy CPU-seconds of all cores since boot (user, system, interrupts and steal)."""
    try:
        fields = (PROC / "stat").read_text().split("\n", 1)[0].split()
    except OSError:
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = map(int, fields[1:9])
    return (user + nice + system + irq + softirq + steal) / TICK


def tree_cpu(pid: int) -> float | None:
    """CPU-seconds used so far by ``pid`` and its direct children (gunicorn's workers)."""
    if not PROC.is_dir():
        return None
    total = 0
    for stat in PROC.glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended meanwhile
            continue
        fields = text[text.rindex(")") + 2 :].split()  # after "pid (comm) "
        if int(stat.parent.name) == pid or int(fields[1]) == pid:
            total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICK


def parent(pid: int) -> int | None:
    """The parent process of ``pid`` (Linux /proc), if it can be read."""
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    return int(text[text.rindex(")") + 2 :].split()[1])


def others_share(
    busy: tuple[float | None, float | None], ours: float | None, seconds: float
) -> float | None:
    """The share of the machine's CPU capacity others used over ``seconds``."""
    start, end = busy
    if start is None or end is None or ours is None:
        return None
    capacity = (os.cpu_count() or 1) * seconds
    return round(max(end - start - ours, 0.0) / capacity, 3)
