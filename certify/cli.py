"""Commands: `flask registry check|import|export`, `flask keys list|rotate`,
`flask audit verify` and `flask labels sheets`."""

from __future__ import annotations

import csv
import sys
from datetime import date
from typing import BinaryIO

import click
from flask.cli import AppGroup
from sqlalchemy import select

from certify.core.signing import fingerprint
from certify.models.documents import Label
from certify.pdf.label import SIZES
from certify.services import audit_chain, imports, keys, labels, ledger
from footprint.accounts.models import Role, User
from footprint.platform.db import db

registry = AppGroup("registry", help="The forest-sink credit registry.")
anchor_option = click.option(
    "--anchor",
    default=None,
    help="A head hash kept elsewhere earlier: the chain must still contain it.",
)
"""Both hash chains, the ledger's and the audit log's, are checked against an anchor."""


@registry.command("check")
@anchor_option
def check(anchor: str | None) -> None:
    """Verify the ledger's hash chain, and that holdings, balances, retirements and
    transfers agree with it; print the head hash to keep as a later anchor."""
    problems = ledger.check(anchor)
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        sys.exit(1)
    click.echo(f"registry consistent with its ledger, head {ledger.head()}")


@registry.command("import")
@click.argument("source", type=click.File("r", encoding="utf-8-sig"))
@click.option("--format", "fmt", type=click.Choice(imports.FORMATS), required=True)
@click.option("--holder", default="", help="Organisation that receives the credits.")
@click.option("--as", "email", required=True, help="E-mail of the admin doing the import.")
@click.option("--dry-run", is_flag=True, help="Validate and report; write nothing.")
def import_(source: click.utils.LazyFile, fmt: str, holder: str, email: str, dry_run: bool) -> None:
    """Import an external registry export (all-or-nothing; re-import is a no-op)."""
    user = db.session.scalar(select(User).where(User.email == email.lower()))
    if user is None or user.role != Role.ADMIN:
        raise click.ClickException(f"{email} is not an admin")
    if fmt == "verra" and not holder:
        raise click.ClickException("--holder is required for Verra exports")
    report = imports.run(source, fmt=fmt, holder=holder, user=user, dry_run=dry_run)
    for error in report.errors:
        click.echo(f"row {error['row']}, column {error['column']}: {error['message']}", err=True)
    verb = "would import" if dry_run else "imported"
    click.echo(
        f"{report.rows} rows: {verb} {report.created} blocks ({report.credits} credits, "
        f"{report.retired} retired), {report.unchanged} unchanged, "
        f"{len(report.errors)} errors"
    )
    if report.errors:
        sys.exit(1)


@registry.command("export")
@click.argument("target", type=click.File("w", encoding="utf-8"), default="-")
def export(target: click.utils.LazyFile) -> None:
    """Export every block in the registry's own CSV format."""
    csv.writer(target).writerows(imports.export_rows())


keys_group = AppGroup("keys", help="Signing keys (kept in KEY_STORE, never in the database).")


@keys_group.command("list")
def list_keys() -> None:
    """Every key, with its validity and status."""
    for record in keys.store().records():
        click.echo(
            f"{record.kid}\t{record.status}\tfrom {record.not_before:%Y-%m-%d %H:%M}"
            + (f" until {record.not_after:%Y-%m-%d %H:%M}" if record.not_after else "")
        )


@keys_group.command("rotate")
def rotate() -> None:
    """Make a new active signing key; earlier keys stay to verify what they signed."""
    key = keys.store().rotate()
    click.echo(f"active key {key.kid} (fingerprint {fingerprint(key)})")


audit = AppGroup("audit", help="The hash-chained audit log of certification.")


@audit.command("verify")
@anchor_option
def verify_audit(anchor: str | None) -> None:
    """Check every entry's hash and link, and that every application's state is the one
    its last entry recorded; print the head hash to keep as a later anchor."""
    report = audit_chain.verify(anchor)
    if not report.ok:
        click.echo(
            f"audit log broken at entry {report.first_bad_sequence}: {report.reason}", err=True
        )
        sys.exit(1)
    mismatches = audit_chain.state_mismatches()
    for mismatch in mismatches:
        click.echo(mismatch, err=True)
    if mismatches:
        sys.exit(1)
    click.echo(f"audit log intact: {report.count} entries, head {report.head}")


labels_group = AppGroup("labels", help="Product carbon labels.")


@labels_group.command("sheets")
@click.argument("number")
@click.option(
    "--count",
    type=click.IntRange(1, 1_000_000),
    required=True,
    help="How many labels (a production batch).",
)
@click.option("--size", type=click.Choice(sorted(SIZES)), default="40x30", show_default=True)
@click.option("--output", type=click.File("wb"), required=True, help="The PDF to write.")
def label_sheets(number: str, count: int, size: str, output: BinaryIO) -> None:
    """Print sheets (A4, cut marks) of COUNT copies of label NUMBER, streamed to OUTPUT."""
    label = db.session.scalar(select(Label).where(Label.number == number))
    if label is None:
        raise click.ClickException(f"no label {number}")
    content = labels.printed(label, today=date.today())
    with click.progressbar(length=count, label=f"{number} × {count}") as bar:
        done = 0

        def advance(written: int) -> None:
            nonlocal done
            bar.update(written - done)
            done = written

        written = labels.sheets(content, size=size, count=count, out=output, on_page=advance)
    click.echo(f"{written} labels of {number} ({size} mm) written to {output.name}")
