"""The reduction-measures register: import measures and total their estimated savings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Connection, insert, select
from sqlalchemy.orm import Session

from envledger.io.checks import TableCheck
from envledger.io.limits import ReadLimits
from envledger.io.measures import SAVINGS, SCHEMA, parse_measures
from envledger.services.ledger.changes import (
    held_in,
    refuse_changes,
    refuse_unknown_facilities,
)
from envledger.services.ledger.importing import Applied, ImportResult, run_import
from envledger.services.ledger.tables import query_arrow
from envledger.store.commitments import ReductionMeasure
from envledger.store.db import get_engine
from envledger.store.models import ImportBatch

KEY = ("name", "year", "facility_code")
COLUMNS = (*KEY, "category", *SAVINGS, "estimate_method", "description")
#: saving column -> unit
UNITS = {"savings_tco2e": "tCO2e", "savings_mwh": "MWh", "savings_water_t": "t"}


def import_measures(
    url: str, path: Path | str, actor: str = "cli", limits: ReadLimits | None = None
) -> ImportResult:
    """Import a reduction-measures file; identical measures already there are skipped.

    Refused: facility codes not in the ledger, and a measure (name, year, facility)
    in the ledger with any different field — imports never overwrite.
    """
    def apply(session: Session, table: pa.Table, batch: ImportBatch) -> Applied:
        connection = session.connection()
        new = _new_measures(connection, table, batch.file_name)
        if new.num_rows:
            rows = new.select(list(COLUMNS)).to_pylist()
            connection.execute(insert(ReductionMeasure),
                               [{**row, "batch_id": batch.id} for row in rows])
        return Applied(new.num_rows, (
            f"Imported {new.num_rows} reduction measures from {{file}} as batch {{batch}}; "
            f"{table.num_rows - new.num_rows} were already in the ledger unchanged."
        ))

    return run_import(url, "measures", path, actor, parse_measures, apply, limits)


def list_measures(url: str, year: int | None = None) -> list[dict[str, Any]]:
    """The measures of ``year`` (every year if None), by year, category and name.

    Savings are [tCO2e], [MWh] and [t water]; None where not estimated.
    """
    with get_engine(url).connect() as connection:
        table = _ledger_measures(connection)
    if year is not None:
        table = table.filter(pc.equal(table["year"], year))
    rows = table.drop_columns(["held_in"]).sort_by(
        [("year", "ascending"), ("category", "ascending"), ("name", "ascending")]
    )
    return rows.to_pylist()


def savings_by_category(measures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Estimated savings summed per year and category [tCO2e], [MWh], [t water].

    A sum is None when no measure of the group has that saving estimated.
    """
    totals: dict[tuple[int, str], dict[str, Any]] = {}
    for m in measures:
        row = totals.setdefault((m["year"], m["category"]), {
            "year": m["year"], "category": m["category"], "measures": 0,
            **dict.fromkeys(SAVINGS),
        })
        row["measures"] += 1
        for name in SAVINGS:
            if m[name] is not None:
                row[name] = (row[name] or 0.0) + m[name]
    return [totals[key] for key in sorted(totals)]


def _ledger_measures(connection: Connection) -> pa.Table:
    schema = pa.schema([
        *(SCHEMA.field(name) for name in COLUMNS),
        ("batch_id", pa.int64()), ("file_name", pa.string()),
    ])
    old = query_arrow(
        connection,
        select(*(getattr(ReductionMeasure, name) for name in COLUMNS),
               ReductionMeasure.batch_id, ImportBatch.file_name)
        .outerjoin(ImportBatch, ImportBatch.id == ReductionMeasure.batch_id),
        schema,
    )
    return old.append_column(
        "held_in", held_in(old.column("batch_id"), old.column("file_name"), "not imported")
    ).drop_columns(["batch_id", "file_name"])


def _new_measures(connection: Connection, table: pa.Table, file_name: str) -> pa.Table:
    """Refuse unknown facilities and changed measures; return the rows that are new."""
    check = TableCheck(table, file_name)
    refuse_unknown_facilities(check, connection, table)
    old = _ledger_measures(connection)
    columns = [c for c in COLUMNS if c not in KEY]
    refuse_changes(check, table, old, list(KEY), columns,
                   lambda row: f"measure '{row['name']}' ({row['year']})")
    check.done()
    return table.join(old.select(list(KEY)), list(KEY), join_type="left anti")
