"""Activity imports: stored as typed, re-import is a no-op, clashes and failures change nothing."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from envledger.errors import InputError, LedgerBusyError
from envledger.services.ledger import import_activities as module
from envledger.services.ledger.importing import import_activities, import_facilities
from envledger.services.ledger.tables import fetch_activities
from envledger.store.db import get_engine, session_scope
from envledger.store.models import ActivityRecord, AuditEvent, ImportBatch
from tests.support.ledger import row_counts

HEADER = "facility_code,period_start,period_end,activity,quantity,unit,data_source,gas,reference"


@pytest.fixture
def ledger(ledger_url: str, tmp_path: Path) -> str:
    """A ledger holding facilities SH-HQ and GZ-P1."""
    path = tmp_path / "facilities.csv"
    path.write_text(
        "code,name,type,country,province,grid_region,year,floor_area_m2,headcount,in_boundary\n"
        "SH-HQ,Shanghai headquarters,office,CN,CN-SH,CN-East,2024,5200,310,yes\n"
        "GZ-P1,Guangzhou plant,factory,CN,CN-GD,CN-South,2024,18500,640,yes\n"
    )
    import_facilities(ledger_url, path)
    return ledger_url


def monthly_rows(count: int, start_year: int = 2000) -> str:
    """`count` electricity rows for SH-HQ, one per month from January of `start_year`."""
    lines = []
    for i in range(count):
        year, month = start_year + i // 12, i % 12 + 1
        lines.append(f"SH-HQ,{year}-{month:02d}-01,{year}-{month:02d}-28,electricity,{i},kWh,"
                     "measured,,")
    return "\n".join(lines) + "\n"


def test_csv_rows_are_stored_with_batch_and_audit(ledger: str, tmp_path: Path) -> None:
    path = tmp_path / "jan.csv"
    path.write_text(
        f"{HEADER}\nSH-HQ,2024-01-01,2024-01-31,electricity,182400,kwh,invoice,,BILL-1\n"
        "GZ-P1,2024-05-12,2024-05-12,refrigerant,12.5,kg,invoice,R-410A,\n"
    )
    calls: list[tuple[int, int]] = []
    result = import_activities(ledger, path, actor="alice", progress=lambda *a: calls.append(a))
    assert (result.rows_read, result.rows_added, result.already_imported) == (2, 2, False)
    assert calls == [(2, 2)]
    with session_scope(ledger) as session:
        records = session.scalars(sa.select(ActivityRecord).order_by(ActivityRecord.source_row))
        stored = [(r.source_row, r.unit, r.quantity, r.gas, r.period_end, r.reference)
                  for r in records]
        batch = session.get(ImportBatch, result.batch_id)
        event = session.scalars(sa.select(AuditEvent).where(
            AuditEvent.action == "import.activities")).one()
    assert stored == [
        (2, "kWh", 182400.0, "", date(2024, 1, 31), "BILL-1"),
        (3, "kg", 12.5, "R-410A", date(2024, 5, 12), ""),
    ]
    assert batch is not None
    assert batch.file_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (batch.kind, batch.row_count, batch.imported_by) == ("activities", 2, "alice")
    assert event.detail["batch_id"] == result.batch_id and event.actor == "alice"


def test_xlsx_imports_like_csv(ledger: str, tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(HEADER.split(","))
    book.active.append(["SH-HQ", date(2024, 1, 1), date(2024, 1, 31), "electricity", 1200.0,
                        "MWh", "measured", None, 42])
    path = tmp_path / "jan.xlsx"
    book.save(path)
    result = import_activities(ledger, path)
    assert result.rows_added == 1
    with session_scope(ledger) as session:
        record = session.scalars(sa.select(ActivityRecord)).one()
    assert (record.quantity, record.unit, record.reference) == (1200.0, "MWh", "42")


def test_reimporting_the_same_file_is_a_no_op(ledger: str, tmp_path: Path) -> None:
    path = tmp_path / "jan.csv"
    path.write_text(HEADER + "\n" + monthly_rows(3))
    first = import_activities(ledger, path)
    before = row_counts(ledger)
    copy = tmp_path / "jan-again.csv"
    copy.write_bytes(path.read_bytes())
    again = import_activities(ledger, copy)
    assert again.already_imported and again.rows_added == 0
    assert again.batch_id == first.batch_id
    assert f"already imported as batch {first.batch_id} (jan.csv" in again.message
    assert row_counts(ledger) == before


def test_row_already_in_the_ledger_names_its_batch_and_file(ledger: str, tmp_path: Path) -> None:
    first = tmp_path / "q1.csv"
    first.write_text(HEADER + "\n" + monthly_rows(3))
    batch = import_activities(ledger, first).batch_id
    second = tmp_path / "q1-fixed.csv"
    second.write_text(
        f"{HEADER}\nGZ-P1,2000-01-01,2000-01-31,electricity,5,kWh,measured,,\n"
        "SH-HQ,2000-02-01,2000-02-28,electricity,99,kWh,invoice,,\n"
    )
    before = row_counts(ledger)
    with pytest.raises(InputError) as caught:
        import_activities(ledger, second)
    [problem] = caught.value.problems
    assert (problem.file, problem.row) == ("q1-fixed.csv", 3)
    assert f"already in the ledger from batch {batch} (q1.csv, row 3)" in problem.message
    assert row_counts(ledger) == before


def test_bad_row_in_the_last_chunk_leaves_nothing(
    ledger: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(module, "CHUNK_ROWS", 100)
    path = tmp_path / "big.csv"
    path.write_text(HEADER + "\n" + monthly_rows(999)
                    + "SH-HQ,2099-01-01,2099-01-31,electricity,-1,kWh,measured,,\n")
    before = row_counts(ledger)
    with pytest.raises(InputError) as caught:
        import_activities(ledger, path)
    assert [(p.row, p.column) for p in caught.value.problems] == [(1001, "quantity")]
    assert row_counts(ledger) == before


def test_failure_after_chunks_were_written_rolls_everything_back(
    ledger: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(module, "CHUNK_ROWS", 100)
    path = tmp_path / "big.csv"
    path.write_text(HEADER + "\n" + monthly_rows(1000))
    before = row_counts(ledger)

    def interrupted(done: int, total: int) -> None:
        if done == total:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_activities(ledger, path, progress=interrupted)
    assert row_counts(ledger) == before


def test_integrity_error_while_writing_rolls_everything_back(
    ledger: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = tmp_path / "first.csv"
    first.write_text(HEADER + "\n" + monthly_rows(2))
    import_activities(ledger, first)
    # Skip the clash check so that the database's unique key has to stop the import.
    monkeypatch.setattr(module, "_existing_keys", lambda connection, table: table.slice(0, 0))
    monkeypatch.setattr(module, "CHUNK_ROWS", 100)
    second = tmp_path / "second.csv"
    second.write_text(HEADER + "\n" + monthly_rows(300, start_year=2010) + monthly_rows(1))
    before = row_counts(ledger)
    # Read as a lost race: checked once more (the same blind check), then a clear error.
    with pytest.raises(LedgerBusyError, match="clashed with another change"):
        import_activities(ledger, second)
    assert row_counts(ledger) == before


def test_an_uncertainty_of_its_own_is_stored_and_reaches_the_engine(
    ledger: str, tmp_path: Path
) -> None:
    path = tmp_path / "own.csv"
    path.write_text(
        "facility_code,period_start,period_end,activity,quantity,unit,data_source,"
        "uncertainty_pct\n"
        "SH-HQ,2024-01-01,2024-01-31,electricity,100,kWh,estimated,50\n"
        "SH-HQ,2024-02-01,2024-02-29,electricity,100,kWh,invoice,\n"
    )
    import_activities(ledger, path)
    with get_engine(ledger).connect() as connection:
        activities = fetch_activities(connection, 2024)
    rows = sorted(activities.select(
        ["period_start", "data_source", "uncertainty_pct"]).to_pylist(),
        key=lambda r: r["period_start"])
    assert [(r["data_source"], r["uncertainty_pct"]) for r in rows] == [
        ("estimated", 50.0), ("invoice", None)]
