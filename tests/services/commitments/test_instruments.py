"""Market-based Scope 2 from the ledger: instruments imported, applied and excluded."""

from __future__ import annotations

from pathlib import Path

import pytest

from envledger.errors import InputError
from envledger.services.commitments.instruments import import_instruments, instrument_report
from envledger.services.inventory.calculate import prepare_ledger
from envledger.services.ledger.importing import import_activities, import_facilities
from envledger.settings import Settings
from tests.support.ledger import HEADER as FACILITY_HEADER
from tests.support.ledger import SH_2023

HEADER = ("instrument_id,type,energy,volume_mwh,vintage,market,facility_code,retired,"
          "retirement_reference,emission_rate_t_per_mwh,claimed_year,note")


def test_instruments_from_the_ledger(ledger_url: str, tmp_path: Path) -> None:
    prepare_ledger(ledger_url)
    (tmp_path / "sites.csv").write_text(f"{FACILITY_HEADER}\n{SH_2023}\n")
    import_facilities(ledger_url, tmp_path / "sites.csv")
    (tmp_path / "activities.csv").write_text(
        "facility_code,period_start,period_end,activity,quantity,unit,data_source\n"
        "SH-HQ,2023-01-01,2023-12-31,electricity,100000,kWh,invoice\n"
    )
    import_activities(ledger_url, tmp_path / "activities.csv")
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{HEADER}\nS1,supplier_rate,,10,2023,CN,,no,,,2023,\n")
    with pytest.raises(InputError, match="row 2, column 'emission_rate_t_per_mwh'"):
        import_instruments(ledger_url, bad)
    bad.write_text(f"{HEADER}\nG1,GEC,,40,2023,CN,NOPE,yes,r1,,2023,\n")
    with pytest.raises(InputError, match="row 2, column 'facility_code': 'NOPE' is not a"):
        import_instruments(ledger_url, bad)
    good = tmp_path / "instruments.csv"
    good.write_text(f"{HEADER}\nG1,GEC,,40,2023,cn,SH-HQ,yes,r1,,2023,\n"
                    "G2,GEC,,25,2023,CN,SH-HQ,no,,,2023,not retired\n")
    assert import_instruments(ledger_url, good).rows_added == 2
    report = instrument_report(Settings(database_url=ledger_url), 2023)
    scope2 = {row["method"]: row["emissions"]["value"] for row in report["scope2"]}
    # 100 MWh in CN-East: location 100 x 0.5500 (MEE/NBS East grid 2023) = 55.0 t;
    # market: 40 MWh by G1 at 0, 60 MWh at the CN residual mix 0.6096 = 36.576 t
    assert scope2 == {"location": pytest.approx(55.0), "market": pytest.approx(36.576)}
    assert [a["instrument_id"] for a in report["instruments"]["applied"]] == ["G1"]
    assert [(e["instrument_id"], e["volume"]["value"]) for e in
            report["instruments"]["excluded"]] == [("G2", 25.0)]
    # the same file again is a no-op; the same instrument in another file is a double claim
    assert import_instruments(ledger_url, good).already_imported
    again = tmp_path / "again.csv"
    again.write_text(f"{HEADER}\nG1,GEC,,40,2023,CN,SH-HQ,yes,r1,,2023,re-entered\n")
    import_instruments(ledger_url, again)
    report = instrument_report(Settings(database_url=ledger_url), 2023)
    assert report["instruments"]["applied"] == []
    assert report["scope2"][1]["emissions"]["value"] == pytest.approx(60.96)  # 100 x 0.6096
