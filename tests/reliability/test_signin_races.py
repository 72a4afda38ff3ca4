"""Sign-in under attack: concurrent guesses and timing (issue 9, items 5 and 6).

Real threads against a real SQLite file and the real PostgreSQL server. A burst of 30
sign-ins (29 wrong, the right one among them) must get at most ``account_free`` = 5
passwords checked: the turns are counted atomically before the slow Argon2 check. Every
refusal (unknown user, wrong password, throttled, disabled) must take about as long as
any other, so timing does not tell which one it was. Two admins removing each other at
once must leave one (item 13).
"""

from __future__ import annotations

import random
import statistics
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest

from envledger.errors import AuthenticationError, EnvledgerError
from envledger.services.access import accounts
from envledger.services.access.accounts import add_user, list_users, set_active, set_role
from envledger.services.access.roles import Role
from envledger.services.access.throttle import SigninPolicy
from envledger.services.access.web_sessions import sign_in

PASSWORD = "correct horse battery"
BURST = 30


class _CountingHasher:
    """The real Argon2 hasher, noting which passwords were checked against a real hash."""

    def __init__(self, inner: object) -> None:
        self.inner = inner
        self.checked: list[str] = []
        self.lock = threading.Lock()

    def verify(self, password: str, password_hash: str) -> bool:
        if password_hash != accounts._DUMMY_HASH:
            with self.lock:
                self.checked.append(password)
        return self.inner.verify(password, password_hash)  # type: ignore[attr-defined]

    def hash(self, password: str) -> str:
        return self.inner.hash(password)  # type: ignore[attr-defined]


SLOW = SigninPolicy(base_seconds=60)
"""The default policy but a first wait that outlasts the burst."""


def _attempt(url: str, username: str, password: str, address: str) -> bool:
    try:
        sign_in(url, username, password, 8, address=address, policy=SLOW)
    except AuthenticationError:
        return False
    return True


def _burst(url: str, username: str, passwords: list[str]) -> list[bool]:
    """Every password tried at once, each from its own address (a botnet)."""
    barrier = threading.Barrier(len(passwords))

    def guess(n: int) -> bool:
        barrier.wait(timeout=20)
        return _attempt(url, username, passwords[n], f"203.0.113.{n}")

    started = time.monotonic()
    with ThreadPoolExecutor(len(passwords)) as pool:
        results = list(pool.map(guess, range(len(passwords)), timeout=60))
    assert time.monotonic() - started < 60
    return results


def test_a_burst_of_guesses_gets_at_most_the_free_failures_checked(
    ledger_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_user(ledger_url, "ana", PASSWORD, Role.admin)
    add_user(ledger_url, "bo", PASSWORD, Role.reviewer)
    hasher = _CountingHasher(accounts._HASHER)
    monkeypatch.setattr(accounts, "_HASHER", hasher)
    free = SLOW.account_free

    # 30 wrong guesses at once: exactly the 5 free ones are checked, then bo waits
    assert not any(_burst(ledger_url, "bo", [f"wrong guess {n:02d}" for n in range(BURST)]))
    assert len(hasher.checked) == free  # 30 before the fix
    assert not _attempt(ledger_url, "bo", PASSWORD, "198.51.100.7")  # even the right one
    assert len(hasher.checked) == free  # ... is refused without a check

    # 29 wrong and the right one at once: the right one gets in only if it took one of
    # the free turns; its success clears the count, so at most 5 more wrong are checked.
    hasher.checked.clear()
    passwords = [f"wrong guess {n:02d}" for n in range(BURST - 1)] + [PASSWORD]
    random.Random(9).shuffle(passwords)
    results = _burst(ledger_url, "ana", passwords)
    right_checked = PASSWORD in hasher.checked
    assert sum(results) == int(right_checked)
    assert len(hasher.checked) <= (2 * free if right_checked else free)
    if not right_checked:  # throttled now, even for the right password
        assert not _attempt(ledger_url, "ana", PASSWORD, "198.51.100.7")


def _timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    with pytest.raises(AuthenticationError):
        call()
    return time.perf_counter() - started


def test_every_refusal_takes_the_same_time(ledger_url: str) -> None:
    """Medians of 12 tries per path, interleaved so that the machine's load hits all alike;
    the slowest median is within 1.5 times the fastest (4 ms against 25 ms before)."""
    add_user(ledger_url, "ana", PASSWORD, Role.admin)
    add_user(ledger_url, "bo", PASSWORD, Role.reviewer)
    add_user(ledger_url, "cy", PASSWORD, Role.reviewer)
    set_active(ledger_url, "cy", False)
    roomy = SigninPolicy(account_free=1000, address_free=1000)
    # one failure with an hour-long first wait throttles bo for the whole test
    with pytest.raises(AuthenticationError):
        sign_in(ledger_url, "bo", "wrong password", 8,
                policy=SigninPolicy(account_free=1, base_seconds=3600, cap_seconds=3600))
    now = datetime.now(UTC)
    paths = {
        "unknown user": ("nobody", PASSWORD),
        "wrong password": ("ana", "wrong password"),
        "throttled": ("bo", PASSWORD),
        "disabled": ("cy", PASSWORD),
    }
    times: dict[str, list[float]] = {path: [] for path in paths}
    for _ in range(12):
        for path, (username, password) in paths.items():
            times[path].append(_timed(lambda u=username, p=password: sign_in(
                ledger_url, u, p, 8, now=now, policy=roomy)))
    medians = {path: statistics.median(values) for path, values in times.items()}
    assert max(medians.values()) / min(medians.values()) < 1.5, medians


def test_two_admins_removing_each_other_at_once_leave_one(ledger_url: str) -> None:
    """Item 13 under contention: a demotes themself while b is disabled, at once; each
    check alone sees another admin, so without the lock both passed (0 admins left)."""
    add_user(ledger_url, "a", PASSWORD, Role.admin)
    add_user(ledger_url, "b", PASSWORD, Role.admin)
    barrier = threading.Barrier(2)
    changes = {"a": lambda: set_role(ledger_url, "a", Role.reviewer, actor="a"),
               "b": lambda: set_active(ledger_url, "b", False, actor="a")}

    def change(name: str) -> str:
        barrier.wait(timeout=20)
        try:
            changes[name]()
        except EnvledgerError as error:
            return str(error)
        return "done"

    with ThreadPoolExecutor(2) as pool:
        outcomes = list(pool.map(change, changes, timeout=30))
    assert sorted(outcome == "done" for outcome in outcomes) == [False, True]
    assert "is the last active admin" in next(o for o in outcomes if o != "done")
    admins = [u for u in list_users(ledger_url) if u.role == Role.admin and u.active]
    assert len(admins) == 1
