"""Finding the CJK font: Debian's paths, the environment, and clear errors when it is missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics

from footprint.platform.pdf import fonts


def test_the_font_is_found_at_debians_path():
    font = fonts.find_font({})
    assert font.path.is_file()
    assert font in fonts.KNOWN_FONTS


def test_the_environment_can_name_the_font_file(tmp_path: Path):
    font = fonts.find_font({"CJK_FONT_PATH": str(fonts.KNOWN_FONTS[0].path), "CJK_FONT_INDEX": "1"})
    assert (font.path, font.index) == (fonts.KNOWN_FONTS[0].path, 1)


def test_a_missing_configured_font_names_the_package_to_install(tmp_path: Path):
    with pytest.raises(fonts.FontMissing, match="fonts-wqy-zenhei"):
        fonts.find_font({"CJK_FONT_PATH": str(tmp_path / "nothing.ttc")})


def test_no_font_anywhere_names_the_package_to_install(monkeypatch, tmp_path: Path):
    monkeypatch.setattr(fonts, "KNOWN_FONTS", (fonts.FontFile(tmp_path / "absent.ttc"),))
    with pytest.raises(fonts.FontMissing, match=r"apt-get install fonts-wqy-zenhei"):
        fonts.find_font({})


def test_a_file_that_is_not_a_truetype_font_is_refused_clearly(tmp_path: Path):
    bogus = tmp_path / "bogus.otf"
    bogus.write_bytes(b"OTTO" + bytes(200))
    with pytest.raises(fonts.FontMissing, match="cannot use"):
        fonts._load("bogus", bogus, 0)


def test_the_fonts_are_registered_once_with_reportlab():
    first = fonts.cjk_fonts()
    assert fonts.cjk_fonts() is first
    assert first.source == fonts.find_font()
    assert pdfmetrics.getFont(first.regular).face.filename == str(first.source.path)
    assert pdfmetrics.getFont(first.bold)


def test_without_a_bold_face_bold_is_the_regular_font_stroked(monkeypatch):
    monkeypatch.setattr(fonts, "_registered", [])
    registered = fonts.cjk_fonts({})
    assert registered.bold == registered.regular and registered.synthetic_bold
