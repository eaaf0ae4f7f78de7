"""Canonical JSON, keys, JWS tokens and detached signatures: vectors, attacks, properties."""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import hmac
import json
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from certify.core.signing import (
    EPOCH,
    MAX_SAFE_INTEGER,
    MAX_TOKEN_LENGTH,
    DocumentToken,
    InvalidToken,
    SigningKey,
    VerifyingKey,
    b64url_decode,
    b64url_encode,
    canonical_json,
    document_token,
    fingerprint,
    generate_key,
    jwks,
    key_set,
    public_jwk,
    read_document_token,
    sign_detached,
    sign_token,
    thumbprint,
    verify_detached,
    verify_token,
    verifying_key_from_jwk,
)

T0 = datetime(2024, 11, 1, tzinfo=UTC)
NOW = datetime(2024, 11, 24, 8, 30, tzinfo=UTC)
KEY = generate_key(now=T0)
OTHER = generate_key(now=T0)
KEYS = [KEY.verifying_key]
PAYLOAD = {"k": "c", "id": 123, "iat": 1732400000}

# RFC 8037, appendix A: an Ed25519 key, its JWK thumbprint and an EdDSA signature.
RFC_D = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"
RFC_X = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
RFC_THUMBPRINT = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
RFC_JWS = (
    "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7"
    "-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg"
)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forge(header: bytes, payload: bytes, key: SigningKey = KEY) -> str:
    """A token from raw header and payload bytes, properly signed, canonical or not."""
    signing_input = f"{b64(header)}.{b64(payload)}"
    return f"{signing_input}.{b64(key.private_key.sign(signing_input.encode()))}"


def header_of(key: SigningKey = KEY) -> bytes:
    """The header of tokens made before short kids (still read)."""
    return b'{"alg":"EdDSA","kid":"%s","typ":"JWT"}' % key.kid.encode()


def short_header_of(key: SigningKey = KEY) -> bytes:
    """The header of tokens made now: the key's first 8 kid characters, no typ."""
    return b'{"alg":"EdDSA","kid":"%s"}' % key.kid[:8].encode()


# --- canonical JSON ------------------------------------------------------------------


def test_canonical_json_sorts_keys_and_drops_whitespace():
    assert canonical_json({"b": 1, "a": [True, False, None], "c": {"z": "", "y": -0}}) == (
        b'{"a":[true,false,null],"b":1,"c":{"y":0,"z":""}}'
    )


def test_canonical_json_sorts_keys_by_utf16_code_units_as_rfc_8785_does():
    # RFC 8785 §3.2.3: the emoji (a surrogate pair, D83D) sorts before U+FB33 in UTF-16,
    # though after it by code point.
    names = ["\u20ac", "\r", "\ufb33", "1", "\U0001f600", "\u0080", "\u00f6"]
    value = {name: 0 for name in names}
    keys = list(json.loads(canonical_json(value)))
    assert keys == ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]
    assert keys != sorted(names)


def test_canonical_json_escapes_strings_as_rfc_8785_does():
    # RFC 8785 §3.2.2.2's string example.
    given_text = json.loads(r'"\u20ac$\u000F\u000aA' + "'" + r'\u0042\u0022\u005c\\\"\/"')
    assert canonical_json(given_text) == (r'"€$\u000f\nA' + "'" + r'B\"\\\\\"/"').encode()


def test_canonical_json_escapes_only_quotes_backslashes_and_controls():
    text = "\b\t\n\f\r\x00\x1f\x7f\u2028é中文😀"
    assert canonical_json(text) == '"\\b\\t\\n\\f\\r\\u0000\\u001f\x7f\u2028é中文😀"'.encode()


def test_canonical_json_is_utf8():
    assert canonical_json({"名称": "武陵源"}) == '{"名称":"武陵源"}'.encode()


def test_canonical_json_of_nested_values():
    value = {"outer": [{"b": [1, [2, {"d": 4, "c": 3}]], "a": None}], "": "empty key"}
    assert canonical_json(value) == (
        b'{"":"empty key","outer":[{"a":null,"b":[1,[2,{"c":3,"d":4}]]}]}'
    )


def test_a_tuple_is_an_array():
    assert canonical_json((1, "a")) == b'[1,"a"]'


