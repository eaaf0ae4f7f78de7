"""Your API tokens: listed by hint only, created (shown once), revoked at once."""


def test_a_user_lists_creates_and_revokes_their_own_tokens(client, auth):
    headers = auth("operator", "Token Hotel")
    listed = client.get("/api/v1/tokens", headers=headers).json
    assert len(listed) == 1 and "token" not in listed[0] and listed[0]["revoked_at"] is None
    created = client.post("/api/v1/tokens", headers=headers)
    assert created.status_code == 201
    second = {"Authorization": f"Bearer {created.json['token']}"}
    assert created.json["token"].startswith(created.json["hint"])
    assert client.get("/api/v1/venues", headers=second).status_code == 200
    revoked = client.delete(f"/api/v1/tokens/{created.json['id']}", headers=headers)
    assert revoked.status_code == 200 and revoked.json["revoked_at"]
    assert client.get("/api/v1/venues", headers=second).status_code == 401
    assert len(client.get("/api/v1/tokens", headers=headers).json) == 2


def test_nobody_revokes_someone_elses_token(client, auth):
    mine = auth("operator", "Token Hotel")
    theirs = auth("operator", "Other Hotel")
    their_id = client.get("/api/v1/tokens", headers=theirs).json[0]["id"]
    assert client.delete(f"/api/v1/tokens/{their_id}", headers=mine).status_code == 404
    assert client.get("/api/v1/venues", headers=theirs).status_code == 200
    assert client.get("/api/v1/tokens").status_code == 401
