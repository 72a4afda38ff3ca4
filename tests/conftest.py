"""Shared fixtures: a fresh ledger on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from envledger.store.db import get_engine, migrate
from tests.support.postgres import fresh_postgres_database

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """URL of a PostgreSQL server: ENVLEDGER_TEST_POSTGRES_URL, or one started here."""
    url = os.environ.get("ENVLEDGER_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    script = str(ROOT / "scripts" / "postgres.sh")
    # A server that was already running belongs to someone else: leave it running.
    already_running = subprocess.run(["bash", script, "status"], check=False).returncode == 0
    started = subprocess.run(
        ["bash", script, "start"], check=True, capture_output=True, text=True
    )
    yield started.stdout.strip().splitlines()[-1]
    if not already_running:
        subprocess.run(["bash", script, "stop"], check=False)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def ledger_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty, migrated ledger; every test using it runs on SQLite and PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'ledger.db'}"
    else:
        url = fresh_postgres_database(request.getfixturevalue("postgres_server"))
    migrate(url)
    yield url
    get_engine(url).dispose()


@pytest.fixture
def sqlite_ledger_url(tmp_path: Path) -> str:
    """An empty, migrated SQLite ledger for tests that need no second backend."""
    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    migrate(url)
    return url
