"""The audit trail: one append-only event per change, written in the change's transaction."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from envledger.services.audit.chain import append_event, lock_head
from envledger.services.audit.fingerprint import Selection, fingerprints
from envledger.store.audit import HEAD_ID, AuditChainHead
from envledger.store.models import AuditEvent


def record_event(
    session: Session, actor: str, action: str, entity: str, detail: dict[str, Any],
    rows: Mapping[str, Selection | list[Selection]] | None = None,
) -> AuditEvent:
    """Append an audit event (who, what, on which entity) to the session's transaction.

    It commits or rolls back together with the change it describes, so the trail never
    records a change that did not happen. The event is chained onto the audit hash
    chain (services.audit.chain); a change that has a before and an after state gives
    them as ``detail["before"]`` and ``detail["after"]``. ``rows`` names the tracked
    rows the change wrote (table -> column values, services.audit.fingerprint): their
    fingerprints, read back after a flush, go into ``detail["rows"]``.
    """
    if rows:
        # Under the head lock, so that fingerprints of shared groups (a whole table) are
        # taken in the order the events are chained.
        lock_head(session)
        session.flush()
        detail = {**detail, "rows": fingerprints(session.connection(), rows)}
    return append_event(session, actor, action, entity, detail)


def queue_behind_audited_changes(session: Session) -> None:
    """Take the audit trail's lock now and hold it until the session's transaction ends.

    Call it first, before reading the state a change depends on (is the year locked?
    which version is the latest?): audited changes then run one after another, each
    reading what the one before it committed. A write rather than ``SELECT ... FOR
    UPDATE`` because SQLite ignores FOR UPDATE, and a SQLite transaction that reads
    before its first write cannot wait for the lock (it fails "database is locked").
    """
    session.execute(
        update(AuditChainHead).where(AuditChainHead.id == HEAD_ID)
        .values(seq=AuditChainHead.seq)
    )


def who_and_when(
    session: Session, action: str, matches: Callable[[dict[str, Any]], bool]
) -> str:
    """'by X at T UTC' of the newest ``action`` event whose detail ``matches``, for a
    message telling someone that another person made the change first; '' if none."""
    found = session.scalars(
        select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq.desc())
    )
    event = next((event for event in found if matches(event.detail)), None)
    if event is None:
        return ""
    at = event.at if event.at.tzinfo else event.at.replace(tzinfo=UTC)  # SQLite: naive UTC
    return f"by {event.actor} at {at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"
