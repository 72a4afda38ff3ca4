"""Accounts and tokens in the ledger: Argon2 hashes, back-off, audit events, revocation.

The sign-in back-off (services.access.throttle) runs on a clock passed in, so the tests
move it by hand; concurrent guesses are in tests/reliability/test_signin_races.py.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from envledger.errors import AuthenticationError, EnvledgerError, NotFoundError
from envledger.services.access.accounts import (
    add_user,
    list_users,
    parse_role,
    set_active,
    set_role,
)
from envledger.services.access.api_tokens import issue_token, revoke_token, token_principal
from envledger.services.access.roles import Permission, Role
from envledger.services.access.throttle import DEFAULT_POLICY, SigninPolicy
from envledger.services.access.web_sessions import find_session, sign_in
from envledger.services.audit.chain import audit_log, verify_chain
from envledger.services.inventory.calculate import prepare_ledger
from envledger.services.ledger.importing import import_facilities
from envledger.store.accounts import ApiToken, AppUser
from envledger.store.db import session_scope
from tests.support.publication import write_company

PASSWORD = "correct horse battery"
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def ledger(ledger_url: str, tmp_path) -> str:  # type: ignore[no-untyped-def]
    """The ledger with the small company's two facilities (CD-OF, WH-CD)."""
    prepare_ledger(ledger_url)
    import_facilities(ledger_url, write_company(tmp_path)[0])
    return ledger_url


def _actions(url: str) -> list[str]:
    return [event["action"] for event in reversed(audit_log(url, limit=100))]


def test_users_roles_and_their_audit_trail(ledger: str) -> None:
    add_user(ledger, "ana", PASSWORD, Role.admin, actor="root")
    site = add_user(ledger, "sam", PASSWORD, Role.facility_owner, ["WH-CD", "CD-OF"])
    assert site.facilities == ("CD-OF", "WH-CD")
    with session_scope(ledger) as session:
        stored = session.scalar(select(AppUser.password_hash).where(AppUser.username == "ana"))
    assert stored.startswith("$argon2id$") and PASSWORD not in stored

    changed = set_role(ledger, "sam", Role.verifier, actor="ana")
    assert (changed.role, changed.facilities) == (Role.verifier, ())
    set_active(ledger, "sam", False, actor="ana")
    assert [(u.username, u.active) for u in list_users(ledger)] == [("ana", True), ("sam", False)]

    assert _actions(ledger)[-4:] == ["user.add", "user.add", "user.set_role", "user.disable"]
    change = next(e for e in audit_log(ledger) if e["action"] == "user.set_role")
    assert change["actor"] == "ana"
    assert change["detail"]["before"]["role"] == "facility_owner"
    assert change["detail"]["after"]["role"] == "verifier"
    assert verify_chain(ledger).ok


def test_bad_accounts_are_refused_and_change_nothing(ledger: str) -> None:
    with pytest.raises(EnvledgerError, match="at least 10 characters"):
        add_user(ledger, "ana", "123456789", Role.admin)  # 9 characters: one short
    add_user(ledger, "ana", "1234567890", Role.admin)  # exactly 10: accepted
    with pytest.raises(EnvledgerError, match="exists already"):
        add_user(ledger, "ana", PASSWORD, Role.admin)
    with pytest.raises(EnvledgerError, match="needs at least one facility"):
        add_user(ledger, "sam", PASSWORD, Role.facility_owner)
    with pytest.raises(NotFoundError, match="'XX-1'"):
        add_user(ledger, "sam", PASSWORD, Role.facility_owner, ["CD-OF", "XX-1"])
    with pytest.raises(EnvledgerError, match="only a facility_owner"):
        add_user(ledger, "sam", PASSWORD, Role.reviewer, ["CD-OF"])
    with pytest.raises(EnvledgerError, match="unknown role 'public'"):
        parse_role("public")
    assert [u.username for u in list_users(ledger)] == ["ana"]


def _refused(url: str, username: str, password: str, at: datetime,
             address: str = "198.51.100.7", policy: SigninPolicy = DEFAULT_POLICY) -> None:
    with pytest.raises(AuthenticationError, match="wrong username or password"):
        sign_in(url, username, password, 8, now=at, address=address, policy=policy)


