"""Use cases: server-side browser sessions, sign-in and sign-out.

A session id is a random value in a cookie; the ledger keeps its SHA-256 with the user,
the expiry and the CSRF token of the session's forms. A row is written only by signing
in (the login form's CSRF token is signed, not stored: web.app.login_form). Signing in
deletes the browser's previous session and issues a NEW id: a session id known before
login (planted by an attacker, say) is never promoted. Signing out deletes the row.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from envledger.services.access.accounts import authenticate, principal_of
from envledger.services.access.api_tokens import token_hash
from envledger.services.access.roles import Principal
from envledger.services.access.throttle import DEFAULT_POLICY, SigninPolicy
from envledger.store.accounts import AppUser, WebSession
from envledger.store.db import session_scope


@dataclass(frozen=True)
class BrowserSession:
    """A session as the web layer sees it: the cookie value is ``session_id``."""

    session_id: str
    csrf_token: str
    principal: Principal
    expires_at: datetime


def _now(now: datetime | None) -> datetime:
    return now if now is not None else datetime.now(UTC)


def _new(session: Session, user: AppUser | None, principal: Principal, now: datetime,
         lifetime: timedelta) -> BrowserSession:
    session_id, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires = now + lifetime
    session.add(WebSession(
        id_hash=token_hash(session_id), user_id=user.id if user else None, csrf_token=csrf,
        created_at=now, expires_at=expires,
    ))
    return BrowserSession(session_id, csrf, principal, expires)


def _prune(session: Session, now: datetime) -> None:
    session.execute(delete(WebSession).where(WebSession.expires_at <= now))


def find_session(url: str, session_id: str, now: datetime | None = None) -> BrowserSession | None:
    """The live signed-in session with this id, or None (unknown, expired, user disabled)."""
    now = _now(now)
    with session_scope(url) as session:
        row = session.get(WebSession, token_hash(session_id))
        if row is None:
            return None
        expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(
            tzinfo=UTC)
        if expires <= now:
            return None
        # no user: a login form's anonymous session left by an older envledger
        user = session.get(AppUser, row.user_id) if row.user_id is not None else None
        if user is None or not user.active:
            return None
        return BrowserSession(session_id, row.csrf_token,
                              principal_of(session, user, "session"), expires)


def sign_in(
    url: str, username: str, password: str, hours: float, previous_id: str | None = None,
    now: datetime | None = None, address: str = "local", policy: SigninPolicy = DEFAULT_POLICY,
) -> BrowserSession:
    """Check the password and open a new session of ``hours``; the previous one ends.

    ``address`` is the client's, for the per-address throttle. Raises
    AuthenticationError (services.access.accounts.authenticate).
    """
    now = _now(now)
    user_id = authenticate(url, username, password, address, now, policy)
    with session_scope(url) as session:
        if previous_id is not None:
            session.execute(
                delete(WebSession).where(WebSession.id_hash == token_hash(previous_id)))
        _prune(session, now)
        user = session.get_one(AppUser, user_id)
        return _new(session, user, principal_of(session, user, "session"), now,
                    timedelta(hours=hours))


def sign_out(url: str, session_id: str) -> None:
    """End a session: its id stops working at once."""
    with session_scope(url) as session:
        session.execute(delete(WebSession).where(WebSession.id_hash == token_hash(session_id)))
