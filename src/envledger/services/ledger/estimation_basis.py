"""What an estimate rests on, read from the ledger: months covered, quantities, drivers.

One facility's (and its group peers') rows of one activity in the reporting year and the
year before, converted to the activity's canonical unit and allocated to calendar
months by days (as the engine allocates periods), in one DuckDB query. A month is
*covered* when activity periods cover every one of its days. Quantities and coverage
rest on approved rows that are not themselves estimates (an estimate is never built on
another one); a month counts as *having data* when any row in the ledger, pending or
approved, estimated or not, touches it, so an estimate never lands on a month a
submission is waiting for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Connection, and_, case, select

from envledger.data import load_activity_catalog
from envledger.errors import EstimationError, NotFoundError
from envledger.io.checks import memory_db
from envledger.methods.units import activity_conversion
from envledger.services.governance.review import approved_batch_ids
from envledger.services.ledger.tables import query_arrow
from envledger.store.models import (
    ActivityRecord,
    Facility,
    FacilityGroup,
    FacilityGroupMember,
    FacilityYear,
    FuelProperty,
)

_ROWS = pa.schema([
    ("facility_code", pa.string()), ("period_start", pa.date32()),
    ("period_end", pa.date32()), ("quantity", pa.float64()), ("unit", pa.string()),
    ("basis", pa.int64()),
])
_YEARS = pa.schema([
    ("facility_code", pa.string()), ("year", pa.int32()), ("floor_area_m2", pa.float64()),
    ("headcount", pa.float64()), ("in_boundary", pa.bool_()),
])
_GROUPS = pa.schema([("group_name", pa.string()), ("facility_code", pa.string())])

# Islands of covered days (gaps and islands over the sorted periods), clipped to months;
# quantities allocated to months by days. `scope` keeps the basis rows apart from all rows.
_MONTHLY = """
WITH months AS (
    SELECT CAST(m AS DATE) AS month_start, CAST(m + INTERVAL 1 MONTH AS DATE) - 1 AS month_end
    FROM range(DATE '{first}', DATE '{stop}', INTERVAL 1 MONTH) AS t(m)
),
scoped AS (
    SELECT facility_code, 'any' AS scope, period_start AS s, period_end AS e FROM rows
    UNION ALL
    SELECT facility_code, 'basis', period_start, period_end FROM rows WHERE basis = 1
),
reached AS (
    SELECT *, MAX(e) OVER (PARTITION BY facility_code, scope ORDER BY s, e
                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
    FROM scoped
),
numbered AS (
    SELECT *, SUM(CASE WHEN reach IS NULL OR s > reach + 1 THEN 1 ELSE 0 END)
              OVER (PARTITION BY facility_code, scope ORDER BY s, e ROWS UNBOUNDED PRECEDING)
              AS island
    FROM reached
),
islands AS (
    SELECT facility_code, scope, MIN(s) AS s, MAX(e) AS e
    FROM numbered GROUP BY facility_code, scope, island
),
covered AS (
    SELECT i.facility_code, m.month_start,
           SUM(CASE WHEN scope = 'basis'
               THEN LEAST(i.e, m.month_end) - GREATEST(i.s, m.month_start) + 1 ELSE 0 END)
               AS covered_days,
           SUM(CASE WHEN scope = 'any'
               THEN LEAST(i.e, m.month_end) - GREATEST(i.s, m.month_start) + 1 ELSE 0 END)
               AS held_days
    FROM islands i JOIN months m ON i.s <= m.month_end AND i.e >= m.month_start
    GROUP BY i.facility_code, m.month_start
),
allocated AS (
    SELECT r.facility_code, m.month_start,
           SUM(r.quantity * (LEAST(r.period_end, m.month_end)
                             - GREATEST(r.period_start, m.month_start) + 1)
               / (r.period_end - r.period_start + 1)) AS quantity
    FROM rows r JOIN months m ON r.period_start <= m.month_end AND r.period_end >= m.month_start
    WHERE r.basis = 1
    GROUP BY r.facility_code, m.month_start
)
SELECT c.facility_code, m.month_start AS month,
       CAST(m.month_end - m.month_start + 1 AS INTEGER) AS days,
       CAST(COALESCE(v.covered_days, 0) AS INTEGER) AS covered_days,
       CAST(COALESCE(v.held_days, 0) AS INTEGER) AS held_days,
       COALESCE(a.quantity, 0.0) AS quantity
FROM codes c CROSS JOIN months m
LEFT JOIN covered v ON v.facility_code = c.facility_code AND v.month_start = m.month_start
LEFT JOIN allocated a ON a.facility_code = c.facility_code AND a.month_start = m.month_start
ORDER BY c.facility_code, m.month_start
"""


@dataclass(frozen=True)
class Basis:
    """The ledger's figures an estimate of ``facility``/``activity`` in ``year`` can use.

    ``months``: ``facility_code, month (date32, first day), days, covered_days (basis
    rows: approved, not estimated), held_days (any row), quantity`` [canonical unit,
    basis rows] for the facility and its group peers, every month of ``year - 1`` and
    ``year``.
    ``facility_years``: ``facility_code, year, floor_area_m2 [m2], headcount [persons],
    in_boundary`` of those facilities in both years. ``groups``: the facility's groups
    and their members.
    """

    year: int
    facility: str
    activity: str
    variant: str
    unit: str
    months: pa.Table
    facility_years: pa.Table
    groups: dict[str, list[str]]


def load_basis(
    connection: Connection, year: int, facility: str, activity: str, variant: str
) -> Basis:
    """Read the basis of an estimate (see ``Basis``); NotFoundError for an unknown
    facility or activity, EstimationError for an activity that needs a gas."""
    unit = _canonical_unit(activity)
    if connection.scalar(select(Facility.id).where(Facility.code == facility)) is None:
        raise NotFoundError(f"facility '{facility}' is not in the ledger")
    groups = _groups(connection, facility)
    codes = sorted({facility, *(code for members in groups.values() for code in members)})
    months = monthly(_rows(connection, codes, year, activity, variant, unit), codes, year)
    facility_years = query_arrow(connection, select(
        Facility.code, FacilityYear.year, FacilityYear.floor_area_m2, FacilityYear.headcount,
        FacilityYear.in_boundary,
    ).join(Facility, Facility.id == FacilityYear.facility_id).where(
        Facility.code.in_(codes), FacilityYear.year.in_([year - 1, year])
    ), _YEARS)
    return Basis(year, facility, activity, variant, unit, months, facility_years, groups)


def monthly(rows: pa.Table, codes: list[str], year: int) -> pa.Table:
    """Every month of ``year - 1`` and ``year`` for each of ``codes``: days, covered and
    held days [d] and the quantity allocated by days [unit of ``rows``].

    ``rows``: ``facility_code, period_start, period_end (inclusive), quantity, basis``
    (1 for a row an estimate may rest on, else 0); overlapping rows cover a day once.
    """
    with memory_db() as db:
        db.register("rows", rows)
        db.register("codes", pa.table({"facility_code": pa.array(codes, pa.string())}))
        return db.sql(_MONTHLY.format(
            first=date(year - 1, 1, 1), stop=date(year + 1, 1, 1)
        )).to_arrow_table()


def _canonical_unit(activity: str) -> str:
    catalog = load_activity_catalog()
    found = catalog.filter(pc.equal(catalog.column("activity"), activity))
    if found.num_rows == 0:
        known = ", ".join(catalog.column("activity").to_pylist())
        raise NotFoundError(f"activity '{activity}' is not in the catalog ({known})")
    if found.column("gas_column")[0].as_py() == "required":
        raise EstimationError(
            f"'{activity}' is reported per gas (a mass balance of top-ups): it cannot be"
            " estimated from other months; report the records that exist"
        )
    return str(found.column("canonical_unit")[0].as_py())


def _groups(connection: Connection, facility: str) -> dict[str, list[str]]:
    """The facility's groups, each with all its members (the facility included)."""
    mine = (
        select(FacilityGroupMember.group_id)
        .join(Facility, Facility.id == FacilityGroupMember.facility_id)
        .where(Facility.code == facility)
    )
    members = query_arrow(connection, select(FacilityGroup.name, Facility.code)
        .join(FacilityGroupMember, FacilityGroupMember.group_id == FacilityGroup.id)
        .join(Facility, Facility.id == FacilityGroupMember.facility_id)
        .where(FacilityGroup.id.in_(mine)).order_by(FacilityGroup.name, Facility.code), _GROUPS)
    groups: dict[str, list[str]] = {}
    for name, code in zip(members.column("group_name").to_pylist(),
                          members.column("facility_code").to_pylist(), strict=True):
        groups.setdefault(name, []).append(code)
    return groups


def _rows(
    connection: Connection, codes: list[str], year: int, activity: str, variant: str,
    unit: str,
) -> pa.Table:
    """The facilities' rows of the activity over both years, quantities in ``unit``."""
    record = ActivityRecord
    rows = query_arrow(connection, select(
        Facility.code, record.period_start, record.period_end, record.quantity, record.unit,
        case((and_(record.batch_id.in_(approved_batch_ids()),
                   record.data_source != "estimated"), 1), else_=0),
    ).join(Facility, Facility.id == record.facility_id).where(
        Facility.code.in_(codes), record.activity == activity, record.variant == variant,
        record.gas == "", record.period_end >= date(year - 1, 1, 1),
        record.period_start <= date(year, 12, 31),
    ), _ROWS)
    properties = query_arrow(connection, select(
        FuelProperty.activity, FuelProperty.property, FuelProperty.value, FuelProperty.unit
    ).where(FuelProperty.activity == activity), pa.schema([
        ("activity", pa.string()), ("property", pa.string()), ("value", pa.float64()),
        ("unit", pa.string()),
    ]))
    units = pc.unique(rows.column("unit"))
    to_unit = pa.array([
        activity_conversion(activity, text, unit, properties)[0] for text in units.to_pylist()
    ], pa.float64())
    factor = pc.take(to_unit, pc.index_in(rows.column("unit"), value_set=units))
    return rows.set_column(
        rows.schema.get_field_index("quantity"), "quantity",
        pc.multiply(rows.column("quantity"), factor),
    )
