"""Builders of certification tests: the registry's project and serials, a scenic area with
its inventory, applications and statements, users, a tea product's footprint study."""

from __future__ import annotations

from datetime import date

from footprint.accounts.models import Role
from footprint.accounts.users import create_user

HOLDER = "Wulingyuan Scenic Area Administration"


PROJECT = {
    "name": "Suoxiyu Afforestation 索溪峪造林碳汇",
    "standard": "CCER",
    "methodology": "CCER-14-001-V01",
    "project_type": "afforestation",
    "region": "CN-HN-Wulingyuan",
    "code": "SXY01",
    "area_ha": 1200,
    "crediting_start": "2020-01-01",
    "crediting_end": "2039-12-31",
}


FOREST = {
    "name": "Forest",
    "standard": "WLY",
    "methodology": "M",
    "project_type": "afforestation",
    "region": "CN-HN",
}
"""A bare forest project, for databases built by hand (the migration tests)."""


def serial(number: int, vintage: int = 2023) -> str:
    return f"WLY-SXY01-{vintage}-{number:09d}"


OPERATOR_ORG = "Wulingyuan Scenic Area Administration"


VERIFIER_ORG = "Hunan Carbon Verification Centre"


DISTRICT = "Wulingyuan District Carbon Office"


SCENIC_AREA = {
    "name": "Wulingyuan Scenic Area 武陵源风景名胜区",
    "kind": "scenic_area",
    "region": "CN-HN-Wulingyuan",
}


LAST_YEAR = date.today().year - 1
"""Periods are last year's, so that retiring credits today falls in the guide's window."""


def inventory_body(year: int = LAST_YEAR, electricity_mwh: int = 50) -> dict:
    return {
        "period_start": f"{year}-01-01",
        "period_end": f"{year}-12-31",
        "scope3_categories": [5],
        "metrics": {"visitors": 100000},
        "lines": [
            {"kind": "grid_electricity", "quantity": electricity_mwh, "unit": "MWh"},
            {"kind": "fuel", "key": "diesel", "quantity": 2, "unit": "t"},
            {"kind": "waste", "key": "landfill", "quantity": 10, "unit": "t"},
        ],
    }


def application_body(inventory_id: int, retirement_ids: list[int]) -> dict:
    return {
        "inventory_id": inventory_id,
        "retirement_ids": retirement_ids,
        "boundary": {
            "zh": "武陵源核心景区，含游客中心、环保车与景区管理用房。",
            "en": "The Wulingyuan core scenic area: visitor centres, shuttle buses "
            "and the administration's buildings.",
            "sources": ["fuel"],
            "exclusions": [],
        },
        "management_plan": {
            "baseline": {"period_start": "2019-01-01", "period_end": "2019-12-31", "tco2e": 120},
            "targets": [{"year": 2030, "metric": "visitors", "reduction_percent": 40}],
            "measures": [
                {
                    "title": "Electric shuttle buses 环保车电动化",
                    "responsible": "Transport department",
                    "due": "2027-06-30",
                }
            ],
            "offset_strategy": "Wulingyuan forest-sink credits 林业碳汇",
            "publication": "Published on the scenic area's website every year.",
            "intensity_metric": "visitors",
        },
    }


PDF_FILE = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
"""A file of evidence: the first bytes of a PDF are all that is checked."""

STATEMENT = {
    "assurance_level": "limited",
    "conclusion": "Nothing came to our attention that the statement is materially "
    "misstated. 未发现实质性错报。",
}


def make_user(app, role: str, organisation: str, email: str) -> dict[str, str]:
    with app.app_context():
        _, token = create_user(email, role=Role(role), organisation_name=organisation)
    return {"Authorization": f"Bearer {token}"}


TEA = {
    "name_zh": "张家界莓茶",
    "name_en": "Zhangjiajie Vine Tea",
    "category": "tea",
    "functional_unit_zh": "每袋（250克）",
    "functional_unit_en": "per 250 g pack",
    "unit_mass_kg": 0.25,
}


def tea_footprint_body(**changes: object) -> dict:
    """10,000 packs of 250 g, cradle to gate: 31.3 t CO2e, 3.13 kg a pack, 12.5 kg/kg."""
    return {
        "dataset": "CN-2024-P",
        "boundary": "cradle_to_gate",
        "output_units": 10000,
        "period_start": f"{LAST_YEAR}-01-01",
        "period_end": f"{LAST_YEAR}-12-31",
        "lines": [
            {
                "stage": "raw_material",
                "factor": "fertiliser.urea",
                "quantity": 1500,
                "unit": "kg",
                "data_quality": "measured",
            },
            {
                "stage": "raw_material",
                "factor": "field.n2o_synthetic_n",
                "quantity": 690,
                "unit": "kg",
                "data_quality": "calculated",
            },
            {
                "stage": "processing",
                "factor": "electricity.grid_cn",
                "quantity": 30,
                "unit": "MWh",
                "data_quality": "measured",
            },
            {
                "stage": "processing",
                "factor": "fuel.lpg",
                "quantity": 1,
                "unit": "t",
                "data_quality": "measured",
            },
            {
                "stage": "packaging",
                "factor": "electricity.grid_cn",
                "quantity": 2000,
                "unit": "kWh",
                "data_quality": "estimated",
            },
            {
                "stage": "packaging",
                "factor": "packaging.kraft_paper",
                "quantity": 100,
                "unit": "kg",
                "data_quality": "measured",
            },
        ],
        **changes,
    }
