"""`flask factors load/publish/list`: a published dataset version never changes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from footprint.models import FactorRecord, PublishedFactorError
from footprint.service.db import db
from tests.conftest import BUNDLED


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
    new.write_bytes(BUNDLED.read_bytes().replace(b'code = "CN-2024"', b'code = "CN-2025"'))
    assert "CN-2025: created" in invoke(app, "factors", "load", str(new)).output
    trip = {"dataset": "CN-2025", "transport": [{"mode": "rail", "distance_km": 1}]}
    assert client.post("/api/v1/footprints/trips", json=trip).status_code == 422
    assert "published" in invoke(app, "factors", "publish", "CN-2025").output
    assert client.post("/api/v1/footprints/trips", json=trip).status_code == 200
    assert "CN-2025\tpublished" in invoke(app, "factors", "list").output


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
