"""Rounding once, at the edge: figures presented alone and parts presented with their total."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from footprint.core.quantities import KG_PLACES, present_parts, present_text

STAGES = {
    "raw": D("1.2124"),
    "processing": D("0.8124"),
    "packaging": D("0.4124"),
    "transport": D("0.3868"),
}
"""Rounded half up each, they add to 2.823 (1.212 + 0.812 + 0.412 + 0.387) against a total
of 2.824: a gram short."""


def test_parts_add_up_to_their_rounded_total():
    parts = present_parts(STAGES, KG_PLACES)
    assert sum(parts.values()) == D("2.824") == sum(STAGES.values()).quantize(KG_PLACES)
    # rounded down: 2.822; transport lost most (0.8 g), then raw, first of three equals
    assert parts == {
        "raw": D("1.213"),
        "processing": D("0.812"),
        "packaging": D("0.412"),
        "transport": D("0.387"),
    }


def test_parts_that_round_exactly_are_left_as_they_are():
    assert present_parts({"a": D("1.5"), "b": D("0.25")}, KG_PLACES) == {
        "a": D("1.500"),
        "b": D("0.250"),
    }


@given(st.lists(st.decimals(min_value=-100, max_value=100, places=6), min_size=1, max_size=12))
def test_parts_always_add_up_and_each_moves_less_than_one_unit(values):
    parts = present_parts(dict(enumerate(values)), KG_PLACES)
    assert sum(parts.values()) == sum(values).quantize(KG_PLACES, rounding="ROUND_HALF_UP")
    assert all(abs(parts[i] - v) < KG_PLACES for i, v in enumerate(values))


def test_a_figure_is_presented_in_plain_notation_rounded_half_up():
    assert present_text(D("569.419327968750000000000000"), D("0.001")) == "569.419"
    assert present_text(D("4E+4"), D("0.001")) == "40000"
    assert present_text(D("0.0005"), D("0.001")) == "0.001"
