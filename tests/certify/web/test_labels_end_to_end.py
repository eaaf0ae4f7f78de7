"""A tea maker's carbon label through the API: footprint → verifier → label → scan → revoke."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from tests.certify.builders import TEA, tea_footprint_body
from tests.certify.pdf.tools import decode_qr_pages, text


def token_of(url: str) -> str:
    return url.rsplit("/v/", 1)[1]


def test_the_footprint_study_gives_the_figure_per_pack_by_stage_against_published_tea(labelling):
    footprint = labelling.footprint
    # urea 1500 × 3.4425 + N 690 × 6.864 + 30 MWh × 536.6 + 1 t LPG × 3101.3 + 2000 × 0.5366
    # + 100 kg kraft paper × 0.421
    expected = (
        1500 * 3.4425 + 690 * 6.864 + 30000 * 0.5366 + 1000 * 3.1013 + 2000 * 0.5366 + 100 * 0.421
    ) / 10000
    assert abs(footprint["kgco2e_per_unit"] - expected) < 0.0005
    assert [s["stage"] for s in footprint["stages"]] == ["raw_material", "processing", "packaging"]
    assert abs(sum(s["share_percent"] for s in footprint["stages"]) - 100) < 0.05
    check = footprint["category_check"]
    assert check["position"] == "within" and check["low"] == "10" and check["high"] == "16"
    assert check["warning"] is None
    assert all(line["factor_source"] for line in footprint["lines"])


def test_a_label_is_issued_verified_scanned_printed_and_revoked(client, labelling, tmp_path):
    c = labelling.certification
    application = c.apply_for_label(labelling.footprint["id"])
    assert application["subject_kind"] == "product"
    criteria = {line["criterion_id"] for line in application["checklist"]}
    assert criteria == {"Q-4", "L-1", "L-2", "L-3", "L-4", "L-5"}
    issued = labelling.issued()
    assert issued["state"] == "issued" and issued["label_id"]
    label = client.get(f"/api/v1/labels/{issued['label_id']}").json
    assert label["status"] == "valid" and label["number"].startswith("CL-")
    attested = label["content"]["attestation"]["content"]
    assert attested["boundary"] == "cradle_to_gate"
    assert attested["functional_unit"]["en"] == TEA["functional_unit_en"]

    token = token_of(label["verification_url"])
    scan = client.get(f"/api/v1/verify/{token}").json
    assert scan["status"] == "valid" and scan["kind"] == "label"
    assert scan["kgco2e_per_unit"] == attested["kgco2e_per_unit"]
    assert set(scan["stages_kgco2e"]) == {"raw_material", "processing", "packaging"}
    stages = sum(Decimal(str(kg)) for kg in attested["stages_kgco2e"].values())
    assert stages == Decimal(attested["kgco2e_per_unit"])  # as printed (issue 14)
    assert scan["category_range"]["position"] == "within"
    page = client.get(f"/v/{token}").get_data(as_text=True)
    assert attested["kgco2e_per_unit"] in page and "有效" in page
    assert TEA["functional_unit_zh"] in page and TEA["name_zh"] in page
    english = client.get(f"/v/{token}?lang=en").get_data(as_text=True)
    assert attested["kgco2e_per_unit"] in english and "Valid" in english
    assert TEA["functional_unit_en"] in english and TEA["name_en"] in english

    for size in ("40x30", "60x40"):
        pdf = tmp_path / f"label-{size}.pdf"
        pdf.write_bytes(client.get(f"/api/v1/labels/{label['id']}/pdf?size={size}").data)
        assert decode_qr_pages(pdf, 300) == [label["verification_url"]]
        assert "kg CO" in text(pdf) and "从摇篮到大门" in text(pdf)

    sheets = client.get(
        f"/api/v1/labels/{label['id']}/sheets?size=60x40&count=20", headers=c.operator
    )
    assert sheets.status_code == 200 and sheets.data.startswith(b"%PDF")
    assert sheets.headers["Content-Disposition"].startswith("attachment")

    c.ok(issued["id"], "revoke", c.admin, reason="The recipe changed.")
    scan = client.get(f"/api/v1/verify/{token}").json
    assert scan["status"] == "revoked" and scan["reason"] == "The recipe changed."
    revoked = tmp_path / "revoked.pdf"
    revoked.write_bytes(client.get(f"/api/v1/labels/{label['id']}/pdf?size=60x40").data)
    assert "REVOKED" in text(revoked)


def test_the_cli_prints_sheets_for_a_production_batch(app, client, labelling, tmp_path):
    issued = labelling.issued()
    number = client.get(f"/api/v1/labels/{issued['label_id']}").json["number"]
    output: Path = tmp_path / "batch.pdf"
    result = app.test_cli_runner().invoke(
        args=[
            "labels",
            "sheets",
            number,
            "--count",
            "70",
            "--size",
            "40x30",
            "--output",
            str(output),
        ]
    )
    assert result.exit_code == 0, result.output
    assert f"70 labels of {number}" in result.output
    assert output.read_bytes().startswith(b"%PDF")
    missing = app.test_cli_runner().invoke(
        args=["labels", "sheets", "CL-0", "--count", "1", "--output", str(output)]
    )
    assert missing.exit_code != 0 and "no label CL-0" in missing.output


def post_footprint(client, headers, product_id: int, **changes: object):
    return client.post(
        f"/api/v1/products/{product_id}/footprints",
        json=tea_footprint_body(**changes),
        headers=headers,
    )


def test_bad_footprint_input_is_refused_naming_the_field(client, labelling):
    c, product = labelling.certification, labelling.product_id
    wrong_unit = [
        {"stage": "processing", "factor": "electricity.grid_cn", "quantity": 1, "unit": "kg"}
    ]
    negative = [
        {"stage": "processing", "factor": "electricity.grid_cn", "quantity": -1, "unit": "kWh"}
    ]
    wrong_stage = [{"stage": "packaging", "factor": "fertiliser.urea", "quantity": 1, "unit": "kg"}]
    for changes, field in (
        ({"lines": wrong_unit}, "lines[0].unit"),
        ({"lines": negative}, "lines[0].quantity"),
        ({"lines": wrong_stage}, "lines[0].factor"),
        ({"output_units": 0}, "output_units"),
        ({"boundary": "gate_to_gate"}, "boundary"),
        ({"dataset": "XX-1999"}, "dataset"),
    ):
        response = post_footprint(client, c.operator, product, **changes)
        assert response.status_code == 422, (changes, response.json)
        assert field in response.json["errors"], (field, response.json["errors"])
    zero_unit = client.post(
        "/api/v1/products", headers=c.operator, json={**TEA, "name_zh": "空", "unit_mass_kg": 0}
    )
    assert zero_unit.status_code == 422 and "unit_mass_kg" in zero_unit.json["errors"]


def test_another_organisations_product_is_neither_studied_nor_labelled(client, labelling, auth):
    rival = auth("operator", "Tianmen Tea Co.")
    assert post_footprint(client, rival, labelling.product_id).status_code == 403
    response = client.post(
        "/api/v1/applications",
        headers=rival,
        json={"product_footprint_id": labelling.footprint["id"]},
    )
    assert response.status_code == 403
    assert "product_footprint_id" in response.json["errors"]
    assert client.get(f"/api/v1/products/{labelling.product_id}", headers=rival).status_code == 403


def test_a_verifier_reads_a_product_only_once_its_application_is_assigned_to_them(
    client, labelling
):
    """Hole: any accredited verifier could read every organisation's products."""
    c = labelling.certification
    product = f"/api/v1/products/{labelling.product_id}"
    footprint = f"/api/v1/products/footprints/{labelling.footprint['id']}"
    assert client.get(product, headers=c.verifier).status_code == 403
    assert client.get(footprint, headers=c.verifier).status_code == 403
    assert client.get("/api/v1/products", headers=c.verifier).json["total"] == 0
    application = c.apply_for_label(labelling.footprint["id"])
    c.ok(application["id"], "submit", c.operator)
    assert c.assign(application["id"]).status_code == 200
    assert client.get(product, headers=c.verifier).status_code == 200
    assert client.get(footprint, headers=c.verifier).status_code == 200
    assert client.get("/api/v1/products", headers=c.verifier).json["total"] == 1


def test_a_result_far_outside_the_published_range_carries_a_warning(client, labelling):
    c = labelling.certification
    heavy = post_footprint(client, c.operator, labelling.product_id, output_units=1000)
    check = heavy.json["category_check"]
    assert check["position"] == "above" and "far above" in check["warning"]
