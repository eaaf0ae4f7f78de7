"""The open-data service: numbers written once as plain decimals, CSVs streamed in
batches, a release remembered only while the data's version stands still, and the
detached JWS over the descriptor's exact bytes."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal

import pytest

from certify.core.signing import b64url_decode, b64url_encode
from certify.services import keys, open_data, progress
from tests.certify.builders import LAST_YEAR


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (Decimal("1E+2"), None, "100"),
        (Decimal("1E+2"), open_data.TONNES, "100.000"),
        (Decimal("12.5"), open_data.TONNES, "12.500"),
        (Decimal("0.0005"), open_data.TONNES, "0.001"),  # half up, once
        (Decimal("-0.0001"), open_data.TONNES, "0.000"),  # no negative zero
        (Decimal("1.2E-7"), None, "0.00000012"),
        ("6160.7848890000000000000000", open_data.TONNES, "6160.785"),
        (7, None, "7"),
        (None, open_data.TONNES, ""),
    ],
)
def test_numbers_are_written_once_as_plain_decimal_text(value, places, text):
    assert open_data.number(value, places) == text


def test_every_resource_has_a_table_schema_with_known_types_and_its_key_among_its_fields():
    for found in open_data.RESOURCES:
        names = [f.name for f in found.fields]
        assert len(set(names)) == len(names)
        assert set(found.primary_key) <= set(names)
        assert {f.type for f in found.fields} <= {"string", "integer", "number", "date", "datetime"}
        assert all(f.description for f in found.fields)


def retire(client, certification, count: int) -> None:
    holding = client.get("/api/v1/registry/holdings", headers=certification.operator).json
    serial = holding["items"][0]["serial_start"]
    prefix, first = serial.rsplit("-", 1)
    for n in range(int(first), int(first) + count):
        response = client.post(
            "/api/v1/registry/retirements",
            headers=certification.operator,
            json={
                "serial_start": f"{prefix}-{n:09d}",
                "serial_end": f"{prefix}-{n:09d}",
                "beneficiary": f"Visitor {n}",
                "purpose": "A trip, offset",
            },
        )
        assert response.status_code == 201, response.json


def test_a_csv_streams_a_batch_at_a_time_and_the_same_bytes_as_one_piece(
    app, client, certification, monkeypatch
):
    retire(client, certification, 5)
    monkeypatch.setattr(open_data, "BATCH", 2)
    with app.test_request_context():
        chunks = list(open_data.stream("retirements", today=date.today()))
        monkeypatch.setattr(open_data, "BATCH", 1000)
        whole = b"".join(open_data.stream("retirements", today=date.today()))
    assert len(chunks) == 3  # six retirements, two at a time
    assert b"".join(chunks) == whole
    assert whole.count(b"\r\n") == 7  # the header and six rows
    assert open_data.measure(chunks) == (
        len(whole),
        f"sha256:{hashlib.sha256(whole).hexdigest()}",
    )


def test_the_release_is_remembered_while_the_version_stands_still(app, client, certification):
    with app.test_request_context():
        first = open_data.release()
        assert open_data.release() is first
    retire(client, certification, 1)
    with app.test_request_context():
        second = open_data.release()
    assert second is not first and second.version != first.version
    assert second.package["version"] != first.package["version"]


def test_the_descriptor_is_deterministic_json_and_created_is_the_newest_record(app, issued):
    with app.test_request_context():
        made = open_data.release()
        assert json.loads(made.descriptor) == made.package
        assert made.package["created"] == open_data.moment(made.version.latest)
        open_data._released.clear()
        assert open_data.release().descriptor == made.descriptor


def test_the_detached_jws_names_the_active_key_and_signs_the_descriptor_bytes(app, issued):
    with app.test_request_context():
        made = open_data.release()
        jws = open_data.signature(made)
        key = keys.store().active()
    header, payload, signature = jws.split(".")
    assert payload == ""
    assert json.loads(b64url_decode(header)) == {"alg": "EdDSA", "kid": key.kid}
    key.verifying_key.public_key.verify(
        b64url_decode(signature), f"{header}.{b64url_encode(made.descriptor)}".encode("ascii")
    )


def test_progress_rows_are_the_published_figures_of_each_period(app, issued):
    with app.test_request_context():
        (figures,) = [progress.published_figures(p) for p in progress.periods()]
        ((row,),) = list(open_data.BY_NAME["progress"].rows(date.today()))
    assert row[0] == str(LAST_YEAR)
    names = [f.name for f in open_data.PROGRESS_FIELDS]
    assert dict(zip(names, row, strict=True)) == {
        name: "" if value is None else str(value) for name, value in figures.items()
    }
