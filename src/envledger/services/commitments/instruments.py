"""Contractual instruments for market-based Scope 2: import them, report their use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
from sqlalchemy import insert
from sqlalchemy.orm import Session

from envledger.io.checks import TableCheck
from envledger.io.instruments import parse_instruments
from envledger.io.limits import ReadLimits
from envledger.services.inventory.calculate import calculate
from envledger.services.ledger.changes import refuse_unknown_facilities
from envledger.services.ledger.importing import Applied, ImportResult, run_import
from envledger.settings import Settings
from envledger.store.instruments import ContractualInstrument
from envledger.store.models import ImportBatch

COLUMNS = (
    "instrument_id", "type", "energy", "volume_mwh", "vintage", "market", "facility_code",
    "retired", "retirement_reference", "emission_rate_t_per_mwh", "claimed_year", "note",
    "source_row",
)


def import_instruments(
    url: str, path: Path | str, actor: str = "cli", limits: ReadLimits | None = None
) -> ImportResult:
    """Import contractual instruments: every row is stored as a claim for its year.

    Refused: facility codes not in the ledger. The Scope 2 Quality Criteria (market,
    vintage, retirement, double claims, excess volume) are applied when a year is
    calculated, and a failing instrument is reported as excluded with its reason —
    so importing the same instrument again (in another file) makes it a double claim.
    """
    def apply(session: Session, table: pa.Table, batch: ImportBatch) -> Applied:
        connection = session.connection()
        check = TableCheck(table, batch.file_name)
        refuse_unknown_facilities(check, connection, table)
        check.done()
        rows = table.select(list(COLUMNS)).to_pylist()
        connection.execute(insert(ContractualInstrument),
                           [{**row, "batch_id": batch.id} for row in rows])
        return Applied(table.num_rows, (
            f"Imported {table.num_rows} contractual instruments from {{file}} as batch "
            "{batch}; their quality criteria are checked when a year is calculated."
        ))

    return run_import(url, "instruments", path, actor, parse_instruments, apply, limits)


def instrument_report(settings: Settings, year: int) -> dict[str, Any]:
    """Market-based Scope 2 of ``year``: instruments applied and excluded, with reasons.

    Returns both Scope 2 totals [tCO2e], the basis of the market-based figure
    (consumption [MWh] and emissions [tCO2e] per hierarchy level) and the instruments.
    """
    payload = calculate(settings, year).to_dict()
    return {
        "year": year,
        "scope2": [row for row in payload["by_scope"] if row["scope"] == 2],
        "scope2_market_basis": payload["scope2_market_basis"],
        "instruments": payload["instruments"],
    }
