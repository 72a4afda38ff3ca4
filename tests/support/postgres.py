"""Fresh PostgreSQL databases for tests, on the server the `postgres_server` fixture gives."""

from __future__ import annotations

import uuid

import sqlalchemy as sa


def fresh_postgres_database(server_url: str) -> str:
    """Create an empty database with a unique name and return its URL."""
    name = f"envledger_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return server_url.rsplit("/", 1)[0] + f"/{name}"
