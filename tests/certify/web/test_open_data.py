"""Open data through the API and the page: a Frictionless Data Package whose descriptor
states each CSV's exact bytes and hash, signed by the district with a detached JWS that
plain `cryptography` checks against the published keys."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import frictionless
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select, update

from certify.models.documents import Certificate
from certify.web.open_data import VERIFY_PYTHON
from footprint.platform.db import db
from tests.certify.builders import LAST_YEAR, SCENIC_AREA
from tests.certify.conftest import Certification
from tests.conftest import assert_accessible, assert_fits, screenshot

API = "/api/v1/open-data"
RESOURCES = ("documents", "retirements", "inventories", "progress")
PLAIN_DECIMAL = re.compile(r"-?\d+(\.\d+)?")


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def descriptor(client) -> tuple[bytes, dict]:
    response = client.get(f"{API}/datapackage.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.data, json.loads(response.data)


def local(url: str) -> str:
    """The path of one of our URLs (PUBLIC_BASE_URL stripped), for the test client."""
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def table(client, name: str) -> list[dict[str, str]]:
    response = client.get(f"{API}/{name}.csv")
    assert response.status_code == 200, response.data
    return list(csv.DictReader(io.StringIO(response.data.decode("utf-8"))))


@dataclass
class Published:
    certification: Certification
    certificate: dict
    """The certificate's application, issued."""
    label: dict
    """The label's application, issued."""


@pytest.fixture
def published(client, labelling) -> Published:
    """A certificate and a label issued, and the retirement behind the certificate."""
    return Published(labelling.certification, labelling.certification.issued(), labelling.issued())


def test_the_descriptor_is_a_tabular_data_package_under_cc_by_4(client, published):
    _, package = descriptor(client)
    assert package["profile"] == "tabular-data-package"
    assert package["name"] == "wulingyuan-scenic-carbon"
    assert package["title"] and package["created"].endswith("Z")
    assert re.fullmatch(r"1\.0\.0\+\d{8}\.r\d+\.c\d+\.l\d+\.a\d+\.i\d+\.v\d+", package["version"])
    assert package["licenses"] == [
        {
            "name": "CC-BY-4.0",
            "path": "https://creativecommons.org/licenses/by/4.0/",
            "title": "Creative Commons Attribution 4.0 International",
        }
    ]
    assert "CC BY 4.0" in package["citation"] and package["sources"]
    assert [r["name"] for r in package["resources"]] == list(RESOURCES)
    for resource in package["resources"]:
        assert resource["path"].endswith(f"{API}/{resource['name']}.csv")
        assert (resource["format"], resource["mediatype"], resource["encoding"]) == (
            "csv",
            "text/csv",
            "utf-8",
        )
        assert re.fullmatch(r"sha256:[0-9a-f]{64}", resource["hash"])
        assert resource["schema"]["primaryKey"]
        for column in resource["schema"]["fields"]:
            assert column["type"] in ("string", "integer", "number", "date", "datetime")
            assert column["description"]


def test_each_resource_states_its_own_bytes_and_sha256(client, published):
    _, package = descriptor(client)
    for resource in package["resources"]:
        response = client.get(local(resource["path"]))
        assert response.status_code == 200
        assert response.mimetype == "text/csv" and response.mimetype_params["charset"] == "utf-8"
        assert len(response.data) == resource["bytes"], resource["name"]
        assert f"sha256:{hashlib.sha256(response.data).hexdigest()}" == resource["hash"]
        header = response.data.decode("utf-8").splitlines()[0].split(",")
        assert header == [f["name"] for f in resource["schema"]["fields"]]


