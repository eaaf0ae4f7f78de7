"""The CJK font of every PDF: a TrueType font from Debian, embedded as a subset.

A PDF that names a font without embedding it (reportlab's CID fonts such as
``STSong-Light``) shows Chinese only where the viewer happens to have a matching font,
so every glyph here comes from a TrueType-outline (``glyf``) font that reportlab
subsets into the file, with a ToUnicode map so its text can be searched and copied. The
same font sets the Latin text: the standard 14 PDF fonts are not embedded either.

The font is looked for at `KNOWN_FONTS` (Debian's paths), or taken from the environment:
``CJK_FONT_PATH`` (with ``CJK_FONT_INDEX`` for the face within a ``.ttc`` collection) and
optionally ``CJK_FONT_BOLD_PATH``/``CJK_FONT_BOLD_INDEX``. None of Debian's TrueType CJK
fonts has a bold face, so bold is the regular face unless one is given; the certificate
then thickens its titles with a stroke (`CjkFonts.synthetic_bold`). OpenType CJK fonts
with PostScript (CFF) outlines, such as Noto CJK, cannot be embedded by reportlab.

`cjk_fonts` registers the fonts with reportlab once per process (parsing a CJK font takes
about 0.1 s) and is safe to call from any thread.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

REGULAR = "CJK"
BOLD = "CJK-Bold"


@dataclass(frozen=True)
class FontFile:
    """A TrueType font (or one face of a collection) and the Debian package that has it."""

    path: Path
    index: int = 0
    package: str | None = None


KNOWN_FONTS = (
    FontFile(Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"), 0, "fonts-wqy-zenhei"),
    FontFile(Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"), 0, "fonts-wqy-microhei"),
    FontFile(Path("/usr/share/fonts/truetype/arphic/uming.ttc"), 0, "fonts-arphic-uming"),
)
PACKAGE = KNOWN_FONTS[0].package
"""The package that ``make setup`` and CI install."""


class FontMissing(RuntimeError):
    """No usable CJK TrueType font: the message says what to install or set."""


@dataclass(frozen=True)
class CjkFonts:
    """Names of the registered reportlab fonts, and where the regular one came from."""

    regular: str
    bold: str
    """`BOLD`, or the regular font's name when there is no bold face."""
    source: FontFile
    synthetic_bold: bool

    def single_face(self) -> CjkFonts:
        """These fonts with bold made from the regular face, for text measured in it."""
        return CjkFonts(
            regular=self.regular, bold=self.regular, source=self.source, synthetic_bold=True
        )


def find_font(environ: Mapping[str, str] = os.environ) -> FontFile:
    """The font to use: ``CJK_FONT_PATH`` if set, else the first of `KNOWN_FONTS` present."""
    configured = environ.get("CJK_FONT_PATH")
    if configured:
        path = Path(configured)
        if not path.is_file():
            raise FontMissing(
                f"CJK_FONT_PATH is {configured!r}, which is not a file; point it "
                f"at a TrueType CJK font or unset it to use {PACKAGE}"
            )
        return FontFile(path, _index(environ, "CJK_FONT_INDEX"))
    for font in KNOWN_FONTS:
        if font.path.is_file():
            return font
    raise FontMissing(
        f"no CJK TrueType font found at {', '.join(str(f.path) for f in KNOWN_FONTS)}"
        f": install the Debian package {PACKAGE} (`apt-get install {PACKAGE}`, "
        f"or `make setup`), or set CJK_FONT_PATH to a TrueType font file"
    )


def _index(environ: Mapping[str, str], name: str) -> int:
    text = environ.get(name, "0")
    if not text.isdigit():
        raise FontMissing(
            f"{name} must be the number of a face in the font collection, not {text!r}"
        )
    return int(text)


def _load(name: str, path: Path, index: int) -> TTFont:
    try:
        font = TTFont(name, str(path), subfontIndex=index)
    except (TTFError, OSError) as error:
        raise FontMissing(
            f"cannot use {path} (face {index}) as a TrueType font: {error}; "
            f"CJK fonts with PostScript outlines (.otf, Noto CJK) cannot be "
            f"embedded, install {PACKAGE}"
        ) from error
    # Each document's subset copies whole tables out of the font file, glyf among them
    # (10 MB in Zen Hei: a millisecond a document). Tables are immutable bytes, so keep
    # each after its first copy, for that much more memory once per process.
    font.face.get_table = functools.cache(font.face.get_table)
    return font


_lock = threading.Lock()
_registered: list[CjkFonts] = []


def cjk_fonts(environ: Mapping[str, str] = os.environ) -> CjkFonts:
    """The registered fonts, registering them on first use (later calls ignore ``environ``)."""
    if not _registered:
        with _lock:
            if not _registered:
                _registered.append(_register(environ))
    return _registered[0]


def _register(environ: Mapping[str, str]) -> CjkFonts:
    font = find_font(environ)
    pdfmetrics.registerFont(_load(REGULAR, font.path, font.index))
    bold_path = environ.get("CJK_FONT_BOLD_PATH")
    if not bold_path:
        return CjkFonts(regular=REGULAR, bold=REGULAR, source=font, synthetic_bold=True)
    pdfmetrics.registerFont(_load(BOLD, Path(bold_path), _index(environ, "CJK_FONT_BOLD_INDEX")))
    return CjkFonts(regular=REGULAR, bold=BOLD, source=font, synthetic_bold=False)
