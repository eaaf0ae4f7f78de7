"""Registry fixtures: an admin, a holder with an issuance of forest-sink credits."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

HOLDER = "Wulingyuan Scenic Area Administration"
PROJECT = {"name": "Suoxiyu Afforestation 索溪峪造林碳汇", "standard": "CCER",
           "methodology": "CCER-14-001-V01", "project_type": "afforestation",
           "region": "CN-HN-Wulingyuan", "code": "SXY01", "area_ha": 1200,
           "crediting_start": "2020-01-01", "crediting_end": "2039-12-31"}


@dataclass
class Registry:
    admin: dict[str, str]
    holder: dict[str, str]
    project_id: int
    issuance: dict


@pytest.fixture
def registry(client, auth) -> Registry:
    admin = auth("admin", "Wulingyuan District Carbon Office")
    holder = auth("operator", HOLDER)
    project = client.post("/api/v1/registry/projects", json=PROJECT, headers=admin)
    assert project.status_code == 201, project.json
    issuance = client.post("/api/v1/registry/issuances", headers=admin, json={
        "project_id": project.json["id"], "vintage": 2023, "quantity": 100,
        "holder_org": HOLDER})
    assert issuance.status_code == 201, issuance.json
    return Registry(admin, holder, project.json["id"], issuance.json)


def serial(number: int, vintage: int = 2023) -> str:
    return f"WLY-SXY01-{vintage}-{number:09d}"
