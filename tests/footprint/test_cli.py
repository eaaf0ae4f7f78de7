"""`flask footprints batch`: pricing a CSV export of trip lines from the command line."""

from __future__ import annotations

import csv
from pathlib import Path

from footprint.core.batch import COLUMNS

HEADER = ",".join(COLUMNS)


def write(tmp_path: Path, *lines: str, header: str = HEADER) -> str:
    path = tmp_path / "trips.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return str(path)


def batch(app, *args: str):
    return app.test_cli_runner().invoke(args=["footprints", "batch", *args])


def test_the_batch_prints_the_totals_by_category(app, tmp_path):
    source = write(
        tmp_path,
        "t1,transport,flight,1100,2,true",
        "t1,transport,car_petrol,40,2,,4",
        "t1,lodging,hotel,3,2",
        "t1,attractions,cable_car,2,2",
    )
    result = batch(app, source)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "dataset CN-2024: 4 of 4 rows priced",
        "transport: 716.134 kgCO2e",  # 712.844 + 3.29
        "lodging: 160.5 kgCO2e",
        "attractions: 2.146 kgCO2e",  # 2 rides × 2 travellers × 0.5366, rounded once
        "total: 878.78 kgCO2e",  # 878.7804
    ]
    assert result.stderr == ""


def test_the_output_file_has_every_row_with_its_figure(app, tmp_path):
    source = write(
        tmp_path, "t1,transport,rail,100,3", "t1,transport,rail,far", "t2,attractions,cable_car,1,1"
    )
    output = tmp_path / "priced.csv"
    batch(app, source, "--output", str(output))
    with output.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows == [
        [*COLUMNS, "kgco2e"],
        ["t1", "transport", "rail", "100", "3", "10.638"],
        ["t1", "transport", "rail", "far", ""],
        ["t2", "attractions", "cable_car", "1", "1", "0.537"],
    ]


def test_bad_rows_are_listed_and_make_the_command_fail(app, tmp_path):
    source = write(
        tmp_path,
        "t1,transport,rail,100,3",
        "t1,transport,rail,far",
        "t2,transport,rocket,10",
        "t3,lodging,hotel,1",
    )
    result = batch(app, source)
    assert result.exit_code == 1
    assert "dataset CN-2024: 2 of 4 rows priced" in result.stdout
    assert "total: 64.138 kgCO2e" in result.stdout  # the good rows are still priced
    assert result.stderr.splitlines() == [
        "row 3, column quantity: 'far' is not a number",
        "row 4, column item: unknown mode 'rocket'",
        "2 rows refused",
    ]


def test_a_file_without_the_header_is_refused(app, tmp_path):
    result = batch(app, write(tmp_path, "t1,transport,rail,100,3", header="id,what,mode,km"))
    assert result.exit_code != 0
    assert "the first line must be the header trip_id,category,item,quantity" in result.output


def test_an_empty_file_is_refused(app, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    result = batch(app, str(empty))
    assert result.exit_code != 0
    assert "the first line must be the header" in result.output


def test_the_header_may_stop_after_the_quantity_column(app, tmp_path):
    source = write(tmp_path, "t1,lodging,homestay,2", header="trip_id,category,item,quantity")
    result = batch(app, source)
    assert result.exit_code == 0, result.output
    assert "total: 53.5 kgCO2e" in result.stdout  # 2 room-nights × 53.5 × 0.5
