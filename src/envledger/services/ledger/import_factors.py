"""Factor imports against the ledger: an existing factor_id must not change."""

from __future__ import annotations

import pyarrow as pa
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from envledger.data import FACTOR_SCHEMA
from envledger.io.checks import TableCheck
from envledger.services.ledger.changes import held_in, refuse_changes
from envledger.services.ledger.tables import query_arrow
from envledger.store.models import EmissionFactor, ImportBatch

VALUES = tuple(name for name in FACTOR_SCHEMA.names if name != "factor_id")
# SQLite and PostgreSQL cap bound parameters; 1,000 ids per IN list stays well below both.
_IDS_PER_QUERY = 1000


def check_factors_in_ledger(session: Session, table: pa.Table, file_name: str) -> pa.Table:
    """Refuse factor_ids already in the ledger with other values; return the new factors."""
    check = TableCheck(table, file_name)
    ids = table.column("factor_id").to_pylist()
    schema = FACTOR_SCHEMA.append(pa.field("batch_id", pa.int64())).append(
        pa.field("file_name", pa.string())
    ).append(pa.field("origin", pa.string()))
    parts = [
        query_arrow(
            session.connection(),
            select(*(getattr(EmissionFactor, name) for name in FACTOR_SCHEMA.names),
                   EmissionFactor.batch_id, ImportBatch.file_name, EmissionFactor.origin)
            .outerjoin(ImportBatch, ImportBatch.id == EmissionFactor.batch_id)
            .where(EmissionFactor.factor_id.in_(ids[start:start + _IDS_PER_QUERY])),
            schema,
        )
        for start in range(0, len(ids), _IDS_PER_QUERY)
    ]
    old = pa.concat_tables(parts)
    old = old.append_column(
        "held_in", held_in(old.column("batch_id"), old.column("file_name"), "built-in library")
    )
    refuse_changes(
        check, table, old, ["factor_id"], VALUES, lambda row: f"factor {row['factor_id']}"
    )
    check.done()
    return table.join(old.select(["factor_id"]), "factor_id", join_type="left anti")


def add_factors(session: Session, factors: pa.Table, batch_id: int) -> None:
    """Insert checked new factors as user factors (origin 'user') of `batch_id`."""
    if factors.num_rows == 0:
        return
    rows = factors.select(FACTOR_SCHEMA.names).to_pylist()
    session.connection().execute(
        insert(EmissionFactor),
        [{**row, "origin": "user", "batch_id": batch_id} for row in rows],
    )
