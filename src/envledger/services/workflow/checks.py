"""Use cases of the plausibility flags in the signed-in app and the API: permission and
facility scope are checked here (services.access.roles), as for submissions."""

from __future__ import annotations

from typing import Any

from envledger.services.access.roles import Permission, Principal, require_permission
from envledger.services.inventory.checks import dismiss, submission_flags, year_flags
from envledger.services.workflow.use_cases import scope, visible_submission


def visible_flags(url: str, principal: Principal, year: int) -> list[dict[str, Any]]:
    """The flags of ``year`` at the facilities in the caller's scope."""
    require_permission(principal, Permission.read_ledger)
    return _in_scope(principal, year_flags(url, year))


def pending_flags(url: str, principal: Principal, batch_id: int) -> list[dict[str, Any]]:
    """The flags a pending submission would raise if approved ([] once decided)."""
    item, _rows = visible_submission(url, principal, batch_id)
    if item.status != "pending" or item.first_day is None or item.last_day is None:
        return []
    years = list(range(item.first_day.year, item.last_day.year + 1))
    return _in_scope(principal, submission_flags(url, batch_id, years))


def dismiss_as(url: str, principal: Principal, flag_key: str, comment: str) -> dict[str, Any]:
    """Dismiss a flag as the caller; only roles that review submissions may
    (reviewer, inventory owner, admin: ``Permission.review``)."""
    require_permission(principal, Permission.review)
    return dismiss(url, flag_key, principal.actor, comment)


def _in_scope(principal: Principal, flags: list[dict[str, Any]]) -> list[dict[str, Any]]:
    facilities = scope(principal)
    return flags if facilities is None else [f for f in flags
                                             if f["facility_code"] in facilities]
