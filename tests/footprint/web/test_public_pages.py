"""The public pages of footprints: the home page, and the trip calculator — the same
numbers as `POST /api/v1/footprints/trips`, as a form that works without JavaScript, in the
visitor's language, with a shareable link."""

from __future__ import annotations

import re
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from babel.numbers import format_decimal
from markupsafe import escape

from footprint.services import trips
from tests.footprint.web.test_editions_api import publish_second_edition

BROWSER = {"Accept": "text/html"}
TRIP = {
    "t": "2",
    "m0": "flight",
    "d0": "1100",
    "r0": "1",
    "m1": "car_petrol",
    "d1": "40",
    "p1": "4",
    "s0": "type:hotel",
    "n0": "3",
    "k0": "1",
    "a0": "type:cable_car",
    "c0": "2",
}
SAME_TRIP = {
    "travellers": 2,
    "transport": [
        {"mode": "flight", "distance_km": 1100, "round_trip": True},
        {"mode": "car_petrol", "distance_km": 40, "occupants": 4},
    ],
    "lodging": [{"type": "hotel", "nights": 3, "rooms": 1}],
    "attractions": [{"type": "cable_car", "rides": 2}],
}


def page(client, query: dict, lang: str = "en") -> str:
    response = client.get(f"/calculator?{urlencode({**query, 'lang': lang})}", headers=BROWSER)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def shown_total(text: str) -> Decimal:
    return Decimal(re.search(r'data-total-kg="([0-9.]+)"', text).group(1))


def test_the_page_gives_the_apis_total_for_the_same_trip(client):
    api = client.post("/api/v1/footprints/trips", json=SAME_TRIP).json
    text = page(client, TRIP)
    assert shown_total(text) == Decimal(str(api["total_kgco2e"]))
    assert format_decimal(api["per_traveller_kgco2e"], "#,##0.###", locale="en") in text
    for line in api["lines"]:
        assert line["factor_id"] in text and escape(line["factor_source"]) in text
    assert "CN-2024" in text


def test_an_empty_form_asks_rather_than_answers(client):
    text = page(client, {})
    assert "data-total-kg" not in text and 'name="m0"' in text


def test_a_common_origin_gives_the_leg_its_mode_and_distance(client):
    leg = trips.origins().leg("PEK-DYG")
    text = page(client, {"o0": "PEK-DYG"})
    api = client.post(
        "/api/v1/footprints/trips",
        json={"transport": [{"mode": "flight", "distance_km": int(leg.distance_km)}]},
    ).json
    assert shown_total(text) == Decimal(str(api["total_kgco2e"]))


def test_a_leg_given_by_its_ends_is_priced_as_the_api_prices_it_and_says_how(client):
    text = page(client, {"m0": "high_speed_rail", "f0": "CSS", "g0": "zjw"})
    api = client.post(
        "/api/v1/footprints/trips",
        json={"transport": [{"mode": "high_speed_rail", "from": "CSS", "to": "zjw"}]},
    ).json
    assert shown_total(text) == Decimal(str(api["total_kgco2e"]))
    route = api["lines"][0]["route"]
    assert f"CSS → ZJW: {route['distance_km']:.0f} km" in text and "× 1.25" in text
    assert '<option value="DYG">Zhangjiajie Hehua International Airport (DYG)' in text


def test_an_end_of_the_wrong_kind_is_named_beside_it(client):
    text = page(client, {"m0": "flight", "f0": "CSS", "g0": "DYG"})
    assert 'id="f0-error"' in text and "an airport for a flight" in text
    assert 'value="CSS"' in text and "data-total-kg" not in text


def test_bad_fields_are_named_beside_the_field_and_what_was_typed_is_kept(client):
    text = page(client, {"m0": "flight", "d0": "-5", "n0": "2", "s0": "type:hotel", "k0": "x"})
    assert 'id="d0-error"' in text and "Distance in km" in text
    assert 'id="k0-error"' in text and 'value="-5"' in text
    assert "data-total-kg" not in text


def test_errors_are_in_the_pages_language(client):
    text = page(client, {"m0": "flight", "d0": "0"}, lang="zh")
    assert "距离" in text and 'lang="zh-CN"' in text


def test_adding_a_leg_keeps_what_was_typed(client):
    text = page(client, {**TRIP, "legs": "2", "add": "legs"})
    assert 'name="m2"' in text and 'value="1100"' in text


def test_the_result_has_a_link_that_reproduces_it(client):
    text = page(client, TRIP)
    link = re.search(r'class="share" href="([^"]+)"|href="([^"]+)" class="share"', text)
    url = next(group for group in link.groups() if group).replace("&amp;", "&")
    again = client.get(url, headers=BROWSER).get_data(as_text=True)
    assert shown_total(again) == shown_total(text)


