"""PostgreSQL: concurrent appends queue on the chain head; the app role cannot rewrite events."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from envledger.cli import app
from envledger.errors import EnvledgerError
from envledger.services.audit.chain import verify_chain
from envledger.services.audit.database_role import grant_app_role
from envledger.services.audit.trail import record_event
from envledger.store.db import get_engine, migrate, session_scope
from envledger.store.models import AuditEvent
from tests.support.postgres import fresh_postgres_database


@pytest.fixture
def pg_url(postgres_server: str) -> Iterator[str]:
    url = fresh_postgres_database(postgres_server)
    migrate(url)
    yield url
    get_engine(url).dispose()


@pytest.mark.postgres
def test_concurrent_appends_queue_instead_of_forking(pg_url: str) -> None:
    holding, release, finished = threading.Event(), threading.Event(), []

    def first() -> None:
        with session_scope(pg_url) as session:
            record_event(session, "first", "test.event", "thing", {"n": 1})
            session.flush()
            holding.set()
            release.wait(10)  # keep the transaction (and the head lock) open
        finished.append("first")

    def second() -> None:
        holding.wait(10)
        with session_scope(pg_url) as session:
            record_event(session, "second", "test.event", "thing", {"n": 2})
        finished.append("second")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    holding.wait(10)
    time.sleep(0.5)
    assert finished == []  # the second writer waits on the chain head's row lock
    release.set()
    for thread in threads:
        thread.join(10)
    assert finished == ["first", "second"]
    with get_engine(pg_url).connect() as connection:
        order = connection.execute(
            sa.select(AuditEvent.seq, AuditEvent.actor).order_by(AuditEvent.seq)
        ).all()
    assert [tuple(row) for row in order] == [(1, "first"), (2, "second")]
    assert verify_chain(pg_url).ok


@pytest.mark.postgres
def test_the_app_role_appends_but_the_server_refuses_rewrites(pg_url: str) -> None:
    role = f"envledger_app_{uuid.uuid4().hex[:8]}"
    statements = grant_app_role(pg_url, role, password="it's secret")
    assert statements[0] == f'CREATE ROLE "{role}" LOGIN'
    assert statements[-1] == f"ALTER ROLE \"{role}\" PASSWORD '***'"
    assert grant_app_role(pg_url, role)[0].startswith("GRANT CONNECT")  # again: no CREATE
    app_url = pg_url.replace("//envledger@", f"//{role}@")  # the test server trusts local users
    try:
        with session_scope(app_url) as session:
            record_event(session, role, "test.event", "thing", {"n": 1})
        with get_engine(app_url).connect() as connection:
            for statement in ("UPDATE audit_event SET actor = 'mallory'",
                              "DELETE FROM audit_event", "TRUNCATE audit_event"):
                with pytest.raises(sa.exc.ProgrammingError, match="permission denied"), \
                        connection.begin():
                    connection.exec_driver_sql(statement)
            with connection.begin():  # full rights on the other tables
                connection.exec_driver_sql(
                    "INSERT INTO organization (name) VALUES ('Acme')")
                connection.exec_driver_sql("UPDATE organization SET name = 'Acme Ltd'")
                connection.exec_driver_sql("DELETE FROM organization")
        report = verify_chain(pg_url)
        # two grants + the role's own append
        assert (report.ok, report.count) == (True, 3)
    finally:
        get_engine(app_url).dispose()
        with get_engine(pg_url).begin() as connection:
            connection.exec_driver_sql(f'DROP OWNED BY "{role}"')
            connection.exec_driver_sql(f'DROP ROLE "{role}"')


@pytest.mark.postgres
def test_role_names_are_plain_identifiers(pg_url: str) -> None:
    with pytest.raises(EnvledgerError, match="must match"):
        grant_app_role(pg_url, 'x"; DROP TABLE audit_event; --')


def test_sqlite_has_no_roles(sqlite_ledger_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVLEDGER_DATABASE_URL", sqlite_ledger_url)
    result = CliRunner().invoke(app, ["db", "grant-app-role", "--role", "envledger_app"])
    assert result.exit_code == 1 and "PostgreSQL only" in result.output
