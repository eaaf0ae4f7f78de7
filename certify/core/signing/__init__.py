"""Signatures on certificates and labels: canonical JSON, Ed25519 keys, JWS tokens.

Pure: no Flask, no database, no files (the keys on disk are `certify.keystore`'s).

One module a part, all re-exported here: `canonical` (canonical JSON and base64url),
`keys` (Ed25519 keys and JWKs), `tokens` (JWS and document tokens), `detached`
(detached signatures) and `detached_jws` (detached JWS made by a signer elsewhere).

**Canonical JSON** (`canonical_json`) follows RFC 8785 (JCS): UTF-8, object members
sorted by the UTF-16 code units of their names, no whitespace, strings escaped as
ECMAScript's ``JSON.stringify`` does (``\\" \\\\ \\b \\t \\n \\f \\r``, other controls as
``\\u00xx``, everything else literal). It takes only what has one unambiguous text:

- ``None``, ``bool``, ``str`` (valid Unicode: no lone surrogates), ``list`` and ``tuple``
  (both become arrays), and mappings with ``str`` keys;
- ``int`` within ±(2**53 − 1), the integers every JSON reader (RFC 7493, I-JSON) and
  JCS's IEEE-754 number form hold exactly;
- ``Decimal`` as a JSON *string* of its plain decimal text with no exponent and no
  trailing zeros (``Decimal("12.500")`` → ``"12.5"``, ``Decimal("1E+2")`` → ``"100"``,
  ``-0`` → ``"0"``). Equal numbers give equal bytes, so a quantity read back from a
  ``NUMERIC(12, 3)`` column verifies against the ``Decimal("12.5")`` that was signed.
  The text is a string, so ``Decimal("1.5")`` and ``"1.5"`` sign alike: the content's
  schema, not the signature, says which fields are numbers.

Everything else is refused with a `ValueError` naming where in the value it is: every
``float`` (NaN and ±Infinity included; exact decimals go as ``Decimal``), non-finite
Decimals, non-text keys, other types, and nesting deeper than `MAX_DEPTH`.

**Keys** are Ed25519. A key's ``kid`` is 1–64 base64url characters (by default the RFC
7638 JWK thumbprint of its public key); it is in use from ``not_before`` until
``not_after`` (None while it is the active key). Public keys are published as JWKs (RFC
7517, RFC 8037) with standard members only. `fingerprint` is for people: the first 16
hex digits of SHA-256 over the raw 32-byte public key, uppercase, in groups of four
(``"3F2A 9C01 77B0 12DE"``), to read aloud or compare against a printed certificate.

**Tokens** are JWS compact serializations (RFC 7515) signed with EdDSA (RFC 8037):
``BASE64URL(header) "." BASE64URL(payload) "." BASE64URL(signature)`` where header and
payload are canonical JSON and the header is ``{"alg":"EdDSA","kid":…}`` with the key's
`short_kid` (its first `SHORT_KID_LENGTH` characters; tokens made before named the whole
kid and had ``"typ":"JWT"``, and are read still). Any JOSE library verifies them from
the published JWK Set (`key_set`), which lists each key under both kids. `verify_token` is stricter
than such a library: it refuses any other header member or alg, padded or non-canonical
base64url, and a header or payload that is not exactly its own canonical JSON, so each
token has exactly one spelling. Time claims are whole seconds: the key must have been
in use at ``iat`` (at the moment of verification if there is none), ``iat`` may not be
more than `CLOCK_SKEW` in the future, and ``exp``/``nbf`` are honoured if present.
Whether a key or a document has been revoked is not this package's business.

Document tokens, for the QR codes of certificates and labels, carry
``{"k": "c" | "l", "id": 123, "iat": 1732400000}``: a label's stays that short (about
175 characters). A certificate's adds ``"f"``, what it states
(number, subject, period, total, credits, net, valid until; `FACT_CODES`), so an
inspector with no network reads the facts from the QR itself, signed, as the EU's
digital COVID certificates carry theirs. Tokens of either form are read.

**Detached signatures** (`sign_detached`) sign the canonical JSON of an object, such as
a certificate's content or a verifier's sign-off, and are kept beside it as a record
``{"kid", "alg": "EdDSA", "signature", "sha256"}``. Anyone can check one with plain
Ed25519 over the canonical bytes. Such bytes start with ``{`` and a JWS signing input
never does, so one signature cannot pass for the other.

**Detached JWS** (`prepare`, `verify_detached_jws`, RFC 7515 appendix F) are how a
verifier signs off with a key the service never holds: the service gives them the
signing input ``BASE64URL(header) "." BASE64URL(canonical content)`` with the header
``{"alg":"EdDSA","kid":…}``, and they return ``header ".." signature``. Its record
``{"kid", "alg", "jws", "sha256"}`` says its form; `verify_sign_off` checks either.
"""

from certify.core.signing.canonical import (
    MAX_DECIMAL_EXPONENT,
    MAX_DEPTH,
    MAX_SAFE_INTEGER,
    b64url_decode,
    b64url_encode,
    canonical_json,
)
from certify.core.signing.detached import sign_detached, verify_detached
from certify.core.signing.detached_jws import (
    InvalidJws,
    Prepared,
    jws_record,
    prepare,
    protected_header,
    read_detached,
    sign_signing_input,
    verify_detached_jws,
    verify_sign_off,
)
from certify.core.signing.keys import (
    ALG,
    EPOCH,
    PUBLIC_KEY_BYTES,
    InvalidJwk,
    Keys,
    SigningKey,
    VerifyingKey,
    fingerprint,
    generate_key,
    jwks,
    public_jwk,
    public_key_from_jwk,
    thumbprint,
    verifying_key_from_jwk,
)
from certify.core.signing.tokens import (
    CLOCK_SKEW,
    FACT_CODES,
    HEADER_MEMBERS,
    KIND_CODES,
    MAX_TOKEN_LENGTH,
    SHORT_KID_LENGTH,
    SIGNATURE_BYTES,
    TIME_CLAIMS,
    TYP,
    DocumentToken,
    InvalidToken,
    document_token,
    key_set,
    read_document_token,
    short_kid,
    sign_token,
    verify_token,
)

__all__ = [
    "ALG",
    "CLOCK_SKEW",
    "EPOCH",
    "FACT_CODES",
    "HEADER_MEMBERS",
    "KIND_CODES",
    "MAX_DECIMAL_EXPONENT",
    "MAX_DEPTH",
    "MAX_SAFE_INTEGER",
    "MAX_TOKEN_LENGTH",
    "PUBLIC_KEY_BYTES",
    "SHORT_KID_LENGTH",
    "SIGNATURE_BYTES",
    "TIME_CLAIMS",
    "TYP",
    "DocumentToken",
    "InvalidJwk",
    "InvalidJws",
    "InvalidToken",
    "Keys",
    "Prepared",
    "SigningKey",
    "VerifyingKey",
    "b64url_decode",
    "b64url_encode",
    "canonical_json",
    "document_token",
    "fingerprint",
    "generate_key",
    "jwks",
    "jws_record",
    "key_set",
    "prepare",
    "protected_header",
    "public_jwk",
    "public_key_from_jwk",
    "read_detached",
    "read_document_token",
    "short_kid",
    "sign_detached",
    "sign_signing_input",
    "sign_token",
    "thumbprint",
    "verify_detached",
    "verify_detached_jws",
    "verify_sign_off",
    "verify_token",
    "verifying_key_from_jwk",
]
