"""The audit trail: one append-only event per change, written in the change's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from envledger.store.models import AuditEvent


def record_event(
    session: Session, actor: str, action: str, entity: str, detail: dict[str, Any]
) -> AuditEvent:
    """Append an audit event (who, what, on which entity) to the session's transaction.

    It commits or rolls back together with the change it describes, so the trail never
    records a change that did not happen.
    """
    event = AuditEvent(actor=actor, action=action, entity=entity, detail=detail)
    session.add(event)
    return event
