"""The district's guide page (/admin/guides): an uploaded guide version is checked and
compared with the latest, then published — after which the public guide shows it and
new applications follow it; a number already published is refused."""

from __future__ import annotations

import base64
import io
import re

import pytest

from tests.certify.builders import DISTRICT
from tests.guides.builders import SHIPPED, later_version
from tests.people import BROWSER, csrf, post

PAGE = "/admin/guides"


@pytest.fixture
def district(client, sign_in):
    sign_in("admin", DISTRICT)
    return client


def check(client, document: bytes, lang: str = "en"):
    upload = {"document": (io.BytesIO(document), "guide.toml")}
    return post(client, f"{PAGE}/check", upload, lang, form=PAGE)


def publish(client, document: bytes, lang: str = "en"):
    """Check ``document``, then post the publish form the check page shows."""
    checked = check(client, document, lang)
    assert checked.status_code == 200, checked.text
    encoded = re.search(r'name="document" value="([^"]+)"', checked.text)[1]
    return client.post(
        f"{PAGE}/publish?lang={lang}",
        data={"csrf_token": csrf(checked), "document": encoded},
        headers=BROWSER,
    )


def test_the_district_sees_the_versions_with_their_criteria(district):
    page = district.get(f"{PAGE}?lang=en", headers=BROWSER)
    row = page.text.split('id="guides"')[1].split("</table>")[0]
    assert "2026-11-24" in row and "version 1" in row and ">28<" in row
    assert 'for="guide-document"' in page.text
    assert "指南版本" in district.get(f"{PAGE}?lang=zh", headers=BROWSER).text


@pytest.mark.parametrize(("lang", "heading"), [("en", "Criteria added"), ("zh", "新增的准则")])
def test_a_new_version_shows_what_it_changes_and_nothing_is_published(
    client, district, lang, heading
):
    page = check(district, later_version(), lang)
    assert page.status_code == 200
    assert heading in page.text
    assert "O-11" in page.text.split('id="added"')[1].split("</table>")[0]
    changed = page.text.split('id="changed"')[1].split("</table>")[0]
    assert "L-5" in changed and "evidence_en" in changed and "printed label" in changed
    offsets = page.text.split('id="offsets"')[1].split("</table>")[0]
    assert "coverage_margin" in offsets and "0.05" in offsets and "0.08" in offsets
    assert client.get("/guide/2").status_code == 404


def test_the_publish_form_carries_the_very_bytes_checked(district):
    document = later_version().replace(b"\n", b"\r\n")
    page = check(district, document)
    encoded = re.search(r'name="document" value="([^"]+)"', page.text)[1]
    assert base64.b64decode(encoded) == document


def test_a_published_version_is_the_public_guide_and_new_applications_follow_it(
    client, district, certification
):
    response = publish(district, later_version())
    assert response.status_code == 303 and response.location == f"{PAGE}?published=2"
    assert 'href="/guide/2"' in district.get(response.location, headers=BROWSER).text
    public = client.get("/guide/2?lang=en", headers=BROWSER)
    assert public.status_code == 200 and "(version 2)" in public.text and "O-11" in public.text
    assert "(version 2)" in client.get("/guide?lang=en", headers=BROWSER).text
    assert client.get("/guide/2.pdf").status_code == 200
    assert [v["version"] for v in client.get("/api/v1/guides").json] == [1, 2]
    application = certification.apply()
    assert application["guide_version"] == 2
    criteria = {line["criterion_id"] for line in application["checklist"]}
    assert "O-11" in criteria


def test_publishing_the_same_number_again_is_refused(client, district):
    assert publish(district, later_version()).status_code == 303
    refused = check(district, later_version(coverage_margin="0.10"))
    assert refused.status_code == 409
    assert "guide version 2 is already published" in refused.text
    assert "0.08" in str(client.get("/api/v1/guides/2").json["offsets"]["coverage_margin"])


def test_a_number_that_skips_one_is_refused(district):
    response = check(district, later_version(3))
    assert response.status_code == 409 and "the next guide version is 2" in response.text


@pytest.mark.parametrize(
    ("lang", "lead"), [("en", "The document was not accepted"), ("zh", "文件未被接受")]
)
def test_a_malformed_guide_shows_the_parsers_reason(district, lang, lead):
    document = SHIPPED.replace('check = "judgement"', 'check = "maybe"', 1).encode("utf-8")
    response = check(district, document, lang)
    assert response.status_code == 422
    assert lead in response.text and "check: must be one of" in response.text