@pytest.mark.parametrize("number", [0, -1, MAX_SAFE_INTEGER, -MAX_SAFE_INTEGER])
def test_integers_within_the_safe_range_are_written_as_they_are(number):
    assert canonical_json(number) == str(number).encode()


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("12.500"), '"12.5"'),
        (Decimal("12.5"), '"12.5"'),
        (Decimal("100"), '"100"'),
        (Decimal("1E+2"), '"100"'),
        (Decimal("1.23E-5"), '"0.0000123"'),
        (Decimal("-0.00"), '"0"'),
        (Decimal("-3.10"), '"-3.1"'),
        (
            Decimal("1234567890.123456789012345678901234567890"),
            '"1234567890.12345678901234567890123456789"',
        ),
    ],
)
def test_a_decimal_is_a_string_of_its_plain_text_so_equal_numbers_sign_alike(value, text):
    assert canonical_json({"t": value}) == f'{{"t":{text}}}'.encode()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (float("nan"), "float"),
        (float("inf"), "float"),
        (-float("inf"), "float"),
        (1.5, "float"),
        (1.0, "float"),
        (Decimal("NaN"), "not a finite number"),
        (Decimal("sNaN"), "not a finite number"),
        (Decimal("-Infinity"), "not a finite number"),
        (Decimal("1E+1000000"), "beyond"),
        (MAX_SAFE_INTEGER + 1, "beyond"),
        (-(2**64), "beyond"),
        ({1: "a"}, "keys must be text"),
        ({"a": {"b": {1}}}, r"\$\['a'\]\['b'\]: set has no canonical JSON form"),
        (b"bytes", "bytes has no canonical JSON form"),
        (datetime(2024, 1, 1, tzinfo=UTC), "datetime has no canonical JSON form"),
        ("lone \ud800 surrogate", "lone surrogate"),
        ({"\udfff": 1}, "lone surrogate"),
    ],
)
def test_values_without_one_canonical_text_are_refused(value, message):
    with pytest.raises(ValueError, match=message):
        canonical_json(value)


def test_nesting_too_deep_is_refused():
    value: list = []
    for _ in range(40):
        value = [value]
    with pytest.raises(ValueError, match="nested deeper"):
        canonical_json(value)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER)
    | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@given(json_values)
def test_canonical_json_parses_back_to_the_value_and_is_a_fixed_point(value):
    text = canonical_json(value)
    assert json.loads(text) == value
    assert canonical_json(json.loads(text)) == text


@given(st.dictionaries(st.text(max_size=8), json_values, max_size=6), st.randoms())
def test_canonical_json_does_not_depend_on_key_order(value, random):
    items = list(value.items())
    random.shuffle(items)
    assert canonical_json(dict(items)) == canonical_json(value)


ascii_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER)
    | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.text(st.characters(max_codepoint=127), max_size=8), children, max_size=4
        )
    ),
    max_leaves=12,
)


@given(ascii_values)
def test_canonical_json_agrees_with_pythons_sorted_compact_json_when_keys_are_ascii(value):
    # Code point order and UTF-16 order differ only beyond the ASCII range.
    expected = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert canonical_json(value) == expected.encode()


# --- base64url -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"", ""),
        (b"\xff", "_w"),
        (b"\xfb\xff", "-_8"),
        (b"any carnal pleas", "YW55IGNhcm5hbCBwbGVhcw"),
    ],
)
def test_base64url_has_no_padding_and_round_trips(data, text):
    assert b64url_encode(data) == text
    assert b64url_decode(text) == data


@pytest.mark.parametrize("text", ["_w==", "/w", "+_8", "_w ", "a", "abcde", "_x", "-_9", "é"])
def test_base64url_other_than_the_one_spelling_of_some_bytes_is_refused(text):
    with pytest.raises(ValueError, match="base64url"):
        b64url_decode(text)


# --- keys ----------------------------------------------------------------------------


def rfc_key() -> SigningKey:
    private = Ed25519PrivateKey.from_private_bytes(b64url_decode(RFC_D))
    return SigningKey(thumbprint(private.public_key()), private, T0)


def test_the_rfc_8037_key_gives_the_rfcs_public_jwk_and_thumbprint():
    key = rfc_key()
    assert key.kid == RFC_THUMBPRINT
    assert public_jwk(key) == {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": RFC_X,
        "kid": RFC_THUMBPRINT,
        "use": "sig",
        "alg": "EdDSA",
    }


def test_the_rfc_8037_signature_verifies_with_its_public_key():
    signing_input, _, signature = RFC_JWS.rpartition(".")
    public = verifying_key_from_jwk({"kty": "OKP", "crv": "Ed25519", "x": RFC_X, "kid": "rfc"})
    public.public_key.verify(b64url_decode(signature), signing_input.encode())
    assert rfc_key().private_key.sign(signing_input.encode()) == b64url_decode(signature)


