"""Builders of guide tests: the shipped version 1 rewritten as a later version."""

from __future__ import annotations

from guides.core import VERSIONS_DIR

SHIPPED = (VERSIONS_DIR / "1.toml").read_text(encoding="utf-8")
NEW_CRITERION = """
[[criteria]]
id = "O-11"
section = "offsetting"
requirement_zh = "抵消报告注明所依据的指南版本。"
requirement_en = "The offset report names the guide version it was checked under."
evidence_zh = "抵消报告。"
evidence_en = "The offset report."
clause = "ISO 14068-1:2023 (reporting)"
applies_to = ["scenic_area", "venue"]
check = "judgement"
"""


def rewritten(text: str, *changes: tuple[str, str]) -> str:
    for old, new in changes:
        assert old in text, f"test is stale: {old!r} is not in the shipped guide"
        text = text.replace(old, new, 1)
    return text


def later_version(number: int = 2, *, coverage_margin: str = "0.08") -> bytes:
    """Version ``number``: one criterion added (O-11), one changed (L-5's evidence), a
    wider coverage margin and a shorter vintage window."""
    text = rewritten(
        SHIPPED,
        ("version = 1", f"version = {number}"),
        ("（第1版）", f"（第{number}版）"),
        ("(version 1)", f"(version {number})"),
        ("published = 2026-11-24", "published = 2026-12-01"),
        ('coverage_margin = "0.05"', f'coverage_margin = "{coverage_margin}"'),
        ("vintage_window_years = 5", "vintage_window_years = 4"),
        (
            "The verification conclusion and the label proof.",
            "The verification conclusion and the printed label.",
        ),
        ("\n[offsets]", NEW_CRITERION + "\n[offsets]"),
    )
    return text.encode("utf-8")
