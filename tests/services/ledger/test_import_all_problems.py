"""A bad file is refused with every problem at once: row, reference and ledger checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from envledger.errors import InputError
from envledger.services.ledger.importing import import_activities, import_facilities
from tests.support.ledger import row_counts

ACT = "facility_code,period_start,period_end,activity,quantity,unit,data_source"
FAC = "code,name,type,country,province,grid_region,year,floor_area_m2,headcount,in_boundary"


@pytest.fixture
def ledger(ledger_url: str, tmp_path: Path) -> str:
    facilities = tmp_path / "facilities.csv"
    facilities.write_text(f"{FAC}\nSH-HQ,Shanghai HQ,office,CN,CN-SH,CN-East,2024,5200,310,yes\n")
    import_facilities(ledger_url, facilities)
    return ledger_url


def test_row_error_unknown_facility_and_unknown_unit_in_one_refusal(
    ledger: str, tmp_path: Path
) -> None:
    path = tmp_path / "activities.csv"
    path.write_text(
        f"{ACT}\n"
        "SH-HQ,2024-01-01,2024-01-31,electricity,12 000,kWh,invoice\n"  # row 2: quantity
        "XX-99,2024-01-01,2024-01-31,electricity,1000,kWh,invoice\n"  # row 3: facility
        "SH-HQ,2024-02-01,2024-02-29,diesel,40,barrels,invoice\n"  # row 4: unit
    )
    before = row_counts(ledger)
    with pytest.raises(InputError) as caught:
        import_activities(ledger, path)
    found = {(p.row, p.column) for p in caught.value.problems}
    assert found == {(2, "quantity"), (3, "facility_code"), (4, "unit")}
    message = str(caught.value)
    assert "3 problem(s) found" in message
    assert "'XX-99' is not a facility in the ledger" in message
    assert "'barrels' is not a unit envledger knows" in message
    assert row_counts(ledger) == before


def test_an_ambiguous_unit_says_what_to_write(ledger: str, tmp_path: Path) -> None:
    path = tmp_path / "activities.csv"
    path.write_text(f"{ACT}\nSH-HQ,2024-01-01,2024-01-31,diesel,40,gallons,invoice\n")
    with pytest.raises(InputError, match="ambiguous: write 'US gal'"):
        import_activities(ledger, path)


def test_invoice_units_are_imported_in_catalog_spelling(ledger: str, tmp_path: Path) -> None:
    path = tmp_path / "activities.csv"
    path.write_text(
        f"{ACT}\n"
        "SH-HQ,2024-01-01,2024-01-31,natural_gas,120,therms,invoice\n"
        "SH-HQ,2024-01-01,2024-01-31,diesel,55,US gallons,invoice\n"
        "SH-HQ,2024-02-01,2024-02-29,natural_gas,3.5,Mcf,invoice\n"
    )
    assert import_activities(ledger, path).rows_added == 3


def test_a_scoped_importer_is_not_told_which_facility_codes_exist(
    ledger: str, tmp_path: Path
) -> None:
    facilities = tmp_path / "more.csv"
    facilities.write_text(f"{FAC}\nBJ-OF,Beijing office,office,CN,CN-BJ,CN-North,2024,900,40,yes\n")
    import_facilities(ledger, facilities)
    path = tmp_path / "activities.csv"
    path.write_text(
        f"{ACT}\n"
        "BJ-OF,2024-01-01,2024-01-31,electricity,1000,kWh,invoice\n"  # exists, not theirs
        "XX-99,2024-01-01,2024-01-31,electricity,1000,kWh,invoice\n"  # does not exist
        "SH-HQ,2024-01-01,2024-01-31,electricity,-1,kWh,invoice\n"  # theirs, bad quantity
    )
    with pytest.raises(InputError) as caught:
        import_activities(ledger, path, facilities=["SH-HQ"])
    problems = {(p.row, p.column): p.message for p in caught.value.problems}
    assert set(problems) == {(2, "facility_code"), (3, "facility_code"), (4, "quantity")}
    assert problems[(2, "facility_code")] == "'BJ-OF' is not one of your facilities (SH-HQ)"
    assert problems[(3, "facility_code")] == "'XX-99' is not one of your facilities (SH-HQ)"