def test_a_new_keys_kid_is_its_jwk_thumbprint_unless_one_is_given():
    assert KEY.kid == thumbprint(KEY) == thumbprint(KEY.verifying_key)
    assert re.fullmatch(r"[A-Za-z0-9_-]{43}", KEY.kid)
    assert generate_key("2024-11", now=T0).kid == "2024-11"
    assert KEY.not_before == T0 and KEY.not_after is None


@pytest.mark.parametrize(
    ("kid", "now", "message"),
    [
        ("", T0, "kid"),
        ("a/b", T0, "kid"),
        ("../x", T0, "kid"),
        ("x" * 65, T0, "kid"),
        (None, datetime(2024, 1, 1), "time zone"),
    ],
)
def test_a_key_needs_a_safe_kid_and_an_aware_time(kid, now, message):
    with pytest.raises(ValueError, match=message):
        generate_key(kid, now=now)


def test_a_key_cannot_end_before_it_begins():
    with pytest.raises(ValueError, match="not_after comes before not_before"):
        VerifyingKey("k", KEY.private_key.public_key(), T0, T0 - timedelta(seconds=1))


def test_a_key_is_in_use_from_the_start_of_its_first_second_until_not_after():
    key = VerifyingKey(
        "k", KEY.private_key.public_key(), T0 + timedelta(microseconds=500), T0 + timedelta(days=1)
    )
    assert key.valid_at(T0)
    assert not key.valid_at(T0 - timedelta(microseconds=1))
    assert key.valid_at(T0 + timedelta(days=1, microseconds=-1))
    assert not key.valid_at(T0 + timedelta(days=1))


def test_a_signing_keys_repr_does_not_show_the_private_key():
    assert "private" not in repr(KEY)


def test_a_fingerprint_is_sixteen_hex_digits_of_sha256_over_the_raw_key_in_fours():
    raw = b64url_decode(public_jwk(KEY)["x"])
    digits = hashlib.sha256(raw).hexdigest()[:16].upper()
    assert fingerprint(KEY) == " ".join([digits[:4], digits[4:8], digits[8:12], digits[12:]])
    assert fingerprint(KEY.verifying_key) == fingerprint(KEY.private_key.public_key())
    assert re.fullmatch(r"[0-9A-F]{4}( [0-9A-F]{4}){3}", fingerprint(KEY))
    assert fingerprint(KEY) != fingerprint(OTHER)


# --- JWKs ----------------------------------------------------------------------------


def test_a_public_jwk_round_trips_to_the_same_verifying_key():
    jwk = public_jwk(KEY)
    key = verifying_key_from_jwk(jwk, not_before=T0)
    assert key == KEY.verifying_key
    assert verifying_key_from_jwk(json.loads(json.dumps(jwk))).kid == KEY.kid


def test_a_key_from_a_jwk_verifies_tokens_signed_while_no_period_is_known():
    key = verifying_key_from_jwk(public_jwk(KEY))
    assert key.not_before == EPOCH and key.not_after is None
    assert verify_token(sign_token(PAYLOAD, KEY), [key], at=NOW) == PAYLOAD


def test_verifying_keys_are_equal_and_hash_alike_when_key_kid_and_period_are():
    assert KEY.verifying_key == KEY.verifying_key
    assert len({KEY.verifying_key, KEY.verifying_key, OTHER.verifying_key}) == 2
    assert KEY.verifying_key != VerifyingKey(KEY.kid, OTHER.private_key.public_key(), T0)


def test_a_jwk_set_has_every_public_key_and_no_private_member():
    keyset = jwks([KEY, OTHER.verifying_key])
    assert [jwk["kid"] for jwk in keyset["keys"]] == [KEY.kid, OTHER.kid]
    for jwk in keyset["keys"]:
        assert "d" not in jwk
        assert set(jwk) == {"kty", "crv", "x", "kid", "use", "alg"}
    private = b64(KEY.private_key.private_bytes_raw())
    assert private not in json.dumps(keyset)


def test_a_jwk_set_refuses_two_keys_with_one_kid():
    clash = SigningKey(KEY.kid, OTHER.private_key, T0)
    with pytest.raises(ValueError, match="share a kid"):
        jwks([KEY, clash])


GOOD_JWK = public_jwk(KEY)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"d": b64(KEY.private_key.private_bytes_raw())}, "private key"),
        ({"kty": "RSA"}, "not an Ed25519 key"),
        ({"crv": "X25519"}, "not an Ed25519 key"),
        ({"x": GOOD_JWK["x"][:-2]}, "base64url|32 bytes"),
        ({"x": GOOD_JWK["x"] + "="}, "base64url"),
        ({"x": b64(b"\0" * 31)}, "32 bytes"),
        ({"x": 42}, "base64url"),
        ({"kid": None}, "kid"),
        ({"kid": "a b"}, "kid"),
        ({"use": "enc"}, "use"),
        ({"alg": "ES256"}, "alg"),
        ({"key_ops": ["encrypt"]}, "key_ops"),
    ],
)
def test_a_jwk_that_is_not_a_public_ed25519_signing_key_is_refused(change, message):
    with pytest.raises(ValueError, match=message):
        verifying_key_from_jwk({**GOOD_JWK, **change})


