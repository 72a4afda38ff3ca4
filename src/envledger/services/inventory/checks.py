"""Use cases: the plausibility flags of a year, of a pending submission, and dismissing one.

Flags come from ``engine.checks`` over the approved activity rows of the year and the
year before; each carries its dismissal (services.governance.check_dismissals) when a
reviewer dismissed it for the value it still has.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pyarrow as pa
from sqlalchemy import and_, or_, select

from envledger import data
from envledger.engine.checks import CheckInputs, check_year
from envledger.engine.schemas import ACTIVITY_SCHEMA, FACILITY_YEAR_SCHEMA, MEMBER_SCHEMA
from envledger.errors import NotFoundError
from envledger.methods.units import build_unit_conversions
from envledger.services.governance.check_dismissals import (
    Dismissal,
    dismiss_flag,
    dismissals,
)
from envledger.services.governance.review import approved_batch_ids
from envledger.services.ledger.tables import query_arrow
from envledger.store.db import get_engine
from envledger.store.models import (
    ActivityRecord,
    Facility,
    FacilityGroup,
    FacilityGroupMember,
    FacilityYear,
    FuelProperty,
)

#: The facility-year columns the checks use (no coverage declarations).
_FACILITY_YEAR_COLUMNS = pa.schema(list(FACILITY_YEAR_SCHEMA)[:5])


def load_check_inputs(url: str, year: int, batch_id: int | None = None) -> CheckInputs:
    """The approved activity rows of ``year`` and the year before (and, with
    ``batch_id``, that submission's rows too), with the boundary, groups and units."""
    catalog = data.load_activity_catalog()
    batches = approved_batch_ids()
    counted = ActivityRecord.batch_id.in_(batches) if batch_id is None else or_(
        ActivityRecord.batch_id.in_(batches), ActivityRecord.batch_id == batch_id)
    with get_engine(url).connect() as connection:
        activities = query_arrow(connection, select(
            ActivityRecord.id, Facility.code, ActivityRecord.period_start,
            ActivityRecord.period_end, ActivityRecord.activity, ActivityRecord.quantity,
            ActivityRecord.unit, ActivityRecord.gas, ActivityRecord.variant,
            ActivityRecord.data_source, ActivityRecord.uncertainty_pct,
        ).join(Facility, Facility.id == ActivityRecord.facility_id).where(and_(
            ActivityRecord.period_end >= date(year - 1, 1, 1),
            ActivityRecord.period_start <= date(year, 12, 31), counted,
        )).order_by(ActivityRecord.id), ACTIVITY_SCHEMA)
        facility_years = query_arrow(connection, select(
            Facility.code, FacilityYear.year, FacilityYear.floor_area_m2,
            FacilityYear.headcount, FacilityYear.in_boundary,
        ).join(Facility, Facility.id == FacilityYear.facility_id), _FACILITY_YEAR_COLUMNS)
        members = query_arrow(connection, select(FacilityGroup.name, Facility.code)
            .join(FacilityGroupMember, FacilityGroupMember.group_id == FacilityGroup.id)
            .join(Facility, Facility.id == FacilityGroupMember.facility_id), MEMBER_SCHEMA)
        fuel_properties = query_arrow(connection, select(
            FuelProperty.activity, FuelProperty.property, FuelProperty.value, FuelProperty.unit
        ), pa.schema([("activity", pa.string()), ("property", pa.string()),
                      ("value", pa.float64()), ("unit", pa.string())]))
    return CheckInputs(activities, facility_years, members, catalog,
                       build_unit_conversions(catalog, fuel_properties))


def year_flags(url: str, year: int) -> list[dict[str, Any]]:
    """The flags of ``year`` (engine.checks.FLAG_SCHEMA as dicts, dates in ISO 8601),
    each with ``dismissed`` and, when dismissed, who, when and why."""
    return _with_dismissals(check_year(load_check_inputs(url, year), year), dismissals(url, year))


def submission_flags(url: str, batch_id: int, years: list[int]) -> list[dict[str, Any]]:
    """The flags a pending submission would add to ``years`` (the years its rows touch):
    flags of the approved rows plus the submission's, whose key the approved rows alone
    do not raise or raise with another value."""
    found: list[dict[str, Any]] = []
    for year in years:
        before = {row["key"]: row["value"] for row in
                  check_year(load_check_inputs(url, year), year).to_pylist()}
        after = check_year(load_check_inputs(url, year, batch_id), year)
        flags = _with_dismissals(after, dismissals(url, year))
        # Sums of the same parts in another order differ in the last bits.
        found += [flag for flag in flags if flag["key"] not in before
                  or not math.isclose(before[flag["key"]], flag["value"], rel_tol=1e-9)]
    return found


def flag_year(flag_key: str) -> int:
    """The reporting year a flag key belongs to (its period starts with the year).

    Raises
    ------
    NotFoundError
        If the key does not have the shape of a flag key.
    """
    parts = flag_key.split(":")
    if len(parts) < 6 or not parts[5][:4].isdigit():
        raise NotFoundError(f"'{flag_key}' is not a flag key (rule:facility:activity:...)")
    return int(parts[5][:4])


def dismiss(url: str, flag_key: str, actor: str, comment: str) -> dict[str, Any]:
    """Dismiss a current flag with a comment (audited); returns the flag as dismissed.

    Raises
    ------
    NotFoundError
        If no current flag of its year has this key.
    ReviewError, ReviewConflictError
        As services.governance.check_dismissals.dismiss_flag.
    """
    year = flag_year(flag_key)
    flags = {row["key"]: row for row in check_year(load_check_inputs(url, year), year).to_pylist()}
    if flag_key not in flags:
        raise NotFoundError(
            f"no flag '{flag_key}' in {year}: `envledger check --year {year}` lists the flags"
        )
    flag = flags[flag_key]
    dismissal = dismiss_flag(url, year, flag_key, flag["value"], actor, comment)
    return _jsonable({**flag, "dismissed": True, **dismissal.as_dict()})


def _with_dismissals(flags: pa.Table, found: dict[str, Dismissal]) -> list[dict[str, Any]]:
    rows = []
    for flag in flags.to_pylist():
        dismissal = found.get(flag["key"])
        live = dismissal is None or not dismissal.covers(flag["value"])
        rows.append(_jsonable({
            **flag, "dismissed": not live,
            **(dismissal.as_dict() if dismissal is not None and not live else {}),
        }))
    return rows


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {key: value.isoformat() if isinstance(value, date) else value
            for key, value in row.items()}
