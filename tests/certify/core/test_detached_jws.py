"""Detached JWS: what a verifier signs elsewhere, and how the service checks it."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from certify.core.signing import (
    InvalidJwk,
    InvalidJws,
    VerifyingKey,
    b64url_decode,
    b64url_encode,
    generate_key,
    jws_record,
    prepare,
    public_key_from_jwk,
    sign_detached,
    sign_signing_input,
    thumbprint,
    verify_detached_jws,
    verify_sign_off,
)

CONTENT = {"content": {"total": "12.5"}, "signed_at": "2026-01-01T00:00:00Z"}


def signer() -> tuple[Ed25519PrivateKey, VerifyingKey]:
    private = Ed25519PrivateKey.generate()
    kid = thumbprint(private.public_key())
    return private, VerifyingKey(kid, private.public_key(), datetime(2026, 1, 1, tzinfo=UTC))


def test_the_signing_input_is_the_canonical_header_and_payload():
    prepared = prepare(CONTENT, kid="abc")
    assert json.loads(b64url_decode(prepared.protected)) == {"alg": "EdDSA", "kid": "abc"}
    assert b64url_decode(prepared.protected) == b'{"alg":"EdDSA","kid":"abc"}'
    assert prepared.signing_input == f"{prepared.protected}.{prepared.payload}"
    assert b64url_decode(prepared.payload).startswith(b'{"content":{"total":"12.5"}')


def test_a_detached_jws_by_the_key_verifies():
    private, key = signer()
    jws = sign_signing_input(prepare(CONTENT, kid=key.kid).signing_input, private)
    assert jws.split(".")[1] == ""
    assert verify_detached_jws(CONTENT, jws, [key]) == key.kid
    assert verify_sign_off(CONTENT, jws_record(CONTENT, jws, kid=key.kid), [key])


def test_a_signature_by_another_key_is_refused():
    _, key = signer()
    other, _ = signer()
    jws = sign_signing_input(prepare(CONTENT, kid=key.kid).signing_input, other)
    with pytest.raises(InvalidJws, match="does not verify"):
        verify_detached_jws(CONTENT, jws, [key])


def test_a_signature_over_other_content_is_refused():
    private, key = signer()
    jws = sign_signing_input(prepare(CONTENT, kid=key.kid).signing_input, private)
    moved = {**CONTENT, "content": {"total": "12.6"}}
    with pytest.raises(InvalidJws):
        verify_detached_jws(moved, jws, [key])
    assert not verify_sign_off(moved, jws_record(CONTENT, jws, kid=key.kid), [key])


@pytest.mark.parametrize(
    "header",
    [
        {"alg": "none", "kid": "k"},
        {"alg": "EdDSA", "kid": "k", "typ": "JWT"},
        {"kid": "k", "alg": "EdDSA"},
    ],
)
def test_a_header_other_than_the_canonical_eddsa_one_is_refused(header):
    private, key = signer()
    protected = b64url_encode(json.dumps(header, separators=(",", ":")).encode())
    payload = prepare(CONTENT, kid=key.kid).payload
    jws = sign_signing_input(f"{protected}.{payload}", private)
    with pytest.raises(InvalidJws):
        verify_detached_jws(CONTENT, jws, [key])


def test_an_attached_or_malformed_jws_is_refused():
    private, key = signer()
    prepared = prepare(CONTENT, kid=key.kid)
    attached = sign_signing_input(prepared.signing_input, private).replace(
        "..", f".{prepared.payload}."
    )
    for jws in (attached, "a.b", "", "..", None):
        with pytest.raises(InvalidJws):
            verify_detached_jws(CONTENT, jws, [key])


def test_documents_signed_with_a_server_held_key_keep_verifying():
    key = generate_key(now=datetime(2025, 1, 1, tzinfo=UTC))
    record = sign_detached(CONTENT, key)
    assert verify_sign_off(CONTENT, record, [key.verifying_key])
    assert not verify_sign_off({**CONTENT, "signed_at": "x"}, record, [key.verifying_key])


def test_a_jwk_with_a_private_part_is_refused():
    private, _ = signer()
    jwk = {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": b64url_encode(private.public_key().public_bytes_raw()),
    }
    assert public_key_from_jwk(jwk).public_bytes_raw() == private.public_key().public_bytes_raw()
    with pytest.raises(InvalidJwk) as refused:
        public_key_from_jwk({**jwk, "d": "secret"})
    assert refused.value.member == "d"
    for member, wrong in (("kty", "EC"), ("crv", "X25519"), ("x", b64url_encode(b"short"))):
        with pytest.raises(InvalidJwk) as refused:
            public_key_from_jwk({**jwk, member: wrong})
        assert refused.value.member == member
