"""The signed status list (`GET /api/v1/status-list`) and checking a certificate offline
with it: what the QR states, whether it was revoked, and how old the list is."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from certify import offline
from certify.core import status_list
from certify.core.signing import verify_detached, verifying_key_from_jwk
from footprint.platform.db import db

LIST = "/api/v1/status-list"


def listed_status(client, certificate) -> str | None:
    return status_list.status(
        client.get(LIST).json["content"], kind="certificate", index=certificate["id"]
    )


@pytest.fixture
def saved(client, tmp_path):
    """Saves the key set and the list as they are now; returns their paths."""

    def save() -> tuple[str, str]:
        keys, listed = tmp_path / "keys.json", tmp_path / f"list-{len(list(tmp_path.iterdir()))}"
        keys.write_text(json.dumps(client.get("/api/v1/keys").json), encoding="utf-8")
        listed.write_text(json.dumps(client.get(LIST).json), encoding="utf-8")
        return str(keys), str(listed)

    return save


def read(path: str) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def check_offline(capsys, certificate, keys: str, listed: str | None) -> tuple[int, dict]:
    argv = [certificate["token"], "--jwks", keys, *(["--status-list", listed] if listed else [])]
    code = offline.main(argv)
    return code, json.loads(capsys.readouterr().out)


def test_the_list_is_public_cacheable_and_signed_by_the_districts_published_key(client):
    response = client.get(LIST)
    assert response.status_code == 200 and "max-age=300" in response.headers["Cache-Control"]
    published = [verifying_key_from_jwk(k) for k in client.get("/api/v1/keys").json["keys"]]
    assert verify_detached(response.json["content"], response.json["signature"], published)
    content = response.json["content"]
    assert content["type"] == "BitstringStatusList" and set(content["lists"]) == {
        "certificate",
        "label",
    }
    issued = datetime.fromisoformat(content["issued_at"])
    assert datetime.fromisoformat(content["valid_until"]) - issued == timedelta(hours=24)


def test_suspending_and_revoking_set_the_certificates_bit(
    client, certification, issued, certificate
):
    assert listed_status(client, certificate) is None
    certification.ok(issued["id"], "suspend", certification.admin, reason="Complaint.")
    assert listed_status(client, certificate) == "suspended"
    certification.ok(issued["id"], "revoke", certification.admin, reason="Double counting.")
    assert listed_status(client, certificate) == "revoked"


def test_a_state_changed_behind_the_services_back_does_not_reach_the_list(
    app, client, issued, certificate
):
    with app.app_context():
        db.session.execute(
            text("UPDATE applications SET state = 'revoked' WHERE id = :id"), {"id": issued["id"]}
        )
        db.session.commit()
    assert listed_status(client, certificate) is None


def test_offline_the_qr_shows_what_the_certificate_states_and_the_list_its_status(
    client, certificate, saved, capsys
):
    keys, listed = saved()
    code, verdict = check_offline(capsys, certificate, keys, listed)
    assert code == 0 and verdict["status"] == "valid"
    facts = verdict["facts"]
    assert facts["number"] == certificate["number"]
    assert facts["subject"] == "Wulingyuan Scenic Area 武陵源风景名胜区"
    assert facts["credits_tco2e"] == "60" and facts["valid_until"] == certificate["valid_until"]
    assert {"total_tco2e", "net_tco2e", "period_start", "period_end"} <= set(facts)
    assert verdict["status_list"]["signature"] == "valid"
    assert verdict["status_list"]["stale"] is False
    assert verdict["status_list"]["age"].endswith("min")


def test_offline_a_revocation_shows_once_the_list_is_fetched_again(
    client, certification, issued, certificate, saved, capsys
):
    keys, before = saved()
    certification.ok(issued["id"], "revoke", certification.admin, reason="Double counting.")
    _, after = saved()
    assert check_offline(capsys, certificate, keys, before)[1]["status"] == "valid"
    code, verdict = check_offline(capsys, certificate, keys, after)
    assert code == 1 and verdict["status"] == "revoked"


def test_offline_an_old_list_says_how_old_and_that_it_is_stale(client, certificate, saved):
    keys, listed = saved()
    later = datetime.now(UTC) + timedelta(days=2, hours=3)
    verdict = offline.verify(
        certificate["token"],
        read(keys),
        read(listed),
        now=later,
    )
    assert verdict["status_list"]["stale"] is True
    assert verdict["status_list"]["age"].startswith("2 d 3 h")


def test_offline_a_forged_list_is_not_believed(client, certificate, saved, capsys, tmp_path):
    keys, listed = saved()
    forged = read(listed)
    forged["content"]["valid_until"] = "2099-01-01T00:00:00+00:00"  # to be trusted for long
    path = tmp_path / "forged.json"
    path.write_text(json.dumps(forged), encoding="utf-8")
    code, verdict = check_offline(capsys, certificate, keys, str(path))
    assert code == 1 and verdict["status"] == "unknown offline"
    assert verdict["status_list"]["signature"] == "invalid"


def test_offline_an_unreadable_list_is_said_so(certificate, saved, tmp_path, capsys):
    keys, _ = saved()
    broken = tmp_path / "broken.json"
    broken.write_text('{"content": {"lists": 1}, "signature": {}}', encoding="utf-8")
    assert offline.main([certificate["token"], "--jwks", keys, "--status-list", str(broken)]) == 1
    broken.write_text("not json", encoding="utf-8")
    assert offline.main([certificate["token"], "--jwks", keys, "--status-list", str(broken)]) == 2
    assert "cannot read the list" in capsys.readouterr().err