def _backoff_ends(url: str, username: str) -> datetime | None:
    return next(u.locked_until for u in list_users(url) if u.username == username)


def test_back_off_after_the_free_failures_with_a_moving_clock(ledger: str) -> None:
    """Default policy: 5 free failures, then 1 s, 2 s, 4 s ... between attempts, 900 s at
    most (2^10 = 1024 s > 900 s: the 16th failure in a row, 5 + 10 + 1, reaches the cap).
    The walk through the doublings uses a 16 s cap to keep the test short."""
    default = SigninPolicy()
    assert [default.wait(failures, 5).total_seconds() for failures in (4, 5, 6, 14, 15, 99)] == [
        0, 1, 2, 512, 900, 900]
    policy = SigninPolicy(cap_seconds=16)
    add_user(ledger, "ana", PASSWORD, Role.admin)
    # 4 failures (one below the threshold), then the right password: signed in, count reset.
    for second in range(4):
        _refused(ledger, "ana", "wrong password", T0 + timedelta(seconds=second))
    assert sign_in(ledger, "ana", PASSWORD, 8, now=T0 + timedelta(seconds=4)).principal
    # 5 failures in a row: the 5th (at T0 + 9 s) makes the next attempt wait 1 s.
    for second in range(5, 10):
        _refused(ledger, "ana", "wrong password", T0 + timedelta(seconds=second))
    fifth = T0 + timedelta(seconds=9)
    assert _backoff_ends(ledger, "ana") == fifth + timedelta(seconds=1)
    # right password 1 ms early: refused, and counts nothing (the wait does not grow)
    _refused(ledger, "ana", PASSWORD, fifth + timedelta(seconds=1) - timedelta(milliseconds=1))
    assert _backoff_ends(ledger, "ana") == fifth + timedelta(seconds=1)
    # each further failure doubles the wait: 6th -> 2 s, 7th -> 4 s, ..., capped at 16 s
    at, waits = fifth + timedelta(seconds=1), []
    for _ in range(5):
        _refused(ledger, "ana", "wrong password", at, policy=policy)
        ends = _backoff_ends(ledger, "ana")
        assert ends is not None
        waits.append((ends - at).total_seconds())
        at = ends
    assert waits == [2, 4, 8, 16, 16]
    assert sign_in(ledger, "ana", PASSWORD, 8, now=at, policy=policy).principal.username == "ana"
    assert _backoff_ends(ledger, "ana") is None
    assert _actions(ledger).count("user.lock") == 1  # when the back-off starts, not per failure


def test_back_off_per_client_address_spares_other_addresses(ledger: str) -> None:
    """N free failures per address (any usernames: password spraying; 20 by default, 3
    here), then back-off for every account from that address only."""
    assert SigninPolicy().address_free == 20
    policy = SigninPolicy(address_free=3)
    add_user(ledger, "ana", PASSWORD, Role.admin)
    attacker, office = "203.0.113.66", "198.51.100.7"
    for n in range(3):
        _refused(ledger, f"guess{n}", "Winter2026!", T0, address=attacker, policy=policy)
    # the address waits 1 s now, whichever account it tries
    _refused(ledger, "ana", PASSWORD, T0, address=attacker, policy=policy)
    assert sign_in(ledger, "ana", PASSWORD, 8, now=T0, address=office, policy=policy).principal
    assert sign_in(ledger, "ana", PASSWORD, 8, now=T0 + timedelta(seconds=1),
                   address=attacker, policy=policy).principal  # the wait is over


def test_an_attacker_keeps_the_owner_out_for_the_cap_at_most(ledger: str) -> None:
    """Whatever the number of guesses, the owner waits at most the cap after the last."""
    add_user(ledger, "ana", PASSWORD, Role.admin)
    policy = SigninPolicy(cap_seconds=8)
    at = T0
    for n in range(12):  # every attempt the account allows, each from another address
        _refused(ledger, "ana", "wrong password", at, address=f"203.0.113.{n}", policy=policy)
        ends = _backoff_ends(ledger, "ana") or at
        assert ends - at <= timedelta(seconds=8)
        at = ends
    assert sign_in(ledger, "ana", PASSWORD, 8, now=at, address="198.51.100.7",
                   policy=policy).principal.username == "ana"


