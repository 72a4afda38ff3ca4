"""A row may hold at most its activity's ceiling (data/quantity_ceilings.csv): overflows
and gross unit slips are refused at import, by row and column."""

from __future__ import annotations

import pytest

from envledger.data import load_activity_catalog, load_quantity_ceilings
from envledger.errors import InputError
from envledger.io.activities import parse_activities

HEADER = "facility_code,period_start,period_end,activity,quantity,unit,data_source\n"


def problems(body: str) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(InputError) as refused:
        parse_activities((HEADER + body).encode(), "acts.csv")
    return [(p.row, p.column, p.message) for p in refused.value.problems]


def test_a_unit_slip_of_1e12_kwh_is_refused_with_the_ceiling() -> None:
    # 1e12 kWh = 1e12 / 1,000 = 1e9 MWh, above the 1e8 MWh electricity ceiling
    found = problems("SH-HQ,2023-01-01,2023-01-31,electricity,1000000000000,kWh,invoice\n")
    assert found == [(2, "quantity",
                      "1000000000000 kWh is more than one row of electricity can hold"
                      " (at most 100,000,000 MWh): is the unit right (kWh typed as MWh,"
                      " kg as t)?")]


def test_two_rows_that_would_overflow_a_sum_are_refused() -> None:
    # each 1.7e308 kWh is finite, but their sum is not: both rows are over the ceiling
    row = "SH-HQ,2023-0{m}-01,2023-0{m}-28,electricity,1.7e308,kWh,invoice\n"
    found = problems(row.format(m=1) + row.format(m=2))
    assert [(r, c) for r, c, _ in found] == [(2, "quantity"), (3, "quantity")]


def test_the_ceiling_itself_is_allowed_and_converted_from_the_row_unit() -> None:
    # 1e11 kWh = 1e8 MWh: exactly the ceiling; 100 GWh = 1e5 MWh: far below
    table = parse_activities((
        HEADER + "SH-HQ,2023-01-01,2023-01-31,electricity,100000000000,kWh,invoice\n"
        "SH-HQ,2023-02-01,2023-02-28,electricity,100,GWh,invoice\n"
    ).encode(), "acts.csv")
    assert table.column("quantity").to_pylist() == [1e11, 100.0]
    # diesel: 1e7 t ceiling; 1.3e10 L x 0.84 kg/L = 1.092e10 kg = 1.092e7 t is above it
    found = problems("SH-HQ,2023-01-01,2023-01-31,diesel,13000000000,L,invoice\n")
    assert found[0][:2] == (2, "quantity") and "at most 10,000,000 t" in found[0][2]


def test_every_activity_has_a_ceiling_in_its_canonical_unit() -> None:
    catalog = dict(zip(load_activity_catalog().column("activity").to_pylist(),
                       load_activity_catalog().column("canonical_unit").to_pylist(),
                       strict=True))
    ceilings = load_quantity_ceilings().to_pylist()
    assert {row["activity"]: row["unit"] for row in ceilings} == catalog
    assert all(row["max_per_row"] > 0 and row["citation"] for row in ceilings)
