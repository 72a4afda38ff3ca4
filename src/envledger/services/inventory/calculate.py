"""Use cases around the inventory: prepare the ledger, calculate a year, explain a figure."""

from __future__ import annotations

import pyarrow as pa
from sqlalchemy import func, select

from envledger.engine import Inventory, compute_inventory, explain_facility
from envledger.errors import NotFoundError
from envledger.services.inventory.methodology import CalculationMethod, current_methodology
from envledger.services.ledger.database import open_ledger
from envledger.services.ledger.reference import ensure_reference_data
from envledger.services.ledger.tables import load_inventory_inputs
from envledger.settings import Settings
from envledger.store.db import get_engine, migrate
from envledger.store.models import ActivityRecord


def prepare_ledger(url: str, *, create: bool = True) -> None:
    """Bring the ledger schema and the built-in reference library up to date.

    Without ``create``, a database that holds no ledger yet is refused
    (LedgerUnavailableError) instead of being given one.
    """
    open_ledger(url, create=create)
    migrate(url)
    ensure_reference_data(url)


def calculate(
    settings: Settings, year: int, gwp_set: str | None = None,
    method: CalculationMethod | None = None,
) -> Inventory:
    """Compute the inventory of one reporting year from the ledger.

    Uses ``method``, else the ledger's current methodology; ``gwp_set`` overrides its
    GWP set.
    """
    method = method or current_methodology(settings).calculation
    inputs = load_inventory_inputs(settings.database_url, year)
    if inputs.activities.num_rows == 0:
        raise NotFoundError(f"the ledger has no activity data for {year}")
    return compute_inventory(
        inputs, year, gwp_set or method.gwp_set, list(method.series_priority),
        method.excluded_series, settings.instrument_vintage_years,
    )


def explain(
    settings: Settings, year: int, facility_code: str, gwp_set: str | None = None
) -> pa.Table:
    """Trace every result line of one facility back to its records, factor and GWP.

    Uses the ledger's current methodology; ``gwp_set`` overrides its GWP set.
    """
    method = current_methodology(settings).calculation
    inputs = load_inventory_inputs(settings.database_url, year)
    return explain_facility(
        inputs, year, gwp_set or method.gwp_set, list(method.series_priority), facility_code,
        method.excluded_series,
    )


def reporting_years(settings: Settings) -> list[int]:
    """Calendar years that hold activity data, oldest first."""
    with get_engine(settings.database_url).connect() as connection:
        first, last = connection.execute(
            select(func.min(ActivityRecord.period_start), func.max(ActivityRecord.period_end))
        ).one()
    return [] if first is None else list(range(first.year, last.year + 1))
