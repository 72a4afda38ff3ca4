"""The audit hash chain: canonical form, appends, and tampering found at the right event."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from envledger.cli import app
from envledger.errors import AuditTrailError
from envledger.services.audit.chain import (
    GENESIS,
    canonical_json,
    event_hash,
    verify_chain,
)
from envledger.services.audit.trail import record_event
from envledger.store.db import get_engine, migrate, session_scope
from envledger.store.models import AuditEvent
from tests.support.postgres import ledger_at_revision


@pytest.mark.parametrize(("value", "text"), [
    (1.0, "1"),                      # integral floats have no fraction (RFC 8785)
    (-0.0, "0"),
    (0.1, "0.1"),
    (123456.789, "123456.789"),
    (1e20, "100000000000000000000"),  # below 1e21: written out in full
    (1e21, "1e+21"),                  # from 1e21: exponent form
    (1.5e22, "1.5e+22"),
    (0.000001, "0.000001"),           # 1e-6: still positional
    (1e-7, "1e-7"),                   # below 1e-6: exponent form
    (-2.5e-8, "-2.5e-8"),
    (7, "7"),
])
def test_canonical_numbers(value: float, text: str) -> None:
    assert canonical_json(value) == text


def test_canonical_json_sorts_keys_without_whitespace() -> None:
    assert canonical_json({"b": 1, "a": [True, None, "é", 2.0]}) == '{"a":[true,null,"é",2],"b":1}'
    with pytest.raises(AuditTrailError, match="NaN"):
        canonical_json(float("nan"))


def test_event_hash_is_sha256_of_the_canonical_document() -> None:
    at = datetime(2026, 1, 31, 9, 0, tzinfo=UTC)
    expected = hashlib.sha256(
        ('{"action":"import.activities","actor":"ana","at":"2026-01-31T09:00:00.000000Z",'
         '"detail":{"rows":1.5},"entity":"import_batch","prev_hash":"' + GENESIS + '",'
         '"seq":1}').encode()
    ).hexdigest()
    assert event_hash(1, at, "ana", "import.activities", "import_batch", {"rows": 1.5},
                      GENESIS) == expected
    # a naive timestamp is UTC (SQLite returns them so)
    assert event_hash(1, at.replace(tzinfo=None), "ana", "import.activities", "import_batch",
                      {"rows": 1.5}, GENESIS) == expected


def _events(url: str, count: int = 5) -> None:
    for n in range(1, count + 1):
        with session_scope(url) as session:
            record_event(session, "tester", "test.event", "thing", {"n": n, "x": n / 10})


def _tamper(url: str, *statements: str) -> None:
    """Edit the database behind the application's back: the SQLite file, or as superuser."""
    if url.startswith("sqlite"):
        connection = sqlite3.connect(url.removeprefix("sqlite:///"))
        with connection:
            for statement in statements:
                connection.execute(statement)
        connection.close()
    else:
        with get_engine(url).begin() as connection:
            for statement in statements:
                connection.exec_driver_sql(statement)


def test_appended_events_form_a_verified_chain(ledger_url: str) -> None:
    _events(ledger_url)
    with get_engine(ledger_url).connect() as connection:
        rows = connection.execute(
            sa.select(AuditEvent.seq, AuditEvent.prev_hash, AuditEvent.hash)
            .order_by(AuditEvent.seq)
        ).all()
    assert [r.seq for r in rows] == [1, 2, 3, 4, 5]
    assert [r.prev_hash for r in rows] == [GENESIS] + [r.hash for r in rows[:-1]]
    report = verify_chain(ledger_url)
    assert (report.ok, report.count, report.head_seq, report.head_hash) == (
        True, 5, 5, rows[-1].hash
    )
    assert verify_chain(ledger_url, anchor=(3, rows[2].hash)).ok
    wrong = verify_chain(ledger_url, anchor=(3, "f" * 64)).broken
    assert wrong is not None and (wrong.seq, wrong.problem) == (3, "anchor_mismatch")
    beyond = verify_chain(ledger_url, anchor=(6, rows[2].hash)).broken
    assert beyond is not None and (beyond.seq, beyond.problem) == (6, "anchor_mismatch")


_SWAP_CONTENT = (
    "CREATE TEMP TABLE kept AS SELECT seq, at, detail FROM audit_event WHERE seq IN (2, 3)",
    "UPDATE audit_event SET"
    " detail = (SELECT detail FROM kept WHERE kept.seq = 5 - audit_event.seq),"
    " at = (SELECT at FROM kept WHERE kept.seq = 5 - audit_event.seq) WHERE seq IN (2, 3)",
)


