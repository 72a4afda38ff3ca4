"""The ledger schema migrates on SQLite and PostgreSQL and matches the models."""

import importlib.util
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import envledger.store
from envledger.services.audit import chain
from envledger.store import Base
from envledger.store.db import get_engine, migrate


def test_migrations_match_models(ledger_url: str) -> None:
    with get_engine(ledger_url).connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_migrate_twice_is_a_no_op(ledger_url: str) -> None:
    migrate(ledger_url)
    tables = sa.inspect(get_engine(ledger_url)).get_table_names()
    assert {"activity_record", "emission_factor", "facility_year", "audit_event"} <= set(tables)


def test_the_hash_chain_migration_keeps_its_own_copy_of_the_event_hash() -> None:
    """0004 chains the events that existed before it with a frozen copy of the hash; the
    copy must give what the audit chain verifies today, or verification of a migrated
    ledger would fail."""
    path = (Path(envledger.store.__file__).parent / "migrations" / "versions"
            / "0004_audit_hash_chain.py")
    spec = importlib.util.spec_from_file_location("migration_0004", path)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    events = [
        (1, datetime(2026, 1, 31, 9, 0, tzinfo=UTC), "cli", "import", "batch",
         {"rows": 12, "share": 0.1, "tiny": 1e-7, "big": 1e21, "name": "成都", "ok": True},
         chain.GENESIS),
        (2, datetime(2026, 2, 1, 23, 59, 59, 999999), "ana", "approve", "batch",
         {"nested": [1.5, None, {"b": -0.0}]}, "ab" * 32),
    ]
    assert migration.GENESIS == chain.GENESIS
    for event in events:
        assert migration.event_hash(*event) == chain.event_hash(*event)
