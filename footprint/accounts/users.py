"""Users: creating them (with their organisation and a first token), their passwords
(argon2id hashes, checked in constant time), and signing a user out everywhere."""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select

from footprint.accounts import organisations
from footprint.accounts.models import Role, User
from footprint.accounts.tokens import issue_token, tokens_of
from footprint.platform import activity
from footprint.platform.db import db, paginate, utcnow
from footprint.platform.problems import invalid

MIN_PASSWORD_LENGTH = 10
_hasher = PasswordHasher(type=Type.ID)


def create_user(email: str, *, role: Role, organisation_name: str) -> tuple[User, str]:
    """Create a user (and the organisation if it is new) and a first API token."""
    organisation = organisations.named_or_created(organisation_name)
    user = User(email=email.lower(), role=role.value, organisation_id=organisation.id)
    db.session.add(user)
    db.session.flush()
    token = issue_token(user)
    db.session.commit()
    return user, token


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def set_password(user: User, *, password: str) -> None:
    """Store an argon2id hash of ``password`` (never the password) and end the user's
    web sessions so far; the caller commits."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise invalid("password", f"must be at least {MIN_PASSWORD_LENGTH} characters long")
    user.password_hash = _hasher.hash(password)
    end_sessions(user)


def end_sessions(user: User) -> None:
    """End every web session of ``user`` so far, on every device (the caller commits)."""
    user.session_generation += 1


def sign_out_everywhere(user: User, *, by: User | None) -> int:
    """For a compromised account: end every web session of ``user`` and revoke every API
    token of theirs, recorded in the activity log as done ``by`` an admin (None: from the
    command line); commits. How many tokens were revoked."""
    end_sessions(user)
    actor_id = None if by is None else by.id
    live = [token for token in tokens_of(user) if token.revoked_at is None]
    for token in live:
        token.revoked_at = utcnow()
        activity.record("token.revoked", "api_token", token.id, actor_id)
    activity.record(
        "user.signed_out_everywhere", "user", user.id, actor_id, tokens_revoked=len(live)
    )
    db.session.commit()
    return len(live)


def check_password(user: User, *, password: str) -> bool:
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


def authenticate(email: str, *, password: str) -> User | None:
    """The user with this email and password, or None.

    An unknown email costs the same argon2 work as a wrong password, so that the
    response time does not tell whether an account exists.
    """
    user = user_by_email(email)
    if user is None:
        _verify(_dummy_hash(), password)
        return None
    return user if check_password(user, password=password) else None


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(32))


def listing(*, email: str, page: int, per_page: int) -> tuple[list[User], int]:
    """Every account by e-mail, or those whose address contains ``email``."""
    query = select(User).order_by(User.email)
    if email:
        query = query.where(User.email.contains(email, autoescape=True))
    return paginate(query, page, per_page)
