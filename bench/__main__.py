"""``python -m bench [http] [verify] [pages] [core] [batch] [registry] [pdf] [label] [progress]
[opendata] [workspace] [nodes]``: the chosen parts (default: all)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bench import (
    batch,
    core,
    http,
    label,
    nodes,
    open_data,
    pages,
    pdf,
    progress,
    registry,
    report,
    verify,
    workspace,
)
from bench.environment import prepared

PARTS = (
    "http",
    "verify",
    "pages",
    "core",
    "batch",
    "registry",
    "pdf",
    "label",
    "progress",
    "opendata",
    "workspace",
    "nodes",
)


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "parts",
        nargs="*",
        metavar="PART",
        help="http, verify, pages, core, batch, registry, pdf, label, progress, opendata, "
        "workspace and/or nodes (default: all)",
    )
    parser.add_argument("--seconds", type=int, default=10, help="length of each wrk run")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="alternating wrk runs of /healthz and trips (or verify) each",
    )
    parser.add_argument(
        "--sizes",
        type=lambda text: tuple(int(n) for n in text.split(",")),
        default=batch.SIZES,
        help="batch file sizes in lines, comma-separated",
    )
    options = parser.parse_args(argv)
    unknown = set(options.parts) - set(PARTS)
    if unknown:
        parser.error(f"unknown part {', '.join(sorted(unknown))} (choose from {', '.join(PARTS)})")
    return options


def main(argv: list[str]) -> int:
    options = _arguments(argv)
    parts = [part for part in PARTS if part in (options.parts or PARTS)]
    results: dict[str, dict[str, Any]] = {}
    with prepared(
        database=bool({"http", "pages", "batch", "registry"} & set(parts))
    ) as environment:
        for part in parts:
            print(f"running {part} …", file=sys.stderr, flush=True)
            if part == "http":
                results[part] = http.run(environment, http.Load(options.seconds, options.rounds))
            elif part == "pages":  # in a database and key store of its own
                results[part] = pages.run(http.Load(options.seconds, options.rounds))
            elif part == "verify":  # in a database and key store of its own
                results[part] = verify.run(http.Load(options.seconds, options.rounds))
            elif part == "core":
                results[part] = core.run()
            elif part == "pdf":
                results[part] = pdf.run()
            elif part == "label":
                results[part] = label.run()
            elif part == "progress":
                results[part] = progress.run()
            elif part == "opendata":  # in a database and key store of its own
                results[part] = open_data.run()
            elif part == "nodes":  # on PostgreSQL, in a database of its own
                results[part] = nodes.run(http.Load(options.seconds, options.rounds))
            elif part == "workspace":  # in a database and key store of its own
                results[part] = workspace.run(http.Load(options.seconds, options.rounds))
            elif part == "registry":
                results[part] = registry.run(environment)
            else:
                results[part] = batch.run(environment, options.sizes)
    report.write(results, argv)
    return 0 if all(part["ok"] for part in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
