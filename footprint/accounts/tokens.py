"""API tokens: issued once in plain, stored as SHA-256 hashes, listed and revoked by their owner."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select

from footprint.accounts.models import ApiToken, User
from footprint.platform import activity
from footprint.platform.db import db, utcnow
from footprint.platform.problems import Problem

TOKEN_PREFIX = "sc_"


def hash_token(token: str) -> str:
    """Tokens carry 256 bits of randomness, so a fast unsalted hash cannot be brute-forced."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User) -> str:
    """Create a token for ``user``; the plain value is returned once and never stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=hash_token(token), hint=token[:10]))
    return token


def create_token(user: User) -> tuple[ApiToken, str]:
    """Issue, audit and commit a new token for ``user``: its record and its plain value."""
    token = issue_token(user)
    db.session.flush()
    record = tokens_of(user)[0]
    activity.record("token.created", "api_token", record.id, user.id)
    db.session.commit()
    return record, token


def tokens_of(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
        )
    )


def revoke_token(user: User, *, token_id: int) -> ApiToken:
    """Revoke one of ``user``'s own tokens (404 for anyone else's: they are not yours to see)."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise Problem(404, f"no token {token_id} of yours")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        activity.record("token.revoked", "api_token", token.id, user.id)
        db.session.commit()
    return token


def user_for_token(token: str) -> User | None:
    return db.session.scalar(
        select(User)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == hash_token(token), ApiToken.revoked_at.is_(None))
    )
