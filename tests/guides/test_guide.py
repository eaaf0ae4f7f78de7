"""The implementation guide as data: the shipped version, and malformed documents refused."""

from __future__ import annotations

import hashlib
from decimal import Decimal
from pathlib import Path

import pytest

from certify.core.eligibility import RULE_IDS
from guides.core import (
    SUBJECT_KINDS,
    VERSIONS_DIR,
    GuideError,
    load_guide,
    parse_guide,
    versions,
)

SHIPPED = (VERSIONS_DIR / "1.toml").read_bytes()


def mutated(old: str, new: str) -> bytes:
    text = SHIPPED.decode("utf-8")
    assert old in text, f"test is stale: {old!r} is not in the shipped guide"
    return text.replace(old, new, 1).encode("utf-8")


def test_the_shipped_guide_is_version_1_with_sections_criteria_and_standards():
    guide = load_guide(1)
    assert guide.version == 1
    assert guide.title_zh.startswith("碳中和景区实施指南")
    assert "Wulingyuan" in guide.issuer_en
    assert {s.id for s in guide.sections} >= {
        "scope",
        "quantification",
        "management",
        "reduction",
        "offsetting",
        "verification",
        "declaration",
        "renewal",
        "labels",
    }
    assert 20 <= len(guide.criteria) <= 40
    cited = " ".join(s.citation for s in guide.standards)
    for standard in (
        "ISO 14068-1:2023",
        "PAS 2060:2014",
        "大型活动碳中和实施指南",
        "ISO 14064-1:2018",
        "ISO 14064-3:2019",
        "Greenhouse Gas Protocol",
        "GB/T 24067-2024",
        "ISO 14067:2018",
    ):
        assert standard in cited


def test_the_latest_version_is_loaded_by_default():
    assert load_guide().version == versions()[-1]


def test_every_criterion_is_bilingual_and_cites_a_clause():
    for criterion in load_guide().criteria:
        assert criterion.requirement_zh and criterion.requirement_en, criterion.id
        assert criterion.evidence_zh and criterion.evidence_en, criterion.id
        assert criterion.clause, criterion.id


def test_every_automatic_criterion_names_a_rule_the_guide_declares():
    guide = load_guide()
    declared = {rule.id for rule in guide.rules}
    automatic = [c for c in guide.criteria if c.automatic]
    assert automatic
    for criterion in automatic:
        assert criterion.rule in declared, criterion.id


def test_the_offset_rules_the_guide_names_are_exactly_those_the_eligibility_code_runs():
    named = {c.rule for c in load_guide().criteria if c.rule and c.rule.startswith("offsets.")}
    assert named == set(RULE_IDS)


def test_judgement_criteria_name_no_rule():
    assert all(c.rule is None for c in load_guide().criteria if not c.automatic)


def test_product_labels_have_their_own_lighter_set_of_criteria():
    guide = load_guide()
    product = guide.criteria_for("product")
    assert {c.id for c in product} >= {"L-1", "L-2", "L-3", "L-4", "L-5"}
    assert not any(c.section == "offsetting" for c in product)
    assert len(product) < len(guide.criteria_for("scenic_area"))


def test_an_unknown_subject_kind_is_refused():
    with pytest.raises(ValueError, match="unknown subject kind"):
        load_guide().criteria_for("tourist")
    assert set(SUBJECT_KINDS) == {"scenic_area", "venue", "product"}


def test_offset_parameters_are_exact_decimals_and_whole_counts():
    policy = load_guide().offsets
    assert policy.coverage_margin == Decimal("0.05")
    assert policy.retirement_window_months == 12
    assert policy.vintage_window_years == 5
    assert policy.retirement_not_before_period_start is True
    assert {"CCER", "VCS", "GS", "WLY"} <= set(policy.eligible_standards)
    assert all(
        isinstance(v, Decimal) and v == Decimal("0.10") for v in policy.buffer_share.values()
    )
    assert set(policy.buffer_share) == set(policy.eligible_project_types)


def test_the_offsetting_text_states_the_figures_the_rules_use():
    guide = load_guide()
    policy = guide.offsets
    text = guide.section("offsetting").text_en
    percent = f"{(policy.coverage_margin * 100).normalize():f} %"
    assert percent in text
    assert f"{policy.vintage_window_years} years" in text
    assert f"{policy.retirement_window_months} months" in text
    for share in set(policy.buffer_share.values()):
        assert f"{(share * 100).normalize():f} %" in text


def test_the_checksum_is_the_sha256_of_the_document():
    assert load_guide(1).checksum == hashlib.sha256(SHIPPED).hexdigest()


def test_an_unpublished_version_is_refused():
    with pytest.raises(GuideError, match="no guide version 999"):
        load_guide(999)


