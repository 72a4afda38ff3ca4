"""Use case: a reviewer dismisses a plausibility flag with a comment, audited.

A dismissal names the flag by its stable key (engine.checks) and keeps the value the
reviewer saw: if the data later change the flagged value, the flag is live again. The
caller checks the reviewer's permission (services.workflow.use_cases) and that the key
is a current flag (services.inventory.checks).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from envledger.errors import ReviewConflictError, ReviewError
from envledger.services.audit.trail import queue_behind_audited_changes, record_event
from envledger.store.checks import CheckDismissal
from envledger.store.db import session_scope

MAX_COMMENT = 4000  # [characters], as free text elsewhere (io.checks)


@dataclass(frozen=True)
class Dismissal:
    """Who dismissed a flag, when (UTC) and why, for which value [the flag's unit]."""

    flag_key: str
    year: int
    value: float
    comment: str
    dismissed_by: str
    dismissed_at: datetime

    def as_dict(self) -> dict[str, Any]:
        """JSON form (timestamp in ISO 8601)."""
        return {"dismissed_by": self.dismissed_by, "dismissed_at": self.dismissed_at.isoformat(),
                "comment": self.comment, "dismissed_value": self.value}

    def covers(self, value: float) -> bool:
        """True when the dismissal was given for this value (to 1e-9 relative)."""
        return math.isclose(self.value, value, rel_tol=1e-9, abs_tol=0.0)


def dismissals(url: str, year: int) -> dict[str, Dismissal]:
    """The latest dismissal of each flag key of ``year``."""
    with session_scope(url) as session:
        rows = session.scalars(
            select(CheckDismissal).where(CheckDismissal.year == year)
            .order_by(CheckDismissal.id)
        ).all()
        return {row.flag_key: _dismissal(row) for row in rows}


def dismiss_flag(
    url: str, year: int, flag_key: str, value: float, actor: str, comment: str
) -> Dismissal:
    """Record the dismissal of a current flag of ``year`` and its audit event.

    Raises
    ------
    ReviewError
        If the comment is blank or longer than :data:`MAX_COMMENT` characters.
    ReviewConflictError
        If the flag is already dismissed for this value; nothing changes.
    """
    text = comment.strip()
    if not text:
        raise ReviewError(f"to dismiss flag {flag_key}, give a comment")
    if len(text) > MAX_COMMENT:
        raise ReviewError(f"the comment is longer than {MAX_COMMENT} characters")
    with session_scope(url, write=True) as session:
        queue_behind_audited_changes(session)
        latest = session.scalars(
            select(CheckDismissal).where(CheckDismissal.flag_key == flag_key)
            .order_by(CheckDismissal.id.desc()).limit(1)
        ).first()
        if latest is not None and _dismissal(latest).covers(value):
            raise ReviewConflictError(
                f"flag {flag_key} was already dismissed by {latest.dismissed_by} at"
                f" {_utc(latest.dismissed_at):%Y-%m-%d %H:%M:%S} UTC; nothing changed"
            )
        row = CheckDismissal(year=year, flag_key=flag_key, value=value, comment=text,
                             dismissed_by=actor, dismissed_at=datetime.now(UTC))
        session.add(row)
        session.flush()
        record_event(session, actor, "check.dismiss", "check_flag", {
            "flag_key": flag_key, "year": year, "value": value, "comment": text,
        }, rows={"check_dismissal": {"id": row.id}})
        return _dismissal(row)


def _dismissal(row: CheckDismissal) -> Dismissal:
    return Dismissal(row.flag_key, row.year, row.value, row.comment, row.dismissed_by,
                     _utc(row.dismissed_at))


def _utc(moment: datetime) -> datetime:
    """SQLite returns timestamps without a zone; they are UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
