"""Products in the operators' workspace: registered by form, footprint studies entered
stage by stage (each field named by its path in the API's body), and the result against
the product category's range — the products service the API calls."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape

from footprint.platform.forms import flat
from footprint.services import datasets
from tests.certify.builders import TEA, tea_footprint_body
from tests.people import BROWSER, post

MAKER = "Zhangjiajie Vine Tea Co."
PAGES = "/workspace/products"


@pytest.fixture
def maker(auth, sign_in):
    """The tea maker's API token, and one of its operators signed in on the pages."""
    token = auth("operator", MAKER)
    sign_in("operator", MAKER)
    return token


def register(client) -> str:
    """Register the vine tea by the form: the product page's path."""
    fields = {name: str(value) for name, value in TEA.items()}
    registered = post(client, PAGES, fields)
    assert registered.status_code == 303, re.findall(r"field-error.*?</p>", registered.text)
    return registered.location


def study_form(**changes: object) -> dict[str, str]:
    """The tea's footprint study as the stages form's fields carry it, with a blank row
    (nothing typed but its stage) among them."""
    return {**flat(tea_footprint_body(**changes)), "lines[9].stage": "use"}


def test_an_operator_registers_a_product_and_records_a_study_by_the_stages_form(client, maker):
    page = register(client)
    product_id = int(page.rsplit("/", 1)[1])
    registered = client.get(f"/api/v1/products/{product_id}", headers=maker).json
    assert registered["name_en"] == TEA["name_en"]
    form = client.get(f"{page}?lang=en", headers=BROWSER).text
    assert 'id="footprint-form"' in form and "Stage: Raw material" in form
    assert form.count('name="lines[') >= 6 * 2 * 5  # two blank rows a stage, five fields a row

    recorded = post(client, f"{page}/footprints", study_form(), form=page)
    assert recorded.status_code == 303
    footprint_id = int(recorded.location.rsplit("/", 1)[1])
    api = client.get(f"/api/v1/products/footprints/{footprint_id}", headers=maker).json
    by_api = client.post(
        f"/api/v1/products/{product_id}/footprints", json=tea_footprint_body(), headers=maker
    ).json
    assert len(api["lines"]) == 6 and api["kgco2e_per_unit"] == by_api["kgco2e_per_unit"]

    result = client.get(f"{recorded.location}?lang=en", headers=BROWSER).text
    assert f"{api['kgco2e_per_unit']:.3f}" in result
    assert "within the range" in result and 'data-position="within"' in result
    assert all(str(escape(line["factor_source"])) in result for line in api["lines"])
    assert 'action="/workspace/labels/apply"' in result
    listed = client.get(f"{page}?lang=en", headers=BROWSER).text
    assert f"/workspace/products/footprints/{footprint_id}" in listed


@pytest.mark.parametrize(("lang", "message"), [("en", "Enter a number."), ("zh", "请输入数字。")])
def test_a_bad_stage_line_is_named_beside_it_with_what_was_typed_kept(client, maker, lang, message):
    page = register(client)
    fields = study_form()
    fields["lines[2].quantity"] = "thirty"
    refused = post(client, f"{page}/footprints", fields, lang=lang, form=page)
    assert refused.status_code == 422
    assert f'id="lines[2].quantity-error">{message}<' in refused.text
    assert 'value="thirty"' in refused.text and 'value="fertiliser.urea"' in refused.text


def test_a_line_the_service_refuses_is_named_beside_it(client, maker):
    page = register(client)
    fields = study_form()
    fields["lines[2].unit"] = "kg"  # electricity is priced per kWh
    refused = post(client, f"{page}/footprints", fields, form=page)
    assert refused.status_code == 422
    assert 'id="lines[2].unit-error">' in refused.text and 'aria-invalid="true"' in refused.text


def test_adding_lines_keeps_what_was_typed_and_saves_nothing(client, maker):
    page = register(client)
    more = post(client, f"{page}/footprints", {**study_form(), "add": "1"}, form=page)
    assert more.status_code == 200 and 'value="packaging.kraft_paper"' in more.text
    product_id = int(page.rsplit("/", 1)[1])
    assert "No footprint studies yet." in client.get(f"{PAGES}/{product_id}?lang=en").text