def test_the_result_part_alone_is_served_for_the_script(client):
    response = client.get(f"/calculator/result?{urlencode(TRIP)}")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "<html" not in response.get_data(as_text=True)
    assert "data-total-kg" in response.get_data(as_text=True)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_is_in_one_language(client, lang):
    text = page(client, TRIP, lang=lang)
    # data keeps its own language (place names in the picker); the language switch names
    # the other language in that language
    text = re.sub(r"<option[^>]*>[^<]*</option>|<a [^>]*hreflang[^>]*>[^<]*</a>", "", text)
    chinese = re.search("[\u4e00-\u9fff]", text)
    assert (chinese is not None) == (lang == "zh")


def test_the_result_is_charted_by_category_and_by_line_with_its_figures_in_tables(client):
    text = page(client, TRIP)
    charts = re.findall(r"<svg[^>]*role=\"img\"[^>]*>.*?</svg>", text, re.DOTALL)
    assert len(charts) == 2 and all("style=" not in chart for chart in charts)
    assert "<caption>By category</caption>" in text
    assert "Transport" in charts[0] and "Hotel (average, China)" in charts[1]


def test_the_home_page_says_what_the_programme_is_and_leads_to_the_calculator(client):
    text = client.get("/?lang=en", headers=BROWSER).get_data(as_text=True)
    assert "offsets what remains with forest-sink credits" in text
    for path in ("/calculator", "/progress", "/certified", "/open-data"):
        assert f'href="{path}"' in text
    assert "本区的碳中和计划" in client.get("/?lang=zh", headers=BROWSER).get_data(as_text=True)


def test_a_venue_verified_or_renamed_after_the_page_was_served_is_shown_at_once(client, auth):
    assert "Tianmen Cableway" not in page(client, {})
    operator = auth("operator", "Tianmen Cableway Co.")
    venue = client.post(
        "/api/v1/venues", json={"name": "Tianmen Cableway", "kind": "cable_car"}, headers=operator
    ).json
    inventory = client.post(
        f"/api/v1/venues/{venue['id']}/inventories",
        json={
            "period_start": "2024-01-01",
            "period_end": "2024-12-31",
            "metrics": {"rides": 100000, "visitors": 60000},
            "lines": [{"kind": "grid_electricity", "quantity": 500, "unit": "MWh"}],
        },
        headers=operator,
    ).json
    admin = auth("admin", "Wulingyuan District")
    verified = client.post(f"/api/v1/inventories/{inventory['id']}/verify", headers=admin)
    assert verified.status_code == 200, verified.json
    assert f'value="venue:{venue["id"]}">Tianmen Cableway<' in page(client, {})
    renamed = client.patch(
        f"/api/v1/venues/{venue['id']}",
        json={"name": "Tianmen Mountain Cableway"},
        headers=operator,
    )
    assert renamed.status_code == 200, renamed.json
    assert ">Tianmen Mountain Cableway<" in page(client, {})


def test_a_distance_with_decimals_is_priced_as_the_api_prices_it(client):
    shown = page(client, {"t": "1", "m0": "high_speed_rail", "d0": "12.5"})
    api = client.post(
        "/api/v1/footprints/trips",
        json={"transport": [{"mode": "high_speed_rail", "distance_km": 12.5}]},
    ).json
    assert 'class="field-error"' not in shown
    assert shown_total(shown) == Decimal(str(api["total_kgco2e"]))


def test_a_range_found_by_monte_carlo_says_so(app, client):
    publish_second_edition(app)
    text = page(client, {"a0": "type:cable_car", "c0": "2"})
    assert "middle 95 % of 10,000 seeded Monte Carlo draws" in text
    assert "中间95%" in page(client, {"a0": "type:cable_car", "c0": "2"}, lang="zh")


def test_under_the_second_edition_each_leg_shows_its_well_to_tank_part(app, client):
    publish_second_edition(app)
    text = page(
        client, {"t": "1", "m0": "car_petrol", "d0": "100", "m1": "high_speed_rail", "d1": "600"}
    )
    # 100 vehicle-km × 0.04599 (DESNZ 2025 WTT, average petrol car) = 4.599 kg of the line
    assert "+ well-to-tank 0.04599 kgCO2e/vehicle-km: 4.599 kg of the line" in text
    assert "well-to-tank: included in this factor's own figure" in text
    assert "Transport is counted well-to-wheel" in text
    zh = page(client, {"t": "1", "m0": "car_petrol", "d0": "100"}, lang="zh")
    assert "井到油箱" in zh and "井到车轮" in zh


def test_under_the_first_edition_the_page_says_each_source_keeps_its_boundary(client):
    text = page(client, {"t": "1", "m0": "flight", "d0": "1000"})
    assert "a flight's figure is its flight phase alone" in text and "+ well-to-tank" not in text
