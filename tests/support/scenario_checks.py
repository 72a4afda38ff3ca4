"""A scenario company for the plausibility checks: one of each anomaly, built in a ledger.

SH-HQ (group Offices), 2024 and 2025:
- electricity 40,000 kWh a month, except 2025-03 entered as "40000 MWh" (a x1000 slip);
  December 2025 is left out of the ledger (a pending submission brings it);
- natural gas 2,000 m3 a month, 2025-07 entered as 0 between non-zero months;
- running water 500 m3 a month, plus a re-issued invoice 2025-05-03..2025-06-01 of
  480 m3 beside the May invoice (a duplicated invoice, different quantity).
O1..O6 (group Offices, 1,000 m2 each): heat for 2025 in one annual invoice of 100, 110,
90, 105, 95 and 400 GJ: O6 is the intensity outlier.
"""

from __future__ import annotations

from pathlib import Path

from envledger.services.inventory.calculate import prepare_ledger
from envledger.services.ledger.importing import import_activities, import_facilities

FACILITIES_HEADER = (
    "code,name,type,country,province,grid_region,sector,groups,year,floor_area_m2,headcount,"
    "in_boundary,boundary_note"
)
ACTIVITIES_HEADER = "facility_code,period_start,period_end,activity,quantity,unit,data_source"
HEAT_GJ = {"O1": 100, "O2": 110, "O3": 90, "O4": 105, "O5": 95, "O6": 400}
_LAST_DAY = {1: 31, 2: 28, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30,
             12: 31}


def month(year: int, m: int) -> tuple[str, str]:
    """First and last day of a month (no leap years in the scenario)."""
    return f"{year}-{m:02d}-01", f"{year}-{m:02d}-{_LAST_DAY[m]:02d}"


def build_company(url: str, folder: Path) -> None:
    """Prepare the ledger and import the scenario's facilities and approved activities."""
    prepare_ledger(url)
    rows = [FACILITIES_HEADER]
    for year in (2024, 2025):
        rows.append(f"SH-HQ,Shanghai HQ,office,CN,CN-SH,CN-East,,Offices,{year},5000,200,yes,")
        rows += [f"{code},Office {code},office,CN,CN-SH,CN-East,,Offices,{year},1000,50,yes,"
                 for code in HEAT_GJ]
    (folder / "facilities.csv").write_text("\n".join(rows) + "\n")
    import_facilities(url, folder / "facilities.csv")
    lines = [ACTIVITIES_HEADER]
    for year in (2024, 2025):
        for m in range(1, 13):
            first, last = month(year, m)
            if (year, m) != (2025, 12):
                quantity, unit = ("40000", "MWh") if (year, m) == (2025, 3) else ("40000", "kWh")
                lines.append(f"SH-HQ,{first},{last},electricity,{quantity},{unit},invoice")
            gas = "0" if (year, m) == (2025, 7) else "2000"
            lines.append(f"SH-HQ,{first},{last},natural_gas,{gas},m3,invoice")
            lines.append(f"SH-HQ,{first},{last},water_running,500,m3,invoice")
    lines.append("SH-HQ,2025-05-03,2025-06-01,water_running,480,m3,invoice")
    lines += [f"{code},2025-01-01,2025-12-31,heat,{gj},GJ,invoice" for code, gj in HEAT_GJ.items()]
    (folder / "activities.csv").write_text("\n".join(lines) + "\n")
    import_activities(url, folder / "activities.csv")


def submit_december(url: str, folder: Path) -> int:
    """A facility owner's pending submission of SH-HQ's December 2025 electricity, with
    the same slip (40000 MWh); returns its batch id."""
    path = folder / "december.csv"
    path.write_text(f"{ACTIVITIES_HEADER}\nSH-HQ,2025-12-01,2025-12-31,electricity,40000,MWh,"
                    "invoice\n")
    return import_activities(url, path, actor="sam", submit=True).batch_id