def test_a_product_form_with_a_missing_field_is_refused_beside_it(client, maker):
    refused = post(client, PAGES, {**TEA, "name_en": "", "unit_mass_kg": "0.25"})
    assert refused.status_code == 422
    assert 'id="name_en-error">This field is required.<' in refused.text
    assert f'value="{TEA["name_zh"]}"' in refused.text


def test_the_product_pages_are_the_owners_and_the_districts(client, maker, sign_in):
    product = register(client)
    study = post(client, f"{product}/footprints", study_form(), form=product).location
    pages = (PAGES, product, study)
    for path in pages:
        assert client.get(path, headers=BROWSER).status_code == 200, path
    sign_in("admin", "Wulingyuan District")
    assert all(client.get(path, headers=BROWSER).status_code == 200 for path in pages)
    sign_in("operator", "Tianmen Tea Co.")
    assert client.get(PAGES, headers=BROWSER).status_code == 200
    for path in (product, study):
        answered = client.get(path, headers=BROWSER)
        assert answered.status_code == 403 and answered.mimetype == "text/html", path
    sign_in("verifier", "Hunan Carbon Verification Centre")
    assert all(client.get(path, headers=BROWSER).status_code == 403 for path in pages)


def test_anonymous_visitors_are_sent_to_sign_in(client, maker):
    product = register(client)
    anonymous = client.application.test_client()
    for path in (PAGES, product, f"{PAGES}/footprints/1"):
        answered = anonymous.get(path, headers=BROWSER)
        assert answered.status_code == 302 and answered.location.startswith("/login?next="), path


def test_a_footprints_lines_state_their_gases_per_unit(client, auth, cn2024):
    maker = auth("operator", MAKER)
    product = client.post("/api/v1/products", json=TEA, headers=maker).json
    body = client.post(
        f"/api/v1/products/{product['id']}/footprints", json=tea_footprint_body(), headers=maker
    ).json
    lines = {(line["stage"], line["factor_id"]): line for line in body["lines"]}
    # processing: 30 MWh of grid power over 10,000 packs × 0.5366 kgCO2/kWh, all CO2
    processing = lines[("processing", "electricity.grid_cn")]
    assert processing["gases_kg_per_unit"] == {"CO2": 1.61}  # 1.6098, to the gram
    field = lines[("raw_material", "field.n2o_synthetic_n")]
    assert field["gases_kg_per_unit"] == {}  # known as CO2e only


def test_under_the_second_edition_a_fuel_line_shows_its_upstream(app, client, auth, sign_in):
    with app.app_context():
        for code in ("CN-2025", "CN-2025-P"):
            datasets.publish(code)
        datasets.clear_caches()
    maker = auth("operator", MAKER)
    product = client.post("/api/v1/products", json=TEA, headers=maker).json
    body = client.post(
        f"/api/v1/products/{product['id']}/footprints",
        json=tea_footprint_body(dataset="CN-2025-P"),
        headers=maker,
    ).json
    assert body["dataset"] == "CN-2025-P" and body["energy_boundary"] == "well_to_wheel"
    lines = {(line["stage"], line["factor_id"]): line for line in body["lines"]}
    # 1 t LPG × 349.29282 kgCO2e/t (DESNZ 2025 WTT, row 11_100_1003_15_1) over 10,000 packs
    lpg = lines[("processing", "fuel.lpg")]["well_to_tank"]
    assert lpg["state"] == "priced" and lpg["kgco2e_per_unit"] == 0.035
    assert lpg["factor_id"] == "fuel_wtt.lpg" and lpg["factor_unit"] == "kgCO2e/t"
    grid = lines[("processing", "electricity.grid_cn")]["well_to_tank"]
    assert grid["state"] == "not_available" and grid["kgco2e_per_unit"] == 0
    assert lines[("packaging", "packaging.kraft_paper")]["well_to_tank"] is None
    sign_in("operator", MAKER)
    page = client.get(f"{PAGES}/footprints/{body['id']}?lang=en", headers=BROWSER).text
    assert "+ well-to-tank 349.29282 kgCO2e/t: 0.035 kg per unit" in page
    assert "Energy is counted with its upstream" in page
