"""Reading facility files (one row per facility and reporting year) into a checked table."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from envledger.data import load_activity_catalog
from envledger.io.checks import TableCheck, all_of, memory_db
from envledger.io.limits import ReadLimits
from envledger.io.tables import parse_table, read_table

REQUIRED = (
    "code", "name", "type", "country", "province", "grid_region", "year", "floor_area_m2",
    "headcount", "in_boundary",
)
OPTIONAL = (
    "sector", "groups", "boundary_note", "expected_activities", "in_boundary_from",
    "in_boundary_to",
)
WIDTH = len(REQUIRED) + len(OPTIONAL)
TYPES = ("office", "factory", "warehouse", "data_center", "retail_store", "other")
SECTORS = ("commercial", "manufacturing")
# Database lengths [characters] of the columns stored as typed (store.models); columns
# checked against a list or pattern need none; each name in `groups` is at most GROUP_NAME.
LENGTHS = {"code": 50, "name": 200, "grid_region": 30}
FREE_TEXT = ("groups", "boundary_note", "expected_activities")
GROUP_NAME = 200
CODE = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$"
"""A facility code: 1 to 40 letters, digits, '.', '_' or '-', starting with a letter or digit."""
BOOLEANS = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}
# Columns that describe the facility itself and so must be the same in each year's row.
STATIC = ("name", "type", "country", "province", "grid_region", "sector", "groups")

SCHEMA = pa.schema([
    ("code", pa.string()),
    ("name", pa.string()),
    ("type", pa.string()),
    ("country", pa.string()),
    ("province", pa.string()),
    ("grid_region", pa.string()),
    ("sector", pa.string()),
    ("groups", pa.list_(pa.string())),
    ("year", pa.int32()),
    ("floor_area_m2", pa.float64()),
    ("headcount", pa.float64()),
    ("in_boundary", pa.bool_()),
    ("boundary_note", pa.string()),
    ("expected_activities", pa.list_(pa.string())),
    ("in_boundary_from", pa.date32()),
    ("in_boundary_to", pa.date32()),
    ("source_row", pa.int32()),
])


def read_facilities(path: Path | str, limits: ReadLimits | None = None) -> pa.Table:
    """Read and check a facilities file; floor area [m2], headcount [persons]."""
    return check_facilities(read_table(path, limits, WIDTH), Path(path).name)


def parse_facilities(
    data: bytes, file_name: str, limits: ReadLimits | None = None
) -> pa.Table:
    """Parse and check the bytes of a facilities file (see `read_facilities`)."""
    return check_facilities(parse_table(data, file_name, limits, WIDTH), file_name)


def check_facilities(table: pa.Table, file_name: str) -> pa.Table:
    """Check a table of facility strings; return it typed as `SCHEMA` or raise InputError.

    An empty sector is derived from the type (factory -> manufacturing, else commercial);
    groups and expected activities are split on ';', trimmed, de-duplicated and sorted;
    ``in_boundary_from``/``in_boundary_to`` (first/last in-boundary day of a part-year
    facility) must fall in the row's year, in order, on an in-boundary row.
    """
    check = TableCheck.numbered(table, file_name)
    check.columns(REQUIRED, OPTIONAL)
    check.cells(LENGTHS, FREE_TEXT)
    code = check.required("code")
    check.flag(
        all_of(pc.not_equal(code, ""), pc.invert(pc.match_substring_regex(code, CODE))), "code",
        "'{code}' is not a facility code: expected 1 to 40 letters (A-Z, a-z), digits, '.',"
        " '_' or '-', starting with a letter or digit, e.g. SH-HQ",
    )
    check.required("name")
    kind = check.one_of("type", TYPES)
    country = pc.utf8_upper(check.text("country"))
    check.flag(
        pc.invert(pc.match_substring_regex(country, r"^[A-Z]{2}$")), "country",
        "'{country}' is not a country code: expected 2 letters (ISO 3166-1), e.g. CN, IN, DE",
    )
    province = pc.utf8_upper(check.text("province"))
    check.flag(
        all_of(
            pc.not_equal(province, ""),
            pc.invert(pc.match_substring_regex(province, r"^[A-Z]{2}-[A-Z0-9]{1,3}$")),
        ),
        "province", "'{province}' is not a province code: expected ISO 3166-2, e.g. CN-GD",
    )
    check.flag(
        all_of(
            pc.not_equal(province, ""),
            pc.not_equal(pc.utf8_slice_codeunits(province, 0, 2), country),
        ),
        "province", "'{province}' is not in country {country}",
    )
    sector = check.one_of("sector", SECTORS, empty_ok=True)
    derived = pc.if_else(pc.equal(kind, "factory"), "manufacturing", "commercial")
    sector = pc.if_else(pc.equal(sector, ""), derived, sector)
    year = check.integer("year", low=1990, high=2100)
    floor_area = check.number("floor_area_m2")
    headcount = check.number("headcount")
    boundary = check.one_of("in_boundary", list(BOOLEANS))
    in_boundary = pc.is_in(boundary, pa.array([k for k, v in BOOLEANS.items() if v]))
    start, end = check.date("in_boundary_from", empty_ok=True), check.date(
        "in_boundary_to", empty_ok=True
    )

    typed = pa.table(
        [
            code, check.text("name"), kind, country, province, check.text("grid_region"),
            sector, _split_groups(check.text("groups")), year, floor_area, headcount,
            in_boundary, check.text("boundary_note"),
            _split_groups(check.text("expected_activities")), start, end,
            check.text("source_row"),
        ],
        schema=SCHEMA,
    )
    _check_boundary_dates(check, typed)
    _check_expected_activities(check, typed)
    groups = typed.column("groups")
    long_names = pc.greater(pc.utf8_length(pc.list_flatten(groups)), GROUP_NAME)
    check.flag(
        pc.is_in(
            pa.array(range(typed.num_rows)),
            pc.filter(pc.list_parent_indices(groups), long_names),
        ),
        "groups", f"names a group longer than {GROUP_NAME} characters",
    )
    _check_static_columns(check, typed)
    check.duplicates(
        pa.table({"code": code, "year": check.text("year"), "source_row": typed["source_row"]}),
        "code and year",
    )
    check.done()
    return typed


def _split_groups(groups: pa.ChunkedArray) -> pa.ChunkedArray:
    """'b; a;;a' -> ['a', 'b']: group names are a set."""
    source = pa.table({"g": groups, "i": pa.array(range(len(groups)), pa.int64())})
    with memory_db() as db:
        db.register("source", source)
        result = db.sql(
            "SELECT list_sort(list_distinct(list_filter(list_transform("
            " string_split(g, ';'), lambda x: trim(x)), lambda x: x <> ''))) AS groups"
            " FROM source ORDER BY i"
        ).to_arrow_table()
    return result.column("groups").cast(pa.list_(pa.string()))


def _check_static_columns(check: TableCheck, typed: pa.Table) -> None:
    """Flag rows whose static columns differ from the facility's first row."""
    with memory_db() as db:
        db.register("facilities", typed)
        for column in STATIC:
            rows = db.sql(f"""
                SELECT source_row, code, {column} AS value, first_value AS first, first_row
                FROM (
                    SELECT source_row, code, {column},
                        first_value({column}) OVER w AS first_value,
                        first_value(source_row) OVER w AS first_row
                    FROM facilities WHERE code <> ''
                    WINDOW w AS (PARTITION BY code ORDER BY source_row)
                )
                WHERE {column} IS DISTINCT FROM first_value
                ORDER BY source_row
            """).to_arrow_table()
            check.flag_rows(rows, column, _static_message(column))


