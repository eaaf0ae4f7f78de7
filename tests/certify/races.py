"""Races for one range of credits: the contenders' overlapping ranges, and the check that
exactly one of them retired it (threads, processes, two app nodes)."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import func, select

from certify.models.registry import CreditBlock, LedgerEvent, Retirement
from certify.services import ledger
from footprint.platform.db import db
from tests.certify.builders import serial


def overlapping(i: int) -> dict[str, str]:
    """Ranges [1+i, 20+i]: every two of them share serials 8..20."""
    return {
        "serial_start": serial(1 + i),
        "serial_end": serial(20 + i),
        "beneficiary": f"Claim {i}",
        "purpose": "race",
    }


def assert_exactly_one_won(app: Flask, statuses: list[int]) -> None:
    assert sorted(statuses) == [201] + [409] * (len(statuses) - 1), statuses
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Retirement)) == 1
        assert (
            db.session.scalar(
                select(func.count()).select_from(LedgerEvent).where(LedgerEvent.kind == "retire")
            )
            == 1
        )
        retired = db.session.scalar(
            select(func.sum(CreditBlock.number_end - CreditBlock.number_start + 1)).where(
                CreditBlock.status == "retired"
            )
        )
        assert retired == 20
        assert ledger.check() == []
