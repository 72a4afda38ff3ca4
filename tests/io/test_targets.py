"""Targets files: kinds, defaults and every rule naming its row and column."""

from __future__ import annotations

import pytest

from envledger.errors import InputError
from envledger.io.targets import parse_targets

HEADER = ("name,kind,metric,basis,scope,group,base_year,target_year,set_in_year,"
          "reduction_pct,description")


def test_kinds_and_defaults() -> None:
    table = parse_targets(
        f"{HEADER}\nEnergy,,energy,,,,2020,2025,2021,15,\n"
        "Water cap,cap,water,per_capita,group,Offices,2020,2025,,,\n"
        "Waste,qualitative,,,,,,,2021,,All hazardous waste to qualified firms\n".encode(),
        "targets.csv",
    )
    rows = table.to_pylist()
    assert [(r["kind"], r["basis"], r["scope"]) for r in rows] == [
        ("reduction", "absolute", "company"), ("cap", "per_capita", "group"),
        ("qualitative", "", "company")]
    assert rows[0]["reduction_pct"] == 15.0 and rows[1]["reduction_pct"] is None


def test_bad_rows_are_refused_with_row_and_column() -> None:
    body = (
        f"{HEADER}\n"
        "A,,energy,,,,2020,2025,,,\n"             # row 2: no kind and no reduction_pct
        "B,reduction,ghg,,,,2020,2020,,10,\n"     # row 3: target year not after base year
        "C,reduction,ghg,,,,2020,2025,,0,\n"      # row 4: 0 % is no reduction
        "D,cap,water,,,,2020,2025,,5,\n"          # row 5: a cap has no reduction_pct
        "E,reduction,,,group,,2020,2025,,10,\n"   # row 6: no metric, group without name
        "F,qualitative,,,,,,,,,\n"                # row 7: qualitative without text
        "F,qualitative,,,,,,,,,text\n"            # row 8: repeats name F
    )
    with pytest.raises(InputError) as caught:
        parse_targets(body.encode(), "targets.csv")
    found = {(p.row, p.column) for p in caught.value.problems}
    assert {(2, "kind"), (3, "target_year"), (4, "reduction_pct"), (5, "reduction_pct"),
            (6, "metric"), (6, "group"), (7, "description"), (8, None)} <= found
