"""The guide as a public page (zh/en) and as data."""

from guides.core import load_guide


def test_the_guide_page_shows_every_section_and_criterion_in_both_languages(client):
    guide = load_guide()
    page = client.get("/guide").get_data(as_text=True)
    assert guide.title_zh in page and guide.title_en in page
    for section in guide.sections:
        assert section.title_zh in page and section.title_en in page
    for criterion in guide.criteria:
        assert f'id="{criterion.id}"' in page
    assert "核查员判断" in page and "automatic" in page


def test_the_guide_is_published_as_data_with_its_offset_parameters(client):
    assert client.get("/api/v1/guides").json == [{"version": 1, "url": "/api/v1/guides/1"}]
    body = client.get("/api/v1/guides/1").json
    assert body["version"] == 1 and len(body["criteria"]) == len(load_guide(1).criteria)
    assert body["offsets"]["retirement_window_months"] == 12
    assert body["offsets"]["coverage_margin"] == "0.05"


def test_an_unknown_guide_version_is_404(client):
    assert client.get("/guide/99").status_code == 404
    assert client.get("/api/v1/guides/99").status_code == 404
