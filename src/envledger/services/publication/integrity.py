"""A stored snapshot checked before use: its content must still give its hash.

``build-site``, ``serve``, ``evidence`` and every reader of published figures go through
:func:`checked_content`, so a snapshot edited in the database is refused instead of
published. The hash is checked against the snapshot's ``content_hash`` column and the
``inventory.publish`` audit event that recorded it (an edit of both the content and the
column still differs from the chained event).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from envledger.errors import PublicationError
from envledger.services.publication.snapshot_content import content_hash
from envledger.store.models import AuditEvent
from envledger.store.publication import InventorySnapshot

PUBLISH_ACTION = "inventory.publish"


def published_hashes(connection: Session | Connection) -> dict[int, tuple[int, str]]:
    """Snapshot id -> (seq, content hash) of every ``inventory.publish`` audit event."""
    events = connection.execute(
        select(AuditEvent.seq, AuditEvent.detail).where(AuditEvent.action == PUBLISH_ACTION)
    )
    return {
        detail["snapshot_id"]: (seq, detail.get("content_hash", ""))
        for seq, detail in events if isinstance(detail, dict) and "snapshot_id" in detail
    }


def published_hash(connection: Session | Connection, snapshot_id: int) -> tuple[int, str] | None:
    """(seq, content hash) of the ``inventory.publish`` event of one snapshot, or None."""
    found = connection.execute(
        select(AuditEvent.seq, AuditEvent.detail)
        .where(AuditEvent.action == PUBLISH_ACTION,
               AuditEvent.detail["snapshot_id"].as_integer() == snapshot_id)
        .order_by(AuditEvent.seq)
    ).first()
    return None if found is None else (found.seq, found.detail.get("content_hash", ""))


def content_problem(
    content: str | dict[str, Any], recorded_hash: str, published: tuple[int, str] | None
) -> str | None:
    """Why a snapshot's ``content`` (text, or already parsed) cannot be trusted (vs its
    recorded hash and its publish event (seq, hash)), or None."""
    try:
        found = content_hash(json.loads(content) if isinstance(content, str) else content)
    except (TypeError, ValueError):
        return "its content is not valid JSON"
    if found != recorded_hash:
        return f"its content gives hash {found[:12]}, not its recorded hash {recorded_hash[:12]}"
    if published is None:
        return "no inventory.publish audit event records it"
    if published[1] != recorded_hash:
        return (f"its hash {recorded_hash[:12]} is not the one audit event {published[0]}"
                f" published ({published[1][:12]})")
    return None


def checked_content(session: Session, row: InventorySnapshot) -> dict[str, Any]:
    """The content of a stored snapshot, after checking it against its hashes.

    Raises
    ------
    PublicationError
        If the content no longer matches its hash or its publish event.
    """
    try:
        content = json.loads(row.content)
    except (TypeError, ValueError):
        content = row.content  # content_problem names it
    problem = content_problem(content, row.content_hash, published_hash(session, row.id))
    if problem is not None:
        raise PublicationError(
            f"snapshot {row.id} ({row.year} version {row.version}) was changed outside"
            f" envledger: {problem}. It is not used; run `envledger verify` to see every"
            " divergence, and restore the ledger from a backup."
        )
    return content
