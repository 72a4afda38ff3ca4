"""A company missing May-December 2024 electricity at one office, for the estimation tests.

Group "Offices" (all in Shanghai, CN-SH, grid CN-East):

- OF-A: floor area 1,000 m2 and 50 people in 2023, 1,200 m2 and 45 people in 2024.
  2023: one invoice a month, (9 + month) MWh written in kWh (January 10,000 kWh ...
  May 14,000 kWh ... December 21,000 kWh). 2024: 2024-01-01..02-29 72 MWh (60 days)
  and 2024-03-01..04-30 61 MWh (61 days); nothing from May.
- OF-B: 2,000 m2 in 2023 and 2024; 62 MWh every month of 2024, nothing in 2023.
- OF-C: 3,000 m2 in 2024 only; 90 MWh every month of 2024 except December.
- OF-D and OF-E: group "Annex", 500 m2 (2023 and 2024) and 300 m2 (2024); OF-F in no
  group, 400 m2 in 2024. None of them has any electricity row.
"""

from __future__ import annotations

from pathlib import Path

from envledger.services.inventory.calculate import prepare_ledger
from envledger.services.ledger.importing import import_activities, import_facilities

FACILITIES = (
    "code,name,type,country,province,grid_region,groups,year,floor_area_m2,headcount,"
    "in_boundary\n"
    "OF-A,Office A,office,CN,CN-SH,CN-East,Offices,2023,1000,50,yes\n"
    "OF-A,Office A,office,CN,CN-SH,CN-East,Offices,2024,1200,45,yes\n"
    "OF-B,Office B,office,CN,CN-SH,CN-East,Offices,2023,2000,80,yes\n"
    "OF-B,Office B,office,CN,CN-SH,CN-East,Offices,2024,2000,80,yes\n"
    "OF-C,Office C,office,CN,CN-SH,CN-East,Offices,2024,3000,90,yes\n"
    "OF-D,Office D,office,CN,CN-SH,CN-East,Annex,2023,500,20,yes\n"
    "OF-D,Office D,office,CN,CN-SH,CN-East,Annex,2024,500,20,yes\n"
    "OF-E,Office E,office,CN,CN-SH,CN-East,Annex,2024,300,10,yes\n"
    "OF-F,Office F,office,CN,CN-SH,CN-East,,2024,400,15,yes\n"
)
HEADER = "facility_code,period_start,period_end,activity,quantity,unit,data_source\n"
_LAST_DAY = {1: 31, 2: 28, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30,
             12: 31}


def _month(code: str, year: int, month: int, quantity: str, unit: str) -> str:
    last = 29 if (year, month) == (2024, 2) else _LAST_DAY[month]
    return (f"{code},{year}-{month:02d}-01,{year}-{month:02d}-{last},electricity,{quantity},"
            f"{unit},invoice\n")


def activities() -> str:
    """The company's activity rows (see the module docstring)."""
    rows = [_month("OF-A", 2023, m, f"{(9 + m) * 1000}", "kWh") for m in range(1, 13)]
    rows += ["OF-A,2024-01-01,2024-02-29,electricity,72,MWh,invoice\n",
             "OF-A,2024-03-01,2024-04-30,electricity,61,MWh,invoice\n"]
    rows += [_month("OF-B", 2024, m, "62", "MWh") for m in range(1, 13)]
    rows += [_month("OF-C", 2024, m, "90", "MWh") for m in range(1, 12)]
    return HEADER + "".join(rows)


def build_company(url: str, folder: Path) -> str:
    """Prepare the ledger at ``url`` and import the company as its owner (approved)."""
    prepare_ledger(url, create=True)
    facilities = folder / "facilities.csv"
    facilities.write_text(FACILITIES)
    rows = folder / "activities.csv"
    rows.write_text(activities())
    import_facilities(url, facilities)
    import_activities(url, rows)
    return url
