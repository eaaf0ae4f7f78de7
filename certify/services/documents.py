"""What certificates and labels share: the verifier's sign-off, issuing, status and URLs.

Two signatures, both Ed25519 over canonical JSON (`certify.core.signing`):

- the verifier's sign-off, made with their own key (which the service never holds)
  over the *attestation*: the document's content as it stands (see each kind's
  ``attested_content``) with their statement and the checklist's outcomes. The service
  prepares the attestation (`attestation`, `signing_request`), the verifier signs its
  signing input in their browser or tool, and approving checks the detached JWS that
  comes back (`signed_off`);
- the district's, made at issue with the service's key, over the document: its number
  and dates, the attestation and the verifier's signature.

Issuing (each kind's ``issue``) first recomputes the attestation: the workflow refuses
(409) when it no longer matches what the verifier signed. The document is created in
the caller's transaction, so everything issuance writes commits together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from typing import Any, Protocol, TypeVar

from flask import current_app

from certify.core import chain
from certify.core.checklist import Checklist
from certify.core.signing import (
    InvalidJws,
    document_token,
    jws_record,
    prepare,
    sign_detached,
    verify_detached_jws,
    verify_sign_off,
)
from certify.core.workflow import State
from certify.models.applications import Application
from certify.models.documents import IssuedDocument
from certify.models.verifiers import VerifierKey
from certify.services import keys, verifier_keys
from footprint.accounts.models import User
from footprint.platform import metrics
from footprint.platform.db import insert_or_conflict
from footprint.platform.problems import Problem, invalid
from guides.store import load_guide

ASSURANCE_LEVELS = ("limited", "reasonable")
STATUS_NOTES = {
    "suspended": "暂停 SUSPENDED",
    "revoked": "已撤销 REVOKED",
    "expired": "已过期 EXPIRED",
}
Attested = Callable[[], Mapping[str, Any]]
D = TypeVar("D", bound=IssuedDocument)


class DocumentKind(Protocol[D]):
    """What each kind of issued document provides: `certify.services.certificates` and
    `certify.services.labels` implement it, and the workflow issues either through it."""

    MODEL: type[D]
    """The document's table."""

    def attested_content(self, application: Application, *, verifier: User) -> dict[str, Any]:
        """What the verifier signs off and the document states, as it stands now."""
        ...

    def issue(self, admin: User, *, application: Application, today: date) -> D:
        """Create the signed document, in the caller's transaction."""
        ...

    def printed(self, document: D, *, today: date) -> object:
        """What its PDF shows, with its status on ``today``."""
        ...


def attribution(application: Application, *, verifier: User) -> dict[str, Any]:
    """What every attestation names besides its subject: the guide and the verifier."""
    guide = load_guide(application.guide_version)
    return {
        "guide": {"version": guide.version, "checksum": guide.checksum},
        "verifier": {
            "organisation": verifier.organisation.name,
            "person": verifier.email,
            "user_id": verifier.id,
        },
    }


def attestation(
    *, attested: Mapping[str, Any], statement: Mapping[str, Any], checklist: Checklist
) -> dict[str, Any]:
    """What the verifier signs off, as it stands now: the document's content, their
    statement (422 naming the field if it is incomplete), the checklist's outcomes and
    the moment, fixed here, at which they sign."""
    level = statement.get("assurance_level")
    if level not in ASSURANCE_LEVELS:
        raise invalid("statement.assurance_level", f"one of {', '.join(ASSURANCE_LEVELS)}")
    conclusion = str(statement.get("conclusion", "")).strip()
    if not conclusion:
        raise invalid("statement.conclusion", "the verifier's conclusion is required")
    return chain.plain(
        {
            "content": attested,
            "statement": {
                "assurance_level": level,
                "conclusion": conclusion,
                "materiality_percent": "5",
            },
            "checklist": _outcomes(checklist),
            "signed_at": datetime.now(UTC),
        }
    )


def _outcomes(checklist: Checklist) -> dict[str, str | None]:
    return {
        line.criterion.id: line.outcome.value if line.outcome else None for line in checklist.lines
    }


def signing_request(prepared: Mapping[str, Any], *, key: VerifierKey) -> dict[str, Any]:
    """What the verifier's browser or tool signs with ``key``: the attestation, and its
    protected header, payload and signing input (`certify.core.signing.prepare`)."""
    request = prepare(prepared, kid=key.kid)
    return {
        "attestation": prepared,
        "kid": key.kid,
        "fingerprint": verifier_keys.fingerprint_of(key),
        "protected": request.protected,
        "payload": request.payload,
        "signing_input": request.signing_input,
    }


