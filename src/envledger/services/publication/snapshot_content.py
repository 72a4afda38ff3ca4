"""What a published snapshot freezes, in canonical JSON, and the hashes that identify it.

Content (schema ``envledger.snapshot/1``)::

    {"schema", "year",
     "methodology": {"gwp_set", "series_priority", "excluded_series"},
     "boundary": [{"code", "in_boundary", "note"}, ...],          # facility-years of the year
     "inputs": {"sha256", "rows", "facilities": {code: {"sha256", "rows"}}},
     "factors": {"library_version", "used": [FACTOR, ...]},
     "code_version", "libraries": {distribution: version, ...},
     "coverage": <envledger.coverage/1 without the matrix, plus "accepted_gaps":
                  {"reason"} or null>,                          # absent before 0009
     "results": <the envledger.inventory/1 payload>}

Canonical JSON: keys sorted, no whitespace, UTF-8, floats in Python's shortest
round-trip form. The content hash is the SHA-256 of the canonical JSON with every
float first rounded to 12 significant digits, so that the order in which a parallel
engine sums floats can never make identical inputs look like a change.

The inputs hash covers the activity rows the year used (rows overlapping the calendar
year of in-boundary facilities). Each row is one line of tab-separated fields
``facility_code, period_start, period_end, activity, gas, variant, quantity, unit,
data_source, reference`` (dates ISO 8601, quantity in the shortest round-trip decimal
form; backslash, tab and newline escaped as ``\\\\``, ``\\t``, ``\\n``) ending in a
newline; the SHA-256 of the lines sorted by facility code, then line, is the inputs
hash, and each facility's lines give its own hash.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from importlib.metadata import version as installed_version
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import and_, select

from envledger import __version__
from envledger.services.governance.review import approved_batch_ids
from envledger.services.inventory.calculate import calculate
from envledger.services.inventory.methodology import CalculationMethod
from envledger.services.ledger.reference import LIBRARY
from envledger.services.ledger.tables import query_arrow
from envledger.settings import Settings
from envledger.store.db import get_engine
from envledger.store.models import ActivityRecord, Facility, FacilityYear, ReferenceDataVersion

SCHEMA = "envledger.snapshot/1"
COMPUTING_LIBRARIES = ("duckdb", "pyarrow", "pint", "globalwarmingpotentials")
"""Distributions whose code computes the figures (SQL engine, tables, units, GWP values)."""
SIGNIFICANT_DIGITS = 12
"""Digits of every float in the hashed form (and in comparisons of published figures)."""

_ROW_FIELDS = (
    "facility_code", "period_start", "period_end", "activity", "gas", "variant", "quantity",
    "unit", "data_source", "reference",
)


@dataclass(frozen=True)
class SnapshotContent:
    """A snapshot's content, its canonical JSON text (as stored) and its content hash."""

    content: dict[str, Any]
    text: str
    content_hash: str


def canonical_json(value: Any) -> str:
    """Canonical JSON text: sorted keys, no whitespace, UTF-8, no NaN."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def comparable(value: Any) -> Any:
    """``value`` with every float rounded to SIGNIFICANT_DIGITS (the hashed form)."""
    if isinstance(value, float):
        return float(format(value, f".{SIGNIFICANT_DIGITS}g")) + 0.0  # -0.0 -> 0.0
    if isinstance(value, dict):
        return {key: comparable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [comparable(item) for item in value]
    return value


def content_hash(content: dict[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of the comparable form of ``content``."""
    return hashlib.sha256(canonical_json(comparable(content)).encode("utf-8")).hexdigest()


def build_content(
    settings: Settings, year: int, method: CalculationMethod,
    coverage: dict[str, Any] | None = None,
) -> SnapshotContent:
    """Calculate ``year`` with ``method`` and assemble what its snapshot freezes
    (with the ``coverage`` block of services.publication.coverage_gate, if given)."""
    payload = calculate(settings, year, method=method).to_dict()
    url = settings.database_url
    boundary = read_boundary(url, year)
    inside = [row["code"] for row in boundary if row["in_boundary"]]
    content = {
        "schema": SCHEMA,
        "year": year,
        "methodology": method.as_dict(),
        "boundary": boundary,
        "inputs": inputs_digest(url, year, inside),
        "factors": {"library_version": library_version(url), "used": payload["factors_used"]},
        "code_version": __version__,
        "libraries": computing_libraries(),
        "results": payload,
    }
    if coverage is not None:
        content["coverage"] = coverage
    return SnapshotContent(content, canonical_json(content), content_hash(content))


