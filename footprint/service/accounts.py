"""Organisations, users, their passwords (argon2id hashes) and their API tokens (SHA-256 hashes)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from enum import StrEnum
from functools import cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from footprint.service import audit
from footprint.service.db import db, utcnow
from footprint.service.problems import Problem, invalid

TOKEN_PREFIX = "sc_"
MIN_PASSWORD_LENGTH = 10
_hasher = PasswordHasher(type=Type.ID)


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
    password_hash: Mapped[str | None] = mapped_column(String(200))

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


def create_token(user: User) -> tuple[ApiToken, str]:
    """Issue, audit and commit a new token for ``user``: its record and its plain value."""
    token = issue_token(user)
    db.session.flush()
    record = tokens_of(user)[0]
    audit.record("token.created", "api_token", record.id, user.id)
    db.session.commit()
    return record, token


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def set_password(user: User, password: str) -> None:
    """Store an argon2id hash of ``password`` (never the password); the caller commits."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise invalid("password", f"must be at least {MIN_PASSWORD_LENGTH} characters long")
    user.password_hash = _hasher.hash(password)


def check_password(user: User, password: str) -> bool:
    """Whether ``password`` is ``user``'s, in constant time; a user without one never matches.

    A hash made with weaker parameters than today's is replaced (the caller commits).
    """
    if user.password_hash is None:
        _verify(_dummy_hash(), password)
        return False
    if not _verify(user.password_hash, password):
        return False
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return True


def authenticate(email: str, password: str) -> User | None:
    """The user with this email and password, or None.

    An unknown email costs the same argon2 work as a wrong password, so that the
    response time does not tell whether an account exists.
    """
    user = user_by_email(email)
    if user is None:
        _verify(_dummy_hash(), password)
        return None
    return user if check_password(user, password) else None


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(32))


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
