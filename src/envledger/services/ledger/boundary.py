"""Use case: change a facility's organizational boundary in one year, audited.

Facility imports refuse to change an existing facility-year on purpose; a structural
change (acquisition, divestment, a facility added to the boundary) is entered here,
with a note, so that the audit trail says who moved which facility and why.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from envledger.errors import NotFoundError
from envledger.services.audit.trail import record_event
from envledger.settings import Settings
from envledger.store.db import session_scope
from envledger.store.models import Facility, FacilityYear


@dataclass(frozen=True)
class BoundaryChange:
    """A facility-year's boundary decision before and after, and whether it changed."""

    facility: str
    year: int
    was_in: bool
    now_in: bool
    note: str
    changed: bool

    @property
    def message(self) -> str:
        """One line for the CLI."""
        state = "in" if self.now_in else "out of"
        if not self.changed:
            return f"{self.facility} is already {state} the {self.year} boundary; nothing changed."
        return f"{self.facility} is now {state} the {self.year} boundary ({self.note})."


def set_boundary(
    settings: Settings, facility: str, year: int, in_boundary: bool, note: str,
    actor: str = "cli",
) -> BoundaryChange:
    """Put a facility in or out of the boundary of one year, with an audit event.

    Setting the state and note the ledger already holds is a no-op (no event).

    Raises
    ------
    NotFoundError
        If the facility or its row for ``year`` is not in the ledger (import it first).
    """
    with session_scope(settings.database_url) as session:
        row = session.scalars(
            select(FacilityYear)
            .join(Facility, Facility.id == FacilityYear.facility_id)
            .where(Facility.code == facility, FacilityYear.year == year)
        ).first()
        if row is None:
            raise NotFoundError(
                f"facility '{facility}' has no {year} row in the ledger: import its"
                " facility-year first"
            )
        was_in, old_note = row.in_boundary, row.boundary_note
        if was_in == in_boundary and old_note == note:
            return BoundaryChange(facility, year, was_in, in_boundary, note, False)
        row.in_boundary = in_boundary
        row.boundary_note = note
        record_event(session, actor, "boundary.set", "facility_year", {
            "facility": facility, "year": year, "from_in_boundary": was_in,
            "to_in_boundary": in_boundary, "from_note": old_note, "note": note,
        }, rows={"facility_year": {"facility_id": row.facility_id, "year": year}})
    return BoundaryChange(facility, year, was_in, in_boundary, note, True)