def _static_message(column: str) -> Callable[[dict[str, Any]], str]:
    def message(row: dict[str, Any]) -> str:
        value, first = row["value"], row["first"]
        if isinstance(value, list):
            value, first = "; ".join(value), "; ".join(first)
        return (
            f"'{value}' differs from '{first}' in row {row['first_row']} (facility "
            f"{row['code']}): {column} must be the same in every row of a facility"
        )

    return message


def _check_boundary_dates(check: TableCheck, typed: pa.Table) -> None:
    """Flag part-year dates outside the row's year, out of order or on an excluded row."""
    year = pc.cast(typed.column("year"), pa.int64())
    for name in ("in_boundary_from", "in_boundary_to"):
        day = typed.column(name)
        outside = pc.not_equal(pc.year(day), year)
        check.flag(outside, name, f"{{{name}}} is not in the row's year {{year}}")
        check.flag(
            all_of(pc.is_valid(day), pc.invert(typed.column("in_boundary"))), name,
            "is set on a row with in_boundary = no: a part-year facility is in the boundary",
        )
    check.flag(
        pc.greater(typed.column("in_boundary_from"), typed.column("in_boundary_to")),
        "in_boundary_to", "{in_boundary_to} is before in_boundary_from {in_boundary_from}",
    )


def _check_expected_activities(check: TableCheck, typed: pa.Table) -> None:
    """Flag expected activities that are not in the activity catalog."""
    names = typed.column("expected_activities")
    known = load_activity_catalog().column("activity")
    unknown = pc.invert(pc.is_in(pc.list_flatten(names), value_set=known))
    rows = pc.unique(pc.filter(pc.list_parent_indices(names), unknown))
    allowed = ", ".join(known.to_pylist())
    check.flag(
        pc.is_in(pa.array(range(typed.num_rows)), rows), "expected_activities",
        lambda row: (
            f"names an unknown activity in '{row['expected_activities']}': expected names "
            f"of the activity catalog separated by ';' ({allowed})"
        ),
    )
