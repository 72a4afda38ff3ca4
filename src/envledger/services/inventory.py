"""Use cases around the inventory: prepare the ledger, calculate a year, explain a figure."""

from __future__ import annotations

import pyarrow as pa
from sqlalchemy import func, select

from envledger.engine import Inventory, compute_inventory, explain_facility
from envledger.errors import NotFoundError
from envledger.services.ledger_tables import load_inventory_inputs
from envledger.services.reference import ensure_reference_data
from envledger.settings import Settings
from envledger.store.db import get_engine, migrate
from envledger.store.models import ActivityRecord


def prepare_ledger(url: str) -> None:
    """Bring the ledger schema and the built-in reference library up to date."""
    migrate(url)
    ensure_reference_data(url)


def calculate(settings: Settings, year: int, gwp_set: str | None = None) -> Inventory:
    """Compute the inventory of one reporting year from the ledger."""
    inputs = load_inventory_inputs(settings.database_url, year)
    if inputs.activities.num_rows == 0:
        raise NotFoundError(f"the ledger has no activity data for {year}")
    return compute_inventory(
        inputs, year, gwp_set or settings.gwp_set, list(settings.series_priority)
    )


def explain(
    settings: Settings, year: int, facility_code: str, gwp_set: str | None = None
) -> pa.Table:
    """Trace every result line of one facility back to its records, factor and GWP."""
    inputs = load_inventory_inputs(settings.database_url, year)
    return explain_facility(
        inputs, year, gwp_set or settings.gwp_set, list(settings.series_priority), facility_code
    )


def reporting_years(settings: Settings) -> list[int]:
    """Calendar years that hold activity data, oldest first."""
    with get_engine(settings.database_url).connect() as connection:
        first, last = connection.execute(
            select(func.min(ActivityRecord.period_start), func.max(ActivityRecord.period_end))
        ).one()
    return [] if first is None else list(range(first.year, last.year + 1))