def test_a_jwk_without_kid_or_that_is_not_an_object_is_refused():
    without_kid = {name: value for name, value in GOOD_JWK.items() if name != "kid"}
    with pytest.raises(ValueError, match="kid"):
        verifying_key_from_jwk(without_kid)
    with pytest.raises(ValueError, match="JSON object"):
        verifying_key_from_jwk([GOOD_JWK])  # type: ignore[arg-type]


# --- tokens --------------------------------------------------------------------------


def test_a_token_is_three_base64url_parts_with_a_canonical_eddsa_header():
    token = sign_token(PAYLOAD, KEY)
    header, payload, signature = token.split(".")
    assert b64url_decode(header) == short_header_of(KEY)
    assert b64url_decode(payload) == b'{"iat":1732400000,"id":123,"k":"c"}'
    assert len(b64url_decode(signature)) == 64


def test_a_signed_token_verifies_and_gives_back_its_payload():
    assert verify_token(sign_token(PAYLOAD, KEY), KEYS, at=NOW) == PAYLOAD
    assert verify_token(sign_token(PAYLOAD, KEY), {KEY.kid: KEY.verifying_key}, at=NOW) == PAYLOAD


def test_a_token_verifies_with_the_cryptography_primitives_from_the_jwk_alone():
    """What a third party's JOSE library does with our JWK Set."""
    token = sign_token(PAYLOAD, KEY)
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    (jwk,) = [jwk for jwk in key_set([KEY])["keys"] if jwk["kid"] == header["kid"]]
    signing_input, _, signature = token.rpartition(".")
    padded = jwk["x"] + "=" * (-len(jwk["x"]) % 4)
    public = Ed25519PublicKey.from_public_bytes(base64.urlsafe_b64decode(padded))
    public.verify(base64.urlsafe_b64decode(signature + "=="), signing_input.encode())
    assert header == {"alg": "EdDSA", "kid": KEY.kid[:8]}


def test_a_token_made_by_another_implementation_in_canonical_form_verifies():
    token = forge(short_header_of(KEY), b'{"iat":1732400000,"id":123,"k":"c"}')
    assert token == sign_token(PAYLOAD, KEY)  # Ed25519 is deterministic
    assert verify_token(token, KEYS, at=NOW) == PAYLOAD


def test_a_token_made_before_short_kids_names_its_key_whole_and_still_verifies():
    token = forge(header_of(KEY), b'{"iat":1732400000,"id":123,"k":"c"}')
    assert verify_token(token, KEYS, at=NOW) == PAYLOAD
    assert len(token) - len(sign_token(PAYLOAD, KEY)) == 63  # what a QR code saves


def test_the_key_set_lists_each_key_under_its_kid_and_its_short_kid():
    listed = key_set([KEY])["keys"]
    assert [jwk["kid"] for jwk in listed] == [KEY.kid, KEY.kid[:8]]
    assert listed[0]["x"] == listed[1]["x"]


def test_a_short_kid_that_names_two_keys_is_refused():
    twin = dataclasses.replace(OTHER.verifying_key, kid=KEY.kid[:8] + "twin")
    with pytest.raises(InvalidToken, match="names more than one key"):
        verify_token(sign_token(PAYLOAD, KEY), [KEY.verifying_key, twin], at=NOW)


def flip(text: str, index: int) -> str:
    replacement = "A" if text[index] != "A" else "B"
    return text[:index] + replacement + text[index + 1 :]


def test_a_forged_signature_is_invalid():
    token = sign_token(PAYLOAD, KEY)
    with pytest.raises(InvalidToken, match="signature does not match"):
        verify_token(flip(token, len(token) - 10), KEYS, at=NOW)


def test_a_payload_changed_under_its_signature_is_invalid():
    header, _, signature = sign_token(PAYLOAD, KEY).split(".")
    payload = b64(b'{"iat":1732400000,"id":124,"k":"c"}')
    with pytest.raises(InvalidToken, match="signature does not match"):
        verify_token(f"{header}.{payload}.{signature}", KEYS, at=NOW)


