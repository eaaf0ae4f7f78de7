"""Importing a registry export by page: a dry run first, which says what the file would
do or which line and column are wrong and saves nothing; then the import, from the text
the dry run kept, so that the file is uploaded once."""

from __future__ import annotations

import html
import io
import re

import pytest

from tests.certify.builders import DISTRICT
from tests.people import BROWSER, csrf

IMPORTS = "/admin/imports"
HEADER = (
    "serial_start,serial_end,standard,project_name,methodology,project_type,region,"
    "holder,retired_at,beneficiary,purpose\n"
)
EXPORT = HEADER + (
    "WLY-HNF01-2022-000000001,WLY-HNF01-2022-000000040,CCER,Huangshi Forest,CCER-14-001-V01,"
    "afforestation,CN-HN,Tianmen Hotel,,,\n"
    "WLY-HNF01-2022-000000041,WLY-HNF01-2022-000000050,CCER,Huangshi Forest,CCER-14-001-V01,"
    "afforestation,CN-HN,Tianmen Hotel,2023-03-01,Tianmen Hotel,2022 neutrality\n"
)


@pytest.fixture
def district(client, sign_in, auth):
    sign_in("admin", DISTRICT)
    return auth("admin", DISTRICT)


def upload(client, text: str | None, lang: str = "en", **fields: str):
    token = csrf(client.get(f"{IMPORTS}?lang={lang}"))
    data = {"csrf_token": token, "format": "scenic", "dry_run": "true", **fields}
    if text is not None:
        data["file"] = (io.BytesIO(text.encode()), "export.csv")
    return client.post(f"{IMPORTS}?lang={lang}", data=data, headers=BROWSER)


def issued(client, headers) -> int:
    return client.get("/api/v1/registry/issuances", headers=headers).json["total"]


def kept_text(page: str) -> str:
    found = re.search(r'<form[^>]*id="import-form".*?name="csv_text" value="([^"]*)"', page, re.S)
    return html.unescape(found.group(1))


def test_a_good_exports_dry_run_saves_nothing_and_its_import_applies(client, district):
    checked = upload(client, EXPORT)
    assert checked.status_code == 200
    assert "Every row is good; nothing is saved yet." in checked.text
    assert "<dt>New serial blocks</dt><dd>2</dd>" in checked.text
    assert "<dt>Credits in them</dt><dd>50</dd>" in checked.text
    assert issued(client, district) == 0
    imported = client.post(
        IMPORTS,
        data={
            "csrf_token": csrf(checked),
            "format": "scenic",
            "holder": "",
            "dry_run": "false",
            "csv_text": kept_text(checked.text),
        },
        headers=BROWSER,
    )
    assert imported.status_code == 303
    page = client.get(imported.location + "&lang=en").text
    assert "Imported: 2 serial blocks (50 credits, 1 of them already retired)" in page
    assert issued(client, district) == 2
    retired = client.get("/api/v1/registry/retirements?beneficiary=Tianmen").json["items"]
    assert [r["quantity"] for r in retired] == [10]


@pytest.mark.parametrize(("lang", "empty"), [("zh", "为空"), ("en", "is empty")])
def test_a_bad_row_is_named_by_line_and_column_and_nothing_is_saved(client, district, lang, empty):
    bad = EXPORT.replace(
        "CCER,Huangshi Forest,CCER-14-001-V01,afforestation,CN-HN,Tianmen Hotel,2023",
        "CCER,,CCER-14-001-V01,afforestation,CN-HN,Tianmen Hotel,2023",
    )
    refused = upload(client, bad, lang)
    assert refused.status_code == 422
    line = "第 3 行" if lang == "zh" else "Line 3"
    assert re.search(
        rf"<td[^>]*>{line}</td>\s*<td[^>]*><code>project_name</code></td>\s*<td[^>]*>{empty}<",
        refused.text,
    )
    assert 'id="import-form"' not in refused.text
    assert issued(client, district) == 0


@pytest.mark.parametrize(
    ("lang", "message"), [("zh", "Verra 导出文件必填。"), ("en", "Required for Verra")]
)
def test_a_verra_export_needs_a_holder_named_beside_its_field(client, district, lang, message):
    refused = upload(client, "Serial Number\n", lang, format="verra", holder="")
    assert refused.status_code == 422
    assert 'id="holder-error">' + message in refused.text
    assert 'name="csv_text" value="Serial Number' in refused.text  # the file is kept


def test_checking_with_no_file_chosen_is_said_beside_the_file_field(client, district):
    refused = upload(client, None)
    assert refused.status_code == 422
    assert 'id="file-error">Choose a CSV file' in refused.text