def signed_off(
    verifier: User,
    *,
    pending: Mapping[str, Any] | None,
    jws: str | None,
    attested: Mapping[str, Any],
    checklist: Checklist,
) -> dict[str, Any]:
    """The verifier's sign-off: the prepared attestation with their detached JWS over it.

    422 naming ``jws`` when it is missing, malformed, not by their active key, or does
    not verify; 409 when nothing was prepared or what it attests has moved since.
    """
    if not jws:
        raise invalid(
            "jws",
            "sign off with your own key: prepare the attestation "
            "(POST /api/v1/applications/{id}/sign-off), sign its signing_input and approve "
            "with the detached JWS (server-held verifier keys are retired for new sign-offs)",
        )
    if pending is None:
        raise Problem(409, "no sign-off is prepared: prepare one, sign it, then approve")
    if pending["content"] != chain.plain(attested) or pending["checklist"] != _outcomes(checklist):
        raise Problem(
            409,
            "the application has changed since the sign-off was prepared: prepare it again",
        )
    key = verifier_keys.active(user=verifier)
    if key is None:
        raise invalid("jws", "you have no registered key")
    try:
        kid = verify_detached_jws(pending, jws, [verifier_keys.verifying_key(key)])
    except InvalidJws as error:
        raise invalid("jws", str(error)) from None
    return {
        "attestation": dict(pending),
        "signature": jws_record(pending, jws, kid=kid),
        "fingerprint": verifier_keys.fingerprint_of(key),
    }


def sign_off_holds(application: Application, *, attested_now: Attested) -> bool:
    """The verifier's signature is good (a detached JWS by a key they registered, or a
    server-held key's record of before) and the content is still what they signed."""
    record, verifier = application.sign_off, application.verifier
    if not record or verifier is None:
        return False
    attestation = record["attestation"]
    signed = verify_sign_off(
        attestation, record["signature"], verifier_keys.sign_off_keys(user=verifier)
    )
    return signed and attestation["content"] == chain.plain(attested_now())


def create(
    model: type[D],
    *,
    admin: User,
    application: Application,
    number: str,
    valid_until: date,
    today: date,
    facts: Callable[[Mapping[str, Any]], Mapping[str, str]] | None = None,
) -> D:
    """The signed document with its QR token, added to the caller's transaction; the
    token states what ``facts`` picks from the signed content, if given."""
    content = chain.plain(
        {
            "number": number,
            "issued_on": today,
            "valid_until": valid_until,
            "attestation": application.sign_off["attestation"],
            "verifier_signature": application.sign_off["signature"],
            "verifier_fingerprint": application.sign_off["fingerprint"],
        }
    )
    key = keys.store().active()
    document = model(
        application_id=application.id,
        number=number,
        content=content,
        signature=sign_detached(content, key),
        token="",
        valid_until=valid_until,
        issued_by_id=admin.id,
    )
    insert_or_conflict(
        document, conflict=f"application {application.id} already has a {model.kind}"
    )
    document.token = document_token(
        model.kind,
        document.id,
        datetime.now(UTC),
        key,
        facts=None if facts is None else facts(content),
    )
    metrics.count("document", kind=model.kind)
    return document


def status_of(state: str, *, valid_until: date, today: date) -> str:
    """valid, suspended, revoked or expired: from the application's state and the date."""
    current = State(state)
    if current is State.REVOKED:
        return "revoked"
    if current is State.EXPIRED or today > valid_until:
        return "expired"
    return "suspended" if current is State.SUSPENDED else "valid"


def status(document: IssuedDocument, *, today: date) -> str:
    return status_of(document.application.state, valid_until=document.valid_until, today=today)


def status_note(document: IssuedDocument, *, today: date) -> str | None:
    """What is stamped across the document's PDF: nothing while it is valid."""
    return STATUS_NOTES.get(status(document, today=today))


def _base() -> str:
    return str(current_app.config["PUBLIC_BASE_URL"]).rstrip("/")


def verification_url(document: IssuedDocument) -> str:
    return f"{_base()}/v/{document.token}"


def pdf_url(document: IssuedDocument) -> str:
    return pdf_url_of(document.kind, document_id=document.id)


def pdf_url_of(kind: str, *, document_id: int) -> str:
    return f"{_base()}/api/v1/{kind}s/{document_id}/pdf"
