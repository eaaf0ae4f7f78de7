"""Commands: `flask factors …` (load, publish, list datasets) and `flask footprints batch`."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import click
from flask.cli import AppGroup

from footprint.core.batch import COLUMNS, BatchSummary, price_rows
from footprint.core.datasets import DatasetError, header, parents_first
from footprint.core.quantities import present
from footprint.platform.problems import Problem
from footprint.services import datasets

factors = AppGroup("factors", help="Emission-factor datasets.")
footprints = AppGroup("footprints", help="Footprints in bulk.")


@factors.command("load")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--publish", is_flag=True, help="Publish as well: the version becomes immutable.")
def load(paths: tuple[Path, ...], publish: bool) -> None:
    """Load dataset documents (default: the bundled ones) as drafts, or publish them.

    A dataset that extends another is loaded after it, whatever the order given.
    """
    documents = {path: path.read_bytes() for path in paths or datasets.bundled_documents()}
    try:
        for path, document in documents.items():
            try:
                header(document)
            except DatasetError as error:
                raise click.ClickException(f"{path}: {error}") from error
        ordered = parents_first(documents.items())
    except DatasetError as error:
        raise click.ClickException(str(error)) from error
    for path in ordered:
        try:
            record, outcome = datasets.load(documents[path], publish=publish)
        except (DatasetError, Problem) as error:
            raise click.ClickException(f"{path}: {error}") from error
        click.echo(f"{record.code}: {outcome} ({len(record.factors)} factors, {path.name})")


@factors.command("publish")
@click.argument("code")
def publish(code: str) -> None:
    """Publish a loaded draft dataset version."""
    try:
        record = datasets.publish(code)
    except Problem as error:
        raise click.ClickException(error.detail) from error
    click.echo(f"{record.code}: published {record.published_at:%Y-%m-%d %H:%M:%S} UTC")


@factors.command("list")
def list_datasets() -> None:
    """List dataset versions."""
    rows, _ = datasets.list_records(page=1, per_page=1000)
    for row in rows:
        state = f"published {row.published_at:%Y-%m-%d}" if row.published else "draft"
        extends = datasets.extends_of(row)
        parent = f"\textends {extends}" if extends else ""
        click.echo(f"{row.code}\t{state}\t{len(row.factors)} factors\t{row.title_en}{parent}")


@footprints.command("batch")
@click.argument("source", type=click.File("r", encoding="utf-8"))
@click.option("--dataset", "code", default=None, help="Dataset version (default: newest).")
@click.option(
    "--output",
    type=click.File("w", encoding="utf-8"),
    default=None,
    help="Write every row with its kgco2e (CSV).",
)
def batch(
    source: click.utils.LazyFile, code: str | None, output: click.utils.LazyFile | None
) -> None:
    """Price a CSV of trip lines (header: trip_id,category,item,quantity,...) in constant memory."""
    dataset = datasets.published(code)
    reader = csv.reader(source)
    header = next(reader, None)
    if header is None or tuple(h.strip() for h in header[:4]) != COLUMNS[:4]:
        raise click.ClickException(f"the first line must be the header {','.join(COLUMNS)}")
    summary = BatchSummary()
    writer = csv.writer(output) if output else None
    if writer:
        writer.writerow([*COLUMNS, "kgco2e"])
    for _, row, kg in price_rows(reader, dataset, summary):
        if writer:
            writer.writerow([*row, "" if kg is None else present(kg)])
    click.echo(f"dataset {dataset.code}: {summary.priced} of {summary.rows} rows priced")
    for category, kg in summary.by_category.items():
        click.echo(f"{category}: {present(kg)} kgCO2e")
    click.echo(f"total: {present(summary.total)} kgCO2e")
    for message in summary.errors:
        click.echo(message, err=True)
    if summary.error_count:
        click.echo(f"{summary.error_count} rows refused", err=True)
        sys.exit(1)