def test_a_signature_by_another_key_under_this_keys_kid_is_invalid():
    impostor = SigningKey(KEY.kid, OTHER.private_key, T0)
    with pytest.raises(InvalidToken, match="signature does not match"):
        verify_token(sign_token(PAYLOAD, impostor), KEYS, at=NOW)


@pytest.mark.parametrize(
    "cut",
    [
        lambda t: t[:-1],
        lambda t: t[:-4],
        lambda t: t.rpartition(".")[0],
        lambda t: t.rpartition(".")[0] + ".",
        lambda t: t[: len(t) // 2],
        lambda t: "",
        lambda t: t + ".",
        lambda t: t.split(".", 1)[1],
    ],
)
def test_a_truncated_or_extended_token_is_invalid(cut):
    with pytest.raises(InvalidToken):
        verify_token(cut(sign_token(PAYLOAD, KEY)), KEYS, at=NOW)


@pytest.mark.parametrize(
    ("header", "payload", "message"),
    [
        (
            b'{"kid":"%s","alg":"EdDSA","typ":"JWT"}',
            b'{"iat":1732400000,"id":123,"k":"c"}',
            "header is not canonical",
        ),
        (
            b'{"alg": "EdDSA", "kid": "%s", "typ": "JWT"}',
            b'{"iat":1732400000,"id":123,"k":"c"}',
            "header is not canonical",
        ),
        (
            b'{"alg":"EdDSA","kid":"%s","typ":"JWT"}\n',
            b'{"iat":1732400000,"id":123,"k":"c"}',
            "header is not canonical",
        ),
        (
            b'{"alg":"EdDSA","kid":"%s","typ":"JWT"}',
            b'{"iat": 1732400000, "id": 123, "k": "c"}',
            "payload is not canonical",
        ),
        (
            b'{"alg":"EdDSA","kid":"%s","typ":"JWT"}',
            b'{"k":"c","id":123,"iat":1732400000}',
            "payload is not canonical",
        ),
        (
            b'{"alg":"EdDSA","kid":"%s","typ":"JWT"}',
            b'{"iat":1732400000,"id":123,"k":"\\u0063"}',
            "payload is not canonical",
        ),
        (
            b'{"alg":"EdDSA","kid":"%s","typ":"JWT"}',
            b'{"iat":1732400000,"id":123,"id":124}',
            "payload is not canonical",
        ),
        (
            b'{"alg":"EdDSA","kid":"%s","typ":"JWT"}',
            b'{"iat":1732400000,"id":123.0,"k":"c"}',
            "payload is not canonical",
        ),
        (
            b'{"alg":"EdDSA","kid":"%s","typ":"JWT"}',
            b'{"iat":1732400000,"id":NaN,"k":"c"}',
            "payload is not canonical",
        ),
        (b'{"alg":"EdDSA","kid":"%s","typ":"JWT"}', b"[1,2]", "payload must be a JSON object"),
        (b'{"alg":"EdDSA","kid":"%s","typ":"JWT"}', b"\xff\xfe", "payload is not JSON"),
        (b'{"alg":"EdDSA","kid":"%s","typ":"JWT"}', b"{", "payload is not JSON"),
    ],
)
def test_a_properly_signed_token_that_is_not_in_canonical_form_is_invalid(header, payload, message):
    token = forge(header.replace(b"%s", KEY.kid.encode()), payload)
    with pytest.raises(InvalidToken, match=message):
        verify_token(token, KEYS, at=NOW)


def test_a_token_with_padded_or_non_canonical_base64url_is_invalid():
    header, payload, signature = sign_token(PAYLOAD, KEY).split(".")
    padded = f"{header}.{payload}.{signature}=="
    with pytest.raises(InvalidToken, match="signature is not base64url"):
        verify_token(padded, KEYS, at=NOW)
    # The last character of a 64-byte signature carries 2 bits and 4 unused ones.
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    last = alphabet.index(signature[-1])
    same_bytes = alphabet[last ^ 1]
    assert base64.urlsafe_b64decode(signature[:-1] + same_bytes + "==") == (
        base64.urlsafe_b64decode(signature + "==")
    )
    with pytest.raises(InvalidToken, match="signature is not base64url"):
        verify_token(f"{header}.{payload}.{signature[:-1]}{same_bytes}", KEYS, at=NOW)


def test_an_unsigned_alg_none_token_is_invalid():
    header = b64(b'{"alg":"none","kid":"%s","typ":"JWT"}' % KEY.kid.encode())
    payload = sign_token(PAYLOAD, KEY).split(".")[1]
    for token in (f"{header}.{payload}.", f"{header}.{payload}"):
        with pytest.raises(InvalidToken, match=r"alg|three parts"):
            verify_token(token, KEYS, at=NOW)
    with pytest.raises(InvalidToken, match="alg must be EdDSA, not 'none'"):
        verify_token(f"{header}.{payload}.", KEYS, at=NOW)


def test_an_hs256_token_keyed_with_the_public_key_is_invalid():
    header = b64(b'{"alg":"HS256","kid":"%s","typ":"JWT"}' % KEY.kid.encode())
    payload = sign_token(PAYLOAD, KEY).split(".")[1]
    secret = b64url_decode(public_jwk(KEY)["x"])
    mac = hmac.new(secret, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    with pytest.raises(InvalidToken, match="alg must be EdDSA, not 'HS256'"):
        verify_token(f"{header}.{payload}.{b64(mac)}", KEYS, at=NOW)


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (b'{"alg":"EdDSA","typ":"JWT"}', "names no kid"),
        (b'{"alg":"EdDSA","kid":"","typ":"JWT"}', "names no kid"),
        (b'{"alg":"EdDSA","kid":7,"typ":"JWT"}', "names no kid"),
        (b'{"alg":"EdDSA","kid":"someone-else","typ":"JWT"}', "unknown kid 'someone-else'"),
        (b'{"kid":"%s","typ":"JWT"}', "alg must be EdDSA, not None"),
        (b'{"alg":"EdDSA","kid":"%s","typ":"JOSE+JSON"}', "typ must be JWT"),
        (b'{"alg":"EdDSA","crit":["exp"],"kid":"%s","typ":"JWT"}', "unexpected header member"),
        (b'{"alg":"EdDSA","jwk":{},"kid":"%s","typ":"JWT"}', "unexpected header member 'jwk'"),
        (b'{"alg":"EdDSA","b64":false,"kid":"%s"}', "unexpected header member 'b64'"),
        (b'["EdDSA"]', "header must be a JSON object"),
    ],
)
def test_a_header_other_than_alg_kid_typ_naming_a_known_key_is_invalid(header, message):
    token = forge(header.replace(b"%s", KEY.kid.encode()), b'{"id":1}')
    with pytest.raises(InvalidToken, match=message):
        verify_token(token, KEYS, at=NOW)


