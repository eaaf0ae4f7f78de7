"""The guide as a public page (in Chinese, or in English) and as data."""

import pytest

from guides.core import load_guide


@pytest.mark.parametrize(
    ("path", "lang", "other", "words"),
    [
        ("/guide", "zh", "en", ("核查员判断", "自动")),
        ("/guide?lang=en", "en", "zh", ("Verifier's judgement", "Automatic")),
    ],
)
def test_the_guide_page_shows_every_section_and_criterion_in_one_language(
    client, path, lang, other, words
):
    guide = load_guide()
    page = client.get(path).get_data(as_text=True)
    assert getattr(guide, f"title_{lang}") in page
    assert getattr(guide, f"title_{other}") not in page
    for section in guide.sections:
        assert getattr(section, f"title_{lang}") in page
    for criterion in guide.criteria:
        assert f'id="{criterion.id}"' in page
    assert all(word in page for word in words)


def test_the_guide_is_published_as_data_with_its_offset_parameters(client):
    assert client.get("/api/v1/guides").json == [{"version": 1, "url": "/api/v1/guides/1"}]
    body = client.get("/api/v1/guides/1").json
    assert body["version"] == 1 and len(body["criteria"]) == len(load_guide(1).criteria)
    assert body["offsets"]["retirement_window_months"] == 12
    assert body["offsets"]["coverage_margin"] == "0.05"


def test_an_unknown_guide_version_is_404(client):
    assert client.get("/guide/99").status_code == 404
    assert client.get("/api/v1/guides/99").status_code == 404
