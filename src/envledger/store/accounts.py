"""Accounts: users with a role, their facility scope, API tokens and web sessions.

Secrets are never stored: a password is kept as its Argon2 hash, an API token and a
web session id as the SHA-256 of the random value handed out once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from envledger.store.models import Base


class AppUser(Base):
    """A person who signs in: one role, active or disabled, with the failed-login count.

    ``locked_until``: no sign-in attempt on this account is checked before then (back-off).
    """

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean)
    failed_logins: Mapped[int] = mapped_column(Integer)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class UserFacility(Base):
    """A facility a facility owner may read and write (the user's scope)."""

    __tablename__ = "app_user_facility"

    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), primary_key=True)
    facility_id: Mapped[int] = mapped_column(ForeignKey("facility.id"), primary_key=True)


class ApiToken(Base):
    """A bearer token for scripts: hashed, scoped, revocable, optionally expiring."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class WebSession(Base):
    """A server-side browser session; ``user_id`` is empty before login (login form only)."""

    __tablename__ = "web_session"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class SigninAddress(Base):
    """Failed sign-ins in a row from one client address, and its back-off."""

    __tablename__ = "signin_address"

    address: Mapped[str] = mapped_column(String(100), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    blocked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
