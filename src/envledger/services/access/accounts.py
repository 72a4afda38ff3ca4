"""Use cases: user accounts, their roles and facility scope, and password sign-in.

Passwords are hashed with Argon2id (pwdlib). Every change to a user appends an audit
event in the same transaction. Repeated failed sign-ins make further attempts wait
(exponential back-off per account and per client address, services.access.throttle);
the clock is a parameter so tests can move it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from envledger.errors import AuthenticationError, ConflictError, EnvledgerError, NotFoundError
from envledger.services.access.roles import ASSIGNABLE_ROLES, Principal, Role, user_principal
from envledger.services.access.throttle import (
    DEFAULT_POLICY,
    SigninPolicy,
    Turn,
    settle,
    touch_address,
    turn_at_address,
    turn_on_account,
)
from envledger.services.audit.trail import (
    queue_behind_audited_changes,
    record_event,
    who_and_when,
)
from envledger.store.accounts import AppUser, UserFacility
from envledger.store.db import session_scope
from envledger.store.models import Facility

REFUSED = "wrong username or password, or too many failed attempts: wait a little and retry"
"""The one answer to every refused sign-in."""
MIN_PASSWORD_LENGTH = 10
"""Shortest password accepted [characters]."""

# Argon2id with OWASP's Password Storage Cheat Sheet minimum (m = 19 MiB, t = 2, p = 1):
# about 50 ms a sign-in on a laptop core. A hash records its parameters, so raising them
# later still verifies the hashes stored before.
_HASHER = PasswordHash((Argon2Hasher(memory_cost=19456, time_cost=2, parallelism=1),))
_DUMMY_HASH = _HASHER.hash("an unknown user still costs one Argon2 verification")


@dataclass(frozen=True)
class UserInfo:
    """A user as listed: no secrets."""

    username: str
    display_name: str
    role: Role
    facilities: tuple[str, ...]
    active: bool
    locked_until: datetime | None

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "username": self.username, "display_name": self.display_name,
            "role": str(self.role), "facilities": list(self.facilities),
            "active": self.active,
            "locked_until": self.locked_until.isoformat() if self.locked_until else None,
        }


def _now(now: datetime | None) -> datetime:
    return now if now is not None else datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    # SQLite returns naive datetimes for timezone=True columns; they were stored in UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def parse_role(text: str) -> Role:
    """The assignable Role named ``text``; EnvledgerError listing the choices otherwise."""
    if text not in {str(role) for role in ASSIGNABLE_ROLES}:
        choices = ", ".join(ASSIGNABLE_ROLES)
        raise EnvledgerError(f"unknown role '{text}'; choose one of {choices}")
    return Role(text)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise EnvledgerError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")


def _user(session: Session, username: str) -> AppUser:
    user = session.scalar(select(AppUser).where(AppUser.username == username))
    if user is None:
        raise NotFoundError(f"no user '{username}'")
    return user


def _facility_codes(session: Session, user_id: int) -> tuple[str, ...]:
    return tuple(session.scalars(
        select(Facility.code).join(UserFacility, UserFacility.facility_id == Facility.id)
        .where(UserFacility.user_id == user_id).order_by(Facility.code)
    ))


def _set_scope(session: Session, user: AppUser, role: Role, facilities: list[str]) -> None:
    if role is Role.facility_owner and not facilities:
        raise EnvledgerError("a facility_owner needs at least one facility (--facility)")
    if role is not Role.facility_owner and facilities:
        raise EnvledgerError(f"only a facility_owner has a facility scope, not a {role}")
    found = dict(session.execute(
        select(Facility.code, Facility.id).where(Facility.code.in_(facilities))
    ).all())
    missing = sorted(set(facilities) - set(found))
    if missing:
        raise NotFoundError(f"no facility {', '.join(repr(code) for code in missing)}")
    session.execute(delete(UserFacility).where(UserFacility.user_id == user.id))
    session.add_all(UserFacility(user_id=user.id, facility_id=found[code])
                    for code in sorted(set(facilities)))


def _keep_an_admin(session: Session, user: AppUser, what: str) -> None:
    """Refuse to ``what`` (disable, demote) ``user`` if they are the last active admin."""
    if not (user.active and user.role == Role.admin):
        return
    # Two admins demoting each other at once must not both succeed. PostgreSQL: FOR UPDATE
    # locks every admin row (in id order, so two callers cannot deadlock) and re-reads
    # them. SQLite reads outside a transaction until its first write: write first.
    if session.get_bind().dialect.name == "sqlite":
        session.execute(update(AppUser).where(AppUser.id == user.id)
                        .values(role=AppUser.role).execution_options(synchronize_session=False))
    admins = session.scalars(
        select(AppUser.id).where(AppUser.role == str(Role.admin), AppUser.active.is_(True))
        .order_by(AppUser.id).with_for_update()
    ).all()
    if admins == [user.id]:
        raise EnvledgerError(
            f"'{user.username}' is the last active admin and cannot be {what}d: make another"
            " user admin first; nothing changed")


def _user_rows(user: AppUser) -> dict[str, dict[str, int]]:
    """The tracked rows (services.audit.fingerprint) of a user: account and scope."""
    return {"app_user": {"id": user.id}, "app_user_facility": {"user_id": user.id}}


def _info(session: Session, user: AppUser) -> UserInfo:
    return UserInfo(
        user.username, user.display_name, Role(user.role), _facility_codes(session, user.id),
        user.active, _aware(user.locked_until) if user.locked_until else None,
    )


def add_user(
    url: str, username: str, password: str, role: Role, facilities: list[str] | None = None,
    display_name: str = "", actor: str = "cli", now: datetime | None = None,
) -> UserInfo:
    """Create an active user with an Argon2 password hash and (facility owners) a scope."""
    if not username or len(username) > 100 or not username.isprintable() or " " in username:
        raise EnvledgerError("a username is 1 to 100 printable characters without spaces")
    _check_password(password)
    with session_scope(url) as session:
        if session.scalar(select(AppUser.id).where(AppUser.username == username)) is not None:
            raise EnvledgerError(f"user '{username}' exists already")
        user = AppUser(
            username=username, display_name=display_name or username,
            password_hash=_HASHER.hash(password), role=str(role), active=True,
            failed_logins=0, locked_until=None, created_at=_now(now),
        )
        session.add(user)
        session.flush()
        _set_scope(session, user, role, facilities or [])
        info = _info(session, user)
        record_event(session, actor, "user.add", "app_user", {"after": info.as_dict()},
                     rows=_user_rows(user))
    return info


def list_users(url: str) -> list[UserInfo]:
    """Every user, by username."""
    with session_scope(url) as session:
        users = session.scalars(select(AppUser).order_by(AppUser.username)).all()
        return [_info(session, user) for user in users]


def set_role(
    url: str, username: str, role: Role, facilities: list[str] | None = None,
    actor: str = "cli",
) -> UserInfo:
    """Change a user's role and facility scope (recorded with before and after).

    The last active admin keeps the admin role (EnvledgerError).
    """
    with session_scope(url) as session:
        # Concurrent changes to users queue here, so each "before" is what the last wrote.
        queue_behind_audited_changes(session)
        user = _user(session, username)
        if role is not Role.admin:
            _keep_an_admin(session, user, "demote")
        before = _info(session, user)
        user.role = str(role)
        _set_scope(session, user, role, facilities or [])
        session.flush()
        after = _info(session, user)
        record_event(session, actor, "user.set_role", "app_user",
                     {"before": before.as_dict(), "after": after.as_dict()},
                     rows=_user_rows(user))
    return after


def set_active(url: str, username: str, active: bool, actor: str = "cli") -> UserInfo:
    """Disable (or enable again) a user; a disabled user's sessions and tokens stop working.

    Enabling also clears a lock and the failed-login count. The last active admin cannot
    be disabled (EnvledgerError).

    Raises
    ------
    ConflictError
        If the user is disabled (enabled) already, e.g. by someone a moment ago: the
        message says who and when; nothing is written.
    """
    action = "user.enable" if active else "user.disable"
    with session_scope(url) as session:
        queue_behind_audited_changes(session)
        user = _user(session, username)
        if user.active == active:
            by = who_and_when(session, action, lambda d: d["after"]["username"] == username)
            raise ConflictError(f"user '{username}' is already {action[5:]}d"
                                + (f" ({by})" if by else "") + "; nothing changed")
        if not active:
            _keep_an_admin(session, user, "disable")
        before = _info(session, user)
        user.active = active
        if active:
            user.failed_logins, user.locked_until = 0, None
        session.flush()
        after = _info(session, user)
        record_event(session, actor, action, "app_user",
                     {"before": before.as_dict(), "after": after.as_dict()},
                     rows=_user_rows(user))
    return after


def principal_of(session: Session, user: AppUser, via: str,
                 scopes: frozenset[str] | None = None) -> Principal:
    """The Principal of an (active) user, read inside ``session``."""
    return user_principal(user.username, Role(user.role),
                          frozenset(_facility_codes(session, user.id)), via, scopes)


class _Throttled(Exception):
    """Rolls the turn's transaction back: a refused attempt counts nothing."""


