"""Concurrent state transitions: exactly one wins, the other is told why (issue 9, item 2).

Each race starts its contenders in real threads (each on its own database connection)
released by one barrier, on SQLite and on PostgreSQL, a few rounds each. Before the
transitions were compare-and-set, approve and reject of one submission could both
succeed (both audit events recorded, the batch "approved" with its rows rejected), a
year could be unlocked twice and one year published twice as version 1.
"""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
import sqlalchemy as sa

from envledger.errors import ConflictError, ReviewConflictError
from envledger.services.access.accounts import add_user, set_active, set_role
from envledger.services.access.api_tokens import issue_token, list_tokens, revoke_token
from envledger.services.access.roles import Role
from envledger.services.audit.chain import verify_chain
from envledger.services.governance.period_locks import lock_history, lock_year, unlock_year
from envledger.services.governance.review import approve, get_submission, reject
from envledger.services.inventory.methodology import current_methodology
from envledger.services.ledger.importing import import_activities
from envledger.services.publication import publishing
from envledger.services.publication.publishing import publish, snapshot_history
from envledger.services.publication.snapshot_content import build_content
from envledger.settings import Settings
from envledger.store.db import session_scope
from envledger.store.models import ActivityRecord, AuditEvent
from envledger.store.review import RejectedActivity
from tests.reliability.races import Outcome, race
from tests.support.access import SignedInApp, signed_in_app
from tests.support.publication import ACTIVITIES, BACKENDS, YEARS, module_company

ROUNDS = 5
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module", params=BACKENDS)
def company(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Settings]:
    yield from module_company(request, tmp_path_factory)


def events(url: str, action: str) -> list[dict]:
    with session_scope(url) as session:
        return list(session.scalars(
            sa.select(AuditEvent.detail).where(AuditEvent.action == action)
            .order_by(AuditEvent.seq)))


def rows_of(url: str, batch: int) -> tuple[int, int]:
    """(rows in the ledger, rows rejected) of one batch."""
    with session_scope(url) as session:
        return tuple(session.scalar(
            sa.select(sa.func.count()).select_from(table).where(table.batch_id == batch)
        ) or 0 for table in (ActivityRecord, RejectedActivity))


def winner_and_loser(outcomes: list[Outcome]) -> tuple[Outcome, Outcome]:
    won = [o for o in outcomes if o.error is None]
    lost = [o for o in outcomes if o.error is not None]
    assert len(won) == 1 and len(lost) == 1, outcomes
    return won[0], lost[0]


def submit(url: str, folder: Path, month: int) -> int:
    path = folder / f"2021-{month:02d}.csv"
    path.write_text(ACTIVITIES + f"CD-OF,2021-{month:02d}-01,2021-{month:02d}-28,"
                                 "electricity,1000,kWh,invoice\n")
    return import_activities(url, path, actor="fo-cd", submit=True,
                             facilities=frozenset({"CD-OF"})).batch_id


@pytest.mark.parametrize("second", ["reject", "approve"])
def test_one_decision_per_submission(company: Settings, tmp_path: Path, second: str) -> None:
    url = company.database_url
    offset = 1 if second == "reject" else 6
    for month in range(offset, offset + ROUNDS):
        batch = submit(url, tmp_path, month)
        outcomes = race(
            lambda b=batch: approve(url, b, "ana", "matches the invoice"),
            lambda b=batch: (reject if second == "reject" else approve)(
                url, b, "bo", "second opinion"),
        )
        won, lost = winner_and_loser(outcomes)
        decided = get_submission(url, batch)
        assert won.result.status == decided.status
        assert isinstance(lost.error, ReviewConflictError)
        assert (f"submission {batch} was already {decided.status} by {decided.reviewer} at "
                in str(lost.error))
        assert str(lost.error).endswith("UTC; nothing changed")
        assert rows_of(url, batch) == ((1, 0) if decided.status == "approved" else (0, 1))
        decisions = [e for action in ("submission.approve", "submission.reject")
                     for e in events(url, action) if e["batch_id"] == batch]
        assert len(decisions) == 1 and decisions[0]["after"]["status"] == decided.status
    assert verify_chain(url).ok


