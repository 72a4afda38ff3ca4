"""The coverage columns of a facilities file: expected activities and part-year dates."""

from __future__ import annotations

import datetime as dt

import pytest

from envledger.errors import InputError
from envledger.io.facilities import parse_facilities

HEADER = (
    "code,name,type,country,province,grid_region,year,floor_area_m2,headcount,in_boundary,"
    "expected_activities,in_boundary_from,in_boundary_to"
)
SITE = "SH-HQ,HQ,office,CN,CN-SH,CN-East"


def test_declarations_are_typed() -> None:
    table = parse_facilities(
        f"{HEADER}\n{SITE},2024,1,1,yes,water_running; heat;;heat,2024-07-01,\n".encode(),
        "f.csv",
    )
    row = table.to_pylist()[0]
    assert row["expected_activities"] == ["heat", "water_running"]
    assert (row["in_boundary_from"], row["in_boundary_to"]) == (dt.date(2024, 7, 1), None)


def test_every_bad_declaration_is_reported_with_row_and_column() -> None:
    text = (
        f"{HEADER}\n"
        f"{SITE},2024,1,1,yes,water,2023-12-01,\n"
        f"GZ,Plant,factory,CN,CN-GD,CN-South,2024,1,1,no,,2024-03-01,\n"
        f"SZ,Shop,office,CN,CN-GD,CN-South,2024,1,1,yes,,2024-09-01,2024-08-31\n"
    )
    with pytest.raises(InputError) as refused:
        parse_facilities(text.encode(), "f.csv")
    found = {(p.row, p.column, p.message.split(":")[0]) for p in refused.value.problems}
    assert found == {
        (2, "expected_activities", "names an unknown activity in 'water'"),
        (2, "in_boundary_from", "2023-12-01 is not in the row's year 2024"),
        (3, "in_boundary_from", "is set on a row with in_boundary = no"),
        (4, "in_boundary_to", "2024-08-31 is before in_boundary_from 2024-09-01"),
    }
