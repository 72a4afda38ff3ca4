"""Whole-column validation of an import table, collecting every problem with its row."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from functools import cache
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from envledger.errors import InputError, InputProblem

# A problem repeated on 100,000 rows is one problem: show a few rows, then count the rest.
ROWS_PER_PROBLEM = 20
_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"
_INTEGER = r"^[+-]?\d{1,9}$"  # 9 digits fit int32 and are plenty for years
_DATE = r"^\d{4}-\d{2}-\d{2}$"
# PostgreSQL refuses NUL in text and SQLite would store it; other C0 controls are invisible.
_CONTROL = "[\x00-\x1f]"
_CONTROL_IN_FREE_TEXT = "[\x00-\x08\x0b\x0c\x0e-\x1f]"  # tab and line breaks allowed
CELL_CHARACTERS = 100
"""Longest cell [characters] of a column not stored as typed (numbers, dates, codes)."""
FREE_TEXT_CHARACTERS = 4000
"""Longest free-text cell [characters] (notes, citations, descriptions)."""

Message = str | Callable[[dict[str, Any]], str]


def one_line(values: Iterable[str]) -> str:
    """Join allowed values for a message: 'a, b, c'."""
    return ", ".join(values)


@cache
def _database() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()


def memory_db() -> duckdb.DuckDBPyConnection:
    """A private connection to an in-memory DuckDB for joins over Arrow tables.

    Connections share one database (opening a new one costs ~35 ms) but not their
    registered tables; the progress bar is off so that nothing is printed.
    """
    db = _database().cursor()
    db.execute("SET enable_progress_bar = false")
    return db


def all_of(*masks: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Row-wise AND of boolean columns; a null (unknown) counts as false."""
    result = pc.fill_null(masks[0], False)
    for mask in masks[1:]:
        result = pc.and_(result, pc.fill_null(mask, False))
    return result


def _control_message(cell: str, pattern: str) -> str:
    found = re.search(pattern, cell)
    assert found is not None
    return (
        f"contains the control character U+{ord(found.group()):04X} at character"
        f" {found.start() + 1}: remove it (text may not hold invisible characters)"
    )


