"""Rounding once, at the edge: figures presented alone and parts presented with their total."""

from __future__ import annotations

import math
from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from footprint.core.quantities import KG_PLACES, Part, Spread, present_parts, present_text, spread

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


def lognormal_percentiles(amount: float, half_width: float) -> tuple[float, float]:
    """The 2.5th and 97.5th percentiles of ``amount`` × a lognormal of mean 1 whose
    coefficient of variation is half_width / 1.96, worked out by hand."""
    cv = half_width / 1.96
    sigma = math.sqrt(math.log(1 + cv * cv))
    mu = -sigma * sigma / 2
    return amount * math.exp(mu - 1.96 * sigma), amount * math.exp(mu + 1.96 * sigma)


def test_a_line_too_uncertain_for_approach_1_gets_the_lognormal_range_by_monte_carlo():
    # ±100 %: cv 0.5102, σ = √ln(1.2603) = 0.4810 → 100 × e^(−0.1157 ∓ 0.9427) = 34.7 … 228.7
    got = spread([Part("cable_car", D(100), D("1.0"))], correlated=True, monte_carlo=True)
    low, high = lognormal_percentiles(100, 1.0)
    assert got.approach == "monte_carlo"
    # a percentile of 10,000 draws has a standard error of about 1.3 % here: within 3 of it
    assert abs(float(100 - got.below) - low) / low < 0.04
    assert abs(float(100 + got.above) - high) / high < 0.04
    assert got.above > D("1.8") * got.below  # asymmetric: by hand 128.7 above, 65.3 below


def test_inputs_approach_1_can_carry_keep_approach_1():
    parts = [Part("rail", D(100), D("0.5")), Part("hotel", D(50), D("0.4"))]
    got = spread(parts, correlated=True, monte_carlo=True)
    width = (D(50) ** 2 + D(20) ** 2).sqrt()
    assert got == Spread(width, width, "approach_1")
    assert spread([Part("x", D(1), D(1))], correlated=True, monte_carlo=False).approach == (
        "approach_1"
    )  # the first edition's rules never take Approach 2


def test_the_same_lines_always_give_the_same_monte_carlo_range():
    parts = [Part("boat", D(40), D("0.8")), Part("rail", D(60), D("0.1"), D("0.1"))]
    first = spread(parts, correlated=True, monte_carlo=True)
    assert first == spread(parts, correlated=True, monte_carlo=True)  # seeded


def test_lines_of_one_factor_and_one_figure_draw_together():
    whole = [Part("flight", D(200), D("1.0"), D("0.1"), "1100 km")]
    halves = [Part("flight", D(100), D("1.0"), D("0.1"), "1100 km")] * 2
    assert spread(whole, correlated=True, monte_carlo=True) == spread(
        halves, correlated=True, monte_carlo=True
    )
    apart = spread(halves, correlated=False, monte_carlo=True)
    assert apart.above < spread(whole, correlated=True, monte_carlo=True).above
