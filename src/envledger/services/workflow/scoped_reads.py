"""Use cases: what a signed-in caller may read of the ledger, inside their scope.

Every function takes the Principal and checks the permission and the facility scope
here, in the service, so no route can forget it: a facility owner asking for another
facility's rows gets the NotFoundError an unknown facility gives.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from envledger.engine.coverage import coverage_to_dict
from envledger.errors import NotFoundError
from envledger.services.access.roles import (
    Permission,
    Principal,
    Role,
    require_facility,
    require_permission,
)
from envledger.services.evidence.pack import write_evidence_pack
from envledger.services.inventory.coverage import year_coverage
from envledger.settings import Settings
from envledger.store.db import session_scope
from envledger.store.models import ActivityRecord, Facility


def visible_facilities(url: str, principal: Principal) -> list[dict[str, str]]:
    """The facilities in the caller's scope (code, name, type, country), by code."""
    require_permission(principal, Permission.read_ledger)
    with session_scope(url) as session:
        rows = session.execute(
            select(Facility.code, Facility.name, Facility.type, Facility.country)
            .order_by(Facility.code)
        ).all()
    return [
        {"code": row.code, "name": row.name, "type": row.type, "country": row.country}
        for row in rows if principal.sees_facility(row.code)
    ]


def facility_activities(
    url: str, principal: Principal, code: str, year: int
) -> list[dict[str, Any]]:
    """A facility's activity rows whose period overlaps ``year``, by period and row.

    Raises NotFoundError for an unknown facility or one outside the caller's scope.
    """
    require_permission(principal, Permission.read_ledger)
    require_facility(principal, code)
    first, last = date(year, 1, 1), date(year, 12, 31)
    with session_scope(url) as session:
        facility_id = session.scalar(select(Facility.id).where(Facility.code == code))
        if facility_id is None:
            raise NotFoundError(f"no facility '{code}' in the ledger")
        records = session.scalars(
            select(ActivityRecord).where(
                ActivityRecord.facility_id == facility_id,
                ActivityRecord.period_start <= last, ActivityRecord.period_end >= first,
            ).order_by(ActivityRecord.period_start, ActivityRecord.batch_id,
                       ActivityRecord.source_row)
        ).all()
        return [{
            "id": r.id, "period_start": r.period_start.isoformat(),
            "period_end": r.period_end.isoformat(), "activity": r.activity,
            "quantity": r.quantity, "unit": r.unit, "gas": r.gas, "variant": r.variant,
            "data_source": r.data_source, "reference": r.reference,
            "batch_id": r.batch_id, "source_row": r.source_row,
        } for r in records]


def scoped_coverage(
    settings: Settings, principal: Principal, year: int, pending_batch: int | None = None
) -> dict[str, Any]:
    """The coverage of ``year`` (``envledger.coverage/1``) as far as the caller may see.

    A facility owner gets the rows of their own facilities only, and no company-level
    share or figure shares (those would describe facilities outside their scope).
    """
    require_permission(principal, Permission.read_ledger)
    document = coverage_to_dict(year_coverage(settings, year, pending_batch))
    if principal.role is not Role.facility_owner:
        return document
    for key in ("matrix", "gaps", "facilities_without_facility_year"):
        document[key] = [row for row in document[key] if principal.sees_facility(row["facility"])]
    for key in ("share_covered", "expected_days", "covered_days", "figures", "gap_months",
                "complete", "period"):
        document.pop(key)
    return document


def evidence_zip(settings: Settings, principal: Principal, year: int) -> bytes:
    """The evidence pack of a published year (services.evidence.pack) as zip bytes."""
    require_permission(principal, Permission.download_evidence)
    with tempfile.TemporaryDirectory(prefix="envledger-evidence-") as folder:
        out = Path(folder) / f"evidence-{year}.zip"
        write_evidence_pack(settings, year, out)
        return out.read_bytes()
