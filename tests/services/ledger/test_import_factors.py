"""Factor imports: user factors with provenance; identical factors skipped, changes refused."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import sqlalchemy as sa

from envledger.services.ledger.importing import import_factors
from envledger.store.db import session_scope
from envledger.store.models import EmissionFactor
from tests.support.ledger import row_counts

HEADER = (
    "factor_id,series,activity,variant,gas,value,unit,tier,geography_code,sector,data_year,"
    "valid_from,valid_to,citation,confidence,note"
)
SUPPLIER = (
    "gz_power_2024,gz_power,electricity,,CO2,0.4312,kg/kWh,supplier,GZ-P1,,2024,2024,2024,"
    "\"Supplier letter GPS-2024-117, table 2\",V2,"
)


def test_factors_are_stored_as_user_factors(ledger_url: str, tmp_path: Path) -> None:
    path = tmp_path / "factors.csv"
    path.write_text(
        f"{HEADER}\n{SUPPLIER}\n"
        "lagoon,own,wastewater_cod,Anaerobic_Lagoon,CH4,0.05,kg/kg,measured,GZ-P1,,,,,lab,v1,\n"
    )
    result = import_factors(ledger_url, path)
    assert (result.rows_read, result.rows_added) == (2, 2)
    with session_scope(ledger_url) as session:
        factors = {f.factor_id: f for f in session.scalars(sa.select(EmissionFactor))}
    supplier, lagoon = factors["gz_power_2024"], factors["lagoon"]
    assert (supplier.value, supplier.origin, supplier.valid_to) == (0.4312, "user", 2024)
    assert supplier.citation == "Supplier letter GPS-2024-117, table 2"
    assert supplier.batch_id == result.batch_id
    assert (lagoon.variant, lagoon.confidence, lagoon.data_year) == ("anaerobic_lagoon", "V1", None)


def test_identical_factors_are_skipped_and_same_file_is_a_no_op(
    ledger_url: str, tmp_path: Path
) -> None:
    first = tmp_path / "a.csv"
    first.write_text(f"{HEADER}\n{SUPPLIER}\n")
    import_factors(ledger_url, first)
    library = Path(str(files("envledger.data") / "factors.csv")).read_text()
    second = tmp_path / "b.csv"
    second.write_text(library.rstrip("\n") + f"\n{SUPPLIER}\n")
    result = import_factors(ledger_url, second)
    assert result.rows_added == result.rows_read - 1
    assert "1 were already in the ledger unchanged" in result.message
    before = row_counts(ledger_url)
    assert import_factors(ledger_url, second).already_imported
    assert row_counts(ledger_url) == before
