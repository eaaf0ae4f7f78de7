"""QR codes for certificates: the symbol for a verification URL, drawn as vector rectangles.

The symbol is exactly the one ``qrcode`` makes with ``error_correction=M``, ``fit=True``,
its default mask choice, and the data as one byte-mode segment of UTF-8 (``add_data(
QRData(data, mode=MODE_8BIT_BYTE))``): the smallest version that holds it at level M
(about 15 % of the codewords may be lost), and of the eight mask patterns the one with
the lowest ISO/IEC 18004 penalty, i.e. the one that is easiest to scan. ``qrcode`` takes
about 19 ms for a certificate's URL, four fifths of it choosing the mask: it lays out the
symbol eight times and scores each module by module. Here the symbol is a few big integers
(`certify.pdf.qrlayout`), so laying it out, masking it and scoring all eight masks takes a
fraction of a millisecond, with nothing given up; and the result is cached per URL.

A small printed symbol (a 40 × 30 mm label's) takes the strongest error correction at
which its data fits a given version (`strongest_level`): fewer, larger modules scan more
reliably than more error correction in modules too small for the camera.

`draw_qr` paints it on a reportlab canvas as one filled path: each horizontal run of dark
modules is one rectangle, inside a light quiet zone of `QUIET_ZONE` modules. No raster
image is made, so it stays sharp at any size and in print.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import accumulate
from re import finditer

from qrcode import base, util
from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_L, ERROR_CORRECT_M, ERROR_CORRECT_Q
from reportlab.pdfgen.canvas import Canvas

from certify.pdf.qrlayout import MASKS, Layout, layout

ERROR_CORRECTION = ERROR_CORRECT_M
"""The level of every symbol that is not made to fit a version (`strongest_level`)."""
STRONGEST_FIRST = (ERROR_CORRECT_H, ERROR_CORRECT_Q, ERROR_CORRECT_M, ERROR_CORRECT_L)
QUIET_ZONE = 4
"""Light modules around the symbol on every side, as ISO/IEC 18004 requires."""
CACHED_URLS = 256
"""Symbols (about 25 KB each with their drawing) kept for re-rendered documents."""

_BYTE_MODE = 0b0100
_PAD = b"\xec\x11"
_FINDER_LIKE = ("10111010000", "00001011101")


@dataclass(frozen=True)
class QrCode:
    """One symbol: ``rows[r][c] == "1"`` where module (r, c) is dark; row 0 is the top."""

    data: str
    version: int
    mask: int
    rows: tuple[str, ...]

    @property
    def size(self) -> int:
        """Modules on a side, without the quiet zone."""
        return len(self.rows)

    def runs(self) -> Iterator[tuple[int, int, int]]:
        """Every horizontal run of dark modules as (row, first column, length)."""
        for r, row in enumerate(self.rows):
            for run in finditer("1+", row):
                yield r, run.start(), run.end() - run.start()


# Reed–Solomon over GF(256) with the QR polynomial x⁸ + x⁴ + x³ + x² + 1.
_EXP = list(accumulate(range(254), lambda x, _: (x << 1) ^ (0x11D if x & 0x80 else 0), initial=1))
_LOG = {value: power for power, value in enumerate(_EXP)}


def _multiply(a: int, b: int) -> int:
    return 0 if a == 0 or b == 0 else _EXP[(_LOG[a] + _LOG[b]) % 255]


@cache
def _remainder_table(degree: int) -> tuple[int, ...]:
    """For each byte f, f × the generator polynomial (leading term dropped) as one integer."""
    generator = [1]
    for power in range(degree):
        root = _EXP[power]
        generator = [
            a ^ _multiply(b, root) for a, b in zip([*generator, 0], [0, *generator], strict=True)
        ]
    tail = generator[1:]
    return tuple(int.from_bytes(bytes(_multiply(f, g) for g in tail), "big") for f in range(256))


def _error_correction(block: bytes, degree: int) -> bytes:
    table = _remainder_table(degree)
    top, keep = 8 * (degree - 1), (1 << 8 * degree) - 1
    remainder = 0
    for byte in block:
        remainder = ((remainder << 8) & keep) ^ table[(remainder >> top) ^ byte]
    return remainder.to_bytes(degree, "big")


def _version_for(length: int, level: int = ERROR_CORRECTION) -> int:
    """The smallest version whose data codewords hold ``length`` bytes in one segment."""
    limits = util.BIT_LIMIT_TABLE[level]
    for version in range(1, 41):
        if 4 + (8 if version < 10 else 16) + 8 * length <= limits[version]:
            return version
    raise ValueError(f"{length} bytes do not fit in a QR code at error correction {level}")


def strongest_level(data: str, largest_version: int) -> int:
    """The strongest error correction level at which ``data`` fits ``largest_version``,
    or level L (the smallest symbol) where none does."""
    length = len(data.encode("utf-8"))
    for level in STRONGEST_FIRST:
        if _version_for(length, level) <= largest_version:
            return level
    return ERROR_CORRECT_L


def _codewords(data: bytes, version: int, level: int) -> bytes:
    """The data codewords, split into blocks, each with its error correction, interleaved."""
    blocks = base.rs_blocks(version, level)
    capacity = sum(block.data_count for block in blocks)
    count_bits = 8 if version < 10 else 16
    length = 4 + count_bits + 8 * len(data)
    bits = ((_BYTE_MODE << count_bits | len(data)) << 8 * len(data)) | int.from_bytes(data)
    terminator = min(4, 8 * capacity - length)
    padding = (-(length + terminator)) % 8
    filled = bits << (terminator + padding)
    message = filled.to_bytes((length + terminator + padding) // 8, "big")
    message += (_PAD * capacity)[: capacity - len(message)]

    data_blocks, ec_blocks, start = [], [], 0
    for block in blocks:
        chunk = message[start : start + block.data_count]
        start += block.data_count
        data_blocks.append(chunk)
        ec_blocks.append(_error_correction(chunk, block.total_count - block.data_count))
    return bytes(_interleave(data_blocks) + _interleave(ec_blocks))


def _interleave(blocks: list[bytes]) -> list[int]:
    longest = max(len(block) for block in blocks)
    return [block[i] for i in range(longest) for block in blocks if i < len(block)]


def _count(plane: int) -> int:
    return plane.bit_count()


def penalty(plane: int, geometry: Layout) -> int:
    """The ISO/IEC 18004 mask penalty of a symbol (the rules and weights ``qrcode`` uses).

    N1: 3 + (length − 5) for each row or column run of five or more modules of one
    colour; N2: 3 for each 2 × 2 block of one colour; N3: 40 for each 1:1:3:1:1 finder-like
    pattern with four light modules on either side; N4: 10 for each full 5 % that the
    share of dark modules is away from half.
    """
    dark, light, stride = plane, geometry.valid & ~plane, geometry.stride
    score = 0
    for step in (1, stride):  # along rows, then down columns
        for colour in (dark, light):
            runs = colour
            for k in range(1, 5):
                runs &= colour >> (k * step)
            score += _count(runs) + 2 * _count(runs & ~(runs << step))
        for pattern in _FINDER_LIKE:
            found = geometry.valid
            for k, module in enumerate(pattern):
                found &= (dark if module == "1" else light) >> (k * step)
            score += 40 * _count(found)
    for colour in (dark, light):
        score += 3 * _count(colour & colour >> 1 & colour >> stride & colour >> (stride + 1))
    share = _count(dark) / geometry.size**2
    return score + int(abs(share * 100 - 50) / 5) * 10


@lru_cache(maxsize=CACHED_URLS)
def encode(data: str, level: int = ERROR_CORRECTION) -> QrCode:
    """The symbol for ``data`` (UTF-8 in byte mode), at ``level``, with the best mask."""
    payload = data.encode("utf-8")
    version = _version_for(len(payload), level)
    geometry = layout(version, level)
    codewords = _codewords(payload, version, level)
    stream = format(int.from_bytes(codewords), f"0{8 * len(codewords)}b")
    stream = stream.ljust(geometry.data_modules + 1, "0")
    unmasked = int("".join(geometry.place(stream)), 2)
    # Masks are scored without format and version information, as ``qrcode`` does.
    scores = [
        (penalty((unmasked ^ geometry.mask_planes[m]) | geometry.patterns, geometry), m)
        for m in MASKS
    ]
    mask = min(scores)[1]
    plane = (unmasked ^ geometry.mask_planes[mask]) | geometry.patterns
    plane |= geometry.info_planes[mask]
    return QrCode(data=data, version=version, mask=mask, rows=_rows(plane, geometry))


def _rows(plane: int, geometry: Layout) -> tuple[str, ...]:
    text = format(plane, "b").zfill(geometry.size * geometry.stride)[::-1]
    return tuple(
        text[r * geometry.stride : r * geometry.stride + geometry.size]
        for r in range(geometry.size)
    )


@lru_cache(maxsize=CACHED_URLS)
def _path(data: str, level: int, quiet_zone: int) -> tuple[int, str]:
    """Modules on a side with the quiet zone, and the dark runs in module units, y up."""
    code = encode(data, level)
    top = code.size - 1 + quiet_zone
    rectangles = [
        f"{run.start() + quiet_zone} {top - r} {run.end() - run.start()} 1 re"
        for r, row in enumerate(code.rows)
        for run in finditer("1+", row)
    ]
    return code.size + 2 * quiet_zone, " ".join(rectangles)


@dataclass(frozen=True)
class QrStyle:
    """How a symbol is made: its error correction level and its light border, in modules."""

    level: int = ERROR_CORRECTION
    quiet_zone: int = QUIET_ZONE


def draw_qr(
    canvas: Canvas, data: str, x: float, y: float, width: float, style: QrStyle = QrStyle()
) -> None:
    """Draw the QR code for ``data`` in ``style`` with its lower left corner at (x, y),
    ``width`` points wide and high including the quiet zone, which is painted light."""
    modules, rectangles = _path(data, style.level, style.quiet_zone)
    scale = width / modules
    canvas.addLiteral(
        f"q 1 g {x:.3f} {y:.3f} {width:.3f} {width:.3f} re f "
        f"0 g {scale:.5f} 0 0 {scale:.5f} {x:.3f} {y:.3f} cm {rectangles} f Q"
    )
