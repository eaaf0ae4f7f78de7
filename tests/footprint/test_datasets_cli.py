"""`flask factors load/publish/list`: a published dataset version never changes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from footprint.core.datasets import parse_dataset
from footprint.models import FactorRecord, PublishedFactorError
from footprint.platform.db import db
from footprint.services import datasets
from tests.database import BUNDLED


def invoke(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_reloading_the_published_bundled_dataset_changes_nothing(app):
    result = invoke(app, "factors", "load", "--publish")
    assert result.exit_code == 0, result.output
    assert "CN-2024: unchanged" in result.output


def test_a_changed_document_under_a_published_code_is_refused(app, tmp_path):
    changed = tmp_path / "cn.toml"
    changed.write_bytes(BUNDLED.read_bytes().replace(b'value = "53.5"', b'value = "60"'))
    result = invoke(app, "factors", "load", str(changed))
    assert result.exit_code != 0
    assert "cannot change" in result.output


def test_a_new_version_is_loaded_as_a_draft_and_published_on_demand(app, client, tmp_path):
    new = tmp_path / "cn2025.toml"
    new.write_bytes(BUNDLED.read_bytes().replace(b'code = "CN-2024"', b'code = "CN-2030"'))
    assert "CN-2030: created" in invoke(app, "factors", "load", str(new)).output
    trip = {"dataset": "CN-2030", "transport": [{"mode": "rail", "distance_km": 1}]}
    assert client.post("/api/v1/footprints/trips", json=trip).status_code == 422
    assert "published" in invoke(app, "factors", "publish", "CN-2030").output
    assert client.post("/api/v1/footprints/trips", json=trip).status_code == 200
    assert "CN-2030\tpublished" in invoke(app, "factors", "list").output


def test_a_published_factor_cannot_be_edited_or_deleted(app):
    with app.app_context():
        factor = db.session.scalars(select(FactorRecord).limit(1)).one()
        factor.value = factor.value + 1
        with pytest.raises(PublishedFactorError):
            db.session.flush()
        db.session.rollback()
        db.session.delete(db.session.scalars(select(FactorRecord).limit(1)).one())
        with pytest.raises(PublishedFactorError):
            db.session.flush()
        db.session.rollback()


# --- a dataset that extends another (CN-2024-P extends CN-2024) ---------------------

PRODUCTS = BUNDLED.with_name("CN-2024-P.toml")


def _versions(tmp_path, parent_value=b'value = "53.5"'):
    """CN-2030 (a copy of CN-2024) and CN-2030-P extending it, child first on purpose."""
    parent, child = tmp_path / "cn2025.toml", tmp_path / "cn2025p.toml"
    parent.write_bytes(
        BUNDLED.read_bytes()
        .replace(b'code = "CN-2024"', b'code = "CN-2030"')
        .replace(b'value = "53.5"', parent_value)
    )
    child.write_bytes(
        PRODUCTS.read_bytes()
        .replace(b'code = "CN-2024-P"', b'code = "CN-2030-P"')
        .replace(b'extends = "CN-2024"', b'extends = "CN-2030"')
    )
    return parent, child


def test_the_bundled_datasets_reload_parent_first_and_unchanged(app):
    output = invoke(app, "factors", "load", "--publish").output
    assert "CN-2024: unchanged" in output and "CN-2024-P: unchanged" in output
    assert output.index("CN-2024: unchanged") < output.index("CN-2024-P: unchanged")
    assert "product-categories" not in output


def test_the_extension_is_listed_with_its_parent(app):
    output = invoke(app, "factors", "list").output
    assert "CN-2024-P\tpublished" in output and "extends CN-2024" in output
    line = next(x for x in output.splitlines() if x.startswith("CN-2024-P\t"))
    with app.app_context():
        total = len(datasets.published("CN-2024-P").factors)
    assert f"\t{total} factors\t" in line
    assert total > len(parse_dataset(BUNDLED.read_bytes()).factors)


def test_trips_keep_cn2024_and_products_find_the_extension(app, client):
    trip = {"transport": [{"mode": "rail", "distance_km": 1}]}
    assert client.post("/api/v1/footprints/trips", json=trip).json["dataset"] == "CN-2024"
    with app.app_context():
        assert datasets.default_code() == "CN-2024"
        assert datasets.default_code("fertiliser") == "CN-2024-P"
        assert datasets.published("CN-2024-P").get("fuel", "diesel") == datasets.published(
            "CN-2024"
        ).get("fuel", "diesel")


def test_an_extension_needs_its_parent_loaded_first(app, tmp_path):
    _, child = _versions(tmp_path)
    result = invoke(app, "factors", "load", str(child))
    assert result.exit_code != 0
    assert "extends CN-2030, which is not loaded: load CN-2030 first" in result.output


def test_paths_are_loaded_parent_first_and_published_in_that_order(app, client, tmp_path):
    parent, child = _versions(tmp_path)
    output = invoke(app, "factors", "load", str(child), str(parent)).output
    assert output.index("CN-2030: created") < output.index("CN-2030-P: created")
    refused = invoke(app, "factors", "publish", "CN-2030-P")
    assert refused.exit_code != 0 and "publish CN-2030 first" in refused.output
    assert "published" in invoke(app, "factors", "publish", "CN-2030").output
    assert "published" in invoke(app, "factors", "publish", "CN-2030-P").output
    trip = {"transport": [{"mode": "rail", "distance_km": 1}]}
    with app.app_context():
        datasets.clear_caches()
        assert datasets.default_code() == "CN-2030"  # the newest base, not its extension
    assert client.post("/api/v1/footprints/trips", json=trip).json["dataset"] == "CN-2030"


def test_an_extension_is_published_only_against_the_parent_it_was_loaded_with(app, tmp_path):
    parent, child = _versions(tmp_path)
    assert invoke(app, "factors", "load", str(parent), str(child)).exit_code == 0
    (tmp_path / "v2").mkdir()
    changed, _ = _versions(tmp_path / "v2", parent_value=b'value = "60"')
    assert "CN-2030: replaced" in invoke(app, "factors", "load", str(changed)).output
    invoke(app, "factors", "publish", "CN-2030")
    refused = invoke(app, "factors", "publish", "CN-2030-P")
    assert refused.exit_code != 0 and "load CN-2030-P again" in refused.output
    assert (
        "CN-2030-P: replaced and published"
        in invoke(app, "factors", "load", "--publish", str(child)).output
    )
    with app.app_context():
        assert datasets.published("CN-2030-P").get("lodging", "hotel").value == 60


def test_loading_an_extension_with_publish_needs_a_published_parent(app, tmp_path):
    parent, child = _versions(tmp_path)
    invoke(app, "factors", "load", str(parent))
    result = invoke(app, "factors", "load", "--publish", str(child))
    assert result.exit_code != 0 and "publish CN-2030 first" in result.output


def test_a_changed_extension_under_its_published_code_is_refused(app, tmp_path):
    changed = tmp_path / "p.toml"
    changed.write_bytes(PRODUCTS.read_bytes().replace(b'value = "2.041"', b'value = "2.5"'))
    result = invoke(app, "factors", "load", str(changed))
    assert result.exit_code != 0 and "cannot change" in result.output


def test_a_document_that_is_not_toml_is_named(app, tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_bytes(b"[[[")
    result = invoke(app, "factors", "load", str(broken))
    assert result.exit_code != 0 and "broken.toml" in result.output
