"""Fresh PostgreSQL databases on the `postgres_server` fixture's server; old-revision ledgers."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from envledger.store.db import alembic_config, get_engine


def fresh_postgres_database(server_url: str) -> str:
    """Create an empty database with a unique name and return its URL."""
    name = f"envledger_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server_url.rsplit("/", 1)[0] + f"/{name}"


def ledger_at_revision(request: pytest.FixtureRequest, tmp_path: Path, revision: str) -> str:
    """A ledger on the backend of ``request.param`` migrated only to ``revision``."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.db'}"
    else:
        url = fresh_postgres_database(request.getfixturevalue("postgres_server"))
    config = alembic_config(url)
    with get_engine(url).begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    return url