def test_the_package_passes_frictionless_validation_with_no_error(
    client, published, tmp_path: Path
):
    _, package = descriptor(client)
    for resource in package["resources"]:
        (tmp_path / f"{resource['name']}.csv").write_bytes(client.get(local(resource["path"])).data)
        resource["path"] = f"{resource['name']}.csv"
    (tmp_path / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    report = frictionless.validate(tmp_path / "datapackage.json")
    assert report.flatten(["resourceName", "rowNumber", "type", "note"]) == []
    assert report.valid
    assert all(task.stats["rows"] for task in report.tasks)  # every table holds data


def test_the_detached_jws_verifies_with_the_published_keys_and_plain_cryptography(
    client, published
):
    body, _ = descriptor(client)
    response = client.get(f"{API}/datapackage.json.jws")
    assert response.status_code == 200 and response.mimetype == "application/jose"
    header_part, payload_part, signature_part = response.get_data(as_text=True).split(".")
    assert payload_part == ""  # detached (RFC 7515 appendix F)
    header = json.loads(unb64url(header_part))
    assert header["alg"] == "EdDSA"
    jwks = client.get("/api/v1/keys").json["keys"]
    jwk = next(k for k in jwks if k["kid"] == header["kid"])
    key = Ed25519PublicKey.from_public_bytes(unb64url(jwk["x"]))
    signature = unb64url(signature_part)
    key.verify(signature, f"{header_part}.{b64url(body)}".encode("ascii"))
    forged = body.replace(b'"bytes": ', b'"bytes": 1', 1)
    with pytest.raises(InvalidSignature):
        key.verify(signature, f"{header_part}.{b64url(forged)}".encode("ascii"))


def test_the_recipe_on_the_page_verifies_a_download(client, published, tmp_path, monkeypatch):
    (tmp_path / "datapackage.json").write_bytes(descriptor(client)[0])
    (tmp_path / "datapackage.json.jws").write_bytes(client.get(f"{API}/datapackage.json.jws").data)
    (tmp_path / "keys.json").write_bytes(client.get("/api/v1/keys").data)
    monkeypatch.chdir(tmp_path)
    exec(compile(VERIFY_PYTHON, "recipe", "exec"), {})  # raises if it does not verify
    (tmp_path / "datapackage.json").write_bytes(descriptor(client)[0].replace(b"CC", b"cc"))
    with pytest.raises(InvalidSignature):
        exec(compile(VERIFY_PYTHON, "recipe", "exec"), {})


def test_the_descriptor_is_the_same_bytes_until_the_data_changes(client, published):
    first = client.get(f"{API}/datapackage.json")
    again = client.get(f"{API}/datapackage.json", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    assert descriptor(client)[0] == first.data
    signature = client.get(f"{API}/datapackage.json.jws").data
    assert client.get(f"{API}/datapackage.json.jws").data == signature


def test_a_certificate_row_states_what_its_signed_content_says(client, published):
    number = client.get(f"/api/v1/certificates/{published.certificate['certificate_id']}")
    attested = number.json["content"]["attestation"]["content"]
    row = next(r for r in table(client, "documents") if r["kind"] == "certificate")
    total = Decimal(attested["emissions_tco2e"]["total"])
    credits = sum(line["quantity"] for line in attested["credits"])
    assert row["number"] == number.json["number"]
    assert row["subject"] == SCENIC_AREA["name"] and row["subject_kind"] == "scenic_area"
    assert (row["period_start"], row["period_end"]) == (f"{LAST_YEAR}-01-01", f"{LAST_YEAR}-12-31")
    assert row["status"] == "valid"
    assert Decimal(row["total_tco2e"]) == total and row["credits_retired_tco2e"] == str(credits)
    assert Decimal(row["net_tco2e"]) == total - credits
    assert row["valid_until"] == number.json["valid_until"]
    assert row["verification_url"].endswith(f"/v/{number.json['token']}")
    assert row["kgco2e_per_unit"] == "" and row["functional_unit"] == ""


def test_a_label_row_states_its_figure_per_functional_unit(client, published):
    label = client.get(f"/api/v1/labels/{published.label['label_id']}").json
    attested = label["content"]["attestation"]["content"]
    row = next(r for r in table(client, "documents") if r["kind"] == "label")
    assert row["number"] == label["number"] and row["subject_kind"] == "product"
    assert Decimal(row["kgco2e_per_unit"]) == Decimal(attested["kgco2e_per_unit"])
    assert row["functional_unit"] == attested["functional_unit"]["en"]
    assert row["total_tco2e"] == "" and row["status"] == "valid"


def test_retirements_give_serial_range_project_vintage_beneficiary_and_time(client, published):
    retirement = client.get("/api/v1/registry/retirements").json["items"][0]
    (row,) = table(client, "retirements")
    assert row["retirement_id"] == str(retirement["id"])
    assert (row["serial_start"], row["serial_end"]) == (
        retirement["serial_start"],
        retirement["serial_end"],
    )
    assert row["quantity"] == "60" and row["project_code"] == "TZS01"
    assert row["vintage"] == str(LAST_YEAR) and row["beneficiary"] == SCENIC_AREA["name"]
    assert row["retired_at"] == retirement["retired_at"][:19] + "Z"  # UTC, to the second


def test_the_inventory_behind_a_certificate_gives_scopes_and_intensities(client, published):
    (row,) = table(client, "inventories")
    (document,) = [r for r in table(client, "documents") if r["kind"] == "certificate"]
    assert row["certificate_number"] == document["number"]
    scopes = ("scope1", "scope2_market", "scope3")
    assert sum(Decimal(row[f"{s}_tco2e"]) for s in scopes) == Decimal(row["total_tco2e"])
    assert row["visitors"] == "100000" and row["visit_unit"] == "visitor"
    per_visit = Decimal(row["total_tco2e"]) * 1000 / 100000
    assert abs(Decimal(row["kgco2e_per_visit"]) - per_visit) < Decimal("0.001")


def test_progress_per_year_states_the_dashboards_figures(client, published):
    (row,) = table(client, "progress")
    assert row["year"] == str(LAST_YEAR)
    assert row["scenic_areas_certified"] == "1" and row["products_labelled"] == "1"
    assert row["credits_retired_tco2e"] == "60"
    assert Decimal(row["net_tco2e"]) == Decimal(row["gross_market_tco2e"]) - 60


def test_numbers_are_plain_decimals_never_exponents(client, published):
    _, package = descriptor(client)
    for resource in package["resources"]:
        fields = resource["schema"]["fields"]
        numeric = [f["name"] for f in fields if f["type"] in ("integer", "number")]
        for row in table(client, resource["name"]):
            for name in numeric:
                if row[name]:
                    assert PLAIN_DECIMAL.fullmatch(row[name]), (resource["name"], name, row[name])


def test_a_revocation_shows_at_once_and_moves_the_release(client, published):
    before = descriptor(client)[1]
    c = published.certification
    c.ok(published.certificate["id"], "revoke", c.admin, reason="Meter readings were falsified.")
    after = descriptor(client)[1]
    assert after["version"] != before["version"]
    hashes = {r["name"]: r["hash"] for r in before["resources"]}
    moved = {r["name"] for r in after["resources"] if r["hash"] != hashes[r["name"]]}
    assert "documents" in moved and "retirements" not in moved
    row = next(r for r in table(client, "documents") if r["kind"] == "certificate")
    assert row["status"] == "revoked"


def test_a_new_retirement_moves_the_release(client, published):
    before = descriptor(client)[1]
    c = published.certification
    holding = client.get("/api/v1/registry/holdings", headers=c.operator).json["items"][0]
    retired = client.post(
        "/api/v1/registry/retirements",
        headers=c.operator,
        json={
            "serial_start": holding["serial_start"],
            "serial_end": holding["serial_start"],
            "beneficiary": "A visitor's family",
            "purpose": "Their trip",
        },
    )
    assert retired.status_code == 201, retired.json
    after = descriptor(client)[1]
    assert after["version"] != before["version"]
    assert len(table(client, "retirements")) == 2
    (resource,) = [r for r in after["resources"] if r["name"] == "retirements"]
    assert resource["bytes"] == len(client.get(local(resource["path"])).data)


def test_a_certificate_changed_in_the_database_is_published_invalid_without_its_figures(
    app, client, published
):
    certificate_id = published.certificate["certificate_id"]
    with app.app_context():
        content = db.session.scalar(
            select(Certificate.content).where(Certificate.id == certificate_id)
        )
        content["attestation"]["content"]["emissions_tco2e"]["total"] = "1"
        db.session.execute(
            update(Certificate).where(Certificate.id == certificate_id).values(content=content)
        )
        db.session.commit()
    row = next(r for r in table(client, "documents") if r["kind"] == "certificate")
    assert row["status"] == "invalid" and row["total_tco2e"] == "" and row["subject"] == ""
    (inventory,) = table(client, "inventories")
    assert inventory["total_tco2e"] == ""


def test_an_empty_programme_still_publishes_a_valid_package(client, tmp_path: Path):
    _, package = descriptor(client)
    assert "created" not in package
    for resource in package["resources"]:
        data = client.get(local(resource["path"])).data
        assert data.count(b"\r\n") == 1  # the header row only
        (tmp_path / f"{resource['name']}.csv").write_bytes(data)
        resource["path"] = f"{resource['name']}.csv"
    (tmp_path / "datapackage.json").write_text(json.dumps(package), encoding="utf-8")
    assert frictionless.validate(tmp_path / "datapackage.json").valid


# --- the page ------------------------------------------------------------------------

BROWSER = {"Accept": "text/html"}


def test_the_page_explains_every_column_from_the_same_table_schema(client, published):
    _, package = descriptor(client)
    page = client.get("/open-data?lang=en", headers=BROWSER)
    assert page.status_code == 200 and page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    for resource in package["resources"]:
        assert f"{API}/{resource['name']}.csv" in text
        assert resource["hash"].removeprefix("sha256:") in text
        for column in resource["schema"]["fields"]:
            assert f"<code>{column['name']}</code>" in text
            assert column["description"] in text, column["name"]
    assert "CC BY 4.0" in text and "creativecommons.org/licenses/by/4.0/" in text
    assert "How to cite" in text and "datapackage.json.jws" in text and "sha256sum -c" in text


def test_the_page_is_in_chinese_by_default(client, published):
    text = client.get("/open-data", headers=BROWSER).get_data(as_text=True)
    assert '<html lang="zh-CN">' in text and "开放数据" in text and "如何引用" in text
    assert "The document's number" not in text  # the columns are explained in Chinese too


def test_the_page_has_no_inline_style_or_script(client):
    text = client.get("/open-data", headers=BROWSER).get_data(as_text=True)
    assert " style=" not in text and "<style" not in text and "<script" not in text
    assert "open-data.css" in text


def test_the_page_fits_a_360_px_phone_and_has_no_serious_accessibility_fault(
    phone, live_server, published
):
    phone.goto(f"{live_server}/open-data")
    assert phone.locator("h1").inner_text() == "开放数据"
    phone.locator("details.columns summary").first.click()
    assert phone.locator("table.columns tbody").first.is_visible()
    assert not phone.locator("table.columns thead").first.is_visible()  # cards on a phone
    assert_fits(phone)
    assert_accessible(phone)
    screenshot(phone, "open-data-360")


@pytest.mark.no_script
def test_a_csv_downloads_from_the_page_without_javascript(phone, live_server, published):
    phone.goto(f"{live_server}/open-data")
    assert_fits(phone)
    with phone.expect_download() as download:
        phone.locator('a[href$="/retirements.csv"]').click()
    assert download.value.suggested_filename == "retirements.csv"
    saved = Path(download.value.path()).read_bytes()
    assert saved.startswith(b"retirement_id,serial_start,") and saved.count(b"\r\n") == 2
