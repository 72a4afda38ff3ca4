"""Wrong database settings: one clear line and exit status 1, never a traceback (issue 9.10)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from envledger.cli import app
from envledger.errors import LedgerUnavailableError
from envledger.settings import Settings
from envledger.store.db import migrate
from envledger.web.main import create_app
from tests.support.postgres import fresh_postgres_database

runner = CliRunner()


def run(url: str, *args: str) -> Result:
    # A wide terminal, so that rich does not wrap the one line we check.
    return runner.invoke(app, list(args), env={"ENVLEDGER_DATABASE_URL": url, "COLUMNS": "400"})


def refused(url: str, *args: str) -> str:
    """The one line a refused command prints (asserting exit 1 and no traceback)."""
    result = run(url, *args)
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert "Traceback" not in result.output
    return lines[0]


@pytest.mark.parametrize(("url", "expected"), [
    ("not a url", "'not a url' is not a database URL: expected e.g. sqlite:///"),
    ("", "'' is not a database URL"),
    ("mysql://root@localhost/ledger", "unsupported database 'mysql'"),
    ("oracle+cx://u:secret@h/db", "unsupported database 'oracle+cx' in oracle+cx://u:***@h/db"),
    ("postgresql+psycopg://u:secret@127.0.0.1:1/ledger",
     "cannot open the ledger at postgresql+psycopg://u:***@127.0.0.1:1/ledger: connection"),
    ("postgresql+psycopg://u@no-such-host.invalid/ledger",
     "cannot open the ledger at postgresql+psycopg://u@no-such-host.invalid/ledger:"),
    ("postgresql+asyncmy://u@localhost/ledger",
     "Can't load plugin: sqlalchemy.dialects:postgresql.asyncmy"),
    ("sqlite://", "is an in-memory database, forgotten when the command ends"),
    ("sqlite:///", "is an in-memory database"),
    ("sqlite:///:memory:", "is an in-memory database"),
])
@pytest.mark.parametrize("command", [("init",), ("audit", "verify")])
def test_bad_urls_are_one_line(url: str, expected: str, command: tuple[str, ...]) -> None:
    line = refused(url, *command)
    assert expected in line
    assert "secret" not in line


def test_missing_directory_is_refused_and_nothing_is_created(tmp_path: Path) -> None:
    path = tmp_path / "no-such-dir" / "ledger.db"
    line = refused(f"sqlite:///{path}", "init")
    assert f"directory {path.parent} does not exist" in line
    assert "no envledger ledger at" in refused(f"sqlite:///{path}", "audit", "verify")
    assert not path.parent.exists()


def test_a_mistyped_sqlite_path_creates_no_empty_ledger(tmp_path: Path) -> None:
    real = tmp_path / "ledger.db"
    assert run(f"sqlite:///{real}", "init").exit_code == 0
    typo = tmp_path / "ledgr.db"
    for command in (("audit", "verify"), ("snapshots",), ("import", "factors", "x.csv")):
        line = refused(f"sqlite:///{typo}", *command)
        assert line == f"error: no envledger ledger at sqlite:///{typo}; run `envledger init`"
    assert not typo.exists()
    assert run(f"sqlite:///{real}", "audit", "verify").exit_code == 0


def test_a_file_that_is_no_database_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("not a database")
    assert "cannot open the ledger at" in refused(f"sqlite:///{path}", "audit", "verify")
    assert path.read_text() == "not a database"


def test_an_empty_sqlite_database_is_not_a_ledger(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    assert "no envledger ledger at" in refused(f"sqlite:///{path}", "audit", "verify")
    assert run(f"sqlite:///{path}", "init").exit_code == 0
    assert run(f"sqlite:///{path}", "audit", "verify").exit_code == 0


@pytest.mark.postgres
def test_postgres_unknown_role_and_database(postgres_server: str) -> None:
    host = postgres_server.rsplit("@", 1)[1].split("/", 1)[0]
    line = refused(f"postgresql+psycopg://no_such_role_x@{host}/postgres", "audit", "verify")
    assert 'role "no_such_role_x" does not exist' in line
    line = refused(f"postgresql+psycopg://envledger@{host}/no_such_db_x", "init")
    assert 'database "no_such_db_x" does not exist' in line


@pytest.mark.postgres
def test_postgres_database_without_ledger(postgres_server: str) -> None:
    url = fresh_postgres_database(postgres_server)
    line = refused(url, "audit", "verify")
    assert line == f"error: no envledger ledger at {url}; run `envledger init`"
    assert run(url, "init").exit_code == 0
    assert run(url, "audit", "verify").exit_code == 0


def test_web_app_refuses_a_database_without_ledger(tmp_path: Path) -> None:
    typo = tmp_path / "ledgr.db"
    with pytest.raises(LedgerUnavailableError, match="no envledger ledger at"):
        create_app(Settings(database_url=f"sqlite:///{typo}"))
    assert not typo.exists()
    with pytest.raises(LedgerUnavailableError, match="in-memory"):
        create_app(Settings(database_url="sqlite://"))


def test_migrate_still_creates_the_schema(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    migrate(url)
    assert run(url, "audit", "verify").exit_code == 0
