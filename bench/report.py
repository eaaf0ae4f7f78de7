"""The short printed report and ``bench/out/results.json``."""

from __future__ import annotations

import json
import os
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.environment import ROOT

OUT = ROOT / "bench" / "out"


def _mark(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def _http(
    part: dict[str, Any], name: str = "http", served: str = "gunicorn -w 2 -k sync"
) -> list[str]:
    """A part of alternating wrk rounds (`bench.http`): the baseline (/healthz unless it
    says otherwise) and the measured endpoint."""
    measured = part.get("measured", "trips")
    baseline = part.get("baseline", "healthz")
    lines = [
        f"{name:<6} wrk -t{part['wrk']['threads']} -c{part['wrk']['connections']} "
        f"-d{part['wrk']['seconds']}s, {served}"
    ]
    for run in part["runs"]:
        others = run["others_cpu_share"]
        lines.append(
            f"       round {run['round']} {run['endpoint']:<8}"
            f"{run['requests_per_second']:>9,.1f} req/s  p50 {run['p50_ms']:5.2f} ms"
            f"  p99 {run['p99_ms']:6.2f} ms  non-2xx {run['non_2xx']}"
            + ("" if others is None else f"  others' CPU {others:.0%}")
        )
    lines.append(
        f"       {measured}/{baseline} per round: "
        f"{', '.join(f'{r:.3f}' for r in part['ratio_per_round'])}"
    )
    if part["disturbed_rounds"]:
        no_calm_round = set(part["disturbed_rounds"]) == set(part["rounds_counted"])
        fate = (
            "counted anyway, as no round was calm: treat the figures with caution"
            if no_calm_round
            else "left out"
        )
        lines.append(
            f"       rounds {', '.join(map(str, part['disturbed_rounds']))} were "
            f"disturbed (other processes took CPU): {fate}"
        )
    lines.append(
        f"       {baseline} {part[f'{baseline}_requests_per_second']:,.1f} req/s, {measured} "
        f"{part[f'{measured}_requests_per_second']:,.1f} req/s; median ratio "
        f"{part['ratio']:.3f} (target ≥ {part['target_ratio']}), errors "
        f"{part['errors']}: {_mark(part['ok'])}"
    )
    return lines


def _verify(part: dict[str, Any]) -> list[str]:
    checked = part["checked"]
    return [
        *_http(part, "verify"),
        f"       token from the {part['token_source']} ({part['token_length']} chars), "
        f"checked first: {checked['status']} {checked['kind']} {checked['number']}"
        + (f" (the demo failed: {part['demo_error']})" if part.get("demo_error") else ""),
    ]


def _nodes(part: dict[str, Any]) -> list[str]:
    lines = []
    for name, measured in part.items():
        if isinstance(measured, dict) and "runs" in measured:
            lines += _http(
                measured,
                f"nodes/{name}",
                "one node of gunicorn -w 2 against two of -w 1; two wrk processes each",
            )
    return [*lines, f"nodes  {_mark(part['ok'])}"]


def _core(part: dict[str, Any]) -> list[str]:
    return [
        f"core   calculate_trip: {part['trips_per_second']:,} trips/s (best of "
        f"{part['repeats']} × {part['trips_per_repeat']:,}, {part['cpu']}; target ≥ "
        f"{part['target_trips_per_second']:,}): {_mark(part['ok'])}",
        f"       with present(): {part['with_present_trips_per_second']:,} trips/s"
        + (
            ""
            if part["others_cpu_share"] is None
            else f"; others' CPU {part['others_cpu_share']:.0%} meanwhile"
        ),
        _monte_carlo(part["monte_carlo"]),
    ]


def _monte_carlo(part: dict[str, Any]) -> str:
    rounds = ", ".join(f"{a} / {b}" for a, b in part["rounds_ms"])
    return (
        f"       Monte Carlo range (example trip, CN-2025): {part['ms_per_trip_monte_carlo']} ms"
        f" a trip against {part['ms_per_trip_approach_1']} ms by Approach 1 (best of rounds"
        f" of {part['trips_per_round']}: {rounds}; target ≤ {part['target_ms']} ms):"
        f" {_mark(part['ok'])}"
    )


def _batch(part: dict[str, Any]) -> list[str]:
    start = part["startup"]
    lines = [
        f"batch  flask footprints batch, best of {len(start['all_wall_seconds'])}; "
        f"header only (start-up) {start['wall_seconds']:.2f} s, "
        f"{start['peak_rss_mib']:.1f} MiB"
    ]
    for run in part["runs"]:
        every = ", ".join(f"{seconds:.2f}" for seconds in run["all_wall_seconds"])
        lines.append(
            f"       {run['lines']:>9,} lines {run['wall_seconds']:>6.2f} s  peak RSS "
            f"{run['peak_rss_mib']:.1f} MiB  (runs: {every} s"
            + (f"; {run['disturbed_runs']} disturbed" if run["disturbed_runs"] else "")
            + ")"
        )
    lines.append(
        f"       target {part['target']}; RSS growth {part['rss_growth']:.1%} "
        f"(≤ {part['target_rss_growth']:.0%}): {_mark(part['ok'])}"
    )
    return lines


def _registry(part: dict[str, Any]) -> list[str]:
    lines = [
        f"registry {part['credits']:,} credits in {part['blocks']:,} blocks "
        f"({part['database']}"
        f"): filled in {part['fill_seconds']} s, ledger check {part['check_seconds']} s",
        f"       serial look-ups {part['service_lookups_per_second']:,}/s (service), "
        f"{part['http_lookups_per_second']:,}/s (GET /api/v1/registry/serials, in-process)",
        f"       retirements {part['retirements_per_second']:,}/s (one durable transaction each)",
    ]
    for name, plan in part["query_plans"].items():
        lines.append(f"       plan, {name}: {' | '.join(plan)}")
    lines.append(
        f"       index-backed {part['indexed']}, consistent {part['consistent']}: "
        f"{_mark(part['ok'])}"
    )
    return lines


def _pdf(part: dict[str, Any]) -> list[str]:
    return [
        f"pdf    certificate {part['certificate_ms']} ms median (new URL "
        f"{part['certificate_new_url_ms']} ms, compressed {part['certificate_compressed_ms']}"
        f" ms) vs bare page in the same font {part['bare_page_ms']} ms: ×"
        f"{part['certificate_over_bare']} (target ≤ {part['target_certificate_ms']} ms)",
        f"       QR v{part['qr_version']} for {part['url_length']} chars: qrcode "
        f"{part['qrcode_default_ms']} ms (mask choice {part['qrcode_mask_choice_share']:.0%})"
        f", ours {part['qr_fast_ms']} ms (×{part['qrcode_default_over_fast']}); same symbol "
        f"{part['qr_same_symbol_as_qrcode']}, decodes at 150 dpi "
        f"{part['qr_decodes_at_150_dpi']}: {_mark(part['ok'])}",
    ]


def _pages(part: dict[str, Any]) -> list[str]:
    lines = []
    for page in part.values():
        if isinstance(page, dict):
            lines += _http(page, "pages")
            if page.get("in_verdict") is False:
                lines.append("       (reported beside the verdict, not part of it)")
    return [*lines, f"pages  {_mark(part['ok'])}"]


def _progress(part: dict[str, Any]) -> list[str]:
    return [
        f"progress annual report PDF ({part['documents']} documents, "
        f"{part['progress_report_bytes']:,} bytes) {part['progress_report_ms']} ms median vs "
        f"bare page in the same font {part['bare_page_ms']} ms: ×"
        f"{part['progress_report_over_bare']} (target ≤ ×{part['target_ratio']}): "
        f"{_mark(part['ok'])}"
    ]


def _open_data(part: dict[str, Any]) -> list[str]:
    lines = [f"opendata retirements CSV streamed ({part['database']})"]
    for size in part["sizes"]:
        lines.append(
            f"       {size['retirements']:>9,} rows {size['seconds']:>6.3f} s "
            f"({size['rows_per_second']:,}/s, {size['bytes']:,} bytes), peak traced "
            f"{size['peak_traced_mib']} MiB; descriptor {size['descriptor_uncached_seconds']} s "
            f"made, {size['descriptor_cached_ms']} ms kept"
        )
    lines.append(
        f"       target ≤ {part['target_seconds']} s, peak growth {part['peak_growth']:.1%} "
        f"(≤ {part['flat_growth_allowed']:.0%}): {_mark(part['ok'])}"
    )
    return lines


def _other(name: str, part: dict[str, Any]) -> list[str]:
    return [f"{name:<6} {_mark(part['ok'])} (details in results.json)"]


FORMATS = {
    "http": _http,
    "verify": _verify,
    "nodes": _nodes,
    "core": _core,
    "batch": _batch,
    "registry": _registry,
    "pdf": _pdf,
    "pages": _pages,
    "progress": _progress,
    "opendata": _open_data,
}


def write(results: dict[str, dict[str, Any]], argv: list[str]) -> Path:
    """Print the report and write the JSON results; the path written."""
    for name, part in results.items():
        print("\n".join(FORMATS[name](part) if name in FORMATS else _other(name, part)))
    document = {
        "command": " ".join([os.path.relpath(sys.executable, ROOT), "-m", "bench", *argv]),
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        **results,
    }
    OUT.mkdir(exist_ok=True)
    path = OUT / "results.json"
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    print(f"results: {path}")
    return path
