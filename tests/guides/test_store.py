"""Where guide versions come from: the bundled files first, then the versions the district
published (stored, so every app node reads them); a published number never changes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from footprint.accounts.models import Role
from footprint.accounts.users import create_user
from footprint.platform.problems import Problem
from guides import core, store
from guides.core import GuideError
from tests.guides.builders import later_version


@pytest.fixture
def admin(app_context):
    user, _ = create_user("district@example.com", role=Role.ADMIN, organisation_name="District")
    return user


def test_before_any_is_published_the_bundled_versions_are_all(app_context):
    assert store.versions() == core.versions() == (1,)
    assert store.load_guide() is core.load_guide(1)


def test_a_published_version_is_the_latest_and_read_back_whole(admin):
    record = store.publish(admin, document=later_version())
    assert (record.version, record.published_by_id) == (2, admin.id)
    assert store.versions() == (1, 2)
    guide = store.load_guide()
    assert guide.version == 2 and guide.criterion("O-11") is not None
    assert guide.checksum == record.checksum
    assert store.load_guide(1).criterion("O-11") is None


def test_an_unknown_version_is_a_guide_error_as_for_the_files(app_context):
    with pytest.raises(GuideError, match="no guide version 5; published: 1"):
        store.load_guide(5)


def test_a_published_number_is_refused_and_the_next_must_follow_the_latest(admin):
    with pytest.raises(Problem, match="guide version 1 is already published") as refused:
        store.candidate(later_version(1))
    assert refused.value.status == 409
    with pytest.raises(Problem, match="the next guide version is 2, not 3"):
        store.candidate(later_version(3))
    store.publish(admin, document=later_version())
    with pytest.raises(Problem, match="guide version 2 is already published"):
        store.publish(admin, document=later_version(coverage_margin="0.10"))
    assert store.candidate(later_version(3)).version == 3


def test_a_malformed_document_is_refused_naming_the_document(app_context):
    with pytest.raises(Problem) as refused:
        store.candidate(b"[guide]\nversion = 2\n")
    assert refused.value.status == 422
    assert list(refused.value.errors) == ["document"]


PROPOSED = core.VERSIONS_DIR.parent / "proposed" / "2.toml"


def test_the_proposed_second_version_publishes_and_sets_the_margin_from_the_uncertainty(admin):
    record = store.publish(admin, document=PROPOSED.read_bytes())
    guide = store.load_guide()
    assert record.version == guide.version == 2
    assert guide.offsets.margin_from_uncertainty and guide.offsets.coverage_margin == Decimal(
        "0.05"
    )
    assert not store.load_guide(1).offsets.margin_from_uncertainty
    assert "whichever is larger" in guide.section("offsetting").text_en
    assert "covers the inventory's uncertainty" not in guide.section("offsetting").text_en