@pytest.mark.parametrize(("statements", "seq", "problem"), [
    (("UPDATE audit_event SET detail = '{\"n\": 99, \"x\": 0.3}' WHERE seq = 3",),
     3, "content_changed"),
    (("UPDATE audit_event SET actor = 'mallory' WHERE seq = 5",), 5, "content_changed"),
    (("DELETE FROM audit_event WHERE seq = 3",), 3, "event_deleted"),
    (("DELETE FROM audit_event WHERE seq = 1",), 1, "event_deleted"),
    (("DELETE FROM audit_event WHERE seq = 5",), 5, "event_deleted"),  # the head knows
    (("UPDATE audit_event SET seq = -2 WHERE seq = 2",
      "UPDATE audit_event SET seq = 2 WHERE seq = 3",
      "UPDATE audit_event SET seq = 3 WHERE seq = -2"), 2, "order_changed"),
    (_SWAP_CONTENT, 2, "order_changed"),
    ((f"UPDATE audit_event SET prev_hash = '{'a' * 64}' WHERE seq = 4",),
     4, "prev_hash_mismatch"),
    (("UPDATE audit_chain_head SET seq = 4",), 5, "head_mismatch"),
], ids=["detail", "last-row", "delete-middle", "delete-first", "delete-last", "swap-seq",
        "swap-content", "prev-hash", "head"])
def test_tampering_is_found_at_the_first_broken_event(
    ledger_url: str, statements: tuple[str, ...], seq: int, problem: str
) -> None:
    _events(ledger_url)
    _tamper(ledger_url, *statements)
    report = verify_chain(ledger_url)
    assert report.broken is not None
    assert (report.broken.seq, report.broken.problem) == (seq, problem), report.broken.message
    assert report.count == seq - 1 or problem == "head_mismatch"


def test_the_application_cannot_update_or_delete_an_event(sqlite_ledger_url: str) -> None:
    _events(sqlite_ledger_url, 2)
    attempts = [
        lambda s: setattr(s.get(AuditEvent, 1), "actor", "mallory"),
        lambda s: s.delete(s.get(AuditEvent, 1)),
        lambda s: s.execute(sa.update(AuditEvent).values(actor="mallory")),
        lambda s: s.execute(sa.delete(AuditEvent).where(AuditEvent.seq == 2)),
    ]
    for attempt in attempts:
        with pytest.raises(AuditTrailError, match="append-only"), \
                session_scope(sqlite_ledger_url) as session:
            attempt(session)
            session.flush()
    assert verify_chain(sqlite_ledger_url).count == 2


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url_at_0001(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A ledger migrated to the first revision only, before the chain existed."""
    return ledger_at_revision(request, tmp_path, "0001")


def test_the_migration_chains_existing_events(url_at_0001: str) -> None:
    with get_engine(url_at_0001).begin() as connection:
        for n in (1, 2):
            connection.execute(sa.text(
                "INSERT INTO audit_event (at, actor, action, entity, detail)"
                " VALUES (:at, 'cli', 'import.facilities', 'import_batch', :detail)"
            ), {"at": datetime(2025, 1, n, 8, tzinfo=UTC), "detail": f'{{"batch_id": {n}}}'})
    migrate(url_at_0001)
    report = verify_chain(url_at_0001)
    assert (report.ok, report.count) == (True, 2)
    _events(url_at_0001, 1)
    assert verify_chain(url_at_0001).head_seq == 3 and verify_chain(url_at_0001).ok
    get_engine(url_at_0001).dispose()


def test_audit_commands(
    sqlite_ledger_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENVLEDGER_DATABASE_URL", sqlite_ledger_url)
    _events(sqlite_ledger_url, 3)
    runner = CliRunner()
    result = runner.invoke(app, ["audit", "verify"])
    # 3 events + the reference-library load the command's ledger preparation records
    assert result.exit_code == 0 and "OK: 4 events, head event 4" in result.output
    logged = runner.invoke(app, ["audit", "log", "--limit", "2", "--format", "json"])
    assert [e["seq"] for e in json.loads(logged.output)] == [4, 3]
    assert runner.invoke(app, ["audit", "log"]).exit_code == 0
    _tamper(sqlite_ledger_url, "UPDATE audit_event SET entity = 'other' WHERE seq = 2")
    result = runner.invoke(app, ["audit", "verify"])
    assert result.exit_code == 1 and "BROKEN at event 2 (content_changed)" in result.output
    bad = runner.invoke(app, ["audit", "verify", "--anchor", "2:xyz"])
    assert bad.exit_code == 1 and "SEQ:HASH" in bad.output