def _turn(url: str, username: str, address: str, now: datetime,
          policy: SigninPolicy) -> tuple[Turn | None, str, bool]:
    """Take a turn for an attempt: (turn or None when throttled, hash to check, active)."""
    try:
        with session_scope(url) as session:
            # The address counter is written first (see turn_at_address), the user read after.
            turn = turn_at_address(session, address, now, policy)
            user = session.execute(
                select(AppUser.id, AppUser.password_hash, AppUser.active)
                .where(AppUser.username == username)
            ).one_or_none()
            if turn is not None and user is not None:
                turn = turn_on_account(session, turn, user.id, now, policy)
            if turn is None:
                raise _Throttled
            return turn, user.password_hash if user else _DUMMY_HASH, bool(user and user.active)
    except _Throttled:
        with session_scope(url) as session:
            touch_address(session, address)
        return None, _DUMMY_HASH, False


def authenticate(url: str, username: str, password: str, address: str,
                 now: datetime | None = None, policy: SigninPolicy = DEFAULT_POLICY) -> int:
    """Check a password, throttled per account and per client ``address``; the user's id.

    Every refusal (unknown user, wrong password, disabled, throttled) costs one Argon2
    verification and raises the same AuthenticationError, so neither the answer nor its
    time tells them apart. The turn is taken (and committed) before the slow check, in
    its own short transaction, so concurrent guesses cannot pass the throttle
    (services.access.throttle). The failure that starts an account's back-off appends a
    ``user.lock`` audit event.
    """
    now = _now(now)
    turn, password_hash, active = _turn(url, username, address, now, policy)
    matches = _HASHER.verify(password, password_hash)
    if turn is None:
        raise AuthenticationError(REFUSED)
    succeeded = matches and active and turn.user_id is not None
    with session_scope(url) as session:
        started = settle(session, turn, succeeded, now, policy)
        if started is not None:
            record_event(session, username, "user.lock", "app_user", {
                "username": username, "failed_logins": turn.account_failures,
                "locked_until": started.isoformat(),
            })
    if not succeeded or turn.user_id is None:
        raise AuthenticationError(REFUSED)
    return turn.user_id
