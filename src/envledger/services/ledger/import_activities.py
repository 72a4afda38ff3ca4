"""Activity imports against the ledger: facility codes, natural-key clashes, bulk insert."""

from __future__ import annotations

import io
from collections.abc import Callable

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
from sqlalchemy import Connection, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from envledger.io.activities import UNKNOWN_FACILITY
from envledger.io.checks import TableCheck, memory_db
from envledger.services.ledger.tables import query_arrow
from envledger.store.db import get_engine
from envledger.store.models import ActivityRecord, Facility, FacilityYear, ImportBatch

CHUNK_ROWS = 50_000
"""Rows written per statement; progress is reported after each chunk."""

COLUMNS = (
    "batch_id", "source_row", "facility_id", "period_start", "period_end", "activity",
    "quantity", "unit", "gas", "variant", "data_source", "reference", "uncertainty_pct",
)
_KEY = ("facility_id", "activity", "gas", "variant", "period_start", "period_end")
_EXISTING = pa.schema([
    ("facility_id", pa.int64()), ("activity", pa.string()), ("gas", pa.string()),
    ("variant", pa.string()), ("period_start", pa.date32()), ("period_end", pa.date32()),
    ("batch_id", pa.int64()), ("file_name", pa.string()), ("batch_row", pa.int64()),
])


def check_activities_in_ledger(session: Session, table: pa.Table, file_name: str) -> pa.Table:
    """Refuse unknown facility codes and rows already in the ledger; add `facility_id`.

    Raises InputError naming each row (and, for a clash, the batch and file that hold it).
    """
    check = TableCheck(table, file_name)
    connection = session.connection()
    facilities = query_arrow(
        connection, select(Facility.code, Facility.id),
        pa.schema([("code", pa.string()), ("id", pa.int64())]),
    )
    ids = pc.take(
        facilities.column("id"),
        pc.index_in(table.column("facility_code"), value_set=facilities.column("code")),
    )
    check.flag(pc.is_null(ids), "facility_code", UNKNOWN_FACILITY)
    check.done()
    table = table.append_column("facility_id", ids)
    existing = _existing_keys(connection, table)
    if existing.num_rows:
        with memory_db() as db:
            db.register("new", table)
            db.register("old", existing)
            clashes = db.sql(f"""
                SELECT new.source_row, new.facility_code, new.activity, new.period_start,
                    new.period_end, old.batch_id, old.file_name, old.batch_row
                FROM new JOIN old USING ({", ".join(_KEY)})
                ORDER BY new.source_row
            """).to_arrow_table()
        check.flag_rows(
            clashes, None,
            lambda row: (
                f"{row['facility_code']} {row['activity']} {row['period_start']}.."
                f"{row['period_end']} is already in the ledger from batch {row['batch_id']} "
                f"({row['file_name']}, row {row['batch_row']}); imports never overwrite or"
                " duplicate: remove the row from this file"
            ),
        )
        check.done()
    return table


def facility_codes(url: str) -> pa.Array:
    """Codes of the facilities in the ledger, for the row checks of an activities file."""
    with get_engine(url).connect() as connection:
        codes = query_arrow(connection, select(Facility.code),
                            pa.schema([("code", pa.string())]))
    return codes.column("code").combine_chunks()


def _existing_keys(connection: Connection, table: pa.Table) -> pa.Table:
    """Natural keys in the ledger for the file's facilities, activities and start dates."""
    start = table.column("period_start")
    record = ActivityRecord
    statement = (
        select(
            record.facility_id, record.activity, record.gas, record.variant,
            record.period_start, record.period_end, record.batch_id, ImportBatch.file_name,
            record.source_row,
        )
        .join(ImportBatch, ImportBatch.id == record.batch_id)
        .where(
            record.facility_id.in_(pc.unique(table.column("facility_id")).to_pylist()),
            record.activity.in_(pc.unique(table.column("activity")).to_pylist()),
            record.period_start.between(pc.min(start).as_py(), pc.max(start).as_py()),
        )
    )
    return query_arrow(connection, statement, _EXISTING)


def insert_activities(
    session: Session, table: pa.Table, batch_id: int,
    progress: Callable[[int, int], None] | None = None,
) -> None:
    """Insert the checked rows of `table` under `batch_id`, CHUNK_ROWS at a time."""
    connection = session.connection()
    rows = table.append_column(
        "batch_id", pa.repeat(pa.scalar(batch_id, pa.int64()), table.num_rows)
    ).select(list(COLUMNS))
    write = _copy if connection.dialect.name == "postgresql" else _executemany
    for offset in range(0, rows.num_rows, CHUNK_ROWS):
        chunk = rows.slice(offset, CHUNK_ROWS)
        write(connection, chunk)
        if progress is not None:
            progress(offset + chunk.num_rows, rows.num_rows)


def _executemany(connection: Connection, chunk: pa.Table) -> None:
    # Values go to the driver as prepared columns: dates as the ISO text SQLAlchemy itself
    # stores in SQLite, so no per-value type processing runs in Python.
    columns = [
        pc.cast(column, pa.string()) if pa.types.is_date(column.type) else column
        for column in chunk.columns
    ]
    marks = ", ".join("?" for _ in COLUMNS)
    connection.exec_driver_sql(
        f"INSERT INTO activity_record ({', '.join(COLUMNS)}) VALUES ({marks})",
        list(zip(*(column.to_pylist() for column in columns), strict=True)),
    )


def _copy(connection: Connection, chunk: pa.Table) -> None:
    # COPY from Arrow's CSV writer moves a chunk without a Python object per value;
    # quoted empty strings stay '' (not NULL) in PostgreSQL's CSV format.
    buffer = io.BytesIO()
    pa_csv.write_csv(chunk, buffer, pa_csv.WriteOptions(include_header=False))
    statement = f"COPY activity_record ({', '.join(COLUMNS)}) FROM STDIN (FORMAT csv)"
    driver_error = connection.dialect.loaded_dbapi.Error
    cursor = connection.connection.driver_connection.cursor()
    try:
        with cursor, cursor.copy(statement) as copy:
            copy.write(buffer.getvalue())
    except driver_error as error:
        # The same exception types as SQLAlchemy's own statements (e.g. IntegrityError).
        raise DBAPIError.instance(statement, None, error, driver_error) from error


def missing_facility_years(connection: Connection, table: pa.Table) -> tuple[str, ...]:
    """A warning per facility and year the rows fall in that has no facility-year row.

    Such rows are kept (the facility-year may follow), but until it does they count in
    no figure, and publishing the year is refused (services.publication.coverage_gate).
    """
    held = query_arrow(
        connection,
        select(Facility.code, FacilityYear.year)
        .join(Facility, Facility.id == FacilityYear.facility_id),
        pa.schema([("code", pa.string()), ("year", pa.int32())]),
    )
    with memory_db() as db:
        db.register("rows", table.select(["facility_code", "period_start", "period_end"]))
        db.register("held", held)
        missing = db.sql(
            """
            SELECT facility_code, year, count(*) AS n
            FROM (SELECT facility_code,
                         unnest(range(year(period_start), year(period_end) + 1)) AS year
                  FROM rows) r
            WHERE NOT EXISTS (SELECT 1 FROM held h
                              WHERE h.code = r.facility_code AND h.year = r.year)
            GROUP BY facility_code, year ORDER BY facility_code, year
            """
        ).fetchall()
    return tuple(
        f"{code} has {n:,} activity rows in {year} but no facility-year row for {year}: they"
        f" count in no figure and {year} cannot be published until a facilities row for"
        f" {code} in {year} (in_boundary yes or no) is imported"
        for code, year, n in missing
    )
