"""The trip formulas of docs/api.md against hand-calculated figures from the pinned factors."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from footprint.core.datasets import Dataset
from footprint.core.errors import FieldError
from footprint.core.trips import Leg, Stay, Trip, VenueIntensity, Visit, calculate_trip


def kg(trip: Trip, dataset: Dataset, **venues: VenueIntensity) -> D:
    return calculate_trip(trip, dataset, {int(k[1:]): v for k, v in venues.items()}).total


@pytest.mark.parametrize(
    ("mode", "factor"),
    [("high_speed_rail", "0.03048"), ("rail", "0.03546"), ("coach", "0.02717"), ("bus", "0.10846")],
)
def test_passenger_modes_use_the_pinned_factor_per_passenger_km(cn2024, mode, factor):
    trip = Trip(travellers=3, transport=[Leg(mode, D(250))])
    assert kg(trip, cn2024) == D(250) * D(factor) * 3


def test_a_flight_carries_radiative_forcing_by_default(cn2024):
    trip = Trip(travellers=2, transport=[Leg("flight", D(1100), round_trip=True)])
    # 1100 km × 2 legs × 2 travellers × 0.0953 × 1.7 = 712.844
    assert kg(trip, cn2024) == D("712.844")


def test_a_flight_without_radiative_forcing_uses_the_bare_factor(cn2024):
    trip = Trip(
        travellers=2, transport=[Leg("flight", D(1100), round_trip=True, radiative_forcing=False)]
    )
    assert kg(trip, cn2024) == D("419.3200")


def test_a_round_trip_doubles_the_distance(cn2024):
    one_way = kg(Trip(transport=[Leg("coach", D(80))]), cn2024)
    both = kg(Trip(transport=[Leg("coach", D(80), round_trip=True)]), cn2024)
    assert both == 2 * one_way == D("4.34720")


def test_a_shared_car_is_split_among_its_occupants(cn2024):
    trip = Trip(travellers=2, transport=[Leg("car_petrol", D(40), occupants=4)])
    # 40 km × 0.16450 × 2/4 = 3.29
    assert kg(trip, cn2024) == D("3.29")


def test_a_car_defaults_to_the_party_as_its_occupants(cn2024):
    trip = Trip(travellers=3, transport=[Leg("car_diesel", D(100))])
    assert kg(trip, cn2024) == D("16.984")


def test_a_party_larger_than_the_car_fills_several_cars(cn2024):
    """Issue 14: the share is travellers / occupants, never capped at one vehicle."""
    trip = Trip(travellers=6, transport=[Leg("car_petrol", D(100), occupants=4)])
    # 100 km × 0.16450 × 6/4 vehicles
    assert kg(trip, cn2024) == D("24.675")


def test_five_travellers_at_three_a_car_are_five_thirds_of_a_car(cn2024):
    five = Trip(travellers=5, transport=[Leg("car_petrol", D(30), occupants=3)])
    alone = Trip(travellers=1, transport=[Leg("car_petrol", D(50), occupants=1)])
    # 30 km × 5/3 cars = 50 car-km
    assert kg(five, cn2024) == kg(alone, cn2024) == D("8.225")


def test_lodging_is_nights_times_rooms_times_the_room_night_factor(cn2024):
    trip = Trip(travellers=4, lodging=[Stay(nights=3, rooms=2, type="hotel")])
    assert kg(trip, cn2024) == 3 * 2 * D("53.5")


def test_attractions_are_rides_times_travellers(cn2024):
    factor = cn2024.get("attraction", "cable_car").value
    trip = Trip(travellers=3, attractions=[Visit(count=2, type="cable_car")])
    assert kg(trip, cn2024) == 6 * factor


def test_a_verified_venue_prices_lodging_and_visits_with_its_own_intensity(cn2024):
    venue = VenueIntensity(7, "Hotel", D("20.5"), D("1.25"), D("0.1"), "verified inventory")
    trip = Trip(
        travellers=2,
        lodging=[Stay(nights=2, rooms=1, venue_id=7)],
        attractions=[Visit(count=1, venue_id=7)],
    )
    result = calculate_trip(trip, cn2024, {7: venue})
    assert [line.kgco2e for line in result.lines] == [D("41.0"), D("2.50")]
    assert result.by_category["lodging"] == D("41.0")


def test_the_api_example_adds_up_line_by_line(cn2024):
    trip = Trip(
        travellers=2,
        transport=[
            Leg("flight", D(1100), round_trip=True),
            Leg("high_speed_rail", D(600)),
            Leg("car_petrol", D(40), occupants=4),
        ],
        lodging=[Stay(nights=3, rooms=1, type="hotel")],
    )
    result = calculate_trip(trip, cn2024)
    assert [line.kgco2e for line in result.lines] == [
        D("712.844"),
        D("36.576"),
        D("3.29"),
        D("160.5"),
    ]
    assert result.total == D("913.210")
    assert result.by_category == {
        "transport": D("752.710"),
        "lodging": D("160.5"),
        "attractions": D(0),
    }
    assert result.per_traveller == D("456.605")


def test_the_range_combines_line_uncertainties_in_quadrature(cn2024):
    trip = Trip(transport=[Leg("rail", D(100))], lodging=[Stay(nights=1, type="hotel")])
    result = calculate_trip(trip, cn2024)
    rail = D("3.546") * cn2024.get("transport", "rail").uncertainty
    hotel = D("53.5") * cn2024.get("lodging", "hotel").uncertainty
    assert result.half_width == (rail**2 + hotel**2).sqrt()
    assert 0 < result.half_width < result.total


def test_the_same_trip_always_gives_the_same_figures(cn2024):
    trip = Trip(travellers=3, transport=[Leg("flight", D("1234.5")), Leg("taxi", D("12.3"))])
    assert calculate_trip(trip, cn2024) == calculate_trip(trip, cn2024)


@pytest.mark.parametrize(
    ("trip", "field"),
    [
        (Trip(transport=[Leg("rocket", D(1))]), "transport[0].mode"),
        (Trip(lodging=[Stay(nights=1, type="castle")]), "lodging[0].type"),
        (Trip(attractions=[Visit(count=1, type="zipline")]), "attractions[0].type"),
        (Trip(lodging=[Stay(nights=1, venue_id=99)]), "lodging[0].venue_id"),
        (Trip(attractions=[Visit(count=1, venue_id=99)]), "attractions[0].venue_id"),
    ],
)
def test_what_cannot_be_priced_names_its_field(cn2024, trip, field):
    with pytest.raises(FieldError) as raised:
        calculate_trip(trip, cn2024)
    assert raised.value.field == field


ROUND_TRIP = Trip(transport=[Leg("flight", D(1200), round_trip=True)])
TWO_LEGS = Trip(transport=[Leg("flight", D(1200)), Leg("flight", D(1200))])


def test_under_the_second_edition_a_round_trip_and_two_one_way_legs_get_one_range(cn2025):
    # 2 400 km × 0.0953 × 1.7 = 388.8240 kg, ±50 % (flight_rf's stated uncertainty), and
    # its well-to-tank part 2 400 × 0.0953 × 0.0335 / 0.13552 = 56.5387 kg, ±30 %: 445.363.
    # The same flight twice is one factor's error twice: ±194.412 and ±16.9616; the same
    # stated distance twice one figure's error twice, ±10 % (calculated) of both: ±44.5363;
    # together √(194.412² + 16.9616² + 44.5363²) = ±200.168
    round_trip = calculate_trip(ROUND_TRIP, cn2025)
    two_legs = calculate_trip(TWO_LEGS, cn2025)
    # equal but for the 28th digit of the derived well-to-tank factor's products
    assert round_trip.total.quantize(D("1e-20")) == two_legs.total.quantize(D("1e-20"))
    assert two_legs.total.quantize(D("0.001")) == D("445.363")
    assert round_trip.half_width.quantize(D("1e-20")) == two_legs.half_width.quantize(D("1e-20"))
    assert two_legs.half_width.quantize(D("0.001")) == D("200.168")
    assert two_legs.range_rule == "correlated"
    assert two_legs.lines[0].activity_uncertainty == D("0.10")


def test_a_distance_said_to_be_measured_or_estimated_counts_as_such(cn2025):
    # 1 200 km × 0.16201 = 194.412 kg ± 97.206 (factor); its well-to-tank part
    # 1 200 × 0.0953 × 0.0335 / 0.13552 = 28.2693 ± 8.4808 (±30 %); the distance estimated,
    # ± 30 % of both = ± 66.8044: √(97.206² + 8.4808² + 66.8044²) = ± 118.253
    leg = Leg("flight", D(1200), data_quality="estimated")
    result = calculate_trip(Trip(transport=[leg]), cn2025)
    assert result.half_width.quantize(D("0.001")) == D("118.253")
    with pytest.raises(FieldError, match="one of measured, calculated, estimated"):
        calculate_trip(Trip(transport=[Leg("flight", D(1), data_quality="guessed")]), cn2025)


def test_under_the_first_edition_the_legs_stay_independent_as_they_were_priced(cn2024):
    # each leg 194.412 kg ± 97.206, in quadrature: 97.206 × √2 = 137.4700…
    two_legs = calculate_trip(TWO_LEGS, cn2024)
    assert two_legs.half_width.quantize(D("0.0001")) == D("137.4700")
    assert calculate_trip(ROUND_TRIP, cn2024).half_width == D("194.4120")
    assert two_legs.range_rule == "independent"


def test_the_second_edition_ranges_a_very_uncertain_attraction_by_monte_carlo(cn2024, cn2025):
    trip = Trip(2, attractions=(Visit(2, "cable_car"),))  # ±100 %: beyond Approach 1
    second, first = calculate_trip(trip, cn2025), calculate_trip(trip, cn2024)
    assert second.total == first.total == 4 * D("0.53660")
    assert second.spread.approach == "monte_carlo" and "Monte Carlo" in second.range_method
    assert second.spread.above > second.spread.below  # lognormal: the long side is above
    assert first.spread.approach == "approach_1"
    assert first.spread.below == first.spread.above == first.total  # ±100 %, floored at 0