def test_a_header_without_typ_is_accepted():
    token = forge(b'{"alg":"EdDSA","kid":"%s"}' % KEY.kid.encode(), b'{"id":1}')
    assert verify_token(token, KEYS, at=NOW) == {"id": 1}


def test_a_token_for_a_key_not_given_is_invalid():
    with pytest.raises(InvalidToken, match="unknown kid"):
        verify_token(sign_token(PAYLOAD, OTHER), KEYS, at=NOW)
    with pytest.raises(InvalidToken, match="unknown kid"):
        verify_token(sign_token(PAYLOAD, KEY), [], at=NOW)


@pytest.mark.parametrize(
    "token", [None, 42, b"a.b.c", "a.b.c", "...", "a" * 5000, "é.é.é", "eyJ.eyJ.eyJ"]
)
def test_anything_that_is_not_a_token_is_invalid(token):
    with pytest.raises(InvalidToken):
        verify_token(token, KEYS, at=NOW)  # type: ignore[arg-type]


def test_an_invalid_token_is_a_value_error_with_a_reason():
    with pytest.raises(ValueError, match="three parts") as caught:
        verify_token("nonsense", KEYS)
    assert caught.value.reason == str(caught.value)


def test_verifying_with_a_key_map_whose_names_are_not_the_kids_is_a_mistake():
    with pytest.raises(ValueError, match="holds the key with kid"):
        verify_token(sign_token(PAYLOAD, KEY), {"other": KEY.verifying_key})
    with pytest.raises(TypeError, match="not a VerifyingKey"):
        verify_token(sign_token(PAYLOAD, KEY), [KEY])  # type: ignore[list-item]


# --- tokens: time --------------------------------------------------------------------


def at_seconds(moment: datetime) -> int:
    return int(moment.timestamp())


def test_a_token_issued_before_its_key_existed_is_invalid():
    early = {"id": 1, "iat": at_seconds(T0) - 1}
    token = forge(header_of(KEY), canonical_json(early))
    with pytest.raises(InvalidToken, match="not in use at its iat"):
        verify_token(token, KEYS, at=NOW)


def test_a_key_refuses_to_sign_a_token_dated_outside_its_period_of_use():
    with pytest.raises(ValueError, match="not in use at iat"):
        sign_token({"iat": at_seconds(T0) - 1}, KEY)


