"""Planning an estimate: which months, which method, the figures used and the arithmetic.

The methods themselves are pure (methods.estimation); this module picks the months,
finds in the ledger's ``Basis`` what each method needs, and says by name what is
missing when a method has no basis.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pyarrow.compute as pc

from envledger.errors import EstimationError
from envledger.methods import estimation
from envledger.services.ledger.estimation_basis import Basis

_DRIVER_COLUMNS = {"floor_area": ("floor_area_m2", "m2"), "headcount": ("headcount", "persons")}


@dataclass(frozen=True)
class EstimateRequest:
    """What to estimate: a facility's activity (and variant) in some months of a year.

    ``months`` as ``YYYY-MM`` (empty = every month of ``year`` with no data); ``by`` is
    the driver of ``previous_year``; ``group`` chooses among several groups of the
    facility for ``group_intensity``.
    """

    year: int
    facility: str
    activity: str
    method: str
    months: tuple[str, ...] = ()
    variant: str = ""
    by: str = "floor_area"
    group: str | None = None


@dataclass(frozen=True)
class EstimatedMonth:
    """One estimated month: its period, quantity [canonical unit], inputs, arithmetic."""

    month: str
    period_start: date
    period_end: date
    days: int
    quantity: float
    inputs: dict[str, Any] = field(default_factory=dict)
    arithmetic: str = ""


def plan_months(basis: Basis, request: EstimateRequest) -> list[EstimatedMonth]:
    """The estimated months of ``request`` on ``basis``, in calendar order.

    Raises
    ------
    EstimationError
        If the method is unknown or has no basis (no facility-year row, no previous-year
        data, no covered month, no group peer), or a month is outside the year or already
        has data; the message names what is missing.
    """
    if request.method not in estimation.METHODS:
        raise EstimationError(
            f"method '{request.method}' is not one of {', '.join(estimation.METHODS)}")
    months = _months(basis, request)
    _facility_year(basis, request.facility, request.year)
    if request.method == "previous_year":
        return _previous_year(basis, request, months)
    if request.method == "covered_average":
        return _covered_average(basis, request, months)
    return _group_intensity(basis, request, months)


def _rows(basis: Basis, facility: str, year: int) -> dict[str, dict[str, Any]]:
    """The facility's months of ``year`` by ``YYYY-MM`` (days, covered and held days,
    quantity)."""
    table = basis.months.filter(pc.and_(
        pc.equal(basis.months.column("facility_code"), facility),
        pc.equal(pc.year(basis.months.column("month")), year),
    ))
    return {f"{row['month']:%Y-%m}": row for row in table.to_pylist()}


def _months(basis: Basis, request: EstimateRequest) -> list[dict[str, Any]]:
    mine = _rows(basis, request.facility, request.year)
    what = f"{request.facility} {request.activity}"
    if not request.months:
        chosen = [row for row in mine.values() if row["held_days"] == 0]
        if not chosen:
            raise EstimationError(
                f"{what} has data (approved or pending) in every month of {request.year}:"
                " nothing to estimate")
        return chosen
    unknown = [month for month in request.months if month not in mine]
    if unknown:
        raise EstimationError(
            f"months {', '.join(unknown)} are not months of {request.year} (write YYYY-MM)")
    if len(set(request.months)) < len(request.months):
        raise EstimationError("a month is given twice in --months")
    held = [f"{m} ({mine[m]['held_days']} of {mine[m]['days']} days)"
            for m in request.months if mine[m]["held_days"]]
    if held:
        raise EstimationError(
            f"{what} already has data in {', '.join(held)}: only months with no data are"
            " estimated; leave those months out")
    return [mine[month] for month in sorted(request.months)]


def _facility_year(basis: Basis, facility: str, year: int) -> dict[str, Any]:
    table = basis.facility_years.filter(pc.and_(
        pc.equal(basis.facility_years.column("facility_code"), facility),
        pc.equal(basis.facility_years.column("year"), year),
    ))
    if table.num_rows == 0:
        raise EstimationError(
            f"{facility} has no facility-year row for {year}: import its facilities row"
            " (floor area, headcount, boundary) first")
    row = table.to_pylist()[0]
    if not row["in_boundary"]:
        raise EstimationError(f"{facility} is outside the boundary in {year}: nothing to estimate")
    return row


def _month(row: dict[str, Any], quantity: float, inputs: dict[str, Any],
           arithmetic: str) -> EstimatedMonth:
    start = row["month"]
    end = start + timedelta(days=row["days"] - 1)
    return EstimatedMonth(f"{start:%Y-%m}", start, end, row["days"], quantity, inputs, arithmetic)


def _previous_year(
    basis: Basis, request: EstimateRequest, months: list[dict[str, Any]]
) -> list[EstimatedMonth]:
    if request.by not in _DRIVER_COLUMNS:
        raise EstimationError(f"--by '{request.by}' is not one of {', '.join(_DRIVER_COLUMNS)}")
    column, driver_unit = _DRIVER_COLUMNS[request.by]
    before = request.year - 1
    table = basis.facility_years.filter(pc.and_(
        pc.equal(basis.facility_years.column("facility_code"), request.facility),
        pc.equal(basis.facility_years.column("year"), before),
    ))
    if table.num_rows == 0:
        raise EstimationError(
            f"{request.facility} has no facility-year row for {before}: previous_year"
            f" scales by its {request.by} in {before} and {request.year}")
    now = _facility_year(basis, request.facility, request.year)[column]
    then = table.to_pylist()[0][column]
    last = _rows(basis, request.facility, before)
    pairs = [(row, last[f"{before}-{row['month']:%m}"]) for row in months]
    gaps = [f"{old['month']:%Y-%m}" for _, old in pairs if old["covered_days"] < old["days"]]
    if gaps:
        raise EstimationError(
            f"{request.facility} has no complete approved, measured or invoiced"
            f" {request.activity} data in {', '.join(gaps)}: previous_year needs the same"
            f" months of {before}")
    unit = basis.unit
    found = []
    for row, old in pairs:
        quantity = estimation.previous_year(old["quantity"], now, then)
        inputs = {"previous_month": f"{old['month']:%Y-%m}", "quantity_before": old["quantity"],
                  "driver": request.by, "driver_now": now, "driver_before": then}
        found.append(_month(row, quantity, inputs, (
            f"{_n(old['quantity'])} {unit} ({old['month']:%Y-%m}) x {_n(now)} {driver_unit}"
            f" / {_n(then)} {driver_unit} = {_n(quantity)} {unit}")))
    return found


def _covered_average(
    basis: Basis, request: EstimateRequest, months: list[dict[str, Any]]
) -> list[EstimatedMonth]:
    covered = [row for row in _rows(basis, request.facility, request.year).values()
               if row["covered_days"] == row["days"]]
    if not covered:
        raise EstimationError(
            f"{request.facility} has no month of {request.year} covered by approved, measured"
            f" or invoiced {request.activity} data: covered_average needs at least one")
    total = sum(row["quantity"] for row in covered)
    days = sum(row["days"] for row in covered)
    names = [f"{row['month']:%Y-%m}" for row in covered]
    unit = basis.unit
    found = []
    for row in months:
        quantity = estimation.covered_average(total, days, row["days"])
        inputs = {"covered_months": names, "covered_quantity": total, "covered_days": days,
                  "days": row["days"]}
        found.append(_month(row, quantity, inputs, (
            f"{_n(total)} {unit} / {days} d ({len(names)} covered months) x {row['days']} d"
            f" = {_n(quantity)} {unit}")))
    return found


def _group_intensity(
    basis: Basis, request: EstimateRequest, months: list[dict[str, Any]]
) -> list[EstimatedMonth]:
    group = _group(basis, request)
    area = _facility_year(basis, request.facility, request.year)["floor_area_m2"]
    if not area or area <= 0:
        raise EstimationError(
            f"{request.facility} has no floor area in {request.year}: group_intensity"
            " multiplies by it")
    areas = {row["facility_code"]: row["floor_area_m2"] for row in basis.facility_years.filter(
        pc.equal(basis.facility_years.column("year"), request.year)).to_pylist()
        if row["floor_area_m2"] and row["floor_area_m2"] > 0}
    peers = [code for code in basis.groups[group] if code != request.facility and code in areas]
    data = {code: _rows(basis, code, request.year) for code in peers}
    unit = basis.unit
    found, gaps = [], []
    for row in months:
        with_data = {code: data[code][f"{row['month']:%Y-%m}"] for code in peers
                     if data[code][f"{row['month']:%Y-%m}"]["covered_days"] == row["days"]}
        if not with_data:
            gaps.append(f"{row['month']:%Y-%m}")
            continue
        peer_quantity = sum(peer["quantity"] for peer in with_data.values())
        peer_area = sum(areas[code] for code in with_data)
        per_m2_day, quantity = estimation.group_intensity(
            peer_quantity, peer_area, row["days"], area)
        inputs = {"group": group, "peers": {code: {
            "quantity": peer["quantity"], "floor_area_m2": areas[code]}
            for code, peer in with_data.items()},
            "peer_quantity": peer_quantity, "peer_floor_area_m2": peer_area,
            "intensity_per_m2_day": per_m2_day, "floor_area_m2": area, "days": row["days"]}
        found.append(_month(row, quantity, inputs, (
            f"{_n(peer_quantity)} {unit} / ({_n(peer_area)} m2 x {row['days']} d)"
            f" = {_n(per_m2_day)} {unit}/m2/d; x {_n(area)} m2 x {row['days']} d"
            f" = {_n(quantity)} {unit}")))
    if gaps:
        raise EstimationError(
            f"no other facility of group '{group}' with a {request.year} floor area has"
            f" complete approved, measured or invoiced {request.activity} data in"
            f" {', '.join(gaps)}"
            f" (members: {', '.join(basis.groups[group])}): group_intensity needs at least"
            " one per month")
    return found


def _group(basis: Basis, request: EstimateRequest) -> str:
    names = sorted(basis.groups)
    if not names:
        raise EstimationError(
            f"{request.facility} belongs to no facility group: group_intensity needs the"
            " other facilities of its group")
    if request.group is not None:
        if request.group not in basis.groups:
            raise EstimationError(
                f"{request.facility} is not in group '{request.group}' (its groups:"
                f" {', '.join(names)})")
        return request.group
    if len(names) > 1:
        raise EstimationError(
            f"{request.facility} belongs to several groups ({', '.join(names)}): choose one"
            " with --group")
    return names[0]


def _n(value: float) -> str:
    """A number as the arithmetic shows it: up to 10 significant digits."""
    return f"{value:,.10g}"
