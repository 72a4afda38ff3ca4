"""The audit trail: one append-only event per change, written in the change's transaction."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from envledger.services.audit.chain import append_event, lock_head
from envledger.services.audit.fingerprint import Selection, fingerprints
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
