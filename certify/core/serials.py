"""Serial numbers of forest-sink credits: inclusive blocks, our serial strings, Verra's.

A credit is one tonne of CO2e with its own serial number; the registry holds them as
blocks, inclusive ranges ``[start, end]`` of numbers (1 ≤ start ≤ end). `Block` and the
functions below are the algebra of those ranges (merge, cover, subtract, split).

Our serial strings have the form::

    {PROGRAMME}-{PROJECT}-{VINTAGE}-{NUMBER}        e.g.  WLY-FS001-2024-000000123

- PROGRAMME: 2–8 uppercase letters or digits; ours is ``WLY`` (the Wulingyuan
  forest-sink programme); imported credits keep theirs (e.g. ``VCS``).
- PROJECT: the project code, 2–12 uppercase letters or digits.
- VINTAGE: the year the removals happened, 4 digits, 1990–2100.
- NUMBER: the credit's number within its issuance, zero-padded to exactly 9 digits,
  1..999,999,999.

Parsing strips surrounding whitespace and accepts any case (ASCII only); output is
always canonical uppercase. A range of credits is written as its first and last serial,
which must share the prefix.

Verra-style block serials (from external registry exports) name a whole block, e.g.
``9803-153898061-153898160-VCS-VCU-263-VER-BR-14-1115-01012013-31122013-0``: issuance
id, block start, block end, programme, unit type, registry-specific fields, the project
id (10th field), vintage start and end (DDMMYYYY), and a final flag; `parse_verra` reads
them. Every malformed input raises `SerialError`, a `ValueError` naming what is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

PROGRAMME = "WLY"
"""Our programme: the Wulingyuan forest-sink programme."""
NUMBER_DIGITS = 9
MAX_NUMBER = 10**NUMBER_DIGITS - 1
MIN_VINTAGE, MAX_VINTAGE = 1990, 2100
EXAMPLE = "WLY-FS001-2024-000000123"
VERRA_EXAMPLE = "9803-153898061-153898160-VCS-VCU-263-VER-BR-14-1115-01012013-31122013-0"
VERRA_MIN_FIELDS = 12

_PROGRAMME = re.compile(r"[A-Z0-9]{2,8}")
_PROJECT = re.compile(r"[A-Z0-9]{2,12}")
_DIGITS = re.compile(r"[0-9]+")
_WORD = re.compile(r"[A-Za-z0-9]+")


class SerialError(ValueError):
    """A serial, a range or a block is malformed; ``field`` names the input, if known."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _show(text: str, limit: int = 24) -> str:
    """``text`` quoted for a message, cut short if long (inputs may be anything)."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


# --- blocks --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, order=True)
class Block:
    """The serial numbers ``start`` to ``end``, both included; ordered by start, then end."""

    start: int
    end: int

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool):
                raise SerialError(f"block {name} must be a whole number, not {value!r}")
        if not 1 <= self.start <= self.end:
            raise SerialError(f"a block needs 1 ≤ start ≤ end, not [{self.start}, {self.end}]")

    @property
    def count(self) -> int:
        """How many serials the block holds."""
        return self.end - self.start + 1

    def contains(self, other: Block | int) -> bool:
        """Whether a serial number, or every serial of a block, is in this block."""
        if isinstance(other, Block):
            return self.start <= other.start and other.end <= self.end
        return self.start <= other <= self.end

    def overlaps(self, other: Block) -> bool:
        """Whether the two blocks share at least one serial."""
        return self.start <= other.end and other.start <= self.end

    def adjacent(self, other: Block) -> bool:
        """Whether the blocks touch end to start, sharing no serial and leaving no gap."""
        return self.end + 1 == other.start or other.end + 1 == self.start

    def intersection(self, other: Block) -> Block | None:
        """The serials in both blocks, or None if they share none."""
        start, end = max(self.start, other.start), min(self.end, other.end)
        return Block(start, end) if start <= end else None

    def subtract(self, other: Block) -> tuple[Block, ...]:
        """The serials of this block not in ``other``: 0, 1 or 2 pieces, in order."""
        if not self.overlaps(other):
            return (self,)
        pieces = []
        if self.start < other.start:
            pieces.append(Block(self.start, other.start - 1))
        if other.end < self.end:
            pieces.append(Block(other.end + 1, self.end))
        return tuple(pieces)

    def split(self, at: int) -> tuple[Block, Block]:
        """``[start, at − 1]`` and ``[at, end]``; ``at`` must leave both non-empty."""
        if not self.start < at <= self.end:
            raise SerialError(
                f"cannot split [{self.start}, {self.end}] at {at}: "
                f"it must be in {self.start + 1}..{self.end}"
            )
        return Block(self.start, at - 1), Block(at, self.end)

    def take(self, n: int) -> tuple[Block, Block | None]:
        """The first ``n`` serials, and the rest (None when ``n`` is the whole block)."""
        if not 1 <= n <= self.count:
            raise SerialError(f"cannot take {n} serials from a block of {self.count}")
        if n == self.count:
            return self, None
        return self.split(self.start + n)


def merge(blocks: Iterable[Block]) -> list[Block]:
    """The same serials as sorted, disjoint blocks, overlapping and adjacent ones joined."""
    merged: list[Block] = []
    for block in sorted(blocks):
        if merged and block.start <= merged[-1].end + 1:
            if block.end > merged[-1].end:
                merged[-1] = Block(merged[-1].start, block.end)
        else:
            merged.append(block)
    return merged


def total(blocks: Iterable[Block]) -> int:
    """How many distinct serials the blocks hold (overlaps counted once)."""
    return sum(block.count for block in merge(blocks))


def covers(blocks: Iterable[Block], target: Block) -> bool:
    """Whether every serial of ``target`` is in one of the blocks."""
    return any(block.contains(target) for block in merge(blocks))


# --- our serial strings --------------------------------------------------------------


def _check_number(number: int, field: str | None = None) -> None:
    if not isinstance(number, int) or isinstance(number, bool):
        raise SerialError(f"a serial number must be a whole number, not {number!r}", field)
    if not 1 <= number <= MAX_NUMBER:
        raise SerialError(f"number {number} is outside 1–{MAX_NUMBER:,}", field)


@dataclass(frozen=True, slots=True)
class SerialPrefix:
    """What the serials of one issuance share: programme, project code and vintage."""

    programme: str
    project: str
    vintage: int

    def __post_init__(self) -> None:
        if not isinstance(self.programme, str) or not _PROGRAMME.fullmatch(self.programme):
            raise SerialError(
                f"programme {self.programme!r} must be 2–8 uppercase letters or digits"
            )
        if not isinstance(self.project, str) or not _PROJECT.fullmatch(self.project):
            raise SerialError(
                f"project code {self.project!r} must be 2–12 uppercase letters or digits"
            )
        if not isinstance(self.vintage, int) or isinstance(self.vintage, bool):
            raise SerialError(f"vintage must be a year, not {self.vintage!r}")
        if not MIN_VINTAGE <= self.vintage <= MAX_VINTAGE:
            raise SerialError(f"vintage {self.vintage} is outside {MIN_VINTAGE}–{MAX_VINTAGE}")

    def __str__(self) -> str:
        return f"{self.programme}-{self.project}-{self.vintage}"

    def format(self, number: int) -> str:
        """The serial string of credit ``number`` (1..999,999,999) under this prefix."""
        _check_number(number)
        return f"{self}-{number:0{NUMBER_DIGITS}d}"

    def format_block(self, block: Block) -> tuple[str, str]:
        """The first and last serial strings of ``block``."""
        return self.format(block.start), self.format(block.end)


def parse_serial(text: str, field: str | None = None) -> tuple[SerialPrefix, int]:
    """The prefix and number of a serial string such as ``WLY-FS001-2024-000000123``.

    ``field`` (e.g. "serial_end") is attached to any `SerialError` raised.
    """
    if not isinstance(text, str):
        raise SerialError(f"a serial must be text, not {type(text).__name__}", field)
    text = text.strip()
    if not text:
        raise SerialError("a serial is required", field)
    if not text.isascii():
        raise SerialError(
            f"serial {_show(text)} may contain only letters, digits and dashes", field
        )
    given = text.split("-")
    if len(given) != 4:
        raise SerialError(
            f"serial {_show(text)} must have four parts, "
            f"PROGRAMME-PROJECT-VINTAGE-NUMBER (e.g. {EXAMPLE})",
            field,
        )
    programme, project, vintage, number = (part.upper() for part in given)
    if not _PROGRAMME.fullmatch(programme):
        raise SerialError(f"programme {_show(given[0])} must be 2–8 letters or digits", field)
    if not _PROJECT.fullmatch(project):
        raise SerialError(f"project code {_show(given[1])} must be 2–12 letters or digits", field)
    if not (len(vintage) == 4 and _DIGITS.fullmatch(vintage)):
        raise SerialError(f"vintage {_show(given[2])} must be a 4-digit year", field)
    if not MIN_VINTAGE <= int(vintage) <= MAX_VINTAGE:
        raise SerialError(f"vintage {vintage} is outside {MIN_VINTAGE}–{MAX_VINTAGE}", field)
    if not (len(number) == NUMBER_DIGITS and _DIGITS.fullmatch(number)):
        raise SerialError(f"number must be {NUMBER_DIGITS} digits, not {_show(given[3])}", field)
    if int(number) == 0:
        raise SerialError(f"number 0 is outside 1–{MAX_NUMBER:,}", field)
    return SerialPrefix(programme, project, int(vintage)), int(number)


def parse_range(start_text: str, end_text: str) -> tuple[SerialPrefix, Block]:
    """The prefix and block of the range from serial ``start_text`` to ``end_text``.

    Errors name the field they concern: ``serial_start`` or ``serial_end``.
    """
    prefix, start = parse_serial(start_text, "serial_start")
    end_prefix, end = parse_serial(end_text, "serial_end")
    if end_prefix != prefix:
        raise SerialError(
            "serial_end is in a different project/vintage than serial_start "
            f"({end_prefix} vs {prefix})",
            "serial_end",
        )
    if end < start:
        raise SerialError("serial_end comes before serial_start", "serial_end")
    return prefix, Block(start, end)


# --- Verra-style block serials -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VerraBlock:
    """One block serial of a Verra-style export; ``raw`` is the text as given, stripped."""

    issuance: str
    block: Block
    programme: str
    unit_type: str
    project_id: str
    vintage_start: date
    vintage_end: date
    raw: str

    @property
    def vintage(self) -> int:
        """The vintage year: the year the monitoring period ends."""
        return self.vintage_end.year


def _verra_number(text: str, what: str) -> int:
    if not _DIGITS.fullmatch(text):
        raise SerialError(f"{what} {_show(text)} is not a number")
    if len(text.lstrip("0")) > NUMBER_DIGITS:
        raise SerialError(
            f"{what} {_show(text)} is beyond {MAX_NUMBER:,}, the largest serial "
            "number this registry holds"
        )
    number = int(text)
    if number < 1:
        raise SerialError(f"{what} must be at least 1")
    return number


def _verra_date(text: str, what: str) -> date:
    if not (len(text) == 8 and _DIGITS.fullmatch(text)):
        raise SerialError(f"{what} {_show(text)} is not a date (DDMMYYYY)")
    try:
        return date(int(text[4:]), int(text[2:4]), int(text[:2]))
    except ValueError:
        raise SerialError(f"{what} {text} is not a date (DDMMYYYY)") from None


def _verra_word(text: str, what: str) -> str:
    if not _WORD.fullmatch(text):
        raise SerialError(f"{what} {_show(text)} must be letters or digits")
    return text


def parse_verra(text: str) -> VerraBlock:
    """The parts of a Verra-style block serial (see the module docstring)."""
    if not isinstance(text, str):
        raise SerialError(f"a Verra serial must be text, not {type(text).__name__}")
    raw = text.strip()
    if not raw:
        raise SerialError("a Verra serial is required")
    if not raw.isascii():
        raise SerialError(f"Verra serial {_show(raw)} may contain only letters, digits and dashes")
    parts = raw.split("-")
    if len(parts) < VERRA_MIN_FIELDS:
        raise SerialError(
            f"a Verra serial has at least {VERRA_MIN_FIELDS} dash-separated "
            f"fields, this has {len(parts)} (e.g. {VERRA_EXAMPLE})"
        )
    issuance = _verra_word(parts[0], "issuance id").upper()
    start = _verra_number(parts[1], "block start")
    end = _verra_number(parts[2], "block end")
    if end < start:
        raise SerialError(f"block end {end} comes before block start {start}")
    programme = _verra_word(parts[3], "programme").upper()
    unit_type = _verra_word(parts[4], "unit type").upper()
    project_id = parts[9]
    if not _DIGITS.fullmatch(project_id):
        raise SerialError(f"project id {_show(project_id)} (10th field) must be digits")
    vintage_start = _verra_date(parts[10], "vintage start")
    vintage_end = _verra_date(parts[11], "vintage end")
    if vintage_end < vintage_start:
        raise SerialError(f"vintage end {parts[11]} comes before vintage start {parts[10]}")
    if not MIN_VINTAGE <= vintage_end.year <= MAX_VINTAGE:
        raise SerialError(f"vintage {vintage_end.year} is outside {MIN_VINTAGE}–{MAX_VINTAGE}")
    return VerraBlock(
        issuance=issuance,
        block=Block(start, end),
        programme=programme,
        unit_type=unit_type,
        project_id=project_id,
        vintage_start=vintage_start,
        vintage_end=vintage_end,
        raw=raw,
    )