def test_the_default_is_the_highest_numbered_file(tmp_path: Path):
    (tmp_path / "1.toml").write_bytes(SHIPPED)
    (tmp_path / "2.toml").write_bytes(mutated("version = 1\n", "version = 2\n"))
    (tmp_path / "notes.toml").write_text("ignored")
    assert load_guide(directory=tmp_path).version == 2
    assert load_guide(1, directory=tmp_path).version == 1


def test_a_file_declaring_another_version_than_its_name_is_refused(tmp_path: Path):
    (tmp_path / "3.toml").write_bytes(SHIPPED)
    with pytest.raises(GuideError, match="declares version 1"):
        load_guide(3, directory=tmp_path)


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ('id = "Q-2"', 'id = "Q-1"', "criterion Q-1: duplicate id"),
        ('id = "quantification"', 'id = "scope"', "section scope: duplicate id"),
        ('section = "reduction"', 'section = "nowhere"', "unknown section 'nowhere'"),
        ('rule = "offsets.coverage"\n', "", "O-9: an automatic criterion must name its rule"),
        ('rule = "offsets.coverage"', 'rule = "offsets.magic"', "unknown rule 'offsets.magic'"),
        (
            'check = "judgement"',
            'check = "judgement"\nrule = "offsets.coverage"',
            "a judgement criterion names no rule",
        ),
        ('check = "judgement"', 'check = "maybe"', "check: must be one of"),
        ('applies_to = ["product"]', 'applies_to = ["tourist"]', "not ['tourist']"),
        ('applies_to = ["product"]', "applies_to = []", "give one or more of"),
        ('coverage_margin = "0.05"', 'coverage_margin = "five percent"', "not a decimal number"),
        ('coverage_margin = "0.05"', "coverage_margin = 0.05", "decimal strings"),
        ('coverage_margin = "0.05"', 'coverage_margin = "-0.05"', "must not be negative"),
        ('coverage_margin = "0.05"', 'coverage_margin = "NaN"', "not finite"),
        (
            'bamboo = "0.10"',
            'bamboo = "1.5"',
            "buffer_share.bamboo: must be at least 0 and below 1",
        ),
        ("vintage_window_years = 5", 'vintage_window_years = "5"', "must be a whole number"),
        ("retirement_window_months = 12", "retirement_window_months = -1", "at least 0"),
        (
            "retirement_not_before_period_start = true",
            "retirement_not_before_period_start = 1",
            "true or false",
        ),
        (
            'eligible_standards = ["CCER", "VCS", "GS", "WLY"]',
            'eligible_standards = ["CCER", "CCER"]',
            "lists an entry twice",
        ),
        ("published = 2026-11-24", 'published = "yesterday"', "must be a date"),
        ("version = 1\n", "version = 0\n", "guide.version: must be at least 1"),
        ('id = "offsets.some_retired"', 'id = "Offsets.Some_Retired"', "rule ids look like"),
        (
            "eligible_regions = []",
            "eligible_region = []",
            "offsets: unknown key(s) eligible_region",
        ),
        ('rule = "offsets.coverage"', 'rules = "offsets.coverage"', "unknown key(s) rules"),
        ("coverage_margin = ", "# coverage_margin = ", "offsets: missing 'coverage_margin'"),
        ("[certification]\n", "[certificationz]\n", "document: missing 'certification'"),
    ],
)
def test_a_malformed_guide_is_refused_with_the_reason(old: str, new: str, reason: str):
    with pytest.raises(GuideError) as refused:
        parse_guide(mutated(old, new))
    assert reason in str(refused.value)


def test_a_declared_rule_no_criterion_uses_is_refused():
    extra = (
        '[[rules]]\nid = "inventory.unused"\ntitle_zh = "未用"\ntitle_en = "Unused"\n'
        'description_zh = "未用"\ndescription_en = "Unused"\n\n'
    )
    document = mutated("[[rules]]\n", extra + "[[rules]]\n")
    with pytest.raises(GuideError, match=r"rules named by no criterion: inventory\.unused"):
        parse_guide(document)


def test_an_empty_requirement_is_refused():
    with pytest.raises(GuideError, match=r"criterion L-1\.requirement_zh: must be non-empty"):
        parse_guide(
            mutated('requirement_zh = "说明功能单位和系统边界', 'requirement_zh = "  "  # "')
        )


@pytest.mark.parametrize("document", [b"\xff\xfe", b"[guide", b"version = 1"])
def test_a_document_that_is_not_a_guide_is_refused(document: bytes):
    with pytest.raises(GuideError, match=r"not a TOML document|missing 'guide'"):
        parse_guide(document)


def test_margin_from_uncertainty_is_true_or_false():
    document = SHIPPED.replace(
        b'coverage_margin = "0.05"', b'coverage_margin = "0.05"\nmargin_from_uncertainty = "yes"'
    )
    with pytest.raises(GuideError, match="margin_from_uncertainty: must be true or false"):
        parse_guide(document)
