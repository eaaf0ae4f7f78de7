"""The district registers forest-sink projects and issues their credits by form: the
registry's own services and the API's schemas, the buffer pool's share shown as the
service withheld it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.certify.builders import DISTRICT, HOLDER, PROJECT, serial
from tests.people import post

PROJECTS = "/admin/projects"


@pytest.fixture
def district(client, sign_in):
    return sign_in("admin", DISTRICT)


def project_form(**changes: str) -> dict[str, str]:
    fields = {k: str(v) for k, v in PROJECT.items()} | {"code": "HNF01", "name": "Huangshi Forest"}
    return fields | changes


def test_the_list_shows_each_projects_code_standard_region_and_credits_issued(
    client, district, registry
):
    page = client.get(f"{PROJECTS}?lang=en").text
    for shown in ("SXY01", PROJECT["name"], "CCER", "CN-HN-Wulingyuan"):
        assert shown in page
    assert '<td data-label="Credits issued (tCO2e)" class="num">100</td>' in page


def test_the_district_registers_a_project_by_form(client, district, auth):
    form = project_form(**{"documents[0].title": "PDD", "documents[0].url": "https://x.cn/p.pdf"})
    made = post(client, PROJECTS, form)
    assert made.status_code == 303
    page = client.get(made.location + "?lang=en").text
    assert "Huangshi Forest" in page and "No credits are issued for this project yet." in page
    found = client.get("/api/v1/registry/projects", headers=auth("admin", DISTRICT)).json
    [project] = found["items"]
    assert (project["code"], project["standard"]) == ("HNF01", "CCER")
    assert Decimal(project["area_ha"]) == 1200
    assert project["documents"] == [{"title": "PDD", "url": "https://x.cn/p.pdf"}]


@pytest.mark.parametrize(
    ("lang", "required", "pattern"),
    [
        ("zh", "此项为必填。", "请从选项中选择一项。"),
        ("en", "This field is required.", "Choose one"),
    ],
)
def test_a_bad_project_form_names_its_fields_and_keeps_what_was_typed(
    client, district, lang, required, pattern
):
    form = project_form(methodology="", project_type="swamp", region="Typed Region")
    refused = post(client, PROJECTS, form, lang)
    assert refused.status_code == 422
    assert f'id="methodology-error">{required}<' in refused.text
    assert 'id="project_type-error">' + pattern in refused.text
    assert 'value="Typed Region"' in refused.text
    assert client.get("/api/v1/registry/projects").json["total"] == 0


def test_a_code_already_taken_is_a_conflict_said_above_the_form(client, district, registry):
    refused = post(client, PROJECTS, project_form(code="SXY01"))
    assert refused.status_code == 409
    assert "A project with this code or external id exists." in refused.text
    assert client.get("/api/v1/registry/projects").json["total"] == 1


def test_a_project_page_shows_each_issuance_with_the_buffer_withheld(client, district, registry):
    page = client.get(f"{PROJECTS}/{registry.project_id}?lang=en").text
    assert '<td data-label="Verified quantity" class="num">100</td>' in page
    assert '<td data-label="To the holder" class="num">90</td>' in page
    assert '<td data-label="Buffer pool" class="num">10</td>' in page
    assert serial(90) in page and serial(91) in page and serial(100) in page


def test_issuing_by_form_shows_the_serials_issued(client, district, registry):
    path = f"{PROJECTS}/{registry.project_id}"
    form = {"vintage": "2024", "quantity": "50", "holder_org": HOLDER}
    issued = post(client, f"{path}/issuances", form, form=path)
    assert issued.status_code == 303 and "issued=" in issued.location
    page = client.get(issued.location + "&lang=en").text
    assert "Issued 50 credits of vintage 2024." in page
    assert "To the holder, 45 credits:" in page and "buffer pool, 5 credits:" in page
    assert serial(1, 2024) in page and serial(45, 2024) in page and serial(46, 2024) in page
    found = client.get(
        f"/api/v1/registry/issuances?project_id={registry.project_id}&vintage=2024",
        headers=registry.admin,
    ).json["items"]
    assert [(i["quantity"], i["holder_quantity"], i["buffer_quantity"]) for i in found] == [
        (50, 45, 5)
    ]


@pytest.mark.parametrize(
    ("lang", "period", "number"),
    [
        ("zh", "不在项目的计入期内。", "请输入数字。"),
        ("en", "Outside the project", "Enter a number."),
    ],
)
def test_a_bad_issuance_names_its_fields_and_keeps_what_was_typed(
    client, district, registry, lang, period, number
):
    path = f"{PROJECTS}/{registry.project_id}"
    no_number = {"vintage": "2024", "quantity": "many", "holder_org": "Kept Holder"}
    refused = post(client, f"{path}/issuances", no_number, lang, form=path)
    assert refused.status_code == 422
    assert f'id="quantity-error">{number}<' in refused.text
    assert 'value="Kept Holder"' in refused.text and 'value="many"' in refused.text
    late = {"vintage": "2050", "quantity": "10", "holder_org": HOLDER}
    refused = post(client, f"{path}/issuances", late, lang, form=path)
    assert refused.status_code == 422 and 'id="vintage-error">' + period in refused.text
    listed = client.get(f"/api/v1/registry/issuances?project_id={registry.project_id}").json
    assert listed["total"] == 1