def test_disabled_users_cannot_sign_in_and_lose_their_sessions(ledger: str) -> None:
    add_user(ledger, "ana", PASSWORD, Role.reviewer)
    browser = sign_in(ledger, "ana", PASSWORD, 8, now=T0)
    assert find_session(ledger, browser.session_id, now=T0) is not None
    # the session lasts 8 h: alive one second before, gone at the end
    assert find_session(ledger, browser.session_id, now=T0 + timedelta(hours=8) -
                        timedelta(seconds=1)) is not None
    assert find_session(ledger, browser.session_id, now=T0 + timedelta(hours=8)) is None
    set_active(ledger, "ana", False)
    assert find_session(ledger, browser.session_id, now=T0) is None
    with pytest.raises(AuthenticationError):
        sign_in(ledger, "ana", PASSWORD, 8, now=T0)


def test_tokens_are_hashed_scoped_revocable_and_expire(ledger: str) -> None:
    add_user(ledger, "sam", PASSWORD, Role.facility_owner, ["CD-OF"])
    issued = issue_token(ledger, "sam", "uploader", ["read", "write:activities"], days=30,
                         now=T0)
    with session_scope(ledger) as session:
        stored = session.scalars(select(ApiToken.token_hash)).all()
    assert issued.secret not in stored and len(stored[0]) == 64

    caller = token_principal(ledger, issued.secret, now=T0)
    assert (caller.username, caller.via, caller.facilities) == ("sam", "token",
                                                                frozenset({"CD-OF"}))
    # read grants read_ledger; a facility owner has no read_audit to narrow to
    assert caller.permissions == {Permission.read_ledger, Permission.write_activities}
    narrow = issue_token(ledger, "sam", "reader", ["read"]).secret
    assert token_principal(ledger, narrow).permissions == {Permission.read_ledger}
    with pytest.raises(EnvledgerError, match="grants a facility_owner nothing"):
        issue_token(ledger, "sam", "approver", ["review"])
    with pytest.raises(EnvledgerError, match="1 to 3660 days"):
        issue_token(ledger, "sam", "too short", ["read"], days=0)
    with pytest.raises(EnvledgerError, match="1 to 3660 days"):
        issue_token(ledger, "sam", "too long", ["read"], days=3661)
    assert issue_token(ledger, "sam", "ten years", ["read"], days=3660, now=T0).expires_at == (
        T0 + timedelta(days=3660))

    expires = T0 + timedelta(days=30)
    assert token_principal(ledger, issued.secret, now=expires - timedelta(seconds=1))
    with pytest.raises(AuthenticationError):
        token_principal(ledger, issued.secret, now=expires)
    revoke_token(ledger, issued.id, actor="ana")
    with pytest.raises(AuthenticationError):
        token_principal(ledger, issued.secret, now=T0)
    with pytest.raises(AuthenticationError):
        token_principal(ledger, "elt_" + "x" * 43)
    with pytest.raises(NotFoundError):
        revoke_token(ledger, 999)
    assert _actions(ledger)[-4:] == ["token.issue", "token.issue", "token.issue",
                                     "token.revoke"]
    assert verify_chain(ledger).ok


def test_the_last_active_admin_can_neither_be_disabled_nor_demoted(ledger: str) -> None:
    add_user(ledger, "ana", PASSWORD, Role.admin)
    with pytest.raises(EnvledgerError, match="'ana' is the last active admin"):
        set_active(ledger, "ana", False, actor="ana")
    with pytest.raises(EnvledgerError, match="cannot be demoted"):
        set_role(ledger, "ana", Role.reviewer, actor="ana")
    assert [(u.role, u.active) for u in list_users(ledger)] == [(Role.admin, True)]
    # a second active admin makes either change possible, once
    add_user(ledger, "bo", PASSWORD, Role.admin)
    set_role(ledger, "ana", Role.reviewer, actor="bo")
    with pytest.raises(EnvledgerError, match="'bo' is the last active admin"):
        set_active(ledger, "bo", False, actor="bo")
    # a disabled admin does not count as one who can still sign in
    set_role(ledger, "ana", Role.admin, actor="bo")
    set_active(ledger, "ana", False, actor="bo")
    with pytest.raises(EnvledgerError, match="cannot be demoted"):
        set_role(ledger, "bo", Role.verifier, actor="bo")
    assert _actions(ledger).count("user.disable") == 1
