"""Reading reduction-measure files: what was done, where, and its estimated savings."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from envledger.io.checks import TableCheck, all_of
from envledger.io.limits import ReadLimits
from envledger.io.tables import parse_table, read_table

REQUIRED = ("name", "category", "year")
OPTIONAL = (
    "facility_code", "savings_tco2e", "savings_mwh", "savings_water_t", "estimate_method",
    "description",
)
WIDTH = len(REQUIRED) + len(OPTIONAL)
CATEGORIES = (
    "temperature_control", "lighting", "building", "facilities", "renewable_energy",
    "water_saving", "other",
)
SAVINGS = ("savings_tco2e", "savings_mwh", "savings_water_t")

# Database lengths [characters] of the columns stored as typed (store.commitments);
# columns checked against a list of allowed values need none.
LENGTHS = {"name": 200, "facility_code": 50}
FREE_TEXT = ("estimate_method", "description")

SCHEMA = pa.schema([
    ("name", pa.string()), ("category", pa.string()), ("year", pa.int32()),
    ("facility_code", pa.string()), ("savings_tco2e", pa.float64()),
    ("savings_mwh", pa.float64()), ("savings_water_t", pa.float64()),
    ("estimate_method", pa.string()), ("description", pa.string()), ("source_row", pa.int32()),
])


def read_measures(path: Path | str, limits: ReadLimits | None = None) -> pa.Table:
    """Read and check a measures file; savings [tCO2e], [MWh], [t water]."""
    return check_measures(read_table(path, limits, WIDTH), Path(path).name)


def parse_measures(
    data: bytes, file_name: str, limits: ReadLimits | None = None
) -> pa.Table:
    """Parse and check the bytes of a measures file (see `read_measures`)."""
    return check_measures(parse_table(data, file_name, limits, WIDTH), file_name)


def check_measures(table: pa.Table, file_name: str) -> pa.Table:
    """Check a table of measure strings; return it typed as `SCHEMA` or raise InputError.

    Each saving is optional (empty = not estimated) and 0 or more; an estimated saving
    needs its estimate_method. An empty facility_code means company-wide.
    """
    check = TableCheck.numbered(table, file_name)
    check.columns(REQUIRED, OPTIONAL)
    check.cells(LENGTHS, FREE_TEXT)
    check.required("name")
    category = check.one_of("category", CATEGORIES)
    year = check.integer("year", low=1990, high=2100)
    savings = [check.number(name, empty_ok=True) for name in SAVINGS]
    estimated = pc.or_(pc.or_(pc.is_valid(savings[0]), pc.is_valid(savings[1])),
                       pc.is_valid(savings[2]))
    check.flag(all_of(estimated, pc.equal(check.text("estimate_method"), "")), "estimate_method",
               "is empty: say how the savings were estimated")
    typed = pa.table(
        [check.text("name"), category, year, check.text("facility_code"), *savings,
         check.text("estimate_method"), check.text("description"), check.text("source_row")],
        schema=SCHEMA,
    )
    check.duplicates(
        typed.select(["name", "year", "facility_code", "source_row"]),
        "name, year and facility_code",
    )
    check.done()
    return typed
