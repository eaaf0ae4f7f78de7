"""A realistic certificate, and verification URLs shaped like the real ones."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from certify.pdf.certificate import CertificateContent, RetiredCreditsLine, render_certificate
from tests.certify.pdf.builders import SUBJECT_ZH, verification_url


@pytest.fixture
def content() -> CertificateContent:
    return CertificateContent(
        number="WLY-CN-2025-0007",
        subject_name_zh=SUBJECT_ZH,
        subject_name_en="Wulingyuan Scenic and Historic Interest Area",
        subject_kind="scenic_area",
        period_start=date(2024, 1, 1),
        period_end=date(2024, 12, 31),
        boundary_zh="景区管理处直接运营的游客中心、环保客运车队、索道与观光电梯、污水处理设施及"
        "办公场所；包括游客在景区内的交通排放。",
        boundary_en="Visitor centres, the eco-bus fleet, cableways and sightseeing lifts, "
        "wastewater treatment and offices operated by the Administration, including "
        "visitors' travel within the area.",
        scope1=Decimal("1234.5675"),
        scope2_location=Decimal("3456.789"),
        scope2_market=Decimal("2100.25"),
        scope3=Decimal("5678.9"),
        reductions_tco2e=Decimal("812.4"),
        credits=(
            RetiredCreditsLine(
                "Wulingyuan Carbon Registry",
                "Suoxiyu Afforestation 索溪峪造林碳汇",
                "CCER",
                2023,
                "WLY-SXY01-2023-000000001",
                "WLY-SXY01-2023-000006000",
                6000,
            ),
            RetiredCreditsLine(
                "Wulingyuan Carbon Registry",
                "Tianzi Mountain Forest Management 天子山森林经营碳汇",
                "CCER",
                2024,
                "WLY-TZS02-2024-000000101",
                "WLY-TZS02-2024-000003200",
                3100,
            ),
        ),
        guide_version=2,
        guide_title_zh="武陵源景区碳中和评价指南",
        guide_title_en="Wulingyuan Scenic Area Carbon Neutrality Guide",
        verifier_organisation="湖南省低碳认证中心 Hunan Low-Carbon Certification Centre",
        verifier_person="张伟 Zhang Wei",
        signature_kid="mG6Qm0v3Yc2pOq3d3aKJ2b7m3WkQf1yXoZr8nT4sVhE",
        signature_fingerprint="8ED9 D839 F70E 69D6",
        issued_on=date(2025, 2, 1),
        valid_until=date(2026, 1, 31),
        verification_url=verification_url(0),
    )


@pytest.fixture
def write_pdf(tmp_path: Path):
    """Write PDF bytes to a file of the test's own folder; its path."""

    def write(data: bytes, name: str = "out.pdf") -> Path:
        path = tmp_path / name
        path.write_bytes(data)
        return path

    return write


@pytest.fixture
def certificate_pdf(content: CertificateContent, write_pdf) -> Path:
    return write_pdf(render_certificate(content), "certificate.pdf")