class TableCheck:
    """Checks on one import table; `done()` raises InputError listing every problem.

    Each check looks at whole columns at once; Python runs per row only to word the
    (capped) messages. The table must carry `source_row` [spreadsheet row, header = 1]:
    `TableCheck.numbered` adds it to a freshly read file.
    """

    def __init__(self, table: pa.Table, file_name: str) -> None:
        self.table = table
        self.file_name = file_name
        self.problems: list[InputProblem] = []

    @classmethod
    def numbered(cls, table: pa.Table, file_name: str) -> TableCheck:
        """Check a table from `parse_table`: add `source_row`, drop entirely blank rows."""
        rows = pa.array(range(2, table.num_rows + 2), pa.int32())
        numbered = table.append_column("source_row", rows)
        if table.num_columns:
            blank = all_of(*(pc.equal(column, "") for column in table.columns))
            if pc.any(blank).as_py():  # a filter copies every column, even keeping them all
                numbered = numbered.filter(pc.invert(blank))
        return cls(numbered, file_name)

    def columns(self, required: Sequence[str], optional: Sequence[str]) -> None:
        """Refuse missing and unknown columns; add absent optional ones as ''."""
        present = [name for name in self.table.column_names if name != "source_row"]
        expected = f"expected columns: {one_line(required)}; optional: {one_line(optional)}"
        for name in required:
            if name not in present:
                self.problems.append(InputProblem(
                    self.file_name, 1, name, f"required column is missing; {expected}",
                ))
        allowed = set(required) | set(optional)
        for name in present:
            if name not in allowed:
                self.problems.append(InputProblem(
                    self.file_name, 1, name,
                    f"unknown column (a typo?); allowed: {one_line([*required, *optional])}",
                ))
        if self.table.num_rows == 0:
            self.add(None, None, "has no data rows below the header")
        self.done()
        for name in optional:
            if name not in present:
                self.table = self.table.append_column(
                    name, pa.array([""] * self.table.num_rows, pa.string())
                )

    def cells(self, lengths: Mapping[str, int], free_text: Collection[str] = ()) -> None:
        """Refuse cells too long for their column or holding control characters; stop there.

        ``lengths`` gives the database length [characters] of the columns stored as typed;
        ``free_text`` columns may hold FREE_TEXT_CHARACTERS with tabs and line breaks; any
        other column CELL_CHARACTERS. Raises at once, so that no later message quotes a
        bad cell.
        """
        for name in self.table.column_names:
            if name == "source_row":
                continue
            free = name in free_text
            limit = FREE_TEXT_CHARACTERS if free else lengths.get(name, CELL_CHARACTERS)
            column = self.table.column(name)
            size = pc.utf8_length(column)
            self.flag(
                pc.greater(size, limit), name,
                lambda row, name=name, limit=limit: (
                    f"is {len(row[name]):,} characters long: at most {limit:,} allowed"
                ),
            )
            pattern = _CONTROL_IN_FREE_TEXT if free else _CONTROL
            self.flag(
                all_of(pc.less_equal(size, limit), pc.match_substring_regex(column, pattern)),
                name, lambda row, name=name, pattern=pattern: _control_message(row[name], pattern),
            )
        self.done()

    def text(self, name: str) -> pa.ChunkedArray:
        """A column as it was typed (trimmed)."""
        return self.table.column(name)

    def flag(self, mask: pa.Array | pa.ChunkedArray, column: str | None, message: Message) -> None:
        """Report every row where `mask` is true; `message` may use the row's cells."""
        mask = pc.fill_null(mask, False)
        count = pc.sum(pc.cast(mask, pa.int64())).as_py() or 0
        if count == 0:
            return
        shown = self.table.filter(mask).slice(0, ROWS_PER_PROBLEM).to_pylist()
        for row in shown:
            text = message(row) if callable(message) else message.format(**row)
            self.problems.append(InputProblem(self.file_name, row["source_row"], column, text))
        if count > len(shown):
            example = shown[0]
            text = message(example) if callable(message) else message.format(**example)
            self.problems.append(InputProblem(
                self.file_name, None, column,
                f"... and {count - len(shown)} more rows like row {example['source_row']} ({text})",
            ))

    def add(self, row: int | None, column: str | None, message: str) -> None:
        """Report one problem found by a check that is not a mask over the table."""
        self.problems.append(InputProblem(self.file_name, row, column, message))

    def required(self, name: str) -> pa.ChunkedArray:
        """Refuse empty cells in a column; return it."""
        column = self.text(name)
        self.flag(pc.equal(column, ""), name, "is empty: a value is required")
        return column

    def one_of(
        self, name: str, allowed: Sequence[str], *, empty_ok: bool = False
    ) -> pa.ChunkedArray:
        """Refuse values outside `allowed` (any case); return them spelled as in `allowed`."""
        column = self.text(name)
        position = pc.index_in(
            pc.utf8_lower(column), value_set=pa.array([a.lower() for a in allowed], pa.string())
        )
        bad = pc.is_null(position)
        if empty_ok:
            bad = pc.and_(bad, pc.not_equal(column, ""))
        self.flag(bad, name, f"'{{{name}}}' is not allowed: expected one of {one_line(allowed)}")
        spelled = pc.take(pa.array(allowed, pa.string()), position)
        return pc.if_else(pc.equal(column, ""), "", spelled) if empty_ok else spelled

    def number(
        self, name: str, *, empty_ok: bool = False, negative_ok: bool = False
    ) -> pa.ChunkedArray:
        """Parse a column of decimal numbers [as typed] to float64; bad cells become null."""
        column = self.text(name)
        empty = pc.equal(column, "")
        valid = pc.match_substring_regex(column, _NUMBER)
        if not empty_ok:
            self.flag(empty, name, "is empty: expected a number")
        self.flag(
            pc.and_(pc.invert(valid), pc.invert(empty)), name,
            f"'{{{name}}}' is not a number: expected digits with '.' as the decimal point,"
            " no thousands separators or units",
        )
        values = pc.cast(pc.if_else(valid, column, None), pa.float64())
        self.flag(pc.is_inf(values), name, f"'{{{name}}}' is too large")
        values = pc.if_else(pc.is_inf(values), None, values)
        if not negative_ok:
            self.flag(pc.less(values, 0), name, f"{{{name}}} is negative: expected 0 or more")
        return values

    def integer(
        self, name: str, *, empty_ok: bool = False, low: int | None = None,
        high: int | None = None,
    ) -> pa.ChunkedArray:
        """Parse a column of whole numbers to int32; bad cells become null."""
        column = self.text(name)
        empty = pc.equal(column, "")
        valid = pc.match_substring_regex(column, _INTEGER)
        if not empty_ok:
            self.flag(empty, name, "is empty: expected a whole number")
        expected = "a whole number" if low is None else f"a whole number from {low} to {high}"
        self.flag(
            pc.and_(pc.invert(valid), pc.invert(empty)), name,
            f"'{{{name}}}' is not {expected}",
        )
        # Parse as int64 first so that a huge year is reported, not an overflow.
        values = pc.cast(pc.if_else(valid, column, None), pa.int64())
        if low is not None and high is not None:
            outside = pc.or_(pc.less(values, low), pc.greater(values, high))
            self.flag(outside, name, f"{{{name}}} is outside {low}..{high}")
            values = pc.if_else(outside, None, values)
        return pc.cast(values, pa.int32())

    def date(self, name: str, *, empty_ok: bool = False) -> pa.ChunkedArray:
        """Parse a column of YYYY-MM-DD dates to date32; bad (or empty) cells become null."""
        column = self.text(name)
        # A file has far fewer distinct dates than rows: parse each distinct string once.
        distinct = pc.unique(column)
        parsed = pc.strptime(
            pc.if_else(pc.match_substring_regex(distinct, _DATE), distinct, None),
            format="%Y-%m-%d", unit="s", error_is_null=True,
        )
        # strptime rolls 2024-02-30 over to March; a round trip catches it.
        valid = pc.equal(pc.strftime(parsed, format="%Y-%m-%d"), distinct)
        days = pc.cast(pc.if_else(pc.fill_null(valid, False), parsed, None), pa.date32())
        dates = pc.take(days, pc.index_in(column, value_set=distinct))
        if not empty_ok:
            self.flag(pc.equal(column, ""), name, "is empty: expected a date as YYYY-MM-DD")
        self.flag(
            all_of(pc.is_null(dates), pc.not_equal(column, "")), name,
            f"'{{{name}}}' is not a date: expected YYYY-MM-DD, e.g. 2024-01-31",
        )
        return dates

    def duplicates(self, keys: pa.Table, label: str) -> None:
        """Refuse rows whose `keys` (a table with `source_row`) repeat an earlier row's."""
        names = ", ".join(f'"{name}"' for name in keys.column_names if name != "source_row")
        # Grouping on a 64-bit hash of the key first needs a fraction of the memory of
        # grouping the key strings (about 40 MB instead of 135 MB for 770,000 rows); only
        # rows whose hash repeats are then grouped exactly, so a hash collision costs
        # time, never a wrong refusal.
        with memory_db() as db:
            db.register("keys", keys)
            later = db.sql(f"""
                WITH hashed AS (SELECT hash({names}) AS key_hash, source_row FROM keys),
                repeated AS (
                    SELECT key_hash FROM hashed GROUP BY key_hash HAVING count(*) > 1
                ),
                candidates AS (
                    SELECT keys.* FROM keys JOIN hashed USING (source_row)
                    WHERE hashed.key_hash IN (SELECT key_hash FROM repeated)
                ),
                firsts AS (
                    SELECT {names}, min(source_row) AS first_row FROM candidates
                    GROUP BY ALL HAVING count(*) > 1
                )
                SELECT candidates.source_row, firsts.first_row
                FROM candidates JOIN firsts USING ({names})
                WHERE candidates.source_row > firsts.first_row
                ORDER BY candidates.source_row
            """).to_arrow_table()
        self.flag_rows(later, None, lambda row: f"repeats row {row['first_row']} (same {label})")

    def flag_rows(self, rows: pa.Table, column: str | None, message: Message) -> None:
        """Report rows of a derived table that carries `source_row` (e.g. a join result)."""
        saved, self.table = self.table, rows
        try:
            self.flag(pa.array([True] * rows.num_rows, pa.bool_()), column, message)
        finally:
            self.table = saved

    def done(self) -> None:
        """Raise InputError if any check failed: problems by row, counts of the rest last."""
        if self.problems:
            raise InputError(sorted(self.problems, key=lambda p: (p.row is None, p.row or 0)))
