"""The district's dataset page (/admin/datasets): an uploaded dataset is loaded as a draft,
shows what it changes against the default dataset, and is published from there; what
the datasets service refuses is refused on the page."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from footprint.platform.activity import ActivityEvent
from footprint.platform.db import db
from tests.certify.builders import DISTRICT
from tests.database import BUNDLED
from tests.people import BROWSER, csrf, post

PAGE = "/admin/datasets"
AIRSHIP = """
[[factors]]
id = "transport.airship"
group = "transport"
key = "airship"
value = "0.0500"
unit = "kgCO2e/passenger-km"
region = "CN"
year = 2025
source = "mao-2024"
uncertainty = "0.30"
status = "assumed"
label_en = "Airship"
label_zh = "飞艇"
"""


def edition(code: str = "CN-2030", *, flight: str = "0.1000", more: str = AIRSHIP) -> bytes:
    """CN-2024 under ``code``, with a new flight value and one more factor."""
    text = BUNDLED.read_text(encoding="utf-8")
    text = text.replace('code = "CN-2024"', f'code = "{code}"', 1)
    text = text.replace('value = "0.0953"', f'value = "{flight}"', 1)
    return (text + more).encode("utf-8")


@pytest.fixture
def district(client, sign_in):
    sign_in("admin", DISTRICT)
    return client


def upload(client, document: bytes, lang: str = "en"):
    return post(client, PAGE, {"document": (io.BytesIO(document), "dataset.toml")}, lang)


def publish(client, code: str):
    page = f"{PAGE}/{code}"
    token = csrf(client.get(page))
    return client.post(f"{page}/publish", data={"csrf_token": token}, headers=BROWSER)


def test_the_district_sees_the_datasets_published_with_the_default_marked(district):
    page = district.get(f"{PAGE}?lang=en", headers=BROWSER)
    assert page.status_code == 200
    assert "CN-2024-P" in page.text and "the default" in page.text
    assert 'type="file"' in page.text and 'for="dataset-document"' in page.text
    assert "排放因子数据集" in district.get(f"{PAGE}?lang=zh", headers=BROWSER).text


def test_an_uploaded_dataset_is_a_draft_that_shows_what_it_changes(client, district):
    response = upload(district, edition())
    assert response.status_code == 303 and response.location == f"{PAGE}/CN-2030"
    page = district.get(f"{PAGE}/CN-2030?lang=en", headers=BROWSER)
    assert "Draft" in page.text
    added = page.text.split('id="added"')[1].split("</table>")[0]
    assert "transport.airship" in added and "0.0500 kgCO2e/passenger-km" in added
    changed = page.text.split('id="changed"')[1].split("</table>")[0]
    assert "transport.flight" in changed and "0.0953 kgCO2e/passenger-km" in changed
    assert "0.1000" in changed and "mao-2024" in changed and "the value" in changed
    assert 'id="removed"' not in page.text
    assert client.get("/api/v1/factors/datasets/CN-2030").json["published"] is False
    assert "新增的因子" in district.get(f"{PAGE}/CN-2030?lang=zh", headers=BROWSER).text


def test_publishing_the_draft_makes_it_published_and_the_default(client, district, app):
    upload(district, edition())
    response = publish(district, "CN-2030")
    assert response.status_code == 303 and response.location == f"{PAGE}/CN-2030?published=1"
    assert client.get("/api/v1/factors/datasets/CN-2030").json["published"] is True
    page = district.get(response.location, headers=BROWSER)
    assert 'id="published"' in page.text and 'id="publish-dataset"' not in page.text
    with app.app_context():
        actions = db.session.scalars(
            select(ActivityEvent.action).where(ActivityEvent.entity_id == "CN-2030")
        ).all()
    assert actions == ["dataset.loaded", "dataset.published"]


def test_a_published_code_with_another_document_is_refused_on_the_page(client, district):
    response = upload(district, edition("CN-2024"))
    assert response.status_code == 409
    assert "dataset CN-2024 is published and cannot change" in response.text
    assert 'aria-invalid="true"' in response.text
    factors = client.get("/api/v1/factors/datasets/CN-2024/factors?per_page=200").json
    flight = next(f for f in factors["items"] if f["id"] == "transport.flight")
    assert flight["value"] == "0.0953"


@pytest.mark.parametrize(
    ("lang", "lead"), [("en", "The document was not accepted"), ("zh", "文件未被接受")]
)
def test_a_malformed_document_shows_the_parsers_reason(client, district, lang, lead):
    response = upload(district, edition(more='\n[[factors]]\nid = "broken"\n'), lang)
    assert response.status_code == 422
    assert lead in response.text and "factor broken" in response.text
    assert client.get("/api/v1/factors/datasets/CN-2030").status_code == 404


def test_not_choosing_a_file_says_so(district):
    token = csrf(district.get(PAGE))
    response = district.post(f"{PAGE}?lang=en", data={"csrf_token": token}, headers=BROWSER)
    assert response.status_code == 422 and "Choose a TOML file" in response.text


def test_the_second_edition_draft_shows_what_it_revises_its_rules_and_why(district):
    page = district.get("/admin/datasets/CN-2025?lang=en").text
    assert 'id="revises"><code>CN-2024</code>' in page
    rules = page.split('id="rules">', 1)[1].split("</dd>", 1)[0]
    assert "edition 2 · grid: regional · uncertainty: correlated" in rules
    assert "activity data counted · Monte Carlo where Approach 1 does not hold" in rules
    assert "inventory flights with radiative forcing · transport: well_to_wheel" in rules
    assert "· forest equivalent: registry" in rules
    assert "CN-2024 typed 44/12 as 3.6667" in page  # why co2_per_c changed
    # the forest sink follows co2_per_c: its line says it was derived again, and from what
    assert "Derived: computed again from the factors it is made of" in page
    assert "replaced by the DESNZ 2025 rows, read by their IDs" in page
    chinese = district.get("/admin/datasets/CN-2025?lang=zh").text
    assert "修订自" in chinese and "第 2 版" in chinese and "修订原因" in chinese
    assert "CN-2024将44/12录为3.6667" in chinese and "CN-2024 typed 44/12" not in chinese


def test_the_first_editions_page_names_the_first_editions_rules(district):
    rules = district.get("/admin/datasets/CN-2024?lang=en").text.split('id="rules">', 1)[1]
    assert rules.startswith("edition 1 · grid: national · uncertainty: independent")
