"""Reading environmental-target files (reduction, cap and qualitative targets)."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from envledger.io.checks import TableCheck, all_of
from envledger.io.limits import ReadLimits
from envledger.io.tables import parse_table, read_table

REQUIRED = ("name", "metric", "basis", "scope", "base_year", "target_year", "reduction_pct")
OPTIONAL = ("kind", "group", "set_in_year", "description")
WIDTH = len(REQUIRED) + len(OPTIONAL)
KINDS = ("reduction", "cap", "qualitative")
METRICS = ("energy", "ghg", "water", "waste_hazardous", "waste_non_hazardous")
BASES = ("absolute", "per_capita", "per_floor_area")
SCOPES = ("company", "group")

# Database lengths [characters] of the columns stored as typed (store.commitments);
# columns checked against a list of allowed values need none.
LENGTHS = {"name": 200, "group": 200}
FREE_TEXT = ("description",)

SCHEMA = pa.schema([
    ("name", pa.string()), ("kind", pa.string()), ("metric", pa.string()),
    ("basis", pa.string()), ("scope", pa.string()), ("group_name", pa.string()),
    ("base_year", pa.int32()), ("target_year", pa.int32()), ("set_in_year", pa.int32()),
    ("reduction_pct", pa.float64()), ("description", pa.string()), ("source_row", pa.int32()),
])


def read_targets(path: Path | str, limits: ReadLimits | None = None) -> pa.Table:
    """Read and check a targets file; reduction_pct [%], years [year]."""
    return check_targets(read_table(path, limits, WIDTH), Path(path).name)


def parse_targets(
    data: bytes, file_name: str, limits: ReadLimits | None = None
) -> pa.Table:
    """Parse and check the bytes of a targets file (see `read_targets`)."""
    return check_targets(parse_table(data, file_name, limits, WIDTH), file_name)


def check_targets(table: pa.Table, file_name: str) -> pa.Table:
    """Check a table of target strings; return it typed as `SCHEMA` or raise InputError.

    An empty kind is ``reduction`` when reduction_pct is given; an empty basis is
    ``absolute`` and an empty scope ``company``. Reductions and caps need a metric, a
    base year and a later target year; a reduction needs 0 < reduction_pct <= 100,
    a cap none; a qualitative target needs a description and no reduction_pct.
    """
    check = TableCheck.numbered(table, file_name)
    check.columns(REQUIRED, OPTIONAL)
    check.cells(LENGTHS, FREE_TEXT)
    check.required("name")
    pct = check.number("reduction_pct", empty_ok=True)
    kind = check.one_of("kind", KINDS, empty_ok=True)
    has_pct = pc.is_valid(pct)
    kind = pc.if_else(pc.and_(pc.equal(kind, ""), has_pct), "reduction", kind)
    check.flag(
        pc.and_(pc.equal(kind, ""), pc.equal(check.text("reduction_pct"), "")), "kind",
        "is empty and so is reduction_pct: give reduction_pct, or kind cap or qualitative",
    )
    numeric = pc.is_in(kind, pa.array(["reduction", "cap"]))
    metric = check.one_of("metric", METRICS, empty_ok=True)
    check.flag(all_of(numeric, pc.equal(metric, "")), "metric",
               "is empty: reduction and cap targets need a metric")
    basis = check.one_of("basis", BASES, empty_ok=True)
    basis = pc.if_else(all_of(numeric, pc.equal(basis, "")), "absolute", basis)
    scope = check.one_of("scope", SCOPES, empty_ok=True)
    scope = pc.if_else(pc.equal(scope, ""), "company", scope)
    group = check.text("group")
    check.flag(all_of(pc.equal(scope, "group"), pc.equal(group, "")), "group",
               "is empty: a group target names its facility group")
    check.flag(all_of(pc.equal(scope, "company"), pc.not_equal(group, "")), "group",
               "'{group}' is given but scope is company: set scope to group or clear it")
    base_year = check.integer("base_year", empty_ok=True, low=1990, high=2100)
    target_year = check.integer("target_year", empty_ok=True, low=1990, high=2100)
    set_in = check.integer("set_in_year", empty_ok=True, low=1990, high=2100)
    for name in ("base_year", "target_year"):
        check.flag(all_of(numeric, pc.equal(check.text(name), "")), name,
                   "is empty: reduction and cap targets need it")
    check.flag(pc.less_equal(target_year, base_year), "target_year",
               "{target_year} is not after base_year {base_year}")
    reduction = pc.equal(kind, "reduction")
    check.flag(all_of(reduction, pc.or_(pc.less_equal(pct, 0), pc.greater(pct, 100))),
               "reduction_pct", "{reduction_pct} is outside 0 < reduction_pct <= 100 [%]")
    check.flag(all_of(pc.invert(reduction), pc.not_equal(kind, ""), has_pct), "reduction_pct",
               "is given for a {kind} target: only reduction targets have one")
    description = check.text("description")
    check.flag(all_of(pc.equal(kind, "qualitative"), pc.equal(description, "")), "description",
               "is empty: a qualitative target is its text")
    typed = pa.table(
        [check.text("name"), kind, metric, basis, scope, group, base_year, target_year, set_in,
         pct, description, check.text("source_row")],
        schema=SCHEMA,
    )
    check.duplicates(typed.select(["name", "source_row"]), "name")
    check.done()
    return typed
