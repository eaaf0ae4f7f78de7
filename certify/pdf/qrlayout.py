"""The fixed geometry of each QR Code version, as bitplanes: what `certify.pdf.qr` fills in.

A symbol of version *v* is ``n = 4v + 17`` modules square. Its modules are held as the
bits of one Python ``int`` (a *plane*): module (row, col) is bit ``row * stride + col``
with ``stride = n + 1``, so every row ends in one guard bit that is never set. Whole
symbols are then masked, compared and scored with a few big-integer operations instead
of a loop over modules, which is what makes choosing the mask cheap.

The layout follows ISO/IEC 18004 as the ``qrcode`` package draws it (its tables are used
for the alignment pattern positions and the BCH codes of the format and version
information), so a symbol built here is module for module the one ``qrcode`` makes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from operator import itemgetter

from qrcode import util

MASKS = range(8)


@dataclass(frozen=True)
class Layout:
    """Where everything goes in a symbol of one version, for one error correction level."""

    version: int
    size: int
    stride: int
    valid: int
    """Every module of the symbol (no guard bits)."""
    patterns: int
    """Dark modules of the finder, separator, timing and alignment patterns."""
    data_region: int
    """Modules that carry codewords (and remainder bits): the ones a mask flips."""
    mask_planes: tuple[int, ...]
    """Per mask pattern 0–7, the data modules that it flips."""
    info_planes: tuple[int, ...]
    """Per mask pattern, the dark modules of format and version information and the dark module."""
    data_modules: int
    """How many modules carry codewords and remainder bits."""
    place: Callable[[str], tuple[str, ...]]
    """Picks the data plane's text, highest bit first, from ``data_modules + 1`` bit
    characters: the codeword bits, then ``"0"`` for the remainder and everything else."""


def _function_grid(version: int, size: int) -> list[list[bool | None]]:
    grid: list[list[bool | None]] = [[None] * size for _ in range(size)]
    for top, left in ((0, 0), (size - 7, 0), (0, size - 7)):
        for r in range(-1, 8):
            for c in range(-1, 8):
                row, col = top + r, left + c
                if 0 <= row < size and 0 <= col < size:
                    ring = (0 <= r <= 6 and c in (0, 6)) or (0 <= c <= 6 and r in (0, 6))
                    grid[row][col] = ring or (2 <= r <= 4 and 2 <= c <= 4)
    centres = util.pattern_position(version)
    for row in centres:
        for col in centres:
            if grid[row][col] is not None:
                continue  # overlaps a finder pattern
            for r in range(-2, 3):
                for c in range(-2, 3):
                    grid[row + r][col + c] = abs(r) == 2 or abs(c) == 2 or r == c == 0
    for i in range(8, size - 8):
        if grid[i][6] is None:
            grid[i][6] = i % 2 == 0
        if grid[6][i] is None:
            grid[6][i] = i % 2 == 0
    return grid


def _format_cells(size: int) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Both places of each of the 15 format information bits, least significant first."""
    cells = []
    for i in range(15):
        down = (i, 8) if i < 6 else (i + 1, 8) if i < 8 else (size - 15 + i, 8)
        across = (8, size - i - 1) if i < 8 else (8, 15 - i) if i < 9 else (8, 14 - i)
        cells.append((down, across))
    return cells


def _version_cells(size: int) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Both places of each of the 18 version information bits (versions 7 and up)."""
    return [((i // 3, i % 3 + size - 11), (i % 3 + size - 11, i // 3)) for i in range(18)]


def _data_order(grid: list[list[bool | None]], size: int) -> list[tuple[int, int]]:
    """The free modules in codeword order: two-module columns zigzagging up and down."""
    order = []
    upward = True
    col = size - 1
    while col > 0:
        if col == 6:
            col -= 1  # the vertical timing pattern
        rows = range(size - 1, -1, -1) if upward else range(size)
        for row in rows:
            for c in (col, col - 1):
                if grid[row][c] is None:
                    order.append((row, c))
        upward = not upward
        col -= 2
    return order


@cache
def layout(version: int, error_correction: int) -> Layout:
    """The layout of ``version`` (1–40) at an error correction level of `qrcode.constants`."""
    util.check_version(version)
    size = version * 4 + 17
    stride = size + 1
    grid = _function_grid(version, size)

    def bit(row: int, col: int) -> int:
        return 1 << (row * stride + col)

    reserved = [cell for pair in _format_cells(size) for cell in pair] + [(size - 8, 8)]
    version_bits = 0
    if version >= 7:
        number = util.BCH_type_number(version)
        for i, pair in enumerate(_version_cells(size)):
            reserved += pair
            if number >> i & 1:
                version_bits |= bit(*pair[0]) | bit(*pair[1])
    for row, col in reserved:
        grid[row][col] = False

    order = _data_order(grid, size)
    patterns = sum(bit(r, c) for r in range(size) for c in range(size) if grid[r][c])
    data_region = sum(bit(r, c) for r, c in order)
    valid = sum(((1 << size) - 1) << (r * stride) for r in range(size))

    mask_planes = []
    info_planes = []
    for pattern in MASKS:
        flips = util.mask_func(pattern)
        mask_planes.append(sum(bit(r, c) for r, c in order if flips(r, c)))
        info = version_bits | bit(size - 8, 8)
        format_bits = util.BCH_type_info(error_correction << 3 | pattern)
        for i, (down, across) in enumerate(_format_cells(size)):
            if format_bits >> i & 1:
                info |= bit(*down) | bit(*across)
        info_planes.append(info)

    # The data plane's text runs from its highest bit down; each of its characters is
    # picked from the codeword bits, or the trailing "0" for every other position.
    position = {r * stride + c: i for i, (r, c) in enumerate(order)}
    picks = [position.get(b, len(order)) for b in range(size * stride - 1, -1, -1)]
    return Layout(
        version=version,
        size=size,
        stride=stride,
        valid=valid,
        patterns=patterns,
        data_region=data_region,
        mask_planes=tuple(mask_planes),
        info_planes=tuple(info_planes),
        data_modules=len(order),
        place=itemgetter(*picks),
    )
