"""Bulk pricing of trip lines against hand-calculated figures from the pinned factors."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from footprint.core import batch
from footprint.core.batch import MAX_ERRORS_KEPT, BatchSummary, price_rows
from footprint.core.datasets import Dataset
from footprint.core.trips import Leg, Stay, Trip, Visit, calculate_trip

CABLE_CAR = D("0.5366")  # 1.0 kWh per ride × 0.5366 kgCO2/kWh (China grid)


def price(dataset: Dataset, *rows: str) -> tuple[list[D | None], BatchSummary]:
    summary = BatchSummary()
    priced = [kg for _, _, kg in price_rows((row.split(",") for row in rows), dataset, summary)]
    return priced, summary


def kg(dataset: Dataset, row: str) -> D | None:
    return price(dataset, row)[0][0]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        # 100 km × 0.03546 × 3 travellers
        ("t1,transport,rail,100,3", D("10.63800")),
        # 1100 km × 2 legs × 2 travellers × 0.0953 × 1.7
        ("t1,transport,flight,1100,2,true", D("712.844")),
        ("t1,transport,flight,1100,2,true,,false", D("419.3200")),
        # 40 vehicle-km × 0.16450, 2 of its 4 occupants
        ("t1,transport,car_petrol,40,2,,4", D("3.29")),
        # a party of 6 at 4 a car fills 6/4 cars (issue 14)
        ("t1,transport,car_petrol,100,6,,4", D("24.675")),
        # occupants default to the party: the whole car
        ("t1,transport,car_petrol,100,3", D("16.450")),
        # 6 room-nights × 53.5, whatever the party
        ("t1,lodging,hotel,6,4", D("321.0")),
        # rides per traveller × travellers × factor per ride
        ("t1,attractions,cable_car,2,3", 6 * CABLE_CAR),
    ],
)
def test_a_row_is_priced_with_the_pinned_factor(cn2024, row, expected):
    assert kg(cn2024, row) == expected


def test_optional_columns_default_to_one_traveller_one_way_with_radiative_forcing(cn2024):
    assert kg(cn2024, "t1,transport,flight,100") == 100 * D("0.16201")
    assert kg(cn2024, "t1,transport,flight,100,,,,") == 100 * D("0.16201")


@pytest.mark.parametrize("text", ["true", "TRUE", " yes ", "1"])
def test_round_trip_accepts_the_usual_spellings_of_true(cn2024, text):
    assert kg(cn2024, f"t1,transport,coach,80,1,{text}") == D("4.34720")


def test_a_round_trip_doubles_transport_but_not_lodging(cn2024):
    assert kg(cn2024, "t1,transport,coach,80,1,false") == D("2.17360")
    assert kg(cn2024, "t1,lodging,hotel,1,1,true") == D("53.5")


def test_the_summary_adds_up_by_category(cn2024):
    _, summary = price(
        cn2024,
        "t1,transport,rail,100,3",
        "t1,lodging,hotel,6,4",
        "t2,attractions,cable_car,1,2",
        "t2,transport,car_petrol,40,2,,4",
    )
    assert (summary.rows, summary.priced, summary.error_count) == (4, 4, 0)
    assert summary.by_category == {
        "transport": D("13.928"),
        "lodging": D("321.0"),
        "attractions": 2 * CABLE_CAR,
    }
    assert summary.total == D("13.928") + D("321.0") + 2 * CABLE_CAR


def test_the_api_example_gives_the_trip_calculators_total(cn2024):
    _, summary = price(
        cn2024,
        "api,transport,flight,1100,2,true",
        "api,transport,high_speed_rail,600,2",
        "api,transport,car_petrol,40,2,,4",
        "api,lodging,hotel,3,2",
        "api,attractions,cable_car,2,2",
    )
    trip = Trip(
        travellers=2,
        transport=[
            Leg("flight", D(1100), round_trip=True),
            Leg("high_speed_rail", D(600)),
            Leg("car_petrol", D(40), occupants=4),
        ],
        lodging=[Stay(nights=3, type="hotel")],
        attractions=[Visit(2, "cable_car")],
    )
    assert summary.total == calculate_trip(trip, cn2024).total == D("915.3564")


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("t1,transport,rail", "row 2, column row: expected 8 columns, got 3"),
        ("t1,transport,rail,far", "row 2, column quantity: 'far' is not a number"),
        ("t1,transport,rail,0", "row 2, column quantity: must be above 0 and at most 50000"),
        ("t1,transport,rail,NaN", "row 2, column quantity: must be above 0 and at most 50000"),
        ("t1,transport,rail,50001", "row 2, column quantity: must be above 0 and at most 50000"),
        ("t1,transport,rail,1,0", "row 2, column travellers: must be between 1 and 1000"),
        ("t1,transport,rail,1,two", "row 2, column travellers: 'two' is not a whole number"),
        ("t1,transport,rail,1,1,maybe", "row 2, column round_trip: 'maybe' is not true or false"),
        ("t1,transport,car_petrol,1,1,,10", "row 2, column occupants: must be between 1 and 9"),
        (
            "t1,transport,flight,1,1,,,sometimes",
            "row 2, column radiative_forcing: 'sometimes' is not true or false",
        ),
        ("t1,transport,rocket,1", "row 2, column item: unknown mode 'rocket'"),
        ("t1,lodging,castle,1", "row 2, column item: dataset CN-2024 has no lodging 'castle'"),
        ("t1,food,rice,1", "row 2, column category: unknown category 'food'"),
    ],
)
def test_a_bad_row_is_reported_with_its_row_and_column(cn2024, row, message):
    priced, summary = price(cn2024, row)
    assert priced == [None]
    assert summary.errors == [message]
    assert (summary.rows, summary.priced, summary.error_count) == (1, 0, 1)


def test_a_bad_row_does_not_stop_the_batch(cn2024):
    priced, summary = price(
        cn2024,
        "t1,transport,rail,100,3",
        "t1,transport,rail,far",
        "t2,lodging,hotel,1",
        "t2,transport,rail,100,3,,,",
    )
    assert priced == [D("10.63800"), None, D("53.5"), D("10.63800")]
    assert summary.errors == ["row 3, column quantity: 'far' is not a number"]
    assert summary.total == D("74.77600")


def test_occupants_are_only_checked_for_vehicles(cn2024):
    assert kg(cn2024, "t1,transport,rail,100,3,,ten") == D("10.63800")


def test_the_error_list_is_capped_but_every_bad_row_is_counted(cn2024):
    rows = ["t1,transport,rail,far"] * (MAX_ERRORS_KEPT + 50) + ["t2,transport,rail,100,3"]
    priced, summary = price(cn2024, *rows)
    assert len(summary.errors) == MAX_ERRORS_KEPT
    assert summary.errors[-1].startswith(f"row {MAX_ERRORS_KEPT + 1}, column quantity")
    assert summary.error_count == MAX_ERRORS_KEPT + 50
    assert (summary.priced, priced[-1]) == (1, D("10.63800"))


def test_row_numbers_count_from_the_line_after_the_header(cn2024):
    summary = BatchSummary()
    numbers = [n for n, _, _ in price_rows([["t", "lodging", "hotel", "1"]] * 3, cn2024, summary)]
    assert numbers == [2, 3, 4]


def test_forgetting_remembered_rows_changes_no_figure(cn2024, monkeypatch):
    monkeypatch.setattr(batch, "MAX_PLANS_KEPT", 2)
    rows = [f"t{n},transport,rail,100,{n % 5 + 1}" for n in range(20)]
    priced, summary = price(cn2024, *rows)
    assert priced == [100 * D("0.03546") * (n % 5 + 1) for n in range(20)]
    assert summary.priced == 20