def computing_libraries() -> dict[str, str]:
    """Installed version of each library that computes the figures (COMPUTING_LIBRARIES)."""
    return {name: installed_version(name) for name in COMPUTING_LIBRARIES}


def library_version(url: str) -> str:
    """Version of the built-in factor library the ledger holds ('' if none)."""
    with get_engine(url).connect() as connection:
        return connection.execute(
            select(ReferenceDataVersion.version).where(ReferenceDataVersion.name == LIBRARY)
        ).scalar() or ""


def read_boundary(url: str, year: int) -> list[dict[str, Any]]:
    """Every facility-year of ``year``: code, in_boundary and the boundary note, by code."""
    with get_engine(url).connect() as connection:
        rows = connection.execute(
            select(Facility.code, FacilityYear.in_boundary, FacilityYear.boundary_note)
            .join(Facility, Facility.id == FacilityYear.facility_id)
            .where(FacilityYear.year == year)
            .order_by(Facility.code)
        ).all()
    return [{"code": c, "in_boundary": bool(i), "note": n or ""} for c, i, n in rows]


def inputs_digest(url: str, year: int, facilities: list[str]) -> dict[str, Any]:
    """SHA-256 and row count of the year's approved activity rows of ``facilities``, and per
    facility."""
    record = ActivityRecord
    statement = (
        select(Facility.code, record.period_start, record.period_end, record.activity,
               record.gas, record.variant, record.quantity, record.unit, record.data_source,
               record.reference)
        .join(Facility, Facility.id == record.facility_id)
        .where(and_(record.period_end >= date(year, 1, 1),
                    record.period_start <= date(year, 12, 31),
                    record.batch_id.in_(approved_batch_ids()),
                    Facility.code.in_(facilities)))
    )
    schema = pa.schema([
        (name, pa.date32() if name.startswith("period") else
         pa.float64() if name == "quantity" else pa.string())
        for name in _ROW_FIELDS
    ])
    with get_engine(url).connect() as connection:
        rows = query_arrow(connection, statement, schema)
    return _digest(rows)


def _digest(rows: pa.Table) -> dict[str, Any]:
    fields = [_escaped(pc.cast(rows.column(name), pa.large_string())) for name in _ROW_FIELDS]
    lines = pc.binary_join_element_wise(*fields, pa.scalar("\t", pa.large_string()))
    lines = pc.binary_join_element_wise(lines, pa.scalar("\n", pa.large_string()),
                                        pa.scalar("", pa.large_string()))
    table = pa.table({"code": rows.column("facility_code"), "line": lines}).sort_by(
        [("code", "ascending"), ("line", "ascending")]
    )
    counts = table.group_by("code", use_threads=False).aggregate([("line", "count")])
    ends = pc.cumulative_sum(counts.column("line_count").combine_chunks())
    offsets = pa.concat_arrays([pa.array([0], pa.int64()), ends]).cast(pa.int32())
    texts = pc.binary_join(
        pa.ListArray.from_arrays(offsets, table.column("line").combine_chunks()),
        pa.scalar("", pa.large_string()),
    )
    total = hashlib.sha256()
    by_facility: dict[str, dict[str, Any]] = {}
    for code, text, count in zip(
        counts.column("code").to_pylist(), texts.to_pylist(),
        counts.column("line_count").to_pylist(), strict=True,
    ):
        data = text.encode("utf-8")
        total.update(data)
        by_facility[code] = {"sha256": hashlib.sha256(data).hexdigest(), "rows": count}
    return {"sha256": total.hexdigest(), "rows": rows.num_rows, "facilities": by_facility}


def _escaped(column: pa.ChunkedArray) -> pa.ChunkedArray:
    for raw, escaped in (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n")):
        column = pc.replace_substring(column, raw, escaped)
    return column
