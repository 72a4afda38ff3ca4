"""Use case: what approving a pending submission would do to the coverage of its years."""

from __future__ import annotations

from typing import Any

from envledger.engine.coverage import month_ranges
from envledger.services.access.roles import Principal
from envledger.services.workflow.scoped_reads import scoped_coverage
from envledger.services.workflow.use_cases import visible_submission
from envledger.settings import Settings


def coverage_effect(
    settings: Settings, principal: Principal, batch_id: int
) -> list[dict[str, Any]]:
    """Per year the submission's rows touch: coverage before and with the batch.

    Each item: ``year``, ``before`` and ``with`` (``share_covered`` [1] over the
    facilities the caller sees, ``gap_months``), ``closed`` and ``opened`` (gap lines
    "facility activity: months" that approving removes or adds). Empty unless the
    submission is pending.
    """
    item, _rows = visible_submission(settings.database_url, principal, batch_id)
    if item.status != "pending" or item.first_day is None or item.last_day is None:
        return []
    effects = []
    for year in range(item.first_day.year, item.last_day.year + 1):
        before = scoped_coverage(settings, principal, year)
        after = scoped_coverage(settings, principal, year, pending_batch=batch_id)
        old, new = _gap_months(before), _gap_months(after)
        effects.append({
            "year": year,
            "before": _summary(before, old),
            "with": _summary(after, new),
            "closed": _lines(old, new),
            "opened": _lines(new, old),
        })
    return effects


def _gap_months(document: dict[str, Any]) -> dict[tuple[str, str], set[int]]:
    return {(g["facility"], g["activity"]): set(g["months"]) for g in document["gaps"]}


def _summary(document: dict[str, Any], gaps: dict[tuple[str, str], set[int]]) -> dict:
    """Share covered [1] of the caller's rows of the matrix, and the gap months."""
    expected = sum(r["expected_days"] for r in document["matrix"])
    covered = sum(r["covered_days"] for r in document["matrix"])
    return {
        "share_covered": {"value": covered / expected if expected else None, "unit": "1"},
        "gap_months": sum(len(months) for months in gaps.values()),
    }


def _lines(
    these: dict[tuple[str, str], set[int]], others: dict[tuple[str, str], set[int]]
) -> list[str]:
    """Gap months in ``these`` but not in ``others``, one line per facility-activity."""
    return [
        f"{facility} {activity}: {month_ranges(sorted(months - others.get(key, set())))}"
        for key, months in sorted(these.items())
        for facility, activity in [key]
        if months - others.get(key, set())
    ]
