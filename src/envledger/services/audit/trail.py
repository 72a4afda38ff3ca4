"""The audit trail: one append-only event per change, written in the change's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from envledger.services.audit.chain import append_event
from envledger.store.models import AuditEvent


def record_event(
    session: Session, actor: str, action: str, entity: str, detail: dict[str, Any]
) -> AuditEvent:
    """Append an audit event (who, what, on which entity) to the session's transaction.

    It commits or rolls back together with the change it describes, so the trail never
    records a change that did not happen. The event is chained onto the audit hash
    chain (services.audit.chain); a change that has a before and an after state gives
    them as ``detail["before"]`` and ``detail["after"]``.
    """
    return append_event(session, actor, action, entity, detail)