def test_a_token_issued_in_the_future_is_invalid_beyond_five_minutes_of_clock_skew():
    token = sign_token({"iat": at_seconds(NOW) + 300}, KEY)
    assert verify_token(token, KEYS, at=NOW)
    with pytest.raises(InvalidToken, match="issued in the future"):
        verify_token(token, KEYS, at=NOW - timedelta(seconds=1))


@pytest.mark.parametrize(
    "claims", [{"iat": "1732400000"}, {"iat": 1732400000.0}, {"exp": True}, {"nbf": None}]
)
def test_time_claims_must_be_whole_seconds(claims):
    with pytest.raises(ValueError, match="whole seconds"):
        sign_token(claims, KEY)
    token = forge(header_of(KEY), json.dumps(claims, separators=(",", ":")).encode())
    with pytest.raises(InvalidToken):
        verify_token(token, KEYS, at=NOW)


def test_exp_and_nbf_are_honoured_when_present():
    expiring = sign_token({"exp": at_seconds(NOW)}, KEY)
    assert verify_token(expiring, KEYS, at=NOW + timedelta(seconds=299))
    with pytest.raises(InvalidToken, match="expired"):
        verify_token(expiring, KEYS, at=NOW + timedelta(seconds=300))
    later = sign_token({"nbf": at_seconds(NOW) + 301}, KEY)
    with pytest.raises(InvalidToken, match="not valid yet"):
        verify_token(later, KEYS, at=NOW)


def test_without_iat_the_key_must_be_in_use_when_the_token_is_verified():
    retired = SigningKey(KEY.kid, KEY.private_key, T0, NOW)
    token = sign_token({"id": 1}, retired)
    assert verify_token(token, [retired.verifying_key], at=NOW - timedelta(seconds=1))
    with pytest.raises(InvalidToken, match="not in use at the time of verification"):
        verify_token(token, [retired.verifying_key], at=NOW)


def test_a_rotated_out_key_still_verifies_what_it_signed_while_in_use():
    old = SigningKey(KEY.kid, KEY.private_key, T0, NOW)
    new = SigningKey(OTHER.kid, OTHER.private_key, NOW)
    keys = [old.verifying_key, new.verifying_key]
    before = document_token("certificate", 1, NOW - timedelta(microseconds=1), KEY)
    after = document_token("certificate", 2, NOW, new)
    later = NOW + timedelta(days=400)
    assert read_document_token(before, keys, at=later).kid == old.kid
    assert read_document_token(after, keys, at=later).kid == new.kid
    stale = document_token("certificate", 3, NOW, KEY)  # signed by a stale copy of the old key
    with pytest.raises(InvalidToken, match="not in use at its iat"):
        read_document_token(stale, keys, at=later)


def test_tokens_may_not_exceed_the_length_limit():
    with pytest.raises(ValueError, match="characters, over"):
        sign_token({"note": "x" * MAX_TOKEN_LENGTH}, KEY)
    with pytest.raises(ValueError, match="float"):
        sign_token({"x": 1.5}, KEY)


# --- tokens: properties --------------------------------------------------------------

small_payloads = st.dictionaries(
    st.text(max_size=8).filter(lambda name: name not in ("iat", "nbf", "exp")),
    st.recursive(
        st.integers(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER) | st.text(max_size=10),
        lambda children: st.dictionaries(st.text(max_size=6), children, max_size=3),
        max_leaves=6,
    ),
    max_size=5,
)


@given(small_payloads)
def test_any_small_payload_round_trips_through_sign_and_verify(payload):
    assert verify_token(sign_token(payload, KEY), KEYS, at=NOW) == payload


@settings(max_examples=300)
@given(st.data())
def test_changing_any_one_character_of_a_token_makes_it_invalid(data):
    token = sign_token(PAYLOAD, KEY)
    index = data.draw(st.integers(0, len(token) - 1))
    character = data.draw(
        st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ ")
    )
    changed = token[:index] + character + token[index + 1 :]
    if changed == token:
        return
    with pytest.raises(InvalidToken):
        verify_token(changed, KEYS, at=NOW)


@given(st.text(max_size=300))
def test_any_text_is_a_valid_token_or_an_invalid_token_error(text):
    with pytest.raises(InvalidToken):
        verify_token(text, KEYS, at=NOW)


# --- document tokens -----------------------------------------------------------------


def test_a_document_token_names_its_document_kind_time_and_key():
    token = document_token("label", 123, datetime(2024, 11, 23, 22, 13, 20, 999, tzinfo=UTC), KEY)
    assert verify_token(token, KEYS, at=NOW) == {"k": "l", "id": 123, "iat": 1732400000}
    assert read_document_token(token, KEYS, at=NOW) == DocumentToken(
        "label", 123, datetime(2024, 11, 23, 22, 13, 20, tzinfo=UTC), KEY.kid
    )
    assert (
        read_document_token(document_token("certificate", 9, NOW, KEY), KEYS, at=NOW).kind
        == "certificate"
    )


