"""The ledger schema migrates on SQLite and PostgreSQL and matches the models."""

import importlib.util
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import envledger.store
from envledger.services.audit import chain
from envledger.store import Base
from envledger.store.db import get_engine, migrate
from tests.support.postgres import ledger_at_revision


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


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url_at_0006(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A ledger at revision 0006 holding one rejected row that kept its activity id 7."""
    url = ledger_at_revision(request, tmp_path, "0006")
    with get_engine(url).begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO import_batch (id, kind, file_name, file_sha256, row_count, imported_by)"
            " VALUES (1, 'activities', 'june.csv', :sha, 1, 'fo')"), {"sha": "a" * 64})
        connection.execute(sa.text(
            "INSERT INTO facility (id, code, name, type, country, province, grid_region, sector)"
            " VALUES (1, 'CD-OF', 'Chengdu office', 'office', 'CN', '', '', 'commercial')"))
        connection.execute(sa.text(
            "INSERT INTO rejected_activity (id, batch_id, source_row, facility_id, period_start,"
            " period_end, activity, quantity, unit, gas, variant, data_source, reference)"
            " VALUES (7, 1, 2, 1, '2021-06-01', '2021-06-30', 'electricity', 10, 'kWh', '',"
            " '', 'invoice', '')"))
    yield url
    get_engine(url).dispose()


def test_0007_keeps_rejected_rows_and_gives_new_ones_their_own_id(url_at_0006: str) -> None:
    migrate(url_at_0006)
    with get_engine(url_at_0006).begin() as connection:
        connection.execute(sa.text(
            "INSERT INTO rejected_activity (activity_id, batch_id, source_row, facility_id,"
            " period_start, period_end, activity, quantity, unit, gas, variant, data_source,"
            " reference) VALUES (7, 1, 2, 1, '2021-06-01', '2021-06-30', 'electricity', 11,"
            " 'kWh', '', '', 'invoice', '')"))
        rows = connection.execute(sa.text(
            "SELECT id, activity_id, quantity FROM rejected_activity ORDER BY id")).all()
    # The old row keeps id 7 and gets it as activity_id; the new one takes id 8.
    assert [tuple(row) for row in rows] == [(7, 7, 10.0), (8, 7, 11.0)]
