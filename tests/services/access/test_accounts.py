"""Accounts and tokens in the ledger: Argon2 hashes, lockout, audit events, revocation.

The lockout rule: MAX_FAILED_LOGINS = 5 wrong passwords in a row lock the account for
LOCK_MINUTES = 15 minutes; the clock is passed in, so the test moves it by hand.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from envledger.errors import AuthenticationError, EnvledgerError, NotFoundError
from envledger.services.access.accounts import (
    LOCK_MINUTES,
    MAX_FAILED_LOGINS,
    add_user,
    list_users,
    parse_role,
    set_active,
    set_role,
)
from envledger.services.access.api_tokens import issue_token, revoke_token, token_principal
from envledger.services.access.roles import Permission, Role
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


def test_lockout_after_repeated_failures_with_a_moving_clock(ledger: str) -> None:
    add_user(ledger, "ana", PASSWORD, Role.admin)
    # 4 failures (one below the threshold), then the right password: signed in, count reset.
    for minute in range(MAX_FAILED_LOGINS - 1):
        with pytest.raises(AuthenticationError):
            sign_in(ledger, "ana", "wrong password", 8, now=T0 + timedelta(minutes=minute))
    assert sign_in(ledger, "ana", PASSWORD, 8, now=T0 + timedelta(minutes=4)).principal.username
    # 5 failures in a row: locked from the 5th (at T0 + 5 min) for 15 minutes.
    for minute in range(5, 5 + MAX_FAILED_LOGINS):
        with pytest.raises(AuthenticationError):
            sign_in(ledger, "ana", "wrong password", 8, now=T0 + timedelta(minutes=minute))
    locked_at = T0 + timedelta(minutes=9)
    unlocks = locked_at + timedelta(minutes=LOCK_MINUTES)  # 09:09 + 15 min = 09:24
    assert list_users(ledger)[0].locked_until == unlocks
    with pytest.raises(AuthenticationError, match="locked"):  # right password, 1 s early
        sign_in(ledger, "ana", PASSWORD, 8, now=unlocks - timedelta(seconds=1))
    assert sign_in(ledger, "ana", PASSWORD, 8, now=unlocks).principal.username == "ana"
    assert list_users(ledger)[0].locked_until is None
    assert _actions(ledger).count("user.lock") == 1


def test_disabled_users_cannot_sign_in_and_lose_their_sessions(ledger: str) -> None:
    add_user(ledger, "ana", PASSWORD, Role.admin)
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