def test_a_document_token_is_short_enough_for_a_small_qr_code():
    assert len(document_token("certificate", 10**9, NOW, KEY)) <= 250


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("report", 1), "kind must be one of certificate, label"),
        (("certificate", 0), "positive whole number"),
        (("certificate", -5), "positive whole number"),
        (("certificate", True), "positive whole number"),
        (("certificate", "12"), "positive whole number"),
        (("certificate", MAX_SAFE_INTEGER + 1), "positive whole number"),
    ],
)
def test_a_document_token_needs_a_known_kind_and_a_positive_id(args, message):
    with pytest.raises(ValueError, match=message):
        document_token(*args, NOW, KEY)


def test_a_document_token_needs_an_aware_time():
    with pytest.raises(ValueError, match="time zone"):
        document_token("label", 1, datetime(2024, 11, 24), KEY)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"k": "c", "id": 1}, "not a document token"),
        ({"k": "c", "id": 1, "iat": 1732400000, "x": 1}, "not a document token"),
        ({"k": "x", "id": 1, "iat": 1732400000}, "unknown document kind 'x'"),
        ({"k": ["c"], "id": 1, "iat": 1732400000}, "unknown document kind"),
        ({"k": "c", "id": 0, "iat": 1732400000}, "positive whole number"),
        ({"k": "c", "id": "1", "iat": 1732400000}, "positive whole number"),
    ],
)
def test_a_well_signed_token_that_is_not_a_document_token_is_invalid(payload, message):
    with pytest.raises(InvalidToken, match=message):
        read_document_token(sign_token(payload, KEY), KEYS, at=NOW)


# --- detached signatures -------------------------------------------------------------

CONTENT = {
    "certificate": "WLY-C-2024-0001",
    "holder": "武陵源风景名胜区",
    "tonnes": Decimal("1250.500"),
    "serials": ["WLY-FS001-2024-000000001"],
}


def test_a_detached_signature_verifies_over_the_content():
    record = sign_detached(CONTENT, KEY)
    assert set(record) == {"kid", "alg", "signature", "sha256"}
    assert record["kid"] == KEY.kid and record["alg"] == "EdDSA"
    assert record["sha256"] == hashlib.sha256(canonical_json(CONTENT)).hexdigest()
    assert verify_detached(CONTENT, record, KEYS)


def test_a_detached_signature_verifies_with_plain_ed25519_over_the_canonical_bytes():
    record = sign_detached(CONTENT, KEY)
    public = Ed25519PublicKey.from_public_bytes(b64url_decode(public_jwk(KEY)["x"]))
    public.verify(b64url_decode(record["signature"]), canonical_json(CONTENT))


def test_a_detached_signature_does_not_depend_on_key_order_or_decimal_spelling():
    record = sign_detached(CONTENT, KEY)
    reordered = dict(reversed(list(CONTENT.items())))
    assert verify_detached({**reordered, "tonnes": Decimal("1250.5")}, record, KEYS)


@pytest.mark.parametrize(
    "change",
    [
        lambda content, record: ({**content, "tonnes": Decimal("1250.6")}, record),
        lambda content, record: ({**content, "extra": None}, record),
        lambda content, record: (content, {**record, "kid": OTHER.kid}),
        lambda content, record: (content, {**record, "kid": ["x"]}),
        lambda content, record: (content, {**record, "alg": "none"}),
        lambda content, record: (content, {**record, "sha256": "0" * 64}),
        lambda content, record: (content, {**record, "signature": flip(record["signature"], 5)}),
        lambda content, record: (content, {**record, "signature": record["signature"] + "A"}),
        lambda content, record: (content, {**record, "signature": 7}),
        lambda content, record: (content, {k: v for k, v in record.items() if k != "sha256"}),
        lambda content, record: (content, "not a record"),
        lambda content, record: (
            content,
            sign_detached(content, SigningKey(KEY.kid, OTHER.private_key, T0)),
        ),
    ],
)
def test_a_detached_signature_fails_for_changed_content_or_a_tampered_record(change):
    content, record = change(CONTENT, sign_detached(CONTENT, KEY))
    assert not verify_detached(content, record, [KEY.verifying_key, OTHER.verifying_key])


def test_detached_content_must_be_an_object_with_a_canonical_form():
    with pytest.raises(ValueError, match="object"):
        sign_detached(["a"], KEY)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="float"):
        sign_detached({"tonnes": 1.5}, KEY)
