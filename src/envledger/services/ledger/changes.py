"""Comparing an import file with what the ledger already holds: imports never overwrite."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Connection, select

from envledger.io.checks import TableCheck
from envledger.store.models import Facility


def refuse_changes(
    check: TableCheck, new: pa.Table, old: pa.Table, key: Sequence[str],
    columns: Sequence[str], what: Callable[[dict[str, Any]], str],
) -> None:
    """Flag every cell of `new` whose row (by `key`) is in `old` with a different value.

    `old` holds `key`, `columns` and `held_in` (where the ledger's value came from);
    `what(row)` names the thing, e.g. "facility SH-HQ".
    """
    renamed = old.select([*key, *columns, "held_in"]).rename_columns(
        [*key, *(f"old_{c}" for c in columns), "held_in"]
    )
    joined = new.select([*key, *columns, "source_row"]).join(
        renamed, list(key), join_type="inner"
    )
    for column in columns:
        changed = joined.filter(_differs(joined.column(column), joined.column(f"old_{column}")))
        check.flag_rows(changed.sort_by("source_row"), column, _message(column, what))


def _differs(a: pa.ChunkedArray, b: pa.ChunkedArray) -> pa.ChunkedArray:
    """a IS DISTINCT FROM b: nulls equal each other and differ from any value."""
    return pc.fill_null(pc.not_equal(a, b), pc.xor(pc.is_null(a), pc.is_null(b)))


def _message(column: str, what: Callable[[dict[str, Any]], str]) -> Callable[[dict], str]:
    def message(row: dict[str, Any]) -> str:
        return (
            f"{what(row)} is in the ledger with {_shown(row[f'old_{column}'])} "
            f"({row['held_in']}); this file says {_shown(row[column])}. Imports never"
            " overwrite: make the file agree with the ledger"
        )

    return message


def _shown(value: object) -> str:
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, float):
        return format(value, ".15g")
    return f"'{value}'"


def held_in(batch_id: pa.ChunkedArray, file_name: pa.ChunkedArray, other: str) -> pa.Array:
    """'batch 3, sites.csv' per row, or `other` where the row came from no import."""
    text = pc.binary_join_element_wise(
        "batch ", pc.cast(batch_id, pa.string()), ", ", file_name, ""
    )
    return pc.fill_null(text, other)


def refuse_unknown_facilities(check: TableCheck, connection: Connection, table: pa.Table) -> None:
    """Flag rows whose (optional) facility_code names no facility in the ledger."""
    known = pa.array(
        [row[0] for row in connection.execute(select(Facility.code)).fetchall()], pa.string()
    )
    check.flag(
        pc.and_(pc.not_equal(table["facility_code"], ""),
                pc.invert(pc.is_in(table["facility_code"], value_set=known))),
        "facility_code", "'{facility_code}' is not a facility in the ledger",
    )
