"""Sign-in throttling: exponential back-off per account and per client address.

Two counters of failed sign-ins in a row: the account's (``app_user.failed_logins``) and
the client address's (``signin_address``). After ``free`` failures, the next attempt is
checked only once ``base * 2^(failures - free)`` seconds have passed since the last one
(capped); an attempt made earlier is refused without looking at the password and counts
nothing. A successful sign-in clears both counters.

Each attempt takes a turn before its password is verified: one atomic
``UPDATE ... SET failures = failures + 1 ... RETURNING`` per counter that succeeds only
while the counter allows an attempt. So a burst of concurrent guesses gets at most
``free`` passwords checked, and once the free failures are used, one attempt at a time:
its turn holds the counter closed (``cap`` ahead) until its outcome is known.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, case, or_, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import InstrumentedAttribute, Session

from envledger.settings import Settings
from envledger.store.accounts import AppUser, SigninAddress

_DEFAULTS = Settings.model_fields


@dataclass(frozen=True)
class SigninPolicy:
    """How many failed sign-ins are free, and how long each further attempt waits."""

    account_free: int = _DEFAULTS["signin_free_failures"].default
    address_free: int = _DEFAULTS["signin_address_free_failures"].default
    base_seconds: float = _DEFAULTS["signin_backoff_seconds"].default
    cap_seconds: float = _DEFAULTS["signin_backoff_cap_seconds"].default

    @classmethod
    def from_settings(cls, settings: Settings) -> SigninPolicy:
        """The policy the settings (ENVLEDGER_SIGNIN_*) describe."""
        return cls(settings.signin_free_failures, settings.signin_address_free_failures,
                   settings.signin_backoff_seconds, settings.signin_backoff_cap_seconds)

    def wait(self, failures: int, free: int) -> timedelta:
        """How long the next attempt waits after ``failures`` failures in a row [s]."""
        if failures < free:
            return timedelta(0)
        doublings = min(failures - free, 60)  # 2^60 s is past any cap; avoids float overflow
        return timedelta(seconds=min(self.base_seconds * 2**doublings, self.cap_seconds))


DEFAULT_POLICY = SigninPolicy()
"""The policy of the default settings."""


@dataclass(frozen=True)
class _Counter:
    """One counter's row and columns."""

    model: Any
    where: ColumnElement[bool]
    failures: InstrumentedAttribute[int]
    until: InstrumentedAttribute[datetime | None]
    free: int


def _account(user_id: int, policy: SigninPolicy) -> _Counter:
    return _Counter(AppUser, AppUser.id == user_id, AppUser.failed_logins,
                    AppUser.locked_until, policy.account_free)


def _address(address: str, policy: SigninPolicy) -> _Counter:
    return _Counter(SigninAddress, SigninAddress.address == address, SigninAddress.failures,
                    SigninAddress.blocked_until, policy.address_free)


def _take(session: Session, counter: _Counter, now: datetime, hold: datetime) -> int | None:
    """Count an attempt if the counter allows one; its number, or None when throttled."""
    allowed = or_(
        (counter.until.is_(None)) & (counter.failures < counter.free), counter.until <= now)
    return session.execute(
        update(counter.model).where(counter.where, allowed).values({
            counter.failures: counter.failures + 1,
            counter.until: case((counter.failures + 1 >= counter.free, hold),
                                else_=counter.until),
        }).returning(counter.failures).execution_options(synchronize_session=False)
    ).scalar_one_or_none()


@dataclass(frozen=True)
class Turn:
    """An attempt allowed to check its password: its number on each counter."""

    address: str
    address_failures: int
    user_id: int | None = None
    account_failures: int = 0


def turn_at_address(session: Session, address: str, now: datetime,
                    policy: SigninPolicy) -> Turn | None:
    """Count an attempt from ``address`` if its counter allows one; None when throttled.

    Call it first in a transaction that is rolled back on None, so that a refused
    attempt counts nothing. It writes before anything is read: on SQLite the transaction
    then holds the write lock from its start (no failed upgrade from a read snapshot).
    """
    address = address[:100]
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    session.execute(insert(SigninAddress).values(address=address, failures=0,
                                                 blocked_until=None).on_conflict_do_nothing())
    taken = _take(session, _address(address, policy), now, _hold(now, policy))
    return None if taken is None else Turn(address, taken)


def turn_on_account(session: Session, turn: Turn, user_id: int, now: datetime,
                    policy: SigninPolicy) -> Turn | None:
    """``turn`` counted on the account too if its counter allows; None when throttled."""
    taken = _take(session, _account(user_id, policy), now, _hold(now, policy))
    return None if taken is None else Turn(turn.address, turn.address_failures, user_id,
                                           taken)


def touch_address(session: Session, address: str) -> None:
    """Rewrite the address's row unchanged: a throttled attempt then commits as much as a
    counted one (on SQLite, a synced commit), so its time does not tell it apart."""
    session.execute(update(SigninAddress).where(SigninAddress.address == address[:100])
                    .values(failures=SigninAddress.failures)
                    .execution_options(synchronize_session=False))


def _hold(now: datetime, policy: SigninPolicy) -> datetime:
    # Once the free failures are used, a turn keeps the counter closed until its outcome
    # is settled; the cap bounds it should the process die in between.
    return now + timedelta(seconds=policy.cap_seconds)


def settle(session: Session, turn: Turn, succeeded: bool, now: datetime,
           policy: SigninPolicy) -> datetime | None:
    """Clear both counters after a success; after a failure start the back-off.

    Returns the moment the account's back-off ends when this failure started it (the
    ``free``-th failure in a row), else None.
    """
    counters = [(_address(turn.address, policy), turn.address_failures)]
    if turn.user_id is not None:
        counters.append((_account(turn.user_id, policy), turn.account_failures))
    started = None
    for counter, failures in counters:
        if succeeded:
            values = {counter.failures: 0, counter.until: None}
        elif failures >= counter.free:
            values = {counter.until: now + policy.wait(failures, counter.free)}
            if counter.model is AppUser and failures == counter.free:
                started = values[counter.until]
        else:
            continue  # inside the free failures: the count taken with the turn is all
        session.execute(update(counter.model).where(counter.where).values(values)
                        .execution_options(synchronize_session=False))
    return started