def test_one_publication_per_year(company: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    url = company.database_url
    # The engine computes a year's content in seconds, before the transaction; built
    # once here, so that both publishes reach their transactions at the same moment.
    built = {year: build_content(company, year, current_methodology(company).calculation)
             for year in YEARS[1:]}
    monkeypatch.setattr(publishing, "build_content",
                        lambda _s, year, _c, _coverage=None: built[year])
    for year in built:
        outcomes = race(lambda y=year: publish(company, y, actor="ana"),
                        lambda y=year: publish(company, y, actor="bo"))
        assert all(o.error is None for o in outcomes), outcomes
        created = [o.result for o in outcomes if o.result.created]
        assert len(created) == 1
        (other,) = [o.result for o in outcomes if not o.result.created]
        assert other.message.startswith(f"{year} is already published as version 1")
        assert [s.version for s in snapshot_history(company, year)] == [1]
        assert [e["year"] for e in events(url, "inventory.publish")].count(year) == 1
        assert [e["year"] for e in events(url, "period.lock")].count(year) == 1
    assert verify_chain(url).ok


def test_one_unlock_and_one_lock_per_year(company: Settings) -> None:
    url = company.database_url
    for round_ in range(ROUNDS):
        year = 2030 + round_
        assert race(lambda y=year: lock_year(url, y, "ana"),
                    lambda y=year: lock_year(url, y, "bo")) in (
            [Outcome(True), Outcome(False)], [Outcome(False), Outcome(True)])
        _, lost = winner_and_loser(race(
            lambda y=year: unlock_year(url, y, "late invoice", "ana"),
            lambda y=year: unlock_year(url, y, "late invoice", "bo")))
        assert isinstance(lost.error, ReviewConflictError)
        assert f"{year} is not locked (unlocked by " in str(lost.error)
        race(lambda y=year: lock_year(url, y, "ana"),
             lambda y=year: unlock_year(url, y, "again", "bo"))
        history = lock_history(url, year)
        # Every row changes the year's state: locked, unlocked, locked, ...
        assert [event.locked for event in history] == [i % 2 == 0 for i in range(len(history))]
        assert len(history) == sum(
            [e["year"] for e in events(url, action)].count(year)
            for action in ("period.lock", "period.unlock"))
    assert verify_chain(url).ok


def test_one_disable_and_one_revoke(company: Settings) -> None:
    url = company.database_url
    add_user(url, "sam", PASSWORD, Role.reviewer, actor="ana")
    for _ in range(ROUNDS):
        won, lost = winner_and_loser(race(lambda: set_active(url, "sam", False, "ana"),
                                          lambda: set_active(url, "sam", False, "bo")))
        assert not won.result.active and isinstance(lost.error, ConflictError)
        assert "user 'sam' is already disabled (by " in str(lost.error)
        set_active(url, "sam", True, "ana")
    assert len(events(url, "user.disable")) == ROUNDS
    tokens = [issue_token(url, "sam", f"script {n}", ["read"]).id for n in range(ROUNDS)]
    for token in tokens:
        won, lost = winner_and_loser(race(lambda t=token: revoke_token(url, t, "ana"),
                                          lambda t=token: revoke_token(url, t, "bo")))
        assert won.result.revoked_at is not None and isinstance(lost.error, ConflictError)
        assert f"API token {token} was already revoked (by " in str(lost.error)
    assert [e["id"] for e in events(url, "token.revoke")] == tokens
    assert all(token.revoked_at is not None for token in list_tokens(url, "sam"))
    assert verify_chain(url).ok


def test_role_changes_queue_and_each_records_the_last_as_before(company: Settings) -> None:
    url = company.database_url
    add_user(url, "rita", PASSWORD, Role.reviewer, actor="ana")
    for _ in range(ROUNDS):
        outcomes = race(lambda: set_role(url, "rita", Role.verifier, actor="ana"),
                        lambda: set_role(url, "rita", Role.inventory_owner, actor="bo"))
        assert all(o.error is None for o in outcomes), outcomes
    changes = [e for e in events(url, "user.set_role") if e["after"]["username"] == "rita"]
    assert len(changes) == 2 * ROUNDS
    # No lost update: every change starts from the role the change before it left.
    assert changes[0]["before"]["role"] == "reviewer"
    assert all(later["before"]["role"] == earlier["after"]["role"]
               for earlier, later in pairwise(changes))
    assert verify_chain(url).ok


@pytest.fixture(scope="module", params=BACKENDS)
def signed_in(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SignedInApp]:
    yield from signed_in_app(request, tmp_path_factory)


def test_the_web_answers_the_losing_reviewer_409(signed_in: SignedInApp, tmp_path: Path) -> None:
    url = signed_in.settings.database_url
    reviewers = [signed_in.sign_in("reviewer"), signed_in.sign_in("owner")]
    for month in range(1, ROUNDS + 1):
        batch = submit(url, tmp_path, month)
        answers = race(*(
            lambda client=client, verb=verb, batch=batch: client.post(
                f"/submissions/{batch}/{verb}",
                data={"csrf_token": signed_in.csrf(client), "comment": f"{verb}: checked"})
            for client, verb in zip(reviewers, ("approve", "reject"), strict=True)))
        assert sorted(answer.result.status_code for answer in answers) == [303, 409]
        (lost,) = [a.result for a in answers if a.result.status_code == 409]
        assert f"submission {batch} was already " in lost.text
    assert verify_chain(url).ok
