"""The pages' message catalogues: which sources each package's catalogue holds, and
extracting, updating, checking and compiling them (``flask translations update|check``).

Babel's own ``pybabel`` does each step, but for one catalogue per mapping file; here
each area of the pages keeps its own catalogue in its package's ``translations`` folder
(so each feature owns its strings), a `SOURCES_FILE` there lists what it holds, and the
steps are a few calls into ``babel.messages``. Source strings
are English; the catalogues hold the Chinese. The compiled ``.mo`` files are committed
beside their ``.po`` so that an installed package needs no build step, and `problems`
(run by the tests) reports any string left untranslated and any ``.mo`` out of date.
"""

from __future__ import annotations

import io
from pathlib import Path

import click
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from flask.cli import AppGroup

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("footprint", "certify", "guides")
LOCALE = "zh"
SOURCES_FILE = "sources.txt"
"""In a catalogue's folder: the files and folders (from the repository root, one a line,
``#`` for comments) whose page strings it holds."""
METHODS = [("**.py", "python"), ("**.html", "jinja2")]
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "_l": None}
HEADER = "Scenic Carbon page strings"


def catalogues() -> list[Path]:
    """Every catalogue folder (one with a `SOURCES_FILE`) under the packages'
    ``translations`` folders, by path."""
    found = []
    for package in PACKAGES:
        for listing in (ROOT / package).rglob(SOURCES_FILE):
            if "translations" in listing.relative_to(ROOT).parts:
                found.append(listing.parent)
    return sorted(found)


def name(folder: Path) -> str:
    return str(folder.relative_to(ROOT))


def sources(folder: Path) -> list[str]:
    lines = (folder / SOURCES_FILE).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def po_path(folder: Path) -> Path:
    return folder / LOCALE / "LC_MESSAGES" / "messages.po"


def extract(folder: Path) -> Catalog:
    """Every string marked for translation in the catalogue's sources."""
    template = Catalog(project=HEADER, fuzzy=False)
    for source in sources(folder):
        path = ROOT / source
        if path.is_dir():
            found = extract_from_dir(path, METHODS, keywords=KEYWORDS, strip_comment_tags=True)
            messages = ((name, *rest) for name, *rest in found)
        elif path.exists():
            method = "jinja2" if path.suffix == ".html" else "python"
            messages = (
                (source, *rest) for rest in extract_from_file(method, path, keywords=KEYWORDS)
            )
        else:
            continue
        for filename, lineno, message, comments, context in messages:
            template.add(
                message,
                locations=[(str(filename), lineno)],
                auto_comments=comments,
                context=context,
            )
    return template


def _read(folder: Path) -> Catalog:
    path = po_path(folder)
    if not path.exists():
        return Catalog(locale=LOCALE, project=HEADER, fuzzy=False)
    with path.open("rb") as handle:
        return read_po(handle, locale=LOCALE)


def _compiled(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def update(folder: Path) -> Catalog:
    """Bring the catalogue in line with its sources (new strings added with no
    translation, gone ones dropped), and compile it."""
    catalog = _read(folder)
    catalog.update(extract(folder), no_fuzzy_matching=True)
    catalog.obsolete.clear()
    path = po_path(folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, sort_output=True, include_lineno=False)
    path.with_suffix(".mo").write_bytes(_compiled(catalog))
    return catalog


def problems(folder: Path) -> list[str]:
    """What is wrong with a catalogue: strings untranslated, fuzzy, missing or no longer
    used; a compiled file that is not the catalogue's."""
    catalog, wanted, package = _read(folder), extract(folder), name(folder)
    found = []
    for message in wanted:
        if not message.id:
            continue
        entry = catalog.get(message.id, message.context)
        if entry is None:
            found.append(f"{package}: {message.id!r} is not in the catalogue")
        elif entry.fuzzy or not all(
            entry.string if isinstance(entry.string, tuple) else [entry.string]
        ):
            found.append(f"{package}: {message.id!r} has no Chinese")
    for entry in catalog:
        if entry.id and wanted.get(entry.id, entry.context) is None:
            found.append(f"{package}: {entry.id!r} is no longer used")
    mo = po_path(folder).with_suffix(".mo")
    if not mo.exists() or mo.read_bytes() != _compiled(catalog):
        found.append(f"{package}: {mo.name} is not compiled from {po_path(folder).name}")
    return found


translations_cli = AppGroup("translations", help="The pages' message catalogues.")


def _chosen(names: tuple[str, ...]) -> list[Path]:
    every = catalogues()
    if not names:
        return every
    chosen = [folder for folder in every if name(folder) in names]
    unknown = set(names) - {name(folder) for folder in chosen}
    if unknown:
        raise click.BadParameter(f"no catalogue {', '.join(sorted(unknown))}")
    return chosen


@translations_cli.command("update")
@click.argument("names", nargs=-1)
def update_command(names: tuple[str, ...]) -> None:
    """Add new strings to the catalogues (all, or those NAMES), drop gone ones, compile."""
    for folder in _chosen(names):
        catalog = update(folder)
        missing = sum(1 for m in catalog if m.id and not m.string)
        click.echo(f"{name(folder)}: {len(catalog)} strings, {missing} untranslated")


@translations_cli.command("check")
@click.argument("names", nargs=-1)
def check_command(names: tuple[str, ...]) -> None:
    """Exit 1 if any string is untranslated or any compiled catalogue out of date."""
    found = [problem for folder in _chosen(names) for problem in problems(folder)]
    for problem in found:
        click.echo(problem, err=True)
    if found:
        raise SystemExit(1)
    click.echo("every page string has its Chinese")
