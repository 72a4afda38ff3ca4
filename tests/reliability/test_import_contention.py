"""Imports under contention: a lost race or a long writer is a clear message (issue 9.7)."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from envledger.services.inventory.calculate import prepare_ledger
from envledger.services.ledger.importing import import_facilities
from envledger.store.db import get_engine
from envledger.store.models import ActivityRecord, ImportBatch
from tests.support.access import SignedInApp, signed_in_app
from tests.support.cli_process import FACILITIES, ForkServer, write_activities
from tests.support.publication import ACTIVITIES

ROWS = 5_000


def ledger_with_facility(url: str, tmp_path: Path) -> None:
    prepare_ledger(url)
    (tmp_path / "facilities.csv").write_text(FACILITIES)
    import_facilities(url, tmp_path / "facilities.csv")


def activity_state(url: str) -> tuple[list[tuple[int, int]], int]:
    """(batch id, declared rows) of every activities batch, and the activity rows stored."""
    with get_engine(url).connect() as connection:
        batches = connection.execute(
            sa.select(ImportBatch.id, ImportBatch.row_count)
            .where(ImportBatch.kind == "activities").order_by(ImportBatch.id)
        ).all()
        rows = connection.execute(sa.select(sa.func.count()).select_from(ActivityRecord))
        return [(batch.id, batch.row_count) for batch in batches], rows.scalar_one()


def assert_clean(output: str) -> None:
    assert "Traceback" not in output and "Integrity" not in output, output
    assert "UniqueViolation" not in output and "OperationalError" not in output, output


def test_the_same_file_imported_by_three_processes_at_once(
    ledger_url: str, tmp_path: Path, cli: ForkServer
) -> None:
    ledger_with_facility(ledger_url, tmp_path)
    file = write_activities(tmp_path / "readings.csv", ROWS)
    processes = [cli.start(ledger_url, "import", "activities", str(file)) for _ in range(3)]
    results = [process.wait() for process in processes]
    for status, output in results:
        assert status == 0, output
        assert_clean(output)
    outputs = [output for _, output in results]
    assert sum(f"Imported {ROWS:,} activity rows" in o for o in outputs) == 1, outputs
    assert sum("was already imported as batch" in o for o in outputs) == 2, outputs
    batches, rows = activity_state(ledger_url)
    assert len(batches) == 1 and rows == ROWS


def test_overlapping_files_imported_at_once(
    ledger_url: str, tmp_path: Path, cli: ForkServer
) -> None:
    """Two files sharing rows: one is imported, the other refused naming the winner's batch."""
    ledger_with_facility(ledger_url, tmp_path)
    files = [write_activities(tmp_path / f"file{n}.csv", ROWS + n) for n in range(2)]
    results = [p.wait() for p in [cli.start(ledger_url, "import", "activities", str(f))
                                  for f in files]]
    for _, output in results:
        assert_clean(output)
    assert sorted(status for status, _ in results) == [0, 1], results
    refused = next(output for status, output in results if status == 1)
    assert "nothing was imported" in refused and "is already in the ledger from batch" in refused
    batches, rows = activity_state(ledger_url)
    assert len(batches) == 1 and rows == batches[0][1]


def test_separate_files_imported_at_once_both_land(
    ledger_url: str, tmp_path: Path, cli: ForkServer
) -> None:
    """Two files without shared rows: both imported, one after the other in the audit chain."""
    ledger_with_facility(ledger_url, tmp_path)
    files = [write_activities(tmp_path / f"year{n}.csv", ROWS, date(2000 + 20 * n, 1, 1))
             for n in range(2)]
    results = [p.wait() for p in [cli.start(ledger_url, "import", "activities", str(f))
                                  for f in files]]
    for status, output in results:
        assert status == 0 and f"Imported {ROWS:,} activity rows" in output, output
    batches, rows = activity_state(ledger_url)
    assert len(batches) == 2 and rows == 2 * ROWS
    status, output = cli.run(ledger_url, "audit", "verify")
    assert status == 0 and output.startswith("OK"), output


def hold_write_lock(path: Path, locked: threading.Event, release: threading.Event) -> None:
    """Hold SQLite's write lock until ``release`` (at most 30 s), as a long import does."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("UPDATE import_batch SET imported_by = imported_by")
    locked.set()
    release.wait(30)
    connection.execute("ROLLBACK")
    connection.close()


def writer(path: Path) -> tuple[threading.Event, threading.Event]:
    """Start a long writer on the SQLite ledger at ``path``: (locked, release) events."""
    locked, release = threading.Event(), threading.Event()
    threading.Thread(target=hold_write_lock, args=(path, locked, release), daemon=True).start()
    assert locked.wait(10)
    return locked, release


def test_an_import_behind_a_long_writer_gives_up_with_a_clear_message(
    sqlite_ledger_url: str, tmp_path: Path, cli: ForkServer
) -> None:
    ledger_with_facility(sqlite_ledger_url, tmp_path)
    file = write_activities(tmp_path / "readings.csv", 100)
    _, release = writer(tmp_path / "ledger.db")
    started = time.monotonic()
    status, output = cli.run(
        sqlite_ledger_url, "import", "activities", str(file), sqlite_busy_timeout_s="1"
    )
    release.set()
    assert status == 1, output
    assert_clean(output)
    lines = output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: the ledger is busy"), output
    assert "ENVLEDGER_SQLITE_BUSY_TIMEOUT_S = 1 s" in lines[0]
    assert time.monotonic() - started < 20
    assert activity_state(sqlite_ledger_url) == ([], 0)


def test_an_import_behind_a_short_writer_waits_and_succeeds(
    sqlite_ledger_url: str, tmp_path: Path, cli: ForkServer
) -> None:
    ledger_with_facility(sqlite_ledger_url, tmp_path)
    file = write_activities(tmp_path / "readings.csv", 100)
    _, release = writer(tmp_path / "ledger.db")
    process = cli.start(
        sqlite_ledger_url, "import", "activities", str(file), sqlite_busy_timeout_s="20"
    )
    time.sleep(2)  # the import reaches its write and waits for the lock
    release.set()
    status, output = process.wait()
    assert status == 0 and "Imported 100 activity rows" in output, output
    assert activity_state(sqlite_ledger_url)[1] == 100


@pytest.fixture(scope="module", params=["sqlite"])
def impatient_app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SignedInApp]:
    """The signed-in app on a SQLite ledger whose writes wait 1 s for a busy ledger."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ENVLEDGER_SQLITE_BUSY_TIMEOUT_S", "1")
        yield from signed_in_app(request, tmp_path_factory)


def test_an_upload_behind_a_long_writer_shows_the_form_again_with_a_503(
    impatient_app: SignedInApp,
) -> None:
    client = impatient_app.sign_in("site")
    csrf = impatient_app.csrf(client)
    url = impatient_app.settings.database_url
    before = activity_state(url)
    _, release = writer(Path(url.removeprefix("sqlite:///")))
    try:
        response = client.post(
            "/upload", data={"csrf_token": csrf},
            files={"file": ("june.csv", (ACTIVITIES + JUNE).encode(), "text/csv")},
        )
    finally:
        release.set()
    assert response.status_code == 503, response.text
    assert "text/html" in response.headers["content-type"]
    assert "the ledger is busy with another write" in response.text
    assert 'action="/upload"' in response.text
    assert activity_state(url) == before


JUNE = "CD-OF,2021-06-01,2021-06-30,electricity,10000,kWh,invoice\n"
