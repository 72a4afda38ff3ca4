"""The reduction-measures register: import, refusals, totals by year and category."""

from __future__ import annotations

from pathlib import Path

import pytest

from envledger.errors import InputError
from envledger.services.commitments.measures import (
    import_measures,
    list_measures,
    savings_by_category,
)
from envledger.services.ledger.importing import import_facilities
from tests.support.ledger import HEADER as FACILITY_HEADER
from tests.support.ledger import SH_2023

HEADER = ("name,category,year,facility_code,savings_tco2e,savings_mwh,savings_water_t,"
          "estimate_method,description")
MEASURES = (
    f"{HEADER}\n"
    "LED,lighting,2023,SH-HQ,10.5,20,,metered,\n"
    "Sensors,lighting,2023,,4.5,,,logs,\n"
    "Taps,water_saving,2023,,,,800,flow x use,\n"
    "Chiller,temperature_control,2022,SH-HQ,30,50,,metered,\n"
)


def test_import_list_and_totals(ledger_url: str, tmp_path: Path) -> None:
    sites = tmp_path / "sites.csv"
    sites.write_text(f"{FACILITY_HEADER}\n{SH_2023}\n")
    import_facilities(ledger_url, sites)
    path = tmp_path / "measures.csv"
    path.write_text(MEASURES)
    assert import_measures(ledger_url, path).rows_added == 4
    rows = list_measures(ledger_url, 2023)
    assert [r["name"] for r in rows] == ["LED", "Sensors", "Taps"]
    totals = savings_by_category(list_measures(ledger_url))
    # lighting 2023: 10.5 + 4.5 = 15 tCO2e, MWh only from LED (20), water never estimated
    assert totals == [
        {"year": 2022, "category": "temperature_control", "measures": 1,
         "savings_tco2e": 30.0, "savings_mwh": 50.0, "savings_water_t": None},
        {"year": 2023, "category": "lighting", "measures": 2,
         "savings_tco2e": 15.0, "savings_mwh": 20.0, "savings_water_t": None},
        {"year": 2023, "category": "water_saving", "measures": 1,
         "savings_tco2e": None, "savings_mwh": None, "savings_water_t": 800.0},
    ]
    again = tmp_path / "again.csv"
    again.write_text(MEASURES + "New,other,2023,,,,,,\n")
    assert import_measures(ledger_url, again).rows_added == 1  # the four are unchanged
    changed = tmp_path / "changed.csv"
    changed.write_text(MEASURES.replace("SH-HQ,10.5", "SH-HQ,11"))
    with pytest.raises(InputError, match="row 2, column 'savings_tco2e': measure 'LED'"):
        import_measures(ledger_url, changed)


def test_unknown_facility_and_missing_method_are_refused(sqlite_ledger_url: str,
                                                         tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(f"{HEADER}\nLED,lighting,2023,NOPE,1,,,m,\nFans,cooling,2023,,2,,,,\n")
    with pytest.raises(InputError) as caught:
        import_measures(sqlite_ledger_url, path)
    found = {(p.row, p.column) for p in caught.value.problems}
    assert {(3, "category"), (3, "estimate_method")} <= found
    path.write_text(f"{HEADER}\nLED,lighting,2023,NOPE,1,,,m,\n")
    with pytest.raises(InputError, match="row 2, column 'facility_code': 'NOPE' is not a"):
        import_measures(sqlite_ledger_url, path)
    assert list_measures(sqlite_ledger_url) == []
