"""Organisations, users and their API tokens (tokens are stored only as SHA-256 hashes)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from footprint.service import audit
from footprint.service.db import db, utcnow
from footprint.service.problems import Problem

TOKEN_PREFIX = "sc_"


class Role(StrEnum):
    OPERATOR = "operator"
    VERIFIER = "verifier"
    ADMIN = "admin"


class Organisation(db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class User(db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship(lazy="joined")


class ApiToken(db.Model):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined")


def hash_token(token: str) -> str:
    """Tokens carry 256 bits of randomness, so a fast unsalted hash cannot be brute-forced."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User) -> str:
    """Create a token for ``user``; the plain value is returned once and never stored."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, token_hash=hash_token(token), hint=token[:10]))
    return token


def create_user(email: str, role: Role, organisation_name: str) -> tuple[User, str]:
    """Create a user (and the organisation if it is new) and a first API token."""
    organisation = db.session.scalar(
        select(Organisation).where(Organisation.name == organisation_name)
    )
    if organisation is None:
        organisation = Organisation(name=organisation_name)
        db.session.add(organisation)
        db.session.flush()
    user = User(email=email.lower(), role=role.value, organisation_id=organisation.id)
    db.session.add(user)
    db.session.flush()
    token = issue_token(user)
    db.session.commit()
    return user, token


def tokens_of(user: User) -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                   .order_by(ApiToken.id.desc())))


def revoke_token(user: User, token_id: int) -> ApiToken:
    """Revoke one of ``user``'s own tokens (404 for anyone else's: they are not yours to see)."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise Problem(404, f"no token {token_id} of yours")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit.record("token.revoked", "api_token", token.id, user.id)
        db.session.commit()
    return token


def user_for_token(token: str) -> User | None:
    return db.session.scalar(
        select(User)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == hash_token(token), ApiToken.revoked_at.is_(None))
    )
