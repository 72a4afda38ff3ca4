"""Use case: the coverage of a reporting year, as held or with a batch awaiting review."""

from __future__ import annotations

from envledger.engine.coverage import Coverage, compute_coverage
from envledger.services.ledger.tables import load_inventory_inputs
from envledger.settings import Settings


def year_coverage(settings: Settings, year: int, pending_batch: int | None = None) -> Coverage:
    """Coverage of ``year`` from the approved rows of ``year - 1`` to ``year + 1``.

    With ``pending_batch``, that batch's rows count as if approved (a reviewer sees
    what approving it would change).
    """
    inputs = load_inventory_inputs(
        settings.database_url, year - 1, through_year=year + 1, pending_batch=pending_batch
    )
    return compute_coverage(inputs, year)
