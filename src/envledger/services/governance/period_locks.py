"""Use case: lock a reporting year's activity data once published; unlock with a reason.

A locked year refuses new activity rows (imports, submissions, approvals). Publishing a
year locks it (services.publication.publishing). Unlocking is recorded in ``period_lock`` and the
audit trail; once the year's data change, its next publication is a restatement, which
needs a reason code (GHG Protocol Corporate Standard ch. 5).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from envledger.errors import PeriodLockedError, ReviewConflictError, ReviewError
from envledger.services.audit.trail import queue_behind_audited_changes, record_event
from envledger.store.db import session_scope
from envledger.store.review import PeriodLock


@dataclass(frozen=True)
class LockEvent:
    """One lock or unlock of a year: by whom, when and why."""

    year: int
    locked: bool
    reason: str
    at: datetime
    actor: str

    def as_dict(self) -> dict[str, Any]:
        """JSON form (at in ISO 8601)."""
        return {**self.__dict__, "at": self.at.isoformat()}


def locked_years(url: str) -> list[int]:
    """Years whose activity data are locked now, oldest first."""
    with session_scope(url) as session:
        return sorted(_locked_years(session))


def _locked_years(session: Session) -> set[int]:
    """Years whose latest lock row locks them."""
    latest = (
        select(PeriodLock.year, func.max(PeriodLock.id).label("id"))
        .group_by(PeriodLock.year).subquery()
    )
    return set(session.scalars(
        select(PeriodLock.year).join(latest, latest.c.id == PeriodLock.id)
        .where(PeriodLock.locked.is_(True))
    ))


def refuse_locked_periods(session: Session, table: pa.Table, what: str) -> None:
    """Raise PeriodLockedError if any row's period (period_start..period_end) overlaps a
    locked year; ``what`` names the rows (e.g. the file) in the message."""
    locked = sorted(_locked_years(session))
    if not locked or table.num_rows == 0:
        return
    starts, ends = pc.year(table.column("period_start")), pc.year(table.column("period_end"))
    counts = {
        year: pc.sum(pc.and_(pc.less_equal(starts, year), pc.greater_equal(ends, year))).as_py()
        for year in locked
    }
    years = ", ".join(
        f"{year} ({rows} row{'' if rows == 1 else 's'})" for year, rows in counts.items() if rows
    )
    if not years:
        return
    example = next(year for year, rows in counts.items() if rows)
    raise PeriodLockedError(
        f"{what} has activity rows in locked reporting years: {years}. A published year's"
        f" activity data are locked; an inventory owner can unlock one with `envledger"
        f" unlock --year {example} --reason TEXT`, after which its next publication is a"
        f" restatement. Nothing was changed."
    )


def lock_in(session: Session, year: int, actor: str, reason: str) -> bool:
    """Lock ``year`` inside the caller's transaction; False if it was locked already.

    Takes the audit trail's lock before reading the year's state, so of two concurrent
    locks one writes and the other finds the year locked.
    """
    queue_behind_audited_changes(session)
    if year in _locked_years(session):
        return False
    session.add(PeriodLock(year=year, locked=True, reason=reason, actor=actor))
    record_event(session, actor, "period.lock", "period_lock", {"year": year, "reason": reason},
                 rows={"period_lock": {"year": year}})
    return True


def lock_year(url: str, year: int, actor: str = "cli", reason: str = "") -> bool:
    """Lock ``year``'s activity data; False (and nothing written) if it was locked already."""
    with session_scope(url) as session:
        return lock_in(session, year, actor, reason or "locked by hand")


def unlock_year(url: str, year: int, reason: str, actor: str = "cli") -> None:
    """Unlock ``year`` so that its activity data can change; the reason is required.

    Raises
    ------
    ReviewError
        If ``reason`` is blank; nothing is written.
    ReviewConflictError
        If ``year`` is not locked (e.g. someone unlocked it a moment ago: the message
        says who and when); nothing is written.
    """
    if not reason.strip():
        raise ReviewError(f"unlocking {year} needs a reason (it is kept in the audit trail)")
    with session_scope(url) as session:
        queue_behind_audited_changes(session)
        if year not in _locked_years(session):
            raise ReviewConflictError(f"{year} is not locked{_last_unlock(session, year)};"
                                      " nothing changed")
        session.add(PeriodLock(year=year, locked=False, reason=reason.strip(), actor=actor))
        record_event(session, actor, "period.unlock", "period_lock", {
            "year": year, "reason": reason.strip(),
            "consequence": "the next publication of this year with changed data is a"
                           " restatement",
        }, rows={"period_lock": {"year": year}})


def _last_unlock(session: Session, year: int) -> str:
    """' (unlocked by X at T)' for a year that was unlocked, else ''."""
    last = session.scalars(
        select(PeriodLock).where(PeriodLock.year == year).order_by(PeriodLock.id.desc())
    ).first()
    if last is None:
        return ""
    return f" (unlocked by {last.actor} at {_utc(last.at):%Y-%m-%d %H:%M:%S} UTC)"


def lock_history(url: str, year: int | None = None) -> list[LockEvent]:
    """Every lock and unlock (of ``year``, or of all years), oldest first."""
    statement = select(PeriodLock).order_by(PeriodLock.id)
    if year is not None:
        statement = statement.where(PeriodLock.year == year)
    with session_scope(url) as session:
        return [
            LockEvent(row.year, row.locked, row.reason, _utc(row.at), row.actor)
            for row in session.scalars(statement)
        ]


def _utc(moment: datetime) -> datetime:
    """SQLite returns server timestamps without a zone; they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
