"""The ledger schema migrates on SQLite and PostgreSQL and matches the models."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

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
