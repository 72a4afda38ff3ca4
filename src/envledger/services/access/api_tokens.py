"""Use cases: API tokens for scripts (``Authorization: Bearer <token>``).

A token is shown once when issued; the ledger keeps only its SHA-256. Tokens carry
scopes (services.access.roles.TOKEN_SCOPES) that narrow the owner's role, and stop working when
revoked, expired, or when the owner is disabled. Issuing and revoking are audited.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from envledger.errors import AuthenticationError, ConflictError, EnvledgerError, NotFoundError
from envledger.services.access.accounts import principal_of
from envledger.services.access.roles import ROLE_PERMISSIONS, TOKEN_SCOPES, Principal, Role
from envledger.services.audit.trail import record_event, who_and_when
from envledger.store.accounts import ApiToken, AppUser
from envledger.store.db import session_scope

PREFIX = "elt_"
"""Every token starts with this, so a leaked one is easy to recognise."""
MAX_DAYS = 3660
"""Longest lifetime of an expiring token [days] (ten years)."""


@dataclass(frozen=True)
class IssuedToken:
    """A newly issued token: ``secret`` is shown once and never stored."""

    id: int
    username: str
    name: str
    scopes: tuple[str, ...]
    expires_at: datetime | None
    secret: str


@dataclass(frozen=True)
class TokenInfo:
    """A token as listed: no secret."""

    id: int
    username: str
    name: str
    scopes: tuple[str, ...]
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None


def token_hash(secret: str) -> str:
    """SHA-256 (hex) of a token or session id: what the ledger stores."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


def issue_token(
    url: str, username: str, name: str, scopes: list[str], days: int | None = None,
    actor: str = "cli", now: datetime | None = None,
) -> IssuedToken:
    """Issue a token for an active user; each scope must grant something the role has."""
    now = now or datetime.now(UTC)
    if not name or len(name) > 100:
        raise EnvledgerError("a token needs a name of 1 to 100 characters")
    if not scopes:
        raise EnvledgerError(f"a token needs a scope: {', '.join(TOKEN_SCOPES)}")
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise EnvledgerError(f"a token lives 1 to {MAX_DAYS} days")
    secret = PREFIX + secrets.token_urlsafe(32)
    with session_scope(url) as session:
        user = session.scalar(select(AppUser).where(AppUser.username == username))
        if user is None:
            raise NotFoundError(f"no user '{username}'")
        if not user.active:
            raise EnvledgerError(f"user '{username}' is disabled")
        for scope in scopes:
            if scope not in TOKEN_SCOPES:
                raise EnvledgerError(
                    f"unknown scope '{scope}'; choose from {', '.join(TOKEN_SCOPES)}")
            if not TOKEN_SCOPES[scope] & ROLE_PERMISSIONS[Role(user.role)]:
                raise EnvledgerError(f"scope '{scope}' grants a {user.role} nothing")
        token = ApiToken(
            user_id=user.id, name=name, token_hash=token_hash(secret),
            scopes=sorted(set(scopes)), created_at=now,
            expires_at=now + timedelta(days=days) if days is not None else None,
        )
        session.add(token)
        session.flush()
        record_event(session, actor, "token.issue", "api_token", {"after": {
            "id": token.id, "username": username, "name": name, "scopes": token.scopes,
            "expires_at": token.expires_at.isoformat() if token.expires_at else None,
        }}, rows={"api_token": {"id": token.id}})
    return IssuedToken(token.id, username, name, tuple(token.scopes), token.expires_at, secret)


def revoke_token(url: str, token_id: int, actor: str = "cli",
                 now: datetime | None = None) -> TokenInfo:
    """Revoke a token from now on.

    Raises
    ------
    NotFoundError
        If there is no such token.
    ConflictError
        If it is revoked already (e.g. by someone a moment ago: the message says who and
        when); nothing is written.
    """
    with session_scope(url) as session:
        revoked = session.execute(
            update(ApiToken).where(ApiToken.id == token_id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=now or datetime.now(UTC))
            .execution_options(synchronize_session=False)
        ).rowcount == 1
        token = session.get(ApiToken, token_id)
        if token is None:
            raise NotFoundError(f"no API token with id {token_id}")
        if not revoked:
            by = who_and_when(session, "token.revoke", lambda d: d["id"] == token_id)
            raise ConflictError(f"API token {token_id} was already revoked"
                                + (f" ({by})" if by else "") + "; nothing changed")
        record_event(session, actor, "token.revoke", "api_token",
                     {"id": token.id, "name": token.name},
                     rows={"api_token": {"id": token.id}})
        return _info(session, token)


def _info(session: Session, token: ApiToken) -> TokenInfo:
    username = session.scalar(select(AppUser.username).where(AppUser.id == token.user_id))
    created = token.created_at
    return TokenInfo(
        token.id, username or "", token.name, tuple(token.scopes),
        created if created.tzinfo else created.replace(tzinfo=UTC),
        _aware(token.last_used_at), _aware(token.expires_at), _aware(token.revoked_at),
    )


def list_tokens(url: str, username: str | None = None) -> list[TokenInfo]:
    """Every token (or one user's), oldest first, revoked ones included."""
    with session_scope(url) as session:
        query = select(ApiToken).order_by(ApiToken.id)
        if username is not None:
            query = query.join(AppUser, AppUser.id == ApiToken.user_id).where(
                AppUser.username == username)
        return [_info(session, token) for token in session.scalars(query)]


def token_principal(url: str, secret: str, now: datetime | None = None) -> Principal:
    """The caller a bearer token stands for; records when it was last used.

    Raises AuthenticationError for an unknown, revoked or expired token or a disabled user.
    """
    now = now or datetime.now(UTC)
    refused = AuthenticationError("invalid, revoked or expired API token")
    if not secret.startswith(PREFIX):
        raise refused
    with session_scope(url) as session:
        row = session.execute(
            select(ApiToken, AppUser).join(AppUser, AppUser.id == ApiToken.user_id)
            .where(ApiToken.token_hash == token_hash(secret))
        ).one_or_none()
        if row is None:
            raise refused
        token, user = row
        expires = _aware(token.expires_at)
        if token.revoked_at is not None or not user.active or (
            expires is not None and expires <= now
        ):
            raise refused
        session.execute(update(ApiToken).where(ApiToken.id == token.id)
                        .values(last_used_at=now))
        return principal_of(session, user, "token", frozenset(token.scopes))
