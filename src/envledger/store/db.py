"""Connecting to the ledger and bringing its schema up to date with Alembic."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib.resources import files
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import URL, Engine, create_engine, event, inspect, make_url, text
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from envledger.errors import LedgerBusyError, LedgerUnavailableError
from envledger.settings import get_settings

BACKENDS = ("sqlite", "postgresql")
EXAMPLES = "sqlite:///envledger.db or postgresql+psycopg://user@host/database"
POSTGRES_CONNECT_TIMEOUT = 10  # [s]; an unreachable host should fail, not hang


@cache
def get_engine(url: str) -> Engine:
    """Return the (cached) SQLAlchemy engine for a ledger URL."""
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        # The driver's 5 s default made a long import's neighbours fail with a traceback.
        connect_args: dict[str, float] = {"timeout": get_settings().sqlite_busy_timeout_s}
    elif backend == "postgresql" and "connect_timeout" not in make_url(url).query:
        connect_args = {"connect_timeout": POSTGRES_CONNECT_TIMEOUT}
    else:
        connect_args = {}
    engine = create_engine(url, future=True, connect_args=connect_args)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    # SQLite ignores foreign keys unless asked; WAL lets readers run during an import.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def shown(url: str) -> str:
    """The URL as it may be printed: the password hidden."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def check_ledger(url: str, *, create: bool) -> None:
    """Refuse a URL that cannot hold a ledger and, unless ``create``, one that holds none.

    Raises LedgerUnavailableError with one line: a malformed URL, an unsupported database,
    in-memory SQLite (forgotten when the command ends), a missing directory, a server
    that cannot be reached or refuses the role, or (``create`` false) no ledger schema.
    A SQLite file is never created here, so a mistyped path creates nothing.
    """
    parsed = _parse(url)
    missing = LedgerUnavailableError(f"no envledger ledger at {shown(url)}; run `envledger init`")
    if parsed.get_backend_name() == "sqlite":
        path = _sqlite_file(parsed)
        if create and not path.parent.is_dir():
            raise LedgerUnavailableError(
                f"directory {path.parent} does not exist: create it first (ledger {path})"
            )
        if not create and not path.is_file():
            raise missing
    try:
        with get_engine(url).connect() as connection:
            has_schema = inspect(connection).has_table("alembic_version")
    except (DBAPIError, NoSuchModuleError, ImportError) as error:
        raise LedgerUnavailableError(
            f"cannot open the ledger at {shown(url)}: {_first_line(error)}"
        ) from None
    if not create and not has_schema:
        raise missing


def _parse(url: str) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise LedgerUnavailableError(
            f"'{url}' is not a database URL: expected e.g. {EXAMPLES}"
        ) from None
    if parsed.get_backend_name() not in BACKENDS:
        raise LedgerUnavailableError(
            f"unsupported database '{parsed.drivername}' in {shown(url)}: expected e.g. {EXAMPLES}"
        )
    return parsed


def _sqlite_file(parsed: URL) -> Path:
    if parsed.database in (None, "", ":memory:") or parsed.query.get("mode") == "memory":
        raise LedgerUnavailableError(
            f"{parsed} is an in-memory database, forgotten when the command ends: give a"
            " file, e.g. sqlite:///envledger.db"
        )
    return Path(parsed.database).expanduser()


def _first_line(error: Exception) -> str:
    cause = getattr(error, "orig", None) or error
    lines = [line.strip() for line in str(cause).splitlines() if line.strip()]
    return lines[0] if lines else type(cause).__name__


def alembic_config(url: str) -> Config:
    """Alembic configuration pointing at the migrations shipped inside the package."""
    config = Config()
    config.set_main_option("script_location", str(files("envledger.store") / "migrations"))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(url: str) -> None:
    """Create or upgrade the ledger schema to the latest migration."""
    engine = get_engine(url)
    config = alembic_config(url)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


@contextmanager
def session_scope(url: str, *, write: bool = False) -> Iterator[Session]:
    """A session in one transaction: committed on success, rolled back on any error.

    ``write`` takes SQLite's write lock when the transaction starts, waiting up to the
    busy timeout for another writer: a transaction that reads and then writes would
    otherwise fail at once when a writer committed in between. A lock not obtained in
    time is a LedgerBusyError.
    """
    factory = sessionmaker(get_engine(url), expire_on_commit=False)
    try:
        with factory() as session, session.begin():
            if write and session.get_bind().dialect.name == "sqlite":
                session.execute(text("BEGIN IMMEDIATE"))
            yield session
    except OperationalError as error:
        if "database is locked" not in str(error.orig):
            raise
        raise LedgerBusyError(
            "the ledger is busy with another write (e.g. a long import); nothing was"
            " changed: try again when it has finished (SQLite writes wait up to"
            f" ENVLEDGER_SQLITE_BUSY_TIMEOUT_S = {get_settings().sqlite_busy_timeout_s:g} s)"
        ) from None
