"""Quantities and dates as printed, and text fitted to a width."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from footprint.platform.pdf.fonts import cjk_fonts
from footprint.platform.pdf.text import count, en_date, fit, tonnes, width, wrap, zh_date


@pytest.fixture(scope="module")
def font() -> str:
    return cjk_fonts().regular


def test_tonnes_are_rounded_once_half_up_to_kilograms():
    assert tonnes(Decimal("12345.6785")) == "12,345.679"
    assert tonnes(Decimal("-86.2825")) == "-86.283"
    assert tonnes(Decimal(0)) == "0.000"
    assert count(9100) == "9,100"


def test_dates_are_written_in_each_language():
    assert zh_date(date(2024, 1, 31)) == "2024年1月31日"
    assert en_date(date(2024, 1, 31)) == "31 January 2024"


def test_english_breaks_at_spaces_and_chinese_between_characters(font):
    english = wrap("Visitor centres and cableways", font, 10, 75)
    assert english == ["Visitor centres", "and cableways"]
    lines = wrap("景区管理处直接运营的游客中心", font, 10, 50)
    assert lines == ["景区管理处", "直接运营的", "游客中心"]


def test_a_word_longer_than_a_line_is_cut_where_it_must_be(font):
    url = "http://localhost:5000/v/" + "eyJhbGciOiJFZERTQSJ9" * 8
    lines = wrap(url, font, 6.5, 200)
    assert "".join(lines) == url
    assert all(width(line, font, 6.5) <= 200 for line in lines)
    assert len(lines) > 1


@given(
    st.text(alphabet=st.sampled_from("碳中和证书 ab Wulingyuan，。-"), max_size=120),
    st.integers(min_value=20, max_value=300),
)
def test_wrapped_lines_fit_and_lose_nothing_but_spaces(font, text, limit):
    lines = wrap(text, font, 9, limit)
    assert all(width(line, font, 9) <= limit for line in lines if len(line) > 1)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_text_too_wide_is_made_smaller_then_cut_short(font):
    name = "Tianzi Mountain Forest Management 天子山森林经营碳汇"
    assert fit(name, font, 8, 1000, 6) == (name, 8)
    text, size = fit(name, font, 8, width(name, font, 7), 6)
    assert text == name and 6 <= size < 8
    text, size = fit(name, font, 8, 60, 6)
    assert size == 6 and text.endswith("…") and width(text, font, 6) <= 60
