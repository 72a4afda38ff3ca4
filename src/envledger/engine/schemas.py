"""Arrow schemas of the engine's input tables (docs/internals.md, "Engine input tables")."""

from __future__ import annotations

import pyarrow as pa

from envledger.data import FACTOR_SCHEMA as LIBRARY_FACTOR_SCHEMA

ACTIVITY_SCHEMA = pa.schema([
    ("record_id", pa.int64()), ("facility_code", pa.string()), ("period_start", pa.date32()),
    ("period_end", pa.date32()), ("activity", pa.string()), ("quantity", pa.float64()),
    ("unit", pa.string()), ("gas", pa.string()), ("variant", pa.string()),
    ("data_source", pa.string()), ("uncertainty_pct", pa.float64()),
])
#: columns of ACTIVITY_SCHEMA an engine input may leave out (filled with nulls)
OPTIONAL_ACTIVITY_COLUMNS = ("data_source", "uncertainty_pct")
FACILITY_SCHEMA = pa.schema([
    (name, pa.string())
    for name in ("code", "name", "type", "country", "province", "grid_region", "sector")
])
FACILITY_YEAR_SCHEMA = pa.schema([
    ("facility_code", pa.string()), ("year", pa.int32()), ("floor_area_m2", pa.float64()),
    ("headcount", pa.float64()), ("in_boundary", pa.bool_()),
    ("expected_activities", pa.list_(pa.string())), ("in_boundary_from", pa.date32()),
    ("in_boundary_to", pa.date32()),
])
MEMBER_SCHEMA = pa.schema([("group_name", pa.string()), ("facility_code", pa.string())])
GWP_SCHEMA = pa.schema([("gwp_set", pa.string()), ("gas", pa.string()), ("value", pa.float64())])
BLEND_SCHEMA = pa.schema([
    ("blend", pa.string()), ("component", pa.string()), ("mass_fraction", pa.float64()),
])
#: factors as the ledger holds them: the library's columns plus where each came from
FACTOR_SCHEMA = LIBRARY_FACTOR_SCHEMA.append(pa.field("origin", pa.string()))
#: factors as the engine takes them: each already in [kg gas per canonical unit]
CANONICAL_FACTOR_SCHEMA = FACTOR_SCHEMA.append(
    pa.field("kg_per_canonical", pa.float64())
).append(pa.field("conversion_note", pa.string()))
